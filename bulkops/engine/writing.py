"""Phase 3, write: the chunk's planned changes in bulk, in the chunk's transaction; if the database
refuses, unit by unit, so only the rows it refuses fail. Keeps PostgreSQL's statistics fresh."""

import logging

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext_lazy

from bulkops.engine.children import Children
from bulkops.engine.inserting import create_objects, update_objects
from bulkops.engine.shape import ObjectShape
from bulkops.engine.units import Unit, replace_links

log = logging.getLogger(__name__)

# The database's own words (SQL, constraint names) are logged for the operator, never shown to users.
DATABASE_REFUSED = gettext_lazy(
    "The database refused this row: another change to the same object was being saved at that moment. "
    "Import the file again to apply it"
)


def check_references_at_once() -> None:
    """On PostgreSQL, check each row's references as the statement that writes it ends rather than at
    commit (Django makes them deferred): a name resolved when the chunk was planned and deleted
    elsewhere since then fails its rows alone, through the retry unit by unit, not the chunk's commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Writer(ObjectShape):
    def __init__(self, resource, children: Children | None):
        super().__init__(resource)
        self.children = children
        self.created_since_analyze = 0
        self.analyze_after = 5000
        self.links_replaced = 0  # owners whose links were written, for leave_statistics_fresh

    def write_safely(self, units: list[Unit]) -> None:
        """Write the chunk in bulk; if the database refuses, write unit by unit so only the rows it
        refuses fail (a concurrent admin edit, say), each in a savepoint."""
        check_references_at_once()
        try:
            with transaction.atomic():
                self.write(units)
        except DatabaseError:
            self.forget_pks(units)
            for unit in units:
                try:
                    with transaction.atomic():
                        self.write([unit])
                except DatabaseError:
                    log.warning("The database refused a row of %s", self.model.__name__, exc_info=True)
                    self.forget_pks([unit])
                    unit.fail(str(DATABASE_REFUSED))

    @staticmethod
    def forget_pks(units: list[Unit]) -> None:
        for unit in units:
            if unit.is_new:
                unit.instance.pk = None
                unit.instance._state.adding = True

    def write(self, units: list[Unit]) -> None:
        new = [unit.instance for unit in units if unit.is_new]
        updated = [unit for unit in units if not unit.is_new and unit.fields_changed]
        if self.resource.sequential:
            for unit in units:
                unit.instance.save()
        else:
            create_objects(self.model, new)
            if updated:
                fields = sorted(set().union(*(unit.fields_changed for unit in updated)))
                update_objects(self.model, [unit.instance for unit in updated], fields)
        for m2m in self.link_fields():
            owners = [
                unit for unit in units if m2m.name in unit.links_changed or (unit.is_new and unit.links.get(m2m.name))
            ]
            new_owners = {unit.instance.pk for unit in owners if unit.is_new}
            self.links_replaced += len(owners)
            replace_links(m2m, [(unit.instance.pk, unit.links[m2m.name]) for unit in owners], new_owners)
        if self.children is not None:
            self.children.write([unit for unit in units if unit.children_changed or unit.is_new])

    def link_tables(self) -> list[str]:
        return [m2m.remote_field.through._meta.db_table for m2m in self.link_fields()]

    def tables(self) -> list[str]:
        models = [self.model]
        if self.spec is not None:
            models += [self.spec.model, *(m2m.remote_field.through for m2m in self.spec.model._meta.many_to_many)]
        return [model._meta.db_table for model in models] + self.link_tables()

    def refresh_statistics(self, tables: list[str] | None = None) -> None:
        """PostgreSQL plans the chunk's key lookups from table statistics; right after a large
        import they are stale (an empty table, say) and it would scan instead of using the index."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for table in self.tables() if tables is None else tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def refresh_stale_statistics(self) -> None:
        """Before an import: ANALYZE the tables changed by more than a tenth since they last were (or
        never analyzed), the rule of autovacuum's defaults, which may be off or not there yet. The
        others are left: an ANALYZE of every table is most of a small job's time."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
                " WHERE s.relid = ANY(%s::regclass[])"
                " AND (c.reltuples < 0 OR s.n_mod_since_analyze > 50 + 0.1 * c.reltuples)",
                [self.tables()],
            )
            stale = {name for (name,) in cursor.fetchall()}
        self.refresh_statistics([table for table in self.tables() if table in stale])

    def keep_statistics_fresh(self, created: int) -> None:
        self.created_since_analyze += created
        if self.created_since_analyze >= self.analyze_after:
            self.refresh_statistics()
            self.analyze_after *= 2
            self.created_since_analyze = 0

    def leave_statistics_fresh(self) -> None:
        """After an import that grew the tables by more than a tenth since the last ANALYZE, or
        replaced that many rows' links: ANALYZE them, so the next job need not; and VACUUM the link
        tables, whose reads (an owner's links, by the owner) are answered from the index alone only
        once VACUUM has marked their pages all-visible (100k users' export: 0.70 -> 0.32 s of
        PostgreSQL's CPU). VACUUM cannot run in a transaction: inside one, nothing is done."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            if connection.pg_version >= 150000:
                # This connection's counts of its writes, reported now rather than within a second:
                # reported after the ANALYZE, they would make its tables look changed since.
                cursor.execute("SELECT pg_stat_force_next_flush()")
            cursor.execute(
                "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass", [self.model._meta.db_table]
            )
            many = 50 + 0.1 * cursor.fetchone()[0]
            if self.created_since_analyze > many:
                self.refresh_statistics([table for table in self.tables() if table not in self.link_tables()])
            if self.links_replaced > many:
                for table in self.link_tables():
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")

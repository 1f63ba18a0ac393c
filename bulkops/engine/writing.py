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
            replace_links(m2m, [(unit.instance.pk, unit.links[m2m.name]) for unit in owners], new_owners)
        if self.children is not None:
            self.children.write([unit for unit in units if unit.children_changed or unit.is_new])

    def tables(self) -> list[str]:
        models = [self.model, *(m2m.remote_field.through for m2m in self.link_fields())]
        if self.spec is not None:
            models += [self.spec.model, *(m2m.remote_field.through for m2m in self.spec.model._meta.many_to_many)]
        return [model._meta.db_table for model in models]

    def refresh_statistics(self) -> None:
        """PostgreSQL plans the chunk's key lookups from table statistics; right after a large
        import they are stale (an empty table, say) and it would scan instead of using the index."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for table in self.tables():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def keep_statistics_fresh(self, created: int) -> None:
        self.created_since_analyze += created
        if self.created_since_analyze >= self.analyze_after:
            self.refresh_statistics()
            self.analyze_after *= 2
            self.created_since_analyze = 0

"""Objects as an export writes them, read as plain values: no model instance, no signal, one query
per list or child table per chunk of objects. The export of all records and the change history's
snapshots use this; config_objects.rendering renders a model instance the same way, and a test
holds the two to the same output."""

from collections.abc import Iterator
from itertools import islice
from operator import itemgetter

from django.db import connection, connections
from django.db.models import CharField, ForeignKey, OuterRef, TextField
from django.utils.functional import cached_property

from config_objects.columns import CHILD, DELETE, LINK, OBJECT, ConfigResource
from config_objects.models.skills import LIST_SEPARATOR
from config_objects.widgets import Choice, NameList, NameRef, Text


def _by_name(names) -> list:
    return sorted(names, key=lambda name: str(name).lower())


def link_pairs(through, source: str, target: str, pks: list, name_field: str | None = None) -> list[tuple]:
    """(owner pk, target pk), or (owner pk, target's name_field) when given, for the many-to-many
    rows of these owners. On PostgreSQL with one array parameter (an IN list of thousands costs more
    to build and parse than to run), written as the array's text: psycopg's own writing of a list
    looks at each item, a fifth of the query's time."""
    if connection.vendor != "postgresql":
        wanted = f"{target}__{name_field}" if name_field else f"{target}_id"
        return list(through.objects.filter(**{f"{source}_id__in": pks}).values_list(f"{source}_id", wanted))
    quote = connection.ops.quote_name
    owner, linked = through._meta.get_field(source), through._meta.get_field(target)
    sql = f"SELECT link.{quote(owner.column)}, link.{quote(linked.column)} FROM {quote(through._meta.db_table)} link"
    if name_field:
        named = linked.remote_field.model
        sql = (
            f"SELECT link.{quote(owner.column)}, named.{quote(named._meta.get_field(name_field).column)} "
            f"FROM {quote(through._meta.db_table)} link JOIN {quote(named._meta.db_table)} named "
            f"ON named.{quote(linked.target_field.column)} = link.{quote(linked.column)}"
        )
    with connection.cursor() as cursor:
        owners = "{" + ",".join(map(str, map(int, pks))) + "}"
        cursor.execute(f"{sql} WHERE link.{quote(owner.column)} = ANY(%s::{owner.db_type(connection)}[])", [owners])
        return cursor.fetchall()


class ReferenceNames:
    """The names of the objects that rows refer to, by pk, each read once: a few sites, profiles or
    teams are named by thousands of rows, and a join per row cost an export more than its own table.
    Up to LIMIT names of a model are kept; past that they are read again."""

    LIMIT = 50_000

    def __init__(self):
        self.known = {}

    def of(self, model, field: str, pks) -> dict:
        """{pk: name} of model's objects, holding at least these pks (None, or one no longer there: "")."""
        known = self.known.setdefault((model, field), {})
        missing = set(pks).difference(known)
        if missing:
            if len(known) + len(missing) > self.LIMIT:
                known.clear()
                missing = set(pks)
            known.update(dict.fromkeys(missing, ""))
            missing.discard(None)
            known.update(model._base_manager.filter(pk__in=missing).values_list("pk", field))
        return known


class ValueRows:
    """The rows of a resource's objects from values() queries, a chunk of objects at a time."""

    def __init__(self, resource: ConfigResource):
        self.resource = resource
        self.model = resource.model
        self.columns = resource.columns()
        self.own = [c for c in self.columns if c.part == OBJECT]
        self.links = [c for c in self.columns if c.part == LINK]
        self.child_columns = [c for c in self.columns if c.part == CHILD]
        self.spec = resource.children
        self.names = ReferenceNames()

    @staticmethod
    def path(model, column) -> str:
        """The values() path of a column's value: a reference is read as the referenced name."""
        if column.exported is not None:
            return column.exported.path
        field = model._meta.get_field(column.attribute)
        if isinstance(field, ForeignKey):
            return f"{column.attribute}__{column.widget.field}"
        return column.attribute

    @staticmethod
    def cell(column, value) -> str:
        return ValueRows.renderer(column)(value)

    def lists(self, model, columns, pks) -> dict:
        """{column name: {owner pk: [names]}} for many-to-many columns of model."""
        found = {}
        for column in columns:
            m2m = model._meta.get_field(column.attribute)
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            pairs = link_pairs(through, source, target, pks)
            names = self.names.of(m2m.related_model, column.widget.field, {target for _owner, target in pairs})
            by_owner = found.setdefault(column.column_name, {})
            for owner, target in pairs:
                by_owner.setdefault(owner, []).append(names[target])
        return found

    def children(self, pks) -> dict:
        """{object pk: [{column name: cell}]} in export order."""
        spec = self.spec
        model = spec.model
        plain = [c for c in self.child_columns if not model._meta.get_field(c.attribute).many_to_many]
        many = [c for c in self.child_columns if model._meta.get_field(c.attribute).many_to_many]
        paths = {c.column_name: self.path(model, c) for c in plain}
        order_key = next((c for c in plain if c.attribute == spec.key), None)
        rows = model.objects.filter(**{f"{spec.parent}_id__in": pks}).values(
            "pk", f"{spec.parent}_id", *({"seq"} if spec.key is None else set()), *paths.values()
        )
        lists = self.lists(model, many, [row["pk"] for row in rows]) if many else {}
        found = {}
        for row in rows:
            cells = {name: self.cell(c, row[paths[name]]) for c in plain for name in [c.column_name]}
            for c in many:
                cells[c.column_name] = self.cell(c, lists[c.column_name].get(row["pk"], []))
            order = row["seq"] if spec.key is None else str(row[paths[order_key.column_name]]).lower()
            found.setdefault(row[f"{spec.parent}_id"], []).append((order, cells))
        return {pk: [cells for _, cells in sorted(items, key=lambda item: item[0])] for pk, items in found.items()}

    def rows(self, queryset) -> Iterator[tuple[int, list[list[str]]]]:
        """(pk, rows) of the queryset's objects, in its order."""
        yield from self.assemble(list(queryset.values_list("pk", *self.own_paths)))

    def in_key_order(self, size: int) -> Iterator[tuple[int, list[list[str]]]]:
        """Every object, in the Resource's export_order (its folded key, read from the key's index:
        no sort), as (objects, their rows as columns) of up to size objects at a time: one query
        streamed with the objects' lists where streams() says so, else one pass of a server-side
        cursor over the objects and a query per list or child table per chunk."""
        ordering = self.resource.export_order
        if self.streams(size):
            yield from self.streamed(self.model._default_manager.order_by(*ordering), size)
            return
        ordered = self.model._default_manager.order_by(*ordering).values_list("pk", *self.own_paths)
        batch = []
        for value in ordered.iterator(chunk_size=size):
            batch.append(value)
            if len(batch) == size:
                yield len(batch), self.export_columns(batch)
                batch = []
        if batch:
            yield len(batch), self.export_columns(batch)

    def streams(self, size: int) -> bool:
        """Whether to stream the export (streamed): on PostgreSQL, outside a transaction, objects of
        one row each, more than a chunk of them by the table's statistics. A connection of its own
        costs a few milliseconds, more than streaming a chunk or two saves (a package exports 27
        objects, most of them small)."""
        if connection.vendor != "postgresql" or connection.in_atomic_block or self.spec is not None:
            return False
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(self.model._meta.db_table)
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [table])
            found = cursor.fetchone()
        return found is not None and found[0] > size

    def streamed(self, ordered, size: int) -> Iterator[tuple[int, list[list[str]]]]:
        """in_key_order on PostgreSQL, outside a transaction: one query, each object's row with the
        target pks of each of its lists (an array subquery per list), streamed by the server as it
        reads them, size rows at a time, on a connection of its own (the job's records its progress
        between chunks). The server reads ahead, into the socket, while Python renders; a server-side
        cursor's FETCH and a query for each chunk's lists made the two wait for each other in turn."""
        from django.contrib.postgres.expressions import ArraySubquery

        arrays = {}
        for number, column in enumerate(self.links):
            m2m = self.model._meta.get_field(column.attribute)
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            links = m2m.remote_field.through.objects.filter(**{source: OuterRef("pk")})
            arrays[f"list_{number}"] = ArraySubquery(links.values(f"{target}_id"))
        query = ordered.annotate(**arrays).values_list("pk", *self.own_paths, *arrays).query
        own = 1 + len(self.own_paths)
        streaming = connections.create_connection(ordered.db)
        try:
            streaming.ensure_connection()
            compiler = query.get_compiler(connection=streaming)
            sql, params = compiler.as_sql()
            with streaming.connection.cursor() as cursor:
                rows = compiler.results_iter([cursor.stream(sql, params, size=size)], tuple_expected=True)
                while batch := list(islice(rows, size)):
                    pks = [row[0] for row in batch]
                    lists = {
                        column.column_name: self.named_lists(column, pks, [row[own + n] for row in batch])
                        for n, column in enumerate(self.links)
                    }
                    yield len(batch), self.export_columns([row[:own] for row in batch], lists)
        finally:
            streaming.close()

    def named_lists(self, column, pks: list, targets: list) -> dict:
        """{owner pk: [names]} of a list column, from each owner's target pks."""
        m2m = self.model._meta.get_field(column.attribute)
        names = self.names.of(m2m.related_model, column.widget.field, {pk for pks in targets for pk in pks})
        return {owner: [names[pk] for pk in found] for owner, found in zip(pks, targets, strict=True) if found}

    def export_columns(self, values: list[tuple], lists: dict | None = None) -> list[list[str]]:
        """The rows of these objects ((pk, *own values) tuples), as a list of columns; lists: their
        lists' names ({column name: {owner pk: [names]}}), when already read. Objects of one row are
        rendered a column at a time, each cell as assemble() renders it."""
        if self.spec is not None:
            return [
                list(column)
                for column in zip(*(cells for _pk, rows in self.assemble(values) for cells in rows), strict=True)
            ]
        pks = [value[0] for value in values]
        if lists is None:
            lists = self.lists(self.model, self.links, pks) if self.links else {}
        columns = []
        for (where, name, render), as_is in zip(self.plan, self.as_is, strict=True):
            if name:
                by_owner = lists[name]
                columns.append([render(by_owner.get(pk, ())) for pk in pks])
                continue
            column = list(map(itemgetter(where), values))
            if where in self.references:  # names, as NameRef renders them
                columns.append(list(map(self.names.of(*self.references[where], column).__getitem__, column)))
            else:
                columns.append(column if as_is else list(map(render, column)))
        return columns

    @cached_property
    def as_is(self) -> list[bool]:
        """Per column, whether its values are already its cells: text that is never null, rendered as
        itself (Text, Choice and NameRef render a str as it is)."""
        found = []
        for column in self.columns:
            plain = column.part == OBJECT and type(column.widget) in (Text, Choice, NameRef)
            field = self.model._meta.get_field(column.attribute) if plain else None
            if field is not None and field.is_relation:
                plain = not field.null
                field = field.related_model._meta.get_field(column.widget.field)
            found.append(plain and isinstance(field, (CharField, TextField)) and not field.null)
        return found

    def assemble(self, values: list[tuple]) -> Iterator[tuple[int, list[list[str]]]]:
        """(pk, rows) for each (pk, *own values) tuple."""
        values = self.named(values)
        pks = [value[0] for value in values]
        lists = self.lists(self.model, self.links, pks) if self.links else {}
        children = self.children(pks) if self.spec is not None else {}
        plan = self.plan
        for value in values:
            pk = value[0]
            own = [
                render(value[where]) if where else render(lists[name].get(pk, [])) if name else None
                for where, name, render in plan
            ]
            if self.spec is None:
                yield pk, [own]
                continue
            rows = []
            for child in children.get(pk) or [None]:
                rows.append(
                    [
                        own[index]
                        if c.part in (OBJECT, LINK)
                        else ""
                        if child is None or c.part == DELETE
                        else child[c.column_name]
                        for index, c in enumerate(self.columns)
                    ]
                )
            yield pk, rows

    def named(self, values: list[tuple]) -> list[tuple]:
        """The values with each reference's pk replaced by its name."""
        if not self.references:
            return values
        values = [list(value) for value in values]
        for where, (model, field) in self.references.items():
            names = self.names.of(model, field, [value[where] for value in values])
            for value in values:
                value[where] = names.get(value[where])
        return [tuple(value) for value in values]

    @cached_property
    def own_paths(self) -> list[str]:
        """The values() path of each own column: a reference is read as its pk (named from
        self.names), but one whose column says how it is exported."""
        return [
            field.attname if where in self.references else self.path(self.model, c)
            for where, c in enumerate(self.own, start=1)
            for field in [self.model._meta.get_field(c.attribute)]
        ]

    @cached_property
    def references(self) -> dict[int, tuple]:
        """{position in the values tuple: (referenced model, name field)} of own columns read as pks."""
        found = {}
        for where, column in enumerate(self.own, start=1):
            field = self.model._meta.get_field(column.attribute)
            if column.exported is None and isinstance(field, ForeignKey) and isinstance(column.widget, NameRef):
                found[where] = (field.related_model, column.widget.field)
        return found

    @cached_property
    def plan(self) -> list[tuple]:
        """Per column, where its cell comes from: (position in the values tuple, None, render) for
        the object's own values, (0, list name, render) for a list, (0, None, None) for a child's."""
        position = {c.column_name: index for index, c in enumerate(self.own, start=1)}
        plan = []
        for column in self.columns:
            if column.part == OBJECT:
                plan.append((position[column.column_name], None, self.renderer(column)))
            elif column.part == LINK:
                plan.append((0, column.column_name, self.renderer(column)))
            else:
                plan.append((0, None, None))
        return plan

    @staticmethod
    def renderer(column):
        if isinstance(column.widget, NameList):
            cells = {}

            def names_cell(names) -> str:
                # The same few lists come again and again (the users of a team): each joined once.
                key = tuple(names or ())
                cell = cells.get(key)
                if cell is None:
                    if len(cells) >= ReferenceNames.LIMIT:
                        cells.clear()
                    cell = cells[key] = LIST_SEPARATOR.join(_by_name(key))
                return cell

            return names_cell
        if isinstance(column.widget, NameRef):
            return lambda value: "" if value is None else str(value)
        return column.widget.render

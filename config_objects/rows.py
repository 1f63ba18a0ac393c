"""Objects as an export writes them, read as plain values: no model instance, no signal, one query
per list or child table per chunk of objects. The export of all records and the change history's
snapshots use this; config_objects.rendering renders a model instance the same way, and a test
holds the two to the same output."""

from collections.abc import Iterator

from django.db.models import ForeignKey

from config_objects.columns import CHILD, DELETE, LINK, OBJECT, ConfigResource
from config_objects.models.skills import LIST_SEPARATOR
from config_objects.widgets import NameList, NameRef


def _by_name(names) -> list:
    return sorted(names, key=lambda name: str(name).lower())


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

    @staticmethod
    def path(model, column) -> str:
        """The values() path of a column's value: a reference is read as the referenced name."""
        field = model._meta.get_field(column.attribute)
        if isinstance(field, ForeignKey):
            return f"{column.attribute}__{column.widget.field}"
        return column.attribute

    @staticmethod
    def cell(column, value) -> str:
        if isinstance(column.widget, NameList):
            return LIST_SEPARATOR.join(_by_name(value or []))
        if isinstance(column.widget, NameRef):
            return "" if value is None else str(value)
        return column.widget.render(value)

    def lists(self, model, columns, pks) -> dict:
        """{column name: {owner pk: [names]}} for many-to-many columns of model."""
        found = {}
        for column in columns:
            m2m = model._meta.get_field(column.attribute)
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            pairs = through.objects.filter(**{f"{source}_id__in": pks}).values_list(
                f"{source}_id", f"{target}__{column.widget.field}"
            )
            by_owner = found.setdefault(column.column_name, {})
            for owner, name in pairs:
                by_owner.setdefault(owner, []).append(name)
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
        paths = {c.column_name: self.path(self.model, c) for c in self.own}
        values = list(queryset.values("pk", *paths.values()))
        pks = [value["pk"] for value in values]
        lists = self.lists(self.model, self.links, pks)
        children = self.children(pks) if self.spec is not None else {}
        for value in values:
            own = {name: self.cell(c, value[paths[name]]) for c in self.own for name in [c.column_name]}
            for column in self.links:
                own[column.column_name] = self.cell(column, lists[column.column_name].get(value["pk"], []))
            if self.spec is None:
                yield value["pk"], [[own[c.column_name] for c in self.columns]]
                continue
            rows = []
            for child in children.get(value["pk"]) or [None]:
                rows.append(
                    [
                        own[c.column_name]
                        if c.part in (OBJECT, LINK)
                        else ""
                        if child is None or c.part == DELETE
                        else child[c.column_name]
                        for c in self.columns
                    ]
                )
            yield value["pk"], rows

    def in_key_order(self, size: int) -> Iterator[list[tuple[int, list[list[str]]]]]:
        """Every object, in the order of its key, as lists of (pk, rows) of up to size objects."""
        key = self.model.key_field
        ordered = self.model._default_manager.order_by(key)
        batch = []
        for pk in ordered.values_list("pk", flat=True).iterator(chunk_size=size):
            batch.append(pk)
            if len(batch) == size:
                yield list(self.rows(ordered.filter(pk__in=batch)))
                batch = []
        if batch:
            yield list(self.rows(ordered.filter(pk__in=batch)))

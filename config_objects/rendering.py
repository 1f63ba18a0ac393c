"""An object as an export writes it: its rows in the import format (one, or one per child for
objects written over several rows), with every value in the CSV spelling. The export, the change
history and a job's list of changes all show objects so, and a revert imports these rows back."""

from django.db.models import ForeignKey

from config_objects.columns import CHILD, DELETE, LINK, OBJECT, ConfigResource
from config_objects.rows import ValueRows


def export_queryset(resource: ConfigResource):
    model = resource.model
    references = [f.name for f in model._meta.concrete_fields if isinstance(f, ForeignKey)]
    prefetch = [column.attribute for column in resource.columns(LINK)]
    if resource.children is not None:
        spec = resource.children
        accessor = spec.model._meta.get_field(spec.parent).remote_field.get_accessor_name()
        prefetch.append(accessor)
        prefetch += [f"{accessor}__{f.name}" for f in spec.model._meta.concrete_fields if isinstance(f, ForeignKey)]
        prefetch += [f"{accessor}__{m2m.name}" for m2m in spec.model._meta.many_to_many]
    return model._default_manager.select_related(*references).prefetch_related(*prefetch).order_by(model.key_field)


def render_cell(column, source) -> str:
    value = column.exported.read(source) if column.exported is not None else getattr(source, column.attribute)
    if hasattr(value, "all"):
        value = sorted(value.all(), key=lambda item: str(item).lower())
    return column.widget.render(value)


def object_rows(resource: ConfigResource, obj) -> list[list[str]]:
    """An object's rows in the import format: one, or one per child for multi-row objects."""
    columns = resource.columns()
    own = {c.column_name: render_cell(c, obj) for c in columns if c.part in (OBJECT, LINK)}
    spec = resource.children
    if spec is None:
        return [[own[c.column_name] for c in columns]]
    accessor = spec.model._meta.get_field(spec.parent).remote_field.get_accessor_name()
    children = sorted(getattr(obj, accessor).all(), key=child_order(spec))
    rows = []
    for child in children or [None]:
        rows.append(
            [
                own[c.column_name]
                if c.part in (OBJECT, LINK)
                else ""
                if child is None or c.part == DELETE
                else render_cell(c, child)
                for c in columns
            ]
        )
    return rows


def child_order(spec):
    def key(child):
        value = getattr(child, spec.key or "seq")
        return str(value).lower() if spec.key else value

    return key


def kept_rows(resource: ConfigResource, obj) -> list[list[str]]:
    """The object's rows as the change history keeps them: as exported, and the first row followed
    by what a revert needs that no column holds (Resource.kept_state)."""
    rows = object_rows(resource, obj)
    rows[0] += resource.kept_state(obj)
    return rows


def snapshots(resource: ConfigResource, pks) -> dict:
    """{pk: the object's rows as kept} for the objects of these primary keys that exist."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    if type(resource).kept_state is not ConfigResource.kept_state:
        return {obj.pk: kept_rows(resource, obj) for obj in export_queryset(resource).filter(pk__in=pks)}
    return dict(ValueRows(resource).rows(resource.model._default_manager.filter(pk__in=pks)))


def column_values(resource: ConfigResource, rows) -> dict[str, str]:
    """{column: value} of an object's rows: a column of the object from its first row; a column of
    its children as each child's value, one line per child."""
    if not rows:
        return {}
    values = {}
    for index, column in enumerate(resource.columns()):
        if column.part == DELETE:
            continue
        if column.part == CHILD:
            values[column.column_name] = "\n".join(row[index] for row in rows if any(row))
        else:
            values[column.column_name] = rows[0][index]
    return values


def column_changes(resource: ConfigResource, before, after) -> list[tuple[str, str, str]]:
    """[(column, before, after)] for each column whose value differs; a new object (before None)
    lists its non-empty columns, a deleted one (after None) the columns it had."""
    old, new = column_values(resource, before), column_values(resource, after)
    names = [c.column_name for c in resource.columns() if c.part != DELETE]
    return [
        (name, old.get(name, ""), new.get(name, ""))
        for name in names
        if old.get(name, "") != new.get(name, "") and (old.get(name) or new.get(name))
    ]

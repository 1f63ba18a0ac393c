"""Objects written over several rows, one child per row: skill profiles (skills), address books
and outdial ANIs (entries, merged by name; Delete=Yes removes one) and queues (distribution groups,
replaced as a whole)."""

from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.utils.translation import gettext as _

from bulkops.engine.csvio import Row
from bulkops.engine.inserting import create_objects
from bulkops.engine.units import Unit, clean_cell, needs_columns, replace_links, validation_messages
from config_objects.columns import CHILD, DELETE, ConfigResource
from config_objects.models.fields import fold


def _plain(value):
    if isinstance(value, list):
        return tuple(sorted(item.pk for item in value))
    return getattr(value, "pk", value)


def _key(value):
    return fold(value) if isinstance(value, str) else getattr(value, "pk", value)


class Children:
    """The engine's side of a Resource's ChildRows: loading, building, validating and writing children."""

    def __init__(self, resource: ConfigResource, present: set[str]):
        self.resource = resource
        self.spec = resource.children
        self.model = self.spec.model
        self.columns = resource.columns(CHILD)
        self.delete_columns = [c for c in resource.columns(DELETE) if c.column_name in present]
        # Child columns the file leaves out: a child it updates keeps their values, a new one needs them.
        self.absent = [c for c in self.columns if c.column_name not in present]
        self.missing = [c.column_name for c in self.absent if c.required]
        self.any_present = len(self.absent) < len(self.columns)
        self.key_column = next((c for c in self.columns if c.attribute == self.spec.key), None)
        self.m2m = list(self.model._meta.many_to_many)
        self.m2m_names = {m2m.name for m2m in self.m2m}
        # Fields the child computes itself (a folded name): kept with the values it is written from.
        self.derived = [f.name for f in self.model._meta.concrete_fields if not f.editable and not f.primary_key]
        self.references = [
            f for f in self.model._meta.concrete_fields if isinstance(f, ForeignKey) and f.name != self.spec.parent
        ]

    def load(self, owner_pks: list) -> dict:
        """{owner pk: [stored children]} for one chunk's existing objects."""
        if not owner_pks:
            return {}
        queryset = self.model.objects.filter(**{f"{self.spec.parent}_id__in": owner_pks})
        found = {}
        for child in queryset.prefetch_related(*self.m2m_names):
            found.setdefault(getattr(child, f"{self.spec.parent}_id"), []).append(child)
        return found

    def values_of(self, child) -> dict:
        values = {
            c.attribute: list(getattr(child, c.attribute).all())
            if c.attribute in self.m2m_names
            else getattr(child, c.attribute)
            for c in self.columns
        }
        return values | {name: getattr(child, name) for name in self.derived}

    def signature(self, values: dict) -> tuple:
        return tuple(_plain(values[c.attribute]) for c in self.columns)

    def build(self, unit: Unit, stored: list) -> None:
        """The object's children after this file, and whether they differ from what is stored."""
        merging = self.spec.key is not None
        final = {_key(getattr(child, self.spec.key)): self.values_of(child) for child in stored} if merging else {}
        if not self.any_present:  # a file of the object's own columns only: its children stay as they are
            final = {index: self.values_of(child) for index, child in enumerate(stored)}
            unit.children, unit.children_changed = list(final.values()), False
            return
        seen: dict = {}
        for index, row in enumerate(unit.rows):
            if merging and not any(row.values.get(c.column_name, "") for c in self.columns):
                continue  # a row of the object without an entry: how an empty address book exports
            values = {c.attribute: clean_cell(unit, row, c)[0] for c in self.columns}
            deleting = any(clean_cell(unit, row, c)[0] for c in self.delete_columns)
            if row.line in unit.messages:
                continue
            key = _key(values[self.spec.key]) if merging else index
            if self.absent and not deleting:
                kept = final.get(key) if merging else None
                if kept is None and self.missing:
                    unit.fail(needs_columns(self.model._meta.verbose_name, self.missing), row.line)
                    continue
                for column in self.absent if kept is not None else ():
                    values[column.attribute] = kept[column.attribute]
            if merging and key in seen:
                shown = row.values.get(self.key_column.column_name, "")
                unit.fail(
                    _("%(column)s '%(value)s' appears on line %(line)s too")
                    % {"column": self.key_column.column_name, "value": shown, "line": seen[key]},
                    row.line,
                )
                continue
            seen[key] = row.line
            if deleting:
                final.pop(key, None)  # deleting what is not there is no change, so a re-run is safe
            elif self.validate(unit, row, values):
                final[key] = values
        unit.children = list(final.values())
        before = sorted(self.signature(self.values_of(child)) for child in stored)
        unit.children_changed = before != sorted(self.signature(values) for values in unit.children)
        if not unit.failed:
            for problem in self.resource.children_problems(unit.children):
                unit.fail(problem)

    def validate(self, unit: Unit, row: Row, values: dict) -> bool:
        child = self.model(**{k: v for k, v in values.items() if k not in self.m2m_names})
        exclude = [self.spec.parent, *(f.name for f in self.references)]
        try:
            child.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for message in validation_messages(error):
                unit.fail(message, row.line)
            return False
        missing = [f for f in self.references if not f.null and getattr(child, f.attname) is None]
        for reference in missing:
            unit.fail(reference.error_messages["null"], row.line)
        # Keep what the child's clean() made canonical (a skill value's spelling, a trimmed name).
        for field in child._meta.concrete_fields:
            if (field.name in values or field.name in self.derived) and not isinstance(field, ForeignKey):
                values[field.name] = getattr(child, field.name)
        return not missing

    def write(self, units: list[Unit]) -> None:
        """Store the children of objects whose children changed (or are new), replacing the old."""
        if not units:
            return
        parent = self.spec.parent
        self.model.objects.filter(**{f"{parent}_id__in": [u.instance.pk for u in units if not u.is_new]}).delete()
        made = [
            (
                self.model(**{parent: unit.instance}, **{k: v for k, v in values.items() if k not in self.m2m_names}),
                values,
            )
            for unit in units
            for values in unit.children
        ]
        create_objects(self.model, [child for child, _ in made])
        for m2m in self.m2m:
            replace_links(
                m2m, [(child.pk, values[m2m.name]) for child, values in made], {child.pk for child, _ in made}
            )

"""Phase 2, plan: for one chunk of units, resolve every name it references (one query per referenced
model), load the objects it names, build each unit's object in memory and validate it, and decide
its outcome: created, updated, unchanged or failed. Nothing is written here."""

from django.db import DEFAULT_DB_ALIAS
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from bulkops.engine.children import Children
from bulkops.engine.in_columns import ChunkColumns
from bulkops.engine.repeats import FirstLines
from bulkops.engine.rules import ObjectRules, new_object_values
from bulkops.engine.shape import ObjectShape
from bulkops.engine.stored import StoredRows
from bulkops.engine.units import Unit, cell_error, clean_cell, needs_columns
from config_objects.widgets import NameRef


class Planner(ObjectShape):
    def __init__(self, resource, present: set[str], children: Children | None):
        super().__init__(resource)
        self.present = present
        self.children = children
        self.first_lines = FirstLines()
        self.memos: list[dict] = []
        self.stored = StoredRows(resource, {c.attribute for c in self.present_link_columns})
        self.in_columns = ChunkColumns(self)

    def plan(self, units: list[Unit]) -> None:
        for memo in self.memos:  # references are looked up afresh for each chunk
            memo.clear()
        self.check_rows(units)
        self.prime_references(units)
        existing = self.stored.rows({unit.key for unit in units if unit.key and not unit.failed})
        pk_at = self.stored.position[self.pk_attname]
        owner_pks = [stored[pk_at] for stored in existing.values()]
        existing_links = self.stored.links(owner_pks)
        existing_children = self.children.load(owner_pks) if self.children else {}
        unchanged = self.in_columns.unchanged(units, existing, existing_links)
        new = []
        for index, (unit, same) in enumerate(zip(units, unchanged, strict=False)):  # unchanged may be endless
            stored = None if unit.failed or same else existing.get(unit.key)
            if stored is not None:
                self.build(unit, stored, existing_links, existing_children)
            elif not unit.failed and not same:
                new.append(index)
        for index in self.in_columns.build_new(units, new):
            self.build(units[index], None, existing_links, existing_children)

    def check_rows(self, units: list[Unit]) -> None:
        key_label = self.key_column.column_name
        # Objects written over several rows name themselves on each of them: no repeat to look for.
        flat = self.spec is None
        first_lines = self.first_lines([(u.key, u.rows[0].line) for u in units if u.key]) if flat else {}
        for unit in units:
            for row in unit.rows:
                if row.problem:
                    unit.fail(row.problem, row.line)
            if not unit.key:
                unit.fail(_("%(column)s is required") % {"column": key_label})
            elif self.spec is None:
                first = first_lines[unit.key]
                if first != unit.rows[0].line:
                    shown = unit.rows[0].values.get(key_label, unit.key)
                    unit.fail(
                        _("%(column)s '%(value)s' is repeated: it first appears on line %(line)s")
                        % {"column": key_label, "value": shown, "line": first}
                    )

    def prime_references(self, units: list[Unit]) -> None:
        columns = getattr(units, "columns", None)
        for column in self.resource.columns():
            if not isinstance(column.widget, NameRef) or column.column_name not in self.present:
                continue
            # A column's cells repeat a few names over and over: split each different cell once.
            if columns is not None:
                column_cells = columns[column.column_name]
                cells = {column_cells[i] for i, unit in enumerate(units) if not unit.failed}
            else:
                cells = {row.values.get(column.column_name, "") for u in units if not u.failed for row in u.rows}
            column.widget.prime({name for cell in cells for name in column.widget.names_in(cell)})

    # -- one unit ----------------------------------------------------------------------------------

    def object_value(self, unit: Unit, column):
        """A column of the object itself: read from the unit's first row; later rows may repeat it."""
        first = unit.rows[0]
        value, ok = clean_cell(unit, first, column, self.cleaners.get(column.column_name))
        if len(unit.rows) == 1:
            return value, ok
        for row in unit.rows[1:]:
            raw = row.values.get(column.column_name, "")
            if not raw or raw == first.values.get(column.column_name, ""):
                continue
            try:
                same = ok and column.widget.clean(raw) == value
            except ValueError:
                same = False
            if not same:
                unit.fail(
                    _("%(column)s '%(value)s' contradicts line %(line)s ('%(first)s')")
                    % {
                        "column": column.column_name,
                        "value": raw,
                        "line": first.line,
                        "first": first.values.get(column.column_name, ""),
                    },
                    row.line,
                )
        return value, ok

    def same_as_stored(self, unit: Unit, stored: tuple, existing_links: dict) -> bool:
        """The quick test for an unchanged one-row object: every cell it sets equals what is stored."""
        if self.children is not None or len(unit.rows) > 1:
            return False
        values = unit.rows[0].values
        try:
            for name, at, stored_form in self.compared_cells:
                if stored[at] != stored_form(values.get(name, "")):
                    return False
            pk = stored[self.stored.position[self.pk_attname]]
            for name, attribute, chosen_pks in self.compared_lists:
                if chosen_pks(values.get(name, "")) != set(existing_links.get(attribute, {}).get(pk, ())):
                    return False
        except ValueError:
            return False
        return True

    @cached_property
    def compared_cells(self) -> list[tuple]:
        """(column name, its position in a stored row, cell -> the value stored for it) of the object's
        columns the file has; a reference is stored as its target's primary key."""
        return [
            (
                c.column_name,
                self.stored.position[self.attname_of[c.attribute]],
                self.remembered(lambda cell, clean=c.widget.clean: getattr(clean(cell), "pk", None))
                if isinstance(c.widget, NameRef)
                else c.widget.clean,
            )
            for c in self.present_object_columns
        ]

    @cached_property
    def cleaners(self) -> dict:
        """{column name: clean} for the object's own references and its lists: the object (or list of
        objects) a cell names, remembered for the chunk (the widgets give the same objects for a name
        all through a chunk anyway; a list is shared, never changed)."""
        references = [c for c in self.present_object_columns if isinstance(c.widget, NameRef)]
        return {c.column_name: self.remembered(c.widget.clean) for c in [*references, *self.present_link_columns]}

    @cached_property
    def compared_lists(self) -> list[tuple]:
        """(column name, list name, cell -> the primary keys it names) of the lists the file sets."""
        return [
            (
                c.column_name,
                c.attribute,
                self.remembered(lambda cell, clean=c.widget.clean: frozenset(item.pk for item in clean(cell))),
            )
            for c in self.present_link_columns
        ]

    def remembered(self, convert):
        """convert, remembering each cell's result for the chunk: a column of references repeats a few
        cells over and over (a site, a profile, a pair of teams). A cell it refuses is not kept."""
        memo: dict = {}
        self.memos.append(memo)

        def converted(cell):
            try:
                return memo[cell]
            except KeyError:
                memo[cell] = found = convert(cell)
                return found

        return converted

    def build(self, unit: Unit, stored: tuple | None, existing_links: dict, existing_children: dict) -> None:
        if stored is not None and self.same_as_stored(unit, stored, existing_links):
            return  # unchanged: nothing to validate or write
        if stored is None and self.missing_columns:
            unit.fail(needs_columns(self.resource.title(), self.missing_columns))
            return
        unit.is_new = stored is None
        obj = self.new_instance() if stored is None else self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, stored)
        unit.instance = obj
        before = None if stored is None else {f.attname: getattr(obj, f.attname) for f in self.concrete}
        if len(unit.rows) == 1:  # most objects: each cell cleaned and set, nothing to reconcile
            row = unit.rows[0]
            values = row.values
            for name, clean, assign in self.assigned_cells:
                try:
                    assign(obj, clean(values.get(name, "")))
                except ValueError as error:
                    unit.fail(cell_error(name, error), row.line)
        else:
            for column, assign in self.assigned_columns:
                value, ok = self.object_value(unit, column)
                if ok:
                    assign(obj, value)
        obj.normalize()
        if before is not None:  # a new object is written whole
            unit.fields_changed = {f.name for f in self.concrete if getattr(obj, f.attname) != before[f.attname]}

        links = {name: existing_links.get(name, {}).get(obj.pk, []) for name in self.link_names}
        for column in self.present_link_columns:
            value, ok = self.object_value(unit, column)
            if ok and {t.pk for t in value} != set(links[column.attribute]):
                unit.links_changed = {*unit.links_changed, column.attribute}
            links[column.attribute] = value if ok else []
        unit.links = links
        if self.children is not None:
            self.children.build(unit, existing_children.get(obj.pk, []))
        if unit.failed or not unit.changed:
            return
        self.rules.validate(unit)
        if not unit.failed:
            self.rules.validate_links(unit)

    def new_instance(self):
        """A new object with its fields' defaults, as Model() makes it, given positionally (Model's quick
        path): the fixed defaults worked out once per job, a callable's (a list, say) per object."""
        values, made_per_object = self.defaults
        if made_per_object:
            values = values.copy()
            for index, field in made_per_object:
                values[index] = field.get_default()
        return self.model(*values)

    @cached_property
    def defaults(self) -> tuple[list, list]:
        fields = self.model._meta.concrete_fields
        made_per_object = [(index, f) for index, f in enumerate(fields) if f.has_default() and callable(f.default)]
        return [field.get_default() for field in fields], made_per_object

    @cached_property
    def assigned_columns(self) -> list[tuple]:
        """(column, assign(obj, value)) for the object's columns the file has."""
        return [(column, self.assigner(column.attribute)) for column in self.present_object_columns]

    @cached_property
    def assigned_cells(self) -> list[tuple]:
        """(column name, clean(cell), assign(obj, value)) for the object's columns the file has."""
        return [
            (column.column_name, self.cleaners.get(column.column_name, column.widget.clean), assign)
            for column, assign in self.assigned_columns
        ]

    @cached_property
    def missing_columns(self) -> list[str]:
        """The required columns the file leaves out: it may update objects, not create them."""
        return [c.column_name for c in self.resource.columns() if c.required and c.column_name not in self.present]

    @cached_property
    def present_object_columns(self) -> list:
        return [c for c in self.object_columns if c.column_name in self.present]

    @cached_property
    def present_link_columns(self) -> list:
        return [c for c in self.link_columns if c.column_name in self.present]

    @cached_property
    def link_names(self) -> list[str]:
        return [m2m.name for m2m in self.link_fields()]

    def assigner(self, attribute: str):
        """obj, value -> setattr, with a reference set as Django's descriptor would (its id, and the
        object kept) minus the descriptor's checks, which a resolved name of the right model always
        passes."""
        reference = self.reference_named.get(attribute)
        if reference is None:
            return lambda obj, value: setattr(obj, attribute, value)
        attname, target, keep = reference.attname, reference.target_field.attname, reference.set_cached_value

        def assign(obj, value) -> None:
            obj.__dict__[attname] = None if value is None else getattr(value, target)
            keep(obj, value)

        return assign

    @cached_property
    def rules(self) -> ObjectRules:
        return ObjectRules(self.model, self.references, new_object_values(self.model))

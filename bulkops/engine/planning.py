"""Phase 2, plan: for one chunk of units, resolve every name it references (one query per referenced
model), load the objects it names, build each unit's object in memory and validate it, and decide
its outcome: created, updated, unchanged or failed. Nothing is written here."""

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from bulkops.engine.children import Children
from bulkops.engine.repeats import FirstLines
from bulkops.engine.rules import ObjectRules
from bulkops.engine.shape import ObjectShape
from bulkops.engine.units import Unit, cell_error, clean_cell, needs_columns
from config_objects.rows import link_pairs
from config_objects.widgets import NameRef

# Joins a chunk's keys into one text for the database to split: a control character (a chunk with a key
# that holds it sends an array instead).
KEY_SEPARATOR = "\x1f"


class Planner(ObjectShape):
    def __init__(self, resource, present: set[str], children: Children | None):
        super().__init__(resource)
        self.present = present
        self.children = children
        self.first_lines = FirstLines()
        self.memos: list[dict] = []

    def plan(self, units: list[Unit]) -> None:
        for memo in self.memos:  # references are looked up afresh for each chunk
            memo.clear()
        self.check_rows(units)
        self.prime_references(units)
        existing = self.load_existing(units)
        pk_at = self.position[self.pk_attname]
        owner_pks = [stored[pk_at] for stored in existing.values()]
        existing_links = self.load_links(owner_pks)
        existing_children = self.children.load(owner_pks) if self.children else {}
        for unit in units:
            if not unit.failed:
                self.build(unit, existing.get(unit.key), existing_links, existing_children)

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
        for column in self.resource.columns():
            if not isinstance(column.widget, NameRef) or column.column_name not in self.present:
                continue
            # A column's cells repeat a few names over and over: split each different cell once.
            cells = {row.values.get(column.column_name, "") for unit in units if not unit.failed for row in unit.rows}
            column.widget.prime({name for cell in cells for name in column.widget.names_in(cell)})

    def load_existing(self, units: list[Unit]) -> dict:
        """{key: the stored row as a tuple of self.attnames' values}. Plain values, not model
        instances: most rows of a re-import are unchanged and never need one."""
        keys = {unit.key for unit in units if unit.key and not unit.failed}
        if not keys:
            return {}
        key_at = self.position["match_key"]
        if connection.vendor != "postgresql":
            queryset = self.model._default_manager.filter(match_key__in=keys)
            return {stored[key_at]: stored for stored in queryset.values_list(*self.attnames)}
        # The keys go as one text split by the server, not as an array of thousands of values (psycopg
        # dumps an array value by value): the statement is the same for every chunk, half the time.
        joined = KEY_SEPARATOR.join(keys)
        if joined.count(KEY_SEPARATOR) == len(keys) - 1:
            keys_sql, parameter = f"string_to_array(%s, chr({ord(KEY_SEPARATOR)}))", joined
        else:  # a key holding the separator itself
            keys_sql, parameter = "%s", list(keys)
        with connection.cursor() as cursor:
            cursor.execute(self.existing_sql.format(keys=keys_sql), [parameter])
            stored_rows = cursor.fetchall()
        if self.converters:
            stored_rows = map(self.convert, stored_rows)
        return {stored[key_at]: stored for stored in stored_rows}

    @cached_property
    def position(self) -> dict[str, int]:
        """Where each attname's value is in a stored row."""
        return {name: index for index, name in enumerate(self.attnames)}

    @cached_property
    def existing_sql(self) -> str:
        """The lookup of stored rows by key; {keys} stands for the array of keys."""
        quote = connection.ops.quote_name
        columns = ", ".join(quote(self.model._meta.get_field(name).column) for name in self.attnames)
        table, key = quote(self.model._meta.db_table), quote(self.model._meta.get_field("match_key").column)
        return f"SELECT {columns} FROM {table} WHERE {key} = ANY({{keys}})"

    @cached_property
    def converters(self) -> list:
        """Each column's conversion from what the database sends, where its field has one (JSON)."""
        fields = [self.model._meta.get_field(name) for name in self.attnames]
        return [(index, field) for index, field in enumerate(fields) if hasattr(field, "from_db_value")]

    def convert(self, row: tuple) -> tuple:
        row = list(row)
        for index, field in self.converters:
            row[index] = field.from_db_value(row[index], None, connection)
        return tuple(row)

    def load_links(self, owner_pks: list) -> dict:
        """{list name: {owner pk: stored list}} for the chunk's existing objects: target pks for the
        lists the file sets (only compared), target objects for the others (rules look at them)."""
        found = {}
        if not owner_pks:
            return found
        set_by_file = {c.attribute for c in self.present_link_columns}
        for m2m in self.link_fields():
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            links = found.setdefault(m2m.name, {})
            if m2m.name in set_by_file:
                for owner, target_pk in link_pairs(through, source, target, owner_pks):
                    links.setdefault(owner, []).append(target_pk)
            else:
                rows = through.objects.filter(**{f"{source}_id__in": owner_pks})
                for link in rows.select_related(target):
                    links.setdefault(getattr(link, f"{source}_id"), []).append(getattr(link, target))
        return found

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
            pk = stored[self.position[self.pk_attname]]
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
                self.position[self.attname_of[c.attribute]],
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
        """A new object with its fields' defaults, as Model() makes it, but copied from one made
        once: Model.__init__ looks at every field for every row."""
        blank, fresh_defaults = self.blank_instance
        if blank is None:
            return self.model()
        obj = self.model.__new__(self.model)
        obj.__dict__.update(blank)
        obj._state = ModelState()
        for field in fresh_defaults:  # a default made by a callable (a list, say) is made per object
            obj.__dict__[field.attname] = field.get_default()
        return obj

    @cached_property
    def blank_instance(self) -> tuple[dict | None, list]:
        if post_init.has_listeners(self.model) or pre_init.has_listeners(self.model):
            return None, []
        blank = dict(self.model().__dict__)
        del blank["_state"]
        return blank, [f for f in self.model._meta.concrete_fields if f.has_default() and callable(f.default)]

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
        return ObjectRules(self.model, self.references, self.blank_instance[0])

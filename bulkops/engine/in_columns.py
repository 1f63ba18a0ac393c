"""A chunk of one-row objects read a column at a time (reading.flat_chunk) is planned a column at a
time too: its unchanged rows found by comparing each column with the stored rows, its new objects
made from columns of cleaned values and their fields tested a column at a time (rules.validate_new).
A cell its widget refuses sends its row to the planner's row-by-row build, which says why; a value a
column's test is not sure of goes through the model's full_clean. So the outcomes and messages are
those of the row-by-row path, which a chunk read row by row takes."""

import datetime
from decimal import Decimal
from itertools import repeat, starmap

from django.db.models import Model
from django.utils.functional import cached_property

from bulkops.engine.units import Unit
from config_objects.widgets import Text

REFUSED = object()  # what a cell the widget refuses is compared as: equal to nothing stored
# What a cell's value may be to be shared by every object whose cell reads the same (never changed in place).
SHAREABLE = (str, int, float, bool, Decimal, datetime.date, datetime.time, type(None), Model)


def quietly(convert, cell):
    """convert(cell), or REFUSED where it raises ValueError (the row-by-row build says why)."""
    try:
        return convert(cell)
    except ValueError:
        return REFUSED


class ChunkColumns:
    def __init__(self, planner):
        self.planner = planner

    def unchanged(self, units: list[Unit], existing: dict, existing_links: dict):
        """For each unit, whether it is unchanged, found a column at a time (the planner's same_as_stored
        over the chunk's columns, a column's cells compared with the stored values in one pass); all
        False for a chunk not read as columns, whose units the planner tests one by one."""
        planner = self.planner
        columns = getattr(units, "columns", None)
        if columns is None or planner.children is not None:
            return repeat(False)
        stored = [None if unit.failed else existing.get(unit.key) for unit in units]
        alive = [index for index, row in enumerate(stored) if row is not None]
        as_read = self.stored_as_read.difference(units.spaced)
        for name, at, stored_form in planner.compared_cells:
            cells = columns[name]
            if name in as_read:
                alive = [i for i in alive if stored[i][at] == cells[i]]
            else:  # each different cell converted once: a column of references repeats a few
                forms = {cell: quietly(stored_form, cell) for cell in {cells[i] for i in alive}}
                alive = [i for i in alive if stored[i][at] == forms[cells[i]]]
        pk_at = planner.stored.position[planner.pk_attname]
        for name, attribute, chosen_pks in planner.compared_lists:
            cells, stored_lists = columns[name], existing_links.get(attribute, {})
            chosen = {cell: quietly(chosen_pks, cell) for cell in {cells[i] for i in alive}}
            alive = [i for i in alive if chosen[cells[i]] == set(stored_lists.get(stored[i][pk_at], ()))]
        unchanged = [False] * len(units)
        for index in alive:
            unchanged[index] = True
        return unchanged

    def build_new(self, units: list[Unit], indexes: list[int]) -> list[int]:
        """Make and validate the new objects of units[i] for each i of indexes; the indexes it leaves
        to the planner's build (all of them for a chunk not read as columns): a row with a cell its
        widget refuses, or every row when the file lacks a column a new object needs."""
        planner = self.planner
        columns = getattr(units, "columns", None)
        if columns is None or planner.children is not None or planner.missing_columns or not indexes:
            return indexes
        refused, as_read = set(), self.stored_as_read.difference(units.spaced)
        by_attname = {}  # the objects' values of each field the file sets
        kept = []  # (keep, the object each unit names): a reference is set with its object at hand
        for column in planner.present_object_columns:
            values = self.cleaned(column, [columns[column.column_name][i] for i in indexes], refused, as_read)
            reference = planner.reference_named.get(column.attribute)
            if reference is not None:
                kept.append((reference.set_cached_value, values))
                target = reference.target_field.attname
                values = [None if value is None or value is REFUSED else getattr(value, target) for value in values]
            by_attname[planner.attname_of[column.attribute]] = values
        lists = [
            (
                column.attribute,
                self.cleaned(column, [columns[column.column_name][i] for i in indexes], refused, as_read),
            )
            for column in planner.present_link_columns
        ]
        if refused:  # those rows are built one by one, which says why

            def kept_only(values: list) -> list:
                return [value for number, value in enumerate(values) if number not in refused]

            kept = [(keep, kept_only(values)) for keep, values in kept]
            lists = [(attribute, kept_only(values)) for attribute, values in lists]
            by_attname = {attname: kept_only(values) for attname, values in by_attname.items()}
        normalized = planner.model.normalize_columns(by_attname)
        built = [units[index] for number, index in enumerate(indexes) if number not in refused]
        for unit, obj in zip(built, self.new_objects(by_attname, len(built)), strict=True):
            unit.is_new = True
            unit.instance = obj
        for keep, targets in kept:
            for unit, target in zip(built, targets, strict=True):
                keep(unit.instance, target)
        if not normalized:
            for unit in built:
                unit.instance.normalize()
        for unit in built:
            unit.links = {name: [] for name in planner.link_names}
        for attribute, chosen in lists:
            for unit, items in zip(built, chosen, strict=True):
                unit.links[attribute] = items
                if items:
                    unit.links_changed = {*unit.links_changed, attribute}
        planner.rules.validate_new(built)
        for unit in built:
            if not unit.failed:
                planner.rules.validate_links(unit)
        return [index for number, index in enumerate(indexes) if number in refused]

    def new_objects(self, by_attname: dict, count: int):
        """count new objects, Model(*values) each: a field's value from by_attname, else its default."""
        planner = self.planner
        fixed, made_per_object = planner.defaults
        per_object = dict(made_per_object)
        arguments = []
        for at, attname in enumerate(planner.attnames):
            if attname in by_attname:
                arguments.append(by_attname[attname])
            elif at in per_object:  # a callable default (a list, say): one value for each object
                arguments.append([per_object[at].get_default() for _ in range(count)])
            else:
                arguments.append(repeat(fixed[at], count))
        return starmap(planner.model, zip(*arguments, strict=True))

    def cleaned(self, column, cells: list[str], refused: set, as_read: set[str]) -> list:
        """The column's values for these cells, as its widget cleans them; the number of each cell it
        refuses is added to refused. The cells of a column of as_read are its values as read."""
        name = column.column_name
        if name in as_read:
            return cells
        # A column repeats a few cells: each different one cleaned once, its value shared by the objects
        # whose cell reads the same when that value is never changed in place (the planner's cleaners of
        # references and lists give shared values anyway).
        remembered = self.planner.cleaners.get(name)
        clean = remembered or column.widget.clean
        forms = {cell: quietly(clean, cell) for cell in set(cells)}
        if remembered or all(isinstance(form, SHAREABLE) or form is REFUSED for form in forms.values()):
            values = [forms[cell] for cell in cells]
        else:
            values = [quietly(clean, cell) for cell in cells]
        refused.update(number for number, value in enumerate(values) if value is REFUSED)
        return values

    @cached_property
    def stored_as_read(self) -> set[str]:
        """The text columns whose cells, as the reader gives them (stripped), are what their widget
        would make of them (Text.clean strips): taken as they are, unless a cell starts with a space
        the reader kept (a neutralised tab or carriage return, "'\\tabc", which clean strips)."""
        return {
            c.column_name
            for c in self.planner.present_object_columns
            if type(c.widget).clean is Text.clean and not getattr(c, "keeps_spaces", False)
        }

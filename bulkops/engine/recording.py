"""What a chunk changed, recorded in the chunk's transaction: for the job, each object it created or
updated with its rows before and after (as an export writes them); for the objects' history, a
historical record per change, written in bulk and stamped with the job."""

from dataclasses import dataclass
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import FileField
from django.utils import timezone
from django.utils.functional import cached_property

from bulkops.engine.inserting import insert_rows
from bulkops.engine.units import Unit
from config_objects.columns import LINK, ConfigResource
from config_objects.history import history_model
from config_objects.rendering import kept_rows, render_cell, snapshots

CREATED, UPDATED, DELETED = "created", "updated", "deleted"


@dataclass
class Change:
    object_pk: int | None
    name: str
    action: str
    before: list | None
    after: list | None


ACTIONS = {"+": CREATED, "~": UPDATED, "-": DELETED}


def column_cells(model, column):
    """(units, their instances) -> a column's cells as render_cell writes them: a list from the unit's
    links, a value of one object straight from its attribute (the related object, for a reference)."""
    render = column.widget.render
    if column.part == LINK:
        return lambda units, _instances: [
            render(sorted(unit.links.get(column.attribute, []), key=lambda item: str(item).lower())) for unit in units
        ]
    try:
        field = model._meta.get_field(column.attribute)
        single = not (field.many_to_many or field.one_to_many)
    except FieldDoesNotExist:
        single = False
    if not single:
        return lambda _units, instances: [render_cell(column, instance) for instance in instances]
    value = attrgetter(column.attribute)
    return lambda _units, instances: list(map(render, map(value, instances)))


class ChangeRecorder:
    def __init__(self, resource, *, job_id: int | None = None, user_id: int | None = None, preview: bool = False):
        self.resource = resource
        self.job_id = job_id
        self.user_id = user_id
        self.preview = preview  # Validate only: its chunks are rolled back, historical records with them
        self.rows_before: dict = {}
        self.others: set = set()

    def before(self, units: list[Unit]) -> None:
        """Before the chunk is written: the rows of the objects it is about to update, and of the
        others its objects may change too (a default moved from one auxiliary code to another)."""
        if not settings.BULK_HISTORY:
            return
        own = {unit.instance.pk for unit in units if not unit.is_new}
        self.others = {pk for unit in units for pk in unit.instance.may_change_others()} - own
        self.rows_before = snapshots(self.resource, own | self.others)

    def after(self, units: list[Unit]) -> list[Change]:
        """After the chunk is written: its historical records, and its changes if the job lists them
        apart from its records (lists_changes)."""
        if not settings.BULK_HISTORY:
            return []
        written = [unit for unit in units if not unit.failed and unit.changed]
        # An object of one row is rendered from what was just written; others are read back.
        in_memory = self.resource.children is None and not self.resource.sequential
        read_back = [] if in_memory else [unit.instance.pk for unit in written]
        rows_after = snapshots(self.resource, read_back + list(self.others))
        # Changes to other objects happen as part of a save, so they are recorded first: a revert
        # undoes the save before them.
        rows_before = self.rows_before
        changed_too = [pk for pk in self.others if rows_after.get(pk) != rows_before.get(pk)]
        made = [
            (other, "~", rows_before.get(other.pk), rows_after.get(other.pk))
            for other in (self.resource.model._default_manager.filter(pk__in=changed_too) if changed_too else ())
        ]
        if in_memory:
            self.render_ahead(written)
            after_of_written = [unit.rendered for unit in written]
        else:
            after_of_written = [rows_after.get(pk) for pk in read_back]
        made += [
            (unit.instance, "+", None, after)
            if unit.is_new
            else (unit.instance, "~", rows_before.get(unit.instance.pk), after)
            for unit, after in zip(written, after_of_written, strict=True)
        ]
        tracked_values = self.tracked_values
        self.write_history([(tracked_values(instance), kind, before, after) for instance, kind, before, after in made])
        if not self.lists_changes:
            return []
        return [
            Change(instance.pk, str(instance), ACTIONS[kind], before, after) for instance, kind, before, after in made
        ]

    def render_ahead(self, units: list[Unit]) -> None:
        """The rows after the change of the chunk's one-row objects, rendered from what was planned:
        called as soon as a chunk is planned, in the job's thread, so that the thread writing the chunk
        before it only writes (the rows are the same before and after the write: no column is numbered
        by the database). A unit the write refuses keeps rows nobody reads."""
        if not settings.BULK_HISTORY or self.resource.children is not None or self.resource.sequential:
            return
        pending = [unit for unit in units if unit.rendered is None and not unit.failed and unit.changed]
        for unit, rows in zip(pending, self.rendered(pending), strict=True):
            unit.rendered = rows

    @cached_property
    def lists_changes(self) -> bool:
        """Whether the job's changes are listed apart (JobChange rows): not when its historical records
        hold them, as they do for a real job on an object with history (bulkops.changes)."""
        return self.historical is None or self.preview

    def rendered(self, units: list[Unit]) -> list[list[list[str]]]:
        """One-row objects' rows as an export would write them, from the units just written, rendered
        a column at a time (each cell as render_cell would)."""
        instances = [unit.instance for unit in units]
        columns = [cells(units, instances) for cells in self.column_cells]
        if type(self.resource).kept_state is ConfigResource.kept_state:
            return [[list(row)] for row in zip(*columns, strict=True)]
        kept_state = self.resource.kept_state
        return [
            [[*row, *kept_state(instance)]] for row, instance in zip(zip(*columns, strict=True), instances, strict=True)
        ]

    @cached_property
    def column_cells(self) -> list:
        """Per column, (units, their instances) -> the column's cells."""
        return [column_cells(self.resource.model, column) for column in self.resource.columns()]

    @cached_property
    def historical(self):
        return history_model(self.resource.model)

    @cached_property
    def tracked(self) -> list[str]:
        """The attnames of the fields a historical record keeps of its object."""
        return [field.attname for field in self.historical.tracked_fields] if self.historical else []

    @cached_property
    def tracked_values(self):
        """instance -> its tracked values, as a tuple (attrgetter builds it in C). A file is kept by its
        name (history holds it as text)."""
        if len(self.tracked) < 2:  # attrgetter returns a tuple only for two or more
            values = lambda instance: tuple(getattr(instance, attname) for attname in self.tracked)  # noqa: E731
        else:
            values = attrgetter(*self.tracked)
        fields = self.resource.model._meta
        files = [index for index, name in enumerate(self.tracked) if isinstance(fields.get_field(name), FileField)]
        if not files:
            return values

        def with_file_names(instance):
            found = list(values(instance))
            for index in files:
                found[index] = str(found[index])  # FieldFile: its name, or "" for none
            return tuple(found)

        return with_file_names

    def tracked_rows(self, pks) -> dict:
        """{pk: the tracked values} of these objects, read from the database."""
        found = self.resource.model._default_manager.filter(pk__in=pks).values_list("pk", *self.tracked)
        return {values[0]: values[1:] for values in found}

    def write_history(self, entries: list) -> None:
        """Historical records, one per entry: (tracked values, type '+', '~' or '-', rows before,
        rows): rows after the change, or as deleted; rows before for a job's update."""
        if self.historical is None or not entries or self.preview:
            return
        stamp = ["history_date", "history_type", "history_user_id", "job_id", "rows_before", "rows"]
        when, user_id, job_id = timezone.now(), self.user_id, self.job_id
        insert_rows(
            self.historical,
            self.tracked + stamp,
            [
                (*values, when, kind, user_id, job_id, before if job_id else None, rows)
                for values, kind, before, rows in entries
            ],
        )

    def one(self, instance, *, created: bool, before, saved: bool = True) -> Change:
        """The change of an object written on its own (an audio file); its history if it was saved."""
        after = kept_rows(self.resource, instance)
        if saved:
            self.write_history([(self.tracked_values(instance), "+" if created else "~", before, after)])
        return Change(instance.pk if saved else None, str(instance), CREATED if created else UPDATED, before, after)

"""The pieces the import engine and its child-row handling share: a unit of rows (one object),
a chunk's result, and small helpers over cells and many-to-many rows."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.engine.csvio import Row
from bulkops.engine.inserting import insert_rows

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


class Nothing(Mapping):
    """An empty mapping no unit can change, kept by most units: hashable, so a field's default
    (a default_factory would be a call for each of a file's units)."""

    __slots__ = ()
    __hash__ = object.__hash__

    def __getitem__(self, key):
        raise KeyError(key)

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0


NOTHING = Nothing()


@dataclass(slots=True)
class Unit:
    """One object's rows, and what importing them would do. Most units of a large file are unchanged
    and never fail: their empty collections are shared ones, replaced when there is something to hold."""

    key: str
    rows: list[Row]
    messages: Mapping[int, list[str]] = NOTHING
    instance: object = None
    is_new: bool = False
    fields_changed: frozenset | set = frozenset()
    links: Mapping = NOTHING
    links_changed: frozenset | set = frozenset()
    children: list | None = None
    children_changed: bool = False
    outcome: str = ""
    rendered: list | None = None  # the object's rows after the change, as its history keeps them
    failed: bool = False  # whether it has messages: asked of every unit in every phase

    def fail(self, message: str, line: int | None = None) -> None:
        if self.messages is NOTHING:
            self.messages = {}
        self.messages.setdefault(line or self.rows[0].line, []).append(str(message))  # a lazy text, translated now
        self.failed = True

    @property
    def changed(self) -> bool:
        return self.is_new or bool(self.fields_changed or self.links_changed or self.children_changed)


class Chunk(list):
    """A chunk's units, in the file's order. When its objects are one row each and were read a column at
    a time, `columns` holds each of the file's columns as the rows' values hold them ({column name: its
    cells in the units' order}), for the planner to compare a column at a time, and `spaced` names
    the stripped ones with a cell that starts with a tab or a carriage return (one written
    neutralised, after an apostrophe, which stripping kept)."""

    columns: dict[str, list[str]] | None = None
    spaced: frozenset[str] = frozenset()


@dataclass
class ChunkResult:
    rows: int = 0
    objects: int = 0
    counts: dict = field(default_factory=lambda: {CREATED: 0, UPDATED: 0, UNCHANGED: 0, FAILED: 0})
    errors: list = field(default_factory=list)  # (line, cells, message)
    changes: list = field(default_factory=list)  # recording.Change, one per object written
    failed_keys: list = field(default_factory=list)  # the keys of the objects that failed


def validation_messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [message for messages in error.message_dict.values() for message in messages]


def clean_cell(unit: Unit, row: Row, column, clean=None):
    """(value, True), or (None, False) after recording the column's error on the unit. clean: the
    column's widget's clean, or one that gives the same values."""
    try:
        return (clean or column.widget.clean)(row.values.get(column.column_name, "")), True
    except ValueError as error:
        unit.fail(cell_error(column.column_name, error), row.line)
        return None, False


def cell_error(column_name: str, error: ValueError) -> str:
    """A cell's message: its column's name, then what the widget said of the value."""
    return _("%(column)s %(error)s") % {"column": column_name, "error": error}


def replace_links(m2m, owner_targets: list, new_owners: set = frozenset()) -> None:
    """Make each owner's many-to-many rows exactly its targets: [(owner pk, [target, ...]), ...].
    Owners in new_owners were created in this transaction: they have no rows to remove."""
    if not owner_targets:
        return
    through = m2m.remote_field.through
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    existing = [pk for pk, _ in owner_targets if pk not in new_owners]
    if existing:
        through.objects.filter(**{f"{source}_id__in": existing}).delete()
    links = [(pk, item.pk) for pk, items in owner_targets for item in items]
    insert_rows(through, [f"{source}_id", f"{target}_id"], links, written_here={f"{source}_id": new_owners})


def needs_columns(noun: str, columns: list[str]) -> str:
    """The message of a row that would create something the file lacks columns for."""
    listed = ", ".join(f"'{name}'" for name in columns)
    return ngettext(
        "A new %(object)s needs the column %(columns)s",
        "A new %(object)s needs the columns %(columns)s",
        len(columns),
    ) % {"object": noun, "columns": listed}

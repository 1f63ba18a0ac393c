"""Phase 1, read: the file as rows. The header is matched to the Resource's columns, every row
becomes a Row of named values, and rows are grouped into units (one object each) and chunks."""

from itertools import islice, repeat

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.engine.cells import ERROR_COLUMN, NUL_SHOWN, shown, starts_with_any, unneutralise
from bulkops.engine.csvio import CsvRecords, FileProblem, Record, Row, normalise_column, open_records
from bulkops.engine.shape import ObjectShape
from bulkops.engine.units import Chunk, Unit
from bulkops.engine.xlsxio import is_workbook, open_sheet_records
from config_objects.models.fields import fold, folds

UNKNOWN_LISTED = 10  # unknown columns named in the message; a header of thousands says how many more


class FileReader(ObjectShape):
    def __init__(self, resource):
        super().__init__(resource)
        self.chunk_rows = 1 if resource.sequential else settings.BULK_CHUNK_ROWS
        self.mapping: list = []
        self.nameless: set[int] = set()
        self.present: set[str] = set()
        self.sheet: str | None = None  # a workbook's sheet to read (a package's); its first if None

    def known_columns(self) -> list[str]:
        return [f.column_name for f in self.resource.columns()]

    def map_header(self, header: list[str]) -> None:
        """Match the header to the resource's columns, or raise FileProblem saying what is wrong."""
        by_name = {normalise_column(f.column_name): f for f in self.resource.columns()}
        error_column = normalise_column(ERROR_COLUMN)
        positions, unknown, unknown_count = {}, [], 0
        self.mapping = []
        for index, cell in enumerate(header):
            if "\x00" in cell:
                raise FileProblem(
                    _(
                        "Column %(number)s of the header contains a NUL character: this does not look like a CSV "
                        "text file. Save it from the spreadsheet as CSV UTF-8 and import that."
                    )
                    % {"number": index + 1}
                )
            name = normalise_column(cell)
            found = by_name.get(name)
            if not name:
                self.nameless.add(index)
            elif found is None and name != error_column:
                unknown_count += 1
                if len(unknown) < UNKNOWN_LISTED:
                    unknown.append(shown(cell.strip()))
            elif found is not None and found.column_name in positions:
                raise FileProblem(
                    _("Column '%(column)s' appears twice (columns %(first)s and %(second)s).")
                    % {"column": found.column_name, "first": positions[found.column_name] + 1, "second": index + 1}
                )
            elif found is not None:
                positions[found.column_name] = index
            self.mapping.append(found)
        label = self.resource.title()
        expected = ", ".join(self.known_columns())
        if unknown:
            listed = ", ".join(f"'{name}'" for name in unknown)
            if unknown_count > len(unknown):
                listed = _("%(listed)s and %(count)s more") % {
                    "listed": listed,
                    "count": number_format(unknown_count - len(unknown), force_grouping=True),
                }
            raise FileProblem(
                ngettext(
                    "Unknown column %(listed)s. The columns of %(object)s are: %(expected)s.",
                    "Unknown columns %(listed)s. The columns of %(object)s are: %(expected)s.",
                    unknown_count,
                )
                % {"listed": listed, "object": label, "expected": expected}
            )
        # Only the key is needed: another required column left out leaves the stored values as they are,
        # and a row that would create an object without it fails, naming it (the planner does).
        if self.key_column.column_name not in positions:
            raise FileProblem(
                ngettext(
                    "Missing column %(listed)s. The columns of %(object)s are: %(expected)s.",
                    "Missing columns %(listed)s. The columns of %(object)s are: %(expected)s.",
                    1,
                )
                % {"listed": f"'{self.key_column.column_name}'", "object": label, "expected": expected}
            )
        self.present = {f.column_name for f in self.mapping if f is not None}
        self.column_names = [f.column_name if f is not None else None for f in self.mapping]
        # Columns whose widget keeps surrounding spaces (a set of characters, where a space is one).
        self.kept_as_written = [
            (f.column_name, index) for index, f in enumerate(self.mapping) if getattr(f, "keeps_spaces", False)
        ]
        self.key_index = self.mapping.index(self.key_column)

    def make_row(self, record: Record) -> Row:
        cells = record.cells
        joined = "".join(cells)
        if len(cells) == len(self.mapping) and not self.nameless and "\x00" not in joined:
            # The usual row: every cell under a known column (or an ignored one: None), no NUL.
            values = dict(zip(self.column_names, map(str.strip, cells), strict=True))
            values.pop(None, None)
            for name, index in self.kept_as_written:
                values[name] = cells[index]
            if "'" in joined:
                values = {name: unneutralise(cell) if cell.startswith("'") else cell for name, cell in values.items()}
            return Row(record.line, cells, values, problem=record.problem)
        row = Row(record.line, cells, problem=record.problem)
        if len(cells) != len(self.mapping):
            row.problem = row.problem or cell_count_problem(len(cells), len(self.mapping))
        values = row.values
        for index, (column, cell) in enumerate(zip(self.mapping, cells, strict=False)):
            if "\x00" in cell:
                named = column.column_name if column is not None else _("Column %(number)s") % {"number": index + 1}
                row.problem = row.problem or (
                    _(
                        "%(column)s contains a NUL character (shown as %(shown)s in the error file), which no value "
                        "may hold; remove it"
                    )
                    % {"column": named, "shown": NUL_SHOWN}
                )
            if column is not None:
                cell = cell if getattr(column, "keeps_spaces", False) else cell.strip()
                values[column.column_name] = unneutralise(cell) if cell.startswith("'") else cell
            elif index in self.nameless and cell.strip():
                row.problem = row.problem or (
                    _("Row has a value in column %(number)s, which has no header") % {"number": index + 1}
                )
        return row

    def flat_chunk(self, records: list[Record]) -> Chunk:
        """A chunk of one-row objects, read a column at a time: each column's cells stripped (or kept as
        written) and unneutralised, and the keys folded, in one pass over the column. A chunk with a row
        that is not the usual one (a cell count that differs from the header's, a NUL, a value under
        no header, a broken quote) is read row by row instead."""
        lines, cell_lists, problems = zip(*records, strict=True)
        width = len(self.mapping)
        usual = (
            not self.nameless
            and not any(problems)
            and all(map(width.__eq__, map(len, cell_lists)))
            and "\x00" not in "".join(map("".join, cell_lists))
        )
        if not usual:
            return Chunk(Unit(self.key_of(record.cells), [self.make_row(record)]) for record in records)
        by_position = list(zip(*cell_lists, strict=True))
        columns, spaced = {}, set()
        for index, column in enumerate(self.mapping):
            if column is None:
                continue
            cells = by_position[index]
            if not getattr(column, "keeps_spaces", False):
                cells = list(map(str.strip, cells))
            if starts_with_any(cells, "'"):
                cells = [unneutralise(cell) if cell.startswith("'") else cell for cell in cells]
                if starts_with_any(cells, "\t\r"):  # a neutralised tab or CR: the others were stripped
                    spaced.add(column.column_name)
            columns[column.column_name] = cells
        names = list(columns)
        values = map(dict, map(zip, repeat(names), zip(*columns.values(), strict=True)))
        rows = map(Row, lines, cell_lists, values)
        keys = folds(map(unneutralise, by_position[self.key_index]))
        chunk = Chunk(map(Unit, keys, map(list, zip(rows))))
        chunk.columns, chunk.spaced = columns, frozenset(spaced)
        return chunk

    def key_of(self, cells: list[str]) -> str:
        index = self.key_index
        return fold(unneutralise(cells[index])) if index < len(cells) else ""

    def open(self, binary, encoding: str):
        """(header, delimiter, records) of a CSV, or of a workbook's first sheet (its error file a CSV)."""
        if is_workbook(binary):
            return open_sheet_records(binary, self.sheet)
        return open_records(binary, encoding, self.known_columns())

    def scan(self, binary, encoding: str) -> tuple[list[str], str, int, dict[str, int]]:
        """First pass: (header, delimiter, row count, last line of each multi-row object)."""
        header, delimiter, records = self.open(binary, encoding)
        self.map_header(header)
        total, last_lines, limit = 0, {}, settings.BULK_MAX_ROWS
        if self.spec is None and isinstance(records, CsvRecords):  # one row, one object: only counted
            total = records.count(stop_after=limit)
        else:
            for line, cells, _problem in records:
                total += 1
                if total > limit:
                    break
                if self.spec is not None:
                    last_lines[self.key_of(cells)] = line
        if total > limit:
            raise FileProblem(
                _("The file has more than %(limit)s rows, the limit for one import.")
                % {"limit": number_format(limit, force_grouping=True)}
            )
        return header, delimiter, total, last_lines

    def chunks(self, binary, encoding: str, last_lines: dict[str, int]):
        """Second pass: lists of units holding about chunk_rows rows."""
        _header, _delimiter, records = self.open(binary, encoding)
        if self.spec is None:  # one row, one object
            while batch := list(islice(records, self.chunk_rows)):
                yield self.flat_chunk(batch)
            return
        pending: dict[str, Unit] = {}
        chunk, size = [], 0
        for record in records:
            row = self.make_row(record)
            line, key = record.line, self.key_of(record.cells)
            if key:
                unit = pending.setdefault(key, Unit(key, []))
                unit.rows.append(row)
                if last_lines.get(key) != line:
                    continue
                del pending[key]
            else:
                unit = Unit(key, [row])
            chunk.append(unit)
            size += len(unit.rows)
            if size >= self.chunk_rows:
                yield chunk
                chunk, size = [], 0
        chunk.extend(pending.values())
        if chunk:
            yield chunk


def cell_count_problem(cells: int, columns: int) -> str:
    cells_text = ngettext("Row has %(count)s cell", "Row has %(count)s cells", cells) % {"count": cells}
    return ngettext(
        "%(cells)s but the header has %(count)s column", "%(cells)s but the header has %(count)s columns", columns
    ) % {"cells": cells_text, "count": columns}

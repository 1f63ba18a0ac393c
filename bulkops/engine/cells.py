"""Cells on their way out: into the database (storable), into a message (shown), into a CSV that a
spreadsheet will open (neutralised against formulas), and back (unneutralise)."""

import csv
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED_STARTS = (*FORMULA_STARTS, "'")
ERROR_COLUMN = "Error Message"
NUL_SHOWN = "\N{SYMBOL FOR NULL}"
# In a column's cells joined by line breaks: a cell that starts as a formula (or with an apostrophe)
# starts the text or follows a line break. A line break inside a cell may also be followed by one:
# then the column is neutralised cell by cell, which finds nothing more to do there. (Searched for as
# a line break followed by one: a MULTILINE ^ is tried at every character, six times slower.)
_AFTER_LINE_BREAK = re.compile("\n[" + re.escape("".join(ESCAPED_STARTS)) + "]")


def _escaped_line_start(joined: str) -> bool:
    return joined.startswith(ESCAPED_STARTS) or _AFTER_LINE_BREAK.search(joined) is not None


def starts_with_any(cells: list[str], starts: str) -> bool:
    """Whether a cell starts with one of the characters of starts; for cells that hold no NUL (those
    of a chunk read a column at a time), searched joined, in C: twice the speed of a call per cell."""
    joined = "\x00" + "\x00".join(cells)
    return any("\x00" + start in joined for start in starts)


SHOWN_CELL_LIMIT = 60
LINE_END = "\r\n"


def storable(text: str) -> str:
    """Text the database accepts: PostgreSQL refuses NUL, and no database takes a lone surrogate."""
    return text.replace("\x00", NUL_SHOWN).encode("utf-8", "replace").decode("utf-8")


def shown(value: str, limit: int = SHOWN_CELL_LIMIT) -> str:
    """A cell as quoted in a message: storable, and cut short when long."""
    value = storable(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def neutralise(value: str) -> str:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe; so does one that
    already starts with an apostrophe, so that import's removal of one gives back the value."""
    return "'" + value if value.startswith(ESCAPED_STARTS) else value


def unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(ESCAPED_STARTS) else value


class CsvWriter:
    """Writes rows to a text stream, neutralising formula-like cells."""

    def __init__(self, stream, delimiter: str = ","):
        self.stream = stream
        self.delimiter = delimiter
        self.writer = csv.writer(stream, delimiter=delimiter, lineterminator=LINE_END)
        # What makes the csv module quote a cell (QUOTE_MINIMAL): the delimiter, a quote, a line end
        # (each looked for on its own: a search for one character is a hundred times a regex's speed).
        self.quoted = (delimiter, '"', "\r")

    def row(self, cells: Iterable[str], *, raw: bool = False) -> None:
        self.writer.writerow(cells if raw else [neutralise(cell) for cell in cells])

    def rows(self, rows: Iterable[Iterable[str]]) -> None:
        # neutralise(), inlined: an export calls it for every cell.
        self.writer.writerows(
            ["'" + cell if cell.startswith(ESCAPED_STARTS) else cell for cell in cells] for cells in rows
        )

    def columns(self, columns: list[list[str]]) -> None:
        """Rows given as columns of equal length (of text). Each column is searched, joined, in C: for
        formula-like cells (only a column that has one is neutralised cell by cell) and for a cell the
        csv module would quote. When no cell needs quotes the rows are joined as they are, which writes
        the same text in a third of the time."""
        neutralised, plain = [], len(columns) > 1  # a row of one empty cell is written as ""
        for column in columns:
            joined = "\n".join(column)
            plain = plain and not any(c in joined for c in self.quoted) and joined.count("\n") == len(column) - 1
            neutralised.append([neutralise(cell) for cell in column] if _escaped_line_start(joined) else column)
        if not plain:
            self.writer.writerows(zip(*neutralised, strict=True))
        elif columns and columns[0]:
            self.stream.write(LINE_END.join(map(self.delimiter.join, zip(*neutralised, strict=True))) + LINE_END)

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
# then the column is neutralised cell by cell, which finds nothing more to do there.
_ESCAPED_LINE_START = re.compile("^[" + re.escape("".join(ESCAPED_STARTS)) + "]", re.MULTILINE)
SHOWN_CELL_LIMIT = 60


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
        self.writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")

    def row(self, cells: Iterable[str], *, raw: bool = False) -> None:
        self.writer.writerow(cells if raw else [neutralise(cell) for cell in cells])

    def rows(self, rows: Iterable[Iterable[str]]) -> None:
        # neutralise(), inlined: an export calls it for every cell.
        self.writer.writerows(
            ["'" + cell if cell.startswith(ESCAPED_STARTS) else cell for cell in cells] for cells in rows
        )

    def columns(self, columns: list[list[str]]) -> None:
        """Rows given as columns of equal length: each column is searched for formula-like cells in
        one search in C, and only a column that has one is neutralised cell by cell."""
        self.writer.writerows(
            zip(
                *(
                    [neutralise(cell) for cell in column] if _ESCAPED_LINE_START.search("\n".join(column)) else column
                    for column in columns
                ),
                strict=True,
            )
        )

"""Excel workbooks (.xlsx), in and out (SPEC 2).

In: the first sheet read like a CSV, first non-empty row the header, every cell as the text Excel
shows for it. Read in openpyxl's read-only mode, row by row, so memory stays flat whatever the
sheet's size, and trusting only the rows the sheet holds (not the dimension it claims): a sheet that
says it spans 1,048,576 rows yields only its real ones. A sheet with merged cells is refused.

Out: write_workbook streams sheets of text cells in openpyxl's write-only mode, never a formula."""

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.engine.csvio import FileProblem, Record

ZIP_MAGIC = b"PK\x03\x04"
ZERO_PADDED = re.compile(r"^0+$")  # a number format such as 00000: the digits Excel shows
# Excel's limits: the characters of a cell, and of a sheet's title, which may not hold []:*?/\.
CELL_LIMIT = 32_767
TITLE_LIMIT = 31
NOT_IN_TITLES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# A cell's text in the file: characters that XML cannot carry as they are (the controls of openpyxl's
# ILLEGAL_CHARACTERS_RE, U+FFFE and U+FFFF, and the carriage return, which every XML reader turns into
# a line feed) are written in OOXML's escape _xHHHH_, as Excel writes them, and Excel and this
# reader read them back as the characters; the "_" that starts text looking like an escape is escaped
# itself (_x005F_), as Excel does, so that it reads back as written. Nothing is lost, nothing fails.
ESCAPED_OUT = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
ESCAPED_IN = re.compile(r"_x([0-9A-Fa-f]{4})_")
# A text that openpyxl would write as a formula ("=...") or an error value ("#N/A") unless told it is text.
NOT_PLAIN_STARTS = ("=", "#")
MERGED_LISTED = 5  # merged ranges named in the message


def is_workbook(binary) -> bool:
    """Whether an uploaded file is a workbook (a Zip holding xl/workbook.xml), leaving it at its start."""
    start = binary.tell()
    head = binary.read(4)
    binary.seek(start)
    if head != ZIP_MAGIC:
        return False
    try:
        with zipfile.ZipFile(binary) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        binary.seek(start)


def shown_text(cell) -> str:
    """The text Excel shows for a cell: numbers without a trailing .0 (zero-padded where the format
    says so), TRUE/FALSE, dates as YYYY-MM-DD, date-times as YYYY-MM-DDTHH:MM, times as HH:MM."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return ESCAPED_IN.sub(_unescaped, value) if "_x" in value else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value) if isinstance(value, int) else repr(value)
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(value, int) and value >= 0 and ZERO_PADDED.match(number_format):
        text = text.zfill(len(number_format))
    return text


def _unescaped(match) -> str:
    """The character of an _xHHHH_ escape (see ESCAPED_OUT). openpyxl has already turned Excel's
    escaped "_" of a shared string (_x005F_) into a plain one, so a typed "_x0041_" reads as "A": rare
    enough, and a carriage return saved by Excel reads right."""
    code = int(match[1], 16)
    return match[0] if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate is no character


def _cells(row) -> tuple[list[str], str]:
    """A row's texts, without the empty cells after its last value, and the problem of an error cell."""
    texts, problem = [], ""
    for cell in row:
        if getattr(cell, "data_type", None) == "e" and not problem:
            problem = _("Column %(number)s holds the error %(value)s (from a formula): fix it in the workbook") % {
                "number": len(texts) + 1,
                "value": cell.value,
            }
        texts.append(shown_text(cell))
    while texts and not texts[-1].strip():
        texts.pop()
    return texts, problem


def open_workbook(binary):
    """The workbook in read-only mode (its sheets are read row by row, when asked)."""
    from openpyxl import load_workbook

    try:
        return load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # a damaged or foreign file: openpyxl raises many kinds
        raise FileProblem(
            _("The file is not a readable Excel workbook (.xlsx): %(error)s") % {"error": error}
        ) from None


def sheet_titles(binary) -> list[str]:
    """The titles of the workbook's sheets, in its order (a package names its objects so)."""
    workbook = open_workbook(binary)
    try:
        return [sheet.title for sheet in workbook.worksheets]
    finally:
        workbook.close()


def sheet_is_empty(binary, title: str) -> bool:
    workbook = open_workbook(binary)
    try:
        sheet = workbook[title]
        sheet.reset_dimensions()
        return not any(_cells(row)[0] for row in sheet.iter_rows(min_row=1))
    finally:
        workbook.close()


def open_sheet_records(binary, title: str | None = None) -> tuple[list[str], str, Iterator[Record]]:
    """(header cells, the delimiter of its error file, iterator of Records numbered by sheet row) for
    the workbook's sheet of that title, or its first sheet."""
    workbook = open_workbook(binary)
    try:
        if not workbook.worksheets:
            raise FileProblem(_("The workbook has no sheet."))
        sheet = workbook[title] if title is not None else workbook.worksheets[0]
        # Read-only sheets do not read their merged cells (openpyxl, pinned): the sheet's own XML says.
        refuse_merged_cells(merged_ranges(sheet._get_source()))
        sheet.reset_dimensions()  # only the rows it holds, not the size it claims
        rows = enumerate(sheet.iter_rows(min_row=1), start=1)
        for _number, row in rows:
            header, _problem = _cells(row)
            if header:
                break
        else:
            raise FileProblem(_("The file is empty: it needs a header row naming the columns."))
    except BaseException:
        workbook.close()
        raise
    width = len(header)

    def records() -> Iterator[Record]:
        for line, row in rows:
            cells, problem = _cells(row)
            if not cells:
                continue  # an empty row, as a blank line of a CSV
            if len(cells) < width:
                cells += [""] * (width - len(cells))  # Excel keeps no empty cells at a row's end
            yield Record(line, cells, problem)
        workbook.close()

    return header, ",", records()


# <mergeCell ref="A2:B2"/>, with or without a namespace prefix, the reference in either quote.
MERGE_CELL = re.compile(rb"<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*([\"'])([^\"']*)\1")
MERGE_OVERLAP = 512  # bytes a block keeps of the one before it: more than a mergeCell element takes
READ_BLOCK = 1 << 20


def merged_ranges(source) -> list[str]:
    """The merged ranges of a sheet (its part's XML, a binary stream, which this closes), in file order.
    Parsing the XML again would cost as much as reading its rows; its bytes are searched instead, a
    block at a time (a "<" is never raw inside a value, so what matches is an element). Merged cells
    come after the rows, so the whole part is read, at the speed of decompressing it."""
    found = []
    with source:
        tail = b""
        while block := source.read(READ_BLOCK):
            window = tail + block
            if window.find(b"mergeCell") >= 0:
                # A match that ends in the kept tail was found with the block before.
                found += [m[2].decode("ascii", "replace") for m in MERGE_CELL.finditer(window) if m.end() > len(tail)]
            tail = window[-MERGE_OVERLAP:]
    return found


def refuse_merged_cells(ranges: list[str]) -> None:
    """FileProblem naming the first ranges, top to bottom and left to right, if there are any."""
    if not ranges:
        return
    listed = ", ".join(sorted(ranges, key=_top_left)[:MERGED_LISTED])
    if len(ranges) > MERGED_LISTED:
        listed = _("%(listed)s and %(count)s more") % {
            "listed": listed,
            "count": number_format(len(ranges) - MERGED_LISTED, force_grouping=True),
        }
    raise FileProblem(
        ngettext(
            "The sheet has a merged cell (%(ranges)s); unmerge it so that every value is in a cell of its own, "
            "and import the file again.",
            "The sheet has merged cells (%(ranges)s); unmerge them so that every value is in a cell of its own, "
            "and import the file again.",
            len(ranges),
        )
        % {"ranges": listed}
    )


def _top_left(reference: str) -> tuple[int, int]:
    from openpyxl.utils.cell import range_boundaries

    try:
        column, row, _last_column, _last_row = range_boundaries(reference)
    except (TypeError, ValueError):
        return (0, 0)  # not a reference at all: named as it is, first
    return (row or 0, column or 0)


# -- out ---------------------------------------------------------------------------------------------


class CellTooLong(FileProblem):
    """A value longer than an Excel cell holds: the workbook is not written (openpyxl would cut it)."""


def sheet_title(name: str) -> str:
    """name as a sheet title Excel takes: []:*?/\\ and controls become "_", no "'" at either end (Excel
    refuses those), at most 31 characters, never empty. A valid title comes back as it is."""
    title = NOT_IN_TITLES.sub("_", name).strip().strip("'")[:TITLE_LIMIT].rstrip().rstrip("'")
    return title or "Sheet"


def unique_title(title: str, taken: set[str]) -> str:
    """The title, or with " (2)", " (3)", ... when a sheet has it already (Excel ignores letter case)."""
    candidate, number = title, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = title[: TITLE_LIMIT - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def write_workbook(binary, sheets: Iterable[tuple[str, Iterable[list[str]]]]) -> None:
    """Write an .xlsx workbook to binary (a writable binary file): one sheet per (title, rows) of
    sheets, in order; rows are lists of str, the header first. Titles go through sheet_title (and get
    a number when repeated). Every non-empty cell is a text cell, never a formula or a number, so
    nothing needs the leading "'" of a CSV (SPEC 2); an empty string leaves its cell out. openpyxl's
    write-only mode streams the rows to a temporary file as they come: memory stays flat.
    Raises CellTooLong for a value over 32,767 characters, the most a cell holds."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    try:
        for title, rows in sheets:
            sheet = workbook.create_sheet(unique_title(sheet_title(title), taken))
            header = None
            for number, row in enumerate(rows, start=1):
                try:
                    sheet.append([text_cell(sheet, value) for value in row])
                except CellTooLong:
                    raise too_long(sheet.title, number, row, header or row) from None
                header = header or row
    except BaseException:  # a refused cell, a cancelled job, a lost database: no workbook
        discard(workbook)
        raise
    if not taken:
        workbook.create_sheet("Sheet")  # a workbook holds at least one sheet
    workbook.save(binary)


def discard(workbook) -> None:
    """Remove the temporary files of a workbook that will not be saved. openpyxl removes a write-only
    sheet's file when it saves the workbook, or when the process ends: a worker runs for days."""
    for sheet in workbook.worksheets:
        if not sheet.closed:
            sheet.close()
        if sheet._writer is not None:
            sheet._writer.cleanup()


def text_cell(sheet, value: str):
    """What write-only append() takes for value: None for an empty cell, the str itself when openpyxl
    writes it as text anyway, else a cell made text by hand (see ESCAPED_OUT)."""
    if not value:
        return None
    escaping = ESCAPED_OUT.search(value) is not None
    if not escaping and not value.startswith(NOT_PLAIN_STARTS) and len(value) <= CELL_LIMIT:
        return value
    if escaping:
        value = ESCAPED_OUT.sub(_escaped, value)
    if len(value) > CELL_LIMIT:
        raise CellTooLong  # openpyxl would cut it short: better no workbook than a changed value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"  # openpyxl took "=..." for a formula and "#N/A" for an error value
    return cell


def _escaped(match) -> str:
    return f"_x{ord(match[0]):04X}_"


def too_long(title: str, number: int, row: list[str], header: list[str]) -> CellTooLong:
    from openpyxl.utils import get_column_letter

    index = next(i for i, value in enumerate(row) if len(ESCAPED_OUT.sub(_escaped, value or "")) > CELL_LIMIT)
    column = header[index] if index < len(header) else ""
    return CellTooLong(
        _(
            "Cell %(cell)s of sheet '%(sheet)s' (%(column)s) has %(length)s characters; an Excel cell holds at most "
            "%(limit)s. Export as CSV instead."
        )
        % {
            "cell": f"{get_column_letter(index + 1)}{number}",
            "sheet": title,
            "column": column,
            "length": number_format(len(row[index]), force_grouping=True),
            "limit": number_format(CELL_LIMIT, force_grouping=True),
        }
    )

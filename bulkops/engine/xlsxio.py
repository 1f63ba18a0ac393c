"""Excel workbooks (.xlsx) read like a CSV (SPEC 2): the first sheet, first non-empty row the header,
every cell as the text Excel shows for it. Read in openpyxl's read-only mode, row by row, so memory
stays flat whatever the sheet's size, and trusting only the rows the sheet holds (not the dimension
it claims): a sheet that says it spans 1,048,576 rows yields only its real ones."""

import datetime
import re
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from bulkops.engine.csvio import FileProblem, Record

ZIP_MAGIC = b"PK\x03\x04"
ZERO_PADDED = re.compile(r"^0+$")  # a number format such as 00000: the digits Excel shows


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
        return value
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
    if not workbook.worksheets:
        raise FileProblem(_("The workbook has no sheet."))
    sheet = workbook[title] if title is not None else workbook.worksheets[0]
    sheet.reset_dimensions()  # only the rows it holds, not the size it claims
    rows = enumerate(sheet.iter_rows(min_row=1), start=1)
    for _number, row in rows:
        header, _problem = _cells(row)
        if header:
            break
    else:
        raise FileProblem(_("The file is empty: it needs a header row naming the columns."))
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


def write_workbook(binary, sheets) -> None:
    """Sheets of text to a workbook: sheets is an iterable of (title, rows), rows of str cells, the
    header first. Written in openpyxl's write-only mode, a row at a time; every cell a text cell, so
    nothing is ever run as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for cells in rows:
            row = []
            for text in cells:
                if not text:
                    row.append(None)
                    continue
                text = ILLEGAL_CHARACTERS_RE.sub("", text)  # XML cannot hold them
                if text.startswith("="):  # openpyxl would take it for a formula
                    cell = WriteOnlyCell(sheet, value=text)
                    cell.data_type = "s"
                    text = cell
                row.append(text)
            sheet.append(row)
    workbook.save(binary)

"""Excel workbooks in (SPEC 2): the first sheet is read like a CSV, every cell as the text Excel
shows for it (a formula as the result saved with it), row numbers are the sheet's, and the sheet is
read row by row; a sheet with merged cells is refused."""

import datetime
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from bulkops.engine.xlsxio import READ_BLOCK, merged_ranges
from config_objects import models as m
from tests.bulk import run

pytestmark = pytest.mark.usefixtures("sync_jobs")


def workbook(tmp_path, *rows, name="upload.xlsx", prepare=None):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    if prepare:
        prepare(sheet)
    path = tmp_path / name
    book.save(path)
    return path


def test_a_workbook_imports_like_a_csv_with_cells_as_excel_shows_them(tmp_path, world):
    def formats(sheet):
        sheet["A5"].number_format = "00000"  # a number shown with leading zeros

    path = workbook(
        tmp_path,
        ("Dialed Number", "Entry Point", "Region"),
        ("+381115550199", "Sales", "GB"),  # a text cell keeps its +
        (115550200, "sales", None),  # a number: no trailing .0
        (115550201.0, "Sales", "de"),
        (7, "Sales", None),
        prepare=formats,
    )
    outcome = run("bulk_import", "dn-mapping", str(path))
    assert (outcome.code, outcome.counts["created"]) == (0, 4), outcome.errors()
    numbers = set(m.DNMapping.objects.values_list("dialed_number", flat=True))
    assert {"+381115550199", "115550200", "115550201", "00007"} <= numbers
    again = run("bulk_import", "dn-mapping", str(path))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 4, "failed": 0}


def test_booleans_and_dates_read_as_shown(tmp_path, world):
    path = workbook(
        tmp_path,
        ("Name", "Description", "Holiday Name", "Start Date", "End Date", "Frequency"),
        ("Bank Holidays", None, "Labour Day", datetime.datetime(2027, 5, 1), datetime.date(2027, 5, 2), "YEARLY"),
    )
    outcome = run("bulk_import", "holiday-list", str(path))
    assert outcome.code == 0, outcome.errors()
    holiday = m.Holiday.objects.get(name="Labour Day")
    assert (holiday.start_date, holiday.end_date) == (datetime.date(2027, 5, 1), datetime.date(2027, 5, 2))
    flags = workbook(
        tmp_path,
        ("Name", "Description", "Type"),
        ("Coffee", "", "IDLE_CODE"),
        name="types.xlsx",
    )
    assert run("bulk_import", "work-type", str(flags)).code == 0
    codes = workbook(
        tmp_path,
        ("Name", "Description", "Default", "Work Type"),
        ("Espresso", "", True, "Coffee"),
        name="codes.xlsx",
    )
    outcome = run("bulk_import", "auxiliary-code", str(codes))
    assert outcome.code == 0, outcome.errors()
    assert m.AuxiliaryCode.objects.get(name="Espresso").is_default


def test_a_bad_row_names_its_sheet_row_and_empty_rows_are_skipped(tmp_path, catalogue_defaults):
    path = workbook(
        tmp_path,
        (None,),  # an empty first row: the header is the first row with a value
        ("Name", "Description", "Multimedia Profile"),
        ("Belgrade", "HQ", "Default Multimedia Profile"),
        (None, None, None),
        ("Bad|Name", "", "Default Multimedia Profile"),
        ("Nis", "", "Nope"),
    )
    outcome = run("bulk_import", "site", str(path))
    assert outcome.code == 3
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 2}
    errors = outcome.errors()
    assert set(errors) == {5, 6}
    assert "Name 'Bad|Name'" in errors[5] and "Multimedia Profile 'Nope' does not exist" in errors[6]


def test_a_sheet_that_claims_a_million_rows_yields_only_its_own(tmp_path, catalogue_defaults):
    def claim(sheet):
        sheet.cell(row=1_048_576, column=1, value=None)  # no value: only the dimension grows

    path = workbook(
        tmp_path,
        ("Name", "Description", "Multimedia Profile"),
        ("Belgrade", "", "Default Multimedia Profile"),
        prepare=claim,
    )
    outcome = run("bulk_import", "site", str(path))
    assert outcome.code == 0 and outcome.job.total_rows == 1


def test_an_error_value_of_a_formula_fails_its_row_clearly(tmp_path, catalogue_defaults):
    def error(sheet):
        cell = sheet["B3"]
        cell.value, cell.data_type = "#N/A", "e"

    path = workbook(
        tmp_path,
        ("Name", "Description", "Multimedia Profile"),
        ("Belgrade", "", "Default Multimedia Profile"),
        ("Nis", "x", "Default Multimedia Profile"),
        prepare=error,
    )
    outcome = run("bulk_import", "site", str(path))
    assert outcome.counts["created"] == 1 and outcome.counts["failed"] == 1
    assert outcome.errors()[3] == "Column 2 holds the error #N/A (from a formula): fix it in the workbook"


def test_a_file_that_is_not_a_workbook_but_a_zip_fails_clearly(tmp_path, catalogue_defaults):
    path = tmp_path / "sites.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml")
    outcome = run("bulk_import", "site", str(path))
    assert outcome.code == 1
    assert "not a readable Excel workbook" in outcome.job.failure_reason


def with_cached_values(path, cached: dict[str, tuple[str, str]]):
    """Give formula cells the results Excel saves beside them ({"B2": (type, text)}); openpyxl saves none."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, (kind, text) in cached.items():
        typed = f' t="{kind}"' if kind else ""
        sheet, found = re.subn(
            rf'<c r="{ref}"><f>(.*?)</f><v */>', rf'<c r="{ref}"{typed}><f>\1</f><v>{text}</v>', sheet
        )
        assert found == 1, ref
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_formula_is_read_as_the_result_excel_saved_with_it(tmp_path, catalogue_defaults):
    path = workbook(
        tmp_path,
        ("Name", "Description", "Multimedia Profile"),
        ('=CONCATENATE("Bel","grade")', "=6*7", "Default Multimedia Profile"),
        ("Nis", '=IF(TRUE,"=not run","")', "Default Multimedia Profile"),
    )
    with_cached_values(path, {"A2": ("str", "Belgrade"), "B2": ("", "42"), "B3": ("str", "=not run")})
    outcome = run("bulk_import", "site", str(path))
    assert outcome.counts["created"] == 2, outcome.errors()
    assert dict(m.Site.objects.values_list("name", "description")) == {"Belgrade": "42", "Nis": "=not run"}


def test_empty_rows_after_the_last_one_count_for_nothing(tmp_path, catalogue_defaults):
    def trailing(sheet):
        sheet.cell(row=5, column=1).font = Font(bold=True)  # a formatted cell without a value
        sheet["B6"] = "   "  # only spaces
        sheet.cell(row=9, column=3, value="")

    path = workbook(
        tmp_path,
        ("Name", "Description", "Multimedia Profile"),
        ("Belgrade", "", "Default Multimedia Profile"),
        prepare=trailing,
    )
    outcome = run("bulk_import", "site", str(path))
    assert (outcome.code, outcome.job.total_rows, outcome.counts["created"]) == (0, 1, 1)


def test_a_carriage_return_excel_saved_as_its_escape_reads_as_itself(tmp_path, catalogue_defaults):
    path = workbook(
        tmp_path,
        ("Name", "Description", "Multimedia Profile"),
        ("Belgrade", "Line 1_x000D_\nLine 2 _x005F_x0041_", "Default Multimedia Profile"),
    )
    assert run("bulk_import", "site", str(path)).counts["created"] == 1
    assert m.Site.objects.get().description == "Line 1\r\nLine 2 _x0041_"


def test_merged_cells_fail_the_job_naming_them_and_nothing_is_applied(tmp_path, catalogue_defaults):
    def merge(sheet):
        sheet.merge_cells("A2:B2")
        sheet.merge_cells("C3:C4")

    path = workbook(
        tmp_path,
        ("Name", "Description", "Multimedia Profile"),
        ("Belgrade", None, "Default Multimedia Profile"),
        ("Nis", "", "Default Multimedia Profile"),
        ("Novi Sad", "", None),
        prepare=merge,
    )
    outcome = run("bulk_import", "site", str(path))
    assert outcome.code == 1
    assert outcome.job.failure_reason == (
        "The sheet has merged cells (A2:B2, C3:C4); unmerge them so that every value is in a cell of its own, "
        "and import the file again."
    )
    assert not m.Site.objects.exists()


def test_many_merged_ranges_are_counted_after_the_first_few(tmp_path, catalogue_defaults):
    def merge(sheet):
        for row in range(2, 10):
            sheet.merge_cells(f"A{row}:B{row}")

    path = workbook(tmp_path, ("Name", "Description", "Multimedia Profile"), prepare=merge)
    outcome = run("bulk_import", "site", str(path), "--validate-only")
    assert outcome.job.failure_reason.startswith(
        "The sheet has merged cells (A2:B2, A3:B3, A4:B4, A5:B5, A6:B6 and 3 more); "
    )


@pytest.mark.parametrize("cut", [-30, -12, -1, 0, 5, 40])
def test_a_merged_range_is_found_wherever_a_block_of_the_sheet_ends(cut):
    """The sheet's XML is searched a block at a time: an element cut by the end of a block is still found,
    and found once."""
    element = b'<x:mergeCell ref="D7:E9"/>'
    padding = b"<row/>" * (READ_BLOCK // 6 + 1)
    start = READ_BLOCK + cut - len(element) // 2
    xml = padding[:start] + element + b"<x:mergeCell ref='A1:A2' />" + padding[: READ_BLOCK // 2]
    assert merged_ranges(io.BytesIO(xml)) == ["D7:E9", "A1:A2"]

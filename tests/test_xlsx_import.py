"""Excel workbooks in (SPEC 2): the first sheet is read like a CSV, every cell as the text Excel
shows for it, row numbers are the sheet's, and the sheet is read row by row."""

import datetime

import pytest
from openpyxl import Workbook

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
    import zipfile

    path = tmp_path / "sites.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml")
    outcome = run("bulk_import", "site", str(path))
    assert outcome.code == 1
    assert "not a readable Excel workbook" in outcome.job.failure_reason

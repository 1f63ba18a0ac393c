"""Excel workbooks out (SPEC 2 and 6): an export and a blank template as .xlsx, from the command, the
API and the dashboard; every cell a text cell, never a formula and without the CSV's leading "'"; the
workbook imports back unchanged. Audio files, a Zip object, have no workbook."""

import csv
import io
import json
import tempfile
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bulkops.models import Job
from config_objects import models as m
from tests import test_api
from tests.bulk import run, sheet_rows, write

pytestmark = pytest.mark.usefixtures("sync_jobs")

clients = test_api.clients  # the fixture: API users by what they may do
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROFILE = "Default Multimedia Profile"
# Descriptions a spreadsheet would take for something else: formulas, numbers, error values, and
# characters an XML text cannot carry as they are (a carriage return, a vertical tab).
TRICKY = [
    "=SUM(A1)",
    "=",
    "+14155550100",
    "-5 degrees",
    "@home",
    "#N/A",
    "007",
    "'quoted",
    "Line 1\r\nLine 2",
    "tab\there",
    "vertical\x0btab",
    "_x000D_ typed as it is",
]


def sites_csv(tmp_path, descriptions, names=None):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Name", "Description", "Multimedia Profile"])
    names = names or [f"Site {n:02}" for n in range(len(descriptions))]
    for name, description in zip(names, descriptions, strict=True):
        writer.writerow([name, description, PROFILE])
    return write(tmp_path, buffer.getvalue(), "sites.csv")


def test_an_xlsx_export_writes_text_cells_that_read_back_as_they_are_and_import_unchanged(tmp_path):
    names = ["007", "0042", *(f"Site {n:02}" for n in range(len(TRICKY) - 2))]
    assert run("bulk_import", "site", str(sites_csv(tmp_path, TRICKY, names))).counts["created"] == len(TRICKY)
    exported = tmp_path / "sites.xlsx"
    outcome = run("bulk_export", "site", "-o", str(exported))
    assert outcome.code == 0, outcome.err
    assert outcome.job.file_name == "site-export.xlsx"

    book = load_workbook(exported)  # not read-only: every cell's type as written
    assert book.sheetnames == ["Site"]
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} == {"s"}
    with zipfile.ZipFile(exported) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")  # no formula at all
    values = {row[0]: row[1] for row in sheet_rows(exported)[1:]}
    assert values["007"] == "=SUM(A1)" and values["0042"] == "="  # leading zeros kept, no "'" added
    shown = set(values.values())
    assert {"+14155550100", "-5 degrees", "@home", "#N/A", "007", "'quoted", "tab\there"} <= shown

    back = run("bulk_import", "site", str(exported))
    assert back.counts == {"created": 0, "updated": 0, "unchanged": len(TRICKY), "failed": 0}, back.errors()
    stored = set(m.Site.objects.values_list("description", flat=True))
    assert {"Line 1\r\nLine 2", "vertical\x0btab", "_x000D_ typed as it is"} <= stored


def test_the_xlsx_flag_names_the_file_after_the_job_and_the_template_after_the_object(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = run("bulk_export", "site", "--xlsx")
    assert outcome.code == 0, outcome.err
    (exported,) = tmp_path.glob("site-export-*.xlsx")
    assert sheet_rows(exported) == [["Name", "Description", "Multimedia Profile"]]
    mismatch = run("bulk_export", "site", "--xlsx", "-o", str(tmp_path / "sites.csv"))
    assert mismatch.code == 1 and "give -o a file name ending in .xlsx" in mismatch.err
    template = run("bulk_export", "work-type", "--template", "--xlsx")
    assert template.code == 0 and template.job is None  # a template is no job
    assert sheet_rows(tmp_path / "work-type-template.xlsx") == [["Name", "Description", "Type"]]
    assert load_workbook(tmp_path / "work-type-template.xlsx").sheetnames == ["Work Type"]


def test_audio_files_have_no_workbook(tmp_path):
    for arguments in (["--xlsx"], ["-o", str(tmp_path / "audio.xlsx")], ["--template", "--xlsx"]):
        refused = run("bulk_export", "audio-file", *arguments)
        assert refused.code == 1
        assert "Audio File files are a Zip; there is no Excel workbook of them." in refused.err, arguments
    assert not Job.objects.exists()


def test_a_value_longer_than_an_excel_cell_fails_the_workbook_export_and_leaves_no_temporary_file(
    tmp_path, monkeypatch
):
    layout = json.dumps({"version": "1", "area": {"note": "x" * 40_000}}, separators=(",", ":"))
    source = write(tmp_path, f'Name,Description,Layout JSON\nWide,,"{layout.replace(chr(34), chr(34) * 2)}"\n')
    assert run("bulk_import", "desktop-layout", str(source)).counts["created"] == 1
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where openpyxl keeps a sheet being written
    refused = run("bulk_export", "desktop-layout", "-o", str(tmp_path / "layouts.xlsx"))
    assert refused.code == 1
    assert refused.job.failure_reason == (
        f"Cell C3 of sheet 'Desktop Layout' (Layout JSON) has {len(layout):,} characters; an Excel cell holds at "
        "most 32,767. Export as CSV instead."
    )
    assert list(scratch.iterdir()) == []
    assert run("bulk_export", "desktop-layout", "-o", str(tmp_path / "layouts.csv")).code == 0


# -- the API and the dashboard ----------------------------------------------------------------------


def workbook_rows(response) -> list[list]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [[value for value in row if value is not None] for row in book.active.iter_rows(values_only=True)]


def test_the_api_exports_and_gives_the_template_as_a_workbook_on_request(clients, tmp_path):
    run("bulk_import", "site", str(sites_csv(tmp_path, ["=1+1"], ["Belgrade"])))
    viewer = clients["viewer"]
    response = viewer.post("/api/v1/objects/site/export/", {"file_format": "xlsx"}, format="json")
    assert response.status_code == 201, response.json()
    job = response.json()
    assert (job["status"], job["file_name"], job["total_rows"]) == ("completed", "site-export.xlsx", 1)
    result = viewer.get(job["files"]["result"])
    assert (result.status_code, result["Content-Type"]) == (200, XLSX)
    assert 'filename="site-export.xlsx"' in result["Content-Disposition"]
    assert workbook_rows(result) == [["Name", "Description", "Multimedia Profile"], ["Belgrade", "=1+1", PROFILE]]
    plain = viewer.post("/api/v1/objects/site/export/")  # no body: CSV, as before
    assert plain.json()["file_name"] == "site-export.csv"

    template = viewer.get("/api/v1/objects/site/template/", {"file_format": "xlsx"})
    assert (template.status_code, template["Content-Type"]) == (200, XLSX)
    assert 'filename="site-template.xlsx"' in template["Content-Disposition"]
    assert workbook_rows(template) == [["Name", "Description", "Multimedia Profile"]]


def test_the_api_refuses_a_format_it_does_not_know_and_a_workbook_of_audio_files(clients):
    client = clients["superuser"]
    wrong = client.post("/api/v1/objects/site/export/", {"file_format": "pdf"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["detail"].startswith("file_format: ")
    assert client.get("/api/v1/objects/site/template/", {"file_format": "pdf"}).status_code == 400
    audio = client.post("/api/v1/objects/audio-file/export/", {"file_format": "xlsx"}, format="json")
    assert audio.status_code == 422
    assert audio.json() == {"detail": "Audio File files are a Zip; there is no Excel workbook of them."}
    template = client.get("/api/v1/objects/audio-file/template/", {"file_format": "xlsx"})
    assert template.status_code == 404 and "no Excel workbook" in template.json()["detail"]
    assert not Job.objects.exists()


def test_the_dashboard_exports_and_gives_the_template_as_a_workbook_on_request(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789"))
    new = reverse("admin:bulkops_job_new")
    response = client.post(new, {"object": "site", "operation": "export", "file_format": "xlsx"})
    assert response.status_code == 201, response.json()
    job = response.json()["job"]
    assert (job["status"], job["file_name"]) == ("completed", "site-export.xlsx")
    result = client.get(job["result_url"])
    assert result["Content-Type"] == XLSX
    assert workbook_rows(result) == [["Name", "Description", "Multimedia Profile"]]
    template_url = reverse("admin:bulkops_job_template", args=["site"])
    template = client.get(template_url, {"file_format": "xlsx"})
    assert template["Content-Type"] == XLSX
    assert client.get(template_url, {"file_format": "pdf"}).status_code == 404
    refused = client.post(new, {"object": "audio-file", "operation": "export", "file_format": "xlsx"})
    assert refused.status_code == 400
    assert refused.json()["error"] == "Audio File files are a Zip; there is no Excel workbook of them."
    dialog = client.get(reverse("admin:bulkops_job_changelist")).content.decode()
    assert 'id="bulk-format-xlsx"' in dialog

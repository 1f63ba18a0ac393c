"""Issue 22, items 3, 4 and 8: a header too large to be one (a million columns), encodings that
cannot read a CSV file (punycode and friends, refused at submission; the accepted ones name the line
that does not decode), and the error file of rows with more cells than the header (Error Message
stays the last column, and the file can be fixed and imported again). Through the public entry
points: bulk_import and bulk_errors, the dashboard and the API."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bulkops.models import Job
from config_objects.models import Site
from tests import faults_input
from tests.bulk import csv_text, run
from tests.faults_input import HEADER, MP, assert_counts_add_up, error_file, import_sites, upload

pytestmark = pytest.mark.usefixtures("sync_jobs")

# The shared fixtures (tests/faults_input.py), bound here so that pytest finds them in this module.
_no_internals_in_stored_messages = faults_input._no_internals_in_stored_messages
client = faults_input.client

UNEXPECTED = "unexpected error"


@pytest.fixture
def api(django_user_model):
    user = django_user_model.objects.create_superuser("api-root", "api@example.com", "pw-123456789")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def api_submit(api, content: bytes, **fields):
    data = {"object": "site", "file": SimpleUploadedFile("sites.csv", content, content_type="text/csv")} | fields
    return api.post("/api/v1/jobs/", data, format="multipart")


def assert_failed_cleanly(outcome, starts: str):
    assert outcome.code == 1, outcome.err
    job = outcome.job
    assert job.status == Job.Status.FAILED
    assert job.active_slot is None and job.finished_at is not None
    assert UNEXPECTED not in job.failure_reason
    assert job.failure_reason.startswith(starts), job.failure_reason
    assert (job.created, job.updated, job.failed) == (0, 0, 0)
    assert not Site.objects.exists()
    return job


# -- 3. A header of a million columns -----------------------------------------------------------------------


MILLION = ",".join(f"c{i}" for i in range(1_000_000))  # 6.9 million characters on the first line


def test_a_header_of_a_million_columns_fails_the_job_saying_the_header_is_too_long(tmp_path):
    outcome = import_sites(tmp_path, csv_text(MILLION, f"Belgrade,,{MP}"))
    job = assert_failed_cleanly(outcome, "Line 1 is not valid CSV: the header is longer than 1,000,000 characters")
    assert len(job.failure_reason) < 300
    assert job.failure_reason in outcome.err
    assert job.header == []


def test_a_huge_header_is_named_by_its_own_line_after_blank_lines(tmp_path):
    outcome = import_sites(tmp_path, "\n\n" + csv_text(HEADER + "," + "x" * 5_000_000, f"Belgrade,,{MP}"))
    assert_failed_cleanly(outcome, "Line 3 is not valid CSV: the header is longer than 1,000,000 characters")


def test_a_header_of_a_million_columns_fails_on_the_dashboard_and_the_api(client, api):
    content = csv_text(MILLION, f"Belgrade,,{MP}").encode()
    dashboard = upload(client, content)
    assert dashboard.status_code == 201, dashboard.content[:500]
    job = dashboard.json()["job"]
    assert job["status"] == "failed"
    assert job["failure_reason"].startswith("Line 1 is not valid CSV: the header is longer than")
    response = api_submit(api, content)
    assert response.status_code == 201, response.content[:500]
    assert response.json()["status"] == "failed"
    assert UNEXPECTED not in response.json()["failure_reason"]
    assert not Site.objects.exists()


def test_a_header_of_many_unknown_columns_names_a_few_and_counts_the_rest(tmp_path):
    unknown = ",".join(f"c{i}" for i in range(100_000))
    outcome = import_sites(tmp_path, csv_text(f"{HEADER},{unknown}", f"Belgrade,,{MP}"))
    listed = ", ".join(f"'c{i}'" for i in range(10))
    job = assert_failed_cleanly(outcome, f"Unknown columns {listed} and 99,990 more. The columns of Site are:")
    assert job.failure_reason.endswith("The columns of Site are: Name, Description, Multimedia Profile.")
    assert len(job.failure_reason) < 400


def test_a_few_unknown_columns_are_all_named(tmp_path):
    unknown = ",".join(f"c{i}" for i in range(10))
    outcome = import_sites(tmp_path, csv_text(f"{HEADER},{unknown}", f"Belgrade,,{MP}"))
    listed = ", ".join(f"'c{i}'" for i in range(10))
    assert_failed_cleanly(outcome, f"Unknown columns {listed}. The columns of Site are:")


def test_a_header_of_one_known_column_many_times_names_the_first_repeat(tmp_path):
    outcome = import_sites(tmp_path, csv_text(",".join(["Description"] * 80_000), f"Belgrade,,{MP}"))
    job = assert_failed_cleanly(outcome, "Column 'Description' appears twice (columns 1 and 2).")
    assert len(job.failure_reason) < 100


def test_a_header_over_the_limit_of_only_known_columns_fails_as_too_long(tmp_path):
    outcome = import_sites(tmp_path, csv_text(",".join(["Name"] * 300_000), f"Belgrade,,{MP}"))
    assert_failed_cleanly(outcome, "Line 1 is not valid CSV: the header is longer than 1,000,000 characters")


def test_lines_after_blank_lines_before_the_header_keep_their_numbers(tmp_path):
    outcome = import_sites(tmp_path, csv_text("", " ", HEADER, f"Belgrade,,{MP}", "Nis,,Nope"))
    assert outcome.errors() == {5: "Multimedia Profile 'Nope' does not exist"}


# -- 4. Encodings that cannot read a CSV file ------------------------------------------------------------


REFUSED = ["punycode", "idna", "unicode_escape", "raw_unicode_escape", "utf-7", "cp037", "cp500", "hz", "undefined"]


@pytest.mark.parametrize("encoding", REFUSED)
def test_an_encoding_that_cannot_read_a_csv_file_is_refused_by_bulk_import(tmp_path, encoding):
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,+381 11,{MP}"), "--encoding", encoding)
    assert outcome.code == 1
    assert outcome.job is None
    assert f"'{encoding}' is not a text encoding" in outcome.err
    assert not Job.objects.exists()
    assert not Site.objects.exists()


@pytest.mark.parametrize("encoding", ["punycode", "idna", "unicode_escape", "utf-7"])
def test_an_encoding_that_cannot_read_a_csv_file_is_422_from_the_api(api, encoding):
    response = api_submit(api, csv_text(HEADER, f"Belgrade,,{MP}").encode(), encoding=encoding)
    assert response.status_code == 422, response.content
    assert f"'{encoding}' is not a text encoding" in response.json()["detail"]
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("cp1252", "Café"),
        ("latin-1", "Café"),
        ("cp1250", "Čačak"),
        ("cp1256", "قطر"),
        ("shift_jis", "東京"),
        ("shift_jis_2004", "東京"),
        ("euc-jp", "東京"),
        ("iso2022_jp", "東京"),
        ("gb18030", "北京"),
        ("big5", "臺北"),
        ("koi8-r", "Москва"),
        ("UTF_16", "Niš"),
        ("utf-16-le", "Niš"),
        ("utf-32", "Niš"),
        ("utf-8-sig", "Niš"),
    ],
)
def test_text_encodings_are_accepted_and_read(tmp_path, encoding, name):
    description = "+381 11 (0) | a;b, C:\\new www.xn--80ak6aa92e.com"
    content = csv_text(HEADER, f'{name},"{description}",{MP}').encode(encoding)
    outcome = import_sites(tmp_path, content, "--encoding", encoding)
    assert outcome.code == 0, (outcome.err, outcome.errors())
    assert Site.objects.get().name == name
    if encoding != "shift_jis_2004":  # which reads the backslash as the yen sign
        assert Site.objects.get().description == description


def test_a_utf16_file_named_without_dashes_and_no_byte_order_mark_is_read(tmp_path):
    """A header starting with a wide space has no zero byte where the sniffing looks for one, so the
    encoding given (UTF_16, spelled its own way) is used as it is."""
    content = csv_text(f"\u2003{HEADER}", f"Niš,,{MP}").encode("utf-16-le")
    outcome = import_sites(tmp_path, content, "--encoding", "UTF_16")
    assert outcome.code == 0, outcome.job and outcome.job.failure_reason
    assert Site.objects.get().name == "Niš"


@pytest.mark.parametrize(
    ("encoding", "content", "reason"),
    [
        ("cp1252", csv_text(HEADER, f"Nis,,{MP}").encode() + b"Pirot,\x81,x\n", "Line 3 cannot be read as CP1252."),
        (
            "cp1252",
            b"\n" + csv_text(HEADER, f"Nis,,{MP}").encode() + b"Pirot,\x90\n",
            "Line 4 cannot be read as CP1252.",
        ),
        (
            "shift_jis",
            csv_text(HEADER, f"Nis,,{MP}").encode() + b"Pirot,\x81\x20x,y\n",
            "Line 3 cannot be read as SHIFT_JIS.",
        ),
        ("gb18030", csv_text(HEADER, f"Nis,,{MP}", "Pirot").encode() + b"\x81", "Line 4 cannot be read as GB18030"),
        (
            "iso2022_jp",
            csv_text(HEADER, f"Nis,,{MP}").encode() + b"Pirot,\x1b$B\xff\xff\x1b(B\n",
            "Line 3 cannot be read as ISO2022_JP.",
        ),
        (
            "UTF_16",
            csv_text(f"\u2003{HEADER}", f"Nis,,{MP}").encode("utf-16-le") + b"P",
            "Near line 3 the file cannot be read as UTF-16.",
        ),
        (
            "utf-16",
            csv_text(HEADER, f"Nis,,{MP}").encode("utf-16")[:-1],
            "Near line 2 the file cannot be read as UTF-16",
        ),
        (
            "utf-32",
            csv_text(HEADER, f"Nis,,{MP}").encode("utf-32")[:-2],
            "Near line 2 the file cannot be read as UTF-32",
        ),
    ],
)
def test_bytes_an_accepted_encoding_cannot_read_fail_the_job_naming_their_line(tmp_path, encoding, content, reason):
    outcome = import_sites(tmp_path, content, "--encoding", encoding)
    assert_failed_cleanly(outcome, reason)


# -- 8. The error file of rows with more cells than the header ------------------------------------------------


RAGGED = csv_text(HEADER, f"Belgrade,x,{MP},extra one,=2+2", "Nis,y", "Novi Sad,,Nope", f"Subotica,,{MP}")
EXPECTED_ROWS = [
    ["Name", "Description", "Multimedia Profile", "", "", "Error Message"],
    ["Belgrade", "x", MP, "extra one", "'=2+2", "Row has 5 cells but the header has 3 columns"],
    ["Nis", "y", "", "", "", "Row has 2 cells but the header has 3 columns"],
    ["Novi Sad", "", "Nope", "", "", "Multimedia Profile 'Nope' does not exist"],
]


def test_error_message_stays_the_last_column_after_a_row_s_extra_cells(tmp_path):
    outcome = import_sites(tmp_path, RAGGED)
    assert outcome.code == 3
    assert_counts_add_up(outcome.job)
    assert (outcome.job.created, outcome.job.failed) == (1, 3)
    assert error_file(tmp_path, outcome.job) == EXPECTED_ROWS


def test_the_fixed_error_file_imports_and_an_extra_cell_left_in_it_fails_naming_its_column(tmp_path):
    first = import_sites(tmp_path, RAGGED)
    rows = error_file(tmp_path, first.job)
    # Left as it is: the extra cells are under columns with no header, which fails those rows.
    again = import_sites(tmp_path, to_csv(rows), name="sites-errors.csv")
    assert again.errors()[2] == "Row has a value in column 4, which has no header"
    assert again.errors()[3] == "Multimedia Profile is required"
    # Fixed: the extra cells removed, the missing profile filled in, the bad one replaced.
    rows[1][3:5] = ["", ""]
    rows[2][2] = MP
    rows[3][2] = MP
    fixed = import_sites(tmp_path, to_csv(rows), name="sites-fixed.csv")
    assert fixed.code == 0, fixed.errors()
    assert fixed.counts == {"created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Belgrade", "Nis", "Novi Sad", "Subotica"]


def test_the_dashboard_the_api_and_bulk_errors_give_the_same_error_file(tmp_path, client, api):
    response = upload(client, RAGGED.encode())
    job = response.json()["job"]
    errors_url = client.get(job["status_url"]).json()["job"]["errors_url"]
    dashboard = b"".join(client.get(errors_url).streaming_content)
    from_api = b"".join(api.get(f"/api/v1/jobs/{job['id']}/errors/").streaming_content)
    target = tmp_path / "errors.csv"
    assert run("bulk_errors", str(job["id"]), "-o", str(target)).code == 0
    assert dashboard == from_api == target.read_bytes()
    assert list(csv.reader(io.StringIO(dashboard.decode("utf-8-sig")))) == EXPECTED_ROWS


def test_an_error_message_column_of_the_upload_is_replaced_and_moved_last(tmp_path):
    content = csv_text(f"Error Message,{HEADER}", "old message,Nis,,Nope,extra", f"old,Pirot,,{MP}")
    outcome = import_sites(tmp_path, content, "--encoding", "utf-8")
    assert error_file(tmp_path, outcome.job) == [
        ["Name", "Description", "Multimedia Profile", "", "Error Message"],
        ["Nis", "", "Nope", "extra", "Row has 5 cells but the header has 4 columns"],
    ]


def test_a_semicolon_file_s_error_file_keeps_its_separator_and_its_extra_cells(tmp_path):
    content = csv_text(HEADER.replace(",", ";"), f"Nis;a,b;{MP};extra")
    outcome = import_sites(tmp_path, content)
    target = tmp_path / "errors.csv"
    run("bulk_errors", str(outcome.job.pk), "-o", str(target))
    assert target.read_text(encoding="utf-8-sig").splitlines() == [
        "Name;Description;Multimedia Profile;;Error Message",
        f"Nis;a,b;{MP};extra;Row has 4 cells but the header has 3 columns",
    ]


def test_empty_columns_no_failed_row_uses_are_left_out_of_the_error_file(tmp_path):
    """Trailing separators (spreadsheets add them) make header columns with no name; a failed row
    pads the error file only as far as a cell of some failed row has a value."""
    header = HEADER + "," * 5000
    content = csv_text(header, *(f"Site {n},,Nope" for n in range(50)), "Nis,,Nope,,,,kept,,,")
    outcome = import_sites(tmp_path, content)
    rows = error_file(tmp_path, outcome.job)
    assert rows[0] == ["Name", "Description", "Multimedia Profile", "", "", "", "", "Error Message"]
    assert rows[1] == ["Site 0", "", "Nope", "", "", "", "", "Row has 3 cells but the header has 5003 columns"]
    assert rows[-1] == ["Nis", "", "Nope", "", "", "", "kept", "Row has 10 cells but the header has 5003 columns"]
    assert all(len(row) == 8 for row in rows)


def test_a_row_of_very_many_extra_cells_keeps_them_in_its_last_column(tmp_path):
    many = ",".join(f"x{i}" for i in range(500))
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Nis,,{MP},{many}", "Pirot,,Nope"))
    rows = error_file(tmp_path, outcome.job)
    assert len(rows[0]) == len(rows[1]) == len(rows[2]) == 3 + 100 + 1
    assert rows[0][-1] == "Error Message" and rows[0][3:-1] == [""] * 100
    assert rows[1][3:102] == [f"x{i}" for i in range(99)]
    assert rows[1][102] == ",".join(f"x{i}" for i in range(99, 500))
    assert rows[1][-1] == "Row has 503 cells but the header has 3 columns"
    assert rows[2] == ["Pirot", "", "Nope", *[""] * 100, "Multimedia Profile 'Nope' does not exist"]


def to_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()

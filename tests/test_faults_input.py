"""Faults in the input: NUL bytes, odd encodings and line endings, broken quotes, Unicode names that
look alike or hide characters, damaged WAV headers, formula-like cells, and a database or engine that
refuses. Each ends in a clear message in the user's words (never SQL or an exception's name), with
every other row imported and every row counted."""

import codecs
import csv
import io
import os
import struct
import wave
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from bulkops.engine import DATABASE_REFUSED, Importer
from bulkops.models import Job, JobError
from config_objects.models import AddressBook, AudioFile, OutdialANI, Site, WorkType
from tests.bulk import csv_text, run, write

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Multimedia Profile"
MP = "Default Multimedia Profile"
NEW = reverse("admin:bulkops_job_new")

# What the database or Python would say, which users must never see.
INTERNALS = (
    "LINE 1",
    "violates",
    "INSERT",
    "DETAIL",
    "constraint",
    "Traceback",
    "DataError",
    "IntegrityError",
    "TypeError",
    "UnicodeDecodeError",
    "RuntimeError",
    "boom secret",
)


@pytest.fixture(autouse=True)
def _no_internals_in_stored_messages(sync_jobs):
    """After every test: no job's failure reason or row message holds SQL or an exception's name."""
    yield
    texts = [*Job.objects.values_list("failure_reason", flat=True), *JobError.objects.values_list("message", flat=True)]
    for text in texts:
        for word in INTERNALS:
            assert word not in (text or ""), (word, text)


def import_sites(tmp_path, content, *options, name="sites.csv"):
    return run("bulk_import", "site", str(write(tmp_path, content, name)), *options)


def assert_counts_add_up(job):
    assert job.created + job.updated + job.unchanged + job.failed == job.total_rows == job.done_rows


def error_file(tmp_path, job, name="errors.csv") -> list[list[str]]:
    target = tmp_path / name
    outcome = run("bulk_errors", str(job.pk), "-o", str(target))
    assert outcome.code == 0, outcome.err
    return list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def client(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client = Client()
    client.force_login(user)
    return client


def upload(client, content: bytes, name="sites.csv", obj="site", encoding=None):
    data = {"object": obj, "operation": "import", "file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if encoding is not None:
        data["encoding"] = encoding
    return client.post(NEW, data)


# -- 1. NUL bytes ----------------------------------------------------------------------------------------


def test_a_nul_in_one_cell_fails_only_that_row_naming_the_column(tmp_path):
    content = csv_text(HEADER, f"Belgrade,first,{MP}", f"Nis,bad\x00value,{MP}", f"Novi Sad,third,{MP}")
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 3
    job = outcome.job
    assert job.status == Job.Status.COMPLETED_WITH_ERRORS
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    assert_counts_add_up(job)
    errors = outcome.errors()
    assert list(errors) == [3]
    assert errors[3].startswith("Description contains a NUL character")
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Belgrade", "Novi Sad"]
    rows = error_file(tmp_path, job)
    assert rows[0] == ["Name", "Description", "Multimedia Profile", "Error Message"]
    assert len(rows) == 2
    assert rows[1][0] == "Nis" and rows[1][2] == MP
    assert rows[1][1] == "bad\N{SYMBOL FOR NULL}value"
    assert "NUL" in rows[1][3] and "Description" in rows[1][3]


def test_a_nul_in_the_name_fails_that_row_naming_the_name_column(tmp_path):
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Bel\x00grade,a,{MP}", f"Nis,,{MP}"))
    assert outcome.code == 3
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors()[2].startswith("Name contains a NUL character")
    assert list(Site.objects.values_list("name", flat=True)) == ["Nis"]
    rows = error_file(tmp_path, outcome.job)
    assert rows[1][0] == "Bel\N{SYMBOL FOR NULL}grade"


def test_a_nul_in_the_header_fails_the_job_with_a_clear_message(tmp_path):
    content = csv_text("Name,Descr\x00iption,Multimedia Profile", f"Belgrade,x,{MP}")
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 1
    job = outcome.job
    assert job.status == Job.Status.FAILED
    assert job.active_slot is None and job.finished_at is not None
    assert "NUL" in job.failure_reason and "header" in job.failure_reason
    assert "NUL" in outcome.err
    assert not Site.objects.exists()


def test_a_utf32_file_with_a_byte_order_mark_imports(tmp_path):
    content = csv_text(HEADER, f"Niš,Jug,{MP}", f"İstanbul,Köprü,{MP}").encode("utf-32")
    assert content.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 0, outcome.err
    assert outcome.counts["created"] == 2
    assert dict(Site.objects.values_list("name", "description")) == {"Niš": "Jug", "İstanbul": "Köprü"}


def test_the_dashboard_upload_fails_only_the_row_with_a_nul_and_serves_its_error_file(client):
    content = csv_text(HEADER, f"Belgrade,ok,{MP}", f"Nis,bad\x00value,{MP}").encode()
    response = upload(client, content)
    assert response.status_code == 201, response.content
    job = response.json()["job"]
    assert job["status"] == "completed_with_errors"
    assert (job["total"], job["created"], job["failed"]) == (2, 1, 1)
    status = client.get(job["status_url"]).json()["job"]
    errors = b"".join(client.get(status["errors_url"]).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(errors)))
    assert rows[1][:3] == ["Nis", "bad\N{SYMBOL FOR NULL}value", MP]
    assert rows[1][3].startswith("Description contains a NUL character")
    assert list(Site.objects.values_list("name", flat=True)) == ["Belgrade"]


def test_the_dashboard_upload_of_a_header_with_a_nul_is_a_failed_job(client):
    response = upload(client, csv_text("Name\x00,Description,Multimedia Profile", f"Belgrade,,{MP}").encode())
    assert response.status_code == 201, response.content
    job = response.json()["job"]
    assert job["status"] == "failed" and not job["active"]
    assert "NUL" in job["failure_reason"]
    assert not Site.objects.exists()


def test_the_dashboard_reads_utf32_and_utf16_without_a_mark_and_refuses_a_codec_that_is_not_text(client):
    utf32 = upload(client, csv_text(HEADER, f"Niš,,{MP}").encode("utf-32"))
    assert utf32.json()["job"]["created"] == 1, utf32.content
    utf16be = upload(client, csv_text(HEADER, f"Čačak,,{MP}").encode("utf-16-be"))
    assert utf16be.json()["job"]["created"] == 1, utf16be.content
    cp1250 = upload(client, csv_text(HEADER, f"Kraljevo,Čačak area,{MP}").encode("cp1250"), encoding="cp1250")
    assert cp1250.json()["job"]["created"] == 1, cp1250.content
    assert Site.objects.get(name="Kraljevo").description == "Čačak area"
    jobs = Job.objects.count()
    refused = upload(client, csv_text(HEADER, f"Pirot,,{MP}").encode(), encoding="rot13")
    assert refused.status_code == 400
    assert refused.json()["error"]
    assert Job.objects.count() == jobs
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Kraljevo", "Niš", "Čačak"]


# -- 2. The database refuses, the engine breaks ------------------------------------------------------------


def test_a_row_the_database_refuses_fails_alone_without_sql_in_its_message(tmp_path, monkeypatch):
    original = Site.objects.bulk_create
    calls = []

    def refusing(objs, *args, **kwargs):
        objs = list(objs)
        calls.append([obj.name for obj in objs])
        if len(objs) > 1 or any(obj.name == "Nis" for obj in objs):
            raise IntegrityError(
                'duplicate key value violates unique constraint "x"\n'
                "DETAIL: Key (match_key)=(nis) already exists.\nLINE 1: INSERT INTO ..."
            )
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(Site.objects, "bulk_create", refusing)
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,,{MP}", f"Nis,,{MP}", f"Novi Sad,,{MP}"))
    assert calls == [["Belgrade", "Nis", "Novi Sad"], ["Belgrade"], ["Nis"], ["Novi Sad"]]
    assert outcome.code == 3
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    assert_counts_add_up(outcome.job)
    assert outcome.errors() == {3: DATABASE_REFUSED}
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Belgrade", "Novi Sad"]


def test_an_unexpected_error_in_the_engine_fails_the_job_without_its_details(tmp_path, monkeypatch):
    def boom(self, units, record):
        raise RuntimeError("boom secret")

    monkeypatch.setattr(Importer, "import_chunk", boom)
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,,{MP}"))
    assert outcome.code == 1
    job = outcome.job
    assert job.status == Job.Status.FAILED and job.active_slot is None
    assert "stopped on an unexpected error" in job.failure_reason
    for secret in ("RuntimeError", "boom", "secret"):
        assert secret not in job.failure_reason
        assert secret not in outcome.err
        assert secret not in outcome.out
    assert not Site.objects.exists()


# -- 3. Unicode names ----------------------------------------------------------------------------------------


def test_unicode_names_round_trip_and_a_second_import_is_unchanged(tmp_path):
    content = csv_text(HEADER, f"İstanbul,,{MP}", f"ΟΔΟΣ,,{MP}", f"STRASSE ẞ,,{MP}")
    first = import_sites(tmp_path, content)
    assert first.code == 0, first.err
    assert first.counts == {"created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    assert sorted(Site.objects.values_list("name", flat=True)) == sorted(["İstanbul", "ΟΔΟΣ", "STRASSE ẞ"])
    second = import_sites(tmp_path, content, name="again.csv")
    assert second.code == 0, second.err
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 3, "failed": 0}
    assert Site.objects.count() == 3


def test_names_that_fold_alike_are_one_site(tmp_path):
    first = import_sites(tmp_path, csv_text(HEADER, f"Straße,first,{MP}", f"οδος,,{MP}"))
    assert first.counts["created"] == 2
    second = import_sites(tmp_path, csv_text(HEADER, f"STRASSE,first,{MP}", f"ΟΔΟΣ,,{MP}"), name="upper.csv")
    assert second.counts == {"created": 0, "updated": 2, "unchanged": 0, "failed": 0}
    assert sorted(Site.objects.values_list("name", flat=True)) == ["STRASSE", "ΟΔΟΣ"]
    third = import_sites(tmp_path, csv_text(HEADER, f"STRASSE,first,{MP}", f"ΟΔΟΣ,,{MP}"), name="upper-again.csv")
    assert third.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    both = import_sites(tmp_path, csv_text(HEADER, f"Straße,x,{MP}", f"STRASSE,y,{MP}"), name="both.csv")
    assert both.errors() == {3: "Name 'STRASSE' is repeated: it first appears on line 2"}
    assert Site.objects.count() == 2


HIDDEN = {
    "\u2028": "U+2028",
    "\u2029": "U+2029",
    "\u0085": "U+0085",
    "\u202e": "U+202E",
    "\u200b": "U+200B",
    "\x07": "U+0007",
}


@pytest.mark.parametrize(
    ("slug", "header", "tail"),
    [("site", HEADER, f",,{MP}"), ("work-type", "Name,Type", ",IDLE_CODE")],
    ids=["site", "work-type"],
)
def test_a_name_with_a_hidden_or_line_breaking_character_fails_naming_it(tmp_path, slug, header, tail):
    bad = [f"Bad{character}Name{tail}" for character in HIDDEN]
    outcome = run("bulk_import", slug, str(write(tmp_path, csv_text(header, f"Good Name{tail}", *bad))))
    assert outcome.code == 3
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": len(HIDDEN)}
    assert_counts_add_up(outcome.job)
    errors = outcome.errors()
    assert sorted(errors) == list(range(3, 3 + len(HIDDEN)))
    for line, code in enumerate(HIDDEN.values(), start=3):
        assert code in errors[line], (line, errors[line])
        assert errors[line].startswith("Name may not contain the"), errors[line]
    model = Site if slug == "site" else WorkType
    assert list(model.objects.values_list("name", flat=True)) == ["Good Name"]


def test_address_book_entry_names_that_fold_alike_merge_on_reimport(tmp_path):
    header = "Name,Description,Parent Type,Site,Entry Name,Entry Number,Delete"
    first = csv_text(
        header,
        "Directory,,ORGANIZATION,,Straße,+1 555 0100,",
        "Directory,,ORGANIZATION,,οδος,+1 555 0101,",
    )
    outcome = run("bulk_import", "address-book", str(write(tmp_path, first)))
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 0}
    second = csv_text(
        header,
        "Directory,,ORGANIZATION,,STRASSE,+1 555 0100,",
        "Directory,,ORGANIZATION,,ΟΔΟΣ,+1 555 0101,",
    )
    outcome = run("bulk_import", "address-book", str(write(tmp_path, second, "second.csv")))
    assert outcome.counts == {"created": 0, "updated": 2, "unchanged": 0, "failed": 0}, outcome.errors()
    book = AddressBook.objects.get()
    assert sorted(book.entries.values_list("name", "number")) == [("STRASSE", "+1 555 0100"), ("ΟΔΟΣ", "+1 555 0101")]
    again = run("bulk_import", "address-book", str(write(tmp_path, second, "third.csv")))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    assert book.entries.count() == 2


def test_outdial_ani_entry_names_that_fold_alike_merge_on_reimport(tmp_path):
    header = "Name,Description,Entry Name,Entry Number,Delete"
    first = csv_text(header, "Caller IDs,,Main Line,+14155550100,", "Caller IDs,,Straße,+14155550101,")
    assert run("bulk_import", "outdial-ani", str(write(tmp_path, first))).counts["created"] == 2
    second = csv_text(header, "Caller IDs,,MAIN LINE,+14155550100,", "Caller IDs,,strasse,+14155550102,")
    outcome = run("bulk_import", "outdial-ani", str(write(tmp_path, second, "second.csv")))
    assert outcome.counts == {"created": 0, "updated": 2, "unchanged": 0, "failed": 0}, outcome.errors()
    ani = OutdialANI.objects.get()
    assert sorted(ani.entries.values_list("name", "number")) == [
        ("MAIN LINE", "+14155550100"),
        ("strasse", "+14155550102"),
    ]
    again = run("bulk_import", "outdial-ani", str(write(tmp_path, second, "third.csv")))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    assert ani.entries.count() == 2


def test_entry_names_that_fold_alike_in_one_file_fail_the_object(tmp_path):
    header = "Name,Description,Entry Name,Entry Number,Delete"
    content = csv_text(header, "Caller IDs,,Straße,+14155550100,", "Caller IDs,,STRASSE,+14155550101,")
    outcome = run("bulk_import", "outdial-ani", str(write(tmp_path, content)))
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 0, "failed": 2}
    assert outcome.errors() == {
        2: "Not imported because line 3 of outdial ANI 'Caller IDs' failed",
        3: "Entry Name 'STRASSE' appears on line 2 too",
    }
    assert not OutdialANI.objects.exists()


# -- 4. Line endings and encodings --------------------------------------------------------------------------


def test_cr_only_line_endings_import(tmp_path):
    content = f"{HEADER}\rBelgrade,one,{MP}\rNis,two,{MP}\r"
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 0, outcome.err
    assert outcome.job.total_rows == 2
    assert dict(Site.objects.values_list("name", "description")) == {"Belgrade": "one", "Nis": "two"}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_imports(tmp_path, encoding):
    content = csv_text(HEADER, f"Niš,Jug,{MP}", f"ΟΔΟΣ,Ὀδός,{MP}").encode(encoding)
    assert not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 0, outcome.err
    assert dict(Site.objects.values_list("name", "description")) == {"Niš": "Jug", "ΟΔΟΣ": "Ὀδός"}


@pytest.mark.parametrize("encoding", ["rot13", "zlib", "base64", "no-such-encoding"])
def test_a_codec_that_is_not_a_text_encoding_is_refused_at_submission(tmp_path, encoding):
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,,{MP}"), "--encoding", encoding)
    assert outcome.code == 1
    assert outcome.job is None
    assert not Job.objects.exists()
    assert f"'{encoding}' is not a text encoding" in outcome.err
    assert not Site.objects.exists()


def test_an_unterminated_quote_fails_from_its_line_and_every_line_is_counted(tmp_path):
    content = csv_text(
        HEADER,
        f"Belgrade,a,{MP}",
        f"Nis,b,{MP}",
        f'Novi Sad,"open quote,{MP}',
        f"Kragujevac,d,{MP}",
        f"Subotica,e,{MP}",
        f"Zrenjanin,f,{MP}",
    )
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 3
    job = outcome.job
    assert job.status == Job.Status.COMPLETED_WITH_ERRORS
    assert job.created + job.failed == 6 == job.total_rows
    assert_counts_add_up(job)
    assert (job.created, job.failed) == (2, 4)
    errors = outcome.errors()
    assert sorted(errors) == [4, 5, 6, 7]
    assert "line 4" in errors[4]
    for line in (5, 6, 7):
        assert "line 4" in errors[line]
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Belgrade", "Nis"]


def test_a_quote_left_open_on_the_last_line_fails_that_row_and_counts_it(tmp_path):
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,a,{MP}", f'Novi Sad,"open quote,{MP}'))
    assert outcome.code == 3
    assert_counts_add_up(outcome.job)
    assert (outcome.job.total_rows, outcome.job.created, outcome.job.failed) == (2, 1, 1)
    assert "line 3" in outcome.errors()[3]


def test_a_utf16_file_cut_mid_character_fails_the_job_and_applies_nothing(tmp_path):
    content = csv_text(HEADER, f"Niš,,{MP}").encode("utf-16")[:-1]
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 1
    assert outcome.job.status == Job.Status.FAILED
    assert "UTF-16" in outcome.job.failure_reason
    assert not Site.objects.exists()


# -- 5. WAV headers ------------------------------------------------------------------------------------------

FMT_PCM_8K_MONO = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)


def riff(data: bytes, *, data_size=None, riff_size=None, fmt_size=16) -> bytes:
    """A RIFF/WAVE file whose declared sizes can lie."""
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", fmt_size)
        + FMT_PCM_8K_MONO
        + b"data"
        + struct.pack("<I", len(data) if data_size is None else data_size)
        + data
    )
    return b"RIFF" + struct.pack("<I", len(body) if riff_size is None else riff_size) + body


def proper_wav(seconds=0.5) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(os.urandom(int(8000 * seconds) * 2))
    return buffer.getvalue()


def test_wav_headers_whose_sizes_lie_fail_and_proper_or_streamed_ones_import(tmp_path):
    huge_data = riff(os.urandom(160), data_size=0xFFFFFFF0)
    assert len(huge_data) == 204
    entries = {
        "huge-data.wav": huge_data,
        "long-riff.wav": riff(os.urandom(160), riff_size=100_000),
        "long-fmt.wav": riff(os.urandom(160), fmt_size=5000),
        "proper.wav": proper_wav(0.5),
        "streamed.wav": riff(os.urandom(8000), data_size=0xFFFFFFFF, riff_size=0xFFFFFFFF),
    }
    path = tmp_path / "prompts.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zipped:
        for name, content in entries.items():
            zipped.writestr(name, content)
    outcome = run("bulk_import", "audio-file", str(path))
    assert outcome.code == 3
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 3}
    assert_counts_add_up(outcome.job)
    messages = {error.cells[0]: error.message for error in outcome.job.errors.all()}
    assert set(messages) == {"huge-data.wav", "long-riff.wav", "long-fmt.wav"}
    assert messages["huge-data.wav"] == (
        "File Name 'huge-data.wav' is damaged: its header declares 4,294,967,280 bytes of audio but the file holds 160"
    )
    assert messages["long-riff.wav"] == (
        "File Name 'long-riff.wav' is damaged: its header declares 100,008 bytes but the file has 204"
    )
    assert messages["long-fmt.wav"] == (
        "File Name 'long-fmt.wav' is damaged: its 'fmt' chunk declares 5,000 bytes but only 184 follow"
    )
    assert sorted(AudioFile.objects.values_list("name", flat=True)) == ["proper.wav", "streamed.wav"]
    proper = AudioFile.objects.get(name="proper.wav")
    streamed = AudioFile.objects.get(name="streamed.wav")
    assert proper.duration == 0.5 and streamed.duration == 0.5
    assert streamed.format == proper.format == "PCM, 8000 Hz, 16-bit, mono"
    assert streamed.size == len(entries["streamed.wav"])
    errors = error_file(tmp_path, outcome.job)
    assert errors[0] == ["File Name", "Error Message"]
    assert sorted(row[0] for row in errors[1:]) == ["huge-data.wav", "long-fmt.wav", "long-riff.wav"]


# -- 6. Formula neutralisation ------------------------------------------------------------------------------

FORMULA_LIKE = {
    "Apostrophe Plus": "'+literal apostrophe",
    "Apostrophe Plain": "'plain apostrophe",
    "Equals": "=1+1",
    "Phone": "+14155550100",
    "At": "@cmd",
    "Minus": "-5",
}


def test_formula_like_cells_are_neutralised_on_export_and_round_trip_exactly(tmp_path):
    # As an export would write them: import removes exactly one leading apostrophe before =, +, -, @, ', tab, CR.
    written = {name: ("'" + value if value.startswith("'+") else value) for name, value in FORMULA_LIKE.items()}
    rows = [f'"{name}","{value}",{MP}' for name, value in written.items()]
    first = import_sites(tmp_path, csv_text(HEADER, *rows))
    assert first.code == 0, first.err
    assert first.counts["created"] == 6
    assert dict(Site.objects.values_list("name", "description")) == FORMULA_LIKE

    target = tmp_path / "export.csv"
    exported = run("bulk_export", "site", "-o", str(target))
    assert exported.code == 0, exported.err
    raw = target.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == ["Name", "Description", "Multimedia Profile"]
    cells = {row[0]: row[1] for row in table[1:]}
    assert cells == {name: "'" + value for name, value in FORMULA_LIKE.items()}

    again = import_sites(tmp_path, raw, name="export.csv")
    assert again.code == 0, again.err
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 6, "failed": 0}
    assert dict(Site.objects.values_list("name", "description")) == FORMULA_LIKE

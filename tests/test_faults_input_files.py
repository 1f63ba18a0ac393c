"""Faults in the input, the file itself: line endings, encodings and codecs that are not text, broken
quotes, damaged WAV headers, and formula-like cells that must be neutralised on export and round-trip
exactly. Each ends in a clear message in the user's words, with every row counted."""

import codecs
import csv
import io
import os
import struct
import wave
import zipfile

import pytest

from bulkops.models import Job
from config_objects.models import AudioFile, Site
from tests import faults_input
from tests.bulk import csv_text, run
from tests.faults_input import HEADER, MP, assert_counts_add_up, error_file, import_sites

pytestmark = pytest.mark.usefixtures("sync_jobs")

# The shared fixtures (tests/faults_input.py), bound here so that pytest finds them in this module.
_no_internals_in_stored_messages = faults_input._no_internals_in_stored_messages


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


def test_only_cells_that_start_like_a_formula_are_neutralised_a_line_inside_a_cell_is_not_a_start(tmp_path):
    """A column is searched as one text: a line break inside a cell followed by '=' is not a cell that
    starts with it, and a formula among plain cells is found wherever it is."""
    descriptions = {"A": "plain", "B": "two\n=lines", "C": "ok", "D": "=A1", "E": "tail\r\n+1"}
    rows = [f'{name},"{value}",{MP}' for name, value in descriptions.items()]
    assert import_sites(tmp_path, csv_text(HEADER, *rows)).counts["created"] == 5
    target = tmp_path / "export.csv"
    assert run("bulk_export", "site", "-o", str(target)).code == 0
    table = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline="")))
    assert {row[0]: row[1] for row in table[1:]} == descriptions | {"D": "'=A1"}


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

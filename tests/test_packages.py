"""The whole configuration in one job (SPEC 11), through the commands: a Zip of CSV files (and audio
under audio/) or a workbook of sheets, imported, previewed, reverted and exported as one job. The
package is made of the per-object samples (tests/samples), the world the other tests use."""

import csv
import io
import random
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from bulkops.changes import job_changes
from bulkops.models import Job
from config_objects.models import ContactCenterUser as User
from config_objects.models import Site, Team
from config_objects.registry import OBJECT_TYPES, dependency_order
from tests.bulk import run
from tests.factories import wav_bytes
from tests.world import sample_path

pytestmark = pytest.mark.django_db(transaction=True)

# Entries named in the spellings SPEC 11 allows: plural, label, numbered, slug.
SPELLINGS = {"site": "sites.csv", "skill-profile": "Skill Profile.csv", "skill-definition": "07_skill-definition.csv"}


def sample_tables() -> dict[str, list[list[str]]]:
    """{slug: rows with the header first} of every CSV object's sample."""
    tables = {}
    for kind in OBJECT_TYPES:
        if kind.file_kind == "csv":
            with sample_path(kind).open(encoding="utf-8-sig", newline="") as handle:
                tables[kind.slug] = list(csv.reader(handle))
    return tables


def audio_type():
    return next(t for t in OBJECT_TYPES if t.file_kind == "zip")


def audio_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(sample_path(audio_type())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def csv_bytes(rows) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def zip_package(path: Path, tables: dict, audio: dict | None = None, names: dict | None = None) -> Path:
    names = {**SPELLINGS, **(names or {})}
    slugs = list(tables)
    random.Random(7).shuffle(slugs)  # a package's files may come in any order
    with zipfile.ZipFile(path, "w") as archive:
        for slug in slugs:
            archive.writestr(names.get(slug, f"{slug}.csv"), csv_bytes(tables[slug]))
        for name, content in (audio_entries() if audio is None else audio).items():
            archive.writestr(f"audio/{name}", content)
    return path


def workbook_package(path: Path, tables: dict, names: dict | None = None) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    slugs = list(tables)
    random.Random(11).shuffle(slugs)
    for slug in slugs:
        sheet = workbook.create_sheet(
            (names or {}).get(slug, next(str(t.label) for t in OBJECT_TYPES if t.slug == slug))
        )
        for row in tables[slug]:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s"  # text as typed: numbers with leading zeros or '+' stay so
    workbook.save(path)
    return path


def export_package(tmp_path: Path, name: str, *extra) -> Path:
    target = tmp_path / name
    outcome = run("bulk_export", "package", "-o", str(target), *extra)
    assert outcome.code == 0, outcome.err
    return target


def zip_contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def workbook_contents(path: Path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def part_counts(job: Job) -> dict[str, tuple]:
    return {p.object_type: (p.created, p.updated, p.unchanged, p.failed) for p in job.parts.all()}


@pytest.fixture
def empty(sync_jobs):
    """An empty configuration: only the rows the product ships with."""


def test_a_zip_package_is_one_job_that_creates_everything_in_dependency_order(empty, tmp_path):
    tables = sample_tables()
    outcome = run("bulk_import", "package", str(zip_package(tmp_path / "center.zip", tables)))
    job = outcome.job
    assert outcome.code == 0, outcome.err + outcome.out
    assert (job.object_type, job.status, job.failed) == ("package", Job.Status.COMPLETED, 0)
    parts = list(job.parts.order_by("position"))
    order = [t.slug for t in dependency_order()]
    assert [p.object_type for p in parts] == sorted((p.object_type for p in parts), key=order.index)
    assert {p.object_type for p in parts} == {t.slug for t in OBJECT_TYPES}
    assert {p.object_type: p.entry for p in parts}["site"] == "sites.csv"
    rows = sum(len(table) - 1 for table in tables.values()) + len(audio_entries())
    assert job.total_rows == job.done_rows == rows == sum(p.total_rows for p in parts)
    assert job.created + job.unchanged == rows  # the shipped default rows are unchanged
    for part in parts:
        assert part.done_rows == part.total_rows == part.created + part.updated + part.unchanged
    assert "Site (sites.csv): 2 rows, 2 created" in outcome.out

    again = run("bulk_import", "package", str(tmp_path / "center.zip"))
    assert again.code == 0 and again.job.unchanged == rows and again.job.created == again.job.updated == 0


def test_a_workbook_package_reads_one_sheet_per_object_in_any_order(empty, tmp_path):
    tables = sample_tables()
    path = workbook_package(tmp_path / "center.xlsx", tables, names={"team": "03 - Teams"})
    # A workbook holds no audio: the recordings it names must exist already.
    audio = run("bulk_import", "audio-file", str(sample_path(audio_type())))
    assert audio.code == 0
    outcome = run("bulk_import", "package", str(path))
    assert outcome.code == 0, outcome.out
    assert outcome.job.failed == 0 and outcome.job.created > 0
    assert {p.object_type: p.entry for p in outcome.job.parts.all()}["team"] == "03 - Teams"
    assert Team.objects.count() == len(tables["team"]) - 1


def test_validate_only_previews_what_the_package_would_create_as_existing(empty, tmp_path):
    path = zip_package(tmp_path / "center.zip", sample_tables())
    outcome = run("bulk_import", "package", str(path), "--validate-only")
    job = outcome.job
    assert outcome.code == 0, outcome.out
    assert job.failed == 0 and job.created > 0
    assert not Site.objects.exists() and not User.objects.exists()  # nothing applied
    changes = run("bulk_changes", str(job.pk), "-o", str(tmp_path / "changes.csv"))
    assert changes.code == 0
    lines = list(csv.reader((tmp_path / "changes.csv").open(encoding="utf-8-sig")))
    assert lines[0] == ["Object", "Name", "Action", "Column", "Before", "After"]
    assert {line[0] for line in lines[1:]} >= {"Site", "Team", "User", "Audio File"}

    imported = run("bulk_import", "--from-job", str(job.pk))
    assert imported.code == 0 and imported.job.created == job.created and imported.job.failed == 0


def test_a_failed_site_fails_the_rows_that_name_it_and_nothing_else(empty, tmp_path):
    tables = sample_tables()
    header, *sites = tables["site"]
    bad = sites[0][:]
    bad[header.index("Multimedia Profile")] = "No Such Profile"
    tables["site"] = [header, bad, *sites[1:]]
    outcome = run("bulk_import", "package", str(zip_package(tmp_path / "center.zip", tables)))
    job = outcome.job
    assert outcome.code == 3 and job.status == Job.Status.COMPLETED_WITH_ERRORS
    site = bad[header.index("Name")]
    failed = {(e.part.object_type, e.line): e.message for e in job.errors.select_related("part")}
    assert failed[("site", 2)].startswith("Multimedia Profile 'No Such Profile' does not exist")
    naming = {key: message for key, message in failed.items() if key[0] != "site"}
    # What names the site fails naming it; what names those rows fails naming them in turn.
    assert failed[("team", 2)] == f"Site '{site}' failed in this package"
    assert all("failed in this package" in message for message in naming.values()), [
        m for m in naming.values() if "failed in this" not in m
    ]
    assert not Site.objects.filter(name=site).exists()
    assert Site.objects.count() == len(sites) - 1
    assert job.failed == len(failed)

    # The error file has the package's shape: fixed and uploaded as it is, it finishes the job.
    errors = tmp_path / "errors.zip"
    assert run("bulk_errors", str(job.pk), "-o", str(errors)).code == 0
    entries = zip_contents(errors)
    assert set(entries) == {p.entry for p in job.parts.filter(failed__gt=0)}
    fixed = {}
    for name, content in entries.items():
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        if name == "sites.csv":
            rows[1][rows[0].index("Multimedia Profile")] = sites[0][header.index("Multimedia Profile")]
        fixed[name] = rows
    with zipfile.ZipFile(tmp_path / "fixed.zip", "w") as archive:
        for name, rows in fixed.items():
            archive.writestr(name, csv_bytes(rows))
    again = run("bulk_import", "package", str(tmp_path / "fixed.zip"))
    assert again.code == 0, again.out
    assert again.job.failed == 0 and again.job.created == job.failed


def test_the_error_workbook_has_a_sheet_per_object_that_failed(empty, tmp_path):
    tables = sample_tables()
    tables["site"][1][tables["site"][0].index("Multimedia Profile")] = "No Such Profile"
    assert run("bulk_import", "audio-file", str(sample_path(audio_type()))).code == 0
    outcome = run("bulk_import", "package", str(workbook_package(tmp_path / "center.xlsx", tables)))
    assert outcome.code == 3
    errors = tmp_path / "errors.xlsx"
    assert run("bulk_errors", str(outcome.job.pk), "-o", str(errors)).code == 0
    sheets = workbook_contents(errors)
    assert set(sheets) == {p.entry for p in outcome.job.parts.filter(failed__gt=0)}
    assert sheets["Site"][0][-1] == "Error Message"


SITES, TEAMS = b"Name\r\nA\r\n", b"Name,Site\r\nSales,A\r\n"


@pytest.mark.parametrize(
    "entries, message",
    [
        ({"sites.csv": SITES, "teams.csv": TEAMS, "old-stuff.csv": b"Name\r\n"}, "'old-stuff.csv' names no object"),
        ({"sites.csv": SITES, "02-site.csv": b"Name\r\nB\r\n"}, "Site appears twice in the package"),
        ({"sites.csv": SITES, "notes.txt": b"hello"}, "'notes.txt' does not belong in a package"),
        ({"teams.csv": TEAMS, "sites.csv": b"Name,Colour\r\nA,red\r\n"}, "sites.csv: Unknown column 'Colour'"),
        ({}, "The package holds no object"),
    ],
)
def test_a_package_that_cannot_be_read_fails_with_nothing_applied(empty, tmp_path, entries, message):
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    outcome = run("bulk_import", "package", str(path))
    assert outcome.code == 1 and outcome.job.status == Job.Status.FAILED
    assert message in outcome.job.failure_reason
    assert not Site.objects.exists() and not Team.objects.exists()


def test_a_zip_of_a_folder_is_read_inside_its_folder(empty, tmp_path):
    tables = sample_tables()
    plain = zip_contents(zip_package(tmp_path / "plain.zip", tables))
    with zipfile.ZipFile(tmp_path / "folder.zip", "w") as archive:
        for name, content in plain.items():
            archive.writestr(f"center/{name}", content)
    outcome = run("bulk_import", "package", str(tmp_path / "folder.zip"))
    assert outcome.code == 0, outcome.out + outcome.err
    entries = {p.object_type: p.entry for p in outcome.job.parts.all()}
    assert entries["site"] == "center/sites.csv" and entries["audio-file"] == "center/audio/"
    assert outcome.job.created + outcome.job.unchanged == outcome.job.total_rows


def test_only_the_recordings_are_held_to_the_audio_expansion_limits(empty, tmp_path):
    """A CSV may deflate far more than a recording may (a long repetitive layout: 400 times); and a
    recording of silence (200 times, 16 KB) is no bomb. The package and its export import."""
    tables = sample_tables()
    layout = '{"version":"0.1","area":{"header":{"comp":"md-tooltip"}},"notes":"%s"}' % ("a" * 300_000)
    tables["desktop-layout"].append(["Long Layout", "", layout])
    audio = {**audio_entries(), "pause.wav": wav_bytes(seconds=1.0)}
    outcome = run("bulk_import", "package", str(zip_package(tmp_path / "center.zip", tables, audio)))
    assert outcome.code == 0 and outcome.job.failed == 0, outcome.out
    exported = export_package(tmp_path, "export.zip")
    again = run("bulk_import", "package", str(exported)).job
    assert again.failure_reason == "" and again.unchanged == again.total_rows > 0


def test_revert_undoes_the_whole_package_and_the_export_reimports_identically(empty, tmp_path):
    before = zip_contents(export_package(tmp_path, "before.zip"))
    imported = run("bulk_import", "package", str(zip_package(tmp_path / "center.zip", sample_tables()))).job
    exported = export_package(tmp_path, "after.zip")
    workbook = export_package(tmp_path, "after.xlsx")
    assert any(name.startswith("audio/") for name in zip_contents(exported))

    unchanged = run("bulk_import", "package", str(exported)).job
    assert unchanged.unchanged == unchanged.total_rows > 0
    assert run("bulk_import", "package", str(workbook)).job.failed == 0

    reverted = run("bulk_revert", str(imported.pk))
    assert reverted.code == 0, reverted.out + reverted.err
    assert reverted.job.failed == 0 and reverted.job.deleted == job_changes(imported).count()
    assert [p.object_type for p in reverted.job.parts.order_by("position")] == [
        p.object_type for p in imported.parts.order_by("-position")
    ]
    assert zip_contents(export_package(tmp_path, "reverted.zip")) == before

    # Into the empty configuration the export re-creates it, exported again byte for byte.
    recreated = run("bulk_import", "package", str(exported))
    assert recreated.code == 0 and recreated.job.failed == 0
    assert zip_contents(export_package(tmp_path, "again.zip")) == zip_contents(exported)
    assert workbook_contents(export_package(tmp_path, "again.xlsx")) == workbook_contents(workbook)

"""SPEC 11 at the acceptance size: a contact center of 5 sites, 40 teams, 30 queues, 25 entry points, 60
DNs, 2,000 users and audio (tests/contact_center.py), as one workbook with its sheets shuffled and as
one Zip, through the commands."""

import csv
import io
import random
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from bulkops.models import Job
from config_objects.models import ContactCenterUser, Site, Team
from config_objects.registry import OBJECT_TYPES
from tests.bulk import run
from tests.contact_center import SHIPPED, as_csv, audio_entries, contact_center

pytestmark = pytest.mark.django_db(transaction=True)
LABELS = {t.slug: str(t.label) for t in OBJECT_TYPES}


@pytest.fixture(scope="module")
def center():
    return contact_center()


def as_zip(path, tables, audio=None):
    slugs = sorted(tables, key=lambda slug: random.Random(slug).random())
    with zipfile.ZipFile(path, "w") as archive:
        for number, slug in enumerate(slugs, start=1):
            archive.writestr(f"{number:02d}_{slug}.csv", as_csv(tables[slug]))
        for name, content in (audio_entries(3) if audio is None else audio).items():
            archive.writestr(f"audio/{name}", content)
    return path


def as_workbook(path, tables):
    workbook = Workbook(write_only=True)
    for slug in sorted(tables, key=lambda slug: random.Random(slug + "!").random()):
        sheet = workbook.create_sheet(LABELS[slug])
        for row in tables[slug]:
            sheet.append(row)
    workbook.save(path)
    return path


def exported(tmp_path, name) -> dict:
    target = tmp_path / name
    outcome = run("bulk_export", "package", "-o", str(target))
    assert outcome.code == 0, outcome.err
    if name.endswith(".xlsx"):
        workbook = load_workbook(target, read_only=True)
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    with zipfile.ZipFile(target) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rows_of(tables) -> int:
    return sum(len(rows) - 1 for rows in tables.values())


def test_the_zip_imports_previews_reverts_and_exports_as_one(sync_jobs, tmp_path, center):
    empty_zip, empty_workbook = exported(tmp_path, "empty.zip"), exported(tmp_path, "empty.xlsx")
    package = as_zip(tmp_path / "center.zip", center)
    total = rows_of(center) + 3

    preview = run("bulk_import", "package", str(package), "--validate-only").job
    assert (preview.status, preview.failed, preview.total_rows) == (Job.Status.COMPLETED, 0, total)
    assert preview.created == total - len(SHIPPED) and not Site.objects.exists()

    job = run("bulk_import", "package", str(package)).job
    assert (job.status, job.failed, job.created, job.unchanged) == (
        Job.Status.COMPLETED,
        0,
        total - len(SHIPPED),
        len(SHIPPED),
    )
    assert ContactCenterUser.objects.count() == 2000 and Team.objects.count() == 40
    assert {p.object_type: p.total_rows for p in job.parts.all()}["user"] == 2000
    again = run("bulk_import", "package", str(package)).job
    assert again.unchanged == total and again.failed == 0

    full_zip, full_workbook = exported(tmp_path, "full.zip"), exported(tmp_path, "full.xlsx")
    reverted = run("bulk_revert", str(job.pk)).job
    assert reverted.status == Job.Status.COMPLETED, reverted.failure_reason
    assert exported(tmp_path, "reverted.zip") == empty_zip
    assert exported(tmp_path, "reverted.xlsx") == empty_workbook

    # The export, imported into the (again) empty configuration, re-creates it byte for byte.
    recreated = run("bulk_import", "package", str(tmp_path / "full.zip")).job
    assert recreated.status == Job.Status.COMPLETED and recreated.failed == 0
    assert exported(tmp_path, "again.zip") == full_zip
    assert exported(tmp_path, "again.xlsx") == full_workbook


def test_a_workbook_with_a_bad_site_fails_what_names_it_and_its_error_workbook_finishes_the_job(
    sync_jobs, tmp_path, center
):
    audio = as_zip(tmp_path / "audio.zip", {})  # a workbook holds no audio: it must exist already
    assert run("bulk_import", "package", str(audio)).job.created == 3
    tables = {slug: [list(row) for row in rows] for slug, rows in center.items()}
    header, *sites = tables["site"]
    bad_site = sites[2][header.index("Name")]
    profile = sites[2][header.index("Multimedia Profile")]
    sites[2][header.index("Multimedia Profile")] = "Nobody's Profile"

    job = run("bulk_import", "package", str(as_workbook(tmp_path / "center.xlsx", tables))).job
    assert job.status == Job.Status.COMPLETED_WITH_ERRORS
    failed = {(e.part.object_type, e.line): e.message for e in job.errors.select_related("part")}
    assert failed.pop(("site", 4)).startswith("Multimedia Profile 'Nobody's Profile' does not exist")
    # (The other rows of an object written over several rows fail with its first failed one.)
    others = [m for m in failed.values() if "failed in this package" not in m and not m.startswith("Not imported")]
    assert failed and others == []
    # Only what names the site (or names what failed so) fails: every team and user of the others is in.
    team_sites = {row[0]: row[1] for row in tables["team"][1:]}
    assert Team.objects.count() == sum(1 for site in team_sites.values() if site != bad_site)
    assert not Site.objects.filter(name=bad_site).exists() and Site.objects.count() == 4
    assert job.created + job.unchanged + job.failed == job.total_rows

    errors = tmp_path / "errors.xlsx"
    assert run("bulk_errors", str(job.pk), "-o", str(errors)).code == 0
    workbook = load_workbook(errors)
    assert {sheet.title for sheet in workbook.worksheets} == {p.entry for p in job.parts.filter(failed__gt=0)}
    sheet = workbook["Site"]
    assert [cell.value for cell in sheet[1]][-1] == "Error Message"
    sheet.cell(row=2, column=header.index("Multimedia Profile") + 1).value = profile
    workbook.save(errors)
    fixed = run("bulk_import", "package", str(errors)).job
    assert (fixed.status, fixed.failed, fixed.created) == (Job.Status.COMPLETED, 0, job.failed)
    assert Team.objects.count() == 40 and ContactCenterUser.objects.count() == 2000


def test_the_changes_of_a_package_name_their_object(sync_jobs, tmp_path, center):
    small = {slug: rows[:3] for slug, rows in center.items()}
    job = run("bulk_import", "package", str(as_zip(tmp_path / "small.zip", small)), "--validate-only").job
    target = tmp_path / "changes.csv"
    assert run("bulk_changes", str(job.pk), "-o", str(target)).code == 0
    lines = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert lines[0][0] == "Object"
    assert {line[0] for line in lines[1:]} >= {"Site", "Team", "Queue", "User", "Audio File"}

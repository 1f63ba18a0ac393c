"""Change history, preview and revert (SPEC section 8) through the commands."""

import pytest

from bulkops.changes import JobChanges
from bulkops.engine.revert import ChunkReverter, Importer
from bulkops.models import Job
from config_objects.models import AudioFile, Site
from config_objects.resources import SiteResource
from tests.bulk import csv_text, run, write

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Multimedia Profile"
PROFILE = "Default Multimedia Profile"


def export_sites(tmp_path, name="export.csv") -> bytes:
    outcome = run("bulk_export", "site", "-o", str(tmp_path / name))
    assert outcome.code == 0, outcome.err
    return (tmp_path / name).read_bytes()


def test_import_then_revert_puts_every_site_back(tmp_path):
    run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Belgrade,old,{PROFILE}", f"Nis,keep,{PROFILE}"))))
    before = export_sites(tmp_path, "before.csv")
    changed = csv_text(HEADER, f"Belgrade,new,{PROFILE}", f"Nis,keep,{PROFILE}", f"Novi Sad,,{PROFILE}")
    imported = run("bulk_import", "site", str(write(tmp_path, changed)))
    assert imported.code == 0, imported.err
    assert (imported.job.created, imported.job.updated, imported.job.unchanged) == (1, 1, 1)

    changes = run("bulk_changes", str(imported.job.pk))
    assert "Belgrade,Updated,Description,old,new" in changes.out
    assert "Novi Sad,Created,Name,,Novi Sad" in changes.out

    reverted = run("bulk_revert", str(imported.job.pk))
    assert reverted.code == 0, reverted.err + reverted.out
    job = reverted.job
    assert (job.operation, job.file_name, job.updated, job.deleted, job.failed) == (
        "revert",
        f"revert of job {imported.job.pk}",
        1,
        1,
        0,
    )
    assert export_sites(tmp_path, "after.csv") == before
    again = run("bulk_revert", str(imported.job.pk))
    assert again.code == 1 and f"already reverted by job {job.pk}" in again.err

    redo = run("bulk_revert", str(job.pk))
    assert redo.code == 0, redo.err
    assert (redo.job.created, redo.job.updated) == (1, 1)
    assert Site.objects.get(name="Belgrade").description == "new"


def test_values_with_characters_the_database_copy_escapes_are_kept_exactly(tmp_path):
    # Rows and their history reach PostgreSQL through COPY, whose text format gives backslashes,
    # tabs and line breaks a meaning of their own; a cell is stored and shown as it was written.
    odd = ["back\\slash", "tab\there", "\\N", 'say ""hi""', "line\nbreak", "a,b;c", "Ünïcode ✓"]
    rows = [f'"Site {number}","{text}",{PROFILE}' for number, text in enumerate(odd)]
    imported = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, *rows))))
    assert imported.code == 0, imported.err
    stored = dict(Site.objects.values_list("name", "description"))
    assert stored == {f"Site {number}": text.replace('""', '"') for number, text in enumerate(odd)}
    again = run("bulk_import", "site", str(write(tmp_path, export_sites(tmp_path), "again.csv")))
    assert again.job.unchanged == len(odd), again.out
    changes = JobChanges(imported.job)
    assert {change.after[0][1] for change in changes.iterator()} == set(stored.values())

    update = csv_text(HEADER, f'"Site 0","new\\\tvalue",{PROFILE}')
    updated = run("bulk_import", "site", str(write(tmp_path, update, "update.csv")))
    assert updated.job.updated == 1, updated.err
    assert Site.objects.get(name="Site 0").description == "new\\\tvalue"
    assert run("bulk_revert", str(updated.job.pk)).code == 0
    assert Site.objects.get(name="Site 0").description == "back\\slash"


def test_validate_only_previews_and_import_this_file_applies_the_same(tmp_path):
    path = write(tmp_path, csv_text(HEADER, f"Belgrade,x,{PROFILE}"))
    checked = run("bulk_import", "site", str(path), "--validate-only")
    assert not Site.objects.exists()
    assert f"bulk_changes {checked.job.pk}" in checked.out
    preview = run("bulk_changes", str(checked.job.pk)).out
    imported = run("bulk_import", "--from-job", str(checked.job.pk))
    assert imported.code == 0
    assert run("bulk_changes", str(imported.job.pk)).out == preview


def test_a_conflict_and_a_used_object_fail_while_the_rest_revert(tmp_path):
    imported = run(
        "bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"A,,{PROFILE}", f"B,,{PROFILE}", f"C,,{PROFILE}")))
    )
    site = Site.objects.get(name="A")
    site.description = "edited"
    site.save()
    reverted = run("bulk_revert", str(imported.job.pk))
    assert reverted.code == 3
    assert (reverted.job.deleted, reverted.job.failed) == (2, 1)
    (message,) = reverted.errors().values()
    assert message.startswith(f"Changed since job {imported.job.pk} by ") and "Description is now 'edited'" in message
    assert list(Site.objects.values_list("name", flat=True)) == ["A"]
    assert Job.objects.get(pk=reverted.job.pk).status == "completed_with_errors"


def test_an_object_still_used_is_not_deleted_and_says_by_what(tmp_path):
    from tests.factories import make_team

    imported = run(
        "bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Kragujevac,,{PROFILE}", f"Nis,,{PROFILE}")))
    )
    make_team("Tier 1 Nis", site=Site.objects.get(name="Nis"))
    reverted = run("bulk_revert", str(imported.job.pk))
    assert (reverted.job.deleted, reverted.job.failed) == (1, 1)
    assert list(reverted.errors().values()) == ["Not deleted: still used by Team 'Tier 1 Nis'"]
    assert list(Site.objects.values_list("name", flat=True)) == ["Nis"]


def test_a_revert_stopped_half_way_finishes_the_rest_when_run_again(tmp_path, settings):
    settings.BULK_CHUNK_ROWS = 2
    rows = [f"S{number},,{PROFILE}" for number in range(5)]
    imported = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, *rows))))
    first = Job.objects.create(
        object_type="site", operation="revert", file_name="x", reverts=imported.job, submitted_by_name="t"
    )
    # The first revert job gets through one chunk of two objects, then its worker dies.
    importer = Importer(SiteResource, job=first)
    importer.prepare({c.column_name for c in importer.resource.columns()})
    changes = JobChanges(imported.job)
    ChunkReverter(importer, imported.job).revert(changes.rows(changes.queryset()[:2]), first_line=1)
    Job.objects.filter(pk=first.pk).update(status="failed", active_slot=None, failure_reason="the worker died")
    assert Site.objects.count() == 3
    again = run("bulk_revert", str(imported.job.pk))
    assert again.code == 0, again.err
    assert (again.job.deleted, again.job.unchanged) == (3, 2)
    assert not Site.objects.exists()


def test_audio_files_get_back_their_previous_recording(tmp_path):
    from tests.test_audio import archive, wav

    first = run("bulk_import", "audio-file", archive(tmp_path, {"hold.wav": wav(0.25)}, name="one.zip"))
    assert first.job.created == 1
    old = AudioFile.objects.get()
    old_file, old_sha = old.file.name, old.sha256
    second = run(
        "bulk_import", "audio-file", archive(tmp_path, {"hold.wav": wav(0.5), "new.wav": wav()}, name="two.zip")
    )
    assert (second.job.created, second.job.updated) == (1, 1)
    assert AudioFile.objects.get(name="hold.wav").sha256 != old_sha
    reverted = run("bulk_revert", str(second.job.pk))
    assert reverted.code == 0, reverted.err
    assert (reverted.job.updated, reverted.job.deleted) == (1, 1)
    restored = AudioFile.objects.get()
    assert (restored.name, restored.file.name, restored.sha256) == ("hold.wav", old_file, old_sha)
    assert restored.duration == old.duration


def test_a_failed_import_that_applied_rows_can_be_reverted_and_one_that_did_not_cannot(tmp_path):
    imported = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"A,,{PROFILE}", f"B,,{PROFILE}"))))
    # As if it had been cancelled after its first chunk: Failed, with what it applied recorded.
    Job.objects.filter(pk=imported.job.pk).update(status="failed", failure_reason="Cancelled by ana.")
    reverted = run("bulk_revert", str(imported.job.pk))
    assert reverted.code == 0, reverted.err
    assert reverted.job.deleted == 2 and not Site.objects.exists()
    nothing = Job.objects.create(
        object_type="site", operation="import", status="failed", active_slot=None, submitted_by_name="t"
    )
    refused = run("bulk_revert", str(nothing.pk))
    assert refused.code == 1 and "failed before it changed anything" in refused.err

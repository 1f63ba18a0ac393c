"""bulk_history_prune --days N: old history goes, each existing object's latest record stays, and
recordings only pruned records referenced leave storage."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from bulkops.models import Job, JobChange
from config_objects import models as m
from tests import factories as f
from tests.bulk import csv_text, run, write

HEADER = "Name,Description,Multimedia Profile"
PROFILE = "Default Multimedia Profile"

pytestmark = pytest.mark.django_db


def age(model, days):
    model.history.model.objects.update(history_date=timezone.now() - timedelta(days=days))


def test_prune_removes_old_records_and_keeps_the_latest_of_each_object(admin_user):
    site = f.make_site(description="v1")
    for number in (2, 3):
        site.description = f"v{number}"
        site.save()
    gone = f.make_site("Nis")
    gone.delete()
    age(m.Site, 40)
    recent = f.make_site("Novi Sad")
    job = Job.objects.create(object_type="site", operation="import", file_name="x.csv", submitted_by=admin_user)
    change = JobChange.objects.create(job=job, name="Belgrade", action="updated", before=[["a"]], after=[["b"]])

    outcome = run("bulk_history_prune", "--days", "30")

    assert outcome.code == 0, outcome.err
    assert "Site: 4 removed" in outcome.out
    latest = list(site.history.all())
    assert [(r.history_type, r.description) for r in latest] == [("~", "v3")]
    assert latest[0].rows[0][1] == "v3"
    assert not m.Site.history.filter(name="Nis").exists()
    assert recent.history.count() == 1
    assert JobChange.objects.filter(pk=change.pk).exists()


def test_prune_keeps_records_younger_than_the_limit():
    site = f.make_site(description="v1")
    site.description = "v2"
    site.save()
    age(m.Site, 5)
    assert "Site: 0 removed" in run("bulk_history_prune", "--days", "30").out
    assert site.history.count() == 2


@pytest.mark.parametrize("days", ["0", "-3"])
def test_prune_refuses_less_than_one_day(days):
    outcome = run("bulk_history_prune", "--days", days)
    assert outcome.code == 1
    assert "--days must be 1 or more" in outcome.err


def test_a_recording_only_pruned_records_had_leaves_storage():
    audio = f.make_audio_file()
    old_name = audio.file.name
    audio.file.save("hold-music-2.wav", ContentFile(f.wav_bytes(0.2)), save=True)
    kept_name = audio.file.name
    assert old_name != kept_name and default_storage.exists(old_name)
    age(m.AudioFile, 40)

    outcome = run("bulk_history_prune", "--days", "30")

    assert "Audio File: 1 removed" in outcome.out
    assert not default_storage.exists(old_name)
    assert default_storage.exists(kept_name)


def test_a_recording_a_remaining_record_has_stays():
    audio = f.make_audio_file()
    old_name = audio.file.name
    audio.file.save("hold-music-2.wav", ContentFile(f.wav_bytes(0.2)), save=True)
    age(m.AudioFile, 40)
    audio.history.model.objects.filter(file=old_name).update(history_date=timezone.now())
    run("bulk_history_prune", "--days", "30")
    assert default_storage.exists(old_name)


def test_a_job_whose_history_was_pruned_no_longer_lists_changes_nor_reverts(tmp_path, admin_client):
    imported = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Belgrade,v1,{PROFILE}"))))
    updated = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Belgrade,v2,{PROFILE}"))))
    validated = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Nis,,{PROFILE}"))), "--validate-only")
    assert "Belgrade,Updated,Description,v1,v2" in run("bulk_changes", str(updated.job.pk)).out
    age(m.Site, 40)

    outcome = run("bulk_history_prune", "--days", "30")

    # The first import's record goes; the update's is the site's latest, so it stays, but the
    # update job lost nothing and still lists its change; the first import lost its record.
    assert "Site: 1 removed" in outcome.out
    assert "1 job no longer lists its changes and can no longer be reverted." in outcome.out
    imported.job.refresh_from_db()
    assert imported.job.changes_pruned_at is not None
    listed = run("bulk_changes", str(imported.job.pk))
    assert listed.code == 1
    assert f"Job {imported.job.pk} no longer lists its changes: history it wrote was removed" in listed.err
    refused = run("bulk_revert", str(imported.job.pk))
    assert refused.code == 1
    assert f"Job {imported.job.pk} can no longer be reverted: history it wrote was removed" in refused.err
    page = admin_client.get(f"/admin/bulkops/job/{imported.job.pk}/change/")
    assert "These changes are no longer listed: history this job wrote was removed" in page.text
    # Nor does it offer them as a download (a CSV of its header alone would say nothing changed).
    assert "Export changes to CSV" not in page.text
    download = admin_client.get(f"/admin/bulkops/job/{imported.job.pk}/file/changes/")
    assert download.status_code == 404
    assert "changes" not in admin_client.get(f"/api/v1/jobs/{imported.job.pk}/").json()["files"]
    assert admin_client.get(f"/api/v1/jobs/{imported.job.pk}/changes/").status_code == 404
    assert "Belgrade,Updated,Description,v1,v2" in run("bulk_changes", str(updated.job.pk)).out
    assert "Nis,Created,Name,,Nis" in run("bulk_changes", str(validated.job.pk)).out


def test_a_job_whose_changes_are_listed_apart_keeps_them_when_its_history_is_pruned(tmp_path):
    # A job recorded before history held the rows an update replaced keeps its JobChange rows.
    imported = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Belgrade,v1,{PROFILE}"))))
    JobChange.objects.create(
        job=imported.job,
        object_pk=m.Site.objects.get().pk,
        name="Belgrade",
        action="created",
        after=[["Belgrade", "v1", PROFILE]],
    )
    site = m.Site.objects.get()
    site.description = "v2"
    site.save()
    age(m.Site, 40)

    outcome = run("bulk_history_prune", "--days", "30")

    assert "Site: 1 removed" in outcome.out
    assert "no longer" not in outcome.out
    imported.job.refresh_from_db()
    assert imported.job.changes_pruned_at is None
    assert "Belgrade,Created,Description,,v1" in run("bulk_changes", str(imported.job.pk)).out

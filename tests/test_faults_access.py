"""Faults and access, scheduled imports, through the admin and the commands: a schedule cannot go
around object permissions (it runs as its owner, and stops when the owner may no longer import) or
reach the job files. Downloads are in test_faults_access_downloads.py, cancelling in
test_faults_access_cancel.py, the shared helpers in tests/faults_access.py."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from bulkops.models import Job, ScheduledImport
from bulkops.schedules import run_scheduled_import
from config_objects.models import Site
from tests.bulk import run
from tests.faults_access import (
    ADD_SCHEDULE,
    FOLDER_ERROR,
    GOOD_SITES,
    NEW,
    SCHEDULE_PERMS,
    client_for,
    drop,
    file_url,
    folder_files,
    form_errors,
    grant,
    make_user,
    revoke,
    run_now,
    schedule_form,
    shown_messages,
)

# -- A. scheduled imports ---------------------------------------------------------------------------------


def test_a_schedule_needs_import_permission_on_its_object_and_is_owned_by_who_saved_it(sync_jobs, django_user_model):
    scheduler = make_user(django_user_model, "scheduler", *SCHEDULE_PERMS, "view_worktype")
    client = client_for(scheduler)
    refused = client.post(ADD_SCHEDULE, schedule_form("Work types", "work-type", "work-types"))
    assert refused.status_code == 200
    assert form_errors(refused)["object_type"] == [
        "You may not import Work Type (that needs its add and change permissions), so you may not schedule its "
        "imports either."
    ]
    assert not ScheduledImport.objects.exists()

    grant(scheduler, "add_worktype", "change_worktype")
    saved = client.post(ADD_SCHEDULE, schedule_form("Work types", "work-type", "work-types"))
    assert saved.status_code == 302, form_errors(saved)
    scheduled = ScheduledImport.objects.get()
    assert (scheduled.object_type, scheduled.owner) == ("work-type", scheduler)


def test_run_now_and_saving_refuse_a_schedule_of_an_object_the_user_may_not_import(sync_jobs, django_user_model):
    root = make_user(django_user_model, "root", superuser=True)
    assert client_for(root).post(ADD_SCHEDULE, schedule_form("Agents", "user", "agents")).status_code == 302
    scheduled = ScheduledImport.objects.get()
    assert scheduled.owner == root
    drop("imports/agents/agents.csv", "Email,First Name,Last Name\n")

    restricted = make_user(django_user_model, "restricted", *SCHEDULE_PERMS, "view_worktype")
    client = client_for(restricted)
    response = run_now(client, scheduled)
    assert response.status_code == 200
    assert shown_messages(response) == [
        (
            "error",
            "Agents: restricted may not import User (that needs its add and change permissions), so scheduled "
            "import 'Agents' does not run for them.",
        )
    ]
    assert not Job.objects.exists()
    assert folder_files("imports/agents") == ["agents.csv"]
    scheduled.refresh_from_db()
    assert scheduled.last_run_at is None

    # Nor can they take the schedule over by saving it (it would then run as them).
    change = reverse("admin:bulkops_scheduledimport_change", args=[scheduled.pk])
    response = client.post(change, schedule_form("Agents", "user", "agents-elsewhere"))
    assert response.status_code == 200
    assert "object_type" in form_errors(response)
    scheduled.refresh_from_db()
    assert (scheduled.owner, scheduled.folder) == (root, "agents")


def test_a_schedule_reads_only_under_the_watched_root_never_the_job_files(sync_jobs, django_user_model):
    root = make_user(django_user_model, "root", superuser=True)
    client = client_for(root)
    exported = client.post(NEW, {"object": "site", "operation": "export"})
    assert exported.status_code == 201, exported.content
    job = Job.objects.get(pk=exported.json()["job"]["id"])
    assert job.status == Job.Status.COMPLETED and job.result_file
    result_path = job.result_file.name
    result_bytes = default_storage.open(result_path).read()
    internal = str(PurePosixPath(result_path).parent)
    assert internal == f"jobs/output/{timezone.now():%Y/%m}"  # e.g. jobs/output/2026/11
    assert PurePosixPath(result_path).suffix == ".csv"

    saved = client.post(ADD_SCHEDULE, schedule_form("Job results", "site", internal))
    assert saved.status_code == 302, form_errors(saved)
    scheduled = ScheduledImport.objects.get()
    assert scheduled.storage_folder == f"{settings.SCHEDULED_IMPORTS_ROOT}/{internal}"

    assert run_scheduled_import(scheduled.pk) == "No new files."
    outcome = run("bulk_schedule_run", "Job results")
    assert outcome.code == 0 and outcome.out.strip() == "Job results: No new files."
    assert Job.objects.count() == 1
    assert default_storage.open(result_path).read() == result_bytes
    assert folder_files(internal) == [PurePosixPath(result_path).name]
    assert not default_storage.exists(f"{internal}/processed")
    assert b"".join(client.get(file_url(job, "result")).streaming_content) == result_bytes

    # The same folder under the watched root is the one that is read.
    drop(f"{scheduled.storage_folder}/sites.csv", GOOD_SITES)
    assert run_scheduled_import(scheduled.pk).startswith("Submitted sites.csv as job")
    assert Site.objects.filter(name="Novi Sad").exists()
    assert folder_files(scheduled.storage_folder) == []
    assert len(folder_files(scheduled.processed_folder)) == 1
    assert default_storage.open(result_path).read() == result_bytes


def test_a_folder_that_climbs_out_of_the_watched_root_is_refused(sync_jobs, django_user_model):
    client = client_for(make_user(django_user_model, "root", superuser=True))
    for folder in [
        "..",
        "../jobs/output/2026/11",
        "sites/../../jobs/output/2026/11",
        "sites/./../..",
        "..\\jobs\\output",
        "/../jobs",
    ]:
        response = client.post(ADD_SCHEDULE, schedule_form("Climber", "site", folder))
        assert response.status_code == 200, folder
        assert form_errors(response)["folder"] == [FOLDER_ERROR], folder
    assert not ScheduledImport.objects.exists()


def test_a_scheduled_job_is_submitted_as_its_owner_and_stops_when_the_owner_loses_permission(
    sync_jobs, django_user_model
):
    owner = make_user(django_user_model, "owner", *SCHEDULE_PERMS, "add_site", "change_site")
    make_user(django_user_model, "restricted", *SCHEDULE_PERMS, "view_worktype")
    assert client_for(owner).post(ADD_SCHEDULE, schedule_form("Sites drop", "site", "sites")).status_code == 302
    scheduled = ScheduledImport.objects.get()
    assert scheduled.owner == owner

    drop("imports/sites/first.csv", GOOD_SITES)
    outcome = run("bulk_schedule_run", "Sites drop")
    assert outcome.code == 0, outcome.err
    job = outcome.job
    assert (job.status, job.submitted_by, job.submitted_by_name, job.scheduled_import) == (
        Job.Status.COMPLETED,
        owner,
        "Scheduled: Sites drop",
        scheduled,
    )

    drop("imports/sites/second.csv", GOOD_SITES.replace("Novi Sad", "Kragujevac"))
    refused = run("bulk_schedule_run", "Sites drop", "--user", "restricted")
    assert refused.code != 0 and refused.job is None
    assert refused.err == (
        "restricted may not import Site (that needs its add and change permissions), so scheduled import "
        "'Sites drop' does not run for them."
    )
    assert folder_files("imports/sites") == ["second.csv"]

    revoke(owner, "change_site")
    why = (
        "owner may not import Site (that needs its add and change permissions), so scheduled import 'Sites drop' "
        "does not run for them."
    )
    assert run_scheduled_import(scheduled.pk) == why
    scheduled.refresh_from_db()
    assert scheduled.last_result == why and scheduled.last_run_at is not None
    command = run("bulk_schedule_run", "Sites drop")
    assert command.code != 0 and command.job is None
    assert command.err == why
    # A superuser's Run now does not lend the owner its permissions either.
    response = run_now(client_for(make_user(django_user_model, "root", superuser=True)), scheduled)
    assert [message for _, message in shown_messages(response)] == [f"Sites drop: {why}"]
    assert Job.objects.count() == 1
    assert folder_files("imports/sites") == ["second.csv"]
    assert not Site.objects.filter(name="Kragujevac").exists()


def test_a_schedule_whose_owner_was_deleted_does_not_run_as_the_system(sync_jobs, django_user_model):
    owner = make_user(django_user_model, "owner", *SCHEDULE_PERMS, "add_site", "change_site")
    assert client_for(owner).post(ADD_SCHEDULE, schedule_form("Sites drop", "site", "sites")).status_code == 302
    scheduled = ScheduledImport.objects.get()
    owner.delete()  # the owner leaves; their schedule must not keep importing with nobody's permission
    drop("imports/sites/sites.csv", GOOD_SITES)
    run_scheduled_import(scheduled.pk)
    assert not Job.objects.exists()
    assert not Site.objects.exists()
    assert folder_files("imports/sites") == ["sites.csv"]

"""Faults and access, cancelling: only the submitter, an importer of the object or a superuser may
cancel a job, through the admin or `bulk_cancel`; an ended job is not cancelled again, and the Cancel
button is shown only to who may cancel and only while the job is active."""

import pytest
from django.test import Client

from bulkops.models import Job
from bulkops.worker.queue import has_task
from config_objects.models import Site
from tests.bulk import run, write
from tests.faults_access import GOOD_SITES, cancel_url, client_for, details_url, make_user, shown_messages, upload

# -- C. cancelling ------------------------------------------------------------------------------------------


@pytest.fixture
def queued(settings, catalogue_defaults):
    """No worker runs here: a submitted job stays New, with its task in the queue."""
    settings.BULK_JOBS_SYNC = False


@pytest.fixture
def users(queued, django_user_model):
    return {
        "editor": make_user(django_user_model, "editor", "add_site", "change_site"),
        "other-editor": make_user(django_user_model, "other-editor", "add_site", "change_site"),
        "half-editor": make_user(django_user_model, "half-editor", "add_site", "view_site"),
        "viewer": make_user(django_user_model, "viewer", "view_site"),
        "staff": make_user(django_user_model, "staff"),
        "root": make_user(django_user_model, "root", superuser=True),
    }


def submit(client) -> Job:
    response = upload(client)
    assert response.status_code == 201, response.content
    job = Job.objects.get(pk=response.json()["job"]["id"])
    assert job.status == Job.Status.NEW
    return job


def test_the_submitter_cancels_a_new_job_and_may_then_submit_again(users):
    client = client_for(users["editor"])
    job = submit(client)
    assert has_task(job.pk)
    assert upload(client).status_code == 409
    response = client.post(cancel_url(job))
    assert response.status_code == 302 and response["Location"] == details_url(job)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.is_active
    assert "Cancelled by editor" in job.failure_reason
    assert not has_task(job.pk)
    assert not Site.objects.exists()
    page = client.get(details_url(job))
    assert ("success", f"Job {job.pk} is cancelled. It has stopped.") in shown_messages(page)
    again = submit(client)
    assert again.pk != job.pk


def test_only_the_submitter_an_importer_of_the_object_or_a_superuser_may_cancel(users):
    job = submit(client_for(users["editor"]))
    for who in ["viewer", "staff", "half-editor"]:
        assert client_for(users[who]).post(cancel_url(job)).status_code == 403, who
    anonymous = Client().post(cancel_url(job))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert client_for(users["other-editor"]).get(cancel_url(job)).status_code == 405
    job.refresh_from_db()
    assert (job.status, job.cancel_requested_by) == (Job.Status.NEW, "")

    assert client_for(users["other-editor"]).post(cancel_url(job)).status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Cancelled by other-editor" in job.failure_reason

    second = submit(client_for(users["editor"]))
    assert client_for(users["root"]).post(cancel_url(second)).status_code == 302
    second.refresh_from_db()
    assert second.status == Job.Status.FAILED and "Cancelled by root" in second.failure_reason

    # Cancelling what has ended changes nothing and says so.
    response = client_for(users["editor"]).post(cancel_url(second), follow=True)
    assert ("warning", f"Job {second.pk} has already ended (Failed); there is nothing to cancel.") in (
        shown_messages(response)
    )
    second.refresh_from_db()
    assert "Cancelled by root" in second.failure_reason


def test_bulk_cancel_refuses_an_ended_job_and_a_user_without_permission(users, tmp_path):
    finished = run("bulk_import", "site", str(write(tmp_path, GOOD_SITES)), "--user", "editor")
    assert finished.code == 0 and finished.job.status == Job.Status.COMPLETED
    ended = run("bulk_cancel", str(finished.job.pk))
    assert ended.code != 0
    assert ended.err == f"Job {finished.job.pk} has already ended (Completed); there is nothing to cancel."
    assert Job.objects.get(pk=finished.job.pk).status == Job.Status.COMPLETED

    job = submit(client_for(users["editor"]))
    refused = run("bulk_cancel", str(job.pk), "--user", "viewer")
    assert refused.code != 0
    assert refused.err == (
        f"viewer may not cancel job {job.pk}: only its submitter, a superuser or whoever may import Site may."
    )
    assert run("bulk_cancel", str(job.pk), "--user", "nobody").err == "There is no user 'nobody'."
    job.refresh_from_db()
    assert job.status == Job.Status.NEW

    done = run("bulk_cancel", str(job.pk), "--user", "other-editor")
    assert done.code == 0, done.err
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Cancelled by other-editor" in job.failure_reason
    assert "Cancelled by other-editor" in done.out
    assert run("bulk_cancel", "999999").code != 0


def test_the_cancel_button_is_shown_only_to_who_may_cancel_and_only_while_the_job_is_active(users):
    job = submit(client_for(users["editor"]))
    may = {"editor": True, "other-editor": True, "root": True, "viewer": False, "staff": False, "half-editor": False}

    def shows_button(who, target):
        page = client_for(users[who]).get(details_url(target))
        assert page.status_code == 200
        return 'value="Cancel job"' in page.content.decode()

    for who, expected in may.items():
        assert shows_button(who, job) is expected, who
    assert client_for(users["editor"]).post(cancel_url(job)).status_code == 302
    for who in may:
        assert not shows_button(who, job), who

"""Scheduled imports from a watched folder in storage."""

import os
import threading
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from bulkops.models import Job, ScheduledImport
from bulkops.schedules import run_scheduled_import
from config_objects.models import Site
from tests.bulk import run
from tests.worker import qcluster, wait_for, worker_env

HEADER = "Name,Description,Multimedia Profile\n"
MP = "Default Multimedia Profile"


def drop(name: str, content: str, folder="imports/sites", age: float = 0) -> str:
    path = default_storage.save(f"{folder}/{name}", ContentFile(content.encode()))
    if age:
        moment = time.time() - age
        os.utime(default_storage.path(path), (moment, moment))
    return path


def folder_files(folder="imports/sites"):
    return sorted(default_storage.listdir(folder)[1])


def processed_files(folder="imports/sites"):
    return sorted(default_storage.listdir(f"{folder}/processed")[1])


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_superuser("scheduler", "scheduler@example.com", "pw-123456789")


@pytest.fixture
def sites_schedule(sync_jobs, owner):
    return ScheduledImport.objects.create(
        name="Sites drop", object_type="site", folder="sites", every_minutes=5, owner=owner
    )


def test_saving_a_scheduled_import_creates_its_schedule_and_deleting_removes_it(sites_schedule):
    schedule = Schedule.objects.get(pk=sites_schedule.schedule_id)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "bulkops.schedules.run_scheduled_import",
        Schedule.MINUTES,
        5,
    )
    assert schedule.kwargs == f"scheduled_import_id={sites_schedule.pk}"
    sites_schedule.cron, sites_schedule.every_minutes = "*/15 * * * *", None
    sites_schedule.save()
    schedule.refresh_from_db()
    assert (schedule.schedule_type, schedule.cron) == (Schedule.CRON, "*/15 * * * *")
    sites_schedule.delete()
    assert not Schedule.objects.filter(pk=schedule.pk).exists()


def test_a_dropped_file_is_imported_once(sites_schedule):
    drop("sites.csv", HEADER + f"Belgrade,,{MP}\n")
    first = run_scheduled_import(sites_schedule.pk)
    job = Job.objects.get()
    assert first == f"Submitted sites.csv as job {job.pk}."
    assert (job.status, job.created, job.submitted_by_name) == (Job.Status.COMPLETED, 1, "Scheduled: Sites drop")
    assert job.scheduled_import == sites_schedule
    assert folder_files() == []
    assert processed_files()[0].endswith("-sites.csv")
    assert run_scheduled_import(sites_schedule.pk) == "No new files."
    assert Job.objects.count() == 1
    sites_schedule.refresh_from_db()
    assert sites_schedule.last_result == "No new files." and sites_schedule.last_run_at is not None


def test_two_files_are_imported_oldest_first_one_job_at_a_time(sites_schedule):
    drop("b-newer.csv", HEADER + f"Nis,,{MP}\n", age=10)
    drop("a-older.csv", HEADER + f"Belgrade,,{MP}\n", age=60)
    first = run_scheduled_import(sites_schedule.pk)
    assert "Submitted a-older.csv as job" in first and "Waiting for the next run" in first
    assert folder_files() == ["b-newer.csv"]
    run_scheduled_import(sites_schedule.pk)
    assert list(Job.objects.order_by("pk").values_list("file_name", flat=True)) == ["a-older.csv", "b-newer.csv"]
    assert Site.objects.count() == 2


def test_a_run_while_a_job_is_active_imports_nothing_and_the_next_run_does(sites_schedule):
    active = Job.objects.create(object_type="team", operation="import", submitted_by_name="ana")
    drop("sites.csv", HEADER + f"Belgrade,,{MP}\n")
    outcome = run_scheduled_import(sites_schedule.pk)
    assert outcome.startswith(f"No new files. Waiting for the next run: Another bulk job is active: job {active.pk}")
    assert folder_files() == ["sites.csv"]
    Job.objects.filter(pk=active.pk).update(status=Job.Status.FAILED, active_slot=None)
    run_scheduled_import(sites_schedule.pk)
    assert Site.objects.filter(name="Belgrade").exists()
    assert folder_files() == []


def test_a_bad_file_makes_a_failed_job_and_is_still_moved_aside(sites_schedule):
    drop("broken.csv", "Nmae,Colour\nBelgrade,red\n")
    run_scheduled_import(sites_schedule.pk)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.failure_reason.startswith("Unknown columns 'Nmae', 'Colour'.")
    assert folder_files() == []
    assert processed_files()[0].endswith("-broken.csv")


def test_files_of_another_type_and_sub_folders_are_left_alone(sites_schedule):
    drop("notes.txt", "hello")
    drop("archive/old.csv", HEADER)
    assert run_scheduled_import(sites_schedule.pk) == "No new files."
    assert folder_files() == ["notes.txt"]


def test_disabling_a_scheduled_import_stops_it(sites_schedule):
    schedule_id = sites_schedule.schedule_id
    sites_schedule.enabled = False
    sites_schedule.save()
    assert not Schedule.objects.filter(pk=schedule_id).exists()
    drop("sites.csv", HEADER + f"Belgrade,,{MP}\n")
    assert run_scheduled_import(sites_schedule.pk) == "not enabled"
    assert not Job.objects.exists()
    sites_schedule.enabled = True
    sites_schedule.save()
    assert Schedule.objects.filter(pk=ScheduledImport.objects.get().schedule_id).exists()


def test_two_overlapping_runs_import_each_file_once(sites_schedule):
    for number in range(3):
        drop(f"sites-{number}.csv", HEADER + f"Site {number},,{MP}\n", age=30 - number)
    outcomes = []

    def run_in_thread():
        try:
            outcomes.append(run_scheduled_import(sites_schedule.pk))
        finally:
            connection.close()  # each thread has its own; an open one would keep the test database alive

    threads = [threading.Thread(target=run_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 2
    submitted = list(Job.objects.order_by("pk").values_list("file_name", flat=True))
    assert len(submitted) == len(set(submitted)) == len(processed_files())
    while folder_files():
        run_scheduled_import(sites_schedule.pk)
    assert list(Job.objects.order_by("pk").values_list("file_name", flat=True)) == [
        "sites-0.csv",
        "sites-1.csv",
        "sites-2.csv",
    ]
    assert Site.objects.count() == 3


def test_the_command_runs_a_scheduled_import_by_name(sites_schedule):
    drop("sites.csv", HEADER + f"Belgrade,,{MP}\n")
    outcome = run("bulk_schedule_run", "Sites drop")
    assert outcome.code == 0 and "Sites drop: Submitted sites.csv as job" in outcome.out
    assert "There is no scheduled import 'Nope'" in run("bulk_schedule_run", "Nope").err


def test_the_admin_refuses_an_invalid_cron_expression_and_runs_one_now(sync_jobs, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw-123456789"))
    form = {"name": "Teams", "object_type": "team", "folder": "teams", "cron": "every day", "enabled": "on"}
    response = client.post(reverse("admin:bulkops_scheduledimport_add"), form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["cron"] == ["'every day' is not a valid cron expression (e.g. '*/15 * * * *')."]
    assert not ScheduledImport.objects.exists()
    both = client.post(reverse("admin:bulkops_scheduledimport_add"), form | {"cron": "0 * * * *", "every_minutes": "5"})
    assert both.context["adminform"].form.non_field_errors() == [
        "Give a cron expression or Every (minutes): one of the two."
    ]
    assert client.post(reverse("admin:bulkops_scheduledimport_add"), form | {"cron": "0 * * * *"}).status_code == 302
    scheduled = ScheduledImport.objects.get()
    drop("teams.csv", "Name,Site,Type\n", folder="imports/teams")
    response = client.post(
        reverse("admin:bulkops_scheduledimport_changelist"),
        {"action": "run_now", "_selected_action": [scheduled.pk]},
        follow=True,
    )
    assert "Teams: Submitted teams.csv as job" in response.content.decode()


def test_a_schedules_page_has_a_run_now_button_that_runs_it(sites_schedule, owner, django_user_model):
    client = Client()
    client.force_login(owner)
    change = reverse("admin:bulkops_scheduledimport_change", args=[sites_schedule.pk])
    run_url = reverse("admin:bulkops_scheduledimport_run", args=[sites_schedule.pk])
    page = client.get(change).content.decode()
    assert f'<form method="post" action="{run_url}" class="run-now">' in page
    assert '<button type="submit" class="button">Run now</button>' in page
    assert client.get(run_url).status_code == 405  # a GET (a prefetched link) runs nothing
    drop("sites.csv", HEADER + f"Belgrade,,{MP}\n")
    response = client.post(run_url, follow=True)
    assert response.redirect_chain == [(change, 302)]
    assert "Sites drop: Submitted sites.csv as job" in response.content.decode()
    assert Site.objects.filter(name="Belgrade").exists()
    viewer = django_user_model.objects.create_user("viewer", password="pw-123456789", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_scheduledimport"))
    client.force_login(viewer)
    assert "Run now" not in client.get(change).content.decode()
    assert client.post(run_url).status_code == 403


@pytest.mark.slow
@pytest.mark.parametrize("queue_name", [None, "site-b"], ids=["default queue name", "Q_CLUSTER_NAME set"])
def test_a_real_qcluster_runs_a_schedule_that_is_due(settings, tmp_path, catalogue_defaults, owner, queue_name):
    # A deployment that names its queue (README, Deployment) still runs its scheduled imports: django-q2
    # runs schedules that name no cluster only on a cluster whose name is its "name" setting.
    broker = {"Q_CLUSTER_NAME": queue_name} if queue_name else None
    scheduled = ScheduledImport.objects.create(
        name="Sites", object_type="site", folder="sites", every_minutes=1, owner=owner
    )
    assert Schedule.objects.get(pk=scheduled.schedule_id).next_run <= timezone.now()
    drop("sites.csv", HEADER + f"Belgrade,,{MP}\n")
    with qcluster(worker_env(settings, tmp_path, broker), tmp_path / "qcluster.log"):
        # The cluster looks at its schedules about every 30 seconds.
        job = wait_for(lambda: Job.objects.filter(scheduled_import=scheduled).first(), timeout=90, message="the job")
        wait_for(lambda: not Job.objects.get(pk=job.pk).is_active, timeout=60, message="the job to finish")
    assert Job.objects.get(pk=job.pk).status == Job.Status.COMPLETED
    assert Site.objects.filter(name="Belgrade").exists()

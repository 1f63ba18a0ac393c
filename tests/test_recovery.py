"""No job can lock everyone out: interrupted submissions, dead workers, cancels, racing submissions,
and commands with no worker to wait for. Real processes where the fault is a process dying."""

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bulkops import services
from bulkops.models import Job
from bulkops.services import job_finish, job_start, job_submit, sweep_jobs
from bulkops.worker.liveness import process_alive
from bulkops.worker.queue import has_task
from config_objects.models import Site
from config_objects.registry import object_type
from tests.bulk import run
from tests.test_worker import sites_file
from tests.worker import ROOT, qcluster, wait_for
from tests.worker import worker_env as make_worker_env

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def worker_env(settings, tmp_path, catalogue_defaults):
    settings.BULK_JOBS_SYNC = False
    return make_worker_env(settings, tmp_path)


def submit(path, **options) -> Job:
    with path.open("rb") as handle:
        return job_submit(
            object_type=object_type("site"), operation="import", upload=File(handle, name=path.name), **options
        )


def command(env, *args, **popen):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        **popen,
    )


# -- 1. submissions cut short -------------------------------------------------------------------------


@pytest.mark.slow
def test_a_submission_killed_at_any_moment_never_leaves_a_job_that_blocks_the_next(worker_env, tmp_path):
    path = sites_file(tmp_path, 200_000)  # big enough that storing it takes a while
    randomness = random.Random(9)
    outcomes = []
    for _attempt in range(6):
        process = command(worker_env, "bulk_import", "site", str(path), "--no-wait")
        time.sleep(randomness.uniform(0.4, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        jobs = list(Job.objects.filter(active_slot=1))
        for job in jobs:
            # A job that exists is whole: its file is stored and its task is queued for the worker.
            assert job.status == Job.Status.NEW
            assert job.input_file and job.input_file.storage.exists(job.input_file.name)
            assert has_task(job.pk)
            services.job_cancel(job, by="test")
        outcomes.append(len(jobs))
    accepted = submit(sites_file(tmp_path, 5, name="small.csv"))
    with qcluster(worker_env, tmp_path / "qcluster.log"):
        wait_for(lambda: not Job.objects.get(pk=accepted.pk).is_active, message="the next job to finish")
    assert Job.objects.get(pk=accepted.pk).status == Job.Status.COMPLETED
    assert Site.objects.count() == 5


def test_a_new_job_left_without_a_task_is_failed_so_the_next_submission_is_accepted(worker_env, tmp_path):
    # What an interrupted submission of an older version left behind: a New job, no file, no task.
    orphan = Job.objects.create(object_type="site", operation="import", file_name="big.csv", submitted_by_name="x")
    Job.objects.filter(pk=orphan.pk).update(submitted_at=timezone.now() - timedelta(seconds=30))
    accepted = submit(sites_file(tmp_path, 3))
    orphan.refresh_from_db()
    assert orphan.status == Job.Status.FAILED
    assert "cut short before it was queued" in orphan.failure_reason
    assert accepted.status == Job.Status.NEW and has_task(accepted.pk)


def test_a_new_job_no_worker_starts_is_failed_after_the_queue_timeout(worker_env, settings, tmp_path):
    waiting = submit(sites_file(tmp_path, 3))
    assert sweep_jobs() == []
    Job.objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.now() - timedelta(seconds=settings.BULK_QUEUE_TIMEOUT_SECONDS + 1)
    )
    assert sweep_jobs() == [waiting.pk]
    assert "No worker started this job" in Job.objects.get(pk=waiting.pk).failure_reason


def test_a_file_that_cannot_be_stored_leaves_no_job(worker_env, tmp_path, monkeypatch):
    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("django.core.files.storage.FileSystemStorage._save", broken_save)
    with pytest.raises(OSError):
        submit(sites_file(tmp_path, 3))
    assert not Job.objects.exists()


# -- 2. dead workers --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_killed_worker_s_job_is_failed_at_once_when_anyone_looks(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 20_000))
    with qcluster(worker_env | {"BULK_CHUNK_ROWS": "200"}, tmp_path / "qcluster.log") as process:
        wait_for(lambda: Job.objects.get(pk=job.pk).done_rows >= 1000, message="the job to be under way")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # SIGKILL reaches the job's worker process (a child of the cluster) a moment later.
    token = Job.objects.get(pk=job.pk).worker
    wait_for(lambda: process_alive(token) is False, timeout=10, message="the worker process to be gone")
    # Its process is gone, and on the same host that is known without waiting for a heartbeat.
    shown = run("bulk_job", str(job.pk))
    assert "Status:       Failed" in shown.out
    job.refresh_from_db()
    assert job.failure_reason.startswith("The worker running this job stopped")
    assert job.created + job.failed == job.done_rows == Site.objects.count()


def test_a_job_on_another_host_is_failed_when_its_heartbeat_stops(worker_env, settings, tmp_path):
    job = submit(sites_file(tmp_path, 3))
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.IN_PROGRESS, worker="elsewhere:123:456", heartbeat_at=timezone.now()
    )
    assert sweep_jobs() == []  # beating: alive as far as anyone here can tell
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.BULK_STALE_SECONDS + 1)
    )
    assert sweep_jobs() == [job.pk]


@pytest.mark.slow
def test_the_heartbeat_goes_on_during_a_long_chunk(worker_env, settings, tmp_path, monkeypatch):
    settings.BULK_HEARTBEAT_SECONDS = 1
    job = submit(sites_file(tmp_path, 3))
    beats = []
    original = services.job_record

    def slow_record(job, **kwargs):
        first = Job.objects.get(pk=job.pk).heartbeat_at
        time.sleep(2.5)  # a chunk that takes longer than a heartbeat
        beats.append((first, Job.objects.get(pk=job.pk).heartbeat_at))
        original(job, **kwargs)

    monkeypatch.setattr("bulkops.jobs.job_record", slow_record)
    from bulkops.jobs import run_job

    if connection.vendor == "sqlite":
        pytest.skip("SQLite holds the chunk's write lock; there the process check, not the heartbeat, tells")
    run_job(job.pk)
    assert Job.objects.get(pk=job.pk).status == Job.Status.COMPLETED
    (before, after), *_ = beats
    assert after > before


# -- 3. cancel ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_bulk_cancel_stops_a_running_job_at_its_next_chunk_and_keeps_its_counts(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 20_000))
    with qcluster(worker_env | {"BULK_CHUNK_ROWS": "200"}, tmp_path / "qcluster.log"):
        wait_for(lambda: Job.objects.get(pk=job.pk).done_rows >= 400, message="the job to be under way")
        outcome = run("bulk_cancel", str(job.pk))
        assert outcome.code == 0, outcome.err
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.failure_reason.startswith("Cancelled by command line")
    assert 0 < job.done_rows < 20_000
    assert job.created + job.updated + job.unchanged + job.failed == job.done_rows
    assert Site.objects.count() == job.created


# -- 4. racing submissions -------------------------------------------------------------------------------


@pytest.mark.slow
def test_submissions_racing_finishing_jobs_get_201_or_409_never_a_500(worker_env, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    statuses, stop = [], threading.Event()

    def submitter():
        client = Client(raise_request_exception=False)
        client.login(username="root", password="pw-123456789")
        try:
            while not stop.is_set():
                upload = SimpleUploadedFile("s.csv", b"Name,Description,Multimedia Profile\n", content_type="text/csv")
                response = client.post(
                    reverse("admin:bulkops_job_new"), {"object": "site", "operation": "import", "file": upload}
                )
                json = response.headers.get("Content-Type", "").startswith("application/json")
                statuses.append((response.status_code, response.json().get("error", "") if json else ""))
        finally:
            connection.close()

    def finisher():
        try:
            while not stop.is_set():
                for job in Job.objects.filter(active_slot=1):
                    if job_start(job.pk):
                        job_finish(job)
        finally:
            connection.close()

    threads = [threading.Thread(target=submitter) for _ in range(6)] + [threading.Thread(target=finisher)]
    for thread in threads:
        thread.start()
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join()
    codes = {code for code, _ in statuses}
    assert codes <= {201, 409}, [s for s in statuses if s[0] not in (201, 409)][:5]
    assert 201 in codes and 409 in codes
    assert all("Another bulk job" in error for code, error in statuses if code == 409)


def test_the_active_job_finishing_between_a_refused_insert_and_the_lookup_is_retried(worker_env, tmp_path, monkeypatch):
    first = submit(sites_file(tmp_path, 3))
    original = services.sweep_jobs

    def active_job_finishes_now():
        if job_start(first.pk):
            job_finish(first)
        return original()

    monkeypatch.setattr(services, "sweep_jobs", active_job_finishes_now)
    monkeypatch.setattr(services, "refuse_if_active", lambda: None)  # so the insert itself meets the active job
    second = submit(sites_file(tmp_path, 3, name="again.csv"))
    assert second.status == Job.Status.NEW
    assert Job.objects.get(pk=first.pk).status == Job.Status.COMPLETED


# -- 12. commands with no worker ---------------------------------------------------------------------------


@pytest.mark.slow
def test_bulk_import_with_no_worker_runs_the_job_in_its_own_process_and_prints_lines(worker_env, tmp_path):
    path = sites_file(tmp_path, 5000)
    process = command(worker_env | {"BULK_CHUNK_ROWS": "500"}, "bulk_import", "site", str(path), text=True)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert "No worker is running" in output and "runs in this process" in output
    assert re.search(r"Job \d+ Completed: 5,000 rows, 5,000 created", output), output
    lines = output.splitlines()
    assert len(lines) < 30 and not any("New..." in line for line in lines), output
    assert Site.objects.count() == 5000

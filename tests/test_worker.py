"""The real thing: `manage.py qcluster` processes and concurrent submissions, on the test database
(PostgreSQL, or an SQLite file) shared between processes."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.files import File
from django.db import connection
from django_q.conf import Conf

from bulkops.models import Job
from bulkops.services import job_fail, job_submit
from bulkops.worker.queue import JOB_ENDED_CHANNEL, woken_by
from bulkops.worker.workers import worker_alive
from config_objects.models import Site
from config_objects.registry import object_type
from tests.bulk import csv_text, write
from tests.worker import ROOT, qcluster, wait_for
from tests.worker import worker_env as make_worker_env

pytestmark = [pytest.mark.usefixtures("transactional_db"), pytest.mark.slow]


@pytest.fixture
def worker_env(settings, tmp_path, catalogue_defaults):
    return make_worker_env(settings, tmp_path)


def sites_file(tmp_path, count, name="sites.csv"):
    rows = [f"Site {number:06},,Default Multimedia Profile" for number in range(count)]
    return write(tmp_path, csv_text("Name,Description,Multimedia Profile", *rows), name)


def submit(path: Path) -> Job:
    with path.open("rb") as handle:
        return job_submit(object_type=object_type("site"), operation="import", upload=File(handle, name=path.name))


def test_a_real_qcluster_runs_a_submitted_job(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 50))
    assert job.status == Job.Status.NEW
    with qcluster(worker_env, tmp_path / "qcluster.log"):
        wait_for(lambda: not Job.objects.get(pk=job.pk).is_active, message="the job to finish")
    job.refresh_from_db()
    assert (job.status, job.created, job.total_rows) == (Job.Status.COMPLETED, 50, 50)
    assert Site.objects.count() == 50


@pytest.mark.skipif(connection.vendor != "postgresql" or not Conf.ORM, reason="PostgreSQL's queue table only")
def test_an_idle_worker_starts_a_job_as_it_is_submitted_not_at_its_next_look_at_the_queue(worker_env, tmp_path):
    """On PostgreSQL a queued task's notification wakes the worker: with ten seconds between its looks
    at the queue table, a job submitted while it waits is done within five."""
    with qcluster(worker_env | {"BULK_WORKER_POLL_MS": "10000"}, tmp_path / "qcluster.log"):
        wait_for(worker_alive, message="the worker")
        time.sleep(2)  # its first look at the queue is over: it waits for the next
        job = submit(sites_file(tmp_path, 5))
        wait_for(lambda: not Job.objects.get(pk=job.pk).is_active, timeout=5, message="the job, started at once")
    job.refresh_from_db()
    assert (job.status, job.created) == (Job.Status.COMPLETED, 5)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's notifications")
def test_a_job_that_ends_wakes_the_command_waiting_for_it(worker_env, tmp_path):
    """A command waits for its job between looks at it, and the job's end, told by a notification,
    cuts the wait short: here a wait of a minute ends a moment after another process fails the job."""
    job = submit(sites_file(tmp_path, 3))

    def fail_it_elsewhere():
        time.sleep(1)
        try:
            job_fail(job, "stopped by the test")
        finally:
            connection.close()  # this thread's own

    with woken_by(JOB_ENDED_CHANNEL) as wait:
        started = time.monotonic()
        threading.Thread(target=fail_it_elsewhere).start()
        wait(60)
        waited = time.monotonic() - started
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    assert waited < 30


def test_of_simultaneous_submissions_from_several_processes_exactly_one_is_accepted(worker_env, tmp_path):
    path = sites_file(tmp_path, 3)
    start_at = time.time() + 4  # every process is up and waiting before the moment comes
    script = (
        "import os, sys, time, django; django.setup();"
        "from django.core.management import call_command;"
        "time.sleep(max(0, float(os.environ['START_AT']) - time.time()));"
        "call_command('bulk_import', 'site', sys.argv[1], '--no-wait')"
    )
    env = worker_env | {"START_AT": str(start_at), "DJANGO_SETTINGS_MODULE": "contactcenter.settings"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=60), p.communicate()[0]) for p in processes]
    accepted = [output for code, output in results if code == 0]
    refused = [output for code, output in results if code != 0]
    assert len(accepted) == 1, results
    assert len(refused) == 3
    assert all("Another bulk job is active" in output for output in refused), refused
    assert Job.objects.count() == 1


def test_a_killed_worker_leaves_a_failed_job_with_its_counts_and_a_rerun_applies_the_rest(worker_env, tmp_path):
    path = sites_file(tmp_path, 20_000)
    env = worker_env | {"BULK_CHUNK_ROWS": "200"}
    job = submit(path)
    with qcluster(env, tmp_path / "first.log") as process:
        wait_for(lambda: Job.objects.get(pk=job.pk).done_rows >= 1000, message="the job to be under way")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    job.refresh_from_db()
    assert job.status == Job.Status.IN_PROGRESS
    done = job.done_rows
    assert 0 < done < 20_000
    with qcluster(env, tmp_path / "second.log"):
        # The next worker fails its predecessor's job as it starts: no waiting for a stale heartbeat.
        wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.FAILED, timeout=20, message="the job to fail")
        job.refresh_from_db()
        assert job.active_slot is None
        assert job.failure_reason.startswith("The worker running this job stopped")
        assert f"{done:,} of 20,000 rows were processed: {done:,} created" in job.failure_reason
        assert Site.objects.count() == done == job.created

        rerun = submit(path)
        wait_for(lambda: not Job.objects.get(pk=rerun.pk).is_active, timeout=120, message="the re-run to finish")
    rerun.refresh_from_db()
    assert rerun.status == Job.Status.COMPLETED
    assert (rerun.unchanged, rerun.created) == (done, 20_000 - done)
    assert Site.objects.count() == 20_000

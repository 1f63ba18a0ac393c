"""Several hosts on one database: workers known by an identity of their own (never by host name and
pid alone), queued tasks that a dead host took, workers with another SECRET_KEY, and New jobs that no
worker is running to start."""

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ

from bulkops.models import Job, WorkerBeat
from bulkops.services import sweep_jobs
from bulkops.worker.liveness import HOST, PLACE, process_alive, process_token
from bulkops.worker.queue import has_task, task_taken_at
from config_objects.models import Site
from tests.test_recovery import submit
from tests.test_worker import sites_file
from tests.worker import ROOT, qcluster, wait_for
from tests.worker import worker_env as make_worker_env

pytestmark = pytest.mark.usefixtures("transactional_db")
STALE = 6  # BULK_STALE_SECONDS of the workers these tests start, and of this process


@pytest.fixture
def worker_env(settings, tmp_path, catalogue_defaults):
    settings.BULK_JOBS_SYNC = False
    settings.BULK_STALE_SECONDS = STALE
    settings.BULK_HEARTBEAT_SECONDS = 1
    return make_worker_env(settings, tmp_path) | {
        "BULK_STALE_SECONDS": str(STALE),
        "BULK_HEARTBEAT_SECONDS": "1",
        "BULK_CHUNK_ROWS": "200",
    }


def taken_by_a_host_that_died(job: Job, seconds_ago: float) -> None:
    """The queue as a host leaves it that took the job's task and died before starting the job."""
    lock = timezone.now() + timedelta(seconds=Conf.RETRY - seconds_ago)
    assert [task for task in OrmQ.objects.all() if task.name() == f"bulk-job-{job.pk}"]
    for task in OrmQ.objects.all():
        if task.name() == f"bulk-job-{job.pk}":
            OrmQ.objects.filter(pk=task.pk).update(lock=lock)


def back_date(job: Job, seconds: float) -> None:
    Job.objects.filter(pk=job.pk).update(submitted_at=timezone.now() - timedelta(seconds=seconds))


# -- a worker's identity ----------------------------------------------------------------------------------


def test_a_token_names_its_process_by_a_random_identity_and_only_this_namespace_checks_its_pid():
    token = process_token()
    identity, where = token.split("@", 1)
    assert len(identity) == 16 and where.startswith(f"{HOST}:{os.getpid()}:")
    assert process_alive(token) is True
    # The same host name and pid in another PID namespace (a container): only its heartbeat tells.
    assert process_alive(token.rsplit(":", 1)[0] + ":0123456789ab") is None
    # A pid of this namespace that has ended is known at once.
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(ended.stdout)
    assert process_alive(f"{identity}@{HOST}:{pid}:1:{PLACE}") is False
    # The form of older versions ("host:pid:start") carries no identity: heartbeats decide.
    assert process_alive(f"{HOST}:{os.getpid()}:1") is None


def test_a_forked_child_takes_an_identity_of_its_own():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.write(write, process_token().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 400).decode()
    assert child.split("@")[0] != process_token().split("@")[0]


@contextmanager
def qcluster_in_its_own_pid_namespace(env, log):
    """A worker on the same host name and database whose pids mean other processes: a container."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed: no second PID namespace can be made here")
    probe = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"this machine does not allow a new PID namespace: {probe.stderr.strip()}")
    with log.open("ab") as out:
        process = subprocess.Popen(
            ["unshare", "--pid", "--fork", "--mount-proc", sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def running_job(job: Job) -> Job:
    return wait_for(
        lambda: (fresh := Job.objects.get(pk=job.pk)).done_rows >= 400 and fresh, message="the job to be under way"
    )


@pytest.mark.slow
def test_two_workers_with_one_host_name_never_fail_each_other_s_job_and_a_killed_one_s_fails_in_time(
    worker_env, tmp_path
):
    first = submit(sites_file(tmp_path, 12_000))
    with qcluster_in_its_own_pid_namespace(worker_env, tmp_path / "contained.log") as contained:
        job = running_job(first)
        assert job.worker.split("@")[1].startswith(f"{HOST}:") and process_alive(job.worker) is None
        # A second worker on this host name sweeps every second while the first one's job runs.
        with qcluster(worker_env, tmp_path / "plain.log"):
            wait_for(lambda: len(WorkerBeat.objects.all()) >= 2, message="both workers to beat")
            done = wait_for(
                lambda: not (fresh := Job.objects.get(pk=first.pk)).is_active and fresh, timeout=180, message="job 1"
            )
            assert (done.status, done.created, done.failed) == (Job.Status.COMPLETED, 12_000, 0), done.failure_reason

            # Now the contained worker is killed while it runs a job: the plain one fails it within the
            # stale window (it cannot see that process, only its stopped heartbeat).
            second = submit(sites_file(tmp_path, 30_000, name="more.csv"))
            job = running_job(second)
            if process_alive(job.worker) is None:
                os.killpg(contained.pid, signal.SIGKILL)
                contained.wait()
                killed_at = time.monotonic()
                failed = wait_for(
                    lambda: (fresh := Job.objects.get(pk=second.pk)).status == Job.Status.FAILED and fresh,
                    timeout=STALE + 20,
                    message="the killed worker's job to be failed",
                )
                assert time.monotonic() - killed_at < STALE + 10
                assert failed.failure_reason.startswith("The worker running this job stopped")
                assert failed.created + failed.unchanged + failed.failed == failed.done_rows < 30_000
                assert not has_task(second.pk)  # its queue row went with it, not locked for hours
            else:  # the plain worker took it: it must finish it while the contained one sweeps
                done = wait_for(
                    lambda: not (fresh := Job.objects.get(pk=second.pk)).is_active and fresh, timeout=180, message="2"
                )
                assert done.status == Job.Status.COMPLETED, done.failure_reason
    assert Site.objects.count() >= 12_000


# -- a task that a dead host took ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_task_taken_by_a_host_that_died_is_handed_to_a_live_worker(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 40))
    taken_by_a_host_that_died(job, seconds_ago=STALE + 2)
    assert task_taken_at(job.pk) is not None
    with qcluster(worker_env, tmp_path / "qcluster.log"):
        done = wait_for(lambda: not (fresh := Job.objects.get(pk=job.pk)).is_active and fresh, timeout=60, message="")
    assert (done.status, done.created) == (Job.Status.COMPLETED, 40)


def test_a_task_taken_by_a_host_that_died_fails_its_job_with_the_true_reason_when_no_worker_runs(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 3))
    taken_by_a_host_that_died(job, seconds_ago=1)
    back_date(job, 15)
    assert sweep_jobs() == []  # taken a moment ago: that worker may be starting it now
    taken_by_a_host_that_died(job, seconds_ago=STALE + 1)
    assert sweep_jobs() == [job.pk]
    job.refresh_from_db()
    assert job.failure_reason.startswith("The worker that took this job from the queue stopped before starting it")
    assert not has_task(job.pk)


def test_a_killed_job_s_queue_row_goes_with_the_job(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 3))
    taken_by_a_host_that_died(job, seconds_ago=3)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = f"0123456789abcdef@{HOST}:{int(ended.stdout)}:1:{PLACE}"
    Job.objects.filter(pk=job.pk).update(status=Job.Status.IN_PROGRESS, worker=dead, heartbeat_at=timezone.now())
    assert sweep_jobs() == [job.pk]
    assert not has_task(job.pk)


# -- another SECRET_KEY -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_worker_with_another_secret_key_is_named_in_the_reason(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 3))
    with qcluster(worker_env | {"SECRET_KEY": "another key entirely"}, tmp_path / "qcluster.log"):
        failed = wait_for(
            lambda: (fresh := Job.objects.get(pk=job.pk)).status == Job.Status.FAILED and fresh,
            timeout=60,
            message="the job to be failed",
        )
    assert "has a different SECRET_KEY from the host that submitted this job" in failed.failure_reason
    assert "cut short" not in failed.failure_reason


def test_a_job_whose_task_vanished_names_a_worker_with_another_key(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 3))
    OrmQ.objects.all().delete()  # what django-q2 does with a task whose signature it cannot check
    WorkerBeat.objects.create(
        token="f00d@elsewhere:1:2:x", started_at=timezone.now(), beat_at=timezone.now(), key_check="0000000000000000"
    )
    back_date(job, 12)
    assert sweep_jobs() == [job.pk]
    assert "f00d@elsewhere:1:2:x" in Job.objects.get(pk=job.pk).failure_reason


# -- no worker running ---------------------------------------------------------------------------------------


@pytest.fixture
def root_client(django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client = Client()
    client.login(username="root", password="pw-123456789")
    return client


def upload():
    return SimpleUploadedFile("s.csv", b"Name,Description,Multimedia Profile\nA,,Default Multimedia Profile\n")


def test_a_dashboard_submission_with_no_worker_says_so_and_fails_within_the_stale_window(worker_env, root_client):
    new = reverse("admin:bulkops_job_new")
    answer = root_client.post(new, {"object": "site", "operation": "import", "file": upload()})
    assert answer.status_code == 201
    job = answer.json()["job"]
    assert "No worker is running" in job["progress_text"] and "python manage.py qcluster" in job["progress_text"]
    details = root_client.get(reverse("admin:bulkops_job_change", args=[job["id"]]))
    assert "No worker is running" in details.content.decode()

    refused = root_client.post(new, {"object": "site", "operation": "import", "file": upload()})
    assert refused.status_code == 409
    assert "waiting to start, but no worker is running" in refused.json()["error"]

    back_date(Job.objects.get(pk=job["id"]), STALE + 1)
    status = root_client.get(reverse("admin:bulkops_job_status", args=[job["id"]])).json()["job"]
    assert status["status"] == "failed"
    assert status["failure_reason"].startswith("No worker is running to start this job, so nothing was changed.")
    again = root_client.post(new, {"object": "site", "operation": "import", "file": upload()})
    assert again.status_code == 201


def test_an_api_submission_with_no_worker_says_so(worker_env, root_client):
    answer = root_client.post("/api/v1/jobs/", {"object": "site", "file": upload()})
    assert answer.status_code == 201
    assert "No worker is running" in answer.json()["progress_text"]
    refused = root_client.post("/api/v1/jobs/", {"object": "site", "file": upload()})
    assert refused.status_code == 409 and "no worker is running" in refused.json()["detail"]


def test_a_new_job_is_not_failed_while_a_worker_beats(worker_env, tmp_path):
    job = submit(sites_file(tmp_path, 3))
    WorkerBeat.objects.create(token="beef@elsewhere:1:2:x", started_at=timezone.now(), beat_at=timezone.now())
    back_date(job, STALE + 30)
    assert sweep_jobs() == []

"""The task queue on Redis (REDIS_URL): a real `manage.py qcluster` reading a Redis list runs a job
submitted through the public entry points exactly once, the queue helpers see and drop its task, and
the one-active-job rule (the database's) still holds.

Redis is the server of REDIS_URL, else 127.0.0.1:6379 database 15; without REDIS_URL and with no server
there, the Redis tests are skipped, saying so. Each test has a queue (a Redis list) of its own, so
parallel runs sharing a server never take each other's tasks."""

import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import redis
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.core_signing import dumps
from django_q.models import OrmQ, Task
from django_q.signing import PickleSerializer
from django_q.tasks import async_task
from rest_framework.test import APIClient

from bulkops import services
from bulkops.models import Job, WorkerBeat
from bulkops.services import AnotherJobActive, job_submit
from bulkops.worker import queue
from bulkops.worker.workers import key_check
from config_objects.models import Site
from config_objects.registry import object_type
from tests.bulk import csv_text, write
from tests.worker import ROOT, qcluster, wait_for
from tests.worker import worker_env as make_worker_env

REDIS_URL = os.environ.get("REDIS_URL", "").strip() or "redis://127.0.0.1:6379/15"

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def redis_queue(monkeypatch):
    """This process's queue is a Redis list of this test's own, as REDIS_URL would make it (a worker
    started with tests.worker.worker_env reads the same list). Yields the client and the list's key."""
    client = redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        where = urlsplit(REDIS_URL).hostname or REDIS_URL
        if os.environ.get("REDIS_URL", "").strip():
            pytest.fail(f"REDIS_URL is set but its server ({where}) cannot be reached: {error}")
        pytest.skip(f"no Redis server at {where}:6379 ({error}); start redis-server or set REDIS_URL to test Redis")
    name = f"test-{os.getpid()}-{secrets.token_hex(4)}"
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", REDIS_URL)
    monkeypatch.setattr(Conf, "DJANGO_REDIS", None)
    monkeypatch.setattr(Conf, "BROKER_CLASS", "bulkops.worker.redis_broker.RedisBroker")
    monkeypatch.setattr(Conf, "CLUSTER_NAME", name)
    monkeypatch.setattr(Conf, "PREFIX", name)  # tasks are signed with the queue's name, as a worker of it does
    key = f"django_q:{name}:q"
    yield client, key
    client.delete(key, queue.taken_key(key), queue.taken_at_key(key))
    client.close()


@pytest.fixture
def orm_queue(monkeypatch):
    """This process's queue is the database's (as without REDIS_URL), whatever this run's settings."""
    monkeypatch.setattr(Conf, "ORM", "default")
    monkeypatch.setattr(Conf, "BROKER_CLASS", None)


@pytest.fixture
def worker_env(settings, tmp_path, catalogue_defaults):
    settings.BULK_JOBS_SYNC = False
    return make_worker_env(settings, tmp_path)


def sites_csv(count: int) -> bytes:
    rows = [f"Site {number:06},,Default Multimedia Profile" for number in range(count)]
    return csv_text("Name,Description,Multimedia Profile", *rows).encode()


def api_client(django_user_model) -> APIClient:
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_submit(client, count: int):
    upload = SimpleUploadedFile("sites.csv", sites_csv(count), content_type="text/csv")
    return client.post("/api/v1/jobs/", {"object": "site", "file": upload}, format="multipart")


def submit(tmp_path, count: int, name: str = "sites.csv") -> Job:
    path = write(tmp_path, sites_csv(count).decode(), name)
    with path.open("rb") as handle:
        return job_submit(object_type=object_type("site"), operation="import", upload=File(handle, name=path.name))


def foreign_payload(job_id: int) -> str:
    """A task as a host with another SECRET_KEY queues it: this host cannot check its signature."""
    task = {"id": "x", "name": queue.task_name(job_id), "func": "bulkops.jobs.run_job", "args": (job_id,)}
    return dumps(task, key="another host's key", salt=Conf.PREFIX, serializer=PickleSerializer)


# -- a real worker on Redis -------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_job_submitted_on_redis_runs_exactly_once_on_a_real_worker_with_the_right_counts(
    redis_queue, worker_env, django_user_model, tmp_path
):
    client, key = redis_queue
    assert worker_env["REDIS_URL"] == REDIS_URL and worker_env["Q_CLUSTER_NAME"] == Conf.CLUSTER_NAME
    api = api_client(django_user_model)
    response = api_submit(api, 50)
    assert response.status_code == 201, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    # Its task is in the Redis list, not in the database's queue.
    assert queue.has_task(job.pk) and client.llen(key) == 1
    assert not OrmQ.objects.exists()
    # One active job at a time: the database refuses a second one, whatever the queue.
    refused = api_submit(api, 5)
    assert refused.status_code == 409 and "Another bulk job" in refused.json()["detail"]
    assert client.llen(key) == 1

    log = tmp_path / "qcluster.log"
    with qcluster(worker_env, log):
        wait_for(lambda: not Job.objects.get(pk=job.pk).is_active, message="the job to finish")
        wait_for(lambda: Task.objects.filter(name=queue.task_name(job.pk)).exists(), message="the task's result")
        job.refresh_from_db()
        assert (job.status, job.total_rows, job.created, job.failed) == (Job.Status.COMPLETED, 50, 50, 0)
        assert Site.objects.count() == 50
        # The worker saves the result before it acknowledges the task: until then the task counts as taken.
        wait_for(lambda: client.llen(queue.taken_key(key)) == 0, timeout=10, message="the task's acknowledgement")
        assert not queue.has_task(job.pk) and client.llen(key) == 0

        # The next submission goes the same way: every row unchanged this time.
        again = api_submit(api, 50)
        assert again.status_code == 201, again.json()
        rerun_id = again.json()["id"]
        wait_for(lambda: not Job.objects.get(pk=rerun_id).is_active, message="the second job to finish")
        wait_for(lambda: Task.objects.filter(name=queue.task_name(rerun_id)).exists(), message="its result")
        time.sleep(1)  # a second delivery of either task would have been taken by now
    rerun = Job.objects.get(pk=rerun_id)
    assert (rerun.status, rerun.unchanged, rerun.created) == (Job.Status.COMPLETED, 50, 0)
    # Exactly once: the worker processed each task once, and saved one result for it.
    shown = log.read_text()
    for job_id in (job.pk, rerun_id):
        name = queue.task_name(job_id)
        assert Task.objects.filter(name=name).count() == 1
        assert (shown.count(f" processing {name} '"), shown.count(f"Processed 'bulkops.jobs.run_job' ({name})")) == (
            1,
            1,
        )
    assert client.llen(key) == 0 and client.llen(queue.taken_key(key)) == 0 and not OrmQ.objects.exists()


@pytest.mark.slow
def test_a_job_that_waited_long_for_a_worker_is_run_by_the_worker_that_starts_not_failed(
    redis_queue, worker_env, tmp_path
):
    """A worker starting sweeps for abandoned jobs while its queue reader takes the first task: a New
    job past the queue's grace whose task is just being taken is still alive."""
    job = submit(tmp_path, 20)
    Job.objects.filter(pk=job.pk).update(submitted_at=timezone.now() - timedelta(seconds=60))
    with qcluster(worker_env, tmp_path / "qcluster.log"):
        wait_for(lambda: not Job.objects.get(pk=job.pk).is_active, message="the job to finish")
    job.refresh_from_db()
    assert (job.status, job.created) == (Job.Status.COMPLETED, 20), job.failure_reason


@pytest.mark.slow
def test_of_simultaneous_submissions_on_redis_exactly_one_is_accepted_and_only_its_task_is_queued(
    redis_queue, worker_env, tmp_path
):
    client, key = redis_queue
    path = write(tmp_path, sites_csv(3).decode(), "sites.csv")
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
    assert len(accepted) == 1 and len(refused) == 3, results
    assert all("Another bulk job is active" in output for output in refused), refused
    job = Job.objects.get()
    # The refused submissions rolled back before queueing: the list holds the accepted job's task only.
    assert client.llen(key) == 1 and queue.has_task(job.pk)
    cancelled = services.job_cancel(job, by="test")
    assert cancelled.status == Job.Status.FAILED
    assert not queue.has_task(job.pk) and client.llen(key) == 0


# -- the queue helpers on Redis ---------------------------------------------------------------------------


def test_the_queue_helpers_see_take_and_drop_a_task_on_redis(redis_queue, worker_env, tmp_path):
    client, key = redis_queue
    job = submit(tmp_path, 3)
    assert queue.on_redis()
    assert queue.has_task(job.pk) and not queue.has_task(job.pk + 1)
    # Redis pops a task as a worker takes it: nothing is ever "taken but kept", nothing to put back.
    assert queue.task_taken_at(job.pk) is None
    assert queue.requeue_task(job.pk) is False
    assert queue.undecodable_tasks() == 0
    # A task queued by a host with another SECRET_KEY is skipped, and counted.
    client.rpush(key, foreign_payload(job.pk + 1))
    assert queue.has_task(job.pk) and not queue.has_task(job.pk + 1)
    assert queue.undecodable_tasks() == 1
    queue.drop_task(job.pk)
    assert not queue.has_task(job.pk)
    assert client.llen(key) == 1  # only ours went
    queue.drop_task(job.pk)  # nothing left to drop: no error


def test_a_task_a_worker_took_counts_until_acknowledged_or_stale_and_a_sweep_leaves_its_job_alone(
    redis_queue, worker_env, settings, tmp_path, monkeypatch
):
    """Between a worker taking a task and starting its job, the job is New and its task out of the
    queue's list: a sweep of jobs then must not take it for lost."""
    client, key = redis_queue
    job = submit(tmp_path, 3)
    Job.objects.filter(pk=job.pk).update(submitted_at=timezone.now() - timedelta(seconds=60))  # long past grace
    live = WorkerBeat(token="a live worker", key_check=key_check())
    monkeypatch.setattr("bulkops.reasons.live_workers", lambda: [live])
    monkeypatch.setattr("bulkops.services.worker_alive", lambda: True)
    broker = get_broker()
    [(ack_id, payload)] = broker.dequeue()  # what a worker's queue reader does
    assert client.llen(key) == 0 and client.llen(queue.taken_key(key)) == 1
    assert queue.has_task(job.pk)
    assert queue.task_taken_at(job.pk) is None and queue.requeue_task(job.pk) is False  # Redis: never handed back
    assert services.sweep_jobs() == []
    assert Job.objects.get(pk=job.pk).status == Job.Status.NEW
    # Acknowledged (the worker is done with it): out of the queue altogether.
    broker.acknowledge(ack_id)
    assert not queue.has_task(job.pk) and client.llen(queue.taken_key(key)) == 0
    assert not client.hlen(queue.taken_at_key(key))
    # Taken longer ago than BULK_STALE_SECONDS and never started: lost with its worker, and the job fails.
    client.rpush(key, payload)
    broker.dequeue()
    long_ago = time.time() - settings.BULK_STALE_SECONDS - 1
    client.hset(queue.taken_at_key(key), queue.digest(payload), long_ago)
    assert not queue.has_task(job.pk)
    assert services.sweep_jobs() == [job.pk]
    assert "left the queue" in Job.objects.get(pk=job.pk).failure_reason
    assert client.llen(queue.taken_key(key)) == 0  # the failed job's task went with it


def test_drop_task_removes_a_taken_task_too(redis_queue, worker_env, tmp_path):
    client, key = redis_queue
    job = submit(tmp_path, 3)
    get_broker().dequeue()
    assert queue.has_task(job.pk)
    queue.drop_task(job.pk)
    assert not queue.has_task(job.pk)
    assert client.llen(queue.taken_key(key)) == 0 and not client.hlen(queue.taken_at_key(key))


def test_a_task_is_pushed_to_redis_only_when_its_transaction_commits(redis_queue):
    client, key = redis_queue
    with transaction.atomic():
        async_task("math.floor", 1.5, task_name="committed")
        assert client.llen(key) == 0  # a worker cannot take it before the job it runs is committed
    assert client.llen(key) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        async_task("math.floor", 2.5, task_name="rolled back")
        raise RuntimeError
    assert client.llen(key) == 1
    async_task("math.floor", 3.5, task_name="autocommit")  # outside a transaction: at once
    assert client.llen(key) == 2


def test_a_submission_while_redis_is_down_fails_whole_and_leaves_no_job(
    redis_queue, worker_env, settings, tmp_path, monkeypatch
):
    client, key = redis_queue
    with monkeypatch.context() as down:
        down.setattr(Conf, "REDIS", "redis://127.0.0.1:1/0")  # nothing listens there
        with pytest.raises(redis.ConnectionError):
            submit(tmp_path, 3)
    assert not Job.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]  # its file went too
    job = submit(tmp_path, 3)  # Redis is back
    assert queue.has_task(job.pk) and client.llen(key) == 1


def test_the_one_active_job_rule_is_the_database_s_on_redis(redis_queue, worker_env, tmp_path):
    client, key = redis_queue
    first = submit(tmp_path, 3)
    with pytest.raises(AnotherJobActive):
        submit(tmp_path, 3, name="second.csv")
    assert Job.objects.count() == 1 and client.llen(key) == 1
    services.job_cancel(first, by="test")
    second = submit(tmp_path, 3, name="third.csv")
    assert queue.has_task(second.pk) and client.llen(key) == 1


# -- either broker ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("broker", ["orm", "redis"])
def test_a_payload_signed_with_another_key_is_skipped_and_counted(broker, request, worker_env, tmp_path):
    foreign = 999_999_999  # another host's job: never the id of the job submitted here
    if broker == "redis":
        client, key = request.getfixturevalue("redis_queue")
        client.rpush(key, foreign_payload(foreign))
    else:
        request.getfixturevalue("orm_queue")
        OrmQ.objects.create(key=Conf.CLUSTER_NAME, payload=foreign_payload(foreign), lock=timezone.now())
    job = submit(tmp_path, 3)
    assert queue.undecodable_tasks() == 1
    assert queue.has_task(job.pk) and not queue.has_task(foreign)
    queue.drop_task(foreign)  # not readable here, so not taken for the other host's job
    assert queue.undecodable_tasks() == 1
    queue.drop_task(job.pk)
    assert not queue.has_task(job.pk) and queue.undecodable_tasks() == 1


# -- the setting -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://cache.internal:6379/0", "does not start with redis://, rediss:// or unix://"),
        ("cache.internal:6379", "does not start with redis://"),
        ("redis://cache.internal:63790000/0", "port is not a number"),
        ("redis://cache.internal:six/0", "port is not a number"),
        ("redis:///0", "names no host"),
        ("redis://cache.internal/zero", "database number is not a whole number"),
        ("redis://cache.internal/1/2", "database number is not a whole number"),
        ("unix:///run/redis.sock?db=x", "database number is not a whole number"),
    ],
)
def test_a_malformed_redis_url_stops_start_up_naming_the_variable(monkeypatch, url, problem):
    from django.core.exceptions import ImproperlyConfigured

    from contactcenter.settings import _redis_url

    monkeypatch.setenv("REDIS_URL", url)
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL is not usable") as refused:
        _redis_url()
    assert problem in str(refused.value)


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/15", "rediss://:secret@cache.internal:6380/2", "unix:///run/redis.sock?db=3"]
)
def test_a_good_redis_url_is_taken_as_it_is(monkeypatch, url):
    from contactcenter.settings import _redis_url

    monkeypatch.setenv("REDIS_URL", url)
    assert _redis_url() == url


@pytest.mark.slow
def test_start_up_stops_on_a_malformed_redis_url_without_repeating_its_password(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "REDIS_URL", "DJANGO_SETTINGS"))}
    environment |= {"DATA_DIR": str(tmp_path), "REDIS_URL": "redis://:hunter2@cache.internal/zero"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "REDIS_URL is not usable: its database number is not a whole number" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout

"""Running bulk jobs on a real worker: a `manage.py qcluster` process sharing the test database."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The URL of the test database, for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def qcluster(env, log: Path):
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
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
            process.terminate()  # the cluster's main process stops its own workers
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(condition, timeout=90, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


def broker_env() -> dict:
    """The task queue this test process uses, for another process: the same Redis list (REDIS_URL and
    the queue's name), or the database's queue (no REDIS_URL)."""
    from django_q.conf import Conf

    redis_url = "" if Conf.ORM else Conf.REDIS
    assert isinstance(redis_url, str), "the tests pass Redis to a worker as a URL"
    return {"REDIS_URL": redis_url, "Q_CLUSTER_NAME": Conf.CLUSTER_NAME}


def worker_env(settings, tmp_path, broker: dict | None = None) -> dict:
    """The environment of a process that shares this test's database, files and task queue. `broker`
    overrides the queue's variables (REDIS_URL, Q_CLUSTER_NAME)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return (
        env
        | {
            "DATABASE_URL": database_url(),
            "DATA_DIR": str(tmp_path / "data"),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "BULK_JOBS_SYNC": "false",
            "SECRET_KEY": settings.SECRET_KEY,  # django-q2 signs queued tasks with it
        }
        | broker_env()
        | (broker or {})
    )

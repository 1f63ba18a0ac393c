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


def worker_env(settings, tmp_path) -> dict:
    """The environment of a process that shares this test's database and files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return env | {
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path / "data"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "BULK_JOBS_SYNC": "false",
        "SECRET_KEY": settings.SECRET_KEY,  # django-q2 signs queued tasks with it
    }

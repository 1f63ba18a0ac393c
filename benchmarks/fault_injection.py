"""Fault injection: kill the worker at random moments of a 100,000-row import, and measure recovery.

    .venv/bin/python benchmarks/fault_injection.py [--rows 100000] [--kills 10] [--seed 1]

For each kill it prints how long the job took to become Failed after the worker died, and whether
running the same file again converged (Completed, every row created once: the rows the killed job
had applied count as unchanged, the rest as created, and the table holds exactly the file's rows).
The kills take turns between three ways of noticing: a worker restarted at once (it fails its
predecessor's job as it starts), nobody restarting it but someone looking (the dashboard, a
command: the dead process is seen on this host), and the same as if the worker had run on another
host (only its stopped heartbeat tells, after BULK_STALE_SECONDS). Works in a throwaway database
like the bulk benchmark (PostgreSQL with DATABASE_URL=postgres://..., else SQLite).
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bulk_benchmark import make_database, start_worker  # noqa: E402

WAYS = ("worker restarted", "someone looks", "as if on another host")


def stop_worker(process: subprocess.Popen, kill: bool = False) -> None:
    """kill: SIGKILL to the cluster and its worker processes, as a crash would. Otherwise SIGTERM to the
    cluster's main process only, which stops its workers itself."""
    if process.poll() is None:
        if kill:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.terminate()
        process.wait()


def wait(condition, timeout: float, poll: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll)
    return None


def submit(path: Path):
    from django.core.files import File

    from bulkops.services import job_submit
    from config_objects.registry import object_type

    with path.open("rb") as handle:
        return job_submit(object_type=object_type("site"), operation="import", upload=File(handle, name=path.name))


def one_kill(number: int, args, env: dict, path: Path, folder: Path, randomness: random.Random) -> dict:
    from bulkops.models import Job
    from bulkops.services import sweep_jobs
    from config_objects.models import Site

    Site.objects.all().delete()
    way = WAYS[number % len(WAYS)]
    worker = start_worker(env, folder / "worker.log")
    time.sleep(2)  # the worker is up before the job arrives, as in production
    job = submit(path)
    wait(lambda: Job.objects.get(pk=job.pk).status == Job.Status.IN_PROGRESS, timeout=60)
    time.sleep(randomness.uniform(0.1, args.kill_within))
    stop_worker(worker, kill=True)
    killed_at = time.monotonic()
    done = Job.objects.get(pk=job.pk).done_rows
    if way == "as if on another host":
        Job.objects.filter(pk=job.pk).update(worker="another-host:1:1")
    if way == "worker restarted":
        worker = start_worker(env, folder / "worker.log")

    def failed():
        if way != "worker restarted":
            sweep_jobs()  # what the dashboard and the commands do whenever they show a job
        return Job.objects.get(pk=job.pk).status != Job.Status.IN_PROGRESS

    wait(failed, timeout=120, poll=0.5 if way != "worker restarted" else 0.1)
    seconds = time.monotonic() - killed_at
    job.refresh_from_db()
    if way != "worker restarted":
        worker = start_worker(env, folder / "worker.log")
    applied = Site.objects.count()
    rerun = submit(path)
    wait(lambda: not Job.objects.get(pk=rerun.pk).is_active, timeout=600)
    rerun.refresh_from_db()
    stop_worker(worker)
    exact = (
        rerun.status == Job.Status.COMPLETED
        and rerun.unchanged == applied
        and rerun.created == args.rows - applied
        and Site.objects.count() == args.rows
    )
    return {
        "kill": number + 1,
        "way": way,
        "rows done": done if job.status != Job.Status.COMPLETED else args.rows,
        "status": job.get_status_display(),
        "seconds to Failed": seconds,
        "re-run": f"{rerun.get_status_display()}: {rerun.unchanged:,} unchanged + {rerun.created:,} created"
        + (" (exact)" if exact else " (NOT exact)"),
        "exact": exact,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kill-within", type=float, default=8.0, help="seconds after the job starts (default 8)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cc-faults-"))
    env = {k: v for k, v in os.environ.items()} | {
        "DATA_DIR": str(folder),
        "BULK_JOBS_SYNC": "false",
        "LOG_LEVEL": "WARNING",
    }
    env, drop = make_database(env, "faults")
    os.environ.update(env | {"LOG_LEVEL": "ERROR"})  # the table says what the log would
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcenter.settings")
        import django

        django.setup()
        path = folder / "sites.csv"
        rows = [f"Site {n:07},,Default Multimedia Profile" for n in range(args.rows)]
        path.write_text("Name,Description,Multimedia Profile\n" + "\n".join(rows) + "\n", encoding="utf-8")
        randomness = random.Random(args.seed)
        results = []
        print("| kill | noticed by | rows done | job | seconds to Failed | re-run |")
        print("| ---: | --- | ---: | --- | ---: | --- |")
        for number in range(args.kills):
            result = one_kill(number, args, env, path, folder, randomness)
            results.append(result)
            print(
                f"| {result['kill']} | {result['way']} | {result['rows done']:,} | {result['status']} | "
                f"{result['seconds to Failed']:.1f} | {result['re-run']} |",
                flush=True,
            )
        slowest = max(r["seconds to Failed"] for r in results)
        print(f"\nslowest to Failed: {slowest:.1f} s; re-runs exact: {sum(r['exact'] for r in results)}/{len(results)}")
    finally:
        from django.db import connections

        connections.close_all()
        drop()


if __name__ == "__main__":
    main()

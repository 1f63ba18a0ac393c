"""Bulk import/export benchmark: rows per second and peak memory, through the real job path.

    .venv/bin/python benchmarks/bulk_benchmark.py [--sites 1000000] [--users 100000]
        [--baseline-rows 10000] [--json FILE] [--sites-only]

With DATABASE_URL=postgres://... it works in throwaway databases next to that one (created and
dropped here); otherwise in temporary SQLite files. A real worker (`manage.py qcluster`) runs on
the benchmark database, and each step is the real command (`bulk_import`, `bulk_export`,
`bulk_revert`) timed by its wall clock, Django's start-up included (the `tiny` step shows that
fixed cost). Peak memory is that of the largest process of the worker's process tree while the
step runs (sampled every 50 ms), and how far it rose over the same tree just before the step.
Every job is checked: status and counts, and that the worker ran it.

For comparison, each in a process of its own, timed inside it, with that process's own peak:
`copy` (PostgreSQL only) is psycopg's COPY of the same sites file into a plain table, the ceiling;
`baseline_default` and `baseline_bulk` are a site file through a plain django-import-export
ModelResource (default options; then use_bulk and skip_diff), each on an empty table in a database
of its own. --sites-only runs the site steps and, last, the revert of the import; before them,
history's cost: --pairs N (default 3) pairs of the same first import without history
(BULK_HISTORY=false) and with it, each into an empty database of its own, alternating which goes
first; the median pair is reported.
"""

import argparse
import itertools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PROFILE = "Default Multimedia Profile"  # created by migrate


# -- what runs in a process of its own (--internal NAME) -------------------------------------------


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcenter.settings")
    import django

    django.setup()


def step_copy(path: str) -> dict:
    """The ceiling: the database's own bulk load of the same file, no checks, no history."""
    import psycopg

    started = time.perf_counter()
    # A regular (logged) table: the real tables are logged too, so both pay for the WAL.
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        conn.execute("CREATE TABLE bench_copy (name text, description text, multimedia_profile text)")
        copying = conn.cursor().copy("COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)")
        with copying as copy, open(path, "rb") as handle:
            while data := handle.read(1 << 20):
                copy.write(data)
        conn.commit()
        seconds = time.perf_counter() - started
        rows = conn.execute("SELECT count(*) FROM bench_copy").fetchone()[0]
        conn.execute("DROP TABLE bench_copy")
    return {"rows": rows, "seconds": seconds, "status": "ok", "counts": {}}


def step_baseline(path: str, bulk: bool) -> dict:
    django_setup()
    import tablib
    from import_export import fields, resources, widgets

    from config_objects import models as m

    class SiteBaseline(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="Name")
        description = fields.Field(attribute="description", column_name="Description")
        multimedia_profile = fields.Field(
            attribute="multimedia_profile",
            column_name="Multimedia Profile",
            widget=widgets.ForeignKeyWidget(m.MultimediaProfile, field="name"),
        )

        class Meta:
            model = m.Site
            import_id_fields = ["name"]
            fields = ["name", "description", "multimedia_profile"]
            use_bulk = bulk
            skip_diff = bulk

        def before_save_instance(self, instance, row, **kwargs):
            instance.normalize()  # bulk_create calls no save(), which fills in the folded match_key

    started = time.perf_counter()
    dataset = tablib.Dataset().load(Path(path).read_text(encoding="utf-8"), format="csv")
    result = SiteBaseline().import_data(dataset, raise_errors=False)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors() or m.Site.objects.count() != len(dataset):
        raise SystemExit(f"the baseline did not import every row: {dict(result.totals)}")
    counts = {k: v for k, v in result.totals.items() if v}
    return {"rows": len(dataset), "seconds": seconds, "status": "baseline", "counts": counts}


def newest_job(_path) -> dict:
    django_setup()
    from bulkops.models import Job

    job = Job.objects.order_by("-pk").first()
    names = ("id", "operation", "status", "total_rows", "created", "updated", "unchanged", "deleted", "failed")
    return {name: getattr(job, name) for name in names} | {"worker": job.worker, "reason": job.failure_reason}


def wait_for_worker(_path) -> dict:
    """Until the worker's heartbeat is in the database: before that a command would find no worker
    and run the job in its own process, which is not the path measured here."""
    django_setup()
    from bulkops.worker.workers import worker_alive

    deadline = time.monotonic() + 60
    while not worker_alive():
        if time.monotonic() > deadline:
            raise SystemExit("the worker did not start within 60 s (see its log)")
        time.sleep(0.2)
    return {}


def step_tiny(path: str) -> dict:
    """A tiny job as a user meets it, without a command's start-up: submitted (as the dashboard
    does) and watched until the worker has finished it."""
    django_setup()
    from django.core.files import File

    from bulkops.models import Job
    from bulkops.services import job_submit
    from config_objects.registry import object_type

    started = time.perf_counter()
    with open(path, "rb") as handle:
        job = job_submit(object_type=object_type("site"), operation="import", upload=File(handle, name="tiny.csv"))
    while job.status in Job.ACTIVE_STATUSES:
        time.sleep(0.01)
        job.refresh_from_db()
    seconds = time.perf_counter() - started
    counts = {name: getattr(job, name) for name in ("created", "failed")}
    if job.status != Job.Status.COMPLETED or job.created != 3:
        raise SystemExit(f"the tiny job did not create its 3 sites: {job.status} {counts}")
    return {"rows": job.total_rows, "seconds": seconds, "status": job.status, "counts": counts}


INTERNAL = {
    "tiny": step_tiny,
    "copy": step_copy,
    "baseline_default": lambda path: step_baseline(path, bulk=False),
    "baseline_bulk": lambda path: step_baseline(path, bulk=True),
    "job": newest_job,
    "wait_worker": wait_for_worker,
}


def python(env: dict, *args: str) -> str:
    """Run python ARGS in the project folder; its output, or stop here showing why it failed."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args[:3])}... exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def internal(env: dict, name: str, path: Path | None = None) -> dict:
    output = python(env, __file__, "--internal", name, "--file", str(path or ""))
    return json.loads(output.strip().splitlines()[-1])


# -- databases, files and the worker ---------------------------------------------------------------


def make_database(env: dict, suffix: str) -> tuple[dict, callable]:
    """A throwaway database next to DATABASE_URL's (or a SQLite file), and the function that drops it.
    benchmarks/fault_injection.py uses it too."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        bench = f"{name.split('?')[0]}_{suffix}_{os.getpid()}"
        admin = psycopg.connect(f"{base}/postgres", autocommit=True)
        admin.execute(f'CREATE DATABASE "{bench}"')

        def drop():
            admin.execute(f'DROP DATABASE IF EXISTS "{bench}" WITH (FORCE)')
            admin.close()

        return env | {"DATABASE_URL": f"{base}/{bench}"}, drop
    folder = tempfile.mkdtemp(prefix="cc-bench-")
    return env | {"DATABASE_URL": f"sqlite:///{folder}/{suffix}.sqlite3"}, lambda: shutil.rmtree(folder, True)


@contextmanager
def database(env: dict, folder: Path, suffix: str):
    """A migrated throwaway database with its own DATA_DIR (the worker and the commands share it)."""
    env, drop = make_database(env | {"DATA_DIR": str(folder / f"{suffix}-data")}, suffix)
    try:
        python(env, "manage.py", "migrate", "-v0")
        yield env
    finally:
        drop()


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    """A real qcluster, in a process group of its own: whatever is left of it at the end can be killed.
    benchmarks/fault_injection.py uses it too."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextmanager
def worker(env: dict, log: Path):
    """start_worker, stopped at the end."""
    process = start_worker(env, log)
    try:
        internal(env, "wait_worker")
        yield process
    finally:
        # SIGTERM to the cluster's main process only: it stops its children in order and exits at once.
        # SIGTERM to the whole group kills those children under it, and it then waits for them forever.
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print(f"the worker did not stop within 30 s of SIGTERM: killed (log: {log})", flush=True)
        with suppress(ProcessLookupError):  # nothing left of it: the usual case
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def write_sites(path: Path, rows: int, changed_every: int = 0, name: str = "Site") -> Path:
    """Sites; with changed_every=10 every 10th row's Description differs from the plain file's."""
    with path.open("w") as out:
        out.write("Name,Description,Multimedia Profile\n")
        for n in range(rows):
            what = "Moved office" if changed_every and n % changed_every == 0 else "Branch office"
            out.write(f"{name} {n:07},{what} {n},{PROFILE}\n")
    return path


def write_users(path: Path, rows: int) -> Path:
    with path.open("w") as out:
        out.write(
            "Email,First Name,Last Name,User Profile,Contact Center Enabled,Site,Teams,Skill Profile,"
            "Desktop Profile,Multimedia Profile,External Id,Default DN\n"
        )
        for n in range(rows):
            site = n % 100
            teams = f"Team {site:03}-A" + (f"|Team {site:03}-B" if n % 2 else "")
            out.write(
                f"agent{n:07}@example.com,Agent,No {n},Standard Agent,On,Hub {site:03},{teams},"
                f"Default Skills,Agents,{PROFILE},EXT-{n},+3811{n:07}\n"
            )
    return path


# Sites, teams and profiles the users file refers to (run with `manage.py shell -c`).
PREREQUISITES = """
from config_objects import models as m
mp = m.MultimediaProfile.objects.get()
def normalized(objects):
    for obj in objects:
        obj.normalize()  # bulk_create calls no save(): fill in the folded match_key
    return objects
sites = m.Site.objects.bulk_create(normalized([m.Site(name=f"Hub {n:03}", multimedia_profile=mp) for n in range(100)]))
teams = [m.Team(name=f"Team {n:03}-{x}", site=s, type="AGENT") for n, s in enumerate(sites) for x in "AB"]
m.Team.objects.bulk_create(normalized(teams))
skill = m.SkillDefinition.objects.create(name="Level", service_level_threshold=0, type="PROFICIENCY")
profile = m.SkillProfile.objects.create(name="Default Skills")
m.SkillProfileSkill.objects.create(profile=profile, skill=skill, value="5")
m.UserProfile.objects.create(name="Standard Agent", profile_type="STANDARD_AGENT", permission_access_level="ALL",
                             resource_access_level="ALL")
m.AgentProfile.objects.create(name="Agents")
"""


# -- measuring a step --------------------------------------------------------------------------------


def descendants(root: int) -> list[int]:
    """root and all its descendants, found by their parent's pid in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # it ended meanwhile
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # after "pid (comm) state": comm may hold spaces
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        tree.append(todo.pop())
        todo += children.get(tree[-1], [])
    return tree


def rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0  # it ended meanwhile
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)


class Sampler(threading.Thread):
    """The peak RSS of the largest single process of the worker's tree, every 50 ms until stopped."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak_kb, self.pids, self.stop = root, 0, set(), threading.Event()

    def run(self):
        for tick in itertools.count():
            # Scanning /proc takes milliseconds on a busy host, and the tree changes only when a worker
            # process is recycled: look for it once a second, read the RSS of its processes every time.
            if tick % 20 == 0:
                tree = descendants(self.root)
                self.pids.update(tree)
            self.peak_kb = max(self.peak_kb, *map(rss_kb, tree))
            if self.stop.wait(0.05):
                return


def command(env: dict, process: subprocess.Popen, args: list[str], **expected) -> dict:
    """Run `manage.py ARGS`, timed, with the worker's memory sampled; check the job it made."""
    idle_kb = max(map(rss_kb, descendants(process.pid)))
    sampler = Sampler(process.pid)
    sampler.start()
    started = time.perf_counter()
    try:
        output = python(env, "manage.py", *args)
    finally:
        seconds = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    job = internal(env, "job")
    host_pid = job["worker"].split(":")  # "host:pid:start"
    if len(host_pid) < 2 or int(host_pid[1]) not in sampler.pids:
        raise SystemExit(f"job {job['id']} ran in {job['worker']}, not in the worker:\n{output}")
    expected = {"status": "completed", "failed": 0} | expected  # every row must succeed
    wrong = {k: (job[k], v) for k, v in expected.items() if job[k] != v}
    if wrong:
        raise SystemExit(f"job {job['id']} ({' '.join(args)}): (found, expected) {wrong}; {job['reason']}")
    counts = {k: job[k] for k in ("created", "updated", "unchanged", "deleted", "failed")}
    return {
        "rows": job["total_rows"] or 0,
        "seconds": seconds,
        "peak_mb": sampler.peak_kb / 1024,
        "over_idle_mb": (sampler.peak_kb - idle_kb) / 1024,
        "status": job["status"],
        "counts": counts,
        "job": job["id"],
    }


def report(results: dict, key: str, figures: dict) -> None:
    figures["rows_per_s"] = figures["rows"] / figures["seconds"] if figures["seconds"] else 0.0
    results[key] = figures
    over = f"+{figures['over_idle_mb']:.0f}" if "over_idle_mb" in figures else "-"
    counts = ", ".join(f"{k} {v:,}" for k, v in figures["counts"].items() if v)
    print(
        f"{key:<25} {figures['rows']:>10,} rows {figures['seconds']:>8.2f} s {figures['rows_per_s']:>10,.0f} rows/s "
        f"peak {figures['peak_mb']:>6.0f} MB ({over} over idle)  {figures['status']} {counts}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=1_000_000, help="site rows (default 1,000,000)")
    parser.add_argument("--rows", type=int, dest="sites", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=100_000, help="user rows (default 100,000)")
    parser.add_argument("--baseline-rows", type=int, default=10_000, help="rows for the baselines (default 10,000)")
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    parser.add_argument("--sites-only", action="store_true", help="only the site steps, history's cost, the revert")
    parser.add_argument(
        "--pairs", type=int, default=3, help="--sites-only: first imports without and with history (default 3 pairs)"
    )
    parser.add_argument("--internal", choices=INTERNAL, help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.internal:
        figures = INTERNAL[args.internal](args.file)
        figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return

    sites, changed = args.sites, len(range(0, args.sites, 10))
    folder = Path(tempfile.mkdtemp(prefix="cc-bench-files-"))
    sites_csv = write_sites(folder / "sites.csv", sites)
    changed_csv = write_sites(folder / "sites-changed.csv", sites, changed_every=10)
    exported_csv = folder / "sites-export.csv"
    # The jobs go through the worker (never BULK_JOBS_SYNC), with history on unless a step says off.
    env = {k: v for k, v in os.environ.items() if k not in ("BULK_JOBS_SYNC", "BULK_HISTORY")}
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}   files: {folder}", flush=True)
    results: dict[str, dict] = {}

    def step(key, bench, process, argv, **expected):
        report(results, key, command(bench, process, argv, **expected))

    pairs, figures_off = [], []
    if args.sites_only:
        # History's cost: the same first import without and with history, each into an empty
        # database of its own, in pairs that alternate which goes first. Run to run, this machine's
        # timings vary by up to a third, so one pair says little; the median of the pairs is reported.
        off = env | {"BULK_HISTORY": "false"}
        for number in range(1, max(args.pairs, 1) + 1):
            pair = {}
            for history in ("off", "on") if number % 2 else ("on", "off"):
                suffix = f"history{history}{number}"
                with (
                    database(off if history == "off" else env, folder, suffix) as fresh,
                    worker(fresh, folder / f"worker-{suffix}.log") as process,
                ):
                    argv = ["bulk_import", "site", str(sites_csv)]
                    pair[history] = command(fresh, process, argv, created=sites)
            pairs.append({history: figures["seconds"] for history, figures in pair.items()})
            print(
                f"pair {number}: without history {pairs[-1]['off']:.2f} s, with it {pairs[-1]['on']:.2f} s", flush=True
            )
            figures_off.append(pair["off"])
        middle = sorted(range(len(pairs)), key=lambda index: pairs[index]["on"] / pairs[index]["off"])[len(pairs) // 2]
        report(results, "sites_import_history_off", figures_off[middle] | {"pairs": pairs})

    with database(env, folder, "bench") as bench:
        if not args.sites_only and bench["DATABASE_URL"].startswith("postgres"):
            report(results, "copy", internal(bench, "copy", sites_csv))
        elif not args.sites_only:
            print("copy: skipped, the COPY ceiling needs PostgreSQL", flush=True)
        with worker(bench, folder / "worker.log") as process:
            step("sites_import", bench, process, ["bulk_import", "site", str(sites_csv)], created=sites)
            step("sites_export", bench, process, ["bulk_export", "site", "-o", str(exported_csv)], total_rows=sites)
            # The export re-imported must change nothing: export and import agree on every value.
            step("sites_unchanged", bench, process, ["bulk_import", "site", str(exported_csv)], unchanged=sites)
            step("sites_changed10", bench, process, ["bulk_import", "site", str(changed_csv)], updated=changed)
            if args.sites_only:
                # Put the changed descriptions back (not a step): the revert then finds every site as
                # the import left it and deletes them all, instead of failing the changed ones.
                command(bench, process, ["bulk_import", "site", str(sites_csv)], updated=changed)
                revert = ["bulk_revert", str(results["sites_import"]["job"])]
                step("sites_revert", bench, process, revert, deleted=sites)
            else:
                python(bench, "manage.py", "shell", "-v0", "-c", PREREQUISITES)
                users, export = write_users(folder / "users.csv", args.users), folder / "users-export.csv"
                step("users_import", bench, process, ["bulk_import", "user", str(users)], created=args.users)
                step("users_unchanged", bench, process, ["bulk_import", "user", str(users)], unchanged=args.users)
                step("users_export", bench, process, ["bulk_export", "user", "-o", str(export)], total_rows=args.users)
                # The fixed cost of a job: submitting, the worker's pick-up, the job, seeing it done;
                # and the same through the command, whose start-up (Django's) comes on top.
                tiny = write_sites(folder / "sites-tiny.csv", 3, name="Tiny")
                report(results, "tiny", internal(bench, "tiny", tiny))
                tiny = write_sites(folder / "sites-tiny-command.csv", 3, name="Small")
                step("tiny_command", bench, process, ["bulk_import", "site", str(tiny)], created=3)

    if not args.sites_only:
        baseline_csv = write_sites(folder / "sites-baseline.csv", args.baseline_rows)
        for key in ("baseline_default", "baseline_bulk"):
            with database(env, folder, key) as fresh:  # an empty sites table for each
                report(results, key, internal(fresh, key, baseline_csv))

    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n| step | rows | seconds | rows/s | peak MB |\n| --- | ---: | ---: | ---: | ---: |")
    for key, f in results.items():
        print(f"| {key} | {f['rows']:,} | {f['seconds']:.2f} | {f['rows_per_s']:,.0f} | {f['peak_mb']:.0f} |")
    print()
    if args.sites_only:
        costs = sorted(pair["on"] / pair["off"] - 1 for pair in pairs)
        shown = ", ".join(f"{cost * 100:+.0f} %" for cost in costs)
        median = costs[len(costs) // 2]
        print(
            f"history costs the site import {median * 100:+.0f} %, the median of {len(costs)} pairs ({shown}) "
            "(target: at most +25 %)"
        )
        revert = results["sites_revert"]["seconds"] / results["sites_import"]["seconds"]
        print(f"the revert takes {revert:.2f}x the import (target: at most 2x)")
    else:
        rate = {key: f["rows_per_s"] for key, f in results.items()}
        for key in ("baseline_default", "baseline_bulk"):
            print(f"sites_import: {rate['sites_import'] / rate[key]:.1f}x the rows/s of {key}")
        if "copy" in rate:
            print(f"sites_import: {rate['sites_import'] / rate['copy']:.1%} of the rows/s of COPY, the ceiling")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

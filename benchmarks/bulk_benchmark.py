"""Bulk import/export benchmark: rows per second, the ratio to a COPY of the same rows, Python and
PostgreSQL CPU per row and peak memory, through the real job path.

    .venv/bin/python benchmarks/bulk_benchmark.py [--sites 1000000] [--users 100000]
        [--baseline-rows 10000] [--package-users 2000] [--no-package] [--json FILE] [--sites-only]

With DATABASE_URL=postgres://... it works in throwaway databases next to that one (created and
dropped here); otherwise in temporary SQLite files. A real worker (`manage.py qcluster`) runs on
the benchmark database, and each step is the real command (`bulk_import`, `bulk_export`,
`bulk_revert`) timed by its wall clock, Django's start-up included (the `tiny` step shows that
fixed cost). Peak memory is that of the largest process of the worker's process tree while the
step runs (sampled every 50 ms), and how far it rose over the same tree just before the step.
Every job is checked: status and counts, and that the worker ran it. The steps: the sites file
imported (`sites_import`), exported, that export imported back (`sites_unchanged`), every tenth
description changed (`sites_changed10`); the users file imported, again (`users_unchanged`),
exported; `tiny` and `tiny_command` (below); and `package_import`, the acceptance tests' contact
center (tests/contact_center.py, the Zip benchmarks/package_benchmark.py makes, --package-users
users) as one package by `bulk_import package` into an empty database of its own with a worker
of its own, then `package_unchanged`, the same package again (--no-package: neither).

CPU, user + system, from /proc/PID/stat before and after each step (each process's own time and
that of its children it has reaped, so a process that ends during the step still counts; the
kernel counts in ticks, 10 ms a process: small steps' figures are coarse), per row:
  - Python: the worker's process tree (the qcluster's main process, sentinel, monitor, pusher and
    the worker process the job runs in), its idle polling during the step included. The command
    that submitted the job and waited for it is apart (`command CPU s`, in seconds: mostly Django's
    start-up, the same for every step);
  - PostgreSQL: every PostgreSQL server process (each postmaster's tree: the backends of every
    client of every database, background writer, checkpointer, WAL writer, autovacuum). On a
    shared server that includes the others' work: the line printed after the worker starts gives
    what the idle worker and server use a second. Blank on SQLite.
Each command step starts after a CHECKPOINT (settle(), untimed): what the steps before it left
for the server to write is theirs, not the step's. The ratio to COPY (`x COPY`) is the step's
seconds over those of the COPY of the same rows in the same run: `copy` for the site steps,
`copy_users` for the user steps, `copy_package` for the package steps (its CSV files, not the
audio files: 3 rows fewer). The other steps have none.

For comparison, each in a process of its own, timed inside it, with that process's own peak and,
as Python, its own CPU: `copy`, `copy_users` and `copy_package` (PostgreSQL only) are psycopg's
COPY of the same sites file, users file and package's CSV files into plain tables of text
columns, the ceiling, run before the worker starts; `baseline_default` and `baseline_bulk` are a
site file through a plain django-import-export ModelResource (default options; then use_bulk and
skip_diff), each on an empty table in a database of its own; `tiny` is a 3-row import submitted
as the dashboard does and watched until done (Python: the worker's; the submitting process as
the command), `tiny_command` the same through `bulk_import`. --sites-only runs `copy`, the site
steps and, last, the revert of the import; before them, history's cost: --pairs N (default 3)
pairs of the same first import without history (BULK_HISTORY=false) and with it, each into an
empty database of its own, alternating which goes first; the median pair is reported.
--json FILE writes {step: {rows, seconds, rows_per_s, ratio, python_us_per_row,
postgres_us_per_row, command_cpu_s, peak_mb, over_idle_mb, ...}} (null where blank).
"""

import argparse
import csv
import io
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
import zipfile
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("bulkops", "config_objects", "contactcenter")
sys.path.insert(0, str(ROOT))
from benchmarks.package_benchmark import AUDIO_FILES, TEAMS, write_package  # noqa: E402
from benchmarks.package_benchmark import USERS as PACKAGE_USERS  # noqa: E402

PROFILE = "Default Multimedia Profile"  # created by migrate
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- what runs in a process of its own (--internal NAME) -------------------------------------------


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcenter.settings")
    import django

    django.setup()


def csv_files(path: str) -> list:
    """The CSV files of PATH, each as a function opening it (binary): the file itself, or each CSV
    member of a Zip (a package), read into memory here (the COPY then times no unzipping)."""
    if not path.endswith(".zip"):
        return [lambda: open(path, "rb")]
    with zipfile.ZipFile(path) as archive:
        members = [archive.read(name) for name in archive.namelist() if name.endswith(".csv")]
    return [lambda data=data: io.BytesIO(data) for data in members]


def step_copy(path: str, _options) -> dict:
    """The ceiling: the database's own bulk load of the same file (each CSV file of a package), no
    checks, no history; into a plain table of as many text columns as the file has."""
    import psycopg

    files = csv_files(path)
    with Meter(postgres=True) as meter:
        started = time.perf_counter()
        # Regular (logged) tables: the real tables are logged too, so both pay for the WAL.
        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            for number, opened in enumerate(files):
                with opened() as handle:
                    columns = len(next(csv.reader(io.TextIOWrapper(handle, encoding="utf-8-sig"))))
                names = ", ".join(f"c{column} text" for column in range(columns))
                conn.execute(f"CREATE TABLE bench_copy_{number} ({names})")
                copying = conn.cursor().copy(f"COPY bench_copy_{number} FROM STDIN (FORMAT csv, HEADER true)")
                with copying as copy, opened() as handle:
                    while data := handle.read(1 << 20):
                        copy.write(data)
            conn.commit()
            seconds = time.perf_counter() - started
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        rows = 0
        for number in range(len(files)):
            rows += conn.execute(f"SELECT count(*) FROM bench_copy_{number}").fetchone()[0]
            conn.execute(f"DROP TABLE bench_copy_{number}")
    cpu = {"python_cpu_s": meter.own, "postgres_cpu_s": meter.postgres}  # Python: the client, psycopg
    return {"rows": rows, "seconds": seconds, "status": "ok", "counts": {}} | cpu


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

    with Meter(postgres=os.environ["DATABASE_URL"].startswith("postgres")) as meter:
        started = time.perf_counter()
        dataset = tablib.Dataset().load(Path(path).read_text(encoding="utf-8"), format="csv")
        result = SiteBaseline().import_data(dataset, raise_errors=False)
        seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors() or m.Site.objects.count() != len(dataset):
        raise SystemExit(f"the baseline did not import every row: {dict(result.totals)}")
    counts = {k: v for k, v in result.totals.items() if v}
    cpu = {"python_cpu_s": meter.own, "postgres_cpu_s": meter.postgres}  # Python: this process, the import
    return {"rows": len(dataset), "seconds": seconds, "status": "baseline", "counts": counts} | cpu


def newest_job(_path, _options) -> dict:
    django_setup()
    from bulkops.models import Job

    job = Job.objects.order_by("-pk").first()
    names = ("id", "operation", "status", "total_rows", "created", "updated", "unchanged", "deleted", "failed")
    return {name: getattr(job, name) for name in names} | {"worker": job.worker, "reason": job.failure_reason}


def wait_for_worker(_path, _options) -> dict:
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


def step_tiny(path: str, options) -> dict:
    """A tiny job as a user meets it, without a command's start-up: submitted (as the dashboard
    does) and watched until the worker (--worker-pid) has finished it."""
    django_setup()
    from django.core.files import File

    from bulkops.models import Job
    from bulkops.services import job_submit
    from config_objects.registry import object_type

    with Meter(options.worker_pid, postgres=os.environ["DATABASE_URL"].startswith("postgres")) as meter:
        started = time.perf_counter()
        with open(path, "rb") as handle:
            upload = File(handle, name="tiny.csv")
            job = job_submit(object_type=object_type("site"), operation="import", upload=upload)
        while job.status in Job.ACTIVE_STATUSES:
            time.sleep(0.01)
            job.refresh_from_db()
        seconds = time.perf_counter() - started
    counts = {name: getattr(job, name) for name in ("created", "failed")}
    if job.status != Job.Status.COMPLETED or job.created != 3:
        raise SystemExit(f"the tiny job did not create its 3 sites: {job.status} {counts}")
    # Python: the worker's; the process that submitted the job and watched it counts as the command.
    cpu = {"python_cpu_s": meter.worker, "postgres_cpu_s": meter.postgres, "command_cpu_s": meter.own}
    return {"rows": job.total_rows, "seconds": seconds, "status": job.status, "counts": counts} | cpu


def package_file(path: str, options) -> dict:
    """The package of benchmarks/package_benchmark.py, the acceptance tests' contact center (with
    --package-users users), written to PATH; its rows: the CSV rows and the audio files."""
    django_setup()
    from tests.contact_center import SHIPPED, audio_entries, contact_center

    tables, audio = contact_center(users=options.package_users, teams=TEAMS), audio_entries(AUDIO_FILES)
    write_package(Path(path), tables, audio)
    return {"rows": sum(len(table) - 1 for table in tables.values()) + len(audio), "shipped": len(SHIPPED)}


INTERNAL = {  # name: function(path, options)
    "tiny": step_tiny,
    "copy": step_copy,
    "baseline_default": lambda path, _options: step_baseline(path, bulk=False),
    "baseline_bulk": lambda path, _options: step_baseline(path, bulk=True),
    "job": newest_job,
    "wait_worker": wait_for_worker,
    "package_file": package_file,
}


def python(env: dict, *args: str) -> str:
    """Run python ARGS in the project folder; its output, or stop here showing why it failed."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args[:3])}... exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def internal(env: dict, name: str, path: Path | None = None, *options: str) -> dict:
    output = python(env, __file__, "--internal", name, "--file", str(path or ""), *options)
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


def stat(pid: int | str) -> tuple[int, str, int, int] | None:
    """(parent's pid, comm, CPU ticks, reaped ticks) of a process from /proc/PID/stat, None if it has
    ended. The CPU is user and system time of the process and of its children it has waited for
    (utime + stime + cutime + cstime; reaped: cutime + cstime): a child that ends moves its time into
    its parent's, so a tree's sum counts its ended processes."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
    ticks = list(map(int, fields[11:15]))  # comm may hold spaces: the fields after it, from state on
    return int(fields[1]), comm, sum(ticks), ticks[2] + ticks[3]


def processes() -> dict[int, tuple[int, str, int, int]]:
    """{pid: stat(pid)} of every process."""
    table = {int(entry): stat(entry) for entry in filter(str.isdigit, os.listdir("/proc"))}
    return {pid: found for pid, found in table.items() if found}  # those that ended meanwhile: none


def descendants(root: int, table: dict | None = None) -> list[int]:
    """root and all its descendants, found by their parent's pid in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for pid, found in (processes() if table is None else table).items():
        children.setdefault(found[0], []).append(pid)
    tree, todo = [], [root]
    while todo:
        tree.append(todo.pop())
        todo += children.get(tree[-1], [])
    return tree


def postgres_roots(table: dict) -> list[int]:
    """The PostgreSQL postmasters: processes named postgres whose parent is not."""
    named = {pid for pid, (_ppid, comm, *_) in table.items() if comm == "postgres"}
    return [pid for pid in named if table[pid][0] not in named]


class Meter:
    """CPU seconds (user + system) used between entering and leaving: `worker` by the process tree
    under root (the qcluster: its main process, sentinel, monitor, pusher and the worker process the job
    runs in); `postgres` by every PostgreSQL server process (the trees under each postmaster: the
    backends of any client of any database, background writer, checkpointer, WAL writer, autovacuum),
    None unless asked for; `children` by this process's children it has waited for (a command run to
    its end); `own` by this process. Each tree is summed from /proc before and after, each process with
    the time of its children it has reaped: a backend or worker process that ends meanwhile still counts."""

    def __init__(self, root: int | None = None, postgres: bool = False):
        self.root, self.on_postgres = root, postgres

    def trees(self) -> tuple[int, int]:
        """The worker's and the server's CPU ticks so far. /proc is read one process after the other: a
        child reaped meanwhile may be counted twice (read, then in its parent's reaped time) or not at
        all (its parent read before, the child gone after); read again until none of the trees'
        processes has ended or reaped a child while they were read."""
        for _attempt in range(20):
            table = processes()
            worker = [pid for pid in descendants(self.root, table) if pid in table] if self.root else []
            roots = postgres_roots(table) if self.on_postgres else []
            server = [pid for root in roots for pid in descendants(root, table)]
            if all((now := stat(pid)) and now[3] == table[pid][3] for pid in worker + server):
                break
        return sum(table[pid][2] for pid in worker), sum(table[pid][2] for pid in server)

    def snapshot(self) -> tuple[float, float, float, float]:
        worker, server = self.trees() if self.root or self.on_postgres else (0, 0)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return worker / CLOCK_TICKS, server / CLOCK_TICKS, children.ru_utime + children.ru_stime, time.process_time()

    def __enter__(self):
        self.started = self.snapshot()
        return self

    def __exit__(self, *_exc):
        used = [end - start for start, end in zip(self.started, self.snapshot(), strict=True)]
        self.worker, self.postgres, self.children, self.own = used
        if not self.on_postgres:
            self.postgres = None


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


def settle(env: dict) -> None:
    """On PostgreSQL, a CHECKPOINT: the pages the steps before left changed in the server's buffers
    are written now, not by the next step's backend when it needs a buffer (this server keeps 128 MB;
    a 1M-row import leaves most of them to write). Each step then starts on a settled server, as on a
    machine left quiet for a few minutes. Needs a superuser or pg_checkpoint; skipped without."""
    if not env["DATABASE_URL"].startswith("postgres"):
        return
    import psycopg

    try:
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("CHECKPOINT")
    except psycopg.errors.InsufficientPrivilege:
        pass


def command(env: dict, process: subprocess.Popen, args: list[str], **expected) -> dict:
    """Run `manage.py ARGS`, timed, from a settled server, with the worker's memory sampled; check
    the job it made."""
    settle(env)
    idle_kb = max(map(rss_kb, descendants(process.pid)))
    sampler = Sampler(process.pid)
    sampler.start()
    try:
        with Meter(process.pid, postgres=env["DATABASE_URL"].startswith("postgres")) as meter:
            started = time.perf_counter()
            output = python(env, "manage.py", *args)
            seconds = time.perf_counter() - started
    finally:
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
        "python_cpu_s": meter.worker,
        "postgres_cpu_s": meter.postgres,
        "command_cpu_s": meter.children,
        "status": job["status"],
        "counts": counts,
        "job": job["id"],
    }


# A step's COPY of the same rows, by the step's name: the sites file's, the users file's, the package's.
COPIES = (("sites_", "copy"), ("users_", "copy_users"), ("package_", "copy_package"))


def idle_cpu(env: dict, process: subprocess.Popen, seconds: float = 3.0) -> None:
    """Print the CPU the idle worker and PostgreSQL use a second: the steps' CPU includes it (the
    worker's polling, every other client of the server)."""
    with Meter(process.pid, postgres=env["DATABASE_URL"].startswith("postgres")) as meter:
        time.sleep(seconds)
    server = "" if meter.postgres is None else f", PostgreSQL {meter.postgres / seconds * 1000:.0f} ms"
    print(f"idle CPU a second over {seconds:.0f} s: worker {meter.worker / seconds * 1000:.0f} ms{server}", flush=True)


def derive(results: dict, key: str) -> dict:
    """The step's rows/s, ratio to the COPY of the same rows (None if there is none yet or at all)
    and CPU µs per row (None where not measured: PostgreSQL's on SQLite)."""
    figures, rows = results[key], results[key]["rows"] or 1
    figures["rows_per_s"] = figures["rows"] / figures["seconds"] if figures["seconds"] else 0.0
    copy = results.get(next((copy for prefix, copy in COPIES if key.startswith(prefix)), ""))
    figures["ratio"] = figures["seconds"] / copy["seconds"] if copy and copy["seconds"] else None
    for name in ("python", "postgres"):
        cpu = figures.get(f"{name}_cpu_s")
        figures[f"{name}_us_per_row"] = None if cpu is None else cpu * 1e6 / rows
    figures.setdefault("command_cpu_s", None)
    return figures


def shown(value, spec: str) -> str:
    return "" if value is None else format(value, spec)


def report(results: dict, key: str, figures: dict) -> None:
    results[key] = figures
    derive(results, key)
    over = f"+{figures['over_idle_mb']:.0f}" if "over_idle_mb" in figures else "-"
    counts = ", ".join(f"{k} {v:,}" for k, v in figures["counts"].items() if v)
    ratio = f"{figures['ratio']:.1f}x COPY" if figures["ratio"] is not None else ""
    cpu = f"{figures['command_cpu_s']:.2f} s CPU" if figures["command_cpu_s"] is not None else ""
    print(
        f"{key:<25} {figures['rows']:>10,} rows {figures['seconds']:>8.2f} s {figures['rows_per_s']:>10,.0f} rows/s "
        f"{ratio:>12}  µs/row: Python {shown(figures['python_us_per_row'], ',.0f'):>7} "
        f"PostgreSQL {shown(figures['postgres_us_per_row'], ',.0f'):>7}  command {cpu:>10}  "
        f"peak {figures['peak_mb']:>6.0f} MB ({over} over idle)  {figures['status']} {counts}",
        flush=True,
    )


def table(results: dict) -> None:
    """The figures as a Markdown table (the README's), the ratios to COPY computed now that every COPY is in."""
    print(
        "\n| step | rows | seconds | rows/s | x COPY | Python µs/row | PostgreSQL µs/row | command CPU s "
        "| peak MB (over idle) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for key in results:
        f = derive(results, key)
        over = f" (+{f['over_idle_mb']:.0f})" if "over_idle_mb" in f else ""
        print(
            f"| {key} | {f['rows']:,} | {f['seconds']:.2f} | {f['rows_per_s']:,.0f} | {shown(f['ratio'], '.1f')} "
            f"| {shown(f['python_us_per_row'], ',.0f')} | {shown(f['postgres_us_per_row'], ',.0f')} "
            f"| {shown(f['command_cpu_s'], '.2f')} | {f['peak_mb']:.0f}{over} |"
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
    parser.add_argument(
        "--package-users",
        type=int,
        default=PACKAGE_USERS,
        help=f"users of the package's contact center (default {PACKAGE_USERS:,}, as benchmarks/package_benchmark.py)",
    )
    parser.add_argument("--no-package", action="store_true", help="skip the package steps")
    parser.add_argument("--internal", choices=INTERNAL, help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--worker-pid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.internal:
        figures = INTERNAL[args.internal](args.file, args)
        figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return

    # The commands start as those of an installed product: with the project's bytecode compiled (as
    # bin/run and bin/test leave it), not compiled again at each start under PYTHONDONTWRITEBYTECODE.
    subprocess.run([sys.executable, "-m", "compileall", "-q", *PROJECT_PACKAGES], cwd=ROOT, check=True)
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

    users = None if args.sites_only else write_users(folder / "users.csv", args.users)
    export = folder / "users-export.csv"
    with database(env, folder, "bench") as bench:
        # The COPYs first, before the worker starts: nothing else of the benchmark's runs meanwhile.
        if bench["DATABASE_URL"].startswith("postgres"):
            report(results, "copy", internal(bench, "copy", sites_csv))
            if not args.sites_only:
                report(results, "copy_users", internal(bench, "copy", users))
        else:
            print("copy: skipped, the COPY ceiling needs PostgreSQL", flush=True)
        with worker(bench, folder / "worker.log") as process:
            idle_cpu(bench, process)
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
                step("users_import", bench, process, ["bulk_import", "user", str(users)], created=args.users)
                step("users_unchanged", bench, process, ["bulk_import", "user", str(users)], unchanged=args.users)
                step("users_export", bench, process, ["bulk_export", "user", "-o", str(export)], total_rows=args.users)
                # The fixed cost of a job: submitting, the worker's pick-up, the job, seeing it done;
                # and the same through the command, whose start-up (Django's) comes on top.
                tiny = write_sites(folder / "sites-tiny.csv", 3, name="Tiny")
                report(results, "tiny", internal(bench, "tiny", tiny, "--worker-pid", str(process.pid)))
                tiny = write_sites(folder / "sites-tiny-command.csv", 3, name="Small")
                step("tiny_command", bench, process, ["bulk_import", "site", str(tiny)], created=3)

    if not args.sites_only and not args.no_package:
        # The acceptance tests' contact center as one package (SPEC 11), into an empty database.
        with database(env, folder, "package") as fresh:
            package = folder / "center.zip"
            made = internal(fresh, "package_file", package, "--package-users", str(args.package_users))
            if fresh["DATABASE_URL"].startswith("postgres"):
                report(results, "copy_package", internal(fresh, "copy", package))
            with worker(fresh, folder / "worker-package.log") as process:
                argv = ["bulk_import", "package", str(package)]
                # Every row is created, but the shipped default rows, written as they ship: unchanged.
                created = made["rows"] - made["shipped"]
                step("package_import", fresh, process, argv, created=created, unchanged=made["shipped"])
                step("package_unchanged", fresh, process, argv, unchanged=made["rows"])

    if not args.sites_only:
        baseline_csv = write_sites(folder / "sites-baseline.csv", args.baseline_rows)
        for key in ("baseline_default", "baseline_bulk"):
            with database(env, folder, key) as fresh:  # an empty sites table for each
                report(results, key, internal(fresh, key, baseline_csv))

    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    table(results)
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

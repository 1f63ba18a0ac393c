"""Bulk import/export benchmark: rows per second and peak memory, on the configured database.

    .venv/bin/python benchmarks/bulk_benchmark.py [--rows 100000] [--baseline-rows 100000]

With DATABASE_URL=postgres://... it works in a throwaway database next to that one (created and
dropped here); otherwise in a temporary SQLite file. Each step runs in its own process, so the peak
memory printed is that step's alone. The baseline is the same file through a plain
django-import-export ModelResource with default options (row by row, whole file in memory).
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcenter.settings")
    import django

    django.setup()


# -- steps, each run in a process of its own ---------------------------------------------------------


def step_import(slug: str, path: str) -> dict:
    from django.core.files import File

    from bulkops.models import Job
    from bulkops.services import job_submit
    from config_objects.registry import object_type

    started = time.perf_counter()
    with open(path, "rb") as handle:
        job = job_submit(object_type=object_type(slug), operation="import", upload=File(handle, name=Path(path).name))
    job = Job.objects.get(pk=job.pk)
    seconds = time.perf_counter() - started
    counts = {k: getattr(job, k) for k in ("created", "updated", "unchanged", "failed")}
    return {"seconds": seconds, "rows": job.total_rows, "status": job.status, "counts": counts}


def step_revert(slug: str, path: str) -> dict:
    """Revert the latest import of the object that created rows (every object as it left it)."""
    from bulkops.models import Job
    from bulkops.reverts import job_submit_revert

    target = Job.objects.filter(object_type=slug, operation="import", created__gt=0).order_by("-pk").first()
    started = time.perf_counter()
    job = Job.objects.get(pk=job_submit_revert(target).pk)
    seconds = time.perf_counter() - started
    counts = {k: getattr(job, k) for k in ("updated", "unchanged", "deleted", "failed")}
    return {"seconds": seconds, "rows": job.total_rows, "status": job.status, "counts": counts}


def step_export(slug: str, path: str) -> dict:
    from bulkops.models import Job
    from bulkops.services import job_submit
    from config_objects.registry import object_type

    started = time.perf_counter()
    job = job_submit(object_type=object_type(slug), operation="export")
    job = Job.objects.get(pk=job.pk)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": job.total_rows, "status": job.status, "counts": {}}


def step_baseline(slug: str, path: str) -> dict:
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

    started = time.perf_counter()
    dataset = tablib.Dataset().load(Path(path).read_text(encoding="utf-8"), format="csv")
    result = SiteBaseline().import_data(dataset, raise_errors=False)
    seconds = time.perf_counter() - started
    counts = {k: v for k, v in result.totals.items() if v}
    return {"seconds": seconds, "rows": len(dataset), "status": "baseline", "counts": counts}


STEPS = {
    "import": step_import,
    "revert": step_revert,
    "export": step_export,
    "baseline": step_baseline,
}


def run_step(step: str, slug: str, path: str) -> None:
    django_setup()
    figures = STEPS[step](slug, path)
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


# -- the driver --------------------------------------------------------------------------------------


def prepare(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    prerequisites(env)


def make_database(env: dict, suffix: str) -> tuple[dict, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        bench = f"{name.split('?')[0]}_{suffix}_{os.getpid()}"
        admin = psycopg.connect(f"{base}/postgres", autocommit=True)
        admin.execute(f'CREATE DATABASE "{bench}"')

        def drop():
            admin.execute(f'DROP DATABASE IF EXISTS "{bench}" WITH (FORCE)')

        return env | {"DATABASE_URL": f"{base}/{bench}"}, drop
    folder = tempfile.mkdtemp(prefix="cc-bench-")
    return env | {"DATABASE_URL": f"sqlite:///{folder}/{suffix}.sqlite3"}, lambda: None


def write_files(folder: Path, rows: int, baseline_rows: int) -> dict:
    mp = "Default Multimedia Profile"
    files = {}
    files["sites"] = folder / "sites.csv"
    with files["sites"].open("w") as out:
        out.write("Name,Description,Multimedia Profile\n")
        for number in range(rows):
            out.write(f"Site {number:07},Branch office {number},{mp}\n")
    files["baseline"] = folder / "sites-baseline.csv"
    with files["baseline"].open("w") as out:
        out.write("Name,Description,Multimedia Profile\n")
        for number in range(baseline_rows):
            out.write(f"Base {number:07},Branch office {number},{mp}\n")
    files["entry_points"] = folder / "entry-points.csv"
    with files["entry_points"].open("w") as out:
        out.write("Name,Description,Service Level Threshold,Timezone,Channel Type,Social Channel Type,Asset Name\n")
        channels = ["TELEPHONY", "CHAT", "EMAIL"]
        for number in range(rows):
            out.write(f"EP {number:07},Line {number},{number % 60},Europe/Belgrade,{channels[number % 3]},,\n")
    files["users"] = folder / "users.csv"
    random.seed(7)
    with files["users"].open("w") as out:
        out.write(
            "Email,First Name,Last Name,User Profile,Contact Center Enabled,Site,Teams,Skill Profile,"
            "Desktop Profile,Multimedia Profile,External Id,Default DN\n"
        )
        for number in range(rows):
            site = number % 100
            teams = f"Team {site:03}-A" + (f"|Team {site:03}-B" if number % 2 else "")
            out.write(
                f"agent{number:07}@example.com,Agent,No {number},Standard Agent,On,Hub {site:03},{teams},"
                f"Default Skills,Agents,{mp},EXT-{number},+3811{number:07}\n"
            )
    return files


def prerequisites(env: dict) -> None:
    """Sites, teams and profiles the users file refers to."""
    code = """
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
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def measure(env: dict, step: str, slug: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--step", step, "--object", slug, "--file", str(path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(label: str, figures: dict) -> None:
    rate = figures["rows"] / figures["seconds"] if figures["seconds"] else 0
    counts = ", ".join(f"{k} {v:,}" for k, v in figures["counts"].items() if v)
    print(
        f"{label:<38} {figures['rows']:>9,} rows {figures['seconds']:>8.1f} s {rate:>9,.0f} rows/s "
        f"peak {figures['peak_mb']:>6.0f} MB  {figures['status']} {counts}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=None, help="rows for the baseline (default: --rows)")
    parser.add_argument("--sites-only", action="store_true", help="only the site steps (history's cost, revert)")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--object", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        run_step(args.step, args.object, args.file)
        return

    folder = Path(tempfile.mkdtemp(prefix="cc-bench-files-"))
    env = dict(os.environ) | {"BULK_JOBS_SYNC": "true", "DATA_DIR": str(folder / "data")}
    files = write_files(folder, args.rows, args.baseline_rows or args.rows)
    results = {}
    # History off, for the comparison: in a database of its own, so that both imports of the file
    # start from the same empty table.
    plain_env, drop = make_database(env, "nohistory")
    try:
        prepare(plain_env)
        label = "sites: import, history off"
        results[label] = measure(plain_env | {"BULK_HISTORY": "false"}, "import", "site", files["sites"])
        report(label, results[label])
    finally:
        drop()
    env, drop = make_database(env, "bench")
    try:
        print(f"database: {env['DATABASE_URL'].split('@')[-1]}   files: {folder}", flush=True)
        prepare(env)
        for label, step, slug, key in [
            ("sites: import", "import", "site", "sites"),
            ("sites: import again (unchanged)", "import", "site", "sites"),
            ("sites: export", "export", "site", "sites"),
            ("sites: revert of that import", "revert", "site", "sites"),
            ("entry points: import", "import", "entry-point", "entry_points"),
            ("entry points: import again", "import", "entry-point", "entry_points"),
            ("users (site, teams, profiles): import", "import", "user", "users"),
            ("users: import again (unchanged)", "import", "user", "users"),
            ("users: export", "export", "user", "users"),
            ("baseline: plain ModelResource, sites", "baseline", "site", "baseline"),
        ]:
            if args.sites_only and not label.startswith("sites"):
                continue
            results[label] = measure(env, step, slug, files[key])
            report(label, results[label])
        ours = results["sites: import"]
        base = results.get("baseline: plain ModelResource, sites")
        if base:
            ratio = (ours["rows"] / ours["seconds"]) / (base["rows"] / base["seconds"])
            print(f"speed-up over the plain ModelResource (site import, rows/s): {ratio:.1f}x")
        plain = results["sites: import, history off"]["seconds"]
        print(f"history costs the site import {(ours['seconds'] / plain - 1) * 100:+.0f} % (target: at most +25 %)")
        reverting = results["sites: revert of that import"]["seconds"]
        print(f"the revert takes {reverting / ours['seconds']:.2f}x the import (target: at most 2x)")
    finally:
        drop()


if __name__ == "__main__":
    main()

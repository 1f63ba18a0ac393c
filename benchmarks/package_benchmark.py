"""The whole configuration in one job (SPEC 11) against the same objects one job at a time, in one run.

    .venv/bin/python benchmarks/package_benchmark.py [--users 2000] [--teams 40] [--json FILE]

The contact center of the acceptance tests (tests/contact_center.py: 5 sites, 40 teams, 30 queues,
25 entry points, 60 DNs, 2,000 users and audio by default), imported into an empty database:
  - `package`: one Zip, one job (`bulk_import package`), then again (all unchanged), its export
    (`bulk_export package`) and a Validate only of it into another empty database;
  - `one by one`: each object's CSV (and the audio Zip) as a job of its own, in dependency order,
    into a third empty database, then again.
Each mode runs in a process of its own on its own database (temporary SQLite files; with
DATABASE_URL=postgres://... throwaway databases next to that one), with the jobs run in that
process (no worker), so the CPU time measured is the job's: rows/s by wall clock, CPU µs per row,
and the ratio of the package to the one-by-one import measured in the same run.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcenter.settings")
    import django

    django.setup()


USERS, TEAMS, AUDIO_FILES = 2000, 40, 3  # the defaults: the acceptance tests' contact center


def write_package(path: Path, tables: dict, audio: dict) -> Path:
    """The package Zip of a contact center: a CSV per object (tables: contact_center()'s), the audio
    files under audio/. benchmarks/bulk_benchmark.py imports it too."""
    from tests.contact_center import as_csv

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for slug, table in tables.items():
            archive.writestr(f"{slug}.csv", as_csv(table))
        for name, content in audio.items():
            archive.writestr(f"audio/{name}", content)
    return path


def timed(label: str, rows: int, action) -> dict:
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"step": label, "rows": rows, "seconds": wall, "rows_per_s": rows / wall, "cpu_us_per_row": cpu * 1e6 / rows}


def command(*args) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=out)
    except SystemExit as stop:  # a job with failed rows: the benchmark's data must not have any
        raise RuntimeError(out.getvalue()) from stop


def internal(mode: str, folder: Path, users: int, teams: int) -> list[dict]:
    django_setup()
    from django.core.management import call_command

    from bulkops.models import Job
    from config_objects.registry import dependency_order
    from tests.contact_center import as_csv, audio_entries, contact_center

    call_command("migrate", verbosity=0)
    tables = contact_center(users=users, teams=teams)
    audio = audio_entries(AUDIO_FILES)
    rows = sum(len(table) - 1 for table in tables.values()) + len(audio)
    results = []
    if mode in ("package", "preview"):
        package = write_package(folder / "center.zip", tables, audio)
        if mode == "preview":
            return [
                timed(
                    "package, validate only",
                    rows,
                    lambda: command("bulk_import", "package", str(package), "--validate-only"),
                )
            ]
        results.append(timed("package import", rows, lambda: command("bulk_import", "package", str(package))))
        results.append(timed("package unchanged", rows, lambda: command("bulk_import", "package", str(package))))
        target = folder / "export.zip"
        results.append(timed("package export", rows, lambda: command("bulk_export", "package", "-o", str(target))))
    else:
        files = []
        for kind in dependency_order():
            if kind.file_kind == "zip":
                path = folder / f"{kind.slug}.zip"
                with zipfile.ZipFile(path, "w") as archive:
                    for name, content in audio.items():
                        archive.writestr(name, content)
            else:
                path = folder / f"{kind.slug}.csv"
                path.write_bytes(as_csv(tables[kind.slug]))
            files.append((kind.slug, path))

        def each():
            for slug, path in files:
                command("bulk_import", slug, str(path))

        results.append(timed("one job per object", rows, each))
        results.append(timed("one job per object, unchanged", rows, each))
    failed = Job.objects.filter(failed__gt=0).count() + Job.objects.filter(status=Job.Status.FAILED).count()
    if failed:
        raise RuntimeError(f"{failed} jobs had failures")
    return results


def run_mode(mode: str, users: int, teams: int) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="cc-package-bench-") as folder:
        env = dict(os.environ, DATA_DIR=folder)
        database_url = os.environ.get("DATABASE_URL")
        name = f"cc_package_bench_{mode}_{os.getpid()}"
        if database_url:
            base = database_url.rsplit("/", 1)[0]
            subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
            env["DATABASE_URL"] = f"{base}/{name}"
        try:
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--internal",
                    mode,
                    "--folder",
                    folder,
                    "--users",
                    str(users),
                    "--teams",
                    str(teams),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise SystemExit(f"{mode} failed:\n{done.stdout}\n{done.stderr}")
            return json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            if database_url:
                subprocess.run(["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--teams", type=int, default=TEAMS)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--internal", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.internal:
        print(json.dumps(internal(options.internal, Path(options.folder), options.users, options.teams)))
        return
    results = []
    for mode in ("package", "preview", "one-by-one"):
        results += run_mode(mode, options.users, options.teams)
    by_step = {result["step"]: result for result in results}
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"{database}, {results[0]['rows']:,} rows ({options.users:,} users, {options.teams} teams)")
    print(f"{'step':<34}{'seconds':>9}{'rows/s':>10}{'CPU µs/row':>12}")
    for result in results:
        print(
            f"{result['step']:<34}{result['seconds']:>9.2f}{result['rows_per_s']:>10,.0f}{result['cpu_us_per_row']:>12,.0f}"
        )
    package, single = by_step["package import"], by_step["one job per object"]
    print(
        f"package / one job per object: {package['seconds'] / single['seconds']:.2f}x the time, "
        f"{package['cpu_us_per_row'] / single['cpu_us_per_row']:.2f}x the CPU per row"
    )
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""Every admin page at size (SPEC 12): server time, queries and bytes of each page, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    .venv/bin/python benchmarks/admin_size_benchmark.py [--sites 1000000] [--users 100000]
        [--teams 10000] [--queues 10000] [--jobs 10000] [--changes 10000] [--repeat 3] [--keep]

In a throwaway database next to DATABASE_URL's (created, migrated and dropped here; --keep leaves
it): first the sample of every object (tests/samples, through the real `bulk_import`, as the test
world is made), then one real site import of --changes rows (a job with that many changes, some rows
failed), then the bulk of the rows by COPY, each a copy of its object's sample with a new name:
sites, users (each on a site and in a team), teams, queues (each with a distribution group of one
team) and jobs (finished, a few of them a scheduled import's). Then ANALYZE, as autovacuum would.

Then, in this process, Django's test client logged in as a superuser requests each object's list
(plain, filtered by its first reference filter or else its first filter, searched for one name), its
add form and the change form of its newest row, the autocomplete of a team's site, the dashboard
(plain and filtered), a job's details and a page of its changes. For each page: the median server
time over --repeat requests (after one unmeasured request), the queries it ran and its size. A page
over 1 s or 300 KB is flagged, and the exit status is 1 if any is.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bulk_benchmark import make_database  # noqa: E402

LIMIT_SECONDS = 1.0
LIMIT_BYTES = 300 * 1024
CHUNK = 50_000


def setup_django(url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "contactcenter.settings"
    os.environ["BULK_JOBS_SYNC"] = "True"  # the sample imports run in this process, at once
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def say(text: str) -> None:
    print(text, flush=True)


# -- filling -----------------------------------------------------------------------------------------


def import_samples() -> None:
    from django.core.management import call_command

    from config_objects.registry import dependency_order

    for t in dependency_order():
        path = ROOT / "tests" / "samples" / f"{t.slug}.{t.file_kind}"
        call_command("bulk_import", t.slug, str(path), stdout=io.StringIO())


def import_sites(rows: int, folder: Path) -> None:
    """A real import, so that one job has `rows` changes to page through, and a few failed rows."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = folder / "changes.csv"
    with open(path, "w") as out:
        out.write("Name,Description,Multimedia Profile\n")
        for i in range(rows):
            name = f"Imported {i:07d}" if i % 100 else f"Imported {i:07d}!"  # '!' fails the row
            out.write(f"{name},one import,Default Multimedia Profile\n")
    with suppress(CommandError):  # exit status 3: rows failed, as meant
        call_command("bulk_import", "site", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def copy_clones(model, count: int, vary) -> None:
    """COPY `count` rows into the model's table, each its first row's values changed by vary(i)."""
    from django.db import connection

    from bulkops.engine.inserting import copy_into

    template = model._default_manager.order_by("pk").values().first()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = [field.attname for field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, count, CHUNK):
            rows = []
            for i in range(start, min(count, start + CHUNK)):
                values = template | vary(i)
                rows.append(tuple(values[name] for name in names))
            copy_into(cursor, table, fields, rows)


def ids(model, **filters) -> list[int]:
    return list(model._default_manager.filter(**filters).order_by("pk").values_list("pk", flat=True))


def fill(args) -> None:
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from bulkops.models import Job, ScheduledImport
    from config_objects import models as m
    from config_objects.models.fields import fold

    started = time.perf_counter()
    with transaction.atomic():
        copy_clones(m.Site, args.sites, lambda i: {"name": f"Site {i:07d}", "match_key": fold(f"Site {i:07d}")})
        sites = ids(m.Site, name__startswith="Site ")
        say(f"  {len(sites):,} sites ({time.perf_counter() - started:.0f} s)")
        copy_clones(
            m.Team,
            args.teams,
            lambda i: {"name": f"Team {i:05d}", "match_key": fold(f"Team {i:05d}"), "site_id": sites[i % len(sites)]},
        )
        teams = ids(m.Team, name__startswith="Team ")
        copy_clones(
            m.Queue,
            args.queues,
            lambda i: {"name": f"Queue {i:05d}", "match_key": fold(f"Queue {i:05d}")},
        )
        queues = ids(m.Queue, name__startswith="Queue ")
        copy_clones(m.QueueGroup, len(queues), lambda i: {"queue_id": queues[i]})
        groups = ids(m.QueueGroup, queue_id__in=queues)
        copy_clones(m.QueueGroupTeam, len(groups), lambda i: {"group_id": groups[i], "team_id": teams[i % len(teams)]})
        say(f"  {len(teams):,} teams, {len(queues):,} queues ({time.perf_counter() - started:.0f} s)")

        def user(i):
            email = f"agent{i:06d}@example.com"
            return {"email": email, "match_key": fold(email), "site_id": sites[(i * 7) % len(sites)]}

        copy_clones(m.ContactCenterUser, args.users, user)
        users = ids(m.ContactCenterUser, email__startswith="agent")
        copy_clones(
            m.ContactCenterUserTeam, len(users), lambda i: {"owner_id": users[i], "target_id": teams[i % len(teams)]}
        )
        say(f"  {len(users):,} users ({time.perf_counter() - started:.0f} s)")

        admin = get_user_model().objects.get(username="bench")
        scheduled = ScheduledImport.objects.create(
            name="Nightly sites", object_type="site", folder="sites", every_minutes=60, owner=admin
        )
        now = timezone.now()
        statuses = [Job.Status.COMPLETED, Job.Status.COMPLETED_WITH_ERRORS, Job.Status.FAILED]
        copy_clones(
            Job,
            args.jobs,
            lambda i: {
                "file_name": f"sites-{i:05d}.csv",
                "status": statuses[i % 3],
                "active_slot": None,
                "submitted_at": now - datetime.timedelta(minutes=args.jobs - i),
                "scheduled_import_id": scheduled.pk if i % 50 == 0 else None,
                "reverts_id": None,
            },
        )
        say(f"  {args.jobs:,} jobs ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"filled and analyzed in {time.perf_counter() - started:.0f} s")


# -- the pages ---------------------------------------------------------------------------------------


def filter_query(model_admin, obj) -> str:
    """A query string for the list's first reference filter (else its first filter), picking obj's value."""
    from django.contrib.admin import SimpleListFilter

    specs = list(model_admin.list_filter)
    specs.sort(key=lambda spec: not isinstance(spec, tuple))  # reference filters first: the costly kind
    for spec in specs:
        if isinstance(spec, type) and issubclass(spec, SimpleListFilter):
            return f"{spec.parameter_name}={getattr(obj, spec.parameter_name)}"
        name = spec[0] if isinstance(spec, tuple) else spec
        field = obj._meta.get_field(name)
        if field.many_to_many:
            first = getattr(obj, name).first()
            if first is not None:
                return f"{name}__id__exact={first.pk}"
        elif field.is_relation:
            value = getattr(obj, field.attname)
            if value is not None:
                return f"{name}__id__exact={value}"
        else:
            value = getattr(obj, name)
            return f"{name}__exact={int(value) if isinstance(value, bool) else value}"
    return ""


def pages() -> list[tuple[str, str]]:
    from urllib.parse import quote

    from django.contrib import admin
    from django.urls import reverse

    from bulkops.models import Job, ScheduledImport
    from config_objects.admin_base import ConfigAdmin
    from config_objects.models import Site, Team

    found = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ConfigAdmin):
            continue
        name = model._meta.model_name
        obj = model._default_manager.order_by("-pk").first()
        changelist = reverse(f"admin:config_objects_{name}_changelist")
        found.append((f"{name} list", changelist))
        query = filter_query(model_admin, obj) if obj is not None else ""
        if query:
            found.append((f"{name} list filtered", f"{changelist}?{query}"))
        if obj is not None:
            found.append((f"{name} list searched", f"{changelist}?q={quote(str(obj))}"))
        found.append((f"{name} add", reverse(f"admin:config_objects_{name}_add")))
        if obj is not None:
            found.append((f"{name} change", reverse(f"admin:config_objects_{name}_change", args=[obj.pk])))
    site = Site.objects.order_by("-pk").first()
    found.append(("site history", reverse("admin:config_objects_site_history", args=[site.pk])))
    autocomplete = reverse("admin:autocomplete") + f"?app_label=config_objects&model_name={Team._meta.model_name}"
    found.append(("site autocomplete", f"{autocomplete}&field_name=site&term="))
    found.append(("site autocomplete typed", f"{autocomplete}&field_name=site&term={quote(site.name[:-2])}"))
    jobs = reverse("admin:bulkops_job_changelist")
    scheduled = ScheduledImport.objects.first()
    found += [
        ("dashboard", jobs),
        ("dashboard by status", f"{jobs}?status__exact=completed"),
        ("dashboard by object", f"{jobs}?object_type=site"),
        ("dashboard by schedule", f"{jobs}?scheduled_import__id__exact={scheduled.pk}"),
        ("dashboard page 100", f"{jobs}?p=100"),
    ]
    job = Job.objects.filter(file_name="changes.csv").first()
    details = reverse("admin:bulkops_job_change", args=[job.pk])
    found += [
        ("job details", details),
        ("job changes page 100", f"{details}?page=100"),
        ("job changes created", f"{details}?action=created&page=2"),
    ]
    return found


def measure(args) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    results = []
    for label, url in pages():
        client.get(url)  # templates compiled, caches warm
        seconds = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        results.append(
            {
                "page": label,
                "url": url,
                "ms": statistics.median(seconds) * 1000,
                "queries": len(queries),
                "kb": len(response.content) / 1024,
            }
        )
        say(f"  {label}: {results[-1]['ms']:.0f} ms")
    return results


def report(results: list[dict]) -> bool:
    over = False
    print("\n| page | server time (ms) | queries | size (KB) |")
    print("| --- | ---: | ---: | ---: |")
    for row in results:
        flag = ""
        if row["ms"] > LIMIT_SECONDS * 1000 or row["kb"] * 1024 > LIMIT_BYTES:
            flag, over = " **over**", True
        print(f"| {row['page']}{flag} | {row['ms']:.0f} | {row['queries']} | {row['kb']:.0f} |")
    return over


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--queues", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=10_000, help="rows of the one real import")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="leave the database (its URL is printed)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL=postgres://...: the sizes are PostgreSQL's to answer.")
    begun = time.perf_counter()
    env, drop = make_database(dict(os.environ), "admin_size")
    folder = Path(tempfile.mkdtemp(prefix="cc-admin-size-"))
    try:
        setup_django(env["DATABASE_URL"], str(folder / "data"))
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        say(f"database {env['DATABASE_URL']} made in {time.perf_counter() - begun:.0f} s")
        call_command("migrate", verbosity=0)
        say(f"migrated in {time.perf_counter() - begun:.0f} s")
        get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
        started = time.perf_counter()
        import_samples()
        import_sites(args.changes, folder)
        say(f"samples and one import of {args.changes:,} sites in {time.perf_counter() - started:.0f} s")
        fill(args)
        over = report(measure(args))
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            say(f"kept {env['DATABASE_URL']}")
        else:
            drop()
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()

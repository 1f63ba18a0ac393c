"""Each chunk's stored rows asked for a chunk ahead (bulkops/engine/stored.py RowsAhead): on
PostgreSQL, when chunks are written on a thread of their own, the server looks up chunk N+1's stored
rows on a connection of its own while chunk N is planned. The outcome is the one of the lookups made
in turn; a job that stops midway leaves no connection behind."""

import pytest
from django.db import connection

from bulkops.engine.planning import Planner
from bulkops.engine.stored import RowsAhead, StoredRows
from bulkops.models import Job
from config_objects import models as m
from config_objects.models import Site
from tests.bulk import csv_text, run, write
from tests.object_cases import csv_file
from tests.object_cases_agents import USER

pytestmark = [
    pytest.mark.usefixtures("sync_jobs"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pipeline mode"),
]

HEADER = "Name,Description,Multimedia Profile"
MP = "Default Multimedia Profile"


def sites(tmp_path, name: str, rows: list[str]) -> str:
    return str(write(tmp_path, csv_text(HEADER, *rows), name))


@pytest.mark.parametrize("overlap", [True, False])
def test_a_re_import_reads_its_stored_rows_a_chunk_ahead_with_the_same_outcome(
    overlap, tmp_path, settings, monkeypatch
):
    settings.BULK_CHUNK_ROWS = 50
    settings.BULK_OVERLAP = overlap
    asked, answered = [], []
    ask, rows = RowsAhead.ask, StoredRows.rows

    def watched_ask(self, units):
        asked.append(len(units))
        ask(self, units)

    def watched_rows(self, keys):
        answered.append(self.answer is not None and keys <= self.answer[0])
        return rows(self, keys)

    monkeypatch.setattr(RowsAhead, "ask", watched_ask)
    monkeypatch.setattr(StoredRows, "rows", watched_rows)
    run("bulk_import", "site", sites(tmp_path, "first.csv", [f"S{n:03},old {n},{MP}" for n in range(150)]))
    # Every third row changed, one refused, fifty new: across chunks, each looked up ahead.
    rows_again = [f"S{n:03},{'new' if n % 3 == 0 else 'old'} {n},{MP}" for n in range(200)]
    rows_again[77] = "S077,old 77,No Such Profile"
    asked.clear(), answered.clear()
    outcome = run("bulk_import", "site", sites(tmp_path, "again.csv", rows_again))
    assert outcome.job.status == Job.Status.COMPLETED_WITH_ERRORS
    assert outcome.counts == {"created": 50, "updated": 50, "unchanged": 99, "failed": 1}
    assert outcome.errors() == {79: "Multimedia Profile 'No Such Profile' does not exist"}
    assert Site.objects.get(name="S003").description == "new 3"
    assert Site.objects.get(name="S199").description == "old 199"
    if overlap:  # the first chunk's rows are looked up as it is planned (a file of one chunk opens nothing)
        assert asked == [50, 50, 50]
        assert answered == [False, True, True, True]
    else:
        assert asked == [] and not any(answered)


def test_a_row_the_reading_refused_in_a_later_chunk_fails_alone(tmp_path, settings):
    """A NUL, which no text the server is sent may hold, in a name of the third chunk: that row fails
    with the reading's message, its key never sent ahead; the others are written."""
    settings.BULK_CHUNK_ROWS = 50
    rows = [f"S{n:03},,{MP}" for n in range(150)]
    rows[120] = f"S1\x0020,,{MP}"
    outcome = run("bulk_import", "site", sites(tmp_path, "sites.csv", rows))
    assert outcome.counts == {"created": 149, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors()[122].startswith("Name contains a NUL character")


def test_a_file_of_one_chunk_opens_no_look_ahead_connection(tmp_path, settings, monkeypatch):
    settings.BULK_CHUNK_ROWS = 50
    opened = []
    monkeypatch.setattr(RowsAhead, "ask", lambda self, units: opened.append(units))
    outcome = run("bulk_import", "site", sites(tmp_path, "sites.csv", [f"S{n:03},,{MP}" for n in range(50)]))
    assert outcome.counts == {"created": 50, "updated": 0, "unchanged": 0, "failed": 0}
    assert opened == []


@pytest.mark.parametrize("overlap", [True, False])
def test_a_users_re_import_across_chunks_compares_their_teams(overlap, world, tmp_path, settings, monkeypatch):
    settings.BULK_CHUNK_ROWS = 20
    settings.BULK_OVERLAP = overlap
    belgrade = m.Site.objects.get(name="Belgrade")
    m.Team.objects.create(name="Late Shift", site=belgrade, type="AGENT")

    def users(teams_of):
        rows = [
            {"Email": f"agent{n}@example.com", "Site": "Belgrade", "Desktop Profile": "Agents", "Teams": teams_of(n)}
            | USER
            for n in range(60)
        ]
        return str(write(tmp_path, csv_file("user", *rows), "users.csv"))

    run("bulk_import", "user", users(lambda n: "Tier 1 Belgrade|Late Shift" if n % 2 else "Tier 1 Belgrade"))
    # Every fifth user's teams change (one team more, or one fewer): across three chunks.
    outcome = run(
        "bulk_import",
        "user",
        users(
            lambda n: (
                ("Tier 1 Belgrade" if n % 2 else "Tier 1 Belgrade|Late Shift")
                if n % 5 == 0
                else ("Tier 1 Belgrade|Late Shift" if n % 2 else "Tier 1 Belgrade")
            )
        ),
    )
    assert outcome.counts == {"created": 0, "updated": 12, "unchanged": 48, "failed": 0}
    late = set(m.ContactCenterUser.objects.filter(teams__name="Late Shift").values_list("email", flat=True))
    assert late == {f"agent{n}@example.com" for n in range(60) if (n % 2 == 1) != (n % 5 == 0)}


def connections_to_this_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_a_job_that_stops_midway_leaves_no_look_ahead_connection(tmp_path, settings, monkeypatch):
    settings.BULK_CHUNK_ROWS = 50
    before = connections_to_this_database()
    plan, planned = Planner.plan, []

    def plan_then_fail(self, units):
        planned.append(len(units))
        if len(planned) == 2:
            raise RuntimeError("a fault in the middle of a job")
        plan(self, units)

    monkeypatch.setattr(Planner, "plan", plan_then_fail)
    outcome = run("bulk_import", "site", sites(tmp_path, "sites.csv", [f"S{n:03},,{MP}" for n in range(200)]))
    assert outcome.job.status == Job.Status.FAILED
    assert Site.objects.count() == 50  # the first chunk, written before the fault
    assert connections_to_this_database() <= before

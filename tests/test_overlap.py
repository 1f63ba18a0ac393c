"""The database and Python at once (bulkops/engine/overlap.py): on PostgreSQL a chunk is written on a
thread of its own while the next is planned, one chunk at a time and in order; on SQLite in turn. The
job's outcome is the same either way: every row counted, errors on their lines, in the job's language."""

import threading
import time

import pytest
from django.db import connection
from django.utils import translation

from bulkops.engine.pipeline import DATABASE_REFUSED, Importer
from bulkops.engine.planning import Planner
from bulkops.models import Job
from config_objects.history import history_model
from config_objects.models import MultimediaProfile, Site
from tests.bulk import csv_text, run, write

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Multimedia Profile"
MP = "Default Multimedia Profile"
ON_POSTGRESQL = connection.vendor == "postgresql"


def sites_file(tmp_path, count: int, bad_every: int = 0):
    rows = []
    for n in range(count):
        profile = "No Such Profile" if bad_every and n % bad_every == 7 else MP
        rows.append(f"S{n:04},site {n},{profile}")
    return str(write(tmp_path, csv_text(HEADER, *rows), "sites.csv"))


def watched(monkeypatch, pause: float = 0.0) -> list:
    """(event, first line of the chunk, thread name, time) for each chunk's planning and writing."""
    events = []
    plan, write_chunk = Planner.plan, Importer.write_chunk

    def watched_plan(self, units):
        events.append(("plan", units[0].rows[0].line, threading.current_thread().name, time.monotonic()))
        plan(self, units)

    def watched_write(self, units, record, rollback=None):
        events.append(("write", units[0].rows[0].line, threading.current_thread().name, time.monotonic()))
        time.sleep(pause)  # a slow database: the next chunk is planned meanwhile
        result = write_chunk(self, units, record, rollback)
        events.append(("written", units[0].rows[0].line, threading.current_thread().name, time.monotonic()))
        return result

    monkeypatch.setattr(Planner, "plan", watched_plan)
    monkeypatch.setattr(Importer, "write_chunk", watched_write)
    return events


def test_chunks_are_written_one_at_a_time_in_order_while_the_next_is_planned(tmp_path, settings, monkeypatch):
    settings.BULK_CHUNK_ROWS = 50
    events = watched(monkeypatch, pause=0.1)
    outcome = run("bulk_import", "site", sites_file(tmp_path, 300, bad_every=40))
    job = outcome.job
    assert job.status == Job.Status.COMPLETED_WITH_ERRORS
    assert outcome.counts == {"created": 292, "updated": 0, "unchanged": 0, "failed": 8}
    assert job.done_rows == job.total_rows == 300
    assert set(outcome.errors()) == {n + 2 for n in range(300) if n % 40 == 7}
    assert Site.objects.filter(name__startswith="S").count() == 292
    assert history_model(Site).objects.filter(job_id=job.pk).count() == 292

    writes = [(line, thread) for event, line, thread, _ in events if event == "write"]
    assert [line for line, _ in writes] == [2 + 50 * k for k in range(6)]  # every chunk, in file order
    main = threading.main_thread().name
    if not ON_POSTGRESQL:
        assert {thread for _, thread in writes} == {main}
        return
    assert {thread for _, thread in writes} != {main}
    assert all(thread.startswith("bulk-writer") for _, thread in writes)
    at = {(event, line): when for event, line, _, when in events}
    for k in range(5):
        line, following = 2 + 50 * k, 2 + 50 * (k + 1)
        assert at["plan", following] < at["written", line], "the next chunk is planned while one is written"
        assert at["write", following] > at["written", line], "one chunk is written at a time"


def test_a_row_the_database_refuses_on_the_writer_thread_gets_the_job_s_language(tmp_path, settings, monkeypatch):
    """The writer works in the job's language: the refused row's message is Serbian for a Serbian job."""
    settings.BULK_CHUNK_ROWS = 50
    plan = Planner.plan

    def plan_then_race(self, units):
        plan(self, units)
        if any(unit.key == "s0060" for unit in units):  # another session saves this name meanwhile
            Site.objects.create(name="S0060", multimedia_profile=MultimediaProfile.objects.get(name=MP))

    monkeypatch.setattr(Planner, "plan", plan_then_race)
    with translation.override("sr-latn"):  # the submitter's; the site's default stays English
        outcome = run("bulk_import", "site", sites_file(tmp_path, 200))
    assert outcome.job.language == "sr-latn"
    assert outcome.counts == {"created": 199, "updated": 0, "unchanged": 0, "failed": 1}
    with translation.override("sr-latn"):
        refused = str(DATABASE_REFUSED)
    with translation.override("en"):
        assert refused != str(DATABASE_REFUSED)
    assert outcome.errors() == {62: refused}


def test_overlap_can_be_switched_off(tmp_path, settings, monkeypatch):
    settings.BULK_CHUNK_ROWS = 50
    settings.BULK_OVERLAP = False
    events = watched(monkeypatch)
    outcome = run("bulk_import", "site", sites_file(tmp_path, 120))
    assert outcome.counts == {"created": 120, "updated": 0, "unchanged": 0, "failed": 0}
    assert {thread for event, _, thread, _ in events if event == "write"} == {threading.main_thread().name}


def test_a_reference_deleted_while_the_chunk_waits_fails_its_row_alone(tmp_path, settings, monkeypatch):
    """A profile named by one row is deleted elsewhere after the chunk was planned: that row is refused,
    the others are written (not the whole job stopped at the chunk's commit)."""
    if not ON_POSTGRESQL:
        pytest.skip("SQLite checks references only at commit")
    settings.BULK_CHUNK_ROWS = 50
    night = MultimediaProfile.objects.create(
        name="Night", blending_mode="BLENDED", telephony=1, chat=0, email=0, social=0
    )
    rows = [f"S{n:04},,{'Night' if n == 70 else MP}" for n in range(120)]
    plan = Planner.plan

    def plan_then_delete(self, units):
        plan(self, units)
        if any(unit.key == "s0070" for unit in units):
            MultimediaProfile.objects.filter(pk=night.pk).delete()

    monkeypatch.setattr(Planner, "plan", plan_then_delete)
    outcome = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, *rows), "sites.csv")))
    assert outcome.job.status == Job.Status.COMPLETED_WITH_ERRORS
    assert outcome.counts == {"created": 119, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors() == {72: str(DATABASE_REFUSED)}
    assert not Site.objects.filter(name="S0070").exists()

"""Faults in the input: NUL bytes, and a database or engine that refuses. Each ends in a clear message
in the user's words (never SQL or an exception's name), with every other row imported and every row
counted. Unicode names are in test_faults_input_names.py; line endings, encodings, quotes, WAV headers
and formula-like cells in test_faults_input_files.py; the shared helpers in tests/faults_input.py."""

import codecs
import csv
import io

import pytest
from django.db import IntegrityError

from bulkops.engine import DATABASE_REFUSED, Importer, writing
from bulkops.engine.planning import Planner
from bulkops.models import Job
from config_objects.models import MultimediaProfile, Site
from tests import faults_input
from tests.bulk import csv_text
from tests.faults_input import HEADER, MP, assert_counts_add_up, error_file, import_sites, upload

pytestmark = pytest.mark.usefixtures("sync_jobs")

# The shared fixtures (tests/faults_input.py), bound here so that pytest finds them in this module.
_no_internals_in_stored_messages = faults_input._no_internals_in_stored_messages
client = faults_input.client


# -- 1. NUL bytes ----------------------------------------------------------------------------------------


def test_a_nul_in_one_cell_fails_only_that_row_naming_the_column(tmp_path):
    content = csv_text(HEADER, f"Belgrade,first,{MP}", f"Nis,bad\x00value,{MP}", f"Novi Sad,third,{MP}")
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 3
    job = outcome.job
    assert job.status == Job.Status.COMPLETED_WITH_ERRORS
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    assert_counts_add_up(job)
    errors = outcome.errors()
    assert list(errors) == [3]
    assert errors[3].startswith("Description contains a NUL character")
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Belgrade", "Novi Sad"]
    rows = error_file(tmp_path, job)
    assert rows[0] == ["Name", "Description", "Multimedia Profile", "Error Message"]
    assert len(rows) == 2
    assert rows[1][0] == "Nis" and rows[1][2] == MP
    assert rows[1][1] == "bad\N{SYMBOL FOR NULL}value"
    assert "NUL" in rows[1][3] and "Description" in rows[1][3]


def test_a_nul_in_the_name_fails_that_row_naming_the_name_column(tmp_path):
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Bel\x00grade,a,{MP}", f"Nis,,{MP}"))
    assert outcome.code == 3
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors()[2].startswith("Name contains a NUL character")
    assert list(Site.objects.values_list("name", flat=True)) == ["Nis"]
    rows = error_file(tmp_path, outcome.job)
    assert rows[1][0] == "Bel\N{SYMBOL FOR NULL}grade"


def test_a_nul_in_the_header_fails_the_job_with_a_clear_message(tmp_path):
    content = csv_text("Name,Descr\x00iption,Multimedia Profile", f"Belgrade,x,{MP}")
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 1
    job = outcome.job
    assert job.status == Job.Status.FAILED
    assert job.active_slot is None and job.finished_at is not None
    assert "NUL" in job.failure_reason and "header" in job.failure_reason
    assert "NUL" in outcome.err
    assert not Site.objects.exists()


def test_a_utf32_file_with_a_byte_order_mark_imports(tmp_path):
    content = csv_text(HEADER, f"Niš,Jug,{MP}", f"İstanbul,Köprü,{MP}").encode("utf-32")
    assert content.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 0, outcome.err
    assert outcome.counts["created"] == 2
    assert dict(Site.objects.values_list("name", "description")) == {"Niš": "Jug", "İstanbul": "Köprü"}


def test_the_dashboard_upload_fails_only_the_row_with_a_nul_and_serves_its_error_file(client):
    content = csv_text(HEADER, f"Belgrade,ok,{MP}", f"Nis,bad\x00value,{MP}").encode()
    response = upload(client, content)
    assert response.status_code == 201, response.content
    job = response.json()["job"]
    assert job["status"] == "completed_with_errors"
    assert (job["total"], job["created"], job["failed"]) == (2, 1, 1)
    status = client.get(job["status_url"]).json()["job"]
    errors = b"".join(client.get(status["errors_url"]).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(errors)))
    assert rows[1][:3] == ["Nis", "bad\N{SYMBOL FOR NULL}value", MP]
    assert rows[1][3].startswith("Description contains a NUL character")
    assert list(Site.objects.values_list("name", flat=True)) == ["Belgrade"]


def test_the_dashboard_upload_of_a_header_with_a_nul_is_a_failed_job(client):
    response = upload(client, csv_text("Name\x00,Description,Multimedia Profile", f"Belgrade,,{MP}").encode())
    assert response.status_code == 201, response.content
    job = response.json()["job"]
    assert job["status"] == "failed" and not job["active"]
    assert "NUL" in job["failure_reason"]
    assert not Site.objects.exists()


def test_the_dashboard_reads_utf32_and_utf16_without_a_mark_and_refuses_a_codec_that_is_not_text(client):
    utf32 = upload(client, csv_text(HEADER, f"Niš,,{MP}").encode("utf-32"))
    assert utf32.json()["job"]["created"] == 1, utf32.content
    utf16be = upload(client, csv_text(HEADER, f"Čačak,,{MP}").encode("utf-16-be"))
    assert utf16be.json()["job"]["created"] == 1, utf16be.content
    cp1250 = upload(client, csv_text(HEADER, f"Kraljevo,Čačak area,{MP}").encode("cp1250"), encoding="cp1250")
    assert cp1250.json()["job"]["created"] == 1, cp1250.content
    assert Site.objects.get(name="Kraljevo").description == "Čačak area"
    jobs = Job.objects.count()
    refused = upload(client, csv_text(HEADER, f"Pirot,,{MP}").encode(), encoding="rot13")
    assert refused.status_code == 400
    assert refused.json()["error"]
    assert Job.objects.count() == jobs
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Kraljevo", "Niš", "Čačak"]


# -- 2. The database refuses, the engine breaks ------------------------------------------------------------


def test_a_row_the_database_refuses_fails_alone_without_sql_in_its_message(tmp_path, monkeypatch):
    original = writing.create_objects
    calls = []

    def refusing(model, objs):
        calls.append([obj.name for obj in objs])
        if len(objs) > 1 or any(obj.name == "Nis" for obj in objs):
            raise IntegrityError(
                'duplicate key value violates unique constraint "x"\n'
                "DETAIL: Key (match_key)=(nis) already exists.\nLINE 1: INSERT INTO ..."
            )
        return original(model, objs)

    # The engine's one way of inserting new objects, on either database.
    monkeypatch.setattr(writing, "create_objects", refusing)
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,,{MP}", f"Nis,,{MP}", f"Novi Sad,,{MP}"))
    assert calls == [["Belgrade", "Nis", "Novi Sad"], ["Belgrade"], ["Nis"], ["Novi Sad"]]
    assert outcome.code == 3
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    assert_counts_add_up(outcome.job)
    assert outcome.errors() == {3: DATABASE_REFUSED}
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Belgrade", "Novi Sad"]


def test_a_name_saved_elsewhere_while_the_chunk_is_written_fails_that_row_alone(tmp_path, monkeypatch):
    """The real refusal, on either database (COPY on PostgreSQL): another session creates "Nis"
    between the chunk's look-up and its write."""
    original = Planner.plan

    def plan_then_race(self, units):
        original(self, units)
        Site.objects.create(name="Nis", multimedia_profile=MultimediaProfile.objects.get(name=MP))

    monkeypatch.setattr(Planner, "plan", plan_then_race)
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,,{MP}", f"Nis,,{MP}", f"Novi Sad,,{MP}"))
    assert outcome.code == 3
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    assert_counts_add_up(outcome.job)
    assert outcome.errors() == {3: DATABASE_REFUSED}
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Belgrade", "Nis", "Novi Sad"]


def test_an_unexpected_error_in_the_engine_fails_the_job_without_its_details(tmp_path, monkeypatch):
    def boom(self, *args, **kwargs):
        raise RuntimeError("boom secret")

    monkeypatch.setattr(Importer, "write_chunk", boom)
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,,{MP}"))
    assert outcome.code == 1
    job = outcome.job
    assert job.status == Job.Status.FAILED and job.active_slot is None
    assert "stopped on an unexpected error" in job.failure_reason
    for secret in ("RuntimeError", "boom", "secret"):
        assert secret not in job.failure_reason
        assert secret not in outcome.err
        assert secret not in outcome.out
    assert not Site.objects.exists()

"""Why a job stopped, in words that fit its operation (SPEC 5): a Validate only job applied nothing, a
revert counts what it deleted and is finished by reverting again, an export is run again; a lost
database connection says so; every reason starts with a capital letter in both languages."""

import subprocess
import sys

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from bulkops import services
from bulkops.models import Job
from bulkops.services import sweep_jobs
from bulkops.worker.liveness import HOST, PLACE
from config_objects.models import Site
from tests.bulk import csv_text, run, write

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Multimedia Profile"
PROFILE = "Default Multimedia Profile"


def sites(tmp_path, count, name="sites.csv", description=""):
    return str(write(tmp_path, csv_text(HEADER, *(f"S{n:05},{description},{PROFILE}" for n in range(count))), name))


def cancel_after_the_first_chunk(monkeypatch, module: str, by: str = "ana"):
    """The job is cancelled by `by` as its first chunk is recorded: it stops at its next chunk."""
    original = services.job_record

    def record_then_cancel(job, **kwargs):
        original(job, **kwargs)
        Job.objects.filter(pk=job.pk).update(cancel_requested_by=by)

    monkeypatch.setattr(f"{module}.job_record", record_then_cancel)


def dead_worker() -> str:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return f"0123456789abcdef@{HOST}:{int(ended.stdout)}:1:{PLACE}"


def test_a_cancelled_validate_only_job_says_nothing_was_applied(tmp_path, settings, monkeypatch):
    settings.BULK_CHUNK_ROWS = 100
    cancel_after_the_first_chunk(monkeypatch, "bulkops.jobs")
    outcome = run("bulk_import", "site", sites(tmp_path, 400), "--validate-only")
    job = outcome.job
    assert job.status == Job.Status.FAILED
    assert job.failure_reason.startswith("Cancelled by ana. 100 of 400 rows were checked: 100 would be created")
    assert "Nothing was changed: a Validate only job applies nothing." in job.failure_reason
    assert "kept" not in job.failure_reason
    assert not Site.objects.exists()


def test_a_cancelled_import_keeps_what_it_applied_and_says_so(tmp_path, settings, monkeypatch):
    settings.BULK_CHUNK_ROWS = 100
    cancel_after_the_first_chunk(monkeypatch, "bulkops.jobs")
    job = run("bulk_import", "site", sites(tmp_path, 400)).job
    assert job.failure_reason.startswith("Cancelled by ana. 100 of 400 rows were processed: 100 created")
    assert "Those changes are kept; importing the same file again is safe" in job.failure_reason
    assert Site.objects.count() == 100


def test_a_cancelled_revert_counts_what_it_deleted_and_is_finished_by_reverting_again(tmp_path, settings, monkeypatch):
    imported = run("bulk_import", "site", sites(tmp_path, 300)).job
    settings.BULK_CHUNK_ROWS = 100
    cancel_after_the_first_chunk(monkeypatch, "bulkops.jobs")
    revert = run("bulk_revert", str(imported.pk)).job
    assert revert.status == Job.Status.FAILED
    assert revert.failure_reason.startswith("Cancelled by ana. 100 of 300 objects were processed:")
    assert "100 deleted" in revert.failure_reason
    assert f"revert job {imported.pk} again to finish the rest" in revert.failure_reason
    monkeypatch.undo()
    again = run("bulk_revert", str(imported.pk))
    assert again.code == 0, again.err
    assert not Site.objects.exists()


@pytest.mark.parametrize(
    ("operation", "words"),
    [
        ("export", "No file was written and nothing was changed; run the export again."),
        ("validate", "Nothing was changed: a Validate only job applies nothing."),
        ("import", "Those changes are kept; importing the same file again is safe and applies the rest."),
    ],
)
def test_a_job_whose_worker_died_says_what_fits_its_operation(operation, words):
    job = Job.objects.create(object_type="site", operation=operation, file_name="f.csv", submitted_by_name="t")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.IN_PROGRESS, worker=dead_worker(), heartbeat_at=timezone.now(), total_rows=10, done_rows=4
    )
    assert sweep_jobs() == [job.pk]
    reason = Job.objects.get(pk=job.pk).failure_reason
    assert reason.startswith("The worker running this job stopped") and words in reason


def test_reasons_start_with_a_capital_letter_in_serbian_too(tmp_path, settings, monkeypatch):
    settings.BULK_CHUNK_ROWS = 100
    settings.LANGUAGE_CODE = "sr-latn"  # the language of command-line submissions
    cancel_after_the_first_chunk(monkeypatch, "bulkops.jobs")
    cancelled = run("bulk_import", "site", sites(tmp_path, 300), "--validate-only").job
    assert cancelled.language == "sr-latn"
    assert cancelled.failure_reason.startswith("Otkazao ana.")
    died = Job.objects.create(
        object_type="site", operation="export", file_name="f.csv", submitted_by_name="t", language="sr-latn"
    )
    Job.objects.filter(pk=died.pk).update(status=Job.Status.IN_PROGRESS, worker=dead_worker())
    sweep_jobs()
    for reason in (cancelled.failure_reason, Job.objects.get(pk=died.pk).failure_reason):
        assert reason[0].isupper(), reason
    waiting = Job.objects.create(
        object_type="site", operation="import", file_name="f.csv", submitted_by_name="t", language="sr-latn"
    )
    services.job_cancel(waiting, by="ana")
    assert Job.objects.get(pk=waiting.pk).failure_reason.startswith("Otkazao ana")


def test_a_lost_database_connection_fails_the_job_saying_so_with_its_counts(tmp_path, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: an SQLite database is a file, with no connection to lose")
    settings.BULK_CHUNK_ROWS = 100
    original = services.job_record
    recorded = []

    def record_then_lose_the_connection(job, **kwargs):
        original(job, **kwargs)
        recorded.append(kwargs["rows"])
        if len(recorded) == 2:  # the second chunk's transaction is open: it is lost with the connection
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            db = connection.settings_dict
            with psycopg.connect(
                host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])

    monkeypatch.setattr("bulkops.jobs.job_record", record_then_lose_the_connection)
    outcome = run("bulk_import", "site", sites(tmp_path, 400))
    job = outcome.job
    assert outcome.code == 1
    assert job.status == Job.Status.FAILED
    assert job.failure_reason.startswith(
        "The database connection was lost while the job ran. 100 of 400 rows were processed: 100 created"
    ), job.failure_reason
    assert "unexpected" not in job.failure_reason
    assert Site.objects.count() == job.created == job.done_rows == 100

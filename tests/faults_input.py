"""What the fault-input tests (tests/test_faults_input*.py) share: the Site CSV header, the words users
must never see and the autouse fixture that checks every stored message for them, a superuser `client`,
and helpers to import, upload and read an error file. pytest looks for fixtures only in test modules and
conftest files, so each test module that uses a fixture of this one assigns it to a name of its own."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bulkops.models import Job, JobError
from tests.bulk import run, write

HEADER = "Name,Description,Multimedia Profile"
MP = "Default Multimedia Profile"
NEW = reverse("admin:bulkops_job_new")

# What the database or Python would say, which users must never see.
INTERNALS = (
    "LINE 1",
    "violates",
    "INSERT",
    "DETAIL",
    "constraint",
    "Traceback",
    "DataError",
    "IntegrityError",
    "TypeError",
    "UnicodeDecodeError",
    "RuntimeError",
    "boom secret",
)


@pytest.fixture(autouse=True)
def _no_internals_in_stored_messages(sync_jobs):
    """After every test: no job's failure reason or row message holds SQL or an exception's name."""
    yield
    texts = [*Job.objects.values_list("failure_reason", flat=True), *JobError.objects.values_list("message", flat=True)]
    for text in texts:
        for word in INTERNALS:
            assert word not in (text or ""), (word, text)


def import_sites(tmp_path, content, *options, name="sites.csv"):
    return run("bulk_import", "site", str(write(tmp_path, content, name)), *options)


def assert_counts_add_up(job):
    assert job.created + job.updated + job.unchanged + job.failed == job.total_rows == job.done_rows


def error_file(tmp_path, job, name="errors.csv") -> list[list[str]]:
    target = tmp_path / name
    outcome = run("bulk_errors", str(job.pk), "-o", str(target))
    assert outcome.code == 0, outcome.err
    return list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def client(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client = Client()
    client.force_login(user)
    return client


def upload(client, content: bytes, name="sites.csv", obj="site", encoding=None):
    data = {"object": obj, "operation": "import", "file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if encoding is not None:
        data["encoding"] = encoding
    return client.post(NEW, data)

"""A job's failed rows on its details page and in the API (SPEC sections 5 and 9, issue 25): line,
name and Error Message, a page at a time, in both languages, for those who may have the job's files,
in a fixed number of queries however many rows failed."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from bulkops.failed_rows import failed_rows_listed, job_failed_rows
from bulkops.models import Job, JobError, JobPart

pytestmark = pytest.mark.usefixtures("sync_jobs")

SITES = b"Name,Description,Multimedia Profile\nBelgrade,,Default Multimedia Profile\nNis,,Nope\n"
NEW = reverse("admin:bulkops_job_new")
SERBIAN = {"HTTP_ACCEPT_LANGUAGE": "sr-latn"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def login(django_user_model, name, *perms, api=False, **headers):
    user = django_user_model.objects.create_user(name, password="pw-123456789", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    client = APIClient(**headers) if api else Client(**headers)
    client.force_login(user)
    client.user = user
    return client


def upload(client, content=SITES) -> Job:
    data = {"object": "site", "operation": "import", "file": SimpleUploadedFile("sites.csv", content)}
    response = client.post(NEW, data)
    assert response.status_code == 201, response.content
    return Job.objects.get(pk=response.json()["job"]["id"])


def details(job, **query) -> str:
    url = reverse("admin:bulkops_job_change", args=[job.pk])
    return f"{url}?{urlencode(query)}" if query else url


def shown(page) -> list[tuple]:
    return [(row.line, row.name, row.message) for row in page.context["failed_rows"]]


def failed_job(count: int, *, object_type="site", header=("Name", "Description"), **fields) -> Job:
    """A finished job with `count` failed rows, made directly (a file of 200 bad rows is slow to import)."""
    job = Job.objects.create(
        object_type=object_type, operation="import", status=Job.Status.COMPLETED_WITH_ERRORS, active_slot=None,
        submitted_by_name="ana", header=list(header), total_rows=count, done_rows=count, failed=count, **fields,
    )  # fmt: skip
    JobError.objects.bulk_create(
        JobError(job=job, line=line, cells=[f"Site {line}", "x"], message=f"Problem {line}")
        for line in range(count + 1, 1, -1)  # stored out of order: the page sorts them by line
    )
    return job


@pytest.fixture
def editor(django_user_model):
    return login(django_user_model, "editor", "add_site", "change_site", **ENGLISH)


def test_a_job_with_failed_rows_shows_them_on_its_page_with_line_name_and_message(editor):
    job = upload(editor)
    page = editor.get(details(job))
    assert shown(page) == [(3, "Nis", "Multimedia Profile 'Nope' does not exist")]
    text = page.content.decode()
    section = text[text.index('id="bulk-failed-rows"') :]
    for words in ("Failed rows", '<th scope="col">Line</th>', "Name", "Error Message", "Nis"):
        assert words in section, words
    assert "Multimedia Profile &#x27;Nope&#x27; does not exist" in section
    assert 'class="paginator"' not in section[: section.index("</table>") + 100]  # one page: no pages


def test_a_job_without_failed_rows_has_no_such_section(editor):
    job = upload(editor, b"Name,Description,Multimedia Profile\nBelgrade,,Default Multimedia Profile\n")
    page = editor.get(details(job))
    assert "shows_failed_rows" not in page.context
    assert 'id="bulk-failed-rows"' not in page.content.decode()


def test_failed_rows_come_50_a_page_with_a_page_parameter_of_their_own(editor):
    job = failed_job(120, submitted_by=editor.user)
    first = editor.get(details(job))
    assert [row[0] for row in shown(first)] == list(range(2, 52))
    assert "Page 1 of 3 (120 failed rows)" in first.content.decode()
    last = editor.get(details(job, failed_page=3))
    assert [row[0] for row in shown(last)] == list(range(102, 122))
    assert shown(last)[0] == (102, "Site 102", "Problem 102")
    assert editor.get(details(job, failed_page="nonsense")).context["failed_rows_page"].number == 1
    # The changes list's ?page= and ?action= and the failed rows' page each keep the other's place.
    both = editor.get(details(job, action="created", page=1, failed_page=2)).content.decode()
    assert "?action=created&amp;page=1&amp;failed_page=3#bulk-failed-rows" in both
    assert "?action=created&amp;page=1&amp;failed_page=1#bulk-failed-rows" in both
    assert "?failed_page=2&amp;action=updated" in both


def test_the_page_s_labels_follow_the_request_and_the_messages_stay_in_the_submitter_s_language(
    django_user_model,
):
    serbian = login(django_user_model, "ana", "add_site", "change_site", "view_site", **SERBIAN)
    job = upload(serbian)
    assert job.language == "sr-latn"
    page = serbian.get(details(job))
    text = page.content.decode()
    section = text[text.index('id="bulk-failed-rows"') :]
    for words in ("Neuspešni redovi", '<th scope="col">Red</th>', '<th scope="col">Naziv</th>', "Nis"):
        assert words in section, words
    assert shown(page) == [(3, "Nis", "Multimedia Profile 'Nope' ne postoji")]
    # An English reader sees English labels and the message as its submitter's language wrote it.
    english = login(django_user_model, "bob", "view_site", **ENGLISH)
    text = english.get(details(job)).content.decode()
    section = text[text.index('id="bulk-failed-rows"') :]
    assert "Failed rows" in section and "Error Message" in section and "ne postoji" in section


def test_a_staff_user_who_may_not_download_the_job_s_files_does_not_see_its_failed_rows(django_user_model, editor):
    job = upload(editor)
    staff = login(django_user_model, "staff", **ENGLISH)
    page = staff.get(details(job))
    assert page.status_code == 200
    assert "failed_rows" not in page.context
    text = page.content.decode()
    assert "Nis" not in text and "does not exist" not in text
    assert "A job's failed rows are for its submitter and for those who may view Site records." in text
    api = login(django_user_model, "staff-api", api=True)
    assert api.get(f"/api/v1/jobs/{job.pk}/failed-rows/").status_code == 403
    assert api.get(f"/api/v1/jobs/{job.pk}/").json()["failed_rows_url"] is None


@pytest.mark.parametrize("client_kind", ["dashboard", "api"])
def test_the_failed_rows_cost_the_same_queries_for_10_rows_as_for_200(django_user_model, client_kind):
    client = login(django_user_model, "viewer", "view_site", api=client_kind == "api")
    few, many = failed_job(10), failed_job(200)

    def url(job):
        return f"/api/v1/jobs/{job.pk}/failed-rows/" if client_kind == "api" else details(job)

    client.get(url(few))  # the first request of a client loads what every later one shares
    with CaptureQueriesContext(connection) as for_few:
        assert client.get(url(few)).status_code == 200
    with CaptureQueriesContext(connection) as for_many:
        assert client.get(url(many)).status_code == 200
    assert len(for_few) == len(for_many), [query["sql"] for query in for_many]
    assert len(for_many) <= 12, [query["sql"] for query in for_many]
    assert sum("bulkops_joberror" in query["sql"] for query in for_many) == 2  # a count and a page


# -- the name: the row's key cell -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("object_type", "header", "cells", "name"),
    [
        ("site", ["Description", "Name"], ["old", "Belgrade"], "Belgrade"),
        ("user", ["First Name", "Name", " EMAIL "], ["Ana", "ana", "ana@example.com"], "ana@example.com"),
        ("dn-mapping", ["Entry Point", "Dialed Number"], ["Sales", "'+14155550100"], "'+14155550100"),
        ("audio-file", ["File Name"], ["greeting.wav"], "greeting.wav"),
        ("site", ["Description"], ["no name here"], ""),
        ("site", ["Description", "Name"], ["a short row"], ""),
    ],
)
def test_the_name_is_the_row_s_key_cell_found_in_the_header(db, object_type, header, cells, name):
    job = Job.objects.create(
        object_type=object_type, operation="import", status="completed", active_slot=None, header=header
    )
    JobError.objects.create(job=job, line=2, cells=cells, message="bad")
    assert [row.name for row in failed_rows_listed(job, job_failed_rows(job))] == [name]


def test_a_revert_s_failed_rows_are_named_by_their_name_cell(db):
    target = Job.objects.create(object_type="user", operation="import", status="completed", active_slot=None)
    revert = Job.objects.create(
        object_type="user", operation="revert", status="completed_with_errors", active_slot=None,
        reverts=target, header=["Name"], failed=1,
    )  # fmt: skip
    JobError.objects.create(job=revert, line=1, cells=["ana"], message="changed since job 1")
    assert [row.name for row in failed_rows_listed(revert, job_failed_rows(revert))] == ["ana"]


def test_a_package_s_failed_rows_say_their_object_and_file_part_by_part(django_user_model):
    job = Job.objects.create(
        object_type="package", operation="import", status="completed_with_errors", active_slot=None,
        file_name="center.zip", failed=3,
    )  # fmt: skip
    sites = JobPart.objects.create(job=job, position=1, object_type="site", entry="sites.csv", header=["Name"])
    users = JobPart.objects.create(
        job=job, position=2, object_type="user", entry="center/users.csv", header=["Name", "Email"]
    )
    JobError.objects.create(job=job, part=users, line=2, cells=["ana", "ana@example.com"], message="no team")
    JobError.objects.create(job=job, part=sites, line=4, cells=["Nis"], message="no profile")
    JobError.objects.create(job=job, part=sites, line=3, cells=["Belgrade"], message="no profile")
    rows = failed_rows_listed(job, job_failed_rows(job))
    assert [(row.object_label, row.entry, row.line, row.name) for row in rows] == [
        ("Site", "sites.csv", 3, "Belgrade"),
        ("Site", "sites.csv", 4, "Nis"),
        ("User", "center/users.csv", 2, "ana@example.com"),
    ]
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client = Client(**ENGLISH)
    client.force_login(superuser)
    text = client.get(details(job)).content.decode()
    section = text[text.index('id="bulk-failed-rows"') :]
    assert '<th scope="col">File or sheet</th>' in section and "center/users.csv" in section
    api = APIClient()
    api.force_authenticate(superuser)
    listed = api.get(f"/api/v1/jobs/{job.pk}/failed-rows/").json()["results"]
    assert listed[2] == {
        "line": 2,
        "name": "ana@example.com",
        "message": "no team",
        "object": "user",
        "object_label": "User",
        "entry": "center/users.csv",
    }


# -- the API -----------------------------------------------------------------------------------------


def test_the_api_lists_a_job_s_failed_rows_a_page_at_a_time_beside_its_error_file(django_user_model):
    client = login(django_user_model, "viewer", "view_site", api=True)
    job = failed_job(60)
    described = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert described["failed_rows_url"] == f"http://testserver/api/v1/jobs/{job.pk}/failed-rows/"
    assert described["files"]["errors"] == f"http://testserver/api/v1/jobs/{job.pk}/errors/"
    first = client.get(described["failed_rows_url"]).json()
    assert first["count"] == 60 and len(first["results"]) == 50 and first["previous"] is None
    assert first["results"][0] == {
        "line": 2,
        "name": "Site 2",
        "message": "Problem 2",
        "object": "site",
        "object_label": "Site",
        "entry": None,
    }
    second = client.get(first["next"]).json()
    assert [row["line"] for row in second["results"]] == list(range(52, 62)) and second["next"] is None
    past = client.get(described["failed_rows_url"], {"page": 3})
    assert (past.status_code, past.json()) == (404, {"detail": "Invalid page."})
    assert client.get("/api/v1/jobs/999999/failed-rows/").status_code == 404


def test_a_job_without_failed_rows_lists_none(django_user_model):
    client = login(django_user_model, "viewer", "view_site", api=True)
    job = failed_job(0)
    assert client.get(f"/api/v1/jobs/{job.pk}/").json()["failed_rows_url"] is None
    listed = client.get(f"/api/v1/jobs/{job.pk}/failed-rows/")
    assert (listed.status_code, listed.json()["count"], listed.json()["results"]) == (200, 0, [])

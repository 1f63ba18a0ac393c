"""The HTTP API (SPEC section 9) through DRF's APIClient: every endpoint, its status codes, JSON errors,
and the access rules of SPEC section 7, the same as the dashboard's."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bulkops.models import Job
from config_objects.models import Site

pytestmark = pytest.mark.usefixtures("sync_jobs")

SITES = b"Name,Description,Multimedia Profile\nBelgrade,,Default Multimedia Profile\nNis,,Nope\n"
JOBS = "/api/v1/jobs/"


def user_client(django_user_model, name, *perms, superuser=False, staff=True):
    if superuser:
        user = django_user_model.objects.create_superuser(name, f"{name}@example.com", "pw-123456789")
    else:
        user = django_user_model.objects.create_user(name, password="pw-123456789", is_staff=staff)
        user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def clients(django_user_model):
    return {
        "anonymous": APIClient(),
        "staff": user_client(django_user_model, "staff"),
        "viewer": user_client(django_user_model, "viewer", "view_site"),
        "editor": user_client(django_user_model, "editor", "add_site", "change_site"),
        "superuser": user_client(django_user_model, "root", superuser=True),
        "not-staff": user_client(django_user_model, "outsider", "add_site", "change_site", "view_site", staff=False),
    }


def submit(client, content=SITES, name="sites.csv", **fields):
    data = {"object": "site", "file": SimpleUploadedFile(name, content, content_type="text/csv")} | fields
    return client.post(JOBS, data, format="multipart")


def test_an_import_is_a_job_with_a_location_its_counts_and_its_error_file(clients):
    response = submit(clients["editor"])
    assert response.status_code == 201, response.json()
    job = response.json()
    assert response["Location"].endswith(f"/api/v1/jobs/{job['id']}/")
    assert (job["status"], job["object"], job["operation"]) == ("completed_with_errors", "site", "import")
    assert {k: job[k] for k in ("created", "updated", "unchanged", "deleted", "failed", "total_rows", "done_rows")} == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "failed": 1,
        "total_rows": 2,
        "done_rows": 2,
    }
    assert job["progress"] == 100.0 and set(job["files"]) == {"input", "errors", "changes"}
    detail = clients["editor"].get(response["Location"])
    assert detail.status_code == 200 and detail.json()["id"] == job["id"]
    errors = clients["editor"].get(job["files"]["errors"])
    assert errors.status_code == 200 and errors["Content-Type"].startswith("text/csv")
    text = b"".join(errors.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "Name,Description,Multimedia Profile,Error Message"
    assert "Multimedia Profile 'Nope' does not exist" in text
    assert clients["editor"].get(job["files"]["input"]).status_code == 200


def test_validate_only_changes_nothing_and_its_file_can_then_be_imported(clients):
    checked = submit(clients["editor"], validate_only="true").json()
    assert (checked["operation"], checked["created"], checked["failed"]) == ("validate", 1, 1)
    assert not Site.objects.exists()
    imported = clients["editor"].post(f"{JOBS}{checked['id']}/import/")
    assert imported.status_code == 201, imported.json()
    assert (imported.json()["operation"], imported.json()["created"]) == ("import", 1)
    assert imported.json()["file_name"] == "sites.csv"
    assert Site.objects.filter(name="Belgrade").exists()
    refused = clients["editor"].post(f"{JOBS}{imported.json()['id']}/import/")
    assert refused.status_code == 422 and "not a Validate only job" in refused.json()["detail"]


def test_jobs_are_listed_newest_first_filtered_and_paginated(clients):
    submit(clients["editor"])
    submit(clients["editor"], validate_only="true")
    clients["superuser"].post("/api/v1/objects/site/export/")
    page = clients["viewer"].get(JOBS).json()
    assert page["count"] == 3 and [job["operation"] for job in page["results"]] == ["export", "validate", "import"]
    assert [j["operation"] for j in clients["viewer"].get(JOBS, {"operation": "validate"}).json()["results"]] == [
        "validate"
    ]
    assert clients["viewer"].get(JOBS, {"status": "completed"}).json()["count"] == 1
    assert clients["viewer"].get(JOBS, {"object": "team"}).json()["count"] == 0
    assert set(clients["viewer"].get(JOBS, {"page": 1}).json()) == {"count", "next", "previous", "results"}


def test_an_export_job_has_its_result_file(clients):
    submit(clients["editor"])
    response = clients["viewer"].post("/api/v1/objects/site/export/")
    assert response.status_code == 201
    job = response.json()
    assert (job["operation"], job["status"], job["total_rows"]) == ("export", "completed", 1)
    result = clients["viewer"].get(job["files"]["result"])
    assert b"".join(result.streaming_content).decode("utf-8-sig").splitlines()[1] == (
        "Belgrade,,Default Multimedia Profile"
    )


def test_objects_describe_their_columns_and_what_the_caller_may_do(clients):
    objects = {o["slug"]: o for o in clients["editor"].get("/api/v1/objects/").json()}
    site = objects["site"]
    assert (site["label"], site["file_kind"], site["key"]) == ("Site", "csv", "Name")
    assert site["columns"] == [
        {"name": "Name", "required": True},
        {"name": "Description", "required": False},
        {"name": "Multimedia Profile", "required": True},
    ]
    assert (site["may_import"], site["may_export"]) == (True, False)
    assert objects["audio-file"]["file_kind"] == "zip"
    template = clients["viewer"].get("/api/v1/objects/site/template/")
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig") == "Name,Description,Multimedia Profile\r\n"
    assert 'filename="site-template.csv"' in template["Content-Disposition"]


@pytest.mark.parametrize(
    ("who", "list_", "import_", "export", "template"),
    [
        ("anonymous", 401, 401, 401, 401),
        ("not-staff", 403, 403, 403, 403),
        ("staff", 200, 403, 403, 403),
        ("viewer", 200, 403, 201, 200),
        ("editor", 200, 201, 403, 403),
        ("superuser", 200, 201, 201, 200),
    ],
)
def test_who_may_do_what(clients, who, list_, import_, export, template):
    client = clients[who]
    assert client.get(JOBS).status_code == list_
    assert submit(client).status_code == import_
    assert client.post("/api/v1/objects/site/export/").status_code == export
    assert client.get("/api/v1/objects/site/template/").status_code == template


def test_a_job_s_files_go_to_its_submitter_superusers_and_viewers_of_its_object(clients):
    job = submit(clients["editor"]).json()
    url = f"{JOBS}{job['id']}/errors/"
    for who, status in [("editor", 200), ("superuser", 200), ("viewer", 200), ("staff", 403), ("anonymous", 401)]:
        assert clients[who].get(url).status_code == status, who
    assert clients["staff"].get(f"{JOBS}{job['id']}/").json()["files"] == {}


@pytest.mark.parametrize(
    ("fields", "name", "content", "status", "says"),
    [
        ({}, "sites.txt", SITES, 415, "is neither a CSV file nor an Excel workbook"),
        ({"encoding": "rot13"}, "sites.csv", SITES, 422, "is not a text encoding"),
        ({"object": "nope"}, "sites.csv", SITES, 400, "Unknown object 'nope'"),
    ],
)
def test_a_refused_submission_says_why_with_its_status(clients, fields, name, content, status, says):
    response = submit(clients["superuser"], content, name, **fields)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert says in response.json()["detail"]
    assert not Job.objects.exists()


def test_a_missing_file_is_400_and_a_file_over_the_limit_is_413(clients, settings):
    missing = clients["superuser"].post(JOBS, {"object": "site"}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["detail"]
    settings.BULK_MAX_FILE_BYTES = 10
    too_large = submit(clients["superuser"])
    assert too_large.status_code == 413 and "the limit is" in too_large.json()["detail"]


def test_fields_over_the_request_limit_are_413_not_a_server_error(clients, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    field = clients["superuser"].post(JOBS, {"object": "x" * 200_000}, format="multipart")
    body = clients["superuser"].post("/api/v1/objects/site/export/", {"note": "x" * 200_000}, format="json")
    for response in (field, body):
        assert response.status_code == 413, response.content
        assert response.json() == {"detail": "The request's fields, its file aside, are over 0.1 MB."}


def test_the_framework_s_own_answers_are_in_serbian_too(clients):
    serbian = {"HTTP_ACCEPT_LANGUAGE": "sr-latn"}
    answers = {
        "anonymous": (401, "Podaci za prijavu nisu poslati."),
        "not-staff": (403, "API je namenjen osoblju administracije kontakt centra."),
        "superuser": (404, "Neispravna stranica."),
    }
    for who, (status, detail) in answers.items():
        response = clients[who].get(JOBS, {"page": 99}, **serbian)
        assert (response.status_code, response.json()) == (status, {"detail": detail})
    upload = SimpleUploadedFile("sites.csv", SITES, content_type="text/csv")
    fields = {"object": "site", "file": upload, "validate_only": "maybe"}
    boolean = clients["superuser"].post(JOBS, fields, format="multipart", **serbian).json()
    assert boolean["fields"] == {"validate_only": ["Mora biti ispravna logička vrednost."]}
    assert clients["superuser"].delete(f"{JOBS}1/", **serbian).json() == {"detail": 'Metoda "DELETE" nije dozvoljena.'}


def test_a_second_submission_while_a_job_is_active_is_409(clients, settings):
    settings.BULK_JOBS_SYNC = False  # no worker: the first job stays New
    first = submit(clients["editor"])
    assert first.status_code == 201 and first.json()["status"] == "new"
    second = submit(clients["superuser"])
    assert second.status_code == 409
    assert second.json()["detail"].startswith(f"Another bulk job is active: job {first.json()['id']}")
    cancelled = clients["editor"].post(f"{JOBS}{first.json()['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["failure_reason"].startswith("Cancelled by editor")
    assert clients["editor"].post(f"{JOBS}{first.json()['id']}/cancel/").status_code == 422
    assert clients["viewer"].post(f"{JOBS}{first.json()['id']}/cancel/").status_code == 403


def test_unknown_things_are_json_404s(clients):
    client = clients["superuser"]
    for url in [f"{JOBS}999/", f"{JOBS}999/errors/", "/api/v1/objects/nope/template/", "/api/v1/nothing/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json" and response.json()["detail"]
    job = submit(client).json()
    assert client.get(f"{JOBS}{job['id']}/result/").status_code == 404
    assert client.get(f"{JOBS}{job['id']}/other/").status_code == 404


def test_the_admin_session_works_too_with_csrf(django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="root", password="pw-123456789")
    assert client.get(JOBS).status_code == 200
    assert submit(client).status_code == 403  # no CSRF token: refused, as the dashboard's forms are


def test_the_openapi_description_and_its_documentation_page():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/jobs/", "/api/v1/jobs/{id}/", "/api/v1/objects/", "/api/v1/objects/{slug}/export/"} <= set(paths)
    docs = APIClient().get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn.jsdelivr" not in docs.content  # the sidecar serves the page's files locally


def test_bulk_import_from_job_imports_the_file_a_validate_only_job_checked(tmp_path):
    from tests.bulk import run, write

    path = write(tmp_path, SITES)
    checked = run("bulk_import", "site", str(path), "--validate-only")
    assert (checked.code, checked.counts["created"]) == (3, 1) and not Site.objects.exists()
    imported = run("bulk_import", "--from-job", str(checked.job.pk))
    assert imported.code == 3, imported.err
    assert f"as validated by job {checked.job.pk}" in imported.out
    assert (imported.job.operation, imported.job.created) == ("import", 1)
    assert Site.objects.filter(name="Belgrade").exists()
    again = run("bulk_import", "--from-job", str(imported.job.pk))
    assert again.code == 1 and "not a Validate only job" in again.err
    assert run("bulk_import", "site", "--from-job", str(checked.job.pk)).code == 1

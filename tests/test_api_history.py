"""A job's changes and reverting a job through the HTTP API (SPEC sections 8 and 9)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bulkops.models import Job
from config_objects.models import Site
from tests import test_api

pytestmark = pytest.mark.usefixtures("sync_jobs")

JOBS = "/api/v1/jobs/"
clients = test_api.clients  # the fixture: API users by what they may do
HEADER = "Name,Description,Multimedia Profile"
PROFILE = "Default Multimedia Profile"


def sites(*rows: str) -> bytes:
    return "".join(f"{line}\n" for line in (HEADER, *rows)).encode()


def submit(client, content, **fields) -> dict:
    data = {"object": "site", "file": SimpleUploadedFile("sites.csv", content, content_type="text/csv")} | fields
    response = client.post(JOBS, data, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def updated_job(clients) -> dict:
    """An import that updated Belgrade and created Novi Sad."""
    submit(clients["editor"], sites(f"Belgrade,old,{PROFILE}"))
    return submit(clients["editor"], sites(f"Belgrade,new,{PROFILE}", f"Novi Sad,,{PROFILE}"))


def revert(client, job_id):
    return client.post(f"{JOBS}{job_id}/revert/")


def test_a_jobs_changes_are_a_csv_file_for_those_who_get_its_files(clients, updated_job):
    url = f"{JOBS}{updated_job['id']}/changes/"
    assert updated_job["files"]["changes"].endswith(url)
    response = clients["viewer"].get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"job-{updated_job['id']}-changes.csv" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[:2] == ["Name,Action,Column,Before,After", "Belgrade,Updated,Description,old,new"]
    assert "Novi Sad,Created,Name,,Novi Sad" in lines
    denied = clients["staff"].get(url)
    assert denied.status_code == 403 and "detail" in denied.json()
    assert clients["anonymous"].get(url).status_code == 401
    assert clients["viewer"].get(f"{JOBS}999999/changes/").status_code == 404


def test_a_validate_only_job_has_the_changes_it_would_make(clients):
    checked = submit(clients["editor"], sites(f"Belgrade,x,{PROFILE}"), validate_only=True)
    response = clients["editor"].get(checked["files"]["changes"])
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert "Belgrade,Created,Description,,x" in lines
    assert not Site.objects.exists()


def test_an_export_has_no_changes_file(clients):
    viewer = clients["viewer"]
    exported = viewer.post("/api/v1/objects/site/export/")
    assert exported.status_code == 201 and "changes" not in exported.json()["files"]
    missing = viewer.get(f"{JOBS}{exported.json()['id']}/changes/")
    assert missing.status_code == 404 and "changes nothing" in missing.json()["detail"]


def test_a_revert_is_a_new_job_with_its_location_and_counts(clients, updated_job):
    response = revert(clients["editor"], updated_job["id"])
    assert response.status_code == 201, response.json()
    job = response.json()
    assert response["Location"].endswith(f"/api/v1/jobs/{job['id']}/")
    assert (job["operation"], job["reverts"], job["file_name"]) == (
        "revert",
        updated_job["id"],
        f"revert of job {updated_job['id']}",
    )
    assert (job["status"], job["updated"], job["deleted"], job["failed"]) == ("completed", 1, 1, 0)
    assert updated_job["reverts"] is None
    assert list(Site.objects.values_list("name", "description")) == [("Belgrade", "old")]
    changes = clients["editor"].get(job["files"]["changes"])
    assert "Novi Sad,Deleted,Name,Novi Sad," in b"".join(changes.streaming_content).decode("utf-8-sig")


def test_a_second_revert_of_the_same_job_is_a_409_naming_the_first(clients, updated_job):
    first = revert(clients["editor"], updated_job["id"]).json()
    again = revert(clients["editor"], updated_job["id"])
    assert again.status_code == 409
    assert f"already reverted by job {first['id']}" in again.json()["detail"]
    assert Job.objects.filter(operation="revert").count() == 1


def test_a_revert_while_another_job_is_active_is_a_409(clients, updated_job):
    active = Job.objects.create(object_type="team", operation="import", submitted_by_name="ana")
    response = revert(clients["editor"], updated_job["id"])
    assert response.status_code == 409
    assert response.json()["detail"].startswith(f"Another bulk job is active: job {active.pk}")


def test_a_job_that_cannot_be_reverted_is_a_422(clients):
    checked = submit(clients["editor"], sites(f"Belgrade,x,{PROFILE}"), validate_only=True)
    response = revert(clients["editor"], checked["id"])
    assert response.status_code == 422
    assert "only an import (or a revert) can be reverted" in response.json()["detail"]


def test_reverting_needs_the_import_permission_and_a_known_job(clients, updated_job):
    for who, code in [("viewer", 403), ("staff", 403), ("anonymous", 401)]:
        response = revert(clients[who], updated_job["id"])
        assert response.status_code == code and "detail" in response.json(), who
    missing = revert(clients["editor"], 999999)
    assert missing.status_code == 404 and "detail" in missing.json()
    assert not Job.objects.filter(operation="revert").exists()


def test_the_schema_describes_the_revert_and_the_changes_file(clients):
    schema = clients["anonymous"].get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    post = schema["paths"]["/api/v1/jobs/{id}/revert/"]["post"]
    assert {"201", "403", "404", "409", "422"} <= set(post["responses"])
    assert "already reverted" in post["responses"]["409"]["description"]
    kinds = next(p for p in schema["paths"]["/api/v1/jobs/{id}/{kind}/"]["get"]["parameters"] if p["name"] == "kind")
    assert "changes" in kinds["schema"]["enum"]

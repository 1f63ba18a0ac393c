"""The HTTP API (SPEC section 9) end to end: real HTTP requests to a live server with a real worker
process running the jobs, and simultaneous submissions racing for the one active-job slot."""

import csv
import io
import threading

import pytest
import requests
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bulkops.models import Job
from config_objects.models import Site
from tests.worker import qcluster, wait_for, worker_env

pytestmark = [pytest.mark.usefixtures("transactional_db", "catalogue_defaults"), pytest.mark.slow]

HEADER = "Name,Description,Multimedia Profile"
PROFILE = "Default Multimedia Profile"


@pytest.fixture
def token(django_user_model) -> str:
    """A staff user who may import and view Sites (SPEC section 7), and their API token."""
    user = django_user_model.objects.create_user("api-user", "api@example.com", "pw-123456789", is_staff=True)
    codenames = ["add_site", "change_site", "view_site"]
    permissions = Permission.objects.filter(content_type__app_label="config_objects", codename__in=codenames)
    user.user_permissions.set(permissions)
    assert user.user_permissions.count() == 3
    return Token.objects.create(user=user).key


def submit(url: str, session: requests.Session, name: str, content: bytes) -> str:
    response = session.post(
        f"{url}/api/v1/jobs/", data={"object": "site"}, files={"file": (name, content, "text/csv")}, timeout=30
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == Job.Status.NEW
    return response.headers["Location"]


def finished(session: requests.Session, location: str) -> dict:
    def done():
        response = session.get(location, timeout=30)
        assert response.status_code == 200, response.text
        job = response.json()
        return None if job["active"] else job

    return wait_for(done, timeout=120, message=f"the job at {location} to finish")


def test_an_import_with_a_bad_row_is_fixed_from_its_error_csv_over_http(live_server, settings, tmp_path, token):
    settings.BULK_JOBS_SYNC = False
    url = live_server.url

    anonymous = requests.get(f"{url}/api/v1/jobs/", timeout=30)
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"].startswith("application/json")
    assert anonymous.json()["detail"]
    bad_token = requests.get(f"{url}/api/v1/jobs/", headers={"Authorization": "Token not-a-token"}, timeout=30)
    assert bad_token.status_code == 401 and bad_token.json()["detail"]

    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    rows = [HEADER, f"Site A,,{PROFILE}", "Site B,second,Nope", f"Site C,,{PROFILE}"]
    with qcluster(worker_env(settings, tmp_path), tmp_path / "qcluster.log"):
        location = submit(url, session, "sites.csv", "\n".join(rows).encode() + b"\n")
        assert location.startswith(f"{url}/api/v1/jobs/")
        job = finished(session, location)
        assert job["status"] == Job.Status.COMPLETED_WITH_ERRORS, job
        assert (job["created"], job["failed"], job["total_rows"]) == (2, 1, 3)
        assert set(job["files"]) == {"input", "errors", "changes"}

        errors = session.get(job["files"]["errors"], timeout=30)
        assert errors.status_code == 200, errors.text
        assert errors.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in errors.headers["Content-Disposition"]
        table = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
        assert table[0] == [*HEADER.split(","), "Error Message"]
        assert len(table) == 2
        assert table[1][:3] == ["Site B", "second", "Nope"] and table[1][3]

        # Fix the row in the downloaded file and upload it as it is, Error Message column and all.
        table[1][2] = PROFILE
        fixed = io.StringIO()
        csv.writer(fixed, lineterminator="\n").writerows(table)
        location = submit(url, session, "sites-fixed.csv", ("\ufeff" + fixed.getvalue()).encode())
        job = finished(session, location)
        assert job["status"] == Job.Status.COMPLETED, job
        assert (job["created"], job["failed"], job["total_rows"]) == (1, 0, 1)
        assert job["files"].get("errors") is None

    assert sorted(Site.objects.values_list("name", "description")) == [
        ("Site A", ""),
        ("Site B", "second"),
        ("Site C", ""),
    ]
    assert set(Site.objects.values_list("multimedia_profile__name", flat=True)) == {PROFILE}


def test_of_ten_simultaneous_api_submissions_exactly_one_is_accepted(settings, token):
    settings.BULK_JOBS_SYNC = False  # no worker runs: the accepted job stays New
    count = 10
    barrier = threading.Barrier(count)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def submitter(number: int):
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            upload = SimpleUploadedFile(
                f"race-{number}.csv", f"{HEADER}\nRace {number},,{PROFILE}\n".encode(), content_type="text/csv"
            )
            barrier.wait(timeout=30)
            response = client.post("/api/v1/jobs/", {"object": "site", "file": upload}, format="multipart")
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submitter, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * (count - 1), results
    (accepted,) = [body for code, body in results if code == 201]
    assert accepted["status"] == Job.Status.NEW
    for _code, body in (result for result in results if result[0] == 409):
        assert set(body) == {"detail"}, body
        assert body["detail"].startswith(f"Another bulk job is active: job {accepted['id']} "), body
    assert list(Job.objects.values_list("pk", "status")) == [(accepted["id"], Job.Status.NEW)]

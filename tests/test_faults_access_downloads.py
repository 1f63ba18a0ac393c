"""Faults and access, downloads: a file gone from storage is a 404 that says why (never a 500), hostile
upload and command-line file names give well-formed, safe Content-Disposition headers, and jobs that do
not exist are 404s."""

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from bulkops.models import Job
from tests.bulk import run, write
from tests.faults_access import NEW, SITES, client_for, details_url, file_url, make_user, upload

# RFC 6266: exactly one disposition and one file name, either a quoted string (no raw quote, no control
# character) or an RFC 8187 extended value (percent-encoded UTF-8).
QUOTED = r'"((?:[^"\\\x00-\x1f\x7f]|\\[^\x00-\x1f\x7f])*)"'
EXTENDED = r"(?i:utf-8)''((?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+\-.^_`|~])+)"
DISPOSITION = re.compile(rf"attachment; (?:filename={QUOTED}|filename\*={EXTENDED})")


def download_name(response) -> str:
    """The file name a browser shows for a download, checked to be a well-formed header first."""
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header, repr(header)
    match = DISPOSITION.fullmatch(header)
    assert match, f"malformed Content-Disposition: {header!r}"
    quoted, extended = match.groups()
    name = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else unquote(extended, errors="strict")
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name), repr(name)
    assert name.endswith(".csv"), repr(name)
    return name


# -- B. downloads -----------------------------------------------------------------------------------------


@pytest.fixture
def root_client(sync_jobs, django_user_model):
    return client_for(make_user(django_user_model, "root", superuser=True))


def test_a_file_gone_from_storage_is_a_404_not_a_500(root_client):
    job = Job.objects.get(pk=upload(root_client).json()["job"]["id"])
    assert job.status == Job.Status.COMPLETED_WITH_ERRORS and job.input_file
    default_storage.delete(job.input_file.name)
    assert root_client.get(file_url(job, "input")).status_code == 404
    # The rest of the job is still there.
    assert root_client.get(details_url(job)).status_code == 200
    assert root_client.get(reverse("admin:bulkops_job_status", args=[job.pk])).status_code == 200
    assert root_client.get(file_url(job, "errors")).status_code == 200

    exported = Job.objects.get(pk=root_client.post(NEW, {"object": "site", "operation": "export"}).json()["job"]["id"])
    default_storage.delete(exported.result_file.name)
    assert root_client.get(file_url(exported, "result")).status_code == 404
    assert root_client.get(details_url(exported)).status_code == 200


def test_the_404_for_a_file_gone_from_storage_says_why(root_client):
    job = Job.objects.get(pk=upload(root_client).json()["job"]["id"])
    default_storage.delete(job.input_file.name)
    response = root_client.get(file_url(job, "input"))
    assert response.status_code == 404
    assert f"The input file of job {job.pk} is no longer in file storage." in response.content.decode()


def raw_upload(client, filename_parameter: str, content: bytes = SITES):
    """An upload whose multipart header carries the file name exactly as given (a hostile client's)."""
    boundary = "helper-boundary-5b1e"
    head = "".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="object"\r\n\r\nsite\r\n',
            f'--{boundary}\r\nContent-Disposition: form-data; name="operation"\r\n\r\nimport\r\n',
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; {filename_parameter}\r\n',
            "Content-Type: text/csv\r\n\r\n",
        ]
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(NEW, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def assert_downloads_are_safe(client, job):
    assert job.status == Job.Status.COMPLETED_WITH_ERRORS, job.failure_reason
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in job.file_name), repr(job.file_name)
    original = client.get(file_url(job, "input"))
    assert original.status_code == 200
    assert download_name(original) == job.file_name
    assert b"".join(original.streaming_content) == SITES
    errors = client.get(file_url(job, "errors"))
    assert errors.status_code == 200
    assert download_name(errors) == f"{PurePosixPath(job.file_name).stem}-errors-job{job.pk}.csv"
    status = client.get(reverse("admin:bulkops_job_status", args=[job.pk]))
    assert status.status_code == 200 and status.json()["job"]["file_name"] == job.file_name
    page = client.get(details_url(job))
    assert page.status_code == 200
    assert "<img src=x" not in page.content.decode()
    assert client.get(reverse("admin:bulkops_job_changelist")).status_code == 200


HOSTILE = 'evil.html"; filename="evil.html.csv'


@pytest.mark.parametrize(
    "parameter",
    [
        r'filename="evil.html\"; filename=\"evil.html.csv"',
        "filename*=UTF-8''" + quote(HOSTILE),
        "filename*=UTF-8''" + quote("sites\nevil.csv"),
        "filename*=UTF-8''" + quote("x\r\nSet-Cookie: a=1\r\n.csv"),
        "filename*=UTF-8''" + quote("a\u2028b\u0085c\u202ed.csv"),
        "filename*=UTF-8''" + quote('Niš "quoted".csv'),
        'filename="evil&quot;.html&#10;&#13;.csv"',
        'filename="<img src=x onerror=alert(1)>.csv"',
    ],
)
def test_a_hostile_upload_name_gives_safe_download_headers(root_client, parameter):
    response = raw_upload(root_client, parameter)
    assert response.status_code == 201, response.content
    assert_downloads_are_safe(root_client, Job.objects.get(pk=response.json()["job"]["id"]))


def test_the_quote_trick_name_is_kept_as_one_escaped_file_name(root_client):
    response = raw_upload(root_client, "filename*=UTF-8''" + quote(HOSTILE))
    job = Job.objects.get(pk=response.json()["job"]["id"])
    assert job.file_name == HOSTILE
    header = root_client.get(file_url(job, "input"))["Content-Disposition"]
    assert header == r'attachment; filename="evil.html\"; filename=\"evil.html.csv"'


@pytest.mark.parametrize(
    "name",
    [HOSTILE, "sites\nevil.csv", "x\r\nSet-Cookie: a=1\r\n.csv", "a\u2028b\u0085c\td\u202ee.csv", 'Niš "quoted".csv'],
)
def test_a_hostile_file_name_from_the_command_line_gives_safe_download_headers(root_client, tmp_path, name):
    outcome = run("bulk_import", "site", str(write(tmp_path, SITES, name)), "--user", "root")
    assert outcome.code == 3, outcome.err
    assert_downloads_are_safe(root_client, outcome.job)


def test_jobs_that_do_not_exist_are_404_not_500(db, django_user_model):
    client = client_for(make_user(django_user_model, "staff"))
    for job_id in ["abc", "999999", "99999999999999999999", "-1", "1.5", "0x1"]:
        assert client.get(f"/admin/bulkops/job/{job_id}/change/").status_code == 404, job_id
    for job_id in [999999, 99999999999999999999]:
        assert client.get(f"/admin/bulkops/job/{job_id}/status/").status_code == 404, job_id
        assert client.get(f"/admin/bulkops/job/{job_id}/file/input/").status_code == 404, job_id
        assert client.post(f"/admin/bulkops/job/{job_id}/cancel/").status_code == 404, job_id
    assert client.get("/admin/bulkops/job/abc/status/", follow=True).status_code == 404

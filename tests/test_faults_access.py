"""Faults and access, through the admin and the commands: scheduled imports cannot go around object
permissions or reach the job files, downloads fail safely (a file gone from storage, hostile file
names, jobs that do not exist), and only those who may cancel a job can."""

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bulkops.models import Job, ScheduledImport
from bulkops.queue import has_task
from bulkops.schedules import run_scheduled_import
from config_objects.models import Site
from tests.bulk import run, write

MP = "Default Multimedia Profile"
SITES = f"Name,Description,Multimedia Profile\nBelgrade,,{MP}\nNis,,Nope\n".encode()
GOOD_SITES = f"Name,Description,Multimedia Profile\nNovi Sad,,{MP}\n"
NEW = reverse("admin:bulkops_job_new")
ADD_SCHEDULE = reverse("admin:bulkops_scheduledimport_add")
SCHEDULES = reverse("admin:bulkops_scheduledimport_changelist")
SCHEDULE_PERMS = ("add_scheduledimport", "change_scheduledimport", "view_scheduledimport")
FOLDER_ERROR = (
    "Folder must be a relative path of plain names such as sites or sites/daily; it is inside the "
    "watched-folders root 'imports'."
)


# -- helpers -------------------------------------------------------------------------------------------


def make_user(django_user_model, name, *perms, superuser=False):
    if superuser:
        return django_user_model.objects.create_superuser(name, f"{name}@example.com", None)
    user = django_user_model.objects.create_user(name, is_staff=True)  # no password: tests log in with force_login
    grant(user, *perms)
    return user


def grant(user, *perms):
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    assert user.user_permissions.filter(codename__in=perms).count() == len(perms)


def revoke(user, *perms):
    user.user_permissions.remove(*Permission.objects.filter(codename__in=perms))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, content=SITES, name="sites.csv", obj="site"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(NEW, {"object": obj, "operation": "import", "file": file})


def schedule_form(name, obj, folder, **extra):
    return {"name": name, "object_type": obj, "folder": folder, "cron": "", "every_minutes": "5", "enabled": "on"} | (
        extra
    )


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def shown_messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in response.context["messages"]]


def run_now(client, scheduled):
    return client.post(SCHEDULES, {"action": "run_now", "_selected_action": [scheduled.pk]}, follow=True)


def drop(path: str, content: str) -> str:
    return default_storage.save(path, ContentFile(content.encode()))


def folder_files(folder: str) -> list[str]:
    try:
        return sorted(default_storage.listdir(folder)[1])
    except FileNotFoundError:
        return []


def file_url(job, kind):
    return reverse("admin:bulkops_job_file", args=[job.pk, kind])


def details_url(job):
    return reverse("admin:bulkops_job_change", args=[job.pk])


def cancel_url(job):
    return reverse("admin:bulkops_job_cancel", args=[job.pk])


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


# -- A. scheduled imports ---------------------------------------------------------------------------------


def test_a_schedule_needs_import_permission_on_its_object_and_is_owned_by_who_saved_it(sync_jobs, django_user_model):
    scheduler = make_user(django_user_model, "scheduler", *SCHEDULE_PERMS, "view_worktype")
    client = client_for(scheduler)
    refused = client.post(ADD_SCHEDULE, schedule_form("Work types", "work-type", "work-types"))
    assert refused.status_code == 200
    assert form_errors(refused)["object_type"] == [
        "You may not import Work Type (that needs its add and change permissions), so you may not schedule its "
        "imports either."
    ]
    assert not ScheduledImport.objects.exists()

    grant(scheduler, "add_worktype", "change_worktype")
    saved = client.post(ADD_SCHEDULE, schedule_form("Work types", "work-type", "work-types"))
    assert saved.status_code == 302, form_errors(saved)
    scheduled = ScheduledImport.objects.get()
    assert (scheduled.object_type, scheduled.owner) == ("work-type", scheduler)


def test_run_now_and_saving_refuse_a_schedule_of_an_object_the_user_may_not_import(sync_jobs, django_user_model):
    root = make_user(django_user_model, "root", superuser=True)
    assert client_for(root).post(ADD_SCHEDULE, schedule_form("Agents", "user", "agents")).status_code == 302
    scheduled = ScheduledImport.objects.get()
    assert scheduled.owner == root
    drop("imports/agents/agents.csv", "Email,First Name,Last Name\n")

    restricted = make_user(django_user_model, "restricted", *SCHEDULE_PERMS, "view_worktype")
    client = client_for(restricted)
    response = run_now(client, scheduled)
    assert response.status_code == 200
    assert shown_messages(response) == [
        (
            "error",
            "Agents: restricted may not import User (that needs its add and change permissions), so scheduled "
            "import 'Agents' does not run for them.",
        )
    ]
    assert not Job.objects.exists()
    assert folder_files("imports/agents") == ["agents.csv"]
    scheduled.refresh_from_db()
    assert scheduled.last_run_at is None

    # Nor can they take the schedule over by saving it (it would then run as them).
    change = reverse("admin:bulkops_scheduledimport_change", args=[scheduled.pk])
    response = client.post(change, schedule_form("Agents", "user", "agents-elsewhere"))
    assert response.status_code == 200
    assert "object_type" in form_errors(response)
    scheduled.refresh_from_db()
    assert (scheduled.owner, scheduled.folder) == (root, "agents")


def test_a_schedule_reads_only_under_the_watched_root_never_the_job_files(sync_jobs, django_user_model):
    root = make_user(django_user_model, "root", superuser=True)
    client = client_for(root)
    exported = client.post(NEW, {"object": "site", "operation": "export"})
    assert exported.status_code == 201, exported.content
    job = Job.objects.get(pk=exported.json()["job"]["id"])
    assert job.status == Job.Status.COMPLETED and job.result_file
    result_path = job.result_file.name
    result_bytes = default_storage.open(result_path).read()
    internal = str(PurePosixPath(result_path).parent)
    assert internal == f"jobs/output/{timezone.now():%Y/%m}"  # e.g. jobs/output/2026/11
    assert PurePosixPath(result_path).suffix == ".csv"

    saved = client.post(ADD_SCHEDULE, schedule_form("Job results", "site", internal))
    assert saved.status_code == 302, form_errors(saved)
    scheduled = ScheduledImport.objects.get()
    assert scheduled.storage_folder == f"{settings.SCHEDULED_IMPORTS_ROOT}/{internal}"

    assert run_scheduled_import(scheduled.pk) == "No new files."
    outcome = run("bulk_schedule_run", "Job results")
    assert outcome.code == 0 and outcome.out.strip() == "Job results: No new files."
    assert Job.objects.count() == 1
    assert default_storage.open(result_path).read() == result_bytes
    assert folder_files(internal) == [PurePosixPath(result_path).name]
    assert not default_storage.exists(f"{internal}/processed")
    assert b"".join(client.get(file_url(job, "result")).streaming_content) == result_bytes

    # The same folder under the watched root is the one that is read.
    drop(f"{scheduled.storage_folder}/sites.csv", GOOD_SITES)
    assert run_scheduled_import(scheduled.pk).startswith("Submitted sites.csv as job")
    assert Site.objects.filter(name="Novi Sad").exists()
    assert folder_files(scheduled.storage_folder) == []
    assert len(folder_files(scheduled.processed_folder)) == 1
    assert default_storage.open(result_path).read() == result_bytes


def test_a_folder_that_climbs_out_of_the_watched_root_is_refused(sync_jobs, django_user_model):
    client = client_for(make_user(django_user_model, "root", superuser=True))
    for folder in [
        "..",
        "../jobs/output/2026/11",
        "sites/../../jobs/output/2026/11",
        "sites/./../..",
        "..\\jobs\\output",
        "/../jobs",
    ]:
        response = client.post(ADD_SCHEDULE, schedule_form("Climber", "site", folder))
        assert response.status_code == 200, folder
        assert form_errors(response)["folder"] == [FOLDER_ERROR], folder
    assert not ScheduledImport.objects.exists()


def test_a_scheduled_job_is_submitted_as_its_owner_and_stops_when_the_owner_loses_permission(
    sync_jobs, django_user_model
):
    owner = make_user(django_user_model, "owner", *SCHEDULE_PERMS, "add_site", "change_site")
    make_user(django_user_model, "restricted", *SCHEDULE_PERMS, "view_worktype")
    assert client_for(owner).post(ADD_SCHEDULE, schedule_form("Sites drop", "site", "sites")).status_code == 302
    scheduled = ScheduledImport.objects.get()
    assert scheduled.owner == owner

    drop("imports/sites/first.csv", GOOD_SITES)
    outcome = run("bulk_schedule_run", "Sites drop")
    assert outcome.code == 0, outcome.err
    job = outcome.job
    assert (job.status, job.submitted_by, job.submitted_by_name, job.scheduled_import) == (
        Job.Status.COMPLETED,
        owner,
        "Scheduled: Sites drop",
        scheduled,
    )

    drop("imports/sites/second.csv", GOOD_SITES.replace("Novi Sad", "Kragujevac"))
    refused = run("bulk_schedule_run", "Sites drop", "--user", "restricted")
    assert refused.code != 0 and refused.job is None
    assert refused.err == (
        "restricted may not import Site (that needs its add and change permissions), so scheduled import "
        "'Sites drop' does not run for them."
    )
    assert folder_files("imports/sites") == ["second.csv"]

    revoke(owner, "change_site")
    why = (
        "owner may not import Site (that needs its add and change permissions), so scheduled import 'Sites drop' "
        "does not run for them."
    )
    assert run_scheduled_import(scheduled.pk) == why
    scheduled.refresh_from_db()
    assert scheduled.last_result == why and scheduled.last_run_at is not None
    command = run("bulk_schedule_run", "Sites drop")
    assert command.code != 0 and command.job is None
    assert command.err == why
    # A superuser's Run now does not lend the owner its permissions either.
    response = run_now(client_for(make_user(django_user_model, "root", superuser=True)), scheduled)
    assert [message for _, message in shown_messages(response)] == [f"Sites drop: {why}"]
    assert Job.objects.count() == 1
    assert folder_files("imports/sites") == ["second.csv"]
    assert not Site.objects.filter(name="Kragujevac").exists()


def test_a_schedule_whose_owner_was_deleted_does_not_run_as_the_system(sync_jobs, django_user_model):
    owner = make_user(django_user_model, "owner", *SCHEDULE_PERMS, "add_site", "change_site")
    assert client_for(owner).post(ADD_SCHEDULE, schedule_form("Sites drop", "site", "sites")).status_code == 302
    scheduled = ScheduledImport.objects.get()
    owner.delete()  # the owner leaves; their schedule must not keep importing with nobody's permission
    drop("imports/sites/sites.csv", GOOD_SITES)
    run_scheduled_import(scheduled.pk)
    assert not Job.objects.exists()
    assert not Site.objects.exists()
    assert folder_files("imports/sites") == ["sites.csv"]


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


# -- C. cancelling ------------------------------------------------------------------------------------------


@pytest.fixture
def queued(settings, catalogue_defaults):
    """No worker runs here: a submitted job stays New, with its task in the queue."""
    settings.BULK_JOBS_SYNC = False


@pytest.fixture
def users(queued, django_user_model):
    return {
        "editor": make_user(django_user_model, "editor", "add_site", "change_site"),
        "other-editor": make_user(django_user_model, "other-editor", "add_site", "change_site"),
        "half-editor": make_user(django_user_model, "half-editor", "add_site", "view_site"),
        "viewer": make_user(django_user_model, "viewer", "view_site"),
        "staff": make_user(django_user_model, "staff"),
        "root": make_user(django_user_model, "root", superuser=True),
    }


def submit(client) -> Job:
    response = upload(client)
    assert response.status_code == 201, response.content
    job = Job.objects.get(pk=response.json()["job"]["id"])
    assert job.status == Job.Status.NEW
    return job


def test_the_submitter_cancels_a_new_job_and_may_then_submit_again(users):
    client = client_for(users["editor"])
    job = submit(client)
    assert has_task(job.pk)
    assert upload(client).status_code == 409
    response = client.post(cancel_url(job))
    assert response.status_code == 302 and response["Location"] == details_url(job)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.is_active
    assert "cancelled by editor" in job.failure_reason
    assert not has_task(job.pk)
    assert not Site.objects.exists()
    page = client.get(details_url(job))
    assert ("success", f"Job {job.pk} is cancelled. It has stopped.") in shown_messages(page)
    again = submit(client)
    assert again.pk != job.pk


def test_only_the_submitter_an_importer_of_the_object_or_a_superuser_may_cancel(users):
    job = submit(client_for(users["editor"]))
    for who in ["viewer", "staff", "half-editor"]:
        assert client_for(users[who]).post(cancel_url(job)).status_code == 403, who
    anonymous = Client().post(cancel_url(job))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert client_for(users["other-editor"]).get(cancel_url(job)).status_code == 405
    job.refresh_from_db()
    assert (job.status, job.cancel_requested_by) == (Job.Status.NEW, "")

    assert client_for(users["other-editor"]).post(cancel_url(job)).status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "cancelled by other-editor" in job.failure_reason

    second = submit(client_for(users["editor"]))
    assert client_for(users["root"]).post(cancel_url(second)).status_code == 302
    second.refresh_from_db()
    assert second.status == Job.Status.FAILED and "cancelled by root" in second.failure_reason

    # Cancelling what has ended changes nothing and says so.
    response = client_for(users["editor"]).post(cancel_url(second), follow=True)
    assert ("warning", f"Job {second.pk} has already ended (Failed); there is nothing to cancel.") in (
        shown_messages(response)
    )
    second.refresh_from_db()
    assert "cancelled by root" in second.failure_reason


def test_bulk_cancel_refuses_an_ended_job_and_a_user_without_permission(users, tmp_path):
    finished = run("bulk_import", "site", str(write(tmp_path, GOOD_SITES)), "--user", "editor")
    assert finished.code == 0 and finished.job.status == Job.Status.COMPLETED
    ended = run("bulk_cancel", str(finished.job.pk))
    assert ended.code != 0
    assert ended.err == f"Job {finished.job.pk} has already ended (Completed); there is nothing to cancel."
    assert Job.objects.get(pk=finished.job.pk).status == Job.Status.COMPLETED

    job = submit(client_for(users["editor"]))
    refused = run("bulk_cancel", str(job.pk), "--user", "viewer")
    assert refused.code != 0
    assert refused.err == (
        f"viewer may not cancel job {job.pk}: only its submitter, a superuser or whoever may import Site may."
    )
    assert run("bulk_cancel", str(job.pk), "--user", "nobody").err == "There is no user 'nobody'."
    job.refresh_from_db()
    assert job.status == Job.Status.NEW

    done = run("bulk_cancel", str(job.pk), "--user", "other-editor")
    assert done.code == 0, done.err
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "cancelled by other-editor" in job.failure_reason
    assert "cancelled by other-editor" in done.out
    assert run("bulk_cancel", "999999").code != 0


def test_the_cancel_button_is_shown_only_to_who_may_cancel_and_only_while_the_job_is_active(users):
    job = submit(client_for(users["editor"]))
    may = {"editor": True, "other-editor": True, "root": True, "viewer": False, "staff": False, "half-editor": False}

    def shows_button(who, target):
        page = client_for(users[who]).get(details_url(target))
        assert page.status_code == 200
        return 'value="Cancel job"' in page.content.decode()

    for who, expected in may.items():
        assert shows_button(who, job) is expected, who
    assert client_for(users["editor"]).post(cancel_url(job)).status_code == 302
    for who in may:
        assert not shows_button(who, job), who

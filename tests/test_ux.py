"""What a new user ran into (issue 12, items 1-10), through the test client and the command line:
the live list's and the details page's data, words and numbers, breadcrumbs, the admin home, the
audio file's link, the export's one file name, and what `bulk_import` prints."""

import re
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bulkops.models import Job
from bulkops.worker.liveness import process_token
from tests.bulk import run, write
from tests.factories import make_audio_file, make_skill_profile
from tests.worker import ROOT, worker_env

pytestmark = pytest.mark.usefixtures("sync_jobs")

CHANGELIST = reverse("admin:bulkops_job_changelist")
LIVE = reverse("admin:bulkops_job_live")
MP = "Default Multimedia Profile"
SITES_WITH_A_BAD_ROW = f"Name,Description,Multimedia Profile\nBelgrade,,{MP}\nNis,,Nope\n"


@pytest.fixture
def client(django_user_model):
    user = django_user_model.objects.create_superuser("ana", "ana@example.com", "pw-123456789")
    client = Client()
    client.force_login(user)
    return client


def running_job(**fields) -> Job:
    values = {
        "object_type": "site",
        "operation": "import",
        "status": Job.Status.IN_PROGRESS,
        "submitted_by_name": "command line (root)",
        "total_rows": 50_000,
        "done_rows": 20_000,
        "file_name": "sites.csv",
        "worker": process_token(),  # a live process: a job whose worker is gone would be failed
        "heartbeat_at": timezone.now(),
        "started_at": timezone.now(),
    }
    return Job.objects.create(**(values | fields))


def finish(job: Job, status=Job.Status.COMPLETED, **fields) -> Job:
    Job.objects.filter(pk=job.pk).update(status=status, active_slot=None, finished_at=timezone.now(), **fields)
    job.refresh_from_db()
    return job


def upload_sites(client, content=SITES_WITH_A_BAD_ROW, operation="import"):
    data = {"object": "site", "operation": operation}
    if operation != "export":
        data["file"] = SimpleUploadedFile("sites.csv", content.encode(), content_type="text/csv")
    return client.post(reverse("admin:bulkops_job_new"), data)


# 1. The list follows its jobs.


def test_the_list_marks_its_status_cells_and_says_what_to_poll(client):
    job = running_job()
    page = client.get(CHANGELIST).content.decode()
    assert f'data-url="{LIVE}" data-active="{job.pk}"' in page
    cell = re.search(
        rf'<span class="job-status job-status-in_progress" data-job="{job.pk}" data-active="1">.*?</span></span>', page
    )
    assert cell and "In progress (20,000/50,000)" in cell.group(0)
    assert "20,000 of 50,000 rows done" in page
    assert "20000" not in page


def test_the_live_list_answers_for_its_jobs_and_the_active_one_then_nothing_is_active(client):
    job = running_job()
    older = finish(running_job(active_slot=None, status=Job.Status.COMPLETED))
    live = client.get(LIVE, {"ids": f"{job.pk},{older.pk},x"}).json()
    assert {j["id"]: j["status_text"] for j in live["jobs"]} == {
        job.pk: "In progress (20,000/50,000)",
        older.pk: "Completed",
    }
    assert live["active"]["id"] == job.pk
    assert live["active"]["note"] == (
        f"Job {job.pk} (Site, import), submitted by command line (root), is in progress: "
        "20,000 of 50,000 rows done. A new bulk operation can start when it has finished."
    )
    assert live["active"]["busy_title"].startswith(f"Job {job.pk} (Site, import) is in progress.")
    finish(job, done_rows=50_000)
    live = client.get(LIVE, {"ids": str(job.pk)}).json()
    assert live["active"] is None
    assert live["jobs"][0]["status_icon"] == "\u2714" and live["jobs"][0]["active"] is False


def test_the_live_list_is_for_staff_only():
    response = Client().get(LIVE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# 2. The details page: every field from the job's data, and where a failed job stopped.


def test_a_failed_job_says_where_it_stopped_without_a_progress_bar(client):
    job = finish(running_job(total_rows=20_000, done_rows=1_200), Job.Status.FAILED, failure_reason="cancelled by ana")
    data = client.get(reverse("admin:bulkops_job_status", args=[job.pk])).json()["job"]
    assert data["progress_text"] == "Stopped at 1,200 of 20,000 rows."
    assert data["finished_at"] and data["started_at"]
    page = client.get(reverse("admin:bulkops_job_change", args=[job.pk])).content.decode()
    assert re.search(r'<progress id="bulk-progress"[^>]*hidden', page)
    assert "Stopped at 1,200 of 20,000 rows." in page and "Reading the file" not in page
    assert '<tr id="bulk-reason-row" >' in page and "cancelled by ana" in page


def test_the_details_page_shows_every_live_field_with_an_id(client):
    job = running_job()
    page = client.get(reverse("admin:bulkops_job_change", args=[job.pk])).content.decode()
    for field in ("status-label", "started", "finished", "progress", "progress-text", "created", "failed"):
        assert f'id="bulk-{field}"' in page, field
    assert "20,000 of 50,000 rows" in page
    finish(job, done_rows=50_000, created=50_000)
    data = client.get(reverse("admin:bulkops_job_status", args=[job.pk])).json()["job"]
    assert (data["status_label"], data["progress_text"], data["active"]) == (
        "Completed",
        "50,000 of 50,000 rows",
        False,
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", data["finished_at"])


# 4. The audio file's "Currently:" link.


def test_an_audio_files_current_file_links_to_the_staff_only_player(client):
    audio = make_audio_file("greeting.wav")
    page = client.get(reverse("admin:config_objects_audiofile_change", args=[audio.pk])).content.decode()
    play = reverse("admin:config_objects_audiofile_play", args=[audio.pk])
    assert f'<a href="{play}">greeting.wav</a>' in page
    assert "/private-files/" not in page
    assert client.get(play).status_code == 200


# 5. Breadcrumbs.


def test_contact_center_lists_bulk_operations_and_scheduled_imports(client):
    page = client.get(reverse("admin:app_list", args=["config_objects"]))
    names = [model["object_name"] for model in page.context["app_list"][0]["models"]]
    assert names[:2] == ["Job", "ScheduledImport"] and "Site" in names
    assert client.get(reverse("admin:app_list", args=["bulkops"]))["Location"] == reverse(
        "admin:app_list", args=["config_objects"]
    )


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        reverse("admin:bulkops_scheduledimport_changelist"),
        reverse("admin:bulkops_scheduledimport_add"),
    ],
)
def test_the_crumbs_go_to_contact_center_and_the_dashboard(client, url):
    page = client.get(url).content.decode()
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    assert f'<a href="{reverse("admin:app_list", args=["config_objects"])}">Contact Center</a>' in crumbs
    if url != CHANGELIST:
        assert f'<a href="{CHANGELIST}">Bulk Operations</a>' in crumbs
    assert f'href="{reverse("admin:app_list", args=["bulkops"])}"' not in crumbs


# 7. Words and numbers.


def test_objects_are_counted_only_for_objects_written_over_several_rows(client):
    site_job = finish(running_job(total_rows=3, done_rows=3, created=3, objects_count=3))
    page = client.get(reverse("admin:bulkops_job_change", args=[site_job.pk])).content.decode()
    assert 'id="bulk-objects"' not in page and "count once" not in page
    assert '<tr id="bulk-reason-row" hidden>' in page
    assert f"<h1>Job {site_job.pk}: Site, import</h1>" in page
    make_skill_profile()
    profile_job = finish(running_job(object_type="skill-profile", total_rows=4, done_rows=4, objects_count=2))
    page = client.get(reverse("admin:bulkops_job_change", args=[profile_job.pk])).content.decode()
    assert '<span id="bulk-objects">2</span>' in page


def test_the_list_counts_its_jobs_in_one_style_without_sort_priority_digits(client):
    finish(running_job())
    page = client.get(CHANGELIST).content.decode()
    assert re.search(r"\b1 bulk operation\b", page)
    assert 'class="sortpriority"' not in page
    finish(running_job(active_slot=None))
    assert re.search(r"\b2 bulk operations\b", client.get(CHANGELIST).content.decode())


def test_bulk_job_says_rows_plainly_when_the_total_is_not_known():
    job = running_job(total_rows=None, done_rows=0, status=Job.Status.NEW)
    out = run("bulk_job", str(job.pk)).out
    assert "Rows:" in out and "0 done; the total is not known yet" in out and "of -" not in out
    assert "Objects:" not in out and "Reason:" not in out


def test_command_output_uses_singular_and_plural(tmp_path):
    path = write(tmp_path, SITES_WITH_A_BAD_ROW, "sites.csv")
    outcome = run("bulk_import", "site", str(path))
    assert outcome.code == 3
    assert (
        f"Job {outcome.job.pk} Completed with errors: 2 rows, 1 created, 0 updated, 0 unchanged, 1 failed."
        in outcome.out
    )
    assert "1 row failed. Its error file:" in outcome.out and "1 rows" not in outcome.out
    errors = run("bulk_errors", str(outcome.job.pk), "-o", str(tmp_path / "errors.csv"))
    assert f"Wrote 1 failed row of job {outcome.job.pk}" in errors.out


# 8. The command line: no task queue chatter, and a job with row errors is a result.


def test_bulk_import_prints_no_enqueued_line_and_no_command_error(settings, tmp_path):
    path = write(tmp_path, SITES_WITH_A_BAD_ROW, "sites.csv")
    done = subprocess.run(
        [sys.executable, "manage.py", "bulk_import", "site", str(path)],
        cwd=ROOT,
        env=worker_env(settings, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert "Enqueued" not in done.stderr + done.stdout
    assert "CommandError" not in done.stderr + done.stdout
    assert "Completed with errors: 2 rows, 1 created" in done.stdout
    assert "1 row failed. Its error file: python manage.py bulk_errors" in done.stdout
    refused = subprocess.run(
        [sys.executable, "manage.py", "bulk_import", "site", str(tmp_path / "missing.csv")],
        cwd=ROOT,
        env=worker_env(settings, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith("missing.csv'.") and "CommandError" not in refused.stderr


def test_a_command_error_still_reaches_callers_of_call_command():
    with pytest.raises(Exception, match="There is no job 999"):
        call_command("bulk_job", "999")


# 9. The admin home, the favicon and the dialog.


def test_the_admin_home_hides_the_task_queue_and_names_the_admin_logins(client):
    page = client.get(reverse("admin:index"))
    labels = {app["app_label"] for app in page.context["app_list"]}
    assert "django_q" not in labels
    auth = next(app for app in page.context["app_list"] if app["app_label"] == "auth")
    assert [model["name"] for model in auth["models"] if model["object_name"] == "User"] == ["Admin logins"]
    contact_center = next(app for app in page.context["app_list"] if app["app_label"] == "config_objects")
    assert [model["name"] for model in contact_center["models"] if model["object_name"] == "ContactCenterUser"] == [
        "Users"
    ]
    assert client.get("/admin/django_q/ormq/").status_code == 404


def test_the_dashboard_has_a_favicon_and_a_consistent_dialog(client):
    page = client.get(CHANGELIST).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert client.get(icon).status_code == 200
    assert '<label for="bulk-object" class="bulk-label">1. Object</label>' in page
    assert '<span class="bulk-label" id="bulk-operation-label">2. Operation</span>' in page
    assert 'id="bulk-template" class="button bulk-action"' in page
    assert 'id="bulk-export-all" class="button bulk-action"' in page
    assert page.index(reverse("javascript-catalog")) < page.index("bulkops/dashboard.js")


# 10. The export's one file name.


def test_an_export_downloads_under_the_name_the_dashboard_shows(client):
    job = Job.objects.get(pk=upload_sites(client, operation="export").json()["job"]["id"])
    assert job.status == Job.Status.COMPLETED and job.file_name == "site-export.csv"
    assert job.file_name in client.get(CHANGELIST).content.decode()
    response = client.get(reverse("admin:bulkops_job_file", args=[job.pk, "result"]))
    assert response["Content-Disposition"] == 'attachment; filename="site-export.csv"'


def test_an_input_file_downloads_under_its_uploaded_name(client):
    job = Job.objects.get(pk=upload_sites(client).json()["job"]["id"])
    job.input_file.save("other-name.csv", ContentFile(b"x"), save=True)
    response = client.get(reverse("admin:bulkops_job_file", args=[job.pk, "input"]))
    assert response["Content-Disposition"] == 'attachment; filename="sites.csv"'

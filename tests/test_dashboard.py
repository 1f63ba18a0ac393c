"""Contact Center > Bulk Operations through the test client: every view, and who may do what."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bulkops.models import Job
from config_objects.models import Site
from config_objects.registry import OBJECT_TYPES

pytestmark = pytest.mark.usefixtures("sync_jobs")

SITES = b"Name,Description,Multimedia Profile\nBelgrade,,Default Multimedia Profile\nNis,,Nope\n"
CHANGELIST = reverse("admin:bulkops_job_changelist")
NEW = reverse("admin:bulkops_job_new")


def login(django_user_model, name, *perms, superuser=False):
    if superuser:
        user = django_user_model.objects.create_superuser(name, f"{name}@example.com", "pw-123456789")
    else:
        user = django_user_model.objects.create_user(name, password="pw-123456789", is_staff=True)
        for codename in perms:
            user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return client


def upload(client, content=SITES, name="sites.csv", operation="import", obj="site"):
    data = {"object": obj, "operation": operation}
    if operation != "export":
        data["file"] = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(NEW, data)


@pytest.fixture
def clients(django_user_model):
    return {
        "anonymous": Client(),
        "staff": login(django_user_model, "staff"),
        "viewer": login(django_user_model, "viewer", "view_site"),
        "editor": login(django_user_model, "editor", "add_site", "change_site"),
        "superuser": login(django_user_model, "root", superuser=True),
    }


def test_the_dashboard_sits_under_contact_center_in_the_admin_index(clients):
    page = clients["superuser"].get(reverse("admin:index"))
    section = next(app for app in page.context["app_list"] if app["name"] == "Contact Center")
    assert section["models"][0]["name"] == "Bulk Operations"
    assert not any(app["app_label"] == "bulkops" for app in page.context["app_list"])


def test_anonymous_users_are_sent_to_log_in_everywhere(clients):
    client = clients["anonymous"]
    for url in [CHANGELIST, reverse("admin:bulkops_job_template", args=["site"])]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert upload(client).status_code == 302
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("who", "import_status", "export_status", "template_status"),
    [
        ("staff", 403, 403, 403),
        ("viewer", 403, 201, 200),
        ("editor", 201, 403, 403),
        ("superuser", 201, 201, 200),
    ],
)
def test_the_permission_matrix(clients, who, import_status, export_status, template_status):
    client = clients[who]
    assert client.get(CHANGELIST).status_code == 200
    imported = upload(client)
    assert imported.status_code == import_status, imported.content
    if import_status == 403:
        assert imported.json()["error"] == "You may not import Site: that needs the add and change permissions."
    exported = upload(client, operation="export")
    assert exported.status_code == export_status
    assert client.get(reverse("admin:bulkops_job_template", args=["site"])).status_code == template_status


def test_the_dialog_offers_only_the_objects_a_user_may_import_or_export(clients):
    assert clients["staff"].get(CHANGELIST).context["object_choices"] == []
    choices = clients["editor"].get(CHANGELIST).context["object_choices"]
    assert [(c["slug"], c["can_import"], c["can_export"]) for c in choices] == [("site", True, False)]
    everything = clients["superuser"].get(CHANGELIST).context["object_choices"]
    # The whole configuration first, then every object (the test-only one too).
    assert [c["slug"] for c in everything] == ["package", *(t.slug for t in OBJECT_TYPES)]
    assert "wallboard" in {c["slug"] for c in everything}


def test_job_files_go_to_the_submitter_superusers_and_viewers_of_the_object(clients):
    job = Job.objects.get(pk=upload(clients["editor"]).json()["job"]["id"])
    urls = [reverse("admin:bulkops_job_file", args=[job.pk, kind]) for kind in ("input", "errors")]
    for who, status in [("editor", 200), ("superuser", 200), ("viewer", 200), ("staff", 403)]:
        for url in urls:
            assert clients[who].get(url).status_code == status, (who, url)
    assert clients["anonymous"].get(urls[0]).status_code == 302


def test_an_upload_runs_as_a_job_and_its_status_and_errors_can_be_read(clients):
    client = clients["superuser"]
    response = upload(client)
    assert response.status_code == 201
    job = response.json()["job"]
    assert job["status"] == "completed_with_errors"
    assert (job["total"], job["done"], job["created"], job["failed"]) == (2, 2, 1, 1)
    status = client.get(job["status_url"]).json()["job"]
    assert status["errors_url"] == reverse("admin:bulkops_job_file", args=[job["id"], "errors"])
    errors = b"".join(client.get(status["errors_url"]).streaming_content).decode("utf-8-sig")
    assert errors.splitlines() == [
        "Name,Description,Multimedia Profile,Error Message",
        "Nis,,Nope,Multimedia Profile 'Nope' does not exist",
    ]
    original = client.get(status["input_url"])
    assert b"".join(original.streaming_content) == SITES
    assert Site.objects.filter(name="Belgrade").exists()


def test_a_second_upload_is_refused_while_a_job_is_active(clients):
    active = Job.objects.create(object_type="team", operation="import", submitted_by_name="ana")
    response = upload(clients["superuser"])
    assert response.status_code == 409
    assert response.json()["error"].startswith(f"Another bulk job is active: job {active.pk} (Team, import)")
    page = clients["superuser"].get(CHANGELIST).content.decode()
    assert 'id="bulk-new" class="bulk-new" disabled' in page
    assert f"Job {active.pk} (Team, import) is new. Only one bulk operation runs at a time." in page


def test_upload_problems_that_need_no_job_are_answered_in_words(clients, settings):
    client = clients["superuser"]
    wrong = upload(client, name="sites.ods")
    assert (wrong.status_code, wrong.json()["error"]) == (
        400,
        "'sites.ods' is neither a CSV file nor an Excel workbook. Site imports take a .csv or .xlsx file.",
    )
    settings.BULK_MAX_FILE_BYTES = 10
    big = upload(client)
    assert big.status_code == 400 and "the limit is 0 MB per file" in big.json()["error"]
    missing = client.post(NEW, {"object": "site", "operation": "import"})
    assert missing.json()["error"] == "Choose a file to import."
    assert not Job.objects.exists()


def test_the_list_is_newest_first_and_filters_by_status_and_object(clients):
    client = clients["superuser"]
    upload(client)
    upload(client, operation="export")
    page = client.get(CHANGELIST)
    jobs = list(page.context["cl"].result_list)
    assert [j.operation for j in jobs] == ["export", "import"]
    assert "job-status-completed_with_errors" in page.content.decode()
    filtered = client.get(CHANGELIST, {"status__exact": "completed_with_errors", "object_type__exact": "site"})
    assert [j.operation for j in filtered.context["cl"].result_list] == ["import"]


def test_job_details_show_everything_and_offer_the_error_file(clients):
    client = clients["superuser"]
    job_id = upload(client).json()["job"]["id"]
    page = client.get(reverse("admin:bulkops_job_change", args=[job_id]))
    text = page.content.decode()
    for words in ["Job ID", "sites.csv", "Completed with errors", "Submitted by", "root", "Export errors to CSV"]:
        assert words in text
    export_id = upload(client, operation="export").json()["job"]["id"]
    export_page = client.get(reverse("admin:bulkops_job_change", args=[export_id])).content.decode()
    assert (
        "Download export" in export_page
        and reverse("admin:bulkops_job_file", args=[export_id, "result"]) in export_page
    )


def test_uploads_are_not_reachable_under_a_public_url(clients, settings):
    job = Job.objects.get(pk=upload(clients["superuser"]).json()["job"]["id"])
    assert clients["anonymous"].get(settings.MEDIA_URL + job.input_file.name).status_code == 404
    assert clients["superuser"].get(settings.MEDIA_URL + job.input_file.name).status_code == 404


def test_posting_without_the_csrf_token_is_refused(django_user_model):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw-123456789"))
    response = client.post(NEW, {"object": "site", "operation": "export"})
    assert response.status_code == 403
    assert not Job.objects.exists()

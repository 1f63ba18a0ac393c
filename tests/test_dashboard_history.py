"""A job's changes, Import this file and Revert on the dashboard (SPEC section 8), through the test client."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bulkops.models import Job
from config_objects.models import Site

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Multimedia Profile"
PROFILE = "Default Multimedia Profile"
NEW = reverse("admin:bulkops_job_new")


def sites(*rows: str) -> bytes:
    return "".join(f"{line}\n" for line in (HEADER, *rows)).encode()


def login(django_user_model, name, *perms):
    user = django_user_model.objects.create_user(name, password="pw-123456789", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(django_user_model):
    return {
        "staff": login(django_user_model, "staff"),
        "viewer": login(django_user_model, "viewer", "view_site"),
        "editor": login(django_user_model, "editor", "add_site", "change_site"),
    }


def submit(client, content, operation="import") -> Job:
    upload = SimpleUploadedFile("sites.csv", content, content_type="text/csv")
    response = client.post(NEW, {"object": "site", "operation": operation, "file": upload})
    assert response.status_code == 201, response.content
    return Job.objects.get(pk=response.json()["job"]["id"])


def details(job, **query) -> str:
    url = reverse("admin:bulkops_job_change", args=[job.pk])
    return f"{url}?{urlencode(query)}" if query else url


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def updated_job(clients):
    """An import that updated Belgrade, created Novi Sad and left Nis unchanged."""
    submit(clients["editor"], sites(f"Belgrade,old,{PROFILE}", f"Nis,,{PROFILE}"))
    return submit(clients["editor"], sites(f"Belgrade,new,{PROFILE}", f"Nis,,{PROFILE}", f"Novi Sad,,{PROFILE}"))


def test_an_import_lists_its_changes_column_by_column_with_counts_and_a_filter(clients, updated_job):
    page = clients["editor"].get(details(updated_job))
    text = page.content.decode()
    assert "Changes made by this job" in text
    assert [(row["name"], row["action"]) for row in page.context["changes_rows"]] == [
        ("Belgrade", "Updated"),
        ("Novi Sad", "Created"),
    ]
    assert "<strong>Description</strong>: old → new" in text
    assert "<strong>Name</strong>: \N{EN DASH} → Novi Sad" in text
    counts = {f["label"]: f["count"] for f in page.context["changes_filters"]}
    assert counts == {"All": 2, "Created": 1, "Updated": 1, "Deleted": 0}
    created = clients["editor"].get(details(updated_job, action="created"))
    assert [row["name"] for row in created.context["changes_rows"]] == ["Novi Sad"]
    nonsense = clients["editor"].get(details(updated_job, action="nonsense"))
    assert len(nonsense.context["changes_rows"]) == 2
    assert "Export changes to CSV" in text and "Revert this job" in text


def test_the_changes_are_paginated_fifty_objects_a_page(clients):
    job = submit(clients["editor"], sites(*(f"Site {n:03},,{PROFILE}" for n in range(60))))
    first = clients["editor"].get(details(job))
    assert len(first.context["changes_rows"]) == 50 and first.context["changes_page"].paginator.num_pages == 2
    assert "page=2" in first.content.decode()
    second = clients["editor"].get(details(job, action="created", page=2))
    assert [row["name"] for row in second.context["changes_rows"]] == [f"Site {n:03}" for n in range(50, 60)]
    assert 'href="?action=created&amp;page=1"' in second.content.decode()


def test_the_changes_csv_goes_to_those_who_get_the_jobs_files(clients, updated_job):
    url = reverse("admin:bulkops_job_file", args=[updated_job.pk, "changes"])
    response = clients["viewer"].get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f'filename="job-{updated_job.pk}-changes.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[:2] == ["Name,Action,Column,Before,After", "Belgrade,Updated,Description,old,new"]
    assert "Novi Sad,Created,Name,,Novi Sad" in lines
    assert clients["editor"].get(url).status_code == 200
    assert clients["staff"].get(url).status_code == 403
    staff_page = clients["staff"].get(details(updated_job))
    assert "changes_rows" not in staff_page.context and "Export changes to CSV" not in staff_page.content.decode()


def test_the_status_json_and_the_details_carry_the_deleted_count(clients, updated_job):
    status = clients["editor"].get(reverse("admin:bulkops_job_status", args=[updated_job.pk])).json()["job"]
    assert status["deleted"] == 0
    assert status["changes_url"] == reverse("admin:bulkops_job_file", args=[updated_job.pk, "changes"])
    assert 'id="bulk-deleted">0<' in clients["editor"].get(details(updated_job)).content.decode()


def test_a_validate_only_job_previews_and_imports_this_file(clients):
    checked = submit(clients["editor"], sites(f"Belgrade,x,{PROFILE}"), operation="validate")
    assert not Site.objects.exists()
    page = clients["editor"].get(details(checked)).content.decode()
    assert "Changes this file would make (nothing was applied)" in page
    assert "Import this file" in page and "Revert this job" not in page
    assert "Import this file" not in clients["viewer"].get(details(checked)).content.decode()
    url = reverse("admin:bulkops_job_import_file", args=[checked.pk])
    assert clients["viewer"].post(url).status_code == 403
    assert clients["editor"].get(url).status_code == 405

    response = clients["editor"].post(url)
    imported = Job.objects.get(operation="import")
    assert response.status_code == 302 and response["Location"] == details(imported)
    assert said(response) == [f"Job {imported.pk} imports the file that job {checked.pk} validated."]
    assert Site.objects.get().description == "x"


def test_import_this_file_refused_says_why_without_an_error_page(clients, updated_job):
    url = reverse("admin:bulkops_job_import_file", args=[updated_job.pk])
    response = clients["editor"].post(url)
    assert response.status_code == 302 and response["Location"] == details(updated_job)
    assert said(response) == [
        f"Job {updated_job.pk} is not a Validate only job; only a validated file can be imported so."
    ]


def test_revert_confirms_then_runs_as_a_job_and_only_once(clients, updated_job):
    url = reverse("admin:bulkops_job_revert", args=[updated_job.pk])
    confirm = clients["editor"].get(url)
    assert confirm.status_code == 200 and confirm.context["counts"] == {"restore": 1, "delete": 1}
    text = confirm.content.decode()
    assert "will be restored" in text and "will be deleted" in text and "left as they are" in text

    response = clients["editor"].post(url)
    revert = Job.objects.get(operation="revert")
    assert response["Location"] == details(revert)
    assert said(response) == [f"Job {revert.pk} reverts job {updated_job.pk}."]
    assert (revert.reverts_id, revert.updated, revert.deleted) == (updated_job.pk, 1, 1)
    assert sorted(Site.objects.values_list("name", "description")) == [("Belgrade", "old"), ("Nis", "")]

    page = clients["editor"].get(details(updated_job)).content.decode()
    assert f'Reverted by <a href="{details(revert)}">job {revert.pk}</a>' in page
    assert "Revert this job" not in page
    revert_page = clients["editor"].get(details(revert))
    assert 'id="bulk-deleted">1<' in revert_page.content.decode() and "Revert this job" in revert_page.content.decode()

    again = clients["editor"].post(url)
    assert again.status_code == 302 and "already reverted by job" in said(again)[0]
    assert clients["editor"].get(url).status_code == 302
    assert Job.objects.filter(operation="revert").count() == 1


def test_only_those_who_may_import_the_object_may_revert(clients, updated_job):
    url = reverse("admin:bulkops_job_revert", args=[updated_job.pk])
    assert "Revert this job" not in clients["viewer"].get(details(updated_job)).content.decode()
    assert clients["viewer"].get(url).status_code == 403
    assert clients["viewer"].post(url).status_code == 403
    assert clients["staff"].post(url).status_code == 403
    assert not Job.objects.filter(operation="revert").exists()
    assert clients["editor"].get(reverse("admin:bulkops_job_revert", args=[999999])).status_code == 404


def test_a_job_that_changed_nothing_offers_no_revert(clients):
    submit(clients["editor"], sites(f"Belgrade,,{PROFILE}"))
    unchanged = submit(clients["editor"], sites(f"Belgrade,,{PROFILE}"))
    assert unchanged.unchanged == 1
    assert "Revert this job" not in clients["editor"].get(details(unchanged)).content.decode()
    refused = clients["editor"].post(reverse("admin:bulkops_job_revert", args=[unchanged.pk]), follow=True)
    assert said(refused) == [f"Job {unchanged.pk} changed nothing: there is nothing to revert."]
    assert not Job.objects.filter(operation=Job.Operation.REVERT).exists()


def test_a_validate_only_job_counts_what_it_would_do(clients, tmp_path):
    from tests.bulk import run, write

    preview = submit(clients["editor"], sites(f"Belgrade,,{PROFILE}"), operation="validate")
    page = clients["editor"].get(details(preview)).content.decode()
    assert "Would create</th>" in page and ">Created</th>" not in page
    path = write(tmp_path, sites(f"Belgrade,,{PROFILE}", f"Nis,,{PROFILE}"), "sites.csv")
    outcome = run("bulk_import", "site", str(path), "--validate-only")
    assert "2 rows, would create 2, would update 0, 0 unchanged, 0 failed." in outcome.out
    assert "Would create:" in run("bulk_job", str(outcome.job.pk)).out
    imported = submit(clients["editor"], sites(f"Belgrade,,{PROFILE}"))
    assert "Would create" not in clients["editor"].get(details(imported)).content.decode()

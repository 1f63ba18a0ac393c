"""A package (SPEC 11) through the dashboard and the HTTP API: submitted like any job, its counts per
object on its page and in the API, its error file as a download, and the permissions of SPEC 11:
import needs add and change on every object, export needs view on every object."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from bulkops.models import Job
from config_objects.registry import OBJECT_TYPES
from tests.test_api import user_client
from tests.test_packages import sample_tables, zip_package

pytestmark = pytest.mark.usefixtures("sync_jobs")
JOBS = "/api/v1/jobs/"


def permissions(*actions, but=None):
    """Every object's permissions for these actions, but those of the object named `but`."""
    codenames = [
        f"{action}_{kind.model._meta.model_name}" for kind in OBJECT_TYPES if kind.slug != but for action in actions
    ]
    return codenames


@pytest.fixture
def package(tmp_path):
    tables = sample_tables()
    tables["site"][1][tables["site"][0].index("Multimedia Profile")] = "No Such Profile"
    return zip_package(tmp_path / "center.zip", tables).read_bytes()


def upload(content):
    return SimpleUploadedFile("center.zip", content, content_type="application/zip")


def test_the_api_takes_a_package_and_gives_its_counts_per_object_and_its_error_zip(django_user_model, package):
    client = user_client(django_user_model, "admin", *permissions("add", "change", "view"))
    response = client.post(JOBS, {"object": "package", "file": upload(package)}, format="multipart")
    assert response.status_code == 201, response.json()
    job = client.get(response["Location"]).json()
    assert job["object"] == "package" and job["object_label"] == "Configuration package"
    parts = {part["object"]: part for part in job["parts"]}
    assert parts["site"]["failed"] == 1 and parts["site"]["entry"] == "sites.csv"
    assert sum(part["failed"] for part in job["parts"]) == job["failed"]
    errors = client.get(job["files"]["errors"])
    assert errors.status_code == 200 and errors["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(errors.getvalue())) as archive:
        assert "sites.csv" in archive.namelist()
    objects = {entry["slug"]: entry for entry in client.get("/api/v1/objects/").json()}
    assert objects["package"]["may_import"] and objects["package"]["file_kind"] == "package"
    template = client.get("/api/v1/objects/package/template/?file_format=xlsx")
    assert template.status_code == 200
    sheets = load_workbook(io.BytesIO(template.content), read_only=True)
    assert len(sheets.sheetnames) == sum(1 for kind in OBJECT_TYPES if kind.file_kind == "csv")
    export = client.post("/api/v1/objects/package/export/", {"file_format": "xlsx"}, format="json")
    assert export.status_code == 201 and export.json()["file_name"] == "configuration-export.xlsx"


def test_a_package_needs_the_permissions_of_every_object(django_user_model, package):
    short = user_client(django_user_model, "short", *permissions("add", "change", but="team"), "view_site")
    response = short.post(JOBS, {"object": "package", "file": upload(package)}, format="multipart")
    assert response.status_code == 403
    assert short.post("/api/v1/objects/package/export/").status_code == 403
    viewer = user_client(django_user_model, "viewer", *permissions("view"))
    assert viewer.post("/api/v1/objects/package/export/").status_code == 201
    assert not Job.objects.filter(operation=Job.Operation.IMPORT).exists()


def test_the_dashboard_submits_a_package_and_shows_its_objects(admin_client, package):
    response = admin_client.post(
        reverse("admin:bulkops_job_new"), {"object": "package", "operation": "import", "file": upload(package)}
    )
    assert response.status_code == 201, response.json()
    job = Job.objects.get(pk=response.json()["job"]["id"])
    page = admin_client.get(reverse("admin:bulkops_job_change", args=[job.pk])).content.decode()
    assert "Objects of the package" in page and "sites.csv" in page
    choices = admin_client.get(reverse("admin:bulkops_job_changelist")).context["object_choices"]
    assert choices[0]["slug"] == "package" and choices[0]["label"] == "Whole configuration"
    errors = admin_client.get(reverse("admin:bulkops_job_file", args=[job.pk, "errors"]))
    assert errors["Content-Disposition"].endswith(f'center-errors-job{job.pk}.zip"')
    status = admin_client.get(reverse("admin:bulkops_job_status", args=[job.pk])).json()["job"]
    assert {part["entry"] for part in status["parts"]} >= {"sites.csv", "team.csv"}

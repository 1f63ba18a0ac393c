"""The API is what its OpenAPI description says (SPEC section 9): each operation lists exactly the
statuses it can answer, the downloads are CSV, Zip or Excel files, a filter takes only its listed values, and
the messages reach the caller whole. Schemathesis then checks every operation against the
description, with every check it has, as a superuser and as a user who may only view."""

import re

import pytest
import schemathesis
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient
from schemathesis.config import SchemathesisConfig

from bulkops.api.errors import json_errors
from bulkops.models import Job
from config_objects.registry import OBJECT_TYPES
from tests import test_api

clients = test_api.clients  # the fixture: API users by what they may do
JOBS = "/api/v1/jobs/"
SITES = b"Name,Description,Multimedia Profile\nBelgrade,,Default Multimedia Profile\nNis,,Nope\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 22,
        # No example database: a run does not replay what an earlier one found, so every run is the same.
        "generation": {"max-examples": 10, "database": "none"},
        "checks": {
            "enabled": True,
            "max_response_time": 20,
            # Valid data may still be refused by the state of the jobs: 409 while another is active,
            # 422 for a job that has ended (cancel), is not a Validate only (import) or cannot be reverted.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]},
        },
        "operations": [
            {
                # A string the description cannot tell from the others: an object's spelling (400), an
                # object imported from a Zip (415 for a .csv), a text encoding (422).
                "include-operation-id": "jobs_create",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "409", "415", "422"]}
                },
            }
        ],
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application(), config=CONFIG)
PATHS = schema.raw_schema["paths"]


def operation(method: str, path: str) -> dict:
    return PATHS[f"/api/v1/{path}"][method]


# -- what the description says ----------------------------------------------------------------------

ANSWERS = {
    ("get", "jobs/"): {"200", "400", "401", "403", "404"},
    ("post", "jobs/"): {"201", "400", "401", "403", "409", "413", "415", "422"},
    ("get", "jobs/{id}/"): {"200", "401", "403", "404"},
    ("get", "jobs/{id}/{kind}/"): {"200", "401", "403", "404"},
    ("get", "jobs/{id}/failed-rows/"): {"200", "401", "403", "404"},
    ("post", "jobs/{id}/import/"): {"201", "401", "403", "404", "409", "413", "422"},
    ("post", "jobs/{id}/revert/"): {"201", "401", "403", "404", "409", "422"},
    ("post", "jobs/{id}/cancel/"): {"200", "401", "403", "404", "422"},
    ("get", "objects/"): {"200", "401", "403"},
    ("get", "objects/{slug}/template/"): {"200", "400", "401", "403", "404"},
    ("post", "objects/{slug}/export/"): {"201", "400", "401", "403", "404", "409", "413", "422"},
}


def test_each_operation_lists_exactly_the_statuses_it_can_answer():
    described = {
        (method, path.removeprefix("/api/v1/")): set(op["responses"])
        for path, methods in PATHS.items()
        for method, op in methods.items()
    }
    assert described == ANSWERS
    for (method, path), codes in ANSWERS.items():
        for code in codes - {"200", "201"}:
            response = operation(method, path)["responses"][code]
            assert set(response["content"]) == {"application/json"}, (method, path, code)
            assert response["description"], (method, path, code)


def test_a_submission_has_a_description_of_its_own_and_says_where_its_job_is():
    listing, submission = operation("get", "jobs/"), operation("post", "jobs/")
    assert submission["description"] != listing["description"]
    assert "Validate only" in submission["description"]
    for method, path in [("post", "jobs/"), ("post", "jobs/{id}/import/"), ("post", "jobs/{id}/revert/")]:
        assert "Location" in operation(method, path)["responses"]["201"]["headers"], path


def test_downloads_are_described_as_the_files_they_are():
    files = operation("get", "jobs/{id}/{kind}/")["responses"]["200"]["content"]
    assert set(files) == {"text/csv", "application/zip", XLSX}
    template = operation("get", "objects/{slug}/template/")["responses"]["200"]["content"]
    assert set(template) == {"text/csv", XLSX}
    for content in (*files.values(), *template.values()):
        assert content["schema"] == {"type": "string", "format": "binary"}


def test_the_list_describes_its_filters_values_and_its_pages():
    parameters = {p["name"]: p for p in operation("get", "jobs/")["parameters"]}
    assert set(parameters["status"]["schema"]["enum"]) == set(Job.Status.values)
    assert set(parameters["operation"]["schema"]["enum"]) == set(Job.Operation.values)
    assert "enum" not in parameters["object"]["schema"]  # any text: an object that has no jobs lists none
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert "Invalid page." in operation("get", "jobs/")["responses"]["404"]["description"]


def described_texts(part) -> list[str]:
    if isinstance(part, dict):
        own = [text for key, text in part.items() if key in ("description", "summary") and isinstance(text, str)]
        return own + [text for value in part.values() for text in described_texts(value)]
    if isinstance(part, list):
        return [text for value in part for text in described_texts(value)]
    return []


def test_the_description_speaks_to_the_api_s_users_not_of_the_project_s_papers_or_settings():
    texts = described_texts(schema.raw_schema)
    assert len(texts) > 50
    internal = re.compile(r"\bSPEC\b|\bsection \d|\bissue \d|README|DEVELOPERS|\b[A-Z]+_[A-Z_]+\b")
    assert [text for text in texts if internal.search(text)] == []
    assert "Token <key>" in schema.raw_schema["info"]["description"]


# -- what the API does -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "name", "status", "detail"),
    [
        ({"encoding": "rot13"}, "sites.csv", 422, "'rot13' is not a text encoding (try utf-8, cp1252 or latin-1)."),
        (
            {},
            "sites.txt",
            415,
            "'sites.txt' is neither a CSV file nor an Excel workbook. Site imports take a .csv or .xlsx file.",
        ),
    ],
)
def test_a_refusal_s_message_reaches_the_caller_whole(clients, fields, name, status, detail):
    response = test_api.submit(clients["superuser"], SITES, name, **fields)
    assert response.status_code == status
    assert response.json() == {"detail": detail}


def test_a_validation_error_of_no_field_is_a_detail_too():
    response = json_errors(ValidationError("'x' is not one of a, b"), {})
    assert (response.status_code, response.data) == (400, {"detail": "'x' is not one of a, b"})


@pytest.mark.django_db
def test_a_filter_value_outside_its_list_is_a_400_naming_the_parameter_and_its_values(clients):
    client = clients["viewer"]
    Job.objects.create(object_type="site", operation="import", status="completed_with_errors", active_slot=None)
    both = client.get(JOBS, {"status": "nope", "operation": "bogus"})
    assert both.status_code == 400
    assert both.json()["detail"] == (
        "status: 'nope' is not one of new, in_progress, completed, completed_with_errors, failed. "
        "operation: 'bogus' is not one of import, export, validate, revert."
    )
    status = client.get(JOBS, {"status": "done"})
    assert status.status_code == 400 and status.json()["detail"].startswith("status: 'done' is not one of new,")
    assert client.get(JOBS, {"status": "completed_with_errors", "operation": "import"}).json()["count"] == 1
    assert client.get(JOBS, {"object": "nope"}).json()["count"] == 0  # any text: no jobs of that object


@pytest.mark.django_db
def test_a_page_that_is_not_one_of_the_list_is_404_invalid_page(clients):
    for page in ("0", "abc", "2"):
        response = clients["viewer"].get(JOBS, {"page": page})
        assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."}), page


@pytest.mark.usefixtures("sync_jobs")
def test_a_download_is_the_file_whatever_the_accept_header_asks_and_a_refusal_is_json(clients):
    client = clients["superuser"]
    template = client.get("/api/v1/objects/site/template/", HTTP_ACCEPT="text/csv")
    assert (template.status_code, template["Content-Type"]) == (200, "text/csv; charset=utf-8")
    exported = client.post("/api/v1/objects/audio-file/export/").json()
    result = client.get(exported["files"]["result"], HTTP_ACCEPT="application/zip")
    assert (result.status_code, result["Content-Type"]) == (200, "application/zip")
    assert b"".join(result.streaming_content).startswith(b"PK")
    missing = client.get("/api/v1/objects/audio-file/template/", HTTP_ACCEPT="text/csv")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    assert "no CSV template" in missing.json()["detail"]


@pytest.mark.django_db
def test_validate_only_is_true_or_false_and_a_blank_encoding_is_utf_8(clients):
    editor = clients["editor"]
    checked = test_api.submit(editor, SITES, validate_only="True", encoding="")
    assert checked.status_code == 201 and checked.json()["operation"] == "validate"
    assert Job.objects.get().encoding == "utf-8"
    for word in ("yes", "1"):
        refused = test_api.submit(editor, SITES, validate_only=word)
        assert refused.status_code == 400 and refused.json()["detail"].startswith("validate_only: "), word
    assert "minLength" not in schema.raw_schema["components"]["schemas"]["ImportRequest"]["properties"]["encoding"]


def test_an_api_path_with_a_line_break_is_a_json_404_too():
    response = APIClient().get("/api/v1/jobs/a%0Ab/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


@pytest.mark.usefixtures("sync_jobs")
def test_the_description_s_import_example_is_a_file_that_imports(clients):
    """Schemathesis sends the example first, so its run creates a job (201) and has jobs to look at."""
    body = operation("post", "jobs/")["requestBody"]["content"]["multipart/form-data"]
    (example,) = body["examples"].values()
    disposition = body["encoding"]["file"]["headers"]["Content-Disposition"]["schema"]["example"]
    name = re.search(r'filename="(.+)"', disposition).group(1)
    fields = {**example["value"], "file": SimpleUploadedFile(name, example["value"]["file"].encode())}
    response = clients["editor"].post(JOBS, fields, format="multipart")
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["created"]) == ("completed", 1)


# -- Schemathesis ------------------------------------------------------------------------------------


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """A generated job id or object slug names none; also draw the ones that exist, so the operations
    answer 200 and 201 as well as 404."""
    if not path_parameters:
        return st.just(path_parameters)
    drawn = [st.just(path_parameters)]
    # An id of a wrong type is drawn to be refused: it stays as it is.
    if type(path_parameters.get("id")) is int and (ids := sorted(Job.objects.values_list("pk", flat=True))):
        drawn.append(st.sampled_from(ids).map(lambda pk: {**path_parameters, "id": pk}))
    if isinstance(path_parameters.get("slug"), str):
        slugs = [t.slug for t in OBJECT_TYPES]
        drawn.append(st.sampled_from(slugs).map(lambda slug: {**path_parameters, "slug": slug}))
    return st.one_of(drawn)


@pytest.fixture
def superuser_and_jobs(django_user_model, sync_jobs):
    """A superuser, and a job of each kind that has files: an import with a failed row, a Validate only,
    an export (CSV) and an audio export (Zip)."""
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client = APIClient()
    client.force_authenticate(root)
    for fields in ({}, {"validate_only": "true"}):
        upload = SimpleUploadedFile("sites.csv", SITES, content_type="text/csv")
        assert client.post(JOBS, {"object": "site", "file": upload, **fields}).status_code == 201
    for slug in ("site", "audio-file"):
        assert client.post(f"/api/v1/objects/{slug}/export/").status_code == 201
    return root


@pytest.fixture(params=["superuser", "viewer"])
def token(request, django_user_model, superuser_and_jobs) -> str:
    user = superuser_and_jobs
    if request.param == "viewer":
        user = django_user_model.objects.create_user("viewer", password="pw-123456789", is_staff=True)
        user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_answers_as_its_description_says(case, token):
    """The fixtures are not reset between the examples of an operation, on purpose: the jobs pile up."""
    case.call_and_validate(headers={"Authorization": f"Token {token}"})

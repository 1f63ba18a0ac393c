"""English and Serbian (Latin script), SPEC section 10: the dashboard and commands speak Serbian, row
error messages are stored in the submitter's language, and CSV files keep their English column names
in every language (the catalogue itself: tests/test_i18n_catalogue.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bulkops.models import Job
from config_objects.registry import OBJECT_TYPES, object_type

ROOT = Path(__file__).resolve().parent.parent
SITES = b"Name,Description,Multimedia Profile\nBelgrade,,Default Multimedia Profile\nNis,,Nope\n"
CHANGELIST = reverse("admin:bulkops_job_changelist")
NEW = reverse("admin:bulkops_job_new")
SERBIAN = {"HTTP_ACCEPT_LANGUAGE": "sr-latn"}


def login(django_user_model, name="ana", *, superuser=True, **headers):
    if superuser:
        user = django_user_model.objects.create_superuser(name, f"{name}@example.com", "pw-123456789")
    else:
        user = django_user_model.objects.create_user(name, password="pw-123456789", is_staff=True)
        for codename in ("add_site", "change_site", "view_site"):
            user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client(**headers)
    client.force_login(user)
    return client


def upload(client, content=SITES, name="sites.csv"):
    data = {"object": "site", "operation": "import", "file": SimpleUploadedFile(name, content, content_type="text/csv")}
    return client.post(NEW, data)


@pytest.mark.usefixtures("sync_jobs")
def test_the_dashboard_speaks_serbian_to_a_serbian_browser(django_user_model):
    client = login(django_user_model, **SERBIAN)
    upload(client)
    page = client.get(CHANGELIST).content.decode()
    assert '<html lang="sr-latn"' in page
    for words in ("Masovne operacije", "Nova masovna operacija", "Završeno sa greškama", "ID posla", "Poslao"):
        assert words in page, words
    job = Job.objects.get()
    details = client.get(reverse("admin:bulkops_job_change", args=[job.pk])).content.decode()
    assert "Izvezi greške u CSV" in details
    assert "Lokacija" in details


@pytest.mark.usefixtures("sync_jobs")
def test_the_dashboard_speaks_english_to_an_english_browser(django_user_model):
    client = login(django_user_model, HTTP_ACCEPT_LANGUAGE="en")
    upload(client)
    page = client.get(CHANGELIST).content.decode()
    assert "New bulk operation" in page and "Completed with errors" in page
    assert "Nova masovna operacija" not in page


@pytest.mark.usefixtures("sync_jobs")
def test_row_errors_are_stored_in_the_submitters_language_and_the_csv_stays_english(django_user_model):
    serbian = login(django_user_model, "ana", **SERBIAN)
    upload(serbian)
    job = Job.objects.get()
    assert job.language == "sr-latn"
    assert job.status == Job.Status.COMPLETED_WITH_ERRORS
    message = job.errors.get().message
    assert message == "Multimedia Profile 'Nope' ne postoji"
    # Read later by an English speaker, the stored message stays as written.
    english = login(django_user_model, "bob", HTTP_ACCEPT_LANGUAGE="en")
    response = english.get(reverse("admin:bulkops_job_file", args=[job.pk, "errors"]))
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header == "Name,Description,Multimedia Profile,Error Message"
    assert row.startswith("Nis,,Nope,") and "ne postoji" in row


@pytest.mark.usefixtures("sync_jobs")
def test_an_english_speakers_job_writes_english_row_errors(django_user_model):
    upload(login(django_user_model, HTTP_ACCEPT_LANGUAGE="en"))
    job = Job.objects.get()
    assert job.language == "en"
    assert job.errors.get().message == "Multimedia Profile 'Nope' does not exist"


@pytest.mark.usefixtures("sync_jobs")
def test_the_api_answers_in_the_requests_language(django_user_model):
    client = login(django_user_model, **SERBIAN)
    response = client.get("/api/v1/jobs/999/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Ne postoji masovni posao 999."


@pytest.mark.usefixtures("sync_jobs")
def test_the_language_switch_changes_the_language(django_user_model):
    client = login(django_user_model, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(CHANGELIST).content.decode()
    assert f'action="{reverse("set_language")}"' in page and 'name="language"' in page
    assert 'value="sr-latn"' in page and "srpski" in page.lower()
    assert 'rel="icon"' in page and "bulkops/favicon.svg" in page
    response = client.post(reverse("set_language"), {"language": "sr-latn", "next": CHANGELIST})
    assert response.status_code == 302 and response.url == CHANGELIST
    page = client.get(CHANGELIST).content.decode()
    assert "Nova masovna operacija" in page
    client.post(reverse("set_language"), {"language": "en", "next": CHANGELIST})
    assert "New bulk operation" in client.get(CHANGELIST).content.decode()


def test_the_admin_chrome_is_serbian_too(admin_client):
    """Django's own admin words come from Django's sr_Latn catalogue."""
    page = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="sr-latn").content.decode()
    assert "Odjava" in page or "Odjavite se" in page  # "Log out"
    assert "Kontakt centar" in page


def test_csv_column_names_stay_english_in_every_language():
    for language in ("en", "sr-latn"):
        with translation.override(language):
            for kind in OBJECT_TYPES:
                names = [column.column_name for column in kind.resource().columns()]
                assert all(isinstance(name, str) and name.isascii() for name in names), (language, names)
    site = [c.column_name for c in object_type("site").resource().columns()]
    assert site == ["Name", "Description", "Multimedia Profile"]
    with translation.override("sr-latn"):
        from config_objects.models import Site

        # ... while the admin shows the same fields translated.
        assert str(Site._meta.get_field("name").verbose_name) == "Naziv"
        assert str(Site._meta.verbose_name) == "lokacija"
        assert str(Job.Status.COMPLETED_WITH_ERRORS.label) == "Završeno sa greškama"
        assert [str(label) for _value, label in Job.Status.choices] == [
            "Novo",
            "U toku",
            "Završeno",
            "Završeno sa greškama",
            "Neuspešno",
        ]


@pytest.mark.usefixtures("sync_jobs")
def test_language_code_makes_commands_speak_serbian(tmp_path, settings):
    from tests.bulk import run, write

    settings.LANGUAGE_CODE = "sr-latn"
    path = write(tmp_path, SITES.decode(), name="sites.csv")
    outcome = run("bulk_import", "site", str(path))
    assert outcome.job.language == "sr-latn"
    assert outcome.job.errors.get().message == "Multimedia Profile 'Nope' ne postoji"
    assert "Završeno sa greškama" in outcome.out + outcome.err
    unknown = run("bulk_import", "sitez", str(path))
    assert "Nepoznat objekat 'sitez'" in unknown.err


def test_language_code_comes_from_the_environment_and_only_ours_are_accepted():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'contactcenter.settings'; "
        "from django.conf import settings; print(settings.LANGUAGE_CODE)"
    )

    def language_code(value):
        env = {**os.environ, "LANGUAGE_CODE": value, "DJANGO_SETTINGS_MODULE": "contactcenter.settings"}
        return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)

    assert language_code("sr-Latn").stdout.strip() == "sr-latn"
    assert language_code("").stdout.strip() == "en"
    refused = language_code("de")
    assert refused.returncode != 0 and "LANGUAGE_CODE='de' is not one of the product's languages" in refused.stderr
    assert settings.LANGUAGES == [("en", "English"), ("sr-latn", "Serbian Latin")]

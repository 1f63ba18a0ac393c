"""English and Serbian (Latin script), SPEC section 10: the catalogue is complete, the dashboard and
commands speak Serbian, row error messages are stored in the submitter's language, and CSV files keep
their English column names in every language."""

import ast
import os
import re
import shutil
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
sys.path.insert(0, str(ROOT / "bin"))
from compile_messages import read_po, write_mo  # noqa: E402

CATALOGUES = ROOT / "locale" / "sr_Latn" / "LC_MESSAGES"
SITES = b"Name,Description,Multimedia Profile\nBelgrade,,Default Multimedia Profile\nNis,,Nope\n"
CHANGELIST = reverse("admin:bulkops_job_changelist")
NEW = reverse("admin:bulkops_job_new")
SERBIAN = {"HTTP_ACCEPT_LANGUAGE": "sr-latn"}


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request through the test client leaves its language active in this thread: start and end
    every test in the default language, so that no other test reads Serbian."""
    translation.deactivate()
    yield
    translation.deactivate()


def gettext_tools() -> bool:
    found = shutil.which("xgettext") and shutil.which("msgfmt") and shutil.which("msgmerge")
    if not found and os.environ.get("REQUIRE_GETTEXT"):
        pytest.fail("GNU gettext (xgettext, msgmerge, msgfmt) is needed: apt-get install gettext")
    return bool(found)


# -- the catalogue ----------------------------------------------------------------------------------


def untranslated(po: Path) -> list[str]:
    return [
        entry["msgid"]
        for entry in read_po(po)
        if entry["msgid"] and ("fuzzy" in entry["flags"] or not all(entry["msgstr"]) or not entry["msgstr"])
    ]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_serbian_catalogue_has_no_untranslated_or_fuzzy_entries(domain):
    po = CATALOGUES / f"{domain}.po"
    assert po.exists(), f"{po} is missing: run bin/makemessages"
    assert untranslated(po) == [], f"Translate these in {po.name} (then bin/makemessages):"
    header = read_po(po)[0]
    assert "nplurals=3;" in header["msgstr"][0], "Serbian has three plural forms"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_marked_string_of_the_code_is_in_the_serbian_catalogue(domain, tmp_path):
    """makemessages into a copy of the project: a string marked in the code but missing from (or
    changed since) the committed catalogue shows up as an empty or fuzzy entry there."""
    if not gettext_tools():
        pytest.skip("GNU gettext is not installed (apt-get install gettext); CI runs this")
    copy = tmp_path / "project"
    skipped = {".venv", "data", "test-artifacts", "tests", "benchmarks", "docs", ".git", ".ruff_cache"}

    def ignored(folder, names):
        return [name for name in names if (Path(folder) == ROOT and name in skipped) or name.endswith(".mo")]

    shutil.copytree(ROOT, copy, ignore=ignored)
    ignore = ["--ignore=.venv", "--ignore=data", "--ignore=tests", "--ignore=benchmarks", "--ignore=docs"]
    made = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", "sr_Latn", "--no-obsolete", *ignore],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "contactcenter.settings"},
    )
    assert made.returncode == 0, made.stderr
    po = copy / "locale" / "sr_Latn" / "LC_MESSAGES" / f"{domain}.po"
    assert untranslated(po) == [], "Marked strings without a Serbian translation: run bin/makemessages and translate"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_msgfmt_accepts_the_catalogue_and_its_placeholders(domain):
    """msgfmt --check: every translation keeps the placeholders of its English text."""
    if not gettext_tools():
        pytest.skip("GNU gettext is not installed (apt-get install gettext); CI runs this")
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-domain", "-o", "/dev/null", str(CATALOGUES / f"{domain}.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_compiled_catalogue_is_current(tmp_path):
    """What set-up compiled (bin/compile_messages.py) is what the .po files say."""
    for po in CATALOGUES.glob("*.po"):
        fresh = tmp_path / po.with_suffix(".mo").name
        write_mo(read_po(po), fresh)
        assert po.with_suffix(".mo").read_bytes() == fresh.read_bytes(), (
            f"{po.name} changed: run bin/compile_messages.py"
        )


# Calls whose text reaches a user: their message argument must be translated, never a plain literal.
MESSAGE_CALLS = {
    "ValidationError": 0,
    "FileProblem": 0,
    "JobRefused": 0,
    "AnotherJobActive": 0,
    "FileRequired": 0,
    "WrongFileType": 0,
    "FileTooLarge": 0,
    "NotATextEncoding": 0,
    "UnknownObjectType": 0,
    "NotWave": 0,
    "PermissionDenied": 0,
    "Http404": 0,
    "CommandError": 0,
    "Conflict": 0,
    "fail": -1,  # unit.fail(message) / self.fail(line, name, message)
    "message_user": 1,
    "success": 1,
    "error": 1,
    "warning": 1,
}
MESSAGE_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "violation_error_message", "default_detail"}
PYTHON_SOURCES = ["bulkops", "config_objects", "contactcenter"]


def _is_plain_text(node) -> bool:
    """A literal or an f-string with words in it (not a format like "%s" or a CSV word like "TRUE")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    else:
        return False
    return bool(re.search(r"[a-z]{2,}.*\s|\s.*[a-z]{2,}", text))


def unmarked_python_strings() -> list[str]:
    found = []
    for folder in PYTHON_SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                arguments = []
                if name in MESSAGE_CALLS and node.args:
                    index = MESSAGE_CALLS[name]
                    if index < len(node.args):
                        arguments.append(node.args[index])
                if name == "write" and "std" in ast.unparse(node.func):  # self.stdout.write / self.stderr.write
                    arguments += node.args[:1]
                arguments += [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
                for argument in arguments:
                    if _is_plain_text(argument):
                        where = f"{path.relative_to(ROOT)}:{argument.lineno}"
                        found.append(f"{where}: {ast.unparse(argument)[:90]}")
    return found


def test_messages_in_python_code_are_marked_for_translation():
    assert unmarked_python_strings() == [], "Wrap these in gettext / gettext_lazy / ngettext"


TEMPLATE_NOISE = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|<script.*?</script>|<style.*?</style>"
    r"|{%\s*block bodyclass\s*%}.*?{%\s*endblock\s*%}"
    r"|{%\s*(?:blocktranslate|blocktrans)\b.*?{%\s*end(?:blocktranslate|blocktrans)\s*%}|{%.*?%}|{{.*?}}",
    re.DOTALL,
)
VISIBLE_ATTRIBUTES = re.compile(r"""\b(?:title|placeholder|aria-label|alt)="([^"{]*[A-Za-z]{2,}[^"{]*)\"""")


def unmarked_template_text() -> list[str]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = TEMPLATE_NOISE.sub(" ", path.read_text(encoding="utf-8"))
        for attribute in VISIBLE_ATTRIBUTES.findall(text):
            found.append(f"{path.relative_to(ROOT)}: attribute text '{attribute.strip()}'")
        words = re.sub(r"<[^>]*>", " ", text)
        for line in words.splitlines():
            line = line.strip()
            if re.search(r"[A-Za-z]{2,}", line) and not re.fullmatch(r"[^A-Za-z]*", line):
                found.append(f"{path.relative_to(ROOT)}: '{line[:90]}'")
    return found


def test_text_in_templates_is_marked_for_translation():
    assert unmarked_template_text() == [], "Wrap these in {% translate %} / {% blocktranslate %}"


# -- the product in Serbian ---------------------------------------------------------------------------


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
    assert message == "Multimedia Profile: 'Nope' ne postoji"
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
    assert outcome.job.errors.get().message == "Multimedia Profile: 'Nope' ne postoji"
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

"""The dashboard in a real browser (Debian's Chromium, headless, driven by Playwright) against a live
server, with a real worker process running the jobs. Screenshots go to test-artifacts/screenshots/
(ignored by git); SCREENSHOT_DIR=docs/screenshots refreshes the README's."""

import csv
import io
import os
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from bulkops.models import Job
from bulkops.worker.liveness import process_token
from config_objects.models import Site
from tests.bulk import sheet_rows
from tests.factories import make_site
from tests.worker import ROOT, qcluster, worker_env

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts" / "screenshots"))
PASSWORD = "pw-123456789"
MP = "Default Multimedia Profile"

pytestmark = [pytest.mark.usefixtures("catalogue_defaults"), pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; the test's own ORM calls
    # are still plain synchronous code, which Django would otherwise refuse here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
        # ORM calls made while Playwright's loop runs get connections of their own (Django keeps
        # connections per context); close them, or they outlive the test database.
        connections.close_all()


@pytest.fixture
def worker(settings, tmp_path, transactional_db):
    with qcluster(worker_env(settings, tmp_path), tmp_path / "qcluster.log") as process:
        yield process


@pytest.fixture
def page(browser, live_server, django_user_model):
    django_user_model.objects.create_superuser("ana", "ana@example.com", PASSWORD)
    context = browser.new_context(viewport={"width": 1280, "height": 820}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ana")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    yield page
    context.close()


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def start_import(page, live_server, path: Path, screenshot: str | None = None):
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    page.click("#bulk-new")
    page.select_option("#bulk-object", "site")
    page.check("#bulk-mode-import")
    page.set_input_files("#bulk-file", str(path))
    assert page.inner_text("#bulk-file-name").startswith(path.name)
    if screenshot:
        shoot(page, screenshot)
    page.click("#bulk-upload")
    page.wait_for_selector("#bulk-status:not([hidden])")


def wait_until_finished(page, rows: int, label: str):
    page.wait_for_function(
        "(label) => document.getElementById('bulk-status-label').textContent === label", arg=label, timeout=60_000
    )
    assert page.inner_text("#bulk-progress-text") == f"{rows} of {rows} rows"
    assert page.eval_on_selector("#bulk-progress", "bar => bar.value === bar.max")


def test_an_import_with_bad_rows_is_fixed_from_its_error_file_and_uploaded_again(page, live_server, worker, tmp_path):
    upload = tmp_path / "sites.csv"
    upload.write_text(
        "Name,Description,Multimedia Profile\n"
        f"Belgrade,Capital,{MP}\n"
        "Nis,South,No Such Profile\n"
        f"Novi Sad,North,{MP}\n"
        f"Bad|Name,,{MP}\n"
    )
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    shoot(page, "dashboard-empty")

    # Choosing a file shows its name and a way to remove it and choose another.
    page.click("#bulk-new")
    page.select_option("#bulk-object", "site")
    page.check("#bulk-mode-import")
    page.set_input_files("#bulk-file", str(tmp_path / "sites.csv"))
    page.click("#bulk-file-remove")
    assert page.is_disabled("#bulk-upload")
    page.keyboard.press("Escape")
    assert page.locator("#bulk-error").is_hidden()

    start_import(page, live_server, upload, screenshot="dialog-import")
    wait_until_finished(page, 4, "Completed with errors")
    assert [page.inner_text(f"#bulk-{key}") for key in ("created", "updated", "unchanged", "failed")] == [
        "2",
        "0",
        "0",
        "2",
    ]
    shoot(page, "import-status")

    with page.expect_download() as download:
        page.click("#bulk-errors")
    errors_file = tmp_path / "errors.csv"
    download.value.save_as(errors_file)
    rows = list(csv.reader(io.StringIO(errors_file.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Name", "Description", "Multimedia Profile", "Error Message"]
    assert rows[1] == ["Nis", "South", "No Such Profile", "Multimedia Profile 'No Such Profile' does not exist"]
    assert rows[2][0] == "Bad|Name" and "may contain only letters" in rows[2][3]

    page.click("#bulk-status-close")  # the list now shows the job
    page.wait_for_selector("text=Completed with errors")
    shoot(page, "dashboard")

    fixed = tmp_path / "sites-fixed.csv"
    fixed.write_text(
        errors_file.read_text(encoding="utf-8-sig").replace("No Such Profile", MP).replace("Bad|Name", "Subotica")
    )
    start_import(page, live_server, fixed)
    wait_until_finished(page, 2, "Completed")
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Belgrade", "Nis", "Novi Sad", "Subotica"]

    page.click("#bulk-details")
    page.wait_for_selector("text=Submitted by")
    shoot(page, "job-details")


def test_the_new_button_is_disabled_while_a_job_runs(page, live_server):
    job = Job.objects.create(
        object_type="user",
        operation="import",
        status=Job.Status.IN_PROGRESS,
        submitted_by_name="ana",
        total_rows=5000,
        done_rows=1200,
        file_name="users.csv",
        worker=process_token(),  # a live process: the dashboard would fail a job whose worker is gone
        heartbeat_at=timezone.now(),
    )
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    button = page.locator("#bulk-new")
    assert button.is_disabled()
    assert f"Job {job.pk} (User, import) is in progress" in button.get_attribute("title")
    assert "1,200 of 5,000 rows done" in page.inner_text("#bulk-active-note")
    shoot(page, "dashboard-job-running")


def test_export_all_records_from_the_dialog(page, live_server, worker, tmp_path):
    make_site("Belgrade")
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    page.click("#bulk-new")
    page.select_option("#bulk-object", "site")
    page.check("#bulk-mode-export")
    with page.expect_download() as template:
        page.click("#bulk-template")
    assert template.value.suggested_filename == "site-template.csv"
    shoot(page, "dialog-export")
    page.click("#bulk-export-all")
    page.wait_for_function("document.getElementById('bulk-status-label').textContent === 'Completed'", timeout=60_000)
    with page.expect_download() as exported:
        page.click("#bulk-result")
    path = tmp_path / "export.csv"
    exported.value.save_as(path)
    assert path.read_text(encoding="utf-8-sig").splitlines()[0] == "Name,Description,Multimedia Profile"


def test_export_a_workbook_from_the_dialog(page, live_server, worker, tmp_path):
    make_site("Belgrade")
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    page.click("#bulk-new")
    page.select_option("#bulk-object", "site")
    page.check("#bulk-mode-export")
    page.check("#bulk-format-xlsx")
    with page.expect_download() as template:
        page.click("#bulk-template")
    assert template.value.suggested_filename == "site-template.xlsx"
    page.click("#bulk-export-all")
    page.wait_for_function("document.getElementById('bulk-status-label').textContent === 'Completed'", timeout=60_000)
    with page.expect_download() as exported:
        page.click("#bulk-result")
    assert exported.value.suggested_filename == "site-export.xlsx"
    path = tmp_path / "export.xlsx"
    exported.value.save_as(path)
    assert sheet_rows(path) == [["Name", "Description", "Multimedia Profile"], ["Belgrade", None, MP]]
    with page.expect_navigation():  # closing the dialog after a job reloads the list
        page.click("#bulk-status-close")
    page.click("#bulk-new")
    page.select_option("#bulk-object", "audio-file")
    page.check("#bulk-mode-export")
    assert not page.is_visible("#bulk-format-row")  # audio files are a Zip, never a workbook


def test_the_whole_configuration_from_the_dialog_as_a_workbook(page, live_server, worker, tmp_path):
    from tests.bulk import run
    from tests.test_packages import audio_type, sample_tables, workbook_package
    from tests.world import sample_path

    assert run("bulk_import", "audio-file", str(sample_path(audio_type()))).code == 0  # a workbook holds no audio
    tables = sample_tables()
    path = workbook_package(tmp_path / "center.xlsx", tables)
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    page.click("#bulk-new")
    assert page.inner_text("#bulk-object option:nth-child(2)") == "Whole configuration"
    page.select_option("#bulk-object", "package")
    page.check("#bulk-mode-import")
    page.set_input_files("#bulk-file", str(path))
    shoot(page, "dialog-package")
    page.click("#bulk-upload")
    page.wait_for_selector("#bulk-status:not([hidden])")
    page.wait_for_function("document.getElementById('bulk-status-label').textContent === 'Completed'", timeout=90_000)
    job = Job.objects.get(object_type="package")
    assert job.failed == 0 and job.created > 0
    page.click("#bulk-details")
    page.wait_for_selector("#bulk-parts")
    rows = page.locator("#bulk-parts tbody tr")
    assert rows.count() == len(tables)
    assert "Site" in page.inner_text("#bulk-parts")
    shoot(page, "package-details")

    page.goto(f"{live_server.url}/admin/bulkops/job/")
    page.click("#bulk-new")
    page.select_option("#bulk-object", "package")
    page.check("#bulk-mode-export")
    assert page.inner_text("#bulk-format-csv-label") == "Zip of CSV files, with the audio files"
    page.check("#bulk-format-xlsx")
    with page.expect_download() as template:
        page.click("#bulk-template")
    assert template.value.suggested_filename == "configuration-template.xlsx"


def site_import_with_failed_rows(user, language: str, rows: int = 60) -> Job:
    """An import of `rows` sites that all fail, run here in its submitter's language (as the worker would)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from bulkops.jobs import run_job
    from bulkops.services import job_submit
    from config_objects.registry import object_type

    lines = ["Name,Description,Multimedia Profile"]
    for number in range(1, rows + 1):
        profile = "Gold Agents" if number % 3 else "Night shift (old)"
        name = f"Branch office {number:03} {'Novi Sad' if number % 2 else 'Kragujevac'}"
        if number == 60:  # a name with no space to break at must not widen the page on a phone
            name = "Branch-office-060-Kragujevac-Sumadija-district-central-Serbia"
        lines.append(f"{name},Walk-in desk,{profile}")
    upload = SimpleUploadedFile("branch-offices.csv", ("\n".join(lines) + "\n").encode())
    with translation.override(language):
        job = job_submit(object_type=object_type("site"), operation="import", user=user, upload=upload, queue=False)
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.failed) == (Job.Status.COMPLETED_WITH_ERRORS, rows)
    return job


def test_a_job_s_failed_rows_on_its_page_in_both_languages_and_at_phone_width(page, live_server, django_user_model):
    ana = django_user_model.objects.get(username="ana")
    for language, prefix in (("en", "failed-rows"), ("sr-latn", "sr-failed-rows")):
        job = site_import_with_failed_rows(ana, language)
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto(f"{live_server.url}/admin/bulkops/job/{job.pk}/change/")
        section = page.locator("#bulk-failed-rows")
        assert section.locator("tbody tr").count() == 50
        first = section.locator("tbody tr").first.inner_text()
        assert first.startswith("2\tBranch office 001 Novi Sad\t"), first
        assert ("does not exist" if language == "en" else "ne postoji") in first
        heading = "Failed rows" if language == "en" else "Neuspešni redovi"
        assert section.locator("h2").inner_text().casefold() == heading.casefold()
        section.locator(".paginator a").last.click()  # Next
        page.wait_for_url("**failed_page=2#bulk-failed-rows")
        assert page.locator("#bulk-failed-rows tbody tr").count() == 10
        for width, suffix in ((1280, "1280"), (390, "390")):
            page.set_viewport_size({"width": width, "height": 820 if width > 400 else 844})
            page.evaluate("() => document.getElementById('bulk-failed-rows').scrollIntoView()")
            shoot(page, f"{prefix}-{suffix}")
            root = "document.documentElement"
            overflow = page.evaluate(f"() => {root}.scrollWidth - {root}.clientWidth")
            assert overflow <= 1, f"{prefix}-{suffix}: the page is {overflow}px wider than the screen"
        page.set_viewport_size({"width": 1280, "height": 820})

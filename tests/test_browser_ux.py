"""Issue 12 in a real browser (items 1-3 and 6): the list and the details page follow their jobs,
the import status dialog after the job has ended, and the user form and the dashboard at phone
width. Screenshots (1280 px and 390 px wide) go where tests/test_browser.py puts its own."""

import pytest
from django.utils import timezone

from bulkops.models import Job
from bulkops.worker.liveness import process_token
from tests.factories import make_site, make_team, make_user
from tests.test_browser import browser, page, shoot  # noqa: F401

pytestmark = [pytest.mark.usefixtures("catalogue_defaults"), pytest.mark.slow, pytest.mark.browser]

MP = "Default Multimedia Profile"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 820}


def running_job(**fields) -> Job:
    values = {
        "object_type": "site",
        "operation": "import",
        "status": Job.Status.IN_PROGRESS,
        "submitted_by_name": "command line (root)",
        "total_rows": 50_000,
        "done_rows": 20_000,
        "file_name": "sites.csv",
        "worker": process_token(),  # a live process: the dashboard would fail a job whose worker is gone
        "heartbeat_at": timezone.now(),
        "started_at": timezone.now(),
    }
    return Job.objects.create(**(values | fields))


def finish(job: Job, status=Job.Status.COMPLETED, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(status=status, active_slot=None, finished_at=timezone.now(), **fields)


def both_widths(tab, name):
    for size, suffix in ((DESKTOP, "1280"), (PHONE, "390")):
        tab.set_viewport_size(size)
        shoot(tab, f"{name}-{suffix}")
    tab.set_viewport_size(DESKTOP)


def test_the_list_follows_a_job_to_its_end_then_stops_polling(page, live_server):  # noqa: F811
    older = Job.objects.create(
        object_type="team", operation="validate", status=Job.Status.COMPLETED_WITH_ERRORS, active_slot=None,
        submitted_by_name="ana", total_rows=10, done_rows=10, failed=1, file_name="teams.csv",
    )  # fmt: skip
    job = running_job()
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    cell = page.locator(f".job-status[data-job='{job.pk}']")
    assert cell.inner_text().endswith("In progress (20,000/50,000)")
    assert page.locator("#bulk-new").is_disabled()
    assert "20,000 of 50,000 rows done" in page.inner_text("#bulk-active-note")
    both_widths(page, "ux-list-running")

    Job.objects.filter(pk=job.pk).update(done_rows=35_000, heartbeat_at=timezone.now())
    page.wait_for_function(
        "(id) => document.querySelector(`.job-status[data-job='${id}']`).textContent.includes('35,000/50,000')",
        arg=job.pk,
    )
    assert "35,000 of 50,000 rows done" in page.inner_text("#bulk-active-note")

    finish(job, done_rows=50_000, created=50_000)
    page.wait_for_function("() => !document.getElementById('bulk-new').disabled", timeout=15_000)
    assert cell.inner_text().endswith("Completed")
    assert "job-status-completed" in cell.get_attribute("class")
    assert page.locator("#bulk-active-note").is_hidden()
    assert page.get_attribute("#bulk-new", "title") == ""
    assert page.locator(f".job-status[data-job='{older.pk}']").inner_text().endswith("Completed with errors")
    both_widths(page, "ux-list-finished")

    # No job is active: the page stops asking.
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/live/" in request.url else None)
    page.wait_for_timeout(2500)
    assert requests == []


def test_the_details_page_stays_current_and_a_failed_job_says_where_it_stopped(page, live_server):  # noqa: F811
    job = running_job()
    page.goto(f"{live_server.url}/admin/bulkops/job/{job.pk}/change/")
    assert page.inner_text("#bulk-finished") == "\u2013"
    assert page.inner_text("#bulk-progress-text") == "20,000 of 50,000 rows"
    assert page.locator("#bulk-reason-row").is_hidden()
    both_widths(page, "ux-details-running")

    Job.objects.filter(pk=job.pk).update(done_rows=40_000, created=40_000, heartbeat_at=timezone.now())
    page.wait_for_function("() => document.getElementById('bulk-created').textContent === '40,000'")
    assert page.inner_text("#bulk-progress-text") == "40,000 of 50,000 rows"

    finish(job, Job.Status.FAILED, failure_reason="Cancelled by ana.", cancel_requested_by="ana")
    page.wait_for_function("() => document.getElementById('bulk-status-label').textContent === 'Failed'")
    page.wait_for_function("() => document.getElementById('bulk-finished').textContent !== '\\u2013'")
    assert page.inner_text("#bulk-progress-text") == "Stopped at 40,000 of 50,000 rows."
    assert page.locator("#bulk-progress").is_hidden()
    assert page.locator("#bulk-reason-row").is_visible() and "Cancelled by ana." in page.inner_text("#bulk-reason")
    assert page.locator("#bulk-cancel").count() == 0 or page.locator("#bulk-cancel").is_hidden()
    assert "Reading the file" not in page.inner_text("#content-main")
    both_widths(page, "ux-details-failed")


def test_the_status_dialog_after_the_job_has_ended(page, live_server, settings, tmp_path):  # noqa: F811
    settings.BULK_JOBS_SYNC = True  # the job runs inside the upload's request: it has ended at once
    upload = tmp_path / "sites.csv"
    upload.write_text(f"Name,Description,Multimedia Profile\nBelgrade,,{MP}\nNis,,Nope\n")
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    page.click("#bulk-new")
    assert page.inner_text("#bulk-dialog-title") == "New bulk operation"
    page.select_option("#bulk-object", "site")
    page.check("#bulk-mode-export")
    both_widths(page, "ux-dialog-export")
    page.check("#bulk-mode-import")
    page.set_input_files("#bulk-file", str(upload))
    both_widths(page, "ux-dialog-import")
    page.click("#bulk-upload")
    page.wait_for_selector("#bulk-status:not([hidden])")
    page.wait_for_function("() => document.getElementById('bulk-status-label').textContent === 'Completed with errors'")
    assert page.inner_text("#bulk-dialog-title") == "Import status"
    assert page.locator("#bulk-status-background").is_hidden()
    assert page.inner_text("#bulk-status-job").endswith(": Site, import")
    assert page.inner_text("#bulk-progress-text") == "2 of 2 rows"
    both_widths(page, "ux-dialog-status-ended")


def test_the_user_form_labels_its_team_picker_on_the_left(page, live_server):  # noqa: F811
    site = make_site("Belgrade")
    make_team("Tier 1 Belgrade", site=site)
    page.goto(f"{live_server.url}/admin/config_objects/contactcenteruser/add/")
    label = page.locator(".field-teams label").first
    picker = page.locator(".field-teams .select2-container").first  # teams are chosen by typing
    page.locator(".field-teams").scroll_into_view_if_needed()
    both_widths(page, "ux-user-form")
    assert label.bounding_box()["x"] < picker.bounding_box()["x"]
    page.set_viewport_size(PHONE)
    assert label.bounding_box()["y"] < picker.bounding_box()["y"]  # stacked above it on a phone


def test_the_dashboard_fits_a_phone(page, live_server):  # noqa: F811
    for status in (Job.Status.COMPLETED, Job.Status.COMPLETED_WITH_ERRORS, Job.Status.FAILED):
        Job.objects.create(
            object_type="skill-profile", operation="import", status=status, active_slot=None,
            submitted_by_name="command line (root)", total_rows=20_000, done_rows=20_000,
            file_name="skill-profiles-2026-11-25.csv",
        )  # fmt: skip
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/bulkops/job/")
    shoot(page, "ux-dashboard-390")
    width = page.evaluate("() => document.documentElement.clientWidth")
    for cell in page.locator("#result_list .field-status_badge, #result_list .field-submitted").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    statuses = [cell.inner_text() for cell in page.locator("#result_list .field-status_badge").all()]
    assert statuses == ["\u2716 Failed", "\u26a0 Completed with errors", "\u2714 Completed"]


def test_the_users_list_shows_every_column_at_1280_px(page, live_server):  # noqa: F811
    """Issue 25: beside the navigation sidebar and the filters, the last column (Contact Center Enabled)
    was cut off; long e-mail addresses and site names now wrap in their cells."""
    site = make_site("Belgrade-Central-Operations")
    for number in range(3):
        make_user(
            f"aleksandra.petrovic-jovanovic{number}@contact-center.example.com",
            first_name="Aleksandra",
            last_name="Petrović-Jovanović",
            site=site,
        )
    page.goto(f"{live_server.url}/admin/config_objects/contactcenteruser/")
    shoot(page, "ux-users-list-1280")
    results = page.locator("#changelist .results")
    assert results.evaluate("(box) => box.scrollWidth <= box.clientWidth")
    last = page.locator("#result_list thead th").last
    box, frame = last.bounding_box(), results.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1

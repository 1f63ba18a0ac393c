"""SPEC section 8 in the browser: validate a file, read the changes it would make, import that very
file, see the same changes applied, then revert the import from its details page."""

import time

import pytest

from bulkops.models import Job
from config_objects.models import Site
from tests.factories import make_site
from tests.test_browser import MP, browser, page, shoot, wait_until_finished, worker  # noqa: F401

pytestmark = [pytest.mark.usefixtures("catalogue_defaults"), pytest.mark.slow, pytest.mark.browser]


def changes_shown(tab) -> list[str]:
    return [row.inner_text() for row in tab.locator("#bulk-changes tbody tr").all()]


def until_finished(tab, job: Job) -> None:
    """Reload the job's page until its status is final."""
    deadline = time.monotonic() + 60
    while Job.objects.get(pk=job.pk).is_active:
        assert time.monotonic() < deadline, f"job {job.pk} did not finish"
        time.sleep(0.3)
    tab.reload()


def test_validate_preview_import_this_file_then_revert(page, live_server, worker, tmp_path):  # noqa: F811
    make_site("Belgrade", description="Capital")
    upload = tmp_path / "sites.csv"
    upload.write_text(f"Name,Description,Multimedia Profile\nBelgrade,Capital city,{MP}\nNis,South,{MP}\n")

    page.goto(f"{live_server.url}/admin/bulkops/job/")
    page.click("#bulk-new")
    page.select_option("#bulk-object", "site")
    page.check("#bulk-mode-import")
    page.set_input_files("#bulk-file", str(upload))
    page.check("#bulk-validate")
    page.click("#bulk-upload")
    page.wait_for_selector("#bulk-status:not([hidden])")
    wait_until_finished(page, 2, "Completed")
    assert list(Site.objects.values_list("name", "description")) == [("Belgrade", "Capital")]

    validated = Job.objects.get(operation="validate")
    page.goto(f"{live_server.url}/admin/bulkops/job/{validated.pk}/change/")
    assert "Changes this file would make" in page.inner_text("#bulk-changes")
    preview = changes_shown(page)
    assert any("Belgrade" in row and "Description: Capital → Capital city" in row for row in preview), preview
    assert any(row.startswith("Nis\tCreated") for row in preview), preview
    page.locator("#bulk-changes").scroll_into_view_if_needed()
    shoot(page, "job-preview")

    page.click("#bulk-import-file input[type=submit]")
    imported = Job.objects.get(operation="import")
    page.wait_for_url(f"**/admin/bulkops/job/{imported.pk}/change/")
    until_finished(page, imported)
    assert Job.objects.get(pk=imported.pk).status == Job.Status.COMPLETED
    assert changes_shown(page) == preview
    assert list(Site.objects.order_by("name").values_list("name", "description")) == [
        ("Belgrade", "Capital city"),
        ("Nis", "South"),
    ]

    page.click("#bulk-revert a")
    page.wait_for_url(f"**/admin/bulkops/job/{imported.pk}/revert/")
    assert "1 object" in page.inner_text("#content") or "restore" in page.inner_text("#content")
    shoot(page, "revert-confirm")
    page.click("input[type=submit][value^='Yes, revert']")
    revert = Job.objects.get(operation="revert")
    page.wait_for_url(f"**/admin/bulkops/job/{revert.pk}/change/")
    until_finished(page, revert)
    revert.refresh_from_db()
    assert (revert.status, revert.updated, revert.deleted) == (Job.Status.COMPLETED, 1, 1)
    assert list(Site.objects.values_list("name", "description")) == [("Belgrade", "Capital")]
    page.locator("#bulk-changes").scroll_into_view_if_needed()
    shoot(page, "revert-done")

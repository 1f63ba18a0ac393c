"""The seed workflow in Serbian, in a real browser whose language is Serbian (Latin): a new bulk
operation, an import with a bad row, its import status, the job's details and its error file.
The words are SPEC section 10's; the file's columns and Error Message stay as in section 1."""

import csv
import io

import pytest

from config_objects.models import Site
from tests.test_browser import CHROMIUM, MP, PASSWORD, browser, shoot, worker  # noqa: F401

pytestmark = [pytest.mark.usefixtures("catalogue_defaults"), pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def serbian_page(browser, live_server, django_user_model):  # noqa: F811
    django_user_model.objects.create_superuser("ana", "ana@example.com", PASSWORD)
    context = browser.new_context(viewport={"width": 1280, "height": 820}, accept_downloads=True, locale="sr-Latn")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(f"{live_server.url}/admin/login/")
    tab.fill("#id_username", "ana")
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url(f"{live_server.url}/admin/")
    yield tab
    context.close()


def test_the_seed_workflow_in_serbian(serbian_page, live_server, worker, tmp_path):  # noqa: F811
    tab = serbian_page
    upload = tmp_path / "lokacije.csv"
    upload.write_text(f"Name,Description,Multimedia Profile\nBeograd,Prestonica,{MP}\nNiš,Jug,Nema takvog\n")

    tab.goto(f"{live_server.url}/admin/bulkops/job/")
    assert tab.text_content("#bulk-new").strip() == "Nova masovna operacija"
    assert "Masovne operacije" in tab.inner_text("#content")
    shoot(tab, "sr-dashboard-empty")

    tab.click("#bulk-new")
    tab.select_option("#bulk-object", "site")
    assert tab.text_content("#bulk-object option[value=site]").strip() == "Lokacija"
    tab.check("#bulk-mode-import")
    tab.set_input_files("#bulk-file", str(upload))
    shoot(tab, "sr-dialog-import")
    tab.click("#bulk-upload")
    tab.wait_for_selector("#bulk-status:not([hidden])")
    tab.wait_for_function(
        "() => document.getElementById('bulk-status-label').textContent === 'Završeno sa greškama'", timeout=60_000
    )
    assert tab.text_content("#bulk-dialog-title") == "Status uvoza"
    shoot(tab, "sr-import-status")

    with tab.expect_download() as download:
        tab.click("#bulk-errors")
    assert tab.text_content("#bulk-errors").strip() == "Izvezi greške u CSV"
    errors_file = tmp_path / "greske.csv"
    download.value.save_as(errors_file)
    rows = list(csv.reader(io.StringIO(errors_file.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Name", "Description", "Multimedia Profile", "Error Message"]
    assert rows[1][:3] == ["Niš", "Jug", "Nema takvog"]
    assert "Nema takvog" in rows[1][3] and "ne postoji" in rows[1][3]  # the message is in Serbian
    assert list(Site.objects.values_list("name", flat=True)) == ["Beograd"]

    tab.click("#bulk-details")
    tab.wait_for_selector("#bulk-status-label")
    assert tab.text_content("#bulk-status-label").strip() == "Završeno sa greškama"
    content = tab.inner_text("#content")
    for words in ("ID posla", "Ime datoteke", "Objekat", "Poslao", "Izvezi greške u CSV"):
        assert words in content, words
    shoot(tab, "sr-job-details")

    tab.goto(f"{live_server.url}/admin/bulkops/job/")
    tab.wait_for_selector("text=Završeno sa greškama")
    shoot(tab, "sr-dashboard")

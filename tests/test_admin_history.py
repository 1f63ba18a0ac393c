"""Each object's admin History (SPEC section 8): when, who, which job, and the columns that changed,
before -> after, as an export writes them; a save that changed nothing leaves no record."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config_objects import models as m
from tests import factories as f
from tests.bulk import csv_text, run, write

HEADER = "Name,Description,Multimedia Profile"
PROFILE = "Default Multimedia Profile"


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789"))
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(page) -> dict:
    """What the change page's form would post back unchanged."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
    return data


def save(client, obj, **changes):
    page = client.get(url(type(obj), "change", obj.pk))
    response = client.post(url(type(obj), "change", obj.pk), form_data(page) | changes)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def history(client, obj):
    page = client.get(url(type(obj), "history", obj.pk))
    assert page.status_code == 200
    return page


def changes(record) -> list[tuple[str, str, str]]:
    return [(c["field"], c["old"], c["new"]) for c in getattr(record, "history_delta_changes", [])]


def test_an_admin_edit_shows_the_changed_column_and_who(admin_client):
    site = f.make_site(description="old")
    save(admin_client, site, description="new")
    page = history(admin_client, site)
    records = list(page.context["page_obj"])
    assert [r.history_type for r in records] == ["~", "+"]
    assert changes(records[0]) == [("Description", "old", "new")]
    assert ("Name", "", "Belgrade") in changes(records[1])
    html = page.content.decode()
    assert "<strong>Description</strong>: old → new" in html and "root" in html
    assert records[0].bulk_job == "\u2013"
    assert admin_client.get(url(m.Site, "simple_history", site.pk, records[1].pk)).status_code == 200


def test_an_import_jobs_change_names_its_job(admin_client, sync_jobs, tmp_path):
    run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Belgrade,old,{PROFILE}"))))
    imported = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Belgrade,new,{PROFILE}"))))
    assert imported.code == 0, imported.err
    site = m.Site.objects.get(name="Belgrade")
    page = history(admin_client, site)
    latest = page.context["page_obj"][0]
    assert changes(latest) == [("Description", "old", "new")]
    job_url = reverse("admin:bulkops_job_change", args=[imported.job.pk])
    assert f'<a href="{job_url}">Job {imported.job.pk}</a>' in page.content.decode()


def headings(html: str) -> list[str]:
    table = html.split('id="change-history"', 1)[1].split("</thead>", 1)[0]
    return [cell.split("<", 1)[0] for cell in table.split('<th scope="col">')[1:]]


def test_the_history_page_heads_its_columns_in_words_and_writes_an_empty_value_as_a_dash(admin_client):
    site = f.make_site(description="")
    save(admin_client, site, description="new")
    html = history(admin_client, site).content.decode()
    assert headings(html) == ["Object", "Date/time", "Action", "Changed by", "Job", "Changes"]
    assert "bulk_job" not in html and "Change reason" not in html and "None" not in html
    assert "<strong>Description</strong>: \u2013 → new" in html
    assert "<td>Updated</td>" in html and "<td>Created</td>" in html


def test_the_history_page_speaks_serbian(admin_client):
    site = f.make_site(description="")
    save(admin_client, site, description="new")
    page = admin_client.get(url(m.Site, "history", site.pk), HTTP_ACCEPT_LANGUAGE="sr-latn")
    assert headings(page.content.decode()) == ["Objekat", "Datum/vreme", "Radnja", "Izmenio", "Posao", "Izmene"]
    assert "<td>Ažurirano</td>" in page.content.decode() and "<td>Napravljeno</td>" in page.content.decode()
    assert "<title>Istorija: Belgrade |" in page.content.decode()  # simple-history: "View history: %s"


def test_a_list_only_change_is_recorded_with_the_list(admin_client):
    first = f.make_team()
    second = f.make_team("Tier 2 Belgrade", site=first.site)
    user = f.make_user(site=first.site, desktop_profile=f.make_agent_profile())
    save(admin_client, user, teams=[str(first.pk)])
    before = user.history.count()
    save(admin_client, user, teams=[str(first.pk), str(second.pk)])
    assert user.history.count() == before + 1
    records = list(history(admin_client, user).context["page_obj"])
    assert changes(records[0]) == [("Teams", "Tier 1 Belgrade", "Tier 1 Belgrade|Tier 2 Belgrade")]
    assert changes(records[1]) == [("Teams", "", "Tier 1 Belgrade")]


def test_an_inline_only_change_is_recorded_with_the_child_rows(admin_client):
    ani = f.make_outdial_ani()
    page = admin_client.get(url(m.OutdialANI, "change", ani.pk))
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    entry = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-name": "Main", f"{prefix}-0-number": "+14155550199"}
    response = admin_client.post(url(m.OutdialANI, "change", ani.pk), form_data(page) | entry)
    assert response.status_code == 302, response.context["errors"]
    latest = history(admin_client, ani).context["page_obj"][0]
    assert changes(latest) == [("Entry Name", "", "Main"), ("Entry Number", "", "+14155550199")]


def test_a_save_that_changes_nothing_leaves_no_record(admin_client):
    site = f.make_site(description="same")
    before = site.history.count()
    save(admin_client, site)
    assert site.history.count() == before
    user = f.make_user()
    before = user.history.count()
    save(admin_client, user)
    assert user.history.count() == before


def test_the_history_page_makes_the_same_queries_for_2_or_12_records(admin_client):
    site = f.make_site(description="v0")
    save(admin_client, site, description="v1")
    with CaptureQueriesContext(connection) as few:
        history(admin_client, site)
    for number in range(2, 12):
        save(admin_client, site, description=f"v{number}")
    with CaptureQueriesContext(connection) as many:
        page = history(admin_client, site)
    assert len(page.context["page_obj"]) == 12
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_shipped_default_row_has_its_history_page(admin_client):
    profile = m.MultimediaProfile.objects.get(name="Default Multimedia Profile")
    assert admin_client.get(url(m.MultimediaProfile, "history", profile.pk)).status_code == 200

"""The admin shows every object under Contact Center, without per-row queries."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config_objects import models as m
from config_objects.registry import OBJECT_TYPES
from tests import factories as f
from tests.test_objects import twin_of

pytestmark = pytest.mark.django_db

ALL_MODELS = [t.model for t in OBJECT_TYPES]


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789"))
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def populate(model, start, count):
    """`count` more rows of `model`: copies of its first sample under other keys."""
    sample = model.objects.order_by("pk").first()
    for number in range(start, start + count):
        key = f"n{number}@example.com" if model.key_field == "email" else None
        key = key or (f"+1415555{number:04}" if model.key_field == "dialed_number" else f"Item {number}")
        twin_of(sample, key).save()


def test_the_index_groups_all_objects_under_contact_center(admin_client):
    page = admin_client.get(reverse("admin:index"))
    assert page.status_code == 200
    apps = {app["name"]: app for app in page.context["app_list"]}
    listed = {model["object_name"] for model in apps["Contact Center"]["models"]}
    assert listed == {model.__name__ for model in ALL_MODELS} | {"Job", "ScheduledImport"}


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_every_changelist_and_add_page_opens(admin_client, model):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200
    assert admin_client.get(url(model, "changelist"), {"q": "x"}).status_code == 200


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_a_changelist_makes_the_same_queries_for_2_or_12_rows(admin_client, model, world):
    populate(model, 0, 2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url(model, "changelist")).status_code == 200
    populate(model, 2, 10)
    with CaptureQueriesContext(connection) as many:
        page = admin_client.get(url(model, "changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_count == model.objects.count() >= 12
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_every_change_page_opens(admin_client, world):
    for model in ALL_MODELS:
        for obj in model.objects.all():
            assert admin_client.get(url(model, "change", obj.pk)).status_code == 200, obj


def test_deleting_a_referenced_site_in_the_admin_lists_what_protects_it(admin_client):
    team = f.make_team()
    page = admin_client.get(url(m.Site, "delete", team.site.pk))
    assert page.status_code == 200
    assert "Tier 1 Belgrade" in page.content.decode()
    assert page.context["protected"]
    admin_client.post(url(m.Site, "delete", team.site.pk), {"post": "yes"})
    assert m.Site.objects.filter(pk=team.site.pk).exists()


def user_form(**values):
    return {
        "email": "Mila@Example.com",
        "user_profile": f.make_user_profile().pk,
        "contact_center_enabled": "on",
        "first_name": "",
        "last_name": "",
        "external_id": "",
        "default_dn": "",
    } | values


def test_a_user_is_added_with_teams_of_its_site_in_the_admin(admin_client):
    team = f.make_team()
    profile = f.make_agent_profile()
    response = admin_client.post(
        url(m.ContactCenterUser, "add"),
        user_form(site=team.site.pk, teams=[team.pk], desktop_profile=profile.pk),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = m.ContactCenterUser.objects.get()
    assert user.email == "mila@example.com"
    assert list(user.teams.all()) == [team]


def test_the_admin_refuses_a_team_of_another_site_with_the_rules_message(admin_client):
    team = f.make_team()
    nis = f.make_site("Nis")
    response = admin_client.post(
        url(m.ContactCenterUser, "add"),
        user_form(site=nis.pk, teams=[team.pk], desktop_profile=f.make_agent_profile().pk),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "team 'Tier 1 Belgrade' belongs to site 'Belgrade', not 'Nis'" in errors["teams"][0]
    assert not m.ContactCenterUser.objects.exists()


def test_a_queue_with_distribution_groups_is_saved_and_checked_in_the_admin(admin_client):
    a, b = f.make_team("A"), f.make_team("B")
    form = {
        "name": "Billing",
        "description": "",
        "channel_type": "TELEPHONY",
        "max_time_in_queue": "600",
        "service_level_threshold": "30",
        "timezone": "Europe/Belgrade",
        "routing_type": "LONGEST_AVAILABLE_AGENT",
        "skill_based_agent_selection": "",
        "groups-TOTAL_FORMS": "2",
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "1",
        "groups-MAX_NUM_FORMS": "1000",
        "groups-0-seq": "1",
        "groups-0-fallback_time": "",
        "groups-0-teams": [a.pk],
        "groups-1-seq": "2",
        "groups-1-fallback_time": "",
        "groups-1-teams": [a.pk, b.pk],
    }
    response = admin_client.post(url(m.Queue, "add"), form)
    assert response.status_code == 200
    problems = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert "Group Fallback Time is required for group 2" in problems
    assert "Group Teams: team 'A' appears in group 1 and group 2" in problems
    form |= {"groups-1-fallback_time": "45", "groups-1-teams": [b.pk]}
    assert admin_client.post(url(m.Queue, "add"), form).status_code == 302
    queue = m.Queue.objects.get(name="Billing")
    assert [(g.seq, g.fallback_time, [t.name for t in g.teams.all()]) for g in queue.groups.all()] == [
        (1, None, ["A"]),
        (2, 45, ["B"]),
    ]


def test_a_browser_asking_for_favicon_ico_gets_the_icon(client):
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 301 and client.get(redirect["Location"]).status_code == 200


def test_the_users_list_names_a_user_in_one_column_so_it_fits_1280_px(admin_client):
    f.make_user("ana@example.com", first_name="Ana", last_name="Petrović", site=f.make_site())
    f.make_user("jovan@example.com")
    page = admin_client.get(url(m.ContactCenterUser, "changelist"))
    headers = [str(column["text"]) for column in page.context["result_headers"]][1:]  # after the checkbox
    assert headers == ["Email", "Name", "User Profile", "Site", "Contact Center Enabled"]
    html = page.content.decode()
    assert '<td class="field-full_name">Ana Petrović</td>' in html
    assert '<td class="field-full_name">\u2013</td>' in html
    assert "#changelist table thead th { white-space: normal; }" in html  # headings wrap, as values do

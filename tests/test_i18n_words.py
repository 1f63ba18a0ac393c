"""The Serbian a new user tripped over (issue 25): a job's operation as a noun ("Posao 15: Lokacija,
uvoz"), the dialog's buttons as verbs ("Uvezi"); list filter headings as whole phrases ("Po statusu");
the API tokens' section in Serbian; the product's "Dodaj: tim" instead of Django's "Dodaj objekat klase
tim"; "DN je obavezan"."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token

from bulkops.models import Job
from config_objects import models as m
from config_objects.models.fields import english
from config_objects.templatetags.filter_headings import filter_heading
from tests import factories as f
from tests.test_i18n import CHANGELIST, SERBIAN, login, upload


def filter_titles() -> dict[str, object]:
    """Every list filter's title in the admin, by its English text: the field's label, or the filter's own."""
    titles = {}
    for model, model_admin in admin.site._registry.items():
        for item in model_admin.list_filter:
            name, chosen = item if isinstance(item, (list, tuple)) else (item, None)
            if not isinstance(name, str):
                titles[english(name.title)] = name.title
            elif chosen is not None and getattr(chosen, "title", None):
                titles[english(chosen.title)] = chosen.title
            else:
                field = get_fields_from_path(model, name)[-1]
                title = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name
                titles[english(title)] = title
    return titles


def test_every_list_filter_of_the_admin_has_a_serbian_heading_of_one_phrase():
    titles = filter_titles()
    assert {"status", "Site", "Contact Center Enabled", "object"} <= set(titles)
    with translation.override("sr-latn"):
        headings = {english: filter_heading(title) for english, title in titles.items()}
    assert [english for english, heading in headings.items() if not heading.startswith("Po ")] == []
    assert headings["status"] == "Po statusu"
    with translation.override("en"):
        assert filter_heading(titles["status"]) == "By status"
        assert filter_heading(titles["Contact Center Enabled"]) == "By Contact Center Enabled"


def test_the_users_list_heads_its_filters_with_phrases_in_both_languages(admin_client):
    f.make_user(site=f.make_site())  # a filter of related objects shows once there are some
    users = reverse("admin:config_objects_contactcenteruser_changelist")
    serbian = admin_client.get(users, **SERBIAN).content.decode()
    assert "Po lokaciji" in serbian and "Po uključenosti u kontakt centar" in serbian
    assert "Izaberite za izmenu: korisnik" in serbian and "objekat klase" not in serbian
    english = admin_client.get(users, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "By Site" in english and "By Contact Center Enabled" in english


def test_an_add_page_says_dodaj_and_the_object_not_djangos_object_of_class(admin_client):
    page = admin_client.get(reverse("admin:config_objects_team_add"), **SERBIAN).content.decode()
    assert "<title>Dodaj: tim |" in page
    assert "objekat klase" not in page
    team = f.make_team()
    change = admin_client.get(reverse("admin:config_objects_team_change", args=[team.pk]), **SERBIAN)
    assert "Izmena: tim" in change.content.decode()


def test_the_api_tokens_section_of_the_admin_speaks_serbian(admin_client, admin_user):
    Token.objects.create(user=admin_user)
    index = admin_client.get(reverse("admin:index"), **SERBIAN).content.decode()
    assert "API tokeni" in index and "Auth Token" not in index
    tokens = admin_client.get(reverse("admin:authtoken_tokenproxy_changelist"), **SERBIAN).content.decode()
    assert "Izaberite za izmenu: API token" in tokens and "Ključ" in tokens


@pytest.mark.usefixtures("sync_jobs")
def test_a_jobs_operation_is_a_noun_and_the_dialogs_choice_a_verb(django_user_model):
    client = login(django_user_model, **SERBIAN)
    upload(client)
    job = Job.objects.get()
    details = client.get(reverse("admin:bulkops_job_change", args=[job.pk])).content.decode()
    assert f"Posao {job.pk}: Lokacija, uvoz" in details
    dashboard = client.get(CHANGELIST).content.decode()
    assert "Uvezi" in dashboard and "Izvezi" in dashboard  # the New bulk operation dialog's choices
    with translation.override("sr-latn"):
        labels = [str(label) for label in Job.Operation.labels]
    assert labels == ["Uvoz", "Izvoz", "Samo provera", "Vraćanje"]


@pytest.mark.django_db
def test_a_required_column_is_obavezan():
    team = f.build_team(type="CAPACITY", capacity=3, dn="")
    with translation.override("sr-latn"):
        with pytest.raises(ValidationError) as refused:
            team.clean()
        assert "DN je obavezan za timove CAPACITY" in refused.value.messages
        assert str(m.Team._meta.get_field("name").error_messages["blank"]) == "Name je obavezan"

"""Adding an object needs no change to bulkops: tests/extension declares Business Hours (a model, its
Resource, its admin and a migration) and it imports, validates, exports and shows in the dashboard.
Its import/export cases are in test_bulk_objects like every other object's; the system checks
report an object declared only in part."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from config_objects import checks
from config_objects import columns as declarations
from config_objects.registry import object_type
from tests.bulk import csv_text, run, write
from tests.extension.admin import BusinessHoursAdmin
from tests.extension.models import BusinessHours
from tests.extension.resources import BusinessHoursResource
from tests.factories import make_site

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Site,Timezone,Open All Day,Opens At"


def test_the_object_is_found_by_its_declared_names():
    found = object_type("Business Hours")
    assert (found.slug, found.model, found.resource) == ("business-hours", BusinessHours, BusinessHoursResource)
    assert object_type("businesshours") is found


def test_validate_only_reports_the_counts_and_changes_nothing(tmp_path):
    make_site("Belgrade")
    path = write(tmp_path, csv_text(HEADER, "Weekdays,,Belgrade,Europe/Belgrade,no,8", "Broken,,Nope,UTC,no,"))
    outcome = run("bulk_import", "business-hours", str(path), "--validate-only")
    assert outcome.code == 3
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors() == {3: "Site 'Nope' does not exist"}
    assert not BusinessHours.objects.exists()


def test_the_dashboard_offers_it_and_its_template(tmp_path):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789"))
    choices = client.get(reverse("admin:bulkops_job_changelist")).context["object_choices"]
    assert {"slug": "business-hours", "label": "Business Hours"}.items() <= next(
        c for c in choices if c["slug"] == "business-hours"
    ).items()
    template = client.get(reverse("admin:bulkops_job_template", args=["business-hours"]))
    assert template.content.decode("utf-8-sig") == HEADER + "\r\n"
    index = client.get(reverse("admin:index")).context["app_list"]
    contact_center = next(app for app in index if app["name"] == "Contact Center")
    assert "BusinessHours" in {model["object_name"] for model in contact_center["models"]}


def test_the_checks_pass_for_a_whole_declaration():
    assert checks.check_bulk_objects() == []


def test_a_model_without_its_resource_is_reported(monkeypatch):
    monkeypatch.setattr(declarations, "DECLARED", [r for r in declarations.DECLARED if r is not BusinessHoursResource])
    monkeypatch.setattr("config_objects.registry.DECLARED", declarations.DECLARED)
    assert [problem.id for problem in checks.check_bulk_objects()] == ["config_objects.E004"]


def test_an_object_without_its_admin_is_reported():
    admin.site.unregister(BusinessHours)
    try:
        problems = checks.check_bulk_objects()
    finally:
        admin.site.register(BusinessHours, BusinessHoursAdmin)
    assert [problem.id for problem in problems] == ["config_objects.E003"]
    assert "BusinessHours has no admin" in problems[0].msg

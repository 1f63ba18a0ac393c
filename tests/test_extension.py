"""Adding an object needs no change to bulkops: tests/extension declares Wallboard (a model, its
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
from config_objects.history import history_model
from config_objects.registry import object_type
from tests.bulk import csv_text, run, write
from tests.extension.admin import WallboardAdmin
from tests.extension.models import Wallboard
from tests.extension.resources import WallboardResource
from tests.factories import make_site

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Site,Timezone,Show All Queues,Refresh Seconds"


def test_the_object_is_found_by_its_declared_names():
    found = object_type("Wallboard")
    assert (found.slug, found.model, found.resource) == ("wallboard", Wallboard, WallboardResource)
    assert object_type("wallboard") is found


def test_validate_only_reports_the_counts_and_changes_nothing(tmp_path):
    make_site("Belgrade")
    path = write(tmp_path, csv_text(HEADER, "Weekdays,,Belgrade,Europe/Belgrade,no,8", "Broken,,Nope,UTC,no,"))
    outcome = run("bulk_import", "wallboard", str(path), "--validate-only")
    assert outcome.code == 3
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors() == {3: "Site 'Nope' does not exist"}
    assert not Wallboard.objects.exists()


def test_the_dashboard_offers_it_and_its_template(tmp_path):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789"))
    choices = client.get(reverse("admin:bulkops_job_changelist")).context["object_choices"]
    assert {"slug": "wallboard", "label": "Wallboard"}.items() <= next(
        c for c in choices if c["slug"] == "wallboard"
    ).items()
    template = client.get(reverse("admin:bulkops_job_template", args=["wallboard"]))
    assert template.content.decode("utf-8-sig") == HEADER + "\r\n"
    index = client.get(reverse("admin:index")).context["app_list"]
    contact_center = next(app for app in index if app["name"] == "Contact Center")
    assert "Wallboard" in {model["object_name"] for model in contact_center["models"]}


def test_the_checks_pass_for_a_whole_declaration():
    assert checks.check_bulk_objects() == []


def test_a_model_without_its_resource_is_reported(monkeypatch):
    monkeypatch.setattr(declarations, "DECLARED", [r for r in declarations.DECLARED if r is not WallboardResource])
    monkeypatch.setattr("config_objects.registry.DECLARED", declarations.DECLARED)
    assert [problem.id for problem in checks.check_bulk_objects()] == ["config_objects.E004"]


def test_an_object_without_its_admin_is_reported():
    admin.site.unregister(Wallboard)
    try:
        problems = checks.check_bulk_objects()
    finally:
        admin.site.register(Wallboard, WallboardAdmin)
    assert [problem.id for problem in problems] == ["config_objects.E003"]
    assert "Wallboard has no admin" in problems[0].msg


def test_its_changes_are_recorded_and_revert_with_no_registration_of_its_own(tmp_path):
    make_site("Belgrade")
    path = write(tmp_path, csv_text(HEADER, "Weekdays,,Belgrade,Europe/Belgrade,no,8"))
    assert run("bulk_import", "wallboard", str(path)).code == 0
    assert [record.name for record in Wallboard.history.all()] == ["Weekdays"]
    assert run("bulk_revert", str(Wallboard.history.get().job_id)).code == 0
    assert not Wallboard.objects.exists()


def test_an_object_without_history_is_reported(monkeypatch):
    def no_history_for_wallboards(model):
        return None if model is Wallboard else history_model(model)

    monkeypatch.setattr(checks, "history_model", no_history_for_wallboards)
    problems = checks.check_bulk_objects()
    assert [problem.id for problem in problems] == ["config_objects.E008"]
    assert "Wallboard has no change history" in problems[0].msg

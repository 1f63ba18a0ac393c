"""The objects that ship a default row (SPEC rows 19-21): the row is updated like any other but never
deleted, by the admin or by a revert, and each says why; a layout is compared as parsed JSON and a dial
plan keeps the spaces of its stripped characters."""

import pytest
from django.urls import reverse

from config_objects import models as m
from tests.bulk import csv_text, run, write

pytestmark = pytest.mark.usefixtures("sync_jobs")


def export(tmp_path, slug) -> str:
    target = tmp_path / f"{slug}.csv"
    assert run("bulk_export", slug, "-o", str(target)).code == 0
    return target.read_bytes().decode("utf-8-sig")


def test_the_default_row_is_updated_by_an_import(tmp_path):
    header = "Name,Description,Blending Mode,Telephony,Chat,Email,Social"
    path = write(tmp_path, csv_text(header, "default multimedia profile ,Ours,BLENDED,1,5,5,5"))
    outcome = run("bulk_import", "multimedia-profile", str(path))
    assert (outcome.code, outcome.counts["updated"]) == (0, 1), outcome.errors()
    profile = m.MultimediaProfile.objects.get(is_default=True)
    assert (profile.name, profile.chat, profile.description) == ("default multimedia profile", 5, "Ours")


def test_the_admin_does_not_delete_a_default_row_and_says_why(admin_client):
    layout = m.DesktopLayout.objects.get(is_default=True)
    page = admin_client.get(reverse("admin:config_objects_desktoplayout_delete", args=[layout.pk]), follow=True)
    assert "&#x27;Global Layout&#x27; is the default desktop layout: it can be updated but never deleted" in (
        page.content.decode()
    )
    changelist = reverse("admin:config_objects_desktoplayout_changelist")
    page = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [layout.pk], "post": "yes"})
    assert "is the default desktop layout: it can be updated but never deleted" in page.content.decode()
    assert m.DesktopLayout.objects.filter(pk=layout.pk).exists()
    change = admin_client.get(reverse("admin:config_objects_desktoplayout_change", args=[layout.pk]))
    assert b"deletelink" not in change.content


def test_a_default_row_cannot_be_renamed(admin_client):
    plan = m.DialPlan.objects.get(is_default=True)
    plan.name = "Renamed"
    with pytest.raises(Exception, match="is the default dial plan: its name cannot change"):
        plan.full_clean()


def test_a_revert_does_not_delete_a_default_row_and_says_why(tmp_path):
    path = write(tmp_path, csv_text("Name,Description,Layout JSON", "Night Layout,,"))
    imported = run("bulk_import", "desktop-layout", str(path))
    # As if the product had shipped it: the revert would delete what the job created.
    m.DesktopLayout.objects.filter(name="Night Layout").update(is_default=True)
    reverted = run("bulk_revert", str(imported.job.pk))
    assert reverted.job.failed == 1
    assert list(reverted.errors().values()) == [
        "Not deleted: 'Night Layout' is the default desktop layout: it can be updated but never deleted"
    ]
    assert m.DesktopLayout.objects.filter(name="Night Layout").exists()


def test_a_layout_is_compared_as_parsed_json_and_exported_compact(tmp_path):
    pretty = '"{\n  ""version"": ""0.1"",\n  ""area"": {""navigation"": {}, ""header"": {""comp"": ""x""}}\n}"'
    compact = '"{""version"":""0.1"",""area"":{""navigation"":{},""header"":{""comp"":""x""}}}"'
    header = "Name,Description,Layout JSON"
    assert run("bulk_import", "desktop-layout", str(write(tmp_path, csv_text(header, f"Agents,,{pretty}")))).code == 0
    assert f"Agents,,{compact}\r\n" in export(tmp_path, "desktop-layout")
    spaced = pretty.replace('"": ""', '"":   ""')
    again = run("bulk_import", "desktop-layout", str(write(tmp_path, csv_text(header, f"Agents,,{spaced}"))))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 1, "failed": 0}


def test_stripped_characters_keep_their_spaces(tmp_path):
    header = "Name,Description,Regular Expression,Prefix,Stripped Characters"
    path = write(tmp_path, csv_text(header, 'Mobile,,^[0-9]+$,,"( )- "'))
    assert run("bulk_import", "dial-plan", str(path)).code == 0
    assert m.DialPlan.objects.get(name="Mobile").stripped_characters == "( )- "
    assert "Mobile,,^[0-9]+$,,( )- \r\n" in export(tmp_path, "dial-plan")
    again = run("bulk_import", "dial-plan", str(path))
    assert again.counts["unchanged"] == 1

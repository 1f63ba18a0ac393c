"""Global variables and threshold rules beyond one row's rules: the limit of 100 active reportable
variables (within a file, and held by the database), Active left empty, the canonical Default Value
in an export, the fixed Entity Type and Entity, and the entity as the admin and a rename see it."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from config_objects import models as m
from tests import factories as f
from tests.bulk import run, write
from tests.object_cases import csv_file
from tests.object_cases_thresholds import QUEUE_RULE
from tests.test_admin import admin_client, url  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("sync_jobs")

HIDDEN = {"Variable Type": "STRING", "Agent Viewable": "FALSE", "Agent Editable": "FALSE"}
LIMIT_MESSAGE = "Reportable 'TRUE' would make more than 100 active reportable variables"


def reportable(number, **cells):
    return {"Name": f"metric_{number}", "Reportable": "TRUE"} | HIDDEN | cells


def test_a_file_of_101_reportable_variables_fails_the_101st(tmp_path):
    rows = [reportable(number) for number in range(101)]
    outcome = run("bulk_import", "global-variable", str(write(tmp_path, csv_file("global-variable", *rows))))
    assert outcome.code == 3
    assert outcome.counts == {"created": 100, "updated": 0, "unchanged": 0, "failed": 1}
    assert list(outcome.errors()) == [102]
    assert LIMIT_MESSAGE in outcome.errors()[102]
    assert m.GlobalVariable.objects.filter(reportable=True, active=True).count() == 100
    assert not m.GlobalVariable.objects.filter(name="metric_100").exists()


def test_validate_only_counts_the_101st_reportable_variable_too(tmp_path):
    rows = [reportable(number) for number in range(101)]
    file = write(tmp_path, csv_file("global-variable", *rows))
    outcome = run("bulk_import", "global-variable", str(file), "--validate-only")
    assert outcome.counts == {"created": 100, "updated": 0, "unchanged": 0, "failed": 1}
    assert not m.GlobalVariable.objects.exists()


def test_inactive_variables_do_not_count_and_deactivating_one_frees_its_place(tmp_path):
    rows = [reportable(number) for number in range(100)] + [reportable(100, Active="FALSE")]
    first = run("bulk_import", "global-variable", str(write(tmp_path, csv_file("global-variable", *rows))))
    assert first.counts["created"] == 101
    swap = [reportable(0, Active="FALSE"), reportable(100, Active="TRUE")]
    second = run("bulk_import", "global-variable", str(write(tmp_path, csv_file("global-variable", *swap))))
    assert second.counts == {"created": 0, "updated": 2, "unchanged": 0, "failed": 0}, second.errors()
    assert m.GlobalVariable.objects.get(name="metric_100").active
    assert m.GlobalVariable.objects.filter(reportable=True, active=True).count() == 100


def test_the_database_refuses_a_101st_reportable_variable_saved_without_validation():
    for number in range(100):
        m.GlobalVariable.objects.create(name=f"v{number}", variable_type="STRING", reportable=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.GlobalVariable.objects.create(name="one_more", variable_type="STRING", reportable=True)


def test_two_imports_cannot_both_take_the_last_reportable_place():
    """Both validated while one place was free: the database lets only one of them have it."""
    for number in range(99):
        m.GlobalVariable.objects.create(name=f"v{number}", variable_type="STRING", reportable=True)
    first = f.build_global_variable("first", reportable=True, agent_viewable=False)
    second = f.build_global_variable("second", reportable=True, agent_viewable=False)
    first.full_clean()
    second.full_clean()
    first.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_an_empty_or_missing_active_column_means_active(tmp_path):
    empty = {"Name": "with_empty", "Reportable": "FALSE", "Active": ""} | HIDDEN
    run("bulk_import", "global-variable", str(write(tmp_path, csv_file("global-variable", empty))))
    header = "Name,Variable Type,Agent Viewable,Agent Editable,Reportable\nwithout_column,STRING,FALSE,FALSE,FALSE\n"
    outcome = run("bulk_import", "global-variable", str(write(tmp_path, header)))
    assert outcome.counts["created"] == 1, outcome.errors()
    assert set(m.GlobalVariable.objects.values_list("name", "active", "sensitive")) == {
        ("with_empty", True, False),
        ("without_column", True, False),
    }


def test_default_values_are_stored_and_exported_in_their_canonical_form(tmp_path):
    rows = [
        {"Name": "retries", "Variable Type": "Integer", "Default Value": "+007"},
        {"Name": "rate", "Variable Type": "decimal", "Default Value": "1.5E+2"},
        {"Name": "vip", "Variable Type": "Boolean", "Default Value": "on"},
        {"Name": "callback_at", "Variable Type": "DateTime", "Default Value": "2026-01-31T10:00:00+01:00"},
        {"Name": "greeting", "Variable Type": "String", "Default Value": "Hello, World"},
    ]
    rows = [row | {"Agent Viewable": "no", "Agent Editable": "no", "Reportable": "no"} for row in rows]
    file = write(tmp_path, csv_file("global-variable", *rows))
    assert run("bulk_import", "global-variable", str(file)).counts["created"] == 5
    exported = tmp_path / "variables.csv"
    assert run("bulk_export", "global-variable", "-o", str(exported)).code == 0
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == [
        "callback_at,,DATE_TIME,2026-01-31T09:00:00Z,FALSE,FALSE,,FALSE,FALSE,TRUE",
        'greeting,,STRING,"Hello, World",FALSE,FALSE,,FALSE,FALSE,TRUE',
        "rate,,DECIMAL,150,FALSE,FALSE,,FALSE,FALSE,TRUE",
        "retries,,INTEGER,7,FALSE,FALSE,,FALSE,FALSE,TRUE",
        "vip,,BOOLEAN,TRUE,FALSE,FALSE,,FALSE,FALSE,TRUE",
    ]
    again = run("bulk_import", "global-variable", str(file))
    assert again.counts["unchanged"] == 5


def test_entity_type_and_entity_are_fixed_once_the_rule_exists(tmp_path):
    f.make_queue("Support")
    f.make_queue("Billing")
    run("bulk_import", "threshold-rule", str(write(tmp_path, csv_file("threshold-rule", QUEUE_RULE))))
    other_queue = QUEUE_RULE | {"Entity": "Billing"}
    moved = run("bulk_import", "threshold-rule", str(write(tmp_path, csv_file("threshold-rule", other_queue))))
    assert moved.errors() == {2: "Entity cannot change once the threshold rule exists (it is 'Support')"}
    other_type = QUEUE_RULE | {"Entity Type": "AGENT", "Entity": "", "Metric": "Current Idle Time"}
    retyped = run("bulk_import", "threshold-rule", str(write(tmp_path, csv_file("threshold-rule", other_type))))
    assert "Entity Type cannot change once the threshold rule exists (it is 'QUEUE')" in retyped.errors()[2]
    assert m.ThresholdRule.objects.get().queue.name == "Support"


def test_a_file_without_the_entity_column_keeps_the_entity(tmp_path):
    f.make_queue("Support")
    run("bulk_import", "threshold-rule", str(write(tmp_path, csv_file("threshold-rule", QUEUE_RULE))))
    header = "Name,Description,Entity Type,Metric,Operand,Trigger Value,Trigger Interval,Agent Viewable\n"
    row = "Long waits,Backlog,QUEUE,Abandoned Calls,GREATER_THAN,5,60,FALSE\n"
    outcome = run("bulk_import", "threshold-rule", str(write(tmp_path, header + row)))
    assert outcome.counts["updated"] == 1, outcome.errors()
    rule = m.ThresholdRule.objects.get()
    assert (rule.description, rule.queue.name, rule.entity) == ("Backlog", "Support", "Support")


def test_an_entity_renamed_in_the_admin_is_exported_by_its_new_name(tmp_path):
    queue = f.make_queue("Support")
    run("bulk_import", "threshold-rule", str(write(tmp_path, csv_file("threshold-rule", QUEUE_RULE))))
    queue.name = "Customer Care"
    queue.save()
    exported = tmp_path / "rules.csv"
    assert run("bulk_export", "threshold-rule", "-o", str(exported)).code == 0
    assert exported.read_text(encoding="utf-8-sig").splitlines()[1].startswith("Long waits,,QUEUE,Customer Care,")
    back = run("bulk_import", "threshold-rule", str(exported))
    assert back.counts["failed"] == 0, back.errors()
    again = run("bulk_import", "threshold-rule", str(exported))
    assert again.counts["unchanged"] == 1


def test_an_object_a_threshold_rule_names_cannot_be_deleted():
    queue = f.make_queue("Support")
    site = f.make_site("Nis")
    team = f.make_team("Tier 2 Nis", site=site)
    entry_point = f.make_entry_point("Sales")
    f.make_threshold_rule("On queue")
    f.make_threshold_rule("On site", entity_type="SITE", entity="Nis", metric="Occupancy", trigger_value=90)
    f.make_threshold_rule("On team", entity_type="TEAM", entity="Tier 2 Nis", metric="Idle Agents")
    f.make_threshold_rule("On entry point", entity_type="ENTRY_POINT", entity="Sales", metric="IVR Calls")
    for target in (queue, team, site, entry_point):
        with pytest.raises(ProtectedError), transaction.atomic():
            target.delete()


def test_the_database_refuses_a_rule_whose_reference_is_not_of_its_entity_type():
    rule = f.make_threshold_rule()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.ThresholdRule.objects.filter(pk=rule.pk).update(entity_type="SITE")


def rule_form(**values):
    return {
        "name": "Long waits",
        "description": "",
        "entity_type": "QUEUE",
        "metric": "Abandoned Calls",
        "operand": "GREATER_THAN",
        "trigger_value": "5",
        "trigger_interval": "60",
        "notification_receivers": "Lead@Example.com | ops@example.com",
    } | values


def test_a_threshold_rule_is_added_in_the_admin_with_its_entity(admin_client):  # noqa: F811
    queue = f.make_queue("Support")
    response = admin_client.post(url(m.ThresholdRule, "add"), rule_form(queue=queue.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = m.ThresholdRule.objects.get()
    assert (rule.entity, rule.queue, rule.notification_receivers) == (
        "Support",
        queue,
        ["lead@example.com", "ops@example.com"],
    )
    assert admin_client.get(url(m.ThresholdRule, "change", rule.pk)).status_code == 200


def test_the_admin_refuses_a_rule_without_the_entity_of_its_type(admin_client):  # noqa: F811
    site = f.make_site("Nis")
    response = admin_client.post(url(m.ThresholdRule, "add"), rule_form(site=site.pk))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["site"] == ["Site must be empty for Entity Type QUEUE"]
    assert "Entity is required for Entity Type QUEUE" in str(errors)
    assert not m.ThresholdRule.objects.exists()


def test_a_global_variable_in_the_admin_gets_the_rules_message(admin_client):  # noqa: F811
    form = {
        "name": "retries",
        "description": "",
        "variable_type": "INTEGER",
        "default_value": "1.5",
        "desktop_label": "",
        "active": "on",
    }
    response = admin_client.post(url(m.GlobalVariable, "add"), form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["default_value"] == ["Default Value '1.5' is not a whole number (Variable Type INTEGER)"]
    assert admin_client.post(url(m.GlobalVariable, "add"), form | {"default_value": "+3"}).status_code == 302
    assert m.GlobalVariable.objects.get().default_value == "3"

"""Call recording and call monitoring schedules (SPEC rows 22-23) beyond the generated tests of
test_bulk_objects.py: the objects a schedule lists keep what made them fit to be listed (their own
imports and admin edits refuse the change), listed objects cannot be deleted, exports write the
canonical form, and the admin applies the same rules."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from config_objects import models as m
from tests import factories as f
from tests.bulk import run, write
from tests.object_cases import csv_file
from tests.object_cases_routing import QUEUE
from tests.object_cases_schedules import MONITORING, RECORDING

pytestmark = pytest.mark.django_db

GROUP = {"Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"}


@pytest.fixture
def listed():
    """A recording schedule 'Night' and a monitoring schedule 'Coaching', each listing a queue, a site,
    a team and people."""
    belgrade = f.make_site("Belgrade")
    team = f.make_team("Tier 1 Belgrade", site=belgrade)
    queue = f.make_recorded_queue("Recorded Line")
    f.make_user_profile("Standard Agent")
    agent = f.make_user("ana@example.com")
    recorded = f.make_user("mila@example.com")
    supervisor = f.make_supervisor("sara@example.com")
    night = f.make_call_recording_schedule("Night")
    night.queues.set([queue])
    night.sites.set([belgrade])
    night.teams.set([team])
    night.users.set([recorded])
    coaching = f.make_call_monitoring_schedule("Coaching", supervisor=supervisor, agent=agent)
    coaching.queues.set([queue])
    return {
        "queue": queue,
        "site": belgrade,
        "team": team,
        "agent": agent,
        "recorded": recorded,
        "supervisor": supervisor,
        "night": night,
        "coaching": coaching,
    }


def import_rows(tmp_path, slug, *rows):
    return run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *rows))))


def queue_row(**changes):
    return {"Name": "Recorded Line"} | QUEUE | GROUP | changes


# -- the queues a schedule lists ---------------------------------------------------------------------


@pytest.mark.usefixtures("sync_jobs")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"Permit Recording": "FALSE"},
            "Permit Recording cannot be FALSE while Call Recording Schedule 'Night' lists this queue",
        ),
        (
            {"Permit Monitoring": "FALSE"},
            "Permit Monitoring cannot be FALSE while Call Monitoring Schedule 'Coaching' lists this queue",
        ),
        (
            {"Channel Type": "CHAT"},
            "Channel Type cannot be CHAT while Call Recording Schedule 'Night' lists this queue",
        ),
    ],
)
def test_a_queue_import_may_not_unfit_a_queue_a_schedule_lists(listed, tmp_path, changes, message):
    outcome = import_rows(tmp_path, "queue", queue_row(**changes))
    assert (outcome.code, outcome.counts["failed"]) == (3, 1)
    assert outcome.errors() == {2: message}
    queue = m.Queue.objects.get(pk=listed["queue"].pk)
    assert (queue.channel_type, queue.permit_recording, queue.permit_monitoring) == ("TELEPHONY", True, True)


@pytest.mark.usefixtures("sync_jobs")
def test_a_queue_only_a_monitoring_schedule_lists_may_stop_permitting_recording_but_stays_telephony(listed, tmp_path):
    listed["night"].queues.set([])
    outcome = import_rows(tmp_path, "queue", queue_row(**{"Permit Recording": "FALSE"}))
    assert outcome.counts["updated"] == 1, outcome.errors()
    outcome = import_rows(tmp_path, "queue", queue_row(**{"Permit Recording": "FALSE", "Channel Type": "EMAIL"}))
    assert outcome.errors() == {
        2: "Channel Type cannot be EMAIL while Call Monitoring Schedule 'Coaching' lists this queue"
    }


@pytest.mark.usefixtures("sync_jobs")
def test_a_queue_no_schedule_lists_may_stop_permitting_recording_and_monitoring(listed, tmp_path):
    listed["night"].queues.set([])
    listed["coaching"].queues.set([])
    changes = {"Permit Recording": "FALSE", "Permit Monitoring": "FALSE", "Channel Type": "CHAT"}
    outcome = import_rows(tmp_path, "queue", queue_row(**changes))
    assert outcome.counts["updated"] == 1, outcome.errors()


# -- the people a schedule names ---------------------------------------------------------------------


@pytest.mark.usefixtures("sync_jobs")
@pytest.mark.parametrize(
    ("who", "profile", "message"),
    [
        ("mila@example.com", "Standard Agent", "Call Recording Schedule 'Night' lists this user"),
        ("ana@example.com", "Standard Agent", "Call Monitoring Schedule 'Coaching' has this user as Agent"),
        ("sara@example.com", "Supervisor", "Call Monitoring Schedule 'Coaching' has this user as Supervisor"),
    ],
)
def test_a_user_a_schedule_names_stays_contact_center_enabled(listed, tmp_path, who, profile, message):
    row = {"Email": who, "User Profile": profile, "Contact Center Enabled": "Off", "Default DN": "+38111000"}
    outcome = import_rows(tmp_path, "user", row)
    assert outcome.errors() == {2: f"Contact Center Enabled cannot be Off while {message}"}
    assert m.ContactCenterUser.objects.get(email=who).contact_center_enabled


@pytest.mark.usefixtures("sync_jobs")
def test_a_supervisor_keeps_a_default_dn(listed, tmp_path):
    row = {"Email": "sara@example.com", "User Profile": "Supervisor", "Contact Center Enabled": "On"}
    outcome = import_rows(tmp_path, "user", row)
    assert outcome.errors() == {
        2: "Default DN cannot be empty while Call Monitoring Schedule 'Coaching' has this user as Supervisor"
    }
    assert m.ContactCenterUser.objects.get(email="sara@example.com").default_dn == "+38111000"


@pytest.mark.usefixtures("sync_jobs")
def test_a_supervisor_keeps_a_supervising_user_profile(listed, tmp_path):
    row = {"Email": "sara@example.com", "User Profile": "Standard Agent", "Contact Center Enabled": "On"}
    outcome = import_rows(tmp_path, "user", row | {"Default DN": "+38111000"})
    assert outcome.errors() == {
        2: "User Profile 'Standard Agent' is of type STANDARD_AGENT, but Call Monitoring Schedule 'Coaching' has "
        "this user as Supervisor, which needs SUPERVISOR or ADMINISTRATOR"
    }
    f.make_user_profile("Admins", profile_type="ADMINISTRATOR")
    moved = import_rows(tmp_path, "user", row | {"User Profile": "Admins", "Default DN": "+38111000"})
    assert moved.counts["updated"] == 1, moved.errors()


@pytest.mark.usefixtures("sync_jobs")
def test_a_user_no_schedule_names_may_be_turned_off(listed, tmp_path):
    f.make_user("free@example.com")
    row = {"Email": "free@example.com", "User Profile": "Standard Agent", "Contact Center Enabled": "Off"}
    assert import_rows(tmp_path, "user", row).counts["updated"] == 1


@pytest.mark.usefixtures("sync_jobs")
def test_a_user_profile_a_supervisor_uses_stays_supervising(listed, tmp_path):
    row = {"Name": "Supervisor", "Active": "TRUE", "Permission Access Level": "ALL", "Resource Access Level": "ALL"}
    outcome = import_rows(tmp_path, "user-profile", row | {"Profile Type": "PREMIUM_AGENT"})
    assert outcome.errors() == {
        2: "Profile Type cannot become PREMIUM_AGENT: user 'sara@example.com' of this profile is the Supervisor of "
        "Call Monitoring Schedule 'Coaching', which needs SUPERVISOR or ADMINISTRATOR"
    }
    assert m.UserProfile.objects.get(name="Supervisor").profile_type == "SUPERVISOR"
    assert import_rows(tmp_path, "user-profile", row | {"Profile Type": "ADMINISTRATOR"}).counts["updated"] == 1


@pytest.mark.usefixtures("sync_jobs")
def test_an_administrator_may_supervise(listed, tmp_path):
    admin_profile = f.make_user_profile("Admins", profile_type="ADMINISTRATOR")
    f.make_supervisor("boss@example.com", user_profile=admin_profile)
    row = {"Name": "Audit", "Sites": "Belgrade"} | MONITORING | {"Supervisor": "boss@example.com"}
    outcome = import_rows(tmp_path, "call-monitoring-schedule", row)
    assert outcome.counts["created"] == 1, outcome.errors()


# -- one object per row, references protected, canonical export ------------------------------------


@pytest.mark.usefixtures("sync_jobs")
def test_a_name_repeated_in_a_file_fails_every_later_row(listed, tmp_path):
    rows = [{"Name": "Weekend", "Sites": "Belgrade"} | RECORDING, {"Name": "WEEKEND ", "Sites": "Belgrade"} | RECORDING]
    outcome = import_rows(tmp_path, "call-recording-schedule", *rows)
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors() == {3: "Name 'WEEKEND' is repeated: it first appears on line 2"}


@pytest.mark.parametrize("target", ["queue", "site", "team", "recorded", "agent", "supervisor"])
def test_what_a_schedule_lists_cannot_be_deleted(listed, target):
    obj = listed[target]
    with pytest.raises(ProtectedError), transaction.atomic():
        obj.delete()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_deleting_a_schedule_leaves_what_it_listed(listed):
    listed["night"].delete()
    listed["coaching"].delete()
    assert not m.CallRecordingScheduleQueue.objects.exists()
    assert m.Queue.objects.filter(pk=listed["queue"].pk).exists()
    listed["recorded"].delete()  # nothing names it any more


def test_the_database_refuses_an_end_before_the_start(listed):
    schedules = m.CallRecordingSchedule.objects.filter(pk=listed["night"].pk)
    for change in (
        {"end_date": datetime.date(2025, 1, 1)},
        {"end_time": datetime.time(8, 0)},
        {"percentage": 0},
        {"days": ""},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            schedules.update(**change)


@pytest.mark.usefixtures("sync_jobs")
def test_an_export_writes_days_times_lists_and_emails_in_canonical_form(listed, tmp_path):
    f.make_site("Nis")
    row = (
        {
            "Name": "Weekend",
            "Sites": "nis|BELGRADE",
            "Users": "Sara@Example.com|MILA@example.com",
        }
        | RECORDING
        | {"Days": "sun|Sat|mon", "Start Time": "7:05", "End Date": ""}
    )
    assert import_rows(tmp_path, "call-recording-schedule", row).counts["created"] == 1
    target = tmp_path / "export.csv"
    assert run("bulk_export", "call-recording-schedule", "-o", str(target)).code == 0
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[2] == (
        "Weekend,50,Europe/Belgrade,2026-01-01,,MON|SAT|SUN,07:05,17:00,,Belgrade|Nis,,"
        "mila@example.com|sara@example.com"
    )


# -- the admin ---------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789"))
    return client


def form_messages(page) -> list[str]:
    return [message for messages in page.context["adminform"].form.errors.values() for message in messages]


def schedule_form(**fields):
    return {
        "name": "Weekend",
        "timezone": "Europe/Belgrade",
        "start_date": "2026-01-01",
        "end_date": "",
        "days": ["SUN", "SAT"],
        "start_time": "08:00",
        "end_time": "12:00",
    } | fields


def test_a_recording_schedule_is_added_in_the_admin_with_days_in_week_order(admin_client, listed):
    data = schedule_form(percentage="20", queues=[listed["queue"].pk], users=[listed["agent"].pk])
    page = admin_client.post(reverse("admin:config_objects_callrecordingschedule_add"), data)
    assert page.status_code == 302, page.context["adminform"].form.errors
    saved = m.CallRecordingSchedule.objects.get(name="Weekend")
    assert (saved.days, list(saved.users.all())) == ("SAT|SUN", [listed["agent"]])
    change = admin_client.get(reverse("admin:config_objects_callrecordingschedule_change", args=[saved.pk]))
    assert change.context["adminform"].form["days"].value() == ["SAT", "SUN"]


def test_the_admin_refuses_a_schedule_with_the_rules_messages(admin_client, listed):
    page = admin_client.post(reverse("admin:config_objects_callrecordingschedule_add"), schedule_form(percentage="20"))
    assert page.status_code == 200
    assert "At least one of Queues, Sites, Teams, Users is required" in form_messages(page)
    data = schedule_form(supervisor=listed["agent"].pk, sites=[listed["site"].pk], end_time="07:00")
    page = admin_client.post(reverse("admin:config_objects_callmonitoringschedule_add"), data)
    errors = form_messages(page)
    not_supervising = "of type STANDARD_AGENT, not SUPERVISOR or ADMINISTRATOR"
    assert f"Supervisor 'ana@example.com' has User Profile 'Standard Agent' {not_supervising}" in errors
    assert "End Time '07:00' must be after Start Time '08:00'" in errors
    assert not m.CallMonitoringSchedule.objects.filter(name="Weekend").exists()


def test_the_admin_refuses_to_unfit_a_user_profile_a_supervisor_uses(admin_client, listed):
    profile = listed["supervisor"].user_profile
    data = {
        "name": profile.name,
        "description": "",
        "profile_type": "STANDARD_AGENT",
        "active": "on",
        "permission_access_level": "ALL",
        "resource_access_level": "ALL",
    }
    page = admin_client.post(reverse("admin:config_objects_userprofile_change", args=[profile.pk]), data)
    assert page.status_code == 200
    assert "Profile Type cannot become STANDARD_AGENT" in form_messages(page)[0]
    assert m.UserProfile.objects.get(pk=profile.pk).profile_type == "SUPERVISOR"

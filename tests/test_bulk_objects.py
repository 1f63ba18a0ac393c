"""Every bulk object through `bulk_import` / `bulk_export`: its template is the SPEC's header; rows
create, update and leave unchanged; each rule fails its row with a message naming column and value;
an export imports back with every row unchanged."""

import csv
import io

import pytest

from config_objects import models as m
from config_objects.registry import OBJECT_TYPES, object_type
from tests import factories as f
from tests.bulk import run, write

pytestmark = pytest.mark.usefixtures("sync_jobs")

# Typed from SPEC section 1, not taken from the code.
SPEC_COLUMNS = {
    "site": "Name, Description, Multimedia Profile",
    "work-type": "Name, Description, Type",
    "entry-point": "Name, Description, Service Level Threshold, Timezone, Channel Type, Social Channel Type, "
    "Asset Name, Maximum Active Contacts",
    "outdial-entry-point": "Name, Description, Service Level Threshold, Timezone, Outdial Queue",
    "queue": "Name, Description, Channel Type, Max Time In Queue, Service Level Threshold, Timezone, "
    "Permit Monitoring, Permit Recording, Record All Calls, Pause or Resume Enabled, Recording Pause Duration, "
    "Default Music in Queue, Routing Type, Skill-Based Agent Selection, Distribution Group Seq, "
    "Group Fallback Time, Group Teams",
    "outdial-queue": "Name, Description, Service Level Threshold, Timezone, Permit Monitoring, Permit Recording, "
    "Record All Calls, Default Music in Queue, Distribution Group Seq, Group Fallback Time, Group Teams",
    "skill-definition": "Name, Description, Service Level Threshold, Type, List Values For Enum",
    "skill-profile": "Name, Description, Skill Name, Skill Values, Delete",
    "auxiliary-code": "Name, Description, Default, Work Type",
    "address-book": "Name, Description, Parent Type, Site, Entry Name, Entry Number, Delete",
    "team": "Name, Site, Type, Multimedia Profile, Skill Profile, DN, Capacity, Desktop Layout",
    "agent-profile": "Name, Description, Parent Site, Screen Popups, Last Agent Routing, Wrap Up Type, "
    "Auto Wrap Up Time, Agent Available After Outdial, Allow Auto Wrap Up Extension, Wrap Up Options, "
    "Wrap Up Codes, Idle Options, Idle Codes, Transfer Options, Transfer Targets, Buddy Team Option, Buddy Teams, "
    "Consult To Queue, Outdial Enabled, Outdial EP, Address Book, Dial Plan Enabled, Dial Plan, Outdial ANI, "
    "DN Validation Option, Validation Criteria, Agent Statistics, Queue Statistics Option, Selected Queues, "
    "Logged In Team Statistics, Team Statistics Option, Selected Teams, Agent Threshold Alerts Enabled, "
    "Agent Threshold Alerts",
    "user": "Email, First Name, Last Name, User Profile, Contact Center Enabled, Site, Teams, Skill Profile, "
    "Desktop Profile, Multimedia Profile, External Id, Default DN",
    "user-profile": "Name, Description, Profile Type, Active, Permission Access Level, Resource Access Level",
    "dn-mapping": "Dialed Number, Entry Point, Region",
    "outdial-ani": "Name, Description, Entry Name, Entry Number, Delete",
    # Not in the SPEC: the test-only object of tests/extension, added as README's "Adding an object" says.
    "business-hours": "Name, Description, Site, Timezone, Open All Day, Opens At",
}


def columns(slug):
    return SPEC_COLUMNS[slug].split(", ")


def csv_file(slug, *rows):
    """A CSV with the SPEC header of `slug` and one line per dict of cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns(slug))
    for row in rows:
        unknown = set(row) - set(columns(slug))
        assert not unknown, unknown
        writer.writerow([row.get(name, "") for name in columns(slug)])
    return buffer.getvalue()


@pytest.fixture
def world():
    """What the rows refer to."""
    belgrade, nis = f.make_site("Belgrade"), f.make_site("Nis")
    f.make_skill_definition("Language", type="ENUM", enum_values=["English", "Serbian"])
    f.make_skill_definition("Level")
    f.make_skill_definition("Certified", type="BOOLEAN")
    f.make_skill_profile("Base")
    f.make_team("Tier 1 Belgrade", site=belgrade)
    f.make_team("Tier 2 Nis", site=nis)
    f.make_user_profile("Standard Agent")
    f.make_agent_profile("Agents")
    f.make_agent_profile("Nis Desk", parent_site=nis)
    f.make_entry_point("Sales")
    callbacks = f.make_outdial_queue("Callbacks")
    m.OutdialQueueGroup.objects.create(queue=callbacks, seq=1).teams.set([m.Team.objects.get(name="Tier 2 Nis")])
    f.make_outdial_entry_point("Outbound Sales")
    f.make_audio_file("hold-music.wav")
    f.make_auxiliary_code("Lunch", work_type=f.make_work_type("Break"))
    f.make_auxiliary_code("Sold", work_type=f.make_work_type("After Call", type="WRAP_UP_CODE"))
    f.make_address_book("Partners")
    f.make_outdial_ani("Main numbers")
    support = f.make_queue("Support")
    m.QueueGroup.objects.create(queue=support, seq=1).teams.set([m.Team.objects.get(name="Tier 1 Belgrade")])


MP = {"Multimedia Profile": "Default Multimedia Profile"}
EP = {"Service Level Threshold": "20", "Timezone": "Europe/Belgrade", "Channel Type": "TELEPHONY"}
QUEUE = {
    "Channel Type": "TELEPHONY",
    "Max Time In Queue": "600",
    "Service Level Threshold": "30",
    "Timezone": "Europe/Belgrade",
    "Permit Monitoring": "TRUE",
    "Permit Recording": "TRUE",
    "Record All Calls": "FALSE",
    "Pause or Resume Enabled": "FALSE",
    "Routing Type": "LONGEST_AVAILABLE_AGENT",
}
OUTDIAL_QUEUE = {
    "Service Level Threshold": "30",
    "Timezone": "UTC",
    "Permit Monitoring": "TRUE",
    "Permit Recording": "FALSE",
    "Record All Calls": "FALSE",
}
PROFILE = {
    "Wrap Up Type": "MANUAL",
    "Wrap Up Options": "ALL",
    "Idle Options": "ALL",
    "Transfer Options": "ALL",
    "Buddy Team Option": "ALL",
    "Queue Statistics Option": "ALL",
    "Team Statistics Option": "ALL",
    "DN Validation Option": "UNRESTRICTED",
}
USER = {"User Profile": "Standard Agent", "Contact Center Enabled": "On"}
USER_PROFILE = {"Profile Type": "SUPERVISOR", "Active": "TRUE", "Permission Access Level": "ALL"}

# slug: (rows that create objects, rows that update the first of them, [(bad row, message), ...])
CASES = {
    "site": (
        [{"Name": "Novi Sad"} | MP, {"Name": "Kragujevac", "Description": "=SUM(A1) @ HQ"} | MP],
        [{"Name": "Novi Sad", "Description": "Vojvodina"} | MP],
        [
            ({"Name": "Bad|Name"} | MP, "Name 'Bad|Name' may contain only letters, digits, '-', '_' and spaces"),
            ({"Name": "Subotica", "Multimedia Profile": "Nope"}, "Multimedia Profile 'Nope' does not exist"),
            ({"Name": "Subotica", "Multimedia Profile": ""}, "Multimedia Profile is required"),
            ({"Name": "Subotica", "Description": "d" * 256} | MP, "Description is longer than 255 characters"),
        ],
    ),
    "work-type": (
        [{"Name": "Coaching", "Type": "idle_code"}, {"Name": "Survey", "Type": "WRAP_UP_CODE"}],
        [{"Name": "Coaching", "Type": "IDLE_CODE", "Description": "1:1 sessions"}],
        [
            ({"Name": "Nap", "Type": "BREAK"}, "Type 'BREAK' is not one of IDLE_CODE, WRAP_UP_CODE"),
            ({"Name": "Nap|Time", "Type": "IDLE_CODE"}, "Name 'Nap|Time' may not contain '|'"),
            ({"Name": "Break", "Type": "WRAP_UP_CODE"}, "Type cannot change while auxiliary codes use work type"),
        ],
    ),
    "entry-point": (
        [
            {"Name": "Support Line"} | EP,
            {"Name": "WhatsApp In", "Channel Type": "SOCIAL CHANNEL", "Social Channel Type": "whatsapp"}
            | {"Service Level Threshold": "30", "Timezone": "UTC", "Maximum Active Contacts": "5"},
        ],
        [{"Name": "Support Line"} | EP | {"Service Level Threshold": "25"}],
        [
            ({"Name": "Fax In"} | EP | {"Channel Type": "FAX"}, "Channel Type 'FAX' is not one of TELEPHONY, CHAT"),
            (
                {"Name": "Social"} | EP | {"Channel Type": "SOCIAL_CHANNEL"},
                "Social Channel Type is required for SOCIAL_CHANNEL",
            ),
            ({"Name": "Phone"} | EP | {"Social Channel Type": "SMS"}, "Social Channel Type 'SMS' must be empty"),
            ({"Name": "Phone"} | EP | {"Service Level Threshold": "-3"}, "Service Level Threshold must be 0 or more"),
            (
                {"Name": "Phone"} | EP | {"Service Level Threshold": "abc"},
                "Service Level Threshold 'abc' is not a whole number",
            ),
            ({"Name": "Phone"} | EP | {"Timezone": "Mars/Base"}, "Timezone 'Mars/Base' is not an IANA time zone"),
            ({"Name": "1st Line"} | EP, "Name '1st Line' must start with a letter"),
        ],
    ),
    "outdial-entry-point": (
        [
            {
                "Name": "Outbound Support",
                "Service Level Threshold": "10",
                "Timezone": "UTC",
                "Outdial Queue": "callbacks",
            },
            {"Name": "Outbound Plain", "Service Level Threshold": "0", "Timezone": "UTC"},
        ],
        [{"Name": "Outbound Support", "Service Level Threshold": "10", "Timezone": "UTC"}],
        [
            (
                {"Name": "Out", "Service Level Threshold": "1", "Timezone": "UTC", "Outdial Queue": "Nope"},
                "Outdial Queue 'Nope' does not exist",
            ),
            ({"Name": "Out", "Service Level Threshold": "1", "Timezone": "Utc/Nowhere"}, "Timezone 'Utc/Nowhere'"),
        ],
    ),
    "queue": (
        [
            {"Name": "Billing", "Default Music in Queue": "HOLD-MUSIC.wav", "Distribution Group Seq": "1"}
            | QUEUE
            | {"Group Teams": "Tier 1 Belgrade"},
            {
                "Name": "Billing",
                "Distribution Group Seq": "2",
                "Group Fallback Time": "30",
                "Group Teams": "Tier 2 Nis: Nis",
            },
            {"Name": "Tech", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade|Tier 2 Nis"} | QUEUE,
        ],
        [{"Name": "Billing", "Distribution Group Seq": "1", "Group Teams": "Tier 2 Nis"} | QUEUE],
        [
            (
                {"Name": "Q", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"}
                | QUEUE
                | {"Routing Type": "ROUND_ROBIN"},
                "Routing Type 'ROUND_ROBIN' is not one of LONGEST_AVAILABLE_AGENT, SKILLS_BASED",
            ),
            (
                {"Name": "Q", "Distribution Group Seq": "2", "Group Teams": "Tier 1 Belgrade"} | QUEUE,
                "Distribution Group Seq values 2 must run 1, 2, 3, ... without gaps",
            ),
            (
                {"Name": "Q", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade: Nis"} | QUEUE,
                "Group Teams 'Tier 1 Belgrade: Nis' names site 'Nis', but team 'Tier 1 Belgrade' belongs to site "
                "'Belgrade'",
            ),
            (
                {"Name": "Q", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"}
                | QUEUE
                | {"Permit Recording": "FALSE", "Record All Calls": "TRUE"},
                "Record All Calls needs Permit Recording",
            ),
            (
                {"Name": "Q", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"}
                | QUEUE
                | {"Pause or Resume Enabled": "TRUE"},
                "Recording Pause Duration is required when Pause or Resume Enabled is TRUE",
            ),
            (
                {"Name": "Support", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"}
                | QUEUE
                | {"Routing Type": "SKILLS_BASED"},
                "Routing Type cannot change once the queue exists (it is 'LONGEST_AVAILABLE_AGENT')",
            ),
        ],
    ),
    "outdial-queue": (
        [{"Name": "Retention", "Distribution Group Seq": "1", "Group Teams": "Tier 2 Nis"} | OUTDIAL_QUEUE],
        [{"Name": "Retention", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"} | OUTDIAL_QUEUE],
        [
            (
                {"Name": "OQ", "Distribution Group Seq": "1", "Group Teams": "Nope"} | OUTDIAL_QUEUE,
                "Group Teams 'Nope' does not exist",
            ),
            (
                {"Name": "OQ", "Distribution Group Seq": "1", "Group Teams": ""} | OUTDIAL_QUEUE,
                "Group Teams is required for group 1",
            ),
        ],
    ),
    "skill-definition": (
        [
            {"Name": "Tenure", "Service Level Threshold": "0", "Type": "TEXT"},
            {"Name": "Region", "Service Level Threshold": "0", "Type": "ENUM", "List Values For Enum": "North|South"},
        ],
        [{"Name": "Tenure", "Service Level Threshold": "5", "Type": "TEXT"}],
        [
            ({"Name": "Shift", "Service Level Threshold": "0", "Type": "ENUM"}, "List Values For Enum is required"),
            (
                {"Name": "Shift", "Service Level Threshold": "0", "Type": "TEXT", "List Values For Enum": "A"},
                "List Values For Enum must be empty for type TEXT",
            ),
            ({"Name": "Shift", "Service Level Threshold": "0", "Type": "NUMBER"}, "Type 'NUMBER' is not one of"),
            ({"Name": "Level", "Service Level Threshold": "0", "Type": "TEXT"}, "Type cannot change once"),
        ],
    ),
    "skill-profile": (
        [
            {"Name": "Seniors", "Skill Name": "Language", "Skill Values": "english|SERBIAN"},
            {"Name": "Seniors", "Skill Name": "Level", "Skill Values": "9"},
            {"Name": "Juniors", "Skill Name": "certified", "Skill Values": "false"},
        ],
        [{"Name": "Seniors", "Skill Name": "Level", "Skill Values": "10"}],
        [
            ({"Name": "P", "Skill Name": "Level", "Skill Values": "11"}, "must be a whole number from 0 to 10"),
            ({"Name": "P", "Skill Name": "Nope", "Skill Values": "1"}, "Skill Name 'Nope' does not exist"),
            ({"Name": "P", "Skill Name": "Certified", "Skill Values": "maybe"}, "must be TRUE or FALSE"),
            ({"Name": "Base", "Skill Name": "Level", "Delete": "Yes"}, "A skill profile keeps at least one skill"),
        ],
    ),
    "auxiliary-code": (
        [
            {"Name": "Training", "Default": "OFF", "Work Type": "Break"},
            {"Name": "Escalated", "Default": "on", "Work Type": "After Call"},
        ],
        [{"Name": "Training", "Default": "OFF", "Work Type": "Break", "Description": "Classroom"}],
        [
            ({"Name": "X", "Default": "OFF", "Work Type": "Nope"}, "Work Type 'Nope' does not exist"),
            ({"Name": "X", "Default": "maybe", "Work Type": "Break"}, "Default 'maybe' is not one of ON, OFF"),
            (
                {"Name": "Lunch", "Default": "OFF", "Work Type": "Break"},
                "would leave IDLE_CODE codes without a default",
            ),
        ],
    ),
    "address-book": (
        [
            {
                "Name": "Suppliers",
                "Parent Type": "ORGANIZATION",
                "Entry Name": "Acme",
                "Entry Number": "+1 (415) 555-0100",
            },
            {"Name": "Suppliers", "Entry Name": "Globex", "Entry Number": "0800-123"},
            {
                "Name": "Belgrade Desk",
                "Parent Type": "SITE",
                "Site": "Belgrade",
                "Entry Name": "Front",
                "Entry Number": "100",
            },
        ],
        [{"Name": "Suppliers", "Parent Type": "ORGANIZATION", "Entry Name": "Initech", "Entry Number": "200"}],
        [
            (
                {"Name": "B", "Parent Type": "SITE", "Entry Name": "A", "Entry Number": "1"},
                "Site is required when Parent",
            ),
            (
                {"Name": "B", "Parent Type": "ORGANIZATION", "Site": "Nis", "Entry Name": "A", "Entry Number": "1"},
                "Site 'Nis' must be empty when Parent Type is ORGANIZATION",
            ),
            (
                {"Name": "B", "Parent Type": "ORGANIZATION", "Entry Name": "A", "Entry Number": "call me"},
                "Entry Number",
            ),
            ({"Name": "Partners", "Parent Type": "SITE", "Site": "Nis"}, "Parent Type cannot change once"),
        ],
    ),
    "team": (
        [
            {
                "Name": "Tier 3",
                "Site": "Belgrade",
                "Type": "AGENT",
                "Skill Profile": "base",
                "Desktop Layout": "Global Layout",
            },
            {"Name": "Overflow", "Site": "Nis", "Type": "CAPACITY", "DN": "+38118000", "Capacity": "10"},
        ],
        [{"Name": "Tier 3", "Site": "Belgrade", "Type": "AGENT", "Skill Profile": "Base"}],
        [
            ({"Name": "T", "Site": "Belgrade", "Type": "AGNET"}, "Type 'AGNET' is not one of AGENT, CAPACITY"),
            ({"Name": "T", "Site": "Belgrade-2", "Type": "AGENT"}, "Site 'Belgrade-2' does not exist"),
            ({"Name": "T", "Site": "Nis", "Type": "CAPACITY", "Capacity": "3"}, "DN is required for CAPACITY teams"),
            (
                {"Name": "T", "Site": "Nis", "Type": "CAPACITY", "DN": "1", "Capacity": "3", "Skill Profile": "Base"},
                "Skill Profile 'Base' is not allowed for CAPACITY teams",
            ),
            ({"Name": "Tier 1 Belgrade", "Site": "Nis", "Type": "AGENT"}, "Site cannot change once the team exists"),
        ],
    ),
    "agent-profile": (
        [
            {
                "Name": "Supervisors",
                "Wrap Up Type": "AUTO",
                "Auto Wrap Up Time": "30",
                "Wrap Up Codes": "Sold",
                "Transfer Targets": "Support",
                "Selected Teams": "Tier 1 Belgrade",
                "Dial Plan Enabled": "TRUE",
                "Dial Plan": "Default Dial Plan",
                "Outdial Enabled": "Yes",
                "Outdial EP": "Outbound Sales",
                "Address Book": "Partners",
                "Outdial ANI": "Main numbers",
            }
            | PROFILE
            | {
                "Wrap Up Type": "AUTO",
                "Wrap Up Options": "SPECIFIC",
                "Transfer Options": "SPECIFIC",
                "Buddy Team Option": "NONE",
                "Team Statistics Option": "SPECIFIC",
                "DN Validation Option": "provisioned value",
            },
            {"Name": "Nis Agents", "Parent Site": "Nis", "Screen Popups": "TRUE"} | PROFILE,
        ],
        [{"Name": "Nis Agents", "Parent Site": "Nis", "Screen Popups": "FALSE"} | PROFILE],
        [
            (
                {"Name": "P"} | PROFILE | {"Wrap Up Type": "AUTO"},
                "Auto Wrap Up Time is required when Wrap Up Type is AUTO",
            ),
            (
                {"Name": "P"} | PROFILE | {"Wrap Up Options": "SPECIFIC"},
                "Wrap Up Codes is required when Wrap Up Options",
            ),
            (
                {"Name": "P", "Idle Codes": "Sold"} | PROFILE | {"Idle Options": "SPECIFIC"},
                "Idle Codes: 'Sold' is not a IDLE_CODE auxiliary code",
            ),
            ({"Name": "P", "Outdial Enabled": "TRUE"} | PROFILE, "Outdial EP is required when Outdial Enabled is TRUE"),
            (
                {"Name": "P"} | PROFILE | {"DN Validation Option": "VALIDATION CRITERIA"},
                "Validation Criteria is required",
            ),
            (
                {"Name": "P", "Wrap Up Codes": "Nope"} | PROFILE | {"Wrap Up Options": "SPECIFIC"},
                "Wrap Up Codes 'Nope' does not exist",
            ),
        ],
    ),
    "user": (
        [
            {"Email": "Mila@Example.com", "Site": "Belgrade", "Teams": "Tier 1 Belgrade", "Desktop Profile": "Agents"}
            | USER,
            {"Email": "jovan@example.com", "Default DN": "+38111222", "Contact Center Enabled": "Off"}
            | {"User Profile": "Standard Agent"},
        ],
        [
            {"Email": "mila@example.com", "First Name": "Mila", "Site": "Belgrade", "Teams": "Tier 1 Belgrade"}
            | USER
            | {"Desktop Profile": "Agents"}
        ],
        [
            ({"Email": "mila@"} | USER, "Email 'mila@' is not a valid email address"),
            ({"Email": "a@example.com", "Teams": "Tier 1 Belgrade"} | USER, "Teams need a Site"),
            (
                {"Email": "a@example.com", "Site": "Nis", "Teams": "Tier 1 Belgrade", "Desktop Profile": "Agents"}
                | USER,
                "Teams: team 'Tier 1 Belgrade' belongs to site 'Belgrade', not 'Nis'",
            ),
            (
                {"Email": "a@example.com", "Site": "Belgrade", "Teams": "Tier 1 Belgrade"} | USER,
                "Desktop Profile is required when Site and Teams are set",
            ),
            (
                {"Email": "a@example.com", "Site": "Belgrade", "Desktop Profile": "Nis Desk"} | USER,
                "Desktop Profile 'Nis Desk' belongs to site 'Nis'",
            ),
            (
                {"Email": "a@example.com", "Contact Center Enabled": "maybe", "User Profile": "Standard Agent"},
                "'maybe'",
            ),
        ],
    ),
    "user-profile": (
        [
            {"Name": "Leads", "Resource Access Level": "SPECIFIC"} | USER_PROFILE,
            {"Name": "Auditors", "Resource Access Level": "ALL"} | USER_PROFILE | {"Profile Type": "ANALYZER_USER"},
        ],
        [{"Name": "Leads", "Resource Access Level": "ALL"} | USER_PROFILE],
        [
            (
                {"Name": "U", "Resource Access Level": "ALL"} | USER_PROFILE | {"Profile Type": "AGENT"},
                "Profile Type 'AGENT' is not one of ADMINISTRATOR",
            ),
            ({"Name": "U", "Resource Access Level": "ALL"} | USER_PROFILE | {"Active": ""}, "Active is required"),
        ],
    ),
    "dn-mapping": (
        [
            {"Dialed Number": "+14155550199", "Entry Point": "Sales", "Region": "US"},
            {"Dialed Number": "0800-123", "Entry Point": "sales"},
        ],
        [{"Dialed Number": "+14155550199", "Entry Point": "Sales", "Region": "CA"}],
        [
            ({"Dialed Number": "14a5", "Entry Point": "Sales"}, "Dialed Number '14a5' may hold an optional leading"),
            ({"Dialed Number": "1234", "Entry Point": "Nope"}, "Entry Point 'Nope' does not exist"),
            ({"Dialed Number": "1234", "Entry Point": "Sales", "Region": "FR"}, "Region 'FR' is not one of US, CA"),
        ],
    ),
    "outdial-ani": (
        [
            {"Name": "Sales ANIs", "Entry Name": "Main", "Entry Number": "+14155550100"},
            {"Name": "Sales ANIs", "Entry Name": "SIP", "Entry Number": "sip:sales@example.com"},
        ],
        [{"Name": "Sales ANIs", "Entry Name": "Backup", "Entry Number": "+14155550111"}],
        [
            ({"Name": "A", "Entry Name": "Main", "Entry Number": "12345"}, "is neither an E.164 number"),
            ({"Name": "A", "Entry Name": "Main", "Entry Number": "+123", "Delete": "maybe"}, "Delete 'maybe'"),
        ],
    ),
    "business-hours": (
        [
            {"Name": "Weekdays", "Site": "Belgrade", "Timezone": "Europe/Belgrade", "Open All Day": "no"},
            {"Name": "Hotline", "Site": "nis", "Timezone": "UTC", "Open All Day": "yes", "Opens At": "0"},
        ],
        [
            {
                "Name": "Weekdays",
                "Site": "Belgrade",
                "Timezone": "Europe/Belgrade",
                "Open All Day": "no",
                "Opens At": "8",
            }
        ],
        [
            ({"Name": "W", "Site": "Nope", "Timezone": "UTC", "Open All Day": "no"}, "Site 'Nope' does not exist"),
            ({"Name": "W", "Site": "Nis", "Timezone": "Mars/Base", "Open All Day": "no"}, "Timezone 'Mars/Base'"),
            ({"Name": "W", "Site": "Nis", "Timezone": "UTC", "Open All Day": "maybe"}, "Open All Day 'maybe'"),
        ],
    ),
}


def test_there_is_a_case_for_every_csv_object():
    assert set(CASES) == set(SPEC_COLUMNS) == {t.slug for t in OBJECT_TYPES if t.file_kind == "csv"}


@pytest.mark.parametrize("slug", SPEC_COLUMNS)
def test_the_template_is_the_spec_header(slug, tmp_path):
    target = tmp_path / "template.csv"
    outcome = run("bulk_export", slug, "--template", "-o", str(target))
    assert outcome.code == 0
    assert target.read_bytes().decode("utf-8-sig") == ",".join(columns(slug)) + "\r\n"


@pytest.mark.parametrize("slug", CASES)
def test_rows_create_then_stay_unchanged_then_update(slug, world, tmp_path):
    create, update, _ = CASES[slug]
    model = object_type(slug).model
    before = model.objects.count()
    first = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create))))
    assert (first.code, first.counts) == (0, {"created": len(create), "updated": 0, "unchanged": 0, "failed": 0}), (
        first.err + str(first.errors())
    )
    assert model.objects.count() > before
    again = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create))))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": len(create), "failed": 0}
    changed = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *update))))
    assert changed.counts == {"created": 0, "updated": len(update), "unchanged": 0, "failed": 0}, changed.errors()


@pytest.mark.parametrize(
    ("slug", "index"), [(slug, index) for slug, (_, _, bad) in CASES.items() for index in range(len(bad))]
)
def test_a_rule_fails_its_row_with_a_message_naming_column_and_value(slug, index, world, tmp_path):
    row, message = CASES[slug][2][index]
    outcome = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, row))))
    assert outcome.code == 3
    assert outcome.counts["failed"] == 1
    assert message in outcome.errors()[2]


@pytest.mark.parametrize("slug", CASES)
def test_an_export_imports_back_with_every_row_unchanged(slug, world, tmp_path):
    create, _, _ = CASES[slug]
    assert run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create)))).code == 0
    exported = tmp_path / "export.csv"
    outcome = run("bulk_export", slug, "-o", str(exported))
    assert outcome.code == 0, outcome.err
    rows = exported.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == ",".join(columns(slug))
    back = run("bulk_import", slug, str(exported))
    assert back.code == 0, back.errors()
    assert back.counts["unchanged"] == len(rows) - 1 == back.job.total_rows
    assert back.counts["created"] == back.counts["updated"] == back.counts["failed"] == 0


def test_exported_formulas_are_neutralised_and_import_restores_them(world, tmp_path):
    create, _, _ = CASES["site"]
    run("bulk_import", "site", str(write(tmp_path, csv_file("site", *create))))
    exported = tmp_path / "sites.csv"
    run("bulk_export", "site", "-o", str(exported))
    assert "'=SUM(A1) @ HQ" in exported.read_text(encoding="utf-8-sig")
    assert m.Site.objects.get(name="Kragujevac").description == "=SUM(A1) @ HQ"


def test_skill_profile_rows_merge_and_delete_skills(world, tmp_path):
    run("bulk_import", "skill-profile", str(write(tmp_path, csv_file("skill-profile", *CASES["skill-profile"][0]))))
    delete = csv_file("skill-profile", {"Name": "Seniors", "Skill Name": "Language", "Delete": "Yes"})
    outcome = run("bulk_import", "skill-profile", str(write(tmp_path, delete)))
    assert outcome.counts["updated"] == 1
    profile = m.SkillProfile.objects.get(name="Seniors")
    assert [(s.skill.name, s.value) for s in profile.skill_values.all()] == [("Level", "9")]
    again = run("bulk_import", "skill-profile", str(write(tmp_path, delete)))
    assert again.counts["unchanged"] == 1


def test_skill_values_are_stored_in_canonical_spelling(world, tmp_path):
    run("bulk_import", "skill-profile", str(write(tmp_path, csv_file("skill-profile", *CASES["skill-profile"][0]))))
    values = dict(m.SkillProfileSkill.objects.filter(profile__name="Seniors").values_list("skill__name", "value"))
    assert values == {"Language": "English|Serbian", "Level": "9"}


def test_a_multi_row_object_fails_whole_and_all_its_rows_go_to_the_error_file(world, tmp_path):
    rows = [
        {"Name": "Billing", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"} | QUEUE,
        {"Name": "Tech", "Distribution Group Seq": "1", "Group Teams": "Tier 2 Nis"} | QUEUE,
        {"Name": "Billing", "Distribution Group Seq": "2", "Group Teams": "Nope"},
    ]
    outcome = run("bulk_import", "queue", str(write(tmp_path, csv_file("queue", *rows))))
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 2}
    assert outcome.errors() == {
        2: "Not imported because line 4 of queue 'Billing' failed",
        4: "Group Teams 'Nope' does not exist",
    }
    assert outcome.job.objects_count == 2
    assert not m.Queue.objects.filter(name="Billing").exists()


def test_a_later_row_may_not_contradict_its_objects_first_row(world, tmp_path):
    rows = [
        {"Name": "Billing", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"} | QUEUE,
        {"Name": "Billing", "Distribution Group Seq": "2", "Group Fallback Time": "5", "Group Teams": "Tier 2 Nis"}
        | {"Channel Type": "chat", "Timezone": "Europe/Belgrade"},
    ]
    outcome = run("bulk_import", "queue", str(write(tmp_path, csv_file("queue", *rows))))
    assert outcome.errors()[3] == "Channel Type 'chat' contradicts line 2 ('TELEPHONY')"


def test_a_queue_import_replaces_its_distribution_groups(world, tmp_path):
    create, update, _ = CASES["queue"]
    run("bulk_import", "queue", str(write(tmp_path, csv_file("queue", *create))))
    run("bulk_import", "queue", str(write(tmp_path, csv_file("queue", *update))))
    groups = m.Queue.objects.get(name="Billing").groups.all()
    assert [(g.seq, [t.name for t in g.teams.all()]) for g in groups] == [(1, ["Tier 2 Nis"])]


def test_address_book_entries_merge_by_name(world, tmp_path):
    create, update, _ = CASES["address-book"]
    run("bulk_import", "address-book", str(write(tmp_path, csv_file("address-book", *create))))
    run("bulk_import", "address-book", str(write(tmp_path, csv_file("address-book", *update))))
    delete = {"Name": "Suppliers", "Parent Type": "ORGANIZATION", "Entry Name": "acme", "Delete": "yes"}
    run("bulk_import", "address-book", str(write(tmp_path, csv_file("address-book", delete))))
    entries = m.AddressBook.objects.get(name="Suppliers").entries.order_by("name")
    assert [(e.name, e.number) for e in entries] == [("Globex", "0800-123"), ("Initech", "200")]


def test_default_on_moves_the_default_auxiliary_code(world, tmp_path):
    run("bulk_import", "auxiliary-code", str(write(tmp_path, csv_file("auxiliary-code", *CASES["auxiliary-code"][0]))))
    defaults = dict(m.AuxiliaryCode.objects.filter(is_default=True).values_list("kind", "name"))
    assert defaults == {"IDLE_CODE": "Lunch", "WRAP_UP_CODE": "Escalated"}


def test_a_user_row_sets_teams_and_stores_the_email_lower_case(world, tmp_path):
    run("bulk_import", "user", str(write(tmp_path, csv_file("user", *CASES["user"][0]))))
    user = m.ContactCenterUser.objects.get(email="mila@example.com")
    assert [t.name for t in user.teams.all()] == ["Tier 1 Belgrade"]
    assert user.desktop_profile.name == "Agents"

"""The data of tests/test_bulk_objects.py: each CSV object's columns as typed from SPEC section 1, a
CSV builder with that header, and CASES, every object's rows that create, update and break a rule (the
rows themselves are in tests/object_cases_routing.py, tests/object_cases_agents.py and
tests/object_cases_*.py)."""

import csv
import io

from tests.object_cases_agents import AGENT_CASES
from tests.object_cases_catalogues import CATALOGUE_CASES
from tests.object_cases_hours import HOURS_CASES
from tests.object_cases_routing import ROUTING_CASES
from tests.object_cases_schedules import SCHEDULE_CASES
from tests.object_cases_thresholds import THRESHOLD_CASES

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
    "multimedia-profile": "Name, Description, Blending Mode, Telephony, Chat, Email, Social",
    "desktop-layout": "Name, Description, Layout JSON",
    "dial-plan": "Name, Description, Regular Expression, Prefix, Stripped Characters",
    "override": "Name, Description, Timezone, Override Name, Start Date Time, End Date Time, Working Hours, "
    "Frequency, Repeat Until, Delete",
    "holiday-list": "Name, Description, Holiday Name, Start Date, End Date, Frequency, Repeat Until, Delete",
    "working-hours": "Name, Description, Timezone, Holiday List, Override, Shift Name, Days, Start Time, End Time, "
    "Delete",
    "global-variable": "Name, Description, Variable Type, Default Value, Agent Viewable, Agent Editable, "
    "Desktop Label, Reportable, Sensitive, Active",
    "threshold-rule": "Name, Description, Entity Type, Entity, Metric, Operand, Trigger Value, Trigger Interval, "
    "Notification Receivers, Agent Viewable",
    "call-recording-schedule": "Name, Percentage, Timezone, Start Date, End Date, Days, Start Time, End Time, "
    "Queues, Sites, Teams, Users",
    "call-monitoring-schedule": "Name, Supervisor, Timezone, Start Date, End Date, Days, Start Time, End Time, "
    "Queues, Sites, Teams, Agent",
    # Not in the SPEC: the test-only object of tests/extension, added as README's "Adding an object" says.
    "wallboard": "Name, Description, Site, Timezone, Show All Queues, Refresh Seconds",
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


# slug: (rows that create objects, rows that update the first of them, [(bad row, message), ...])
CASES = ROUTING_CASES | AGENT_CASES | CATALOGUE_CASES | SCHEDULE_CASES | THRESHOLD_CASES | HOURS_CASES

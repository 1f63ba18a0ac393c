"""Rows of tests/object_cases.py's CASES for skills, auxiliary codes, address books, teams, agent
profiles, users and user profiles, DN mappings, outdial ANIs and the test-only wallboard: rows that
create objects, rows that update the first of them, and bad rows with the message each must fail with.
They refer to the objects of test_bulk_objects.py's `world` fixture."""

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
AGENT_CASES = {
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
            (
                {"Name": "B", "Parent Type": "ORGANIZATION", "Entry Name": "Front|Desk", "Entry Number": "1"},
                "Entry Name 'Front|Desk' may not contain '|' or line breaks",
            ),
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
            (
                {"Name": "T", "Site": "Nis", "Type": "CAPACITY", "DN": "abc", "Capacity": "3"},
                "DN 'abc' may hold an optional leading '+', then digits",
            ),
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
            (
                {"Email": "a@example.com", "Default DN": "abc"} | USER,
                "Default DN 'abc' may hold an optional leading '+'",
            ),
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
    "wallboard": (
        [
            {"Name": "Weekdays", "Site": "Belgrade", "Timezone": "Europe/Belgrade", "Show All Queues": "no"},
            {"Name": "Hotline", "Site": "nis", "Timezone": "UTC", "Show All Queues": "yes", "Refresh Seconds": "0"},
        ],
        [
            {
                "Name": "Weekdays",
                "Site": "Belgrade",
                "Timezone": "Europe/Belgrade",
                "Show All Queues": "no",
                "Refresh Seconds": "8",
            }
        ],
        [
            ({"Name": "W", "Site": "Nope", "Timezone": "UTC", "Show All Queues": "no"}, "Site 'Nope' does not exist"),
            ({"Name": "W", "Site": "Nis", "Timezone": "Mars/Base", "Show All Queues": "no"}, "Timezone 'Mars/Base'"),
            ({"Name": "W", "Site": "Nis", "Timezone": "UTC", "Show All Queues": "maybe"}, "Show All Queues 'maybe'"),
        ],
    ),
}

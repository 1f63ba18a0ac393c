"""Rows of tests/object_cases.py's CASES for sites, work types, entry points and queues (inbound and
outdial): rows that create objects, rows that update the first of them, and bad rows with the message
each must fail with. They refer to the objects of test_bulk_objects.py's `world` fixture."""

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

# slug: (rows that create objects, rows that update the first of them, [(bad row, message), ...])
ROUTING_CASES = {
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
            (
                {"Name": "Phone"} | EP | {"Service Level Threshold": "-3"},
                "Service Level Threshold '-3' must be 0 or more",
            ),
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
}

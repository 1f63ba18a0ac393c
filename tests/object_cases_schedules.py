"""Rows of tests/object_cases.py's CASES for call recording and call monitoring schedules (SPEC rows
22-23): rows that create objects, rows that update the first of them, and bad rows with the message
each must fail with. They refer to the objects of test_bulk_objects.py's `world` fixture: the queues
"Recorded Line" (TELEPHONY, permits recording and monitoring), "Chat Help" (CHAT) and "Support"
(permits neither), the supervisor sara@example.com, the agent ana@example.com, the disabled user
off@example.com and nodn@example.com, a supervisor without a Default DN."""

WHEN = {
    "Timezone": "Europe/Belgrade",
    "Start Date": "2026-01-01",
    "Days": "MON|TUE|WED|THU|FRI",
    "Start Time": "09:00",
    "End Time": "17:00",
}
RECORDING = {"Percentage": "50"} | WHEN
MONITORING = {"Supervisor": "sara@example.com"} | WHEN


def when_rules(base: dict, name: str) -> list[tuple[dict, str]]:
    """The bad rows about when a schedule applies, which both kinds share."""
    row = {"Name": name, "Sites": "Belgrade"} | base
    return [
        (row | {"Timezone": "Mars/Base"}, "Timezone 'Mars/Base' is not an IANA time zone name"),
        (row | {"Start Date": "2026-02-30"}, "Start Date '2026-02-30' is not a date (YYYY-MM-DD)"),
        (row | {"Start Date": ""}, "Start Date is required"),
        (row | {"End Date": "01/31/2026"}, "End Date '01/31/2026' is not a date (YYYY-MM-DD)"),
        (row | {"End Date": "2025-12-31"}, "End Date '2025-12-31' is before Start Date '2026-01-01'"),
        (row | {"Days": "MON|FUN"}, "Days 'MON|FUN' has 'FUN', which is not one of MON, TUE, WED, THU, FRI, SAT, SUN"),
        (row | {"Days": "mon|Mon"}, "Days 'mon|Mon' names MON twice"),
        (row | {"Days": ""}, "Days is required"),
        (row | {"Start Time": "25:00"}, "Start Time '25:00' is not a time of day (HH:MM, 24 h)"),
        (row | {"End Time": "5pm"}, "End Time '5pm' is not a time of day (HH:MM, 24 h)"),
        (row | {"Start Time": "17:00", "End Time": "09:00"}, "End Time '09:00' must be after Start Time '17:00'"),
        (row | {"End Time": "09:00"}, "End Time '09:00' must be after Start Time '09:00'"),
        (
            row | {"Queues": "Recorded Line", "Sites": "Nis", "Teams": "Tier 1 Belgrade"},
            "Teams: team 'Tier 1 Belgrade' belongs to site 'Belgrade', which is not in Sites",
        ),
        (row | {"Queues": "Chat Help"}, "Queues: queue 'Chat Help' is a CHAT queue; only TELEPHONY queues"),
        (row | {"Queues": "Nope"}, "Queues 'Nope' does not exist"),
        (row | {"Sites": "Belgrade|Nope"}, "Sites 'Nope' does not exist"),
        (row | {"Teams": "Tier 1 Belgrade: Nis"}, "names site 'Nis', but team 'Tier 1 Belgrade' belongs to site"),
    ]


# slug: (rows that create objects, rows that update the first of them, [(bad row, message), ...])
SCHEDULE_CASES = {
    "call-recording-schedule": (
        [
            {
                "Name": "Night",
                "End Date": "2026-12-31",
                "Queues": "Recorded Line",
                "Sites": "belgrade|Nis",
                "Teams": "Tier 1 Belgrade|Tier 2 Nis: Nis",
                "Users": "Ana@Example.com",
            }
            | RECORDING
            | {"Days": "fri|Mon", "Start Time": "0:00", "End Time": "23:59"},
            {"Name": "Weekend", "Users": "sara@example.com"} | RECORDING | {"Percentage": "100", "Days": "SAT|SUN"},
        ],
        [
            {"Name": "Night", "End Date": "", "Queues": "Recorded Line", "Users": "ana@example.com"}
            | RECORDING
            | {"Percentage": "25"}
        ],
        [
            *when_rules(RECORDING, "R"),
            (
                {"Name": "R", "Sites": "Nis"} | RECORDING | {"Percentage": "0"},
                "Percentage '0' is not a whole number from 1 to 100",
            ),
            (
                {"Name": "R", "Sites": "Nis"} | RECORDING | {"Percentage": "101"},
                "Percentage '101' is not a whole number from 1 to 100",
            ),
            (
                {"Name": "R", "Sites": "Nis"} | RECORDING | {"Percentage": "12.5"},
                "Percentage '12.5' is not a whole number",
            ),
            ({"Name": "R", "Sites": "Nis"} | RECORDING | {"Percentage": ""}, "Percentage is required"),
            ({"Name": "R"} | RECORDING, "At least one of Queues, Sites, Teams, Users is required"),
            (
                {"Name": "R", "Queues": "Recorded Line|Support"} | RECORDING,
                "Queues: queue 'Support' has Permit Recording FALSE",
            ),
            (
                {"Name": "R", "Users": "ana@example.com|off@example.com"} | RECORDING,
                "Users: user 'off@example.com' is not Contact Center Enabled",
            ),
            ({"Name": "R", "Users": "nobody@example.com"} | RECORDING, "Users 'nobody@example.com' does not exist"),
            ({"Name": "Bad|Name", "Sites": "Nis"} | RECORDING, "Name 'Bad|Name' may not contain '|'"),
        ],
    ),
    "call-monitoring-schedule": (
        [
            {
                "Name": "Coaching",
                "Queues": "Recorded Line",
                "Sites": "Belgrade",
                "Teams": "Tier 1 Belgrade",
                "Agent": "ANA@example.com",
            }
            | MONITORING
            | {"Supervisor": "Sara@Example.com", "End Date": "2026-06-30"},
            {"Name": "Nis review", "Sites": "Nis"} | MONITORING | {"Days": "WED", "Start Time": "13:30"},
            {"Name": "Shadowing", "Agent": "ana@example.com"} | MONITORING,
        ],
        [{"Name": "Coaching", "Queues": "Recorded Line", "End Date": "2026-09-30"} | MONITORING],
        [
            *when_rules(MONITORING, "M"),
            ({"Name": "M", "Sites": "Nis"} | MONITORING | {"Supervisor": ""}, "Supervisor is required"),
            (
                {"Name": "M", "Sites": "Nis"} | MONITORING | {"Supervisor": "nobody@example.com"},
                "Supervisor 'nobody@example.com' does not exist",
            ),
            (
                {"Name": "M", "Sites": "Nis"} | MONITORING | {"Supervisor": "off@example.com"},
                "Supervisor 'off@example.com' is not Contact Center Enabled",
            ),
            (
                {"Name": "M", "Sites": "Nis"} | MONITORING | {"Supervisor": "ana@example.com"},
                "Supervisor 'ana@example.com' has User Profile 'Standard Agent' of type STANDARD_AGENT, not "
                "SUPERVISOR or ADMINISTRATOR",
            ),
            (
                {"Name": "M", "Sites": "Nis"} | MONITORING | {"Supervisor": "nodn@example.com"},
                "Supervisor 'nodn@example.com' has no Default DN",
            ),
            (
                {"Name": "M", "Agent": "off@example.com"} | MONITORING,
                "Agent 'off@example.com' is not Contact Center Enabled",
            ),
            ({"Name": "M", "Agent": "nobody@example.com"} | MONITORING, "Agent 'nobody@example.com' does not exist"),
            ({"Name": "M"} | MONITORING, "At least one of Queues, Sites, Teams, Agent is required"),
            ({"Name": "M", "Queues": "Support"} | MONITORING, "Queues: queue 'Support' has Permit Monitoring FALSE"),
        ],
    ),
}

"""Rows of tests/object_cases.py's CASES for global variables and threshold rules: rows that create
objects, rows that update the first of them, and bad rows with the message each must fail with. They
refer to the objects of test_bulk_objects.py's `world` fixture (its sites, teams, entry point and
queue, the variable language_code and the TEAM rule "Team short of agents")."""

VISIBLE = {"Agent Viewable": "TRUE", "Agent Editable": "FALSE", "Desktop Label": "Label", "Reportable": "FALSE"}
HIDDEN = {"Agent Viewable": "FALSE", "Agent Editable": "FALSE", "Reportable": "FALSE"}
TEXT = {"Name": "note", "Variable Type": "STRING"} | HIDDEN
QUEUE_RULE = {
    "Name": "Long waits",
    "Entity Type": "QUEUE",
    "Entity": "Support",
    "Metric": "Abandoned Calls",
    "Operand": "GREATER_THAN",
    "Trigger Value": "5",
    "Trigger Interval": "60",
    "Agent Viewable": "FALSE",
}

# slug: (rows that create objects, rows that update the first of them, [(bad row, message), ...])
THRESHOLD_CASES = {
    "global-variable": (
        [
            {
                "Name": "customer_tier",
                "Variable Type": "String",
                "Default Value": "gold",
                "Agent Viewable": "yes",
                "Agent Editable": "On",
                "Desktop Label": "Tier",
                "Reportable": "TRUE",
            },
            {"Name": "retries", "Variable Type": "integer", "Default Value": "+007", "Sensitive": "1"} | HIDDEN,
            {"Name": "rate", "Variable Type": "Decimal", "Default Value": "1.50", "Active": "FALSE"} | HIDDEN,
            {"Name": "vip", "Variable Type": "Boolean", "Default Value": "yes", "Active": "on"} | HIDDEN,
            {"Name": "callback_at", "Variable Type": "DateTime", "Default Value": "2026-01-31T10:00:00+01:00"} | HIDDEN,
            {"Name": "Übergabe_2", "Variable Type": "DATE_TIME"} | VISIBLE,
        ],
        [
            {
                "Name": "customer_tier",
                "Variable Type": "STRING",
                "Default Value": "silver",
                "Agent Viewable": "TRUE",
                "Agent Editable": "TRUE",
                "Desktop Label": "Customer tier",
                "Reportable": "TRUE",
            }
        ],
        [
            (TEXT | {"Name": "customer tier"}, "Name 'customer tier' may contain only letters, digits and '_'"),
            (TEXT | {"Name": "a-b"}, "Name 'a-b' may contain only letters, digits and '_'"),
            (
                TEXT | {"Variable Type": "NUMBER"},
                "Variable Type 'NUMBER' is not one of STRING, INTEGER, DECIMAL, DATE_TIME, BOOLEAN",
            ),
            (
                TEXT | {"Variable Type": "INTEGER", "Default Value": "1.5"},
                "Default Value '1.5' is not a whole number (Variable Type INTEGER)",
            ),
            (
                TEXT | {"Variable Type": "DECIMAL", "Default Value": "1,5"},
                "Default Value '1,5' is not a number such as 12.5 (Variable Type DECIMAL)",
            ),
            (
                TEXT | {"Variable Type": "DECIMAL", "Default Value": "NaN"},
                "Default Value 'NaN' is not a number such as 12.5 (Variable Type DECIMAL)",
            ),
            (
                TEXT | {"Variable Type": "BOOLEAN", "Default Value": "maybe"},
                "Default Value 'maybe' is not TRUE or FALSE (Variable Type BOOLEAN)",
            ),
            (
                TEXT | {"Variable Type": "DATE_TIME", "Default Value": "2026-01-31T09:00:00"},
                "Default Value '2026-01-31T09:00:00' is not an ISO 8601 date and time with a time zone",
            ),
            (
                TEXT | {"Variable Type": "DATE_TIME", "Default Value": "31/01/2026 09:00"},
                "Default Value '31/01/2026 09:00' is not an ISO 8601 date and time with a time zone",
            ),
            (TEXT | {"Default Value": "x" * 257}, "Default Value is longer than 256 characters (it has 257)"),
            (TEXT | {"Agent Editable": "TRUE"}, "Agent Editable TRUE needs Agent Viewable TRUE"),
            (TEXT | {"Agent Viewable": "TRUE"}, "Desktop Label is required when Agent Viewable is TRUE"),
            (
                TEXT | VISIBLE | {"Desktop Label": "L" * 51},
                "Desktop Label is longer than 50 characters (it has 51)",
            ),
            (TEXT | {"Agent Viewable": "maybe"}, "Agent Viewable 'maybe' is not one of TRUE, FALSE"),
            (TEXT | {"Agent Editable": ""}, "Agent Editable is required"),
            (TEXT | {"Reportable": ""}, "Reportable is required"),
            (TEXT | {"Sensitive": "sometimes"}, "Sensitive 'sometimes' is not one of TRUE, FALSE"),
            (TEXT | {"Active": "later"}, "Active 'later' is not one of TRUE, FALSE"),
            (
                TEXT | {"Name": "LANGUAGE_CODE", "Variable Type": "INTEGER"},
                "Variable Type cannot change once the global variable exists (it is 'STRING')",
            ),
        ],
    ),
    "threshold-rule": (
        [
            QUEUE_RULE | {"Entity": "support", "Notification Receivers": "Lead@Example.com|ops@example.com"},
            {
                "Name": "IVR spike",
                "Entity Type": "entry_point",
                "Entity": "Sales",
                "Metric": "ivr calls",
                "Operand": "GREATER_OR_EQUAL",
                "Trigger Value": "100",
                "Trigger Interval": "300",
                "Agent Viewable": "no",
            },
            {
                "Name": "Nobody available",
                "Entity Type": "TEAM",
                "Entity": "Tier 2 Nis",
                "Metric": "Available Agents",
                "Operand": "EQUAL",
                "Trigger Value": "0",
                "Trigger Interval": "30",
                "Agent Viewable": "yes",
            },
            {
                "Name": "Busy site",
                "Entity Type": "SITE",
                "Entity": "Nis",
                "Metric": "Occupancy",
                "Operand": "GREATER_THAN",
                "Trigger Value": "90",
                "Trigger Interval": "120",
                "Agent Viewable": "TRUE",
            },
            {
                "Name": "Idle too long",
                "Entity Type": "AGENT",
                "Metric": "Current Idle Time",
                "Operand": "GREATER_THAN",
                "Trigger Value": "600",
                "Trigger Interval": "60",
                "Agent Viewable": "TRUE",
            },
        ],
        [QUEUE_RULE | {"Trigger Value": "8", "Notification Receivers": "lead@example.com"}],
        [
            (
                QUEUE_RULE | {"Entity Type": "GROUP"},
                "Entity Type 'GROUP' is not one of ENTRY_POINT, QUEUE, SITE, TEAM, AGENT",
            ),
            (QUEUE_RULE | {"Entity": ""}, "Entity is required for Entity Type QUEUE"),
            (QUEUE_RULE | {"Entity": "Nope"}, "Entity 'Nope' does not exist among the queues (Entity Type QUEUE)"),
            # Sales is an entry point: the Entity Type decides where the name is looked up.
            (QUEUE_RULE | {"Entity": "Sales"}, "Entity 'Sales' does not exist among the queues (Entity Type QUEUE)"),
            (
                QUEUE_RULE | {"Entity Type": "AGENT", "Metric": "Total Idle Time"},
                "Entity 'Support' must be empty for Entity Type AGENT",
            ),
            (QUEUE_RULE | {"Metric": "Occupancy"}, "Metric 'Occupancy' does not suit Entity Type QUEUE"),
            (
                QUEUE_RULE | {"Entity Type": "ENTRY_POINT", "Entity": "Sales", "Metric": "Abandoned Calls"},
                "Metric 'Abandoned Calls' does not suit Entity Type ENTRY_POINT, whose metrics are: IVR Calls, "
                "Short Calls",
            ),
            (QUEUE_RULE | {"Metric": "Calls"}, "Metric 'Calls' is not one of IVR Calls, Short Calls"),
            (QUEUE_RULE | {"Operand": "ABOVE"}, "Operand 'ABOVE' is not one of GREATER_THAN, GREATER_OR_EQUAL"),
            (QUEUE_RULE | {"Trigger Value": "1.5"}, "Trigger Value '1.5' is not a whole number"),
            (QUEUE_RULE | {"Trigger Value": "-1"}, "Trigger Value '-1' must be 0 or more"),
            (
                QUEUE_RULE | {"Trigger Value": "0"},
                "Trigger Value '0' must be more than 0 for Metric Abandoned Calls",
            ),
            (
                QUEUE_RULE | {"Metric": "Average Speed of Answer", "Trigger Value": "0"},
                "Trigger Value '0' must be more than 0 for Metric Average Speed of Answer",
            ),
            (
                QUEUE_RULE | {"Metric": "Service Level Threshold", "Trigger Value": "101"},
                "Trigger Value '101' must be a percentage from 0 to 100 for Metric Service Level Threshold",
            ),
            (QUEUE_RULE | {"Trigger Interval": "0"}, "Trigger Interval '0' must be 1 or more"),
            (QUEUE_RULE | {"Trigger Interval": ""}, "Trigger Interval is required"),
            (QUEUE_RULE | {"Trigger Interval": "2.5"}, "Trigger Interval '2.5' is not a whole number"),
            (
                QUEUE_RULE | {"Notification Receivers": "lead@example.com|not-an-address"},
                "Notification Receivers 'not-an-address' is not a valid email address",
            ),
            (QUEUE_RULE | {"Agent Viewable": ""}, "Agent Viewable is required"),
            (
                QUEUE_RULE | {"Name": "Team short of agents", "Entity Type": "SITE", "Entity": "Belgrade"},
                "Entity Type cannot change once the threshold rule exists (it is 'TEAM')",
            ),
            (
                QUEUE_RULE
                | {
                    "Name": "Team short of agents",
                    "Entity Type": "TEAM",
                    "Entity": "Tier 2 Nis",
                    "Metric": "Idle Agents",
                },
                "Entity cannot change once the threshold rule exists (it is 'Tier 1 Belgrade')",
            ),
        ],
    ),
}

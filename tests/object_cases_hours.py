"""Rows of tests/object_cases.py's CASES for overrides, holiday lists and working hours (SPEC rows
25-27): rows that create objects, rows that update the first of them, and bad rows with the message
each must fail with. They refer to the objects of test_bulk_objects.py's `world` fixture (the
override "Christmas Eve", the holiday list "Serbian Holidays", the working hours "Office Hours")."""

BELGRADE = {"Timezone": "Europe/Belgrade"}
EVE = BELGRADE | {
    "Name": "Winter",
    "Override Name": "Christmas Eve",
    "Start Date Time": "2026-12-24T14:00",
    "End Date Time": "2026-12-24T23:59",
    "Working Hours": "FALSE",
}
NEW_YEAR = {"Name": "Serbia 2027", "Holiday Name": "New Year", "Start Date": "2027-01-01", "End Date": "2027-01-02"}
MORNING = BELGRADE | {
    "Name": "Office Hours Belgrade",
    "Shift Name": "Morning",
    "Days": "MON|TUE|WED|THU|FRI",
    "Start Time": "08:00",
    "End Time": "12:00",
}
REFERENCES = {"Holiday List": "Serbian Holidays", "Override": "Christmas Eve"}
WEEK = "MON, TUE, WED, THU, FRI, SAT, SUN"

# slug: (rows that create objects, rows that update the first of them, [(bad row, message), ...])
HOURS_CASES = {
    "override": (
        [
            EVE | {"End Date Time": "2026-12-24 23:59", "Working Hours": "false"},
            {
                "Name": "Winter",
                "Override Name": "Stock Take",
                "Start Date Time": "2027-01-10T08:00",
                "End Date Time": "2027-01-10T12:00",
                "Working Hours": "yes",
                "Frequency": "monthly",
                "Repeat Until": "2027-12-31",
            },
            {
                "Name": "Campaign",
                "Description": "Spring launch",
                "Timezone": "America/New_York",
                "Override Name": "Launch",
                "Start Date Time": "2027-03-01T07:00",
                "End Date Time": "2027-03-01T22:00",
                "Working Hours": "TRUE",
                "Frequency": "DONT_REPEAT",
            },
        ],
        [EVE | {"Start Date Time": "2026-12-24T15:00"}],
        [
            (EVE | {"Timezone": "Mars/Base"}, "Timezone 'Mars/Base' is not an IANA time zone name"),
            (EVE | {"Override Name": ""}, "Override Name is required"),
            (
                EVE | {"Start Date Time": "2026-12-24"},
                "Start Date Time '2026-12-24' is not a date and time (YYYY-MM-DDTHH:MM)",
            ),
            (
                EVE | {"End Date Time": "2026-13-01T10:00"},
                "End Date Time '2026-13-01T10:00' is not a date and time (YYYY-MM-DDTHH:MM)",
            ),
            (EVE | {"End Date Time": ""}, "End Date Time is required"),
            (
                EVE | {"End Date Time": "2026-12-24T14:00"},
                "End Date Time '2026-12-24T14:00' must be after Start Date Time '2026-12-24T14:00'",
            ),
            (EVE | {"Working Hours": "maybe"}, "Working Hours 'maybe' is not one of TRUE, FALSE"),
            (EVE | {"Working Hours": ""}, "Working Hours is required"),
            (
                EVE | {"Frequency": "HOURLY"},
                "Frequency 'HOURLY' is not one of DONT_REPEAT, DAILY, WEEKLY, MONTHLY, YEARLY",
            ),
            (
                EVE | {"Repeat Until": "2027-01-01"},
                "Repeat Until '2027-01-01' needs a repeating Frequency (DAILY, WEEKLY, MONTHLY, YEARLY)",
            ),
            (
                EVE | {"Frequency": "YEARLY", "Repeat Until": "2026-12-23"},
                "Repeat Until '2026-12-23' is before Start Date Time '2026-12-24T14:00'",
            ),
            (
                EVE | {"Frequency": "DAILY", "Repeat Until": "31/12/2027"},
                "Repeat Until '31/12/2027' is not a date (YYYY-MM-DD)",
            ),
            (
                BELGRADE | {"Name": "Christmas Eve", "Override Name": "early CLOSE", "Delete": "Yes"},
                "An override keeps at least one override period",
            ),
        ],
    ),
    "holiday-list": (
        [
            NEW_YEAR | {"Frequency": "yearly"},
            {
                "Name": "Serbia 2027",
                "Holiday Name": "Orthodox Christmas",
                "Start Date": "2027-01-07",
                "End Date": "2027-01-07",
                "Frequency": "YEARLY",
                "Repeat Until": "2030-01-07",
            },
            # Overlaps New Year and Orthodox Christmas: holidays may overlap.
            {
                "Name": "Serbia 2027",
                "Holiday Name": "Winter Break",
                "Start Date": "2027-01-01",
                "End Date": "2027-01-10",
            },
            {
                "Name": "Company",
                "Description": "Company days",
                "Holiday Name": "Founders Day",
                "Start Date": "2027-05-15",
                "End Date": "2027-05-15",
                "Frequency": "DONT_REPEAT",
            },
        ],
        [{"Name": "Serbia 2027", "Holiday Name": "winter break", "Start Date": "2027-01-02", "End Date": "2027-01-09"}],
        [
            (NEW_YEAR | {"Holiday Name": ""}, "Holiday Name is required"),
            (NEW_YEAR | {"Holiday Name": "New|Year"}, "Holiday Name 'New|Year' may not contain '|' or line breaks"),
            (NEW_YEAR | {"Start Date": "2027-02-30"}, "Start Date '2027-02-30' is not a date (YYYY-MM-DD)"),
            (NEW_YEAR | {"End Date": ""}, "End Date is required"),
            (
                NEW_YEAR | {"Start Date": "2027-01-05", "End Date": "2027-01-01"},
                "End Date '2027-01-01' may not be before Start Date '2027-01-05'",
            ),
            (NEW_YEAR | {"Frequency": "WEEKLY"}, "Frequency 'WEEKLY' is not one of DONT_REPEAT, YEARLY"),
            (
                NEW_YEAR | {"Repeat Until": "2030-01-01"},
                "Repeat Until '2030-01-01' needs a repeating Frequency (YEARLY)",
            ),
            (
                NEW_YEAR | {"Frequency": "YEARLY", "Repeat Until": "2026-12-31"},
                "Repeat Until '2026-12-31' is before Start Date '2027-01-01'",
            ),
            (
                {"Name": "Serbian Holidays", "Holiday Name": "New Year", "Delete": "Yes"},
                "A holiday list keeps at least one holiday",
            ),
        ],
    ),
    "working-hours": (
        [
            MORNING | REFERENCES | {"Days": "fri|mon|Tue|WED|thu", "Start Time": "8:00"},
            {
                "Name": "Office Hours Belgrade",
                "Shift Name": "Afternoon",
                "Days": "MON|TUE|WED|THU|FRI",
                "Start Time": "12:00",
                "End Time": "16:00",
            },
            {
                "Name": "Office Hours Belgrade",
                "Shift Name": "Saturday",
                "Days": "SAT",
                "Start Time": "09:00",
                "End Time": "13:00",
            },
            {
                "Name": "Support Line",
                "Description": "Around the clock",
                "Timezone": "UTC",
                "Shift Name": "All day",
                "Days": "MON|TUE|WED|THU|FRI|SAT|SUN",
                "Start Time": "00:00",
                "End Time": "23:59",
            },
        ],
        [MORNING | REFERENCES | {"Shift Name": "Saturday", "Days": "SAT", "Start Time": "09:00", "End Time": "14:00"}],
        [
            (MORNING | {"Timezone": "Mars/Base"}, "Timezone 'Mars/Base' is not an IANA time zone name"),
            (MORNING | {"Holiday List": "Nope"}, "Holiday List 'Nope' does not exist"),
            (MORNING | {"Override": "Nope"}, "Override 'Nope' does not exist"),
            (MORNING | {"Shift Name": ""}, "Shift Name is required"),
            (MORNING | {"Days": "MON|FUN"}, f"Days 'MON|FUN' has 'FUN', which is not one of {WEEK}"),
            (MORNING | {"Days": "MON|mon"}, "Days 'MON|mon' names MON twice"),
            (MORNING | {"Days": ""}, "Days is required"),
            (MORNING | {"Start Time": "25:00"}, "Start Time '25:00' is not a time of day (HH:MM, 24 h)"),
            (MORNING | {"End Time": ""}, "End Time is required"),
            (
                MORNING | {"Start Time": "22:00", "End Time": "06:00"},
                "End Time '06:00' must be after Start Time '22:00' (a shift past midnight is two shifts)",
            ),
            (
                MORNING
                | {"Name": "Office Hours", "Shift Name": "Late", "Days": "SAT|FRI", "Start Time": "15:00"}
                | {"End Time": "20:00"},
                "Shifts 'Weekdays' (08:00-16:00) and 'Late' (15:00-20:00) overlap on FRI",
            ),
            (
                BELGRADE | {"Name": "Office Hours", "Shift Name": "WEEKDAYS", "Delete": "Yes"},
                "Working hours keep at least one shift",
            ),
        ],
    ),
}

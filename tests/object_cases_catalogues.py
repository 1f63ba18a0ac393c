"""Rows of tests/object_cases.py's CASES for the objects that ship a default row: multimedia profiles,
desktop layouts and dial plans (SPEC rows 19-21)."""

MULTIMEDIA = {"Blending Mode": "BLENDED", "Telephony": "1", "Chat": "2", "Email": "1", "Social": "0"}
LAYOUT = '{"version": "0.1",\n  "area": {"header": {"comp": "md-tooltip"}, "panel": {"comp": "md-tabs"}}}'

# slug: (rows that create objects, rows that update the first of them, [(bad row, message), ...])
CATALOGUE_CASES = {
    "multimedia-profile": (
        [
            {"Name": "Blended Agents", **MULTIMEDIA},
            {
                "Name": "Realtime v2.1",
                "Blending Mode": "blended_realtime",
                "Telephony": "1",
                "Chat": "5",
                "Email": "0",
                "Social": "3",
            },
            {
                "Name": "Voice only",
                "Blending Mode": "EXCLUSIVE",
                "Telephony": "1",
                "Chat": "0",
                "Email": "0",
                "Social": "0",
            },
        ],
        [{"Name": "Blended Agents", **MULTIMEDIA, "Chat": "5", "Description": "More chats"}],
        [
            ({"Name": "X", **MULTIMEDIA, "Telephony": "2"}, "Telephony 2 is not allowed with Blending Mode BLENDED"),
            (
                {"Name": "X", **MULTIMEDIA, "Blending Mode": "BLENDED_REALTIME", "Telephony": "0"},
                "Telephony 0 is not allowed with Blending Mode BLENDED_REALTIME (allowed: 1)",
            ),
            (
                {"Name": "X", **MULTIMEDIA, "Blending Mode": "EXCLUSIVE", "Chat": "2"},
                "Chat 2 is not allowed with Blending Mode EXCLUSIVE (allowed: 0-1)",
            ),
            (
                {"Name": "X", **MULTIMEDIA, "Telephony": "0", "Chat": "0", "Email": "0"},
                "At least one of Telephony, Chat, Email and Social must be above 0",
            ),
            ({"Name": "X", **MULTIMEDIA, "Social": "6"}, "Social '6' must be 5 or less"),
            ({"Name": "X", **MULTIMEDIA, "Email": "one"}, "Email 'one' is not a whole number"),
            ({"Name": "X", **MULTIMEDIA, "Blending Mode": "MIXED"}, "Blending Mode 'MIXED' is not one of"),
            ({"Name": "A/B", **MULTIMEDIA}, "Name 'A/B' may contain only letters, digits, spaces and . _ -"),
        ],
    ),
    "desktop-layout": (
        [
            {"Name": "Supervisors", "Layout JSON": LAYOUT},
            {"Name": "Plain", "Description": "The built-in layout"},
        ],
        [{"Name": "Supervisors", "Layout JSON": '{"version":"0.2","area":{}}'}],
        [
            ({"Name": "X", "Layout JSON": "{version: 1}"}, "Layout JSON is not valid JSON"),
            ({"Name": "X", "Layout JSON": "[1, 2]"}, "Layout JSON must be a JSON object"),
            ({"Name": "X", "Layout JSON": '{"version": 1, "area": {}}'}, 'Layout JSON needs a "version" given as text'),
            ({"Name": "X", "Layout JSON": '{"version": "1"}'}, 'Layout JSON needs an "area" given as an object'),
        ],
    ),
    "dial-plan": (
        [
            {
                "Name": "Serbia, mobile",
                "Regular Expression": r"^\+3816[0-9]{7,8}$",
                "Prefix": "+381",
                "Stripped Characters": "()- ",
            },
            {"Name": "Internal_short", "Regular Expression": "^[0-9]{4}$"},
        ],
        [{"Name": "Serbia, mobile", "Regular Expression": r"^\+3816[0-9]{7,8}$", "Prefix": "00381"}],
        [
            ({"Name": "X", "Regular Expression": "^[0-9"}, "Regular Expression '^[0-9' does not compile"),
            ({"Name": "X", "Regular Expression": ".*", "Prefix": "+38a"}, "Prefix '+38a' may contain only digits"),
            ({"Name": "X", "Regular Expression": ""}, "Regular Expression is required"),
            (
                {"Name": "A.B", "Regular Expression": ".*"},
                "Name 'A.B' may contain only letters, digits, spaces and _ - ,",
            ),
            ({"Name": "X", "Regular Expression": "." * 256}, "Regular Expression is longer than 255 characters"),
        ],
    ),
}

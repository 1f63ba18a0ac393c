"""The data and helper of tests/test_model_rules.py: RULES, one bad value per single-object rule of SPEC
section 1 with the message it must give, and assert_rejected, which checks that full_clean() refuses an
object with a message on the given field."""

import pytest
from django.core.exceptions import ValidationError


def assert_rejected(obj, field, fragment):
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    errors = caught.value.message_dict
    assert field in errors, f"expected an error on {field}, got {errors}"
    assert any(fragment in message for message in errors[field]), errors[field]


RULES = [
    # (builder, field values, field with the error, words the message must contain)
    ("site", {"name": "Bel|grade"}, "name", "Name 'Bel|grade' may contain only letters, digits"),
    ("site", {"name": "Novi Sad: 2"}, "name", "may contain only letters"),
    ("site", {"name": "x" * 81}, "name", "Name is longer than 80 characters (it has 81)"),
    ("site", {"name": "   "}, "name", "Name is required"),
    ("site", {"description": "d" * 256}, "description", "Description is longer than 255 characters"),
    ("site", {"multimedia_profile": None}, "multimedia_profile", "Multimedia Profile is required"),
    ("work_type", {"type": "BREAK"}, "type", "Type 'BREAK' is not one of IDLE_CODE, WRAP_UP_CODE"),
    ("work_type", {"name": "Lunch|Break"}, "name", "Name 'Lunch|Break' may not contain '|'"),
    ("entry_point", {"name": "1st Line"}, "name", "Name '1st Line' must start with a letter"),
    ("entry_point", {"name": "Sales!"}, "name", "must start with a letter and contain only"),
    (
        "entry_point",
        {"service_level_threshold": -1},
        "service_level_threshold",
        "Service Level Threshold '-1' must be 0",
    ),
    ("entry_point", {"timezone": "Mars/Base"}, "timezone", "Timezone 'Mars/Base' is not an IANA time zone"),
    ("entry_point", {"channel_type": "FAX"}, "channel_type", "Channel Type 'FAX' is not one of TELEPHONY, CHAT"),
    ("entry_point", {"channel_type": "SOCIAL_CHANNEL"}, "social_channel_type", "Social Channel Type is required"),
    (
        "entry_point",
        {"social_channel_type": "SMS"},
        "social_channel_type",
        "Social Channel Type 'SMS' must be empty for channel TELEPHONY",
    ),
    (
        "entry_point",
        {"channel_type": "SOCIAL_CHANNEL", "social_channel_type": "TELEGRAM"},
        "social_channel_type",
        "Social Channel Type 'TELEGRAM' is not one of SMS, WHATSAPP, FACEBOOK MESSENGER",
    ),
    (
        "entry_point",
        {"maximum_active_contacts": -5},
        "maximum_active_contacts",
        "Maximum Active Contacts '-5' must be 0",
    ),
    ("outdial_entry_point", {"timezone": "Europe/Nowhere"}, "timezone", "Timezone 'Europe/Nowhere'"),
    ("outdial_entry_point", {"name": "Out\nbound"}, "name", "may not contain '|' or line breaks"),
    ("queue", {"channel_type": "SOCIAL_CHANNEL"}, "channel_type", "Channel Type 'SOCIAL_CHANNEL' is not one of"),
    ("queue", {"max_time_in_queue": 0}, "max_time_in_queue", "Max Time In Queue '0' must be 1 or more"),
    ("queue", {"routing_type": "ROUND_ROBIN"}, "routing_type", "Routing Type 'ROUND_ROBIN' is not one of"),
    (
        "queue",
        {"skill_based_agent_selection": "BEST_AVAILABLE_AGENT"},
        "skill_based_agent_selection",
        "Skill-Based Agent Selection 'BEST_AVAILABLE_AGENT' is allowed only with Routing Type SKILLS_BASED",
    ),
    ("queue", {"record_all_calls": True}, "record_all_calls", "Record All Calls needs Permit Recording"),
    (
        "queue",
        {"pause_resume_enabled": True},
        "recording_pause_duration",
        "Recording Pause Duration is required when Pause or Resume Enabled is TRUE",
    ),
    (
        "queue",
        {"recording_pause_duration": 30},
        "recording_pause_duration",
        "Recording Pause Duration '30' must be empty",
    ),
    ("outdial_queue", {"record_all_calls": True}, "record_all_calls", "Record All Calls needs Permit Recording"),
    ("outdial_queue", {"timezone": "Belgrade"}, "timezone", "Timezone 'Belgrade'"),
    ("skill_definition", {"name": "9 lives"}, "name", "Name '9 lives' must start with a letter"),
    ("skill_definition", {"type": "NUMBER"}, "type", "Type 'NUMBER' is not one of TEXT, PROFICIENCY, BOOLEAN, ENUM"),
    ("skill_definition", {"type": "ENUM"}, "enum_values", "List Values For Enum is required for type ENUM"),
    (
        "skill_definition",
        {"enum_values": ["A"]},
        "enum_values",
        "List Values For Enum must be empty for type PROFICIENCY",
    ),
    ("skill_definition", {"type": "ENUM", "enum_values": ["Gold", "gold"]}, "enum_values", "'gold' appears twice"),
    ("skill_definition", {"type": "ENUM", "enum_values": ["x" * 81]}, "enum_values", "longer than 80 characters"),
    ("address_book", {"parent_type": "TEAM"}, "parent_type", "Parent Type 'TEAM' is not one of ORGANIZATION, SITE"),
    ("address_book", {"parent_type": "SITE"}, "site", "Site is required when Parent Type is SITE"),
    ("team", {"name": "Tier 1: Belgrade"}, "name", "may not contain '|', ':' or line breaks"),
    ("team", {"type": "ROBOT"}, "type", "Type 'ROBOT' is not one of AGENT, CAPACITY"),
    ("team", {"type": "CAPACITY", "capacity": 5}, "dn", "DN is required for CAPACITY teams"),
    ("team", {"type": "CAPACITY", "dn": "+381111"}, "capacity", "Capacity is required for CAPACITY teams"),
    ("team", {"type": "CAPACITY", "dn": "+381111", "capacity": 0}, "capacity", "Capacity '0' must be 1 or more"),
    ("team", {"capacity": 4}, "capacity", "Capacity '4' is allowed only for CAPACITY teams"),
    ("team", {"dn": "call me"}, "dn", "may hold an optional leading '+'"),
    ("agent_profile", {"wrap_up_type": "AUTO"}, "auto_wrap_up_time", "Auto Wrap Up Time is required"),
    ("agent_profile", {"wrap_up_type": "LATER"}, "wrap_up_type", "Wrap Up Type 'LATER' is not one of MANUAL, AUTO"),
    ("agent_profile", {"outdial_enabled": True}, "outdial_entry_point", "Outdial EP is required"),
    (
        "agent_profile",
        {"dn_validation_option": "VALIDATION CRITERIA"},
        "validation_criteria",
        "Validation Criteria is required",
    ),
    ("agent_profile", {"buddy_team_option": "SOME"}, "buddy_team_option", "'SOME' is not one of ALL, SPECIFIC, NONE"),
    ("agent_profile", {"idle_options": "NONE"}, "idle_options", "Idle Options 'NONE' is not one of ALL, SPECIFIC"),
    ("user", {"email": "ana@"}, "email", "Email 'ana@' is not a valid email address"),
    ("user", {"user_profile": None}, "user_profile", "User Profile is required"),
    ("user", {"default_dn": "ext 12"}, "default_dn", "may hold an optional leading '+'"),
    ("user_profile", {"profile_type": "AGENT"}, "profile_type", "Profile Type 'AGENT' is not one of ADMINISTRATOR"),
    ("user_profile", {"resource_access_level": "SOME"}, "resource_access_level", "'SOME' is not one of ALL, SPECIFIC"),
    ("audio_file", {"name": "music.mp3"}, "name", "File Name 'music.mp3' must end in .wav"),
    ("audio_file", {"name": "../etc/x.wav"}, "name", "may not contain '/'"),
    ("dn_mapping", {"dialed_number": "14a5"}, "dialed_number", "Dialed Number '14a5' may hold an optional"),
    ("dn_mapping", {"dialed_number": "1" * 21}, "dialed_number", "Dialed Number is longer than 20 characters"),
    ("dn_mapping", {"region": "FR"}, "region", "Region 'FR' is not one of US, CA, MX, AU, SG, GB, DE"),
    ("outdial_ani", {"name": "a|b"}, "name", "may not contain '|'"),
]

"""One django-import-export Resource per bulk object, and the only place an object is declared for
bulk work: its slug, label, other spellings and file kind (the registry is built from these
classes), and its CSV columns in the SPEC's order, taken from the model's fields (see columns.py);
only what differs is declared by hand. Another app declares its objects the same way, in a
`resources` module of its own."""

from django.utils.translation import gettext_lazy as _
from import_export.resources import Resource

from config_objects import models as m
from config_objects.columns import (
    CHILD,
    ChildRows,
    ConfigResource,
    column,
    delete_column,
    flag,
)
from config_objects.models.routing import ChannelType
from config_objects.widgets import Choice, ValueList


class DistributionGroupRules:
    def children_problems(self, children: list[dict]) -> list[str]:
        return m.validate_distribution_groups([(c["seq"], c["fallback_time"], c["teams"]) for c in children])


class SiteResource(ConfigResource):
    slug, label = "site", _("Site")

    class Meta:
        model = m.Site
        fields = ("name", "description", "multimedia_profile")


class WorkTypeResource(ConfigResource):
    slug, label = "work-type", _("Work Type")

    class Meta:
        model = m.WorkType
        fields = ("name", "description", "type")


class EntryPointResource(ConfigResource):
    slug, label = "entry-point", _("Entry Point")
    channel_type = column(
        "Channel Type", "channel_type", Choice(ChannelType, aliases={"SOCIAL CHANNEL": "SOCIAL_CHANNEL"})
    )

    class Meta:
        model = m.EntryPoint
        fields = (
            "name",
            "description",
            "service_level_threshold",
            "timezone",
            "channel_type",
            "social_channel_type",
            "asset_name",
            "maximum_active_contacts",
        )


class OutdialEntryPointResource(ConfigResource):
    slug, label = "outdial-entry-point", _("Outdial Entry Point")

    class Meta:
        model = m.OutdialEntryPoint
        fields = ("name", "description", "service_level_threshold", "timezone", "outdial_queue")


GROUP_COLUMNS = ("seq", "fallback_time", "teams")


class QueueResource(DistributionGroupRules, ConfigResource):
    slug, label = "queue", _("Queue")
    children = ChildRows(m.QueueGroup, parent="queue", key=None, fields=GROUP_COLUMNS)

    class Meta:
        model = m.Queue
        fields = (
            "name",
            "description",
            "channel_type",
            "max_time_in_queue",
            "service_level_threshold",
            "timezone",
            "permit_monitoring",
            "permit_recording",
            "record_all_calls",
            "pause_resume_enabled",
            "recording_pause_duration",
            "default_music",
            "routing_type",
            "skill_based_agent_selection",
            *GROUP_COLUMNS,
        )


class OutdialQueueResource(DistributionGroupRules, ConfigResource):
    slug, label = "outdial-queue", _("Outdial Queue")
    children = ChildRows(m.OutdialQueueGroup, parent="queue", key=None, fields=GROUP_COLUMNS)

    class Meta:
        model = m.OutdialQueue
        fields = (
            "name",
            "description",
            "service_level_threshold",
            "timezone",
            "permit_monitoring",
            "permit_recording",
            "record_all_calls",
            "default_music",
            *GROUP_COLUMNS,
        )


class SkillDefinitionResource(ConfigResource):
    slug, label = "skill-definition", _("Skill Definition")
    enum_values = column("List Values For Enum", "enum_values", ValueList(), optional=True)

    class Meta:
        model = m.SkillDefinition
        fields = ("name", "description", "service_level_threshold", "type", "enum_values")


class SkillProfileResource(ConfigResource):
    slug, label = "skill-profile", _("Skill Profile")
    children = ChildRows(
        m.SkillProfileSkill,
        parent="profile",
        key="skill",
        fields=("skill",),
        last_one=_("A skill profile keeps at least one skill: this file would remove its last one"),
    )
    value = column("Skill Values", "value", part=CHILD)  # checked against the skill's type, so blank in the model
    delete = delete_column()

    class Meta:
        model = m.SkillProfile
        fields = ("name", "description", "skill", "value", "delete")


class AuxiliaryCodeResource(ConfigResource):
    slug, label = "auxiliary-code", _("Auxiliary Code")
    sequential = True
    # Each kind's default first: into an empty system, a kind's other codes need its default to exist.
    export_order = ("-is_default", "match_key")
    is_default = flag("Default", "is_default", words=("ON", "OFF"))

    class Meta:
        model = m.AuxiliaryCode
        fields = ("name", "description", "is_default", "work_type")


ENTRY_COLUMNS = ("entry_name", "entry_number", "delete")


class EntryColumns(Resource):
    """Entries of an address book or outdial ANI: their name and number (the child model's own
    name and number fields, spelled Entry Name / Entry Number), and Delete."""

    entry_name = column("Entry Name", "name", part=CHILD)
    entry_number = column("Entry Number", "number", part=CHILD)
    delete = delete_column()


class AddressBookResource(EntryColumns, ConfigResource):
    slug, label = "address-book", _("Address Book")
    children = ChildRows(m.AddressBookEntry, parent="book", key="name")

    class Meta:
        model = m.AddressBook
        fields = ("name", "description", "parent_type", "site", *ENTRY_COLUMNS)


class TeamResource(ConfigResource):
    slug, label = "team", _("Team")

    class Meta:
        model = m.Team
        fields = ("name", "site", "type", "multimedia_profile", "skill_profile", "dn", "capacity", "desktop_layout")


class AgentProfileResource(ConfigResource):
    slug, label = "agent-profile", _("Agent Profile")
    aliases = ("desktop-profile",)
    empty_flags = False

    class Meta:
        model = m.AgentProfile
        fields = (
            "name",
            "description",
            "parent_site",
            "screen_popups",
            "last_agent_routing",
            "wrap_up_type",
            "auto_wrap_up_time",
            "agent_available_after_outdial",
            "allow_auto_wrap_up_extension",
            "wrap_up_options",
            "wrap_up_codes",
            "idle_options",
            "idle_codes",
            "transfer_options",
            "transfer_targets",
            "buddy_team_option",
            "buddy_teams",
            "consult_to_queue",
            "outdial_enabled",
            "outdial_entry_point",
            "address_book",
            "dial_plan_enabled",
            "dial_plans",
            "outdial_ani",
            "dn_validation_option",
            "validation_criteria",
            "agent_statistics",
            "queue_statistics_option",
            "selected_queues",
            "logged_in_team_statistics",
            "team_statistics_option",
            "selected_teams",
            "agent_threshold_alerts_enabled",
            "agent_threshold_alerts",
        )


class UserResource(ConfigResource):
    slug, label = "user", _("User")
    aliases = ("contact-center-user",)
    contact_center_enabled = flag("Contact Center Enabled", "contact_center_enabled", words=("On", "Off"))

    class Meta:
        model = m.ContactCenterUser
        import_id_fields = ["email"]
        fields = (
            "email",
            "first_name",
            "last_name",
            "user_profile",
            "contact_center_enabled",
            "site",
            "teams",
            "skill_profile",
            "desktop_profile",
            "multimedia_profile",
            "external_id",
            "default_dn",
        )


class UserProfileResource(ConfigResource):
    slug, label = "user-profile", _("User Profile")

    class Meta:
        model = m.UserProfile
        fields = (
            "name",
            "description",
            "profile_type",
            "active",
            "permission_access_level",
            "resource_access_level",
        )


class AudioFileResource(ConfigResource):
    """Audio files come in a Zip: one entry per file, named by its file name."""

    slug, label = "audio-file", _("Audio File")
    aliases = ("audio",)
    file_kind = "zip"
    name = column("File Name", "name")

    class Meta:
        model = m.AudioFile
        fields = ("name",)

    def kept_state(self, obj) -> list[str]:
        return [obj.file.name or "", obj.sha256]


class DNMappingResource(ConfigResource):
    slug, label = "dn-mapping", _("DN to EP Mapping")
    aliases = ("dn-to-ep-mapping", "dntoepmapping")

    class Meta:
        model = m.DNMapping
        import_id_fields = ["dialed_number"]
        fields = ("dialed_number", "entry_point", "region")


class OutdialANIResource(EntryColumns, ConfigResource):
    slug, label = "outdial-ani", _("Outdial ANI")
    children = ChildRows(m.OutdialANIEntry, parent="ani", key="name")

    class Meta:
        model = m.OutdialANI
        fields = ("name", "description", *ENTRY_COLUMNS)


# SPEC rows 18-27, declared in modules of their own, one import line each, in the SPEC's order.
# isort: off
from config_objects import resources_variables  # noqa: E402,F401  SPEC row 18
from config_objects import resources_catalogues  # noqa: E402,F401  SPEC rows 19-21
from config_objects import resources_schedules  # noqa: E402,F401  SPEC rows 22-23
from config_objects import resources_thresholds  # noqa: E402,F401  SPEC row 24
from config_objects import resources_hours  # noqa: E402,F401  SPEC rows 25-27
# isort: on

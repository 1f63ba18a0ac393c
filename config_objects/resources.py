"""One django-import-export Resource per CSV object: its columns, in the SPEC's order, and how each
cell becomes a value. The bulk engine (bulkops.engine) drives all of them the same way."""

from dataclasses import dataclass

from django.utils.functional import classproperty
from django.utils.text import capfirst
from import_export import resources
from import_export.fields import Field

from config_objects import models as m
from config_objects.models.people import Scope, ScopeOrNone
from config_objects.models.routing import ChannelType
from config_objects.widgets import Choice, Flag, NameList, NameRef, TeamList, Text, ValueList, Whole

OBJECT, LINK, CHILD, DELETE = "object", "link", "child", "delete"


def column(name, attribute, widget=None, *, optional=False, part=OBJECT) -> Field:
    """A CSV column. Required columns must be in the header; part says where the value goes: the
    object's field, its many-to-many list (link), or the child row (child / delete)."""
    field = Field(attribute=attribute, column_name=name, widget=widget or Text())
    field.required = not optional
    field.part = part
    return field


def name_column(name="Name", attribute="name"):
    return column(name, attribute)


def description_column():
    return column("Description", "description", optional=True)


def threshold_column():
    return column("Service Level Threshold", "service_level_threshold", Whole())


def timezone_column():
    return column("Timezone", "timezone")


def ref(name, attribute, model, *, optional=False, part=OBJECT, **widget_options):
    return column(name, attribute, NameRef(model, **widget_options), optional=optional, part=part)


def flag(name, attribute, *, words=("TRUE", "FALSE"), empty=None, part=OBJECT):
    return column(name, attribute, Flag(words, empty=empty), optional=empty is not None, part=part)


def delete_column():
    return flag("Delete", "delete", empty=False, part=DELETE)


@dataclass(frozen=True)
class ChildRows:
    """Objects written over several rows, one child each (a skill, an entry, a distribution group).

    key: the child attribute that identifies a child within its object, merging rows into what is
    stored (rows with Delete=Yes remove one); None: the rows replace all children.
    """

    model: type
    parent: str
    key: str | None


class ConfigResource(resources.Resource):
    """Declared columns, in file order; Meta names the model and its key (import_id_fields)."""

    children: ChildRows | None = None
    # Rows that depend on the rows before them (moving a default) are validated and saved one at a time.
    sequential = False

    class Meta:
        import_id_fields = ["name"]

    @classmethod
    def label(cls) -> str:
        return cls.model._meta.verbose_name

    @classmethod
    def title(cls) -> str:
        return capfirst(cls.model._meta.verbose_name)

    def columns(self, part=None) -> list[Field]:
        return [f for f in self.fields.values() if part is None or f.part == part]

    @classproperty
    def model(cls) -> type:
        return cls._meta.model

    def key_column(self) -> Field:
        key = self._meta.import_id_fields[0]
        return next(f for f in self.columns() if f.attribute == key)

    def children_problems(self, children: list[dict]) -> list[str]:
        """Rules across one object's children, as they will be stored after the import."""
        return []


class DistributionGroupRules:
    def children_problems(self, children: list[dict]) -> list[str]:
        return m.validate_distribution_groups([(c["seq"], c["fallback_time"], c["teams"]) for c in children])


class SiteResource(ConfigResource):
    name = name_column()
    description = description_column()
    multimedia_profile = ref("Multimedia Profile", "multimedia_profile", m.MultimediaProfile)

    class Meta:
        model = m.Site


class WorkTypeResource(ConfigResource):
    name = name_column()
    description = description_column()
    type = column("Type", "type", Choice(m.WorkType.Type))

    class Meta:
        model = m.WorkType


class EntryPointResource(ConfigResource):
    name = name_column()
    description = description_column()
    service_level_threshold = threshold_column()
    timezone = timezone_column()
    channel_type = column(
        "Channel Type", "channel_type", Choice(ChannelType, aliases={"SOCIAL CHANNEL": "SOCIAL_CHANNEL"})
    )
    social_channel_type = column(
        "Social Channel Type", "social_channel_type", Choice(m.EntryPoint.SocialChannelType), optional=True
    )
    asset_name = column("Asset Name", "asset_name", optional=True)
    maximum_active_contacts = column("Maximum Active Contacts", "maximum_active_contacts", Whole(0), optional=True)

    class Meta:
        model = m.EntryPoint


class OutdialEntryPointResource(ConfigResource):
    name = name_column()
    description = description_column()
    service_level_threshold = threshold_column()
    timezone = timezone_column()
    outdial_queue = ref("Outdial Queue", "outdial_queue", m.OutdialQueue, optional=True)

    class Meta:
        model = m.OutdialEntryPoint


def group_seq_column():
    return column("Distribution Group Seq", "seq", Whole(), part=CHILD)


def group_fallback_column():
    return column("Group Fallback Time", "fallback_time", Whole(), optional=True, part=CHILD)


def group_teams_column():
    return column("Group Teams", "teams", TeamList(m.Team), part=CHILD)


class QueueResource(DistributionGroupRules, ConfigResource):
    children = ChildRows(m.QueueGroup, parent="queue", key=None)
    name = name_column()
    description = description_column()
    channel_type = column("Channel Type", "channel_type", Choice(m.Queue.Channel))
    max_time_in_queue = column("Max Time In Queue", "max_time_in_queue", Whole())
    service_level_threshold = threshold_column()
    timezone = timezone_column()
    permit_monitoring = flag("Permit Monitoring", "permit_monitoring")
    permit_recording = flag("Permit Recording", "permit_recording")
    record_all_calls = flag("Record All Calls", "record_all_calls")
    pause_resume_enabled = flag("Pause or Resume Enabled", "pause_resume_enabled")
    recording_pause_duration = column("Recording Pause Duration", "recording_pause_duration", Whole(), optional=True)
    default_music = ref("Default Music in Queue", "default_music", m.AudioFile, optional=True)
    routing_type = column("Routing Type", "routing_type", Choice(m.Queue.RoutingType))
    skill_based_agent_selection = column(
        "Skill-Based Agent Selection", "skill_based_agent_selection", Choice(m.Queue.AgentSelection), optional=True
    )
    seq = group_seq_column()
    fallback_time = group_fallback_column()
    teams = group_teams_column()

    class Meta:
        model = m.Queue


class OutdialQueueResource(DistributionGroupRules, ConfigResource):
    children = ChildRows(m.OutdialQueueGroup, parent="queue", key=None)
    name = name_column()
    description = description_column()
    service_level_threshold = threshold_column()
    timezone = timezone_column()
    permit_monitoring = flag("Permit Monitoring", "permit_monitoring")
    permit_recording = flag("Permit Recording", "permit_recording")
    record_all_calls = flag("Record All Calls", "record_all_calls")
    default_music = ref("Default Music in Queue", "default_music", m.AudioFile, optional=True)
    seq = group_seq_column()
    fallback_time = group_fallback_column()
    teams = group_teams_column()

    class Meta:
        model = m.OutdialQueue


class SkillDefinitionResource(ConfigResource):
    name = name_column()
    description = description_column()
    service_level_threshold = threshold_column()
    type = column("Type", "type", Choice(m.SkillDefinition.Type))
    enum_values = column("List Values For Enum", "enum_values", ValueList(), optional=True)

    class Meta:
        model = m.SkillDefinition


class SkillProfileResource(ConfigResource):
    children = ChildRows(m.SkillProfileSkill, parent="profile", key="skill")
    name = name_column()
    description = description_column()
    skill = ref("Skill Name", "skill", m.SkillDefinition, part=CHILD)
    value = column("Skill Values", "value", part=CHILD)
    delete = delete_column()

    class Meta:
        model = m.SkillProfile

    def children_problems(self, children: list[dict]) -> list[str]:
        return [] if children else ["A skill profile keeps at least one skill: this file would remove its last one"]


class AuxiliaryCodeResource(ConfigResource):
    sequential = True
    name = name_column()
    description = description_column()
    is_default = flag("Default", "is_default", words=("ON", "OFF"))
    work_type = ref("Work Type", "work_type", m.WorkType)

    class Meta:
        model = m.AuxiliaryCode


def entry_name_column():
    return column("Entry Name", "name", optional=False, part=CHILD)


def entry_number_column():
    return column("Entry Number", "number", part=CHILD)


class AddressBookResource(ConfigResource):
    children = ChildRows(m.AddressBookEntry, parent="book", key="name")
    name = name_column()
    description = description_column()
    parent_type = column("Parent Type", "parent_type", Choice(m.AddressBook.ParentType))
    site = ref("Site", "site", m.Site, optional=True)
    entry_name = entry_name_column()
    entry_number = entry_number_column()
    delete = delete_column()

    class Meta:
        model = m.AddressBook


class TeamResource(ConfigResource):
    name = name_column()
    site = ref("Site", "site", m.Site)
    type = column("Type", "type", Choice(m.Team.Type))
    multimedia_profile = ref("Multimedia Profile", "multimedia_profile", m.MultimediaProfile, optional=True)
    skill_profile = ref("Skill Profile", "skill_profile", m.SkillProfile, optional=True)
    dn = column("DN", "dn", optional=True)
    capacity = column("Capacity", "capacity", Whole(), optional=True)
    desktop_layout = ref("Desktop Layout", "desktop_layout", m.DesktopLayout, optional=True)

    class Meta:
        model = m.Team


def option(name, attribute, choices):
    return column(name, attribute, Choice(choices))


def option_list(name, attribute, model, widget=NameList):
    return column(name, attribute, widget(model), optional=True, part=LINK)


def agent_flag(name, attribute):
    return flag(name, attribute, empty=False)


class AgentProfileResource(ConfigResource):
    name = name_column()
    description = description_column()
    parent_site = ref("Parent Site", "parent_site", m.Site, optional=True)
    screen_popups = agent_flag("Screen Popups", "screen_popups")
    last_agent_routing = agent_flag("Last Agent Routing", "last_agent_routing")
    wrap_up_type = option("Wrap Up Type", "wrap_up_type", m.AgentProfile.WrapUpType)
    auto_wrap_up_time = column("Auto Wrap Up Time", "auto_wrap_up_time", Whole(), optional=True)
    agent_available_after_outdial = agent_flag("Agent Available After Outdial", "agent_available_after_outdial")
    allow_auto_wrap_up_extension = agent_flag("Allow Auto Wrap Up Extension", "allow_auto_wrap_up_extension")
    wrap_up_options = option("Wrap Up Options", "wrap_up_options", Scope)
    wrap_up_codes = option_list("Wrap Up Codes", "wrap_up_codes", m.AuxiliaryCode)
    idle_options = option("Idle Options", "idle_options", Scope)
    idle_codes = option_list("Idle Codes", "idle_codes", m.AuxiliaryCode)
    transfer_options = option("Transfer Options", "transfer_options", Scope)
    transfer_targets = option_list("Transfer Targets", "transfer_targets", m.Queue)
    buddy_team_option = option("Buddy Team Option", "buddy_team_option", ScopeOrNone)
    buddy_teams = option_list("Buddy Teams", "buddy_teams", m.Team, TeamList)
    consult_to_queue = agent_flag("Consult To Queue", "consult_to_queue")
    outdial_enabled = agent_flag("Outdial Enabled", "outdial_enabled")
    outdial_entry_point = ref("Outdial EP", "outdial_entry_point", m.OutdialEntryPoint, optional=True)
    address_book = ref("Address Book", "address_book", m.AddressBook, optional=True)
    dial_plan_enabled = agent_flag("Dial Plan Enabled", "dial_plan_enabled")
    dial_plans = option_list("Dial Plan", "dial_plans", m.DialPlan)
    outdial_ani = ref("Outdial ANI", "outdial_ani", m.OutdialANI, optional=True)
    dn_validation_option = option("DN Validation Option", "dn_validation_option", m.AgentProfile.DNValidation)
    validation_criteria = column("Validation Criteria", "validation_criteria", optional=True)
    agent_statistics = agent_flag("Agent Statistics", "agent_statistics")
    queue_statistics_option = option("Queue Statistics Option", "queue_statistics_option", ScopeOrNone)
    selected_queues = option_list("Selected Queues", "selected_queues", m.Queue)
    logged_in_team_statistics = agent_flag("Logged In Team Statistics", "logged_in_team_statistics")
    team_statistics_option = option("Team Statistics Option", "team_statistics_option", ScopeOrNone)
    selected_teams = option_list("Selected Teams", "selected_teams", m.Team, TeamList)
    agent_threshold_alerts_enabled = agent_flag("Agent Threshold Alerts Enabled", "agent_threshold_alerts_enabled")
    agent_threshold_alerts = column("Agent Threshold Alerts", "agent_threshold_alerts", optional=True)

    class Meta:
        model = m.AgentProfile


class UserResource(ConfigResource):
    email = name_column("Email", "email")
    first_name = column("First Name", "first_name", optional=True)
    last_name = column("Last Name", "last_name", optional=True)
    user_profile = ref("User Profile", "user_profile", m.UserProfile)
    contact_center_enabled = flag("Contact Center Enabled", "contact_center_enabled", words=("On", "Off"))
    site = ref("Site", "site", m.Site, optional=True)
    teams = column("Teams", "teams", TeamList(m.Team), optional=True, part=LINK)
    skill_profile = ref("Skill Profile", "skill_profile", m.SkillProfile, optional=True)
    desktop_profile = ref("Desktop Profile", "desktop_profile", m.AgentProfile, optional=True)
    multimedia_profile = ref("Multimedia Profile", "multimedia_profile", m.MultimediaProfile, optional=True)
    external_id = column("External Id", "external_id", optional=True)
    default_dn = column("Default DN", "default_dn", optional=True)

    class Meta:
        model = m.ContactCenterUser
        import_id_fields = ["email"]


class UserProfileResource(ConfigResource):
    name = name_column()
    description = description_column()
    profile_type = column("Profile Type", "profile_type", Choice(m.UserProfile.ProfileType))
    active = flag("Active", "active")
    permission_access_level = column(
        "Permission Access Level", "permission_access_level", Choice(m.UserProfile.AccessLevel)
    )
    resource_access_level = column("Resource Access Level", "resource_access_level", Choice(m.UserProfile.AccessLevel))

    class Meta:
        model = m.UserProfile


class DNMappingResource(ConfigResource):
    dialed_number = name_column("Dialed Number", "dialed_number")
    entry_point = ref("Entry Point", "entry_point", m.EntryPoint)
    region = column("Region", "region", Choice(m.DNMapping.Region), optional=True)

    class Meta:
        model = m.DNMapping
        import_id_fields = ["dialed_number"]


class OutdialANIResource(ConfigResource):
    children = ChildRows(m.OutdialANIEntry, parent="ani", key="name")
    name = name_column()
    description = description_column()
    entry_name = entry_name_column()
    entry_number = entry_number_column()
    delete = delete_column()

    class Meta:
        model = m.OutdialANI


RESOURCES = {
    resource.model: resource
    for resource in (
        SiteResource,
        WorkTypeResource,
        EntryPointResource,
        OutdialEntryPointResource,
        QueueResource,
        OutdialQueueResource,
        SkillDefinitionResource,
        SkillProfileResource,
        AuxiliaryCodeResource,
        AddressBookResource,
        TeamResource,
        AgentProfileResource,
        UserResource,
        UserProfileResource,
        DNMappingResource,
        OutdialANIResource,
    )
}


def resource_for(model) -> type[ConfigResource]:
    return RESOURCES[model]

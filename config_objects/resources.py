"""One django-import-export Resource per bulk object, and the only place an object is declared for
bulk work: its slug, label, other spellings and file kind (the registry is built from these
classes), and its CSV columns in the SPEC's order.

A column is taken from the model field of the same name: its header is the field's verbose name,
its widget follows the field (a reference by name, a list of names, a flag, a choice, a whole
number, text), and it is optional when the field may be blank or has a default. Only what differs
is declared by hand. The bulk engine (bulkops.engine) drives all of them the same way."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import classproperty
from django.utils.text import capfirst
from import_export import resources
from import_export.fields import Field

from config_objects import models as m
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


def flag(name, attribute, *, words=("TRUE", "FALSE"), empty=None, part=OBJECT):
    return column(name, attribute, Flag(words, empty=empty), optional=empty is not None, part=part)


def delete_column():
    return flag("Delete", "delete", empty=False, part=DELETE)


def column_from(model_field, *, part=OBJECT, empty_flags=None) -> Field:
    """The column a model field makes, named by its verbose name."""
    optional = model_field.blank or model_field.has_default()
    name, attribute = str(model_field.verbose_name), model_field.name
    if isinstance(model_field, models.ManyToManyField):
        target = model_field.remote_field.model
        widget = TeamList(target) if target is m.Team else NameList(target)
        if part == CHILD:  # a child's list (a distribution group's teams) is what the row is for
            return column(name, attribute, widget, optional=model_field.blank, part=CHILD)
        return column(name, attribute, widget, optional=True, part=LINK)
    if isinstance(model_field, models.ForeignKey):
        return column(name, attribute, NameRef(model_field.remote_field.model), optional=model_field.blank, part=part)
    if isinstance(model_field, models.BooleanField):
        return flag(name, attribute, empty=empty_flags, part=part)
    if model_field.choices:
        return column(name, attribute, Choice(model_field.choices), optional=model_field.blank, part=part)
    if isinstance(model_field, models.IntegerField):
        empty = model_field.default if model_field.has_default() else None
        return column(name, attribute, Whole(empty), optional=optional, part=part)
    return column(name, attribute, Text(), optional=model_field.blank, part=part)


@dataclass(frozen=True)
class ChildRows:
    """Objects written over several rows, one child each (a skill, an entry, a distribution group).

    key: the child attribute that identifies a child within its object, merging rows into what is
    stored (rows with Delete=Yes remove one); None: the rows replace all children. fields: the child
    model's fields that are columns (declared columns of the same name win).
    """

    model: type
    parent: str
    key: str | None
    fields: tuple[str, ...] = field(default=())


DECLARED: list[type["ConfigResource"]] = []  # every bulk object's Resource, in the SPEC's order


class ConfigResource(resources.ModelResource):
    """The declaration of one bulk object. Meta.model and Meta.fields (the columns, in file order)
    are required; so are slug and label. Meta.import_id_fields names the key (default: name)."""

    slug: str = ""
    label: str = ""
    aliases: tuple[str, ...] = ()  # other names users type for the object
    file_kind = "csv"
    children: ChildRows | None = None
    # Rows that depend on the rows before them (moving a default) are validated and saved one at a time.
    sequential = False
    # An empty flag cell means FALSE (and the column may be left out), instead of being required.
    empty_flags: bool | None = None

    class Meta:
        import_id_fields = ["name"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("slug"):
            DECLARED.append(cls)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        return column_from(django_field, empty_flags=cls.empty_flags)

    @classmethod
    def noun(cls) -> str:
        return cls.model._meta.verbose_name

    @classmethod
    def title(cls) -> str:
        return capfirst(cls.model._meta.verbose_name)

    @classproperty
    def model(cls) -> type:
        return cls._meta.model

    def columns(self, part=None) -> list[Field]:
        """Every column in Meta.fields order (child columns made from the child model's fields), each
        this instance's own: widgets cache the names they looked up, for one job only."""
        if "ordered" not in self.__dict__:
            declared = dict(self.fields)
            for name in self.children.fields if self.children is not None else ():
                if name not in declared:
                    declared[name] = column_from(self.children.model._meta.get_field(name), part=CHILD)
            self.ordered = [declared[name] for name in self._meta.fields]
        return [f for f in self.ordered if part is None or f.part == part]

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
    slug, label = "site", "Site"

    class Meta:
        model = m.Site
        fields = ("name", "description", "multimedia_profile")


class WorkTypeResource(ConfigResource):
    slug, label = "work-type", "Work Type"

    class Meta:
        model = m.WorkType
        fields = ("name", "description", "type")


class EntryPointResource(ConfigResource):
    slug, label = "entry-point", "Entry Point"
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
    slug, label = "outdial-entry-point", "Outdial Entry Point"

    class Meta:
        model = m.OutdialEntryPoint
        fields = ("name", "description", "service_level_threshold", "timezone", "outdial_queue")


GROUP_COLUMNS = ("seq", "fallback_time", "teams")


class QueueResource(DistributionGroupRules, ConfigResource):
    slug, label = "queue", "Queue"
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
    slug, label = "outdial-queue", "Outdial Queue"
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
    slug, label = "skill-definition", "Skill Definition"
    enum_values = column("List Values For Enum", "enum_values", ValueList(), optional=True)

    class Meta:
        model = m.SkillDefinition
        fields = ("name", "description", "service_level_threshold", "type", "enum_values")


class SkillProfileResource(ConfigResource):
    slug, label = "skill-profile", "Skill Profile"
    children = ChildRows(m.SkillProfileSkill, parent="profile", key="skill", fields=("skill",))
    value = column("Skill Values", "value", part=CHILD)  # checked against the skill's type, so blank in the model
    delete = delete_column()

    class Meta:
        model = m.SkillProfile
        fields = ("name", "description", "skill", "value", "delete")

    def children_problems(self, children: list[dict]) -> list[str]:
        return [] if children else ["A skill profile keeps at least one skill: this file would remove its last one"]


class AuxiliaryCodeResource(ConfigResource):
    slug, label = "auxiliary-code", "Auxiliary Code"
    sequential = True
    is_default = flag("Default", "is_default", words=("ON", "OFF"))

    class Meta:
        model = m.AuxiliaryCode
        fields = ("name", "description", "is_default", "work_type")


ENTRY_COLUMNS = ("entry_name", "entry_number", "delete")


class EntryColumns(resources.Resource):
    """Entries of an address book or outdial ANI: their name and number (the child model's own
    name and number fields, spelled Entry Name / Entry Number), and Delete."""

    entry_name = column("Entry Name", "name", part=CHILD)
    entry_number = column("Entry Number", "number", part=CHILD)
    delete = delete_column()


class AddressBookResource(EntryColumns, ConfigResource):
    slug, label = "address-book", "Address Book"
    children = ChildRows(m.AddressBookEntry, parent="book", key="name")

    class Meta:
        model = m.AddressBook
        fields = ("name", "description", "parent_type", "site", *ENTRY_COLUMNS)


class TeamResource(ConfigResource):
    slug, label = "team", "Team"

    class Meta:
        model = m.Team
        fields = ("name", "site", "type", "multimedia_profile", "skill_profile", "dn", "capacity", "desktop_layout")


class AgentProfileResource(ConfigResource):
    slug, label = "agent-profile", "Agent Profile"
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
    slug, label = "user", "User"
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
    slug, label = "user-profile", "User Profile"

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

    slug, label = "audio-file", "Audio File"
    aliases = ("audio",)
    file_kind = "zip"
    name = column("File Name", "name")

    class Meta:
        model = m.AudioFile
        fields = ("name",)


class DNMappingResource(ConfigResource):
    slug, label = "dn-mapping", "DN to EP Mapping"
    aliases = ("dn-to-ep-mapping", "dntoepmapping")

    class Meta:
        model = m.DNMapping
        import_id_fields = ["dialed_number"]
        fields = ("dialed_number", "entry_point", "region")


class OutdialANIResource(EntryColumns, ConfigResource):
    slug, label = "outdial-ani", "Outdial ANI"
    children = ChildRows(m.OutdialANIEntry, parent="ani", key="name")

    class Meta:
        model = m.OutdialANI
        fields = ("name", "description", *ENTRY_COLUMNS)

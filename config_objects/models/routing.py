"""Sites, work types, entry points, queues and dialed-number mappings."""

from django.core.exceptions import ValidationError
from django.db import models

from config_objects.models.base import ConfigObject, NamedObject, unique_key
from config_objects.models.fields import (
    DIAL_NUMBER,
    ENTRY_POINT_NAME,
    SITE_NAME,
    bool_field,
    count_field,
    description_field,
    enum_field,
    name_field,
    ref_field,
    seconds_field,
    text_field,
    timezone_field,
)


class Site(NamedObject):
    name = name_field(validators=[SITE_NAME])
    description = description_field()
    multimedia_profile = ref_field("config_objects.MultimediaProfile", "Multimedia Profile")


class WorkType(NamedObject):
    class Type(models.TextChoices):
        IDLE_CODE = "IDLE_CODE"
        WRAP_UP_CODE = "WRAP_UP_CODE"

    description = description_field()
    type = enum_field("Type", Type)

    def clean(self):
        super().clean()
        changed = self._state.adding is False and getattr(self, "_loaded_values", {}).get("type") not in (
            None,
            self.type,
        )
        if changed and self.auxiliary_codes.exists():
            raise ValidationError({"type": f"Type cannot change while auxiliary codes use work type '{self.name}'"})


class ChannelType(models.TextChoices):
    TELEPHONY = "TELEPHONY"
    CHAT = "CHAT"
    EMAIL = "EMAIL"
    SOCIAL_CHANNEL = "SOCIAL_CHANNEL"


class EntryPoint(NamedObject):
    class SocialChannelType(models.TextChoices):
        SMS = "SMS"
        WHATSAPP = "WHATSAPP"
        FACEBOOK_MESSENGER = "FACEBOOK MESSENGER"

    name = name_field(validators=[ENTRY_POINT_NAME])
    description = description_field()
    service_level_threshold = seconds_field()
    timezone = timezone_field()
    channel_type = enum_field("Channel Type", ChannelType)
    social_channel_type = enum_field("Social Channel Type", SocialChannelType, optional=True)
    asset_name = text_field("Asset Name", 80)
    maximum_active_contacts = count_field("Maximum Active Contacts", default=0)

    class Meta(NamedObject.Meta):
        verbose_name = "entry point"

    def clean(self):
        super().clean()
        social = self.channel_type == ChannelType.SOCIAL_CHANNEL
        if social and not self.social_channel_type:
            raise ValidationError({"social_channel_type": "Social Channel Type is required for SOCIAL_CHANNEL"})
        if not social and self.social_channel_type:
            raise ValidationError(
                {
                    "social_channel_type": f"Social Channel Type '{self.social_channel_type}' must be empty "
                    f"for channel {self.channel_type}"
                }
            )


class OutdialEntryPoint(NamedObject):
    description = description_field()
    service_level_threshold = seconds_field()
    timezone = timezone_field()
    outdial_queue = ref_field("config_objects.OutdialQueue", "Outdial Queue", optional=True)

    class Meta(NamedObject.Meta):
        verbose_name = "outdial entry point"


class QueueBase(NamedObject):
    """What inbound and outdial queues share; each is its own name space."""

    description = description_field()
    service_level_threshold = seconds_field()
    timezone = timezone_field()
    permit_monitoring = bool_field("Permit Monitoring")
    permit_recording = bool_field("Permit Recording")
    record_all_calls = bool_field("Record All Calls")
    default_music = ref_field("config_objects.AudioFile", "Default Music in Queue", optional=True)

    class Meta(NamedObject.Meta):
        abstract = True

    def clean(self):
        super().clean()
        if self.record_all_calls and not self.permit_recording:
            raise ValidationError({"record_all_calls": "Record All Calls needs Permit Recording"})


class Queue(QueueBase):
    class Channel(models.TextChoices):
        TELEPHONY = "TELEPHONY"
        EMAIL = "EMAIL"
        CHAT = "CHAT"

    class RoutingType(models.TextChoices):
        LONGEST_AVAILABLE_AGENT = "LONGEST_AVAILABLE_AGENT"
        SKILLS_BASED = "SKILLS_BASED"

    class AgentSelection(models.TextChoices):
        LONGEST_AVAILABLE_AGENT = "LONGEST_AVAILABLE_AGENT"
        BEST_AVAILABLE_AGENT = "BEST_AVAILABLE_AGENT"

    fixed_fields = ("routing_type",)

    channel_type = enum_field("Channel Type", Channel)
    max_time_in_queue = count_field("Max Time In Queue", minimum=1)
    pause_resume_enabled = bool_field("Pause or Resume Enabled")
    recording_pause_duration = seconds_field("Recording Pause Duration", optional=True)
    routing_type = enum_field("Routing Type", RoutingType)
    skill_based_agent_selection = enum_field("Skill-Based Agent Selection", AgentSelection, optional=True)

    class Meta(QueueBase.Meta):
        verbose_name = "queue"

    def clean(self):
        super().clean()
        errors = {}
        if self.skill_based_agent_selection and self.routing_type != self.RoutingType.SKILLS_BASED:
            errors["skill_based_agent_selection"] = (
                f"Skill-Based Agent Selection '{self.skill_based_agent_selection}' is allowed only with "
                "Routing Type SKILLS_BASED"
            )
        if self.pause_resume_enabled and self.recording_pause_duration is None:
            errors["recording_pause_duration"] = (
                "Recording Pause Duration is required when Pause or Resume Enabled is TRUE"
            )
        if not self.pause_resume_enabled and self.recording_pause_duration is not None:
            errors["recording_pause_duration"] = (
                f"Recording Pause Duration '{self.recording_pause_duration}' must be empty when Pause or "
                "Resume Enabled is FALSE"
            )
        if errors:
            raise ValidationError(errors)


class OutdialQueue(QueueBase):
    class Meta(QueueBase.Meta):
        verbose_name = "outdial queue"


class DistributionGroup(models.Model):
    """One step of a queue's distribution: its teams get the contact, then after fallback_time the
    next group's teams do too."""

    seq = count_field("Distribution Group Seq", minimum=1)
    fallback_time = seconds_field("Group Fallback Time", optional=True)

    class Meta:
        abstract = True
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"group {self.seq}"


def validate_distribution_groups(groups: list[tuple[int, int | None, list]]) -> list[str]:
    """Rules across one queue's groups, given as (seq, fallback_time, teams) in any order."""
    problems = []
    if not groups:
        return ["a queue needs at least one distribution group"]
    seqs = sorted(seq for seq, _, _ in groups)
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append(
            f"Distribution Group Seq values {', '.join(map(str, seqs))} must run 1, 2, 3, ... without gaps or repeats"
        )
    seen: dict = {}
    for seq, fallback, teams in sorted(groups, key=lambda group: group[0]):
        if seq == 1 and fallback is not None:
            problems.append(f"Group Fallback Time '{fallback}' must be empty for group 1")
        if seq != 1 and fallback is None:
            problems.append(f"Group Fallback Time is required for group {seq}")
        if not teams:
            problems.append(f"Group Teams is required for group {seq}")
        for team in teams:
            if team in seen:
                problems.append(f"Group Teams: team '{team}' appears in group {seen[team]} and group {seq}")
            seen.setdefault(team, seq)
    return problems


class QueueGroup(DistributionGroup):
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="groups")
    teams = models.ManyToManyField(
        "config_objects.Team", through="QueueGroupTeam", related_name="+", verbose_name="Group Teams"
    )

    class Meta(DistributionGroup.Meta):
        verbose_name = "distribution group"
        constraints = [models.UniqueConstraint("queue", "seq", name="queue_group_seq_unique")]


class QueueGroupTeam(models.Model):
    group = models.ForeignKey(QueueGroup, on_delete=models.CASCADE)
    team = models.ForeignKey("config_objects.Team", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("group", "team", name="queue_group_team_unique")]

    def __str__(self) -> str:
        return f"{self.group.queue._meta.verbose_name} '{self.group.queue}', {self.group}: team '{self.team}'"


class OutdialQueueGroup(DistributionGroup):
    queue = models.ForeignKey(OutdialQueue, on_delete=models.CASCADE, related_name="groups")
    teams = models.ManyToManyField(
        "config_objects.Team", through="OutdialQueueGroupTeam", related_name="+", verbose_name="Group Teams"
    )

    class Meta(DistributionGroup.Meta):
        verbose_name = "distribution group"
        constraints = [models.UniqueConstraint("queue", "seq", name="outdial_queue_group_seq_unique")]


class OutdialQueueGroupTeam(models.Model):
    group = models.ForeignKey(OutdialQueueGroup, on_delete=models.CASCADE)
    team = models.ForeignKey("config_objects.Team", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("group", "team", name="outdial_queue_group_team_unique")]

    def __str__(self) -> str:
        return f"{self.group.queue._meta.verbose_name} '{self.group.queue}', {self.group}: team '{self.team}'"


class DNMapping(ConfigObject):
    class Region(models.TextChoices):
        US = "US"
        CA = "CA"
        MX = "MX"
        AU = "AU"
        SG = "SG"
        GB = "GB"
        DE = "DE"

    key_field = "dialed_number"

    dialed_number = name_field("Dialed Number", validators=[DIAL_NUMBER], max_length=20)
    entry_point = ref_field(EntryPoint, "Entry Point")
    region = enum_field("Region", Region, optional=True)

    class Meta:
        verbose_name = "DN to EP mapping"
        constraints = unique_key("dialed_number")
        ordering = ["dialed_number"]

"""Sites, work types, entry points, queues and dialed-number mappings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from config_objects.models.base import UNCHANGED, ConfigObject, NamedObject, unique_key
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
    multimedia_profile = ref_field("config_objects.MultimediaProfile", _("Multimedia Profile"))

    class Meta(NamedObject.Meta):
        verbose_name = _("site")
        verbose_name_plural = _("sites")


class WorkType(NamedObject):
    class Type(models.TextChoices):
        IDLE_CODE = "IDLE_CODE"
        WRAP_UP_CODE = "WRAP_UP_CODE"

    description = description_field()
    type = enum_field(_("Type"), Type)

    class Meta(NamedObject.Meta):
        verbose_name = _("work type")
        verbose_name_plural = _("work types")

    def clean(self):
        super().clean()
        changed = self._state.adding is False and getattr(self, "_loaded_values", {}).get("type") not in (
            None,
            self.type,
        )
        if changed and self.auxiliary_codes.exists():
            raise ValidationError(
                {"type": _("Type cannot change while auxiliary codes use work type '%(name)s'") % {"name": self.name}}
            )


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
    channel_type = enum_field(_("Channel Type"), ChannelType)
    social_channel_type = enum_field(_("Social Channel Type"), SocialChannelType, optional=True)
    asset_name = text_field(_("Asset Name"), 80)
    maximum_active_contacts = count_field(_("Maximum Active Contacts"), default=0)

    class Meta(NamedObject.Meta):
        verbose_name = _("entry point")
        verbose_name_plural = _("entry points")

    def clean(self):
        super().clean()
        social = self.channel_type == ChannelType.SOCIAL_CHANNEL
        if social and not self.social_channel_type:
            raise ValidationError({"social_channel_type": _("Social Channel Type is required for SOCIAL_CHANNEL")})
        if not social and self.social_channel_type:
            raise ValidationError(
                {
                    "social_channel_type": _("Social Channel Type '%(social)s' must be empty for channel %(channel)s")
                    % {"social": self.social_channel_type, "channel": self.channel_type}
                }
            )


class OutdialEntryPoint(NamedObject):
    description = description_field()
    service_level_threshold = seconds_field()
    timezone = timezone_field()
    outdial_queue = ref_field("config_objects.OutdialQueue", _("Outdial Queue"), optional=True)

    class Meta(NamedObject.Meta):
        verbose_name = _("outdial entry point")
        verbose_name_plural = _("outdial entry points")


class QueueBase(NamedObject):
    """What inbound and outdial queues share; each is its own name space."""

    description = description_field()
    service_level_threshold = seconds_field()
    timezone = timezone_field()
    permit_monitoring = bool_field(_("Permit Monitoring"))
    permit_recording = bool_field(_("Permit Recording"))
    record_all_calls = bool_field(_("Record All Calls"))
    default_music = ref_field("config_objects.AudioFile", _("Default Music in Queue"), optional=True)

    class Meta(NamedObject.Meta):
        abstract = True

    def clean(self):
        super().clean()
        if self.record_all_calls and not self.permit_recording:
            raise ValidationError({"record_all_calls": _("Record All Calls needs Permit Recording")})


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

    channel_type = enum_field(_("Channel Type"), Channel)
    max_time_in_queue = count_field(_("Max Time In Queue"), minimum=1)
    pause_resume_enabled = bool_field(_("Pause or Resume Enabled"))
    recording_pause_duration = seconds_field(_("Recording Pause Duration"), optional=True)
    routing_type = enum_field(_("Routing Type"), RoutingType)
    skill_based_agent_selection = enum_field(_("Skill-Based Agent Selection"), AgentSelection, optional=True)

    class Meta(QueueBase.Meta):
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def clean(self):
        super().clean()
        errors = {}
        if self.skill_based_agent_selection and self.routing_type != self.RoutingType.SKILLS_BASED:
            errors["skill_based_agent_selection"] = _(
                "Skill-Based Agent Selection '%(value)s' is allowed only with Routing Type SKILLS_BASED"
            ) % {"value": self.skill_based_agent_selection}
        if self.pause_resume_enabled and self.recording_pause_duration is None:
            errors["recording_pause_duration"] = _(
                "Recording Pause Duration is required when Pause or Resume Enabled is TRUE"
            )
        if not self.pause_resume_enabled and self.recording_pause_duration is not None:
            errors["recording_pause_duration"] = _(
                "Recording Pause Duration '%(value)s' must be empty when Pause or Resume Enabled is FALSE"
            ) % {"value": self.recording_pause_duration}
        errors |= self.schedule_problems()
        if errors:
            raise ValidationError(errors)

    def schedule_problems(self) -> dict:
        """A change that would make the queue unfit for a schedule that lists it (SPEC rows 22-23): a
        recording schedule's queues are TELEPHONY and permit recording, a monitoring schedule's are
        TELEPHONY and permit monitoring."""
        errors = {}
        telephony_lost = (
            self.changed_from("channel_type") is not UNCHANGED and self.channel_type != self.Channel.TELEPHONY
        )
        recording_lost = self.changed_from("permit_recording") is not UNCHANGED and not self.permit_recording
        monitoring_lost = self.changed_from("permit_monitoring") is not UNCHANGED and not self.permit_monitoring
        if not (telephony_lost or recording_lost or monitoring_lost):
            return errors
        recording = self.call_recording_schedules.order_by("name").values_list("name", flat=True)
        monitoring = self.call_monitoring_schedules.order_by("name").values_list("name", flat=True)
        if telephony_lost:
            for schedules, message in (
                (
                    recording,
                    _("Channel Type cannot be %(value)s while Call Recording Schedule '%(schedule)s' lists this queue"),
                ),
                (
                    monitoring,
                    _(
                        "Channel Type cannot be %(value)s while Call Monitoring Schedule '%(schedule)s' lists this "
                        "queue"
                    ),
                ),
            ):
                name = schedules.first()
                if name is not None:
                    errors["channel_type"] = message % {"value": self.channel_type, "schedule": name}
                    break
        if recording_lost and (name := recording.first()) is not None:
            errors["permit_recording"] = _(
                "Permit Recording cannot be FALSE while Call Recording Schedule '%(schedule)s' lists this queue"
            ) % {"schedule": name}
        if monitoring_lost and (name := monitoring.first()) is not None:
            errors["permit_monitoring"] = _(
                "Permit Monitoring cannot be FALSE while Call Monitoring Schedule '%(schedule)s' lists this queue"
            ) % {"schedule": name}
        return errors


class OutdialQueue(QueueBase):
    class Meta(QueueBase.Meta):
        verbose_name = _("outdial queue")
        verbose_name_plural = _("outdial queues")


class DistributionGroup(models.Model):
    """One step of a queue's distribution: its teams get the contact, then the next group's after fallback_time."""

    seq = count_field(_("Distribution Group Seq"), minimum=1)
    fallback_time = seconds_field(_("Group Fallback Time"), optional=True)

    class Meta:
        abstract = True
        ordering = ["seq"]

    def __str__(self) -> str:
        return _("group %(seq)s") % {"seq": self.seq}


def validate_distribution_groups(groups: list[tuple[int, int | None, list]]) -> list[str]:
    """Rules across one queue's groups, given as (seq, fallback_time, teams) in any order."""
    problems = []
    if not groups:
        return [str(_("a queue needs at least one distribution group"))]
    seqs = sorted(seq for seq, _, _ in groups)
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append(
            _("Distribution Group Seq values %(values)s must run 1, 2, 3, ... without gaps or repeats")
            % {"values": ", ".join(map(str, seqs))}
        )
    seen: dict = {}
    for seq, fallback, teams in sorted(groups, key=lambda group: group[0]):
        if seq == 1 and fallback is not None:
            problems.append(_("Group Fallback Time '%(value)s' must be empty for group 1") % {"value": fallback})
        if seq != 1 and fallback is None:
            problems.append(_("Group Fallback Time is required for group %(seq)s") % {"seq": seq})
        if not teams:
            problems.append(_("Group Teams is required for group %(seq)s") % {"seq": seq})
        for team in teams:
            if team in seen:
                problems.append(
                    _("Group Teams: team '%(team)s' appears in group %(first)s and group %(seq)s")
                    % {"team": team, "first": seen[team], "seq": seq}
                )
            seen.setdefault(team, seq)
    return problems


class QueueGroup(DistributionGroup):
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="groups")
    teams = models.ManyToManyField(
        "config_objects.Team", through="QueueGroupTeam", related_name="+", verbose_name=_("Group Teams")
    )

    class Meta(DistributionGroup.Meta):
        verbose_name = _("distribution group")
        verbose_name_plural = _("distribution groups")
        constraints = [models.UniqueConstraint("queue", "seq", name="queue_group_seq_unique")]


class QueueGroupTeam(models.Model):
    group = models.ForeignKey(QueueGroup, on_delete=models.CASCADE)
    team = models.ForeignKey("config_objects.Team", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("group", "team", name="queue_group_team_unique")]

    def __str__(self) -> str:
        return _("%(object)s '%(queue)s', %(group)s: team '%(team)s'") % {
            "object": self.group.queue._meta.verbose_name,
            "queue": self.group.queue,
            "group": self.group,
            "team": self.team,
        }


class OutdialQueueGroup(DistributionGroup):
    queue = models.ForeignKey(OutdialQueue, on_delete=models.CASCADE, related_name="groups")
    teams = models.ManyToManyField(
        "config_objects.Team", through="OutdialQueueGroupTeam", related_name="+", verbose_name=_("Group Teams")
    )

    class Meta(DistributionGroup.Meta):
        verbose_name = _("distribution group")
        verbose_name_plural = _("distribution groups")
        constraints = [models.UniqueConstraint("queue", "seq", name="outdial_queue_group_seq_unique")]


class OutdialQueueGroupTeam(models.Model):
    group = models.ForeignKey(OutdialQueueGroup, on_delete=models.CASCADE)
    team = models.ForeignKey("config_objects.Team", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("group", "team", name="outdial_queue_group_team_unique")]

    def __str__(self) -> str:
        return _("%(object)s '%(queue)s', %(group)s: team '%(team)s'") % {
            "object": self.group.queue._meta.verbose_name,
            "queue": self.group.queue,
            "group": self.group,
            "team": self.team,
        }


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

    dialed_number = name_field(_("Dialed Number"), validators=[DIAL_NUMBER], max_length=20)
    entry_point = ref_field(EntryPoint, _("Entry Point"))
    region = enum_field(_("Region"), Region, optional=True)

    class Meta:
        verbose_name = _("DN to EP mapping")
        verbose_name_plural = _("DN to EP mappings")
        constraints = unique_key("dialed_number")
        ordering = ["dialed_number"]

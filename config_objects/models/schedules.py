"""Call recording and call monitoring schedules (SPEC rows 22-23): on which days and hours calls are
recorded, or offered to a supervisor to listen in, and which queues, sites, teams and users they
apply to. A call matches a schedule when it matches every list that is not empty.

The objects a schedule lists keep the properties that made them fit to be listed: their own rules
(Queue, ContactCenterUser and UserProfile in routing.py and people.py) look the schedules up through
the related names declared here."""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from config_objects.models.base import NamedObject, unique_key
from config_objects.models.calendar import date_field, days_field, parse_days, time_field
from config_objects.models.fields import english, labelled, messages, ref_field, timezone_field
from config_objects.models.links import link_model, links
from config_objects.models.people import UserProfile
from config_objects.models.routing import Queue

MODULE = __name__

CallRecordingScheduleQueue = link_model("CallRecordingScheduleQueue", "CallRecordingSchedule", "Queue", MODULE)
CallRecordingScheduleSite = link_model("CallRecordingScheduleSite", "CallRecordingSchedule", "Site", MODULE)
CallRecordingScheduleTeam = link_model("CallRecordingScheduleTeam", "CallRecordingSchedule", "Team", MODULE)
CallRecordingScheduleUser = link_model(
    "CallRecordingScheduleUser", "CallRecordingSchedule", "ContactCenterUser", MODULE
)
CallMonitoringScheduleQueue = link_model("CallMonitoringScheduleQueue", "CallMonitoringSchedule", "Queue", MODULE)
CallMonitoringScheduleSite = link_model("CallMonitoringScheduleSite", "CallMonitoringSchedule", "Site", MODULE)
CallMonitoringScheduleTeam = link_model("CallMonitoringScheduleTeam", "CallMonitoringSchedule", "Team", MODULE)

QUEUES, SITES, TEAMS = _("Queues"), _("Sites"), _("Teams")


def percentage_field():
    label = _("Percentage")
    out_of_range = labelled(gettext_noop("%(column)s '%(value)s' is not a whole number from 1 to 100"), "Percentage")
    return models.PositiveSmallIntegerField(
        label,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        error_messages=messages(label)
        | {
            "invalid": labelled(gettext_noop("%(column)s '%(value)s' is not a whole number"), "Percentage"),
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
    )


def schedule_constraints() -> list[models.BaseConstraint]:
    """What the database holds every schedule to, beside its unique name: the rules over its own
    columns that a row could otherwise slip past (an update that bypasses validation)."""
    return [
        *unique_key("name"),
        models.CheckConstraint(
            condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            name="%(app_label)s_%(class)s_end_date",
            violation_error_message=_("End Date must not be before Start Date"),
        ),
        models.CheckConstraint(
            condition=Q(end_time__gt=F("start_time")),
            name="%(app_label)s_%(class)s_end_time",
            violation_error_message=_("End Time must be after Start Time"),
        ),
        models.CheckConstraint(
            condition=~Q(days=""),
            name="%(app_label)s_%(class)s_days",
            violation_error_message=_("Days is required"),
        ),
    ]


class Schedule(NamedObject):
    """When a schedule applies: from Start Date (to End Date, if any), on its Days, from Start Time to
    End Time, in its Timezone."""

    timezone = timezone_field()
    start_date = date_field(_("Start Date"))
    end_date = date_field(_("End Date"), optional=True)
    days = days_field()
    start_time = time_field(_("Start Time"))
    end_time = time_field(_("End Time"))

    class Meta(NamedObject.Meta):
        abstract = True

    def normalize(self) -> None:
        super().normalize()
        with suppress(TypeError, ValueError):  # left as typed, for validation to name what is wrong
            self.days = parse_days(self.days)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date is not None and self.end_date is not None and self.end_date < self.start_date:
            errors["end_date"] = _("End Date '%(end)s' is before Start Date '%(start)s'") % {
                "end": self.end_date.isoformat(),
                "start": self.start_date.isoformat(),
            }
        if self.start_time is not None and self.end_time is not None and self.end_time <= self.start_time:
            errors["end_time"] = _("End Time '%(end)s' must be after Start Time '%(start)s'") % {
                "end": self.end_time.strftime("%H:%M"),
                "start": self.start_time.strftime("%H:%M"),
            }
        if errors:
            raise ValidationError(errors)

    def list_problems(self, chosen: dict[str, list], permit: str) -> dict:
        """The rules over the queues, sites and teams both kinds of schedule list: queues are TELEPHONY
        queues that permit what the schedule does (permit: Queue's field for it), and when Sites is
        set every team belongs to one of them."""
        errors = {}
        permit_label = english(Queue._meta.get_field(permit).verbose_name)
        for queue in chosen.get("queues", []):
            if queue.channel_type != Queue.Channel.TELEPHONY:
                errors["queues"] = _(
                    "Queues: queue '%(queue)s' is a %(channel)s queue; only TELEPHONY queues may be listed"
                ) % {
                    "queue": queue,
                    "channel": queue.channel_type,
                }
                break
            if not getattr(queue, permit):
                errors["queues"] = _("Queues: queue '%(queue)s' has %(permit)s FALSE") % {
                    "queue": queue,
                    "permit": permit_label,
                }
                break
        sites = chosen.get("sites", [])
        if sites:
            site_pks = {site.pk for site in sites}
            outside = [team for team in chosen.get("teams", []) if team.site_id not in site_pks]
            if outside:
                errors["teams"] = _("Teams: team '%(team)s' belongs to site '%(site)s', which is not in Sites") % {
                    "team": outside[0],
                    "site": outside[0].site,
                }
        return errors


class CallRecordingSchedule(Schedule):
    """Records a Percentage of the voice calls that match it."""

    percentage = percentage_field()
    queues = links("Queue", "CallRecordingScheduleQueue", QUEUES, related_name="call_recording_schedules")
    sites = links("Site", "CallRecordingScheduleSite", SITES)
    teams = links("Team", "CallRecordingScheduleTeam", TEAMS)
    users = links("ContactCenterUser", "CallRecordingScheduleUser", _("Users"), related_name="call_recording_schedules")

    class Meta(Schedule.Meta):
        verbose_name = _("call recording schedule")
        verbose_name_plural = _("call recording schedules")
        constraints = [
            *schedule_constraints(),
            models.CheckConstraint(
                condition=Q(percentage__gte=1, percentage__lte=100),
                name="%(app_label)s_%(class)s_percentage",
                violation_error_message=_("Percentage must be a whole number from 1 to 100"),
            ),
        ]

    def clean_links(self, chosen: dict[str, list]) -> None:
        if not any(chosen.get(name) for name in ("queues", "sites", "teams", "users")):
            raise ValidationError(_("At least one of Queues, Sites, Teams, Users is required"))
        errors = self.list_problems(chosen, "permit_recording")
        disabled = [user for user in chosen.get("users", []) if not user.contact_center_enabled]
        if disabled:
            errors["users"] = _("Users: user '%(user)s' is not Contact Center Enabled") % {"user": disabled[0]}
        if errors:
            raise ValidationError(errors)


class CallMonitoringSchedule(Schedule):
    """Lets its Supervisor listen in on the calls that match it."""

    supervisor = ref_field(
        "config_objects.ContactCenterUser", _("Supervisor"), related_name="supervised_monitoring_schedules"
    )
    queues = links("Queue", "CallMonitoringScheduleQueue", QUEUES, related_name="call_monitoring_schedules")
    sites = links("Site", "CallMonitoringScheduleSite", SITES)
    teams = links("Team", "CallMonitoringScheduleTeam", TEAMS)
    agent = ref_field(
        "config_objects.ContactCenterUser", _("Agent"), optional=True, related_name="agent_monitoring_schedules"
    )

    class Meta(Schedule.Meta):
        verbose_name = _("call monitoring schedule")
        verbose_name_plural = _("call monitoring schedules")
        constraints = schedule_constraints()

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        supervisor = self.supervisor if self.supervisor_id is not None else None
        if supervisor is not None:
            profile = supervisor.user_profile
            if not supervisor.contact_center_enabled:
                problem = _("Supervisor '%(user)s' is not Contact Center Enabled")
            elif profile.profile_type not in UserProfile.SUPERVISING:
                problem = _(
                    "Supervisor '%(user)s' has User Profile '%(profile)s' of type %(type)s, not SUPERVISOR or "
                    "ADMINISTRATOR"
                )
            elif not supervisor.default_dn:
                problem = _("Supervisor '%(user)s' has no Default DN")
            else:
                problem = None
            if problem:
                errors.setdefault("supervisor", []).append(
                    problem % {"user": supervisor, "profile": profile, "type": profile.profile_type}
                )
        agent = self.agent if self.agent_id is not None else None
        if agent is not None and not agent.contact_center_enabled:
            errors.setdefault("agent", []).append(_("Agent '%(user)s' is not Contact Center Enabled") % {"user": agent})
        if errors:
            raise ValidationError(errors)

    def clean_links(self, chosen: dict[str, list]) -> None:
        if self.agent_id is None and not any(chosen.get(name) for name in ("queues", "sites", "teams")):
            raise ValidationError(_("At least one of Queues, Sites, Teams, Agent is required"))
        errors = self.list_problems(chosen, "permit_monitoring")
        if errors:
            raise ValidationError(errors)

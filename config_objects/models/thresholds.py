"""Threshold rules: an alert when a metric of an entry point, queue, site, team or agent crosses a value."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config_objects.models.base import NamedObject
from config_objects.models.fields import (
    NAME_MAX_LENGTH,
    bool_field,
    count_field,
    description_field,
    enum_field,
    failed_in_package,
    fold,
    messages,
)


class EntityType(models.TextChoices):
    ENTRY_POINT = "ENTRY_POINT"
    QUEUE = "QUEUE"
    SITE = "SITE"
    TEAM = "TEAM"
    AGENT = "AGENT"


class Metric(models.TextChoices):
    IVR_CALLS = "IVR Calls"
    SHORT_CALLS = "Short Calls"
    ABANDONED_CALLS = "Abandoned Calls"
    AVERAGE_QUEUE_TIME = "Average Queue Time"
    AVERAGE_SPEED_OF_ANSWER = "Average Speed of Answer"
    BLIND_TRANSFERRED_CALLS = "Blind Transferred Calls"
    LONGEST_TIME_IN_QUEUE = "Longest Time in Queue"
    NUMBER_OF_CALLS_IN_QUEUE = "Number of Calls in Queue"
    OVERFLOW_CALLS = "Overflow Calls"
    SERVICE_LEVEL_THRESHOLD = "Service Level Threshold"
    TRANSFERRED_CALLS = "Transferred Calls"
    AVAILABLE_AGENTS = "Available Agents"
    CONNECTED_AGENTS = "Connected Agents"
    IB_AVERAGE_HANDLE_TIME = "IB Average Handle Time"
    IDLE_AGENTS = "Idle Agents"
    NOT_RESPONDING_AGENTS = "Not Responding Agents"
    AGENTS_IN_OUTDIAL = "Number of Agents in Outdial"
    LOGGED_IN_AGENTS = "Number of Logged in Agents"
    OB_AVERAGE_HANDLE_TIME = "OB Average Handle Time"
    OCCUPANCY = "Occupancy"
    CURRENT_AVAILABLE_TIME = "Current Available Time"
    CURRENT_CONNECTED_TIME = "Current Connected Time"
    CURRENT_HOLD_TIME = "Current Hold Time"
    CURRENT_IDLE_TIME = "Current Idle Time"
    CURRENT_WRAP_UP_TIME = "Current Wrap-up Time"
    TOTAL_AVAILABLE_TIME = "Total Available Time"
    TOTAL_IDLE_TIME = "Total Idle Time"


SITE_OR_TEAM_METRICS = (
    Metric.AVAILABLE_AGENTS,
    Metric.CONNECTED_AGENTS,
    Metric.IB_AVERAGE_HANDLE_TIME,
    Metric.IDLE_AGENTS,
    Metric.NOT_RESPONDING_AGENTS,
    Metric.AGENTS_IN_OUTDIAL,
    Metric.LOGGED_IN_AGENTS,
    Metric.OB_AVERAGE_HANDLE_TIME,
    Metric.OCCUPANCY,
)
METRICS = {
    EntityType.ENTRY_POINT: (Metric.IVR_CALLS, Metric.SHORT_CALLS),
    EntityType.QUEUE: (
        Metric.ABANDONED_CALLS,
        Metric.AVERAGE_QUEUE_TIME,
        Metric.AVERAGE_SPEED_OF_ANSWER,
        Metric.BLIND_TRANSFERRED_CALLS,
        Metric.LONGEST_TIME_IN_QUEUE,
        Metric.NUMBER_OF_CALLS_IN_QUEUE,
        Metric.OVERFLOW_CALLS,
        Metric.SERVICE_LEVEL_THRESHOLD,
        Metric.SHORT_CALLS,
        Metric.TRANSFERRED_CALLS,
    ),
    EntityType.SITE: SITE_OR_TEAM_METRICS,
    EntityType.TEAM: SITE_OR_TEAM_METRICS,
    EntityType.AGENT: (
        Metric.CURRENT_AVAILABLE_TIME,
        Metric.CURRENT_CONNECTED_TIME,
        Metric.CURRENT_HOLD_TIME,
        Metric.CURRENT_IDLE_TIME,
        Metric.CURRENT_WRAP_UP_TIME,
        Metric.TOTAL_AVAILABLE_TIME,
        Metric.TOTAL_IDLE_TIME,
    ),
}


class Operand(models.TextChoices):
    GREATER_THAN = "GREATER_THAN"
    GREATER_OR_EQUAL = "GREATER_OR_EQUAL"
    LESS_THAN = "LESS_THAN"
    LESS_OR_EQUAL = "LESS_OR_EQUAL"
    EQUAL = "EQUAL"


PERCENT_METRICS = frozenset({Metric.SERVICE_LEVEL_THRESHOLD, Metric.OCCUPANCY})
# Counts of agents in a state: zero agents available is worth an alert.
ZERO_ALLOWED = frozenset(
    {Metric.AVAILABLE_AGENTS, Metric.CONNECTED_AGENTS, Metric.LOGGED_IN_AGENTS, Metric.AGENTS_IN_OUTDIAL}
)
# The reference field that holds the entity of each type; an AGENT rule names none.
ENTITY_FIELDS = {
    EntityType.ENTRY_POINT: "entry_point",
    EntityType.QUEUE: "queue",
    EntityType.SITE: "site",
    EntityType.TEAM: "team",
}


def is_time_metric(metric: str) -> bool:
    return metric.endswith("Time") or metric == Metric.AVERAGE_SPEED_OF_ANSWER


def clean_receivers(receivers) -> list[str]:
    """E-mail addresses lower-case, each once, in the given order; ValueError names a bad one."""
    found = []
    for address in receivers or []:
        address = str(address).strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError(_("'%(value)s' is not a valid email address") % {"value": address}) from None
        if address not in found:
            found.append(address)
    return found


def entity_field(to, label):
    """One of the four references behind the Entity column. PROTECT: a referenced object cannot be deleted."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        verbose_name=label,
        null=True,
        blank=True,
        related_name="threshold_rules",
        error_messages=messages(label),
    )


class ThresholdRule(NamedObject):
    """The Entity column is one name whose object depends on the Entity Type: it is kept as written
    (entity) and resolved to the reference field of its type, which holds it against deletion and
    gives the export its current name."""

    fixed_fields = ("entity_type",)

    description = description_field()
    entity_type = enum_field(gettext_lazy("Entity Type"), EntityType)
    entity = models.CharField(gettext_lazy("Entity"), max_length=NAME_MAX_LENGTH, blank=True, editable=False)
    entry_point = entity_field("config_objects.EntryPoint", gettext_lazy("Entry Point"))
    queue = entity_field("config_objects.Queue", gettext_lazy("Queue"))
    site = entity_field("config_objects.Site", gettext_lazy("Site"))
    team = entity_field("config_objects.Team", gettext_lazy("Team"))
    metric = enum_field(gettext_lazy("Metric"), Metric)
    operand = enum_field(gettext_lazy("Operand"), Operand)
    trigger_value = count_field(gettext_lazy("Trigger Value"))
    trigger_interval = count_field(gettext_lazy("Trigger Interval"), minimum=1)
    notification_receivers = models.JSONField(gettext_lazy("Notification Receivers"), default=list, blank=True)
    agent_viewable = bool_field(gettext_lazy("Agent Viewable"))

    class Meta(NamedObject.Meta):
        verbose_name = gettext_lazy("threshold rule")
        verbose_name_plural = gettext_lazy("threshold rules")
        constraints = [
            *NamedObject.Meta.constraints,
            # The reference of the rule's type, and no other, is set (none for AGENT).
            models.CheckConstraint(
                condition=models.Q(
                    *(
                        models.Q(entity_type=kind, **{f"{name}__isnull": False})
                        | (~models.Q(entity_type=kind) & models.Q(**{f"{name}__isnull": True}))
                        for kind, name in ENTITY_FIELDS.items()
                    )
                ),
                name="threshold_rule_entity_of_its_type",
            ),
        ]

    def entity_object(self):
        name = ENTITY_FIELDS.get(self.entity_type)
        return getattr(self, name) if name else None

    def normalize(self):
        """Resolve the Entity name among the objects of the Entity Type (the name stays as written when
        none has it: clean() says so); an object found keeps its own spelling."""
        super().normalize()
        self.entity = (self.entity or "").strip()
        self.notification_receivers = [str(r).strip().lower() for r in self.notification_receivers or []]
        chosen = ENTITY_FIELDS.get(self.entity_type)
        for name in ENTITY_FIELDS.values():
            if name != chosen and getattr(self, f"{name}_id") is not None:
                setattr(self, name, None)
        if chosen is None:
            return
        current = getattr(self, chosen)
        loaded = getattr(self, "_loaded_values", None)
        if current is not None and loaded and self.entity == loaded.get("entity"):
            pass  # not given anew (a file without the column): the reference holds, renamed or not
        elif not self.entity:
            current = None
        elif current is None or current.match_key != fold(self.entity):
            target = self._meta.get_field(chosen).related_model
            current = target._default_manager.filter(match_key=fold(self.entity)).first()
        setattr(self, chosen, current)
        if current is not None:
            self.entity = current.name

    def clean(self):
        super().clean()
        errors = {}
        self.clean_entity(errors)
        suits = METRICS.get(self.entity_type, ())
        if self.metric and self.entity_type in METRICS and self.metric not in suits:
            errors["metric"] = _(
                "Metric '%(metric)s' does not suit Entity Type %(type)s, whose metrics are: %(allowed)s"
            ) % {"metric": self.metric, "type": self.entity_type, "allowed": ", ".join(suits)}
        value = self.trigger_value
        if value is not None and self.metric:
            named = {"value": value, "metric": self.metric}
            if value == 0 and self.metric not in ZERO_ALLOWED:
                errors["trigger_value"] = (
                    _("Trigger Value '%(value)s' must be more than 0 for Metric %(metric)s") % named
                )
            elif self.metric in PERCENT_METRICS and value > 100:
                errors["trigger_value"] = (
                    _("Trigger Value '%(value)s' must be a percentage from 0 to 100 for Metric %(metric)s") % named
                )
        try:
            clean_receivers(self.notification_receivers)
        except ValueError as error:
            errors["notification_receivers"] = _("Notification Receivers %(error)s") % {"error": error}
        if errors:
            raise ValidationError(errors)

    def clean_entity(self, errors: dict) -> None:
        chosen = ENTITY_FIELDS.get(self.entity_type)
        named = {"value": self.entity, "type": self.entity_type}
        if self.entity_type == EntityType.AGENT:
            if self.entity:
                errors["entity"] = _("Entity '%(value)s' must be empty for Entity Type AGENT") % named
            return
        if chosen is None:
            return  # the Entity Type itself is wrong, and says so
        current = getattr(self, chosen)
        if not self.entity and current is None:
            errors["entity"] = _("Entity is required for Entity Type %(type)s") % named
        elif current is None and failed_in_package(self._meta.get_field(chosen).related_model, self.entity):
            errors["entity"] = _("Entity '%(value)s' failed in this package") % named
        elif current is None:
            target = self._meta.get_field(chosen).related_model
            errors["entity"] = _("Entity '%(value)s' does not exist among the %(objects)s (Entity Type %(type)s)") % (
                named | {"objects": target._meta.verbose_name_plural}
            )
        loaded = getattr(self, "_loaded_values", None)
        if self._state.adding or not loaded or loaded.get("entity_type") != self.entity_type or current is None:
            return
        before = loaded.get(f"{chosen}_id")
        if before != current.pk:
            shown = type(current)._default_manager.filter(pk=before).first()
            errors["entity"] = _("%(column)s cannot change once the %(object)s exists (it is '%(value)s')") % {
                "column": "Entity",
                "object": self._meta.verbose_name,
                "value": shown,
            }

    def validate_constraints(self, exclude=None):
        # clean() gives the entity rule its messages; the check constraint is the database's guard.
        super().validate_constraints(exclude={*(exclude or ()), "entity_type"})

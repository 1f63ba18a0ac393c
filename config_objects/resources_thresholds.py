"""The Threshold Rule's bulk declaration (SPEC section 1, row 24)."""

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from config_objects import models as m
from config_objects.columns import ConfigResource, Exported, column
from config_objects.models.thresholds import ENTITY_FIELDS
from config_objects.widgets import EmailList, EntityName


def _entity_name(rule) -> str:
    entity = rule.entity_object()
    return "" if entity is None else entity.name


class ThresholdRuleResource(ConfigResource):
    slug, label = "threshold-rule", _("Threshold Rule")
    # Exported as the referenced object's name now, which a rename in the admin may have changed.
    entity = column(
        "Entity",
        "entity",
        EntityName(m.EntryPoint, m.Queue, m.Site, m.Team),
        optional=True,
        exported=Exported(Coalesce(*(f"{name}__name" for name in ENTITY_FIELDS.values())), _entity_name),
    )
    notification_receivers = column("Notification Receivers", "notification_receivers", EmailList(), optional=True)

    class Meta:
        model = m.ThresholdRule
        fields = (
            "name",
            "description",
            "entity_type",
            "entity",
            "metric",
            "operand",
            "trigger_value",
            "trigger_interval",
            "notification_receivers",
            "agent_viewable",
        )

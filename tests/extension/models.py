from django.db import models

from config_objects.models.base import NamedObject
from config_objects.models.fields import bool_field, description_field, ref_field, timezone_field


class BusinessHours(NamedObject):
    description = description_field()
    site = ref_field("config_objects.Site", "Site")
    timezone = timezone_field()
    open_all_day = bool_field("Open All Day")
    opens_at = models.PositiveSmallIntegerField("Opens At", null=True, blank=True)

    class Meta(NamedObject.Meta):
        verbose_name = "business hours"
        verbose_name_plural = "business hours"

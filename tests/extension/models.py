from django.db import models

from config_objects.models.base import NamedObject
from config_objects.models.fields import bool_field, description_field, ref_field, timezone_field


class Wallboard(NamedObject):
    description = description_field()
    site = ref_field("config_objects.Site", "Site")
    timezone = timezone_field()
    show_all_queues = bool_field("Show All Queues")
    refresh_seconds = models.PositiveSmallIntegerField("Refresh Seconds", null=True, blank=True)

    class Meta(NamedObject.Meta):
        verbose_name = "wallboard"
        verbose_name_plural = "wallboards"

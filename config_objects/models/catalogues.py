"""Catalogues referenced by name from the bulk objects but edited only in the admin."""

from django.utils.translation import gettext_lazy as _

from config_objects.models.base import NamedObject
from config_objects.models.fields import description_field


class MultimediaProfile(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = _("multimedia profile")
        verbose_name_plural = _("multimedia profiles")


class DesktopLayout(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = _("desktop layout")
        verbose_name_plural = _("desktop layouts")


class DialPlan(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = _("dial plan")
        verbose_name_plural = _("dial plans")

"""Catalogues referenced by name from the bulk objects but edited only in the admin."""

from config_objects.models.base import NamedObject
from config_objects.models.fields import description_field


class MultimediaProfile(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = "multimedia profile"


class DesktopLayout(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = "desktop layout"


class DialPlan(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = "dial plan"

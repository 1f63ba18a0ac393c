"""The Resources of the objects that ship a default row: multimedia profiles, desktop layouts and
dial plans (SPEC rows 19-21)."""

from django.utils.translation import gettext_lazy as _

from config_objects import models as m
from config_objects.columns import ConfigResource, column
from config_objects.widgets import Characters, JSONText


class MultimediaProfileResource(ConfigResource):
    slug, label = "multimedia-profile", _("Multimedia Profile")

    class Meta:
        model = m.MultimediaProfile
        fields = ("name", "description", "blending_mode", "telephony", "chat", "email", "social")


class DesktopLayoutResource(ConfigResource):
    slug, label = "desktop-layout", _("Desktop Layout")
    layout = column("Layout JSON", "layout", JSONText(), optional=True)

    class Meta:
        model = m.DesktopLayout
        fields = ("name", "description", "layout")


class DialPlanResource(ConfigResource):
    slug, label = "dial-plan", _("Dial Plan")
    stripped_characters = column("Stripped Characters", "stripped_characters", Characters(), optional=True)

    class Meta:
        model = m.DialPlan
        fields = ("name", "description", "regular_expression", "prefix", "stripped_characters")

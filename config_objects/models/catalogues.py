"""Multimedia profiles, desktop layouts and dial plans (SPEC rows 19-21): bulk objects like the others,
each shipping one default row that can be updated but never deleted."""

import json
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from config_objects.models.base import NamedObject
from config_objects.models.fields import (
    count_field,
    description_field,
    english,
    enum_field,
    fold,
    name_field,
    pattern,
    text_field,
)

LAYOUT_MAX_CHARACTERS = 1_000_000


class ShippedDefault(NamedObject):
    """An object type whose default row ships with the product: flagged, never deleted or renamed."""

    is_default = models.BooleanField(default=False, editable=False)

    class Meta(NamedObject.Meta):
        abstract = True

    def kept_reason(self) -> str | None:
        if not self.is_default:
            return None
        return _("'%(name)s' is the default %(object)s: it can be updated but never deleted") % {
            "name": self.name,
            "object": self._meta.verbose_name,
        }

    def clean(self):
        super().clean()
        loaded = getattr(self, "_loaded_values", {})
        # Its spelling may change (the latest import's is kept), not the name it is known by.
        if self.is_default and loaded.get("match_key") and loaded["match_key"] != fold(self.name):
            raise ValidationError(
                {
                    "name": _("'%(name)s' is the default %(object)s: its name cannot change")
                    % {"name": loaded["name"], "object": self._meta.verbose_name}
                }
            )


MULTIMEDIA_PROFILE_NAME = pattern(
    "Name", r"^[\w .-]+$", gettext_noop("%(column)s '%(value)s' may contain only letters, digits, spaces and . _ -")
)


class MultimediaProfile(ShippedDefault):
    class BlendingMode(models.TextChoices):
        BLENDED = "BLENDED"
        BLENDED_REALTIME = "BLENDED_REALTIME"
        EXCLUSIVE = "EXCLUSIVE"

    name = name_field(validators=(MULTIMEDIA_PROFILE_NAME,))
    description = description_field()
    blending_mode = enum_field(gettext_lazy("Blending Mode"), BlendingMode)
    telephony = count_field(gettext_lazy("Telephony"), maximum=5)
    chat = count_field(gettext_lazy("Chat"), maximum=5)
    email = count_field(gettext_lazy("Email"), maximum=5)
    social = count_field(gettext_lazy("Social"), maximum=5)

    # How many contacts of each channel an agent may handle at once, by blending mode (inclusive).
    LIMITS = {
        BlendingMode.BLENDED: {"telephony": (0, 1), "chat": (0, 5), "email": (0, 5), "social": (0, 5)},
        BlendingMode.BLENDED_REALTIME: {"telephony": (1, 1), "chat": (1, 5), "email": (0, 5), "social": (0, 5)},
        BlendingMode.EXCLUSIVE: {"telephony": (0, 1), "chat": (0, 1), "email": (0, 1), "social": (0, 1)},
    }

    class Meta(ShippedDefault.Meta):
        verbose_name = gettext_lazy("multimedia profile")
        verbose_name_plural = gettext_lazy("multimedia profiles")

    def clean(self):
        super().clean()
        limits = self.LIMITS.get(self.blending_mode)
        if limits is None:
            return
        errors = {}
        for channel, (low, high) in limits.items():
            value = getattr(self, channel)
            if value is not None and not low <= value <= high:
                label = english(self._meta.get_field(channel).verbose_name)
                allowed = str(low) if low == high else f"{low}-{high}"
                errors[channel] = _(
                    "%(column)s %(value)s is not allowed with Blending Mode %(mode)s (allowed: %(allowed)s)"
                ) % {"column": label, "value": value, "mode": self.blending_mode, "allowed": allowed}
        if not errors and not any(getattr(self, channel) for channel in limits):
            errors["telephony"] = _("At least one of Telephony, Chat, Email and Social must be above 0")
        if errors:
            raise ValidationError(errors)


def validate_layout(value: str) -> None:
    if len(value) > LAYOUT_MAX_CHARACTERS:
        raise ValidationError(
            _("Layout JSON is longer than %(limit)s characters (it has %(length)s)")
            % {"limit": f"{LAYOUT_MAX_CHARACTERS:,}", "length": f"{len(value):,}"}
        )
    try:
        layout = json.loads(value)
    except ValueError as error:
        raise ValidationError(_("Layout JSON is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(layout, dict):
        raise ValidationError(_("Layout JSON must be a JSON object ({...})"))
    if not isinstance(layout.get("version"), str):
        raise ValidationError(_('Layout JSON needs a "version" given as text'))
    if not isinstance(layout.get("area"), dict):
        raise ValidationError(_('Layout JSON needs an "area" given as an object ({...})'))


class DesktopLayout(ShippedDefault):
    description = description_field()
    # Kept as the compact text of the parsed layout, keys in their given order: an import compares it
    # as parsed JSON, since its canonical text is what a reformatted file parses to.
    layout = models.TextField(gettext_lazy("Layout JSON"), blank=True, validators=[validate_layout])

    class Meta(ShippedDefault.Meta):
        verbose_name = gettext_lazy("desktop layout")
        verbose_name_plural = gettext_lazy("desktop layouts")

    def normalize(self):
        super().normalize()
        self.layout = compact_json(self.layout)


def compact_json(text: str) -> str:
    """The one-line form of a JSON text, keys in their order; text that is not JSON is left as it is
    (for its validator to name)."""
    text = (text or "").strip()
    if not text or len(text) > LAYOUT_MAX_CHARACTERS:
        return text
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    except ValueError:
        return text


DIAL_PLAN_NAME = pattern(
    "Name", r"^[\w ,-]+$", gettext_noop("%(column)s '%(value)s' may contain only letters, digits, spaces and _ - ,")
)
DIAL_PREFIX = pattern(
    "Prefix", r"^[0-9+*#]+$", gettext_noop("%(column)s '%(value)s' may contain only digits and + * #")
)


def validate_regular_expression(value: str) -> None:
    try:
        re.compile(value)
    except re.error as error:
        raise ValidationError(
            _("Regular Expression '%(value)s' does not compile: %(error)s") % {"value": value, "error": error}
        ) from None


class DialPlan(ShippedDefault):
    name = name_field(validators=(DIAL_PLAN_NAME,))
    description = description_field()
    regular_expression = text_field(
        gettext_lazy("Regular Expression"), 255, optional=False, validators=[validate_regular_expression]
    )
    prefix = text_field(gettext_lazy("Prefix"), 50, validators=[DIAL_PREFIX])
    stripped_characters = text_field(gettext_lazy("Stripped Characters"), 128)

    class Meta(ShippedDefault.Meta):
        verbose_name = gettext_lazy("dial plan")
        verbose_name_plural = gettext_lazy("dial plans")


# The rows the product ships (made by migrations 0002 and 0010), as their fields.
SHIPPED_ROWS = {
    MultimediaProfile: {
        "name": "Default Multimedia Profile",
        "blending_mode": MultimediaProfile.BlendingMode.BLENDED,
        "telephony": 1,
        "chat": 0,
        "email": 0,
        "social": 0,
    },
    DesktopLayout: {"name": "Global Layout"},
    DialPlan: {"name": "Default Dial Plan", "regular_expression": "^[0-9*#+]+$", "stripped_characters": "()- "},
}


def ensure_shipped_rows() -> None:
    """Make the shipped default rows where they are missing (a database flushed by tests)."""
    for model, fields in SHIPPED_ROWS.items():
        if not model.objects.filter(is_default=True).exists():
            model.objects.create(**fields, description="Shipped with the product", is_default=True)

"""Field factories that give every configuration object the same kind of validation messages.

Each message names the field (by its CSV column label) and, where there is one, the bad value, so the
admin, the bulk import's error file and the tests all show the same words.
"""

import re
import unicodedata
from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

NAME_MAX_LENGTH = 80
DESCRIPTION_MAX_LENGTH = 255
# Case folding can lengthen text (ß -> ss, a Greek iota with two accents -> three characters): at most three times.
MATCH_KEY_MAX_LENGTH = 3 * 255


def fold(value: str) -> str:
    """The one form in which keys are compared: surrounding spaces dropped, Unicode caseless (full
    case folding of the canonical decomposition), recomposed. Computed here and stored, so the
    database's own lower(), which differs from Python's for 'İ', 'Σ' or 'ẞ', never decides."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", value.strip()).casefold())


def match_key_field():
    return models.CharField(max_length=MATCH_KEY_MAX_LENGTH, editable=False)


# Characters no name may hold: controls, invisible formatting (bidi overrides, zero-width spaces),
# line and paragraph separators, surrogates and unassigned code points.
FORBIDDEN_IN_NAMES = {
    "Cc": "control",
    "Cf": "invisible formatting",
    "Zl": "line separator",
    "Zp": "paragraph separator",
    "Cs": "surrogate",
    "Co": "private-use",
    "Cn": "unassigned",
}


def validate_visible(value: str) -> None:
    for character in value:
        kind = FORBIDDEN_IN_NAMES.get(unicodedata.category(character))
        if kind:
            code = f"U+{ord(character):04X}"
            named = unicodedata.name(character, "")
            raise ValidationError(
                "%(label)s may not contain the %(kind)s character %(code)s%(named)s",
                code="invisible",
                params={"label": "Name", "kind": kind, "code": code, "named": f" ({named})" if named else ""},
            )


def messages(label: str) -> dict[str, str]:
    return {
        "blank": f"{label} is required",
        "null": f"{label} is required",
        "max_length": f"{label} is longer than %(limit_value)d characters (it has %(show_value)d)",
        "invalid": f"{label} '%(value)s' is not valid",
        "min_value": f"{label} must be %(limit_value)s or more",
        "max_value": f"{label} must be %(limit_value)s or less",
    }


def pattern(label: str, regex: str, rule: str) -> RegexValidator:
    return RegexValidator(re.compile(regex), message=f"{label} '%(value)s' {rule}", code="pattern")


# Names: any printable text but the list separator and line breaks; teams and sites also lose ':'
# because "Team: Site" is how a queue's file names a team of a given site.
PLAIN_NAME = pattern("Name", r"^[^|\x00-\x1f\x7f]+$", "may not contain '|' or line breaks")
TEAM_NAME = pattern("Name", r"^[^|:\x00-\x1f\x7f]+$", "may not contain '|', ':' or line breaks")
SITE_NAME = pattern("Name", r"^[\w -]+$", "may contain only letters, digits, '-', '_' and spaces")
ENTRY_POINT_NAME = pattern(
    "Name",
    r"^[^\W\d_][\w &-]*$",
    "must start with a letter and contain only letters, digits, spaces, '&', '_' and '-'",
)
LETTER_FIRST_NAME = pattern("Name", r"^[^\W\d_][^|\x00-\x1f\x7f]*$", "must start with a letter and may not contain '|'")
DIAL_NUMBER = pattern("Dialed Number", r"^\+?[0-9.-]+$", "may hold an optional leading '+', then digits, '.' or '-'")


class VisibleText:
    """Refuses characters that cannot be seen or that break lines, naming the column."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value):
        try:
            validate_visible(str(value))
        except ValidationError as error:
            error.params["label"] = self.label
            raise

    def __eq__(self, other):
        return isinstance(other, VisibleText) and other.label == self.label

    def deconstruct(self):
        return ("config_objects.models.fields.VisibleText", (self.label,), {})


def name_field(label: str = "Name", validators=(PLAIN_NAME,), max_length=NAME_MAX_LENGTH):
    return models.CharField(
        label, max_length=max_length, validators=[VisibleText(label), *validators], error_messages=messages(label)
    )


def text_field(label: str, max_length: int, *, optional: bool = True, validators=()):
    return models.CharField(
        label,
        max_length=max_length,
        blank=optional,
        validators=list(validators),
        error_messages=messages(label),
    )


def description_field():
    return text_field("Description", DESCRIPTION_MAX_LENGTH)


def enum_field(label: str, choices: type[models.TextChoices], *, optional: bool = False, default=None):
    allowed = ", ".join(choices.values)
    extra = {"default": default} if default is not None else {}
    return models.CharField(
        label,
        max_length=max(len(value) for value in choices.values),
        choices=choices.choices,
        blank=optional,
        error_messages=messages(label) | {"invalid_choice": f"{label} '%(value)s' is not one of {allowed}"},
        **extra,
    )


def bool_field(label: str, default: bool = False):
    return models.BooleanField(label, default=default, error_messages=messages(label))


def count_field(label: str, *, optional: bool = False, minimum: int = 0, maximum: int | None = None, **kwargs):
    """A whole number (seconds, contacts, proficiency) with inclusive bounds."""
    validators = [MinValueValidator(minimum)]
    if maximum is not None:
        validators.append(MaxValueValidator(maximum))
    field_messages = messages(label) | {"invalid": f"{label} '%(value)s' is not a whole number"}
    return models.PositiveIntegerField(
        label,
        null=optional,
        blank=optional,
        validators=validators,
        error_messages=field_messages,
        **kwargs,
    )


def ref_field(to, label: str, *, optional: bool = False, related_name: str = "+"):
    """A reference to another object by name. PROTECT: a referenced object cannot be deleted."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        verbose_name=label,
        null=optional,
        blank=optional,
        related_name=related_name,
        error_messages=messages(label),
    )


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _timezones():
        raise ValidationError(
            "Timezone '%(value)s' is not an IANA time zone name such as Europe/Belgrade",
            code="timezone",
            params={"value": value},
        )


def timezone_field():
    return text_field("Timezone", 64, optional=False, validators=[validate_timezone])


def seconds_field(label: str = "Service Level Threshold", *, optional: bool = False):
    return count_field(label, optional=optional)

"""Field factories that give every configuration object the same kind of validation messages.

Each message names the field (by its CSV column label) and, where there is one, the bad value, so the
admin, the bulk import's error file and the tests all show the same words.
"""

import re
import unicodedata
from contextvars import ContextVar
from functools import cache, lru_cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 80
DESCRIPTION_MAX_LENGTH = 255
# Case folding can lengthen text (ß -> ss, a Greek iota with two accents -> three characters): at most three times.
MATCH_KEY_MAX_LENGTH = 3 * 255


@lru_cache(maxsize=16384)  # the same names come back on row after row (a site, a profile, a team)
def fold(value: str) -> str:
    """The one form in which keys are compared: surrounding spaces dropped, Unicode caseless (full
    case folding of the canonical decomposition), recomposed. Computed here and stored, so the
    database's own lower(), which differs from Python's for 'İ', 'Σ' or 'ẞ', never decides."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", value.strip()).casefold())


def folds(values) -> list[str]:
    """fold() of each value. A column of plain ASCII text (most names) is folded at once: for ASCII,
    Unicode case folding is lowering, and both normalisations leave it as it is."""
    values = list(values)
    if "".join(values).isascii():
        return list(map(str.lower, map(str.strip, values)))
    return list(map(fold, values))


def match_key_field():
    return models.CharField(max_length=MATCH_KEY_MAX_LENGTH, editable=False)


def english(label) -> str:
    """A label's English text: the msgid of a lazy translation, or the text itself. Column names are
    taken from field labels and stay English in every language (SPEC section 10), while the admin
    shows the same labels translated."""
    if isinstance(label, Promise):
        args = getattr(label, "_args", ())
        if args and isinstance(args[-1], str):
            return args[-1]
    return str(label)


def _labelled(template: str, label: str) -> str:
    return gettext(template).replace("%(column)s", label)


def _allowed(message: str, allowed: str) -> str:
    return str(message).replace("%(allowed)s", allowed)


format_lazy_allowed = lazy(_allowed, str)

# A message about one column, translated when shown: the column's name stays English (it is the CSV
# column), the words around it are the reader's language. Other %(...)s placeholders are left for
# Django's validation to fill.
labelled = lazy(_labelled, str)

# Characters no name may hold: controls, invisible formatting (bidi overrides, zero-width spaces),
# line and paragraph separators, surrogates and unassigned code points.
FORBIDDEN_IN_NAMES = {
    "Cc": _("control"),
    "Cf": _("invisible formatting"),
    "Zl": _("line separator"),
    "Zp": _("paragraph separator"),
    "Cs": _("surrogate"),
    "Co": _("private-use"),
    "Cn": _("unassigned"),
}


def validate_visible(value: str) -> None:
    if value.isascii() and value.isprintable():
        return  # letters, digits, punctuation and spaces only: the usual name, checked at C speed
    for character in value:
        kind = FORBIDDEN_IN_NAMES.get(unicodedata.category(character))
        if kind:
            code = f"U+{ord(character):04X}"
            named = unicodedata.name(character, "")
            raise ValidationError(
                _("%(label)s may not contain the %(kind)s character %(code)s%(named)s"),
                code="invisible",
                params={"label": "Name", "kind": kind, "code": code, "named": f" ({named})" if named else ""},
            )


def messages(label) -> dict[str, str]:
    label = english(label)
    return {
        "blank": labelled(gettext_noop("%(column)s is required"), label),
        "null": labelled(gettext_noop("%(column)s is required"), label),
        "max_length": labelled(
            gettext_noop("%(column)s is longer than %(limit_value)d characters (it has %(show_value)d)"), label
        ),
        "invalid": labelled(gettext_noop("%(column)s '%(value)s' is not valid"), label),
        "min_value": labelled(gettext_noop("%(column)s '%(value)s' must be %(limit_value)s or more"), label),
        "max_value": labelled(gettext_noop("%(column)s '%(value)s' must be %(limit_value)s or less"), label),
    }


def pattern(label: str, regex: str, rule: str) -> RegexValidator:
    """rule: the message, "%(column)s '%(value)s' ..." marked with gettext_noop."""
    validator = RegexValidator(re.compile(regex), message=labelled(rule, english(label)), code="pattern")
    validator.rule, validator.column = rule, english(label)  # for_column writes it for another column
    return validator


def for_column(validators, label) -> list:
    """A field's validators, each pattern naming the field's own column: a rule shared by columns (a
    dialed number's, a name's) says "Default DN 'abc' ..." on Default DN, not the label it was written
    for."""
    label = english(label)
    return [
        pattern(label, validator.regex.pattern, validator.rule)
        if getattr(validator, "rule", None) and validator.column != label
        else validator
        for validator in validators
    ]


# Names: any printable text but the list separator and line breaks; teams and sites also lose ':'
# because "Team: Site" is how a queue's file names a team of a given site.
PLAIN_NAME = pattern(
    "Name", r"^[^|\x00-\x1f\x7f]+$", gettext_noop("%(column)s '%(value)s' may not contain '|' or line breaks")
)
TEAM_NAME = pattern(
    "Name", r"^[^|:\x00-\x1f\x7f]+$", gettext_noop("%(column)s '%(value)s' may not contain '|', ':' or line breaks")
)
SITE_NAME = pattern(
    "Name",
    r"^[\w -]+$",
    gettext_noop("%(column)s '%(value)s' may contain only letters, digits, '-', '_' and spaces"),
)
ENTRY_POINT_NAME = pattern(
    "Name",
    r"^[^\W\d_][\w &-]*$",
    gettext_noop(
        "%(column)s '%(value)s' must start with a letter and contain only letters, digits, spaces, '&', '_' and '-'"
    ),
)
LETTER_FIRST_NAME = pattern(
    "Name",
    r"^[^\W\d_][^|\x00-\x1f\x7f]*$",
    gettext_noop("%(column)s '%(value)s' must start with a letter and may not contain '|'"),
)
DIAL_NUMBER = pattern(
    "Dialed Number",
    r"^\+?[0-9.-]+$",
    gettext_noop("%(column)s '%(value)s' may hold an optional leading '+', then digits, '.' or '-'"),
)


class VisibleText:
    """Refuses characters that cannot be seen or that break lines, naming the column."""

    def __init__(self, label: str):
        self.label = english(label)

    def __call__(self, value):
        try:
            validate_visible(str(value))
        except ValidationError as error:
            error.params["label"] = self.label
            raise

    @staticmethod
    def passes_all(values: list[str]) -> bool:
        """True when every value surely passes (printable ASCII all through, tested at C speed)."""
        joined = "".join(values)
        return joined.isascii() and joined.isprintable()

    def __eq__(self, other):
        return isinstance(other, VisibleText) and other.label == self.label

    def deconstruct(self):
        return ("config_objects.models.fields.VisibleText", (self.label,), {})


NAME = _("Name")
SERVICE_LEVEL_THRESHOLD = _("Service Level Threshold")


def name_field(label=NAME, validators=(PLAIN_NAME,), max_length=NAME_MAX_LENGTH):
    return models.CharField(
        label,
        max_length=max_length,
        validators=[VisibleText(label), *for_column(validators, label)],
        error_messages=messages(label),
    )


def text_field(label, max_length: int, *, optional: bool = True, validators=()):
    return models.CharField(
        label,
        max_length=max_length,
        blank=optional,
        validators=for_column(validators, label),
        error_messages=messages(label),
    )


def description_field():
    return text_field(_("Description"), DESCRIPTION_MAX_LENGTH)


def enum_field(label, choices: type[models.TextChoices], *, optional: bool = False, default=None):
    allowed = ", ".join(choices.values)
    invalid = labelled(gettext_noop("%(column)s '%(value)s' is not one of %(allowed)s"), english(label))
    extra = {"default": default} if default is not None else {}
    return models.CharField(
        label,
        max_length=max(len(value) for value in choices.values),
        choices=choices.choices,
        blank=optional,
        error_messages=messages(label) | {"invalid_choice": format_lazy_allowed(invalid, allowed)},
        **extra,
    )


def bool_field(label, default: bool = False):
    return models.BooleanField(label, default=default, error_messages=messages(label))


def count_field(label, *, optional: bool = False, minimum: int = 0, maximum: int | None = None, **kwargs):
    """A whole number (seconds, contacts, proficiency) with inclusive bounds."""
    validators = [MinValueValidator(minimum)]
    if maximum is not None:
        validators.append(MaxValueValidator(maximum))
    field_messages = messages(label) | {
        "invalid": labelled(gettext_noop("%(column)s '%(value)s' is not a whole number"), english(label))
    }
    return models.PositiveIntegerField(
        label,
        null=optional,
        blank=optional,
        validators=validators,
        error_messages=field_messages,
        **kwargs,
    )


def ref_field(to, label, *, optional: bool = False, related_name: str = "+"):
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
            _("Timezone '%(value)s' is not an IANA time zone name such as Europe/Belgrade"),
            code="timezone",
            params={"value": value},
        )


def timezone_field():
    return text_field(_("Timezone"), 64, optional=False, validators=[validate_timezone])


def seconds_field(label=SERVICE_LEVEL_THRESHOLD, *, optional: bool = False):
    return count_field(label, optional=optional)


# The names whose own rows failed earlier in the package being imported, {model: {folded name}}: a
# reference to one of them says so (SPEC 11). Set by the package import, empty otherwise.
FAILED_IN_PACKAGE: ContextVar[dict | None] = ContextVar("failed_in_package", default=None)


def failed_in_package(model, name: str) -> bool:
    return fold(name) in (FAILED_IN_PACKAGE.get() or {}).get(model, ())

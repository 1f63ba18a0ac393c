"""Global variables: values a flow or the agent desktop reads, of a fixed type, some of them reported on."""

import contextlib
import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from config_objects.models.base import NamedObject
from config_objects.models.fields import bool_field, description_field, enum_field, name_field, pattern, text_field

VARIABLE_NAME = pattern(
    "Name", r"^\w+$", gettext_noop("%(column)s '%(value)s' may contain only letters, digits and '_' (no spaces)")
)
DEFAULT_VALUE_MAX_LENGTH = 256
DESKTOP_LABEL_MAX_LENGTH = 50
# The product reports on at most this many active variables; the database holds the limit as one
# numbered slot per reportable active variable (see GlobalVariable.reportable_slot).
MAX_REPORTABLE = 100

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]+$")
NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")


class VariableType(models.TextChoices):
    STRING = "STRING"
    INTEGER = "INTEGER"
    DECIMAL = "DECIMAL"
    DATE_TIME = "DATE_TIME"
    BOOLEAN = "BOOLEAN"


# The spellings of the product this mirrors, accepted in a file.
VARIABLE_TYPE_ALIASES = {
    "String": VariableType.STRING,
    "Integer": VariableType.INTEGER,
    "Decimal": VariableType.DECIMAL,
    "DateTime": VariableType.DATE_TIME,
    "Boolean": VariableType.BOOLEAN,
}


def canonical_value(variable_type: str, value: str) -> str:
    """A default value in its stored spelling for the type, or ValueError saying what it must be."""
    if not value or variable_type == VariableType.STRING:
        return value
    if variable_type == VariableType.INTEGER:
        if not WHOLE_NUMBER.match(value):
            raise ValueError(_("a whole number"))
        return str(int(value))
    if variable_type == VariableType.DECIMAL:
        try:
            number = Decimal(value) if NUMBER.match(value) else None
        except InvalidOperation:
            number = None
        # A huge exponent would write thousands of digits: such a value cannot be stored anyway.
        if number is None or abs(number.adjusted()) > DEFAULT_VALUE_MAX_LENGTH:
            raise ValueError(_("a number such as 12.5"))
        return format(number, "f")
    if variable_type == VariableType.BOOLEAN:
        word = value.lower()
        if word in TRUE_WORDS:
            return "TRUE"
        if word in FALSE_WORDS:
            return "FALSE"
        raise ValueError(_("TRUE or FALSE"))
    if variable_type == VariableType.DATE_TIME:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        # A moment without an offset means different instants in different places: refused, not guessed.
        if moment is None or moment.utcoffset() is None:
            raise ValueError(_("an ISO 8601 date and time with a time zone, such as 2026-01-31T09:00:00Z"))
        text = moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()
        return text + "Z"
    return value


class GlobalVariable(NamedObject):
    fixed_fields = ("variable_type",)

    name = name_field(validators=[VARIABLE_NAME])
    description = description_field()
    variable_type = enum_field(gettext_lazy("Variable Type"), VariableType)
    default_value = text_field(gettext_lazy("Default Value"), DEFAULT_VALUE_MAX_LENGTH)
    agent_viewable = bool_field(gettext_lazy("Agent Viewable"))
    agent_editable = bool_field(gettext_lazy("Agent Editable"))
    desktop_label = text_field(gettext_lazy("Desktop Label"), DESKTOP_LABEL_MAX_LENGTH)
    reportable = bool_field(gettext_lazy("Reportable"))
    sensitive = bool_field(gettext_lazy("Sensitive"))
    active = bool_field(gettext_lazy("Active"), default=True)
    # 1..MAX_REPORTABLE for an active reportable variable, else empty: unique, so two imports running
    # at once cannot both take the last free one and pass the limit.
    reportable_slot = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta(NamedObject.Meta):
        verbose_name = gettext_lazy("global variable")
        verbose_name_plural = gettext_lazy("global variables")
        constraints = [
            *NamedObject.Meta.constraints,
            models.UniqueConstraint(fields=["reportable_slot"], name="global_variable_reportable_slot_unique"),
            models.CheckConstraint(
                condition=models.Q(reportable_slot__isnull=True)
                | models.Q(reportable_slot__gte=1, reportable_slot__lte=MAX_REPORTABLE),
                name="global_variable_reportable_slot_range",
            ),
            models.CheckConstraint(
                condition=models.Q(active=True, reportable=True, reportable_slot__isnull=False)
                | (models.Q(reportable_slot__isnull=True) & ~models.Q(active=True, reportable=True)),
                name="global_variable_reportable_has_slot",
            ),
        ]

    @property
    def counts_as_reportable(self) -> bool:
        return bool(self.active and self.reportable)

    def normalize(self):
        super().normalize()
        self.default_value = (self.default_value or "").strip()
        with contextlib.suppress(ValueError):  # clean() says why
            self.default_value = canonical_value(self.variable_type, self.default_value)
        if not self.counts_as_reportable:
            self.reportable_slot = None

    def free_slot(self) -> int | None:
        taken = set(
            GlobalVariable.objects.filter(reportable_slot__isnull=False)
            .exclude(pk=self.pk)
            .values_list("reportable_slot", flat=True)
        )
        return next((slot for slot in range(1, MAX_REPORTABLE + 1) if slot not in taken), None)

    def clean(self):
        super().clean()
        errors = {}
        try:
            canonical_value(self.variable_type, self.default_value)
        except ValueError as error:
            errors["default_value"] = _("Default Value '%(value)s' is not %(shape)s (Variable Type %(type)s)") % {
                "value": self.default_value,
                "shape": error,
                "type": self.variable_type,
            }
        if self.agent_editable and not self.agent_viewable:
            errors["agent_editable"] = _("Agent Editable TRUE needs Agent Viewable TRUE")
        if self.agent_viewable and not self.desktop_label:
            errors["desktop_label"] = _("Desktop Label is required when Agent Viewable is TRUE")
        if self.counts_as_reportable and self.reportable_slot is None:
            self.reportable_slot = self.free_slot()
            if self.reportable_slot is None:
                errors["reportable"] = _(
                    "Reportable 'TRUE' would make more than %(limit)s active reportable variables: "
                    "make another one not Reportable or not Active first"
                ) % {"limit": MAX_REPORTABLE}
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # clean() keeps the reportable slot (and says why when none is free): the slot's constraints
        # are the database's guard against imports running at once.
        super().validate_constraints(exclude={*(exclude or ()), "reportable_slot"})

    def save(self, *args, **kwargs):
        self.normalize()
        if self.counts_as_reportable and self.reportable_slot is None:
            self.reportable_slot = self.free_slot()  # none free: the database refuses the save
        super().save(*args, **kwargs)

"""Fields of the objects that are about time (schedules, working hours, holidays, overrides): dates,
times of day and a list of week days, each stored in its canonical form and read from a cell by the
widget of config_objects.widgets that follows the field's type."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config_objects.models.fields import english, messages

WEEK_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def parse_days(value: str) -> str:
    """'fri|Mon' -> 'MON|FRI': each day at most once, in week order; ValueError names what is wrong."""
    from config_objects.models.skills import LIST_SEPARATOR, split_list

    days = [day.upper() for day in split_list(value or "")]
    unknown = [day for day in days if day not in WEEK_DAYS]
    if unknown:
        raise ValueError(
            _("'%(value)s' has '%(day)s', which is not one of %(days)s")
            % {"value": value.strip(), "day": unknown[0], "days": ", ".join(WEEK_DAYS)}
        )
    repeated = next((day for day in WEEK_DAYS if days.count(day) > 1), None)
    if repeated:
        raise ValueError(_("'%(value)s' names %(day)s twice") % {"value": value.strip(), "day": repeated})
    return LIST_SEPARATOR.join(day for day in WEEK_DAYS if day in days)


class DaysField(models.CharField):
    """A set of week days, stored as 'MON|WED|FRI' (week order, each once)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 27)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        # The canonical spelling, whoever typed the days (the admin as well as a file); a value that
        # is not a set of days is left for validate() to name.
        value = super().to_python(value)
        try:
            return parse_days(value) if value else value
        except ValueError:
            return value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            canonical = parse_days(value)
        except ValueError as error:
            raise ValidationError(f"{english(self.verbose_name)} {error}", code="invalid") from None
        if not canonical and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")


DAYS = gettext_lazy("Days")


def days_field(label=DAYS, *, optional: bool = False):
    return DaysField(label, blank=optional, error_messages=messages(label))


def date_field(label, *, optional: bool = False):
    return models.DateField(label, null=optional, blank=optional, error_messages=messages(label))


def time_field(label):
    return models.TimeField(label, error_messages=messages(label))


# A date and time of day as a clock on the wall shows it where the object is (its own Timezone column):
# never converted, so an override "2026-12-24T18:00" in Europe/Belgrade stays 18:00 across daylight
# saving changes. 'T' may be written as a space.
WALL_CLOCK = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{1,2}):(\d{2})$")


def parse_wall_clock(value: str) -> datetime.datetime:
    """'2026-12-24T18:00' or '2026-12-24 18:00' -> a naive datetime; ValueError if it is not one."""
    found = WALL_CLOCK.match(value.strip())
    if found is None:
        raise ValueError(value)
    return datetime.datetime(*map(int, found.groups()))  # ValueError for month 13 or 24:00 too


def wall_clock_text(value: datetime.datetime) -> str:
    """The canonical spelling, YYYY-MM-DDTHH:MM (strftime leaves years before 1000 unpadded)."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}"


class WallClockFormField(forms.CharField):
    """The admin's input of a wall-clock date and time, typed as in a file."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_wall_clock(value)
        except ValueError:
            raise ValidationError(
                _("'%(value)s' is not a date and time (YYYY-MM-DDTHH:MM)") % {"value": value}, code="invalid"
            ) from None

    def prepare_value(self, value):
        return wall_clock_text(value) if isinstance(value, datetime.datetime) else value


class WallClockField(models.Field):
    """A wall-clock date and time (see WALL_CLOCK), a naive datetime in Python. Stored as its
    canonical text, whose fixed width makes text order time order: the database compares two of
    them (an end after its start) without knowing they are times, on every backend alike."""

    description = gettext_lazy("Date and time of day, without a time zone")

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = len("YYYY-MM-DDTHH:MM")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def get_internal_type(self):
        return "CharField"

    def from_db_value(self, value, expression, connection):
        return None if value is None else parse_wall_clock(value)

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(second=0, microsecond=0)
        try:
            return parse_wall_clock(str(value))
        except ValueError:
            pass
        try:  # Django's serializers write a datetime in ISO form, with seconds
            return datetime.datetime.fromisoformat(str(value)).replace(second=0, microsecond=0, tzinfo=None)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value}) from None

    def get_prep_value(self, value):
        value = self.to_python(super().get_prep_value(value))
        return None if value is None else wall_clock_text(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else wall_clock_text(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WallClockFormField, **kwargs})


def wall_clock_field(label):
    return WallClockField(label, error_messages=messages(label))


def days_of(value: str) -> set[str]:
    return set(value.split("|")) if value else set()


def minutes(time: datetime.time) -> int:
    return time.hour * 60 + time.minute

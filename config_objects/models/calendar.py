"""Fields of the objects that are about time (schedules, working hours, holidays, overrides): dates,
times of day and a list of week days, each stored in its canonical form and read from a cell by the
widget of config_objects.widgets that follows the field's type."""

import datetime

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


def days_of(value: str) -> set[str]:
    return set(value.split("|")) if value else set()


def minutes(time: datetime.time) -> int:
    return time.hour * 60 + time.minute

"""When the contact center is open: working hours (a week of shifts), the holiday lists that close
it on given dates and the overrides that open or close it for a period. Each is written over
several rows, one child per row (a shift, a holiday, an override period), merged by the child's name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from config_objects.models.base import NamedChild, NamedObject
from config_objects.models.calendar import (
    WEEK_DAYS,
    date_field,
    days_field,
    days_of,
    minutes,
    time_field,
    wall_clock_field,
    wall_clock_text,
)
from config_objects.models.fields import (
    description_field,
    enum_field,
    labelled,
    messages,
    name_field,
    ref_field,
    timezone_field,
)


class Frequency(models.TextChoices):
    DONT_REPEAT = "DONT_REPEAT"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    YEARLY = "YEARLY"


class HolidayFrequency(models.TextChoices):
    DONT_REPEAT = "DONT_REPEAT"
    YEARLY = "YEARLY"


FREQUENCY = gettext_lazy("Frequency")
REPEAT_UNTIL = gettext_lazy("Repeat Until")


class StatedBooleanField(models.BooleanField):
    """A Bool a row must state: no value (an empty cell of a child row) is "is required", where
    Django's BooleanField would say "'None' is not valid"."""

    def to_python(self, value):
        return None if value is None else super().to_python(value)


def clean_repetition(child) -> None:
    """An empty Frequency is DONT_REPEAT; Repeat Until only with a repeating one."""
    if not child.frequency:
        child.frequency = Frequency.DONT_REPEAT
    if child.repeat_until is not None and child.frequency == Frequency.DONT_REPEAT:
        choices = type(child)._meta.get_field("frequency").choices
        repeating = [value for value, _label in choices if value != Frequency.DONT_REPEAT]
        raise ValidationError(
            {
                "repeat_until": _("Repeat Until '%(value)s' needs a repeating Frequency (%(allowed)s)")
                % {"value": child.repeat_until.isoformat(), "allowed": ", ".join(repeating)}
            }
        )


def repeat_only_when_repeating(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(repeat_until__isnull=True) | ~Q(frequency=Frequency.DONT_REPEAT),
        name=name,
        violation_error_message=labelled(gettext_noop("%(column)s needs a repeating Frequency"), "Repeat Until"),
    )


class Override(NamedObject):
    description = description_field()
    timezone = timezone_field()

    class Meta(NamedObject.Meta):
        verbose_name = gettext_lazy("override")
        verbose_name_plural = gettext_lazy("overrides")


class OverridePeriod(NamedChild):
    """A period in which the contact center is open (Working Hours TRUE) or closed, in wall-clock
    time of the override's Timezone, perhaps repeated."""

    override = models.ForeignKey(Override, on_delete=models.CASCADE, related_name="periods")
    name = name_field(gettext_lazy("Override Name"))
    start = wall_clock_field(gettext_lazy("Start Date Time"))
    end = wall_clock_field(gettext_lazy("End Date Time"))
    working_hours = StatedBooleanField(
        gettext_lazy("Working Hours"), default=False, error_messages=messages("Working Hours")
    )
    frequency = enum_field(FREQUENCY, Frequency, optional=True, default=Frequency.DONT_REPEAT)
    repeat_until = date_field(REPEAT_UNTIL, optional=True)

    class Meta(NamedChild.Meta):
        verbose_name = gettext_lazy("override period")
        verbose_name_plural = gettext_lazy("override periods")
        constraints = [
            models.UniqueConstraint("override", "match_key", name="override_period_unique"),
            # Both are text in a fixed width (see WallClockField), so text order is time order.
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="override_period_end_after_start",
                violation_error_message=labelled(
                    gettext_noop("%(column)s must be after Start Date Time"), "End Date Time"
                ),
            ),
            repeat_only_when_repeating("override_period_repeat_only_when_repeating"),
        ]

    def clean(self):
        super().clean()
        clean_repetition(self)
        if self.start is None or self.end is None:
            return
        if self.end <= self.start:
            raise ValidationError(
                {
                    "end": _("End Date Time '%(end)s' must be after Start Date Time '%(start)s'")
                    % {"end": wall_clock_text(self.end), "start": wall_clock_text(self.start)}
                }
            )
        if self.repeat_until is not None and self.repeat_until < self.start.date():
            raise ValidationError(
                {
                    "repeat_until": _("Repeat Until '%(value)s' is before Start Date Time '%(start)s'")
                    % {"value": self.repeat_until.isoformat(), "start": wall_clock_text(self.start)}
                }
            )


class HolidayList(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = gettext_lazy("holiday list")
        verbose_name_plural = gettext_lazy("holiday lists")


class Holiday(NamedChild):
    """Whole days on which the contact center is closed; holidays of one list may overlap."""

    holiday_list = models.ForeignKey(HolidayList, on_delete=models.CASCADE, related_name="holidays")
    name = name_field(gettext_lazy("Holiday Name"))
    start_date = date_field(gettext_lazy("Start Date"))
    end_date = date_field(gettext_lazy("End Date"))
    frequency = enum_field(FREQUENCY, HolidayFrequency, optional=True, default=HolidayFrequency.DONT_REPEAT)
    repeat_until = date_field(REPEAT_UNTIL, optional=True)

    class Meta(NamedChild.Meta):
        verbose_name = gettext_lazy("holiday")
        verbose_name_plural = gettext_lazy("holidays")
        constraints = [
            models.UniqueConstraint("holiday_list", "match_key", name="holiday_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="holiday_end_not_before_start",
                violation_error_message=labelled(gettext_noop("%(column)s may not be before Start Date"), "End Date"),
            ),
            repeat_only_when_repeating("holiday_repeat_only_when_repeating"),
            models.CheckConstraint(
                condition=Q(repeat_until__isnull=True) | Q(repeat_until__gte=F("start_date")),
                name="holiday_repeat_until_not_before_start",
                violation_error_message=labelled(
                    gettext_noop("%(column)s may not be before Start Date"), "Repeat Until"
                ),
            ),
        ]

    def clean(self):
        super().clean()
        clean_repetition(self)
        if self.start_date is None or self.end_date is None:
            return
        if self.end_date < self.start_date:
            raise ValidationError(
                {
                    "end_date": _("End Date '%(end)s' may not be before Start Date '%(start)s'")
                    % {"end": self.end_date.isoformat(), "start": self.start_date.isoformat()}
                }
            )
        if self.repeat_until is not None and self.repeat_until < self.start_date:
            raise ValidationError(
                {
                    "repeat_until": _("Repeat Until '%(value)s' is before Start Date '%(start)s'")
                    % {"value": self.repeat_until.isoformat(), "start": self.start_date.isoformat()}
                }
            )


class WorkingHours(NamedObject):
    """Also called Business Hours: the week's shifts, with the holidays and overrides that apply."""

    description = description_field()
    timezone = timezone_field()
    holiday_list = ref_field(HolidayList, gettext_lazy("Holiday List"), optional=True)
    override = ref_field(Override, gettext_lazy("Override"), optional=True)

    class Meta(NamedObject.Meta):
        verbose_name = gettext_lazy("working hours")
        verbose_name_plural = gettext_lazy("working hours")


class Shift(NamedChild):
    """Hours of the listed week days in which the contact center is open; a shift past midnight is
    written as two shifts."""

    working_hours = models.ForeignKey(WorkingHours, on_delete=models.CASCADE, related_name="shifts")
    name = name_field(gettext_lazy("Shift Name"))
    days = days_field()
    start_time = time_field(gettext_lazy("Start Time"))
    end_time = time_field(gettext_lazy("End Time"))

    class Meta(NamedChild.Meta):
        verbose_name = gettext_lazy("shift")
        verbose_name_plural = gettext_lazy("shifts")
        constraints = [
            models.UniqueConstraint("working_hours", "match_key", name="shift_unique"),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="shift_end_after_start",
                violation_error_message=labelled(gettext_noop("%(column)s must be after Start Time"), "End Time"),
            ),
        ]

    def clean(self):
        super().clean()
        if self.start_time is not None and self.end_time is not None and self.end_time <= self.start_time:
            raise ValidationError(
                {
                    "end_time": _(
                        "End Time '%(end)s' must be after Start Time '%(start)s' (a shift past midnight is two shifts)"
                    )
                    % {"end": self.end_time.strftime("%H:%M"), "start": self.start_time.strftime("%H:%M")}
                }
            )


def shift_overlaps(shifts: list[tuple]) -> list[str]:
    """A message for each two shifts of one schedule that overlap on a day both list, naming them
    and the first such day. shifts: (name, days, start time, end time), as they will be stored.
    Shifts that only touch (one ends at 12:00, the next starts at 12:00) do not overlap."""
    problems = []
    ordered = sorted(shifts, key=lambda shift: (minutes(shift[2]), str(shift[0]).lower()))
    for index, (name, days, start, end) in enumerate(ordered):
        for other, other_days, other_start, other_end in ordered[index + 1 :]:
            shared = days_of(days) & days_of(other_days)
            if not shared or not (start < other_end and other_start < end):
                continue
            problems.append(
                _("Shifts '%(first)s' (%(first_hours)s) and '%(second)s' (%(second_hours)s) overlap on %(day)s")
                % {
                    "first": name,
                    "first_hours": f"{start:%H:%M}-{end:%H:%M}",
                    "second": other,
                    "second_hours": f"{other_start:%H:%M}-{other_end:%H:%M}",
                    "day": next(day for day in WEEK_DAYS if day in shared),
                }
            )
    return problems

"""Admin pages of overrides, holiday lists and working hours, their child rows as inlines."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from config_objects import models as m
from config_objects.admin_base import ConfigAdmin, LinkedInline


class OverridePeriodInline(LinkedInline):
    model = m.OverridePeriod
    min_num = 1


@admin.register(m.Override)
class OverrideAdmin(ConfigAdmin):
    list_display = ["name", "timezone", "description"]
    inlines = [OverridePeriodInline]


class HolidayInline(LinkedInline):
    model = m.Holiday
    min_num = 1


@admin.register(m.HolidayList)
class HolidayListAdmin(ConfigAdmin):
    list_display = ["name", "description"]
    inlines = [HolidayInline]


class ShiftFormSet(BaseInlineFormSet):
    """Two shifts of one schedule may not overlap on a shared day, as in a bulk import."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # Each form's instance holds its shift as validated: days in their canonical spelling.
        shifts = [
            (form.instance.name, form.instance.days, form.instance.start_time, form.instance.end_time)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = m.shift_overlaps(shifts)
        if problems:
            raise ValidationError(problems)


class ShiftInline(LinkedInline):
    model = m.Shift
    formset = ShiftFormSet
    min_num = 1


@admin.register(m.WorkingHours)
class WorkingHoursAdmin(ConfigAdmin):
    list_display = ["name", "timezone", "holiday_list", "override", "description"]
    list_filter = ["holiday_list", "override"]
    list_select_related = ["holiday_list", "override"]
    inlines = [ShiftInline]

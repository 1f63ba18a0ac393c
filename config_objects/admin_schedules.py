"""The schedules' admin (SPEC rows 22-23): week days as check boxes, people picked by search."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from config_objects import models as m
from config_objects.admin_base import ConfigAdmin
from config_objects.admin_forms import LinkedObjectForm, link_form
from config_objects.models.calendar import WEEK_DAYS, days_of
from config_objects.models.skills import LIST_SEPARATOR


class ScheduleForm(LinkedObjectForm):
    """Days as seven check boxes in week order, stored as the import writes them ('MON|WED')."""

    days = forms.MultipleChoiceField(
        label=gettext_lazy("Days"),
        choices=[(day, day) for day in WEEK_DAYS],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["days"] = sorted(days_of(self.instance.days), key=WEEK_DAYS.index)

    def clean_days(self):
        chosen = set(self.cleaned_data["days"])
        return LIST_SEPARATOR.join(day for day in WEEK_DAYS if day in chosen)


class ScheduleAdmin(ConfigAdmin):
    list_display = ["name", "timezone", "start_date", "end_date", "days", "start_time", "end_time"]
    list_filter = ["timezone"]
    when = ["timezone", "start_date", "end_date", "days", "start_time", "end_time"]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = link_form(model, admin_site, base=ScheduleForm)


@admin.register(m.CallRecordingSchedule)
class CallRecordingScheduleAdmin(ScheduleAdmin):
    list_display = ["name", "percentage", *ScheduleAdmin.list_display[1:]]
    fieldsets = [
        (None, {"fields": ["name", "percentage"]}),
        (gettext_lazy("When"), {"fields": ScheduleAdmin.when}),
        (gettext_lazy("Which calls"), {"fields": ["queues", "sites", "teams", "users"]}),
    ]


@admin.register(m.CallMonitoringSchedule)
class CallMonitoringScheduleAdmin(ScheduleAdmin):
    list_display = ["name", "supervisor", *ScheduleAdmin.list_display[1:]]
    list_select_related = ["supervisor"]
    fieldsets = [
        (None, {"fields": ["name", "supervisor"]}),
        (gettext_lazy("When"), {"fields": ScheduleAdmin.when}),
        (gettext_lazy("Which calls"), {"fields": ["queues", "sites", "teams", "agent"]}),
    ]

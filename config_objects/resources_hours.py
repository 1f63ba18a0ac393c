"""The Resources of SPEC rows 25-27: overrides, holiday lists and working hours, each written over
several rows, one child per row, merged by the child's name (Delete=Yes removes one; at least one
remains)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config_objects import models as m
from config_objects.columns import CHILD, ChildRows, ConfigResource, column, delete_column

PERIOD_COLUMNS = ("start", "end", "working_hours", "frequency", "repeat_until")
HOLIDAY_COLUMNS = ("start_date", "end_date", "frequency", "repeat_until")
SHIFT_COLUMNS = ("days", "start_time", "end_time")


class OverrideResource(ConfigResource):
    slug, label = "override", gettext_lazy("Override")
    children = ChildRows(m.OverridePeriod, parent="override", key="name", fields=PERIOD_COLUMNS)
    override_name = column("Override Name", "name", part=CHILD)
    delete = delete_column()

    class Meta:
        model = m.Override
        fields = ("name", "description", "timezone", "override_name", *PERIOD_COLUMNS, "delete")

    def children_problems(self, children: list[dict]) -> list[str]:
        if children:
            return []
        return [_("An override keeps at least one override period: this file would remove its last one")]


class HolidayListResource(ConfigResource):
    slug, label = "holiday-list", gettext_lazy("Holiday List")
    children = ChildRows(m.Holiday, parent="holiday_list", key="name", fields=HOLIDAY_COLUMNS)
    holiday_name = column("Holiday Name", "name", part=CHILD)
    delete = delete_column()

    class Meta:
        model = m.HolidayList
        fields = ("name", "description", "holiday_name", *HOLIDAY_COLUMNS, "delete")

    def children_problems(self, children: list[dict]) -> list[str]:
        if children:
            return []
        return [_("A holiday list keeps at least one holiday: this file would remove its last one")]


class WorkingHoursResource(ConfigResource):
    slug, label = "working-hours", gettext_lazy("Working Hours")
    aliases = ("business-hours",)
    children = ChildRows(m.Shift, parent="working_hours", key="name", fields=SHIFT_COLUMNS)
    shift_name = column("Shift Name", "name", part=CHILD)
    delete = delete_column()

    class Meta:
        model = m.WorkingHours
        fields = (
            "name",
            "description",
            "timezone",
            "holiday_list",
            "override",
            "shift_name",
            *SHIFT_COLUMNS,
            "delete",
        )

    def children_problems(self, children: list[dict]) -> list[str]:
        if not children:
            return [_("Working hours keep at least one shift: this file would remove its last one")]
        return m.shift_overlaps([(c["name"], c["days"], c["start_time"], c["end_time"]) for c in children])

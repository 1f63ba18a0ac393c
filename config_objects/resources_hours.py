"""The Resources of SPEC rows 25-27: overrides, holiday lists and working hours, each written over
several rows, one child per row, merged by the child's name (Delete=Yes removes one; at least one
remains)."""

from django.utils.translation import gettext_lazy

from config_objects import models as m
from config_objects.columns import CHILD, ChildRows, ConfigResource, column, delete_column

PERIOD_COLUMNS = ("start", "end", "working_hours", "frequency", "repeat_until")
HOLIDAY_COLUMNS = ("start_date", "end_date", "frequency", "repeat_until")
SHIFT_COLUMNS = ("days", "start_time", "end_time")


class OverrideResource(ConfigResource):
    slug, label = "override", gettext_lazy("Override")
    children = ChildRows(
        m.OverridePeriod,
        parent="override",
        key="name",
        fields=PERIOD_COLUMNS,
        last_one=gettext_lazy("An override keeps at least one override period: this file would remove its last one"),
    )
    override_name = column("Override Name", "name", part=CHILD)
    delete = delete_column()

    class Meta:
        model = m.Override
        fields = ("name", "description", "timezone", "override_name", *PERIOD_COLUMNS, "delete")


class HolidayListResource(ConfigResource):
    slug, label = "holiday-list", gettext_lazy("Holiday List")
    children = ChildRows(
        m.Holiday,
        parent="holiday_list",
        key="name",
        fields=HOLIDAY_COLUMNS,
        last_one=gettext_lazy("A holiday list keeps at least one holiday: this file would remove its last one"),
    )
    holiday_name = column("Holiday Name", "name", part=CHILD)
    delete = delete_column()

    class Meta:
        model = m.HolidayList
        fields = ("name", "description", "holiday_name", *HOLIDAY_COLUMNS, "delete")


class WorkingHoursResource(ConfigResource):
    slug, label = "working-hours", gettext_lazy("Working Hours")
    aliases = ("business-hours",)
    children = ChildRows(
        m.Shift,
        parent="working_hours",
        key="name",
        fields=SHIFT_COLUMNS,
        last_one=gettext_lazy("Working hours keep at least one shift: this file would remove its last one"),
    )
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
        shifts = [(c["name"], c["days"], c["start_time"], c["end_time"]) for c in children]
        return super().children_problems(children) or m.shift_overlaps(shifts)

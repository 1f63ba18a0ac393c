"""The schedules' Resources (SPEC rows 22-23), one object per row, declared like those of
config_objects/resources.py (which imports this module, so they are declared with the others)."""

from django.utils.translation import gettext_lazy as _

from config_objects import models as m
from config_objects.columns import ConfigResource, column
from config_objects.widgets import NameRef

WHEN = ("timezone", "start_date", "end_date", "days", "start_time", "end_time")


class CallRecordingScheduleResource(ConfigResource):
    slug, label = "call-recording-schedule", _("Call Recording Schedule")

    class Meta:
        model = m.CallRecordingSchedule
        fields = ("name", "percentage", *WHEN, "queues", "sites", "teams", "users")


class CallMonitoringScheduleResource(ConfigResource):
    slug, label = "call-monitoring-schedule", _("Call Monitoring Schedule")
    # The supervisor's rules look at its User Profile: fetched with it, not one query per row.
    supervisor = column("Supervisor", "supervisor", NameRef(m.ContactCenterUser, select_related=("user_profile",)))

    class Meta:
        model = m.CallMonitoringSchedule
        fields = ("name", "supervisor", *WHEN, "queues", "sites", "teams", "agent")

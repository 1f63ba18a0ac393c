from config_objects.columns import ConfigResource
from tests.extension.models import BusinessHours


class BusinessHoursResource(ConfigResource):
    slug, label = "business-hours", "Business Hours"

    class Meta:
        model = BusinessHours
        fields = ("name", "description", "site", "timezone", "open_all_day", "opens_at")

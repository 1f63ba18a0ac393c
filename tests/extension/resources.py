from config_objects.columns import ConfigResource
from tests.extension.models import Wallboard


class WallboardResource(ConfigResource):
    slug, label = "wallboard", "Wallboard"

    class Meta:
        model = Wallboard
        fields = ("name", "description", "site", "timezone", "show_all_queues", "refresh_seconds")

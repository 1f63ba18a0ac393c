from django.contrib import admin

from config_objects.admin import ConfigAdmin
from tests.extension.models import Wallboard


@admin.register(Wallboard)
class WallboardAdmin(ConfigAdmin):
    list_display = ["name", "site", "timezone", "show_all_queues"]

from django.contrib import admin

from config_objects.admin import ConfigAdmin
from tests.extension.models import BusinessHours


@admin.register(BusinessHours)
class BusinessHoursAdmin(ConfigAdmin):
    list_display = ["name", "site", "timezone", "open_all_day"]

"""The admin site: the configuration objects and Bulk Operations together under "Contact Center"."""

from django.contrib import admin


class ContactCenterAdminSite(admin.AdminSite):
    site_header = "Contact Center configuration"
    site_title = "Contact Center"
    index_title = "Configuration"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        contact_center = next((app for app in apps if app["app_label"] == "config_objects"), None)
        bulk = next((app for app in apps if app["app_label"] == "bulkops"), None)
        if contact_center is not None and bulk is not None:
            contact_center["models"] = bulk["models"] + contact_center["models"]
            apps.remove(bulk)
        return apps

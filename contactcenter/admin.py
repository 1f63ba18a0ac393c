"""The admin site: the configuration objects and Bulk Operations together under "Contact Center"."""

from django.contrib import admin


class ContactCenterAdminSite(admin.AdminSite):
    site_header = "Contact Center configuration"
    site_title = "Contact Center"
    index_title = "Configuration"

    def get_app_list(self, request, app_label=None):
        """Bulk Operations first, then the objects, including those other apps declare for bulk work."""
        from config_objects.registry import OBJECT_TYPES

        apps = super().get_app_list(request, app_label)
        contact_center = next((app for app in apps if app["app_label"] == "config_objects"), None)
        if contact_center is None:
            return apps
        declaring = {t.model._meta.app_label for t in OBJECT_TYPES} - {"config_objects"}
        for app in [app for app in apps if app["app_label"] in declaring]:
            contact_center["models"] += app["models"]
            apps.remove(app)
        bulk = next((app for app in apps if app["app_label"] == "bulkops"), None)
        if bulk is not None:
            contact_center["models"] = bulk["models"] + contact_center["models"]
            apps.remove(bulk)
        return apps

"""The admin site: the configuration objects and Bulk Operations together under "Contact Center"."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

CONTACT_CENTER = "config_objects"
# The admin's own logins, named so that nobody takes them for the contact center's Users (agents).
ADMIN_LOGINS = gettext_lazy("Admin logins")


class ContactCenterAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Contact Center configuration")
    site_title = gettext_lazy("Contact Center")
    index_title = gettext_lazy("Configuration")

    def merged_app_labels(self) -> set[str]:
        """The apps shown inside Contact Center: Bulk Operations, and those declaring bulk objects."""
        from config_objects.registry import OBJECT_TYPES

        return {"bulkops"} | ({t.model._meta.app_label for t in OBJECT_TYPES} - {CONTACT_CENTER})

    def get_app_list(self, request, app_label=None):
        """Bulk Operations first, then the objects, including those other apps declare for bulk work.
        The Contact Center page (app_label config_objects) lists the same as its section of the index."""
        apps = super().get_app_list(request)
        contact_center = next((app for app in apps if app["app_label"] == CONTACT_CENTER), None)
        if contact_center is not None:
            merged = self.merged_app_labels()
            declaring = [app for app in apps if app["app_label"] in merged - {"bulkops"}]
            for app in declaring:
                contact_center["models"] += app["models"]
                apps.remove(app)
            bulk = next((app for app in apps if app["app_label"] == "bulkops"), None)
            if bulk is not None:
                contact_center["models"] = bulk["models"] + contact_center["models"]
                apps.remove(bulk)
        for app in apps:
            if app["app_label"] == "auth":
                for model in app["models"]:
                    if model["object_name"] == "User":
                        model["name"] = ADMIN_LOGINS
        if app_label is not None:
            return [app for app in apps if app["app_label"] == app_label]
        return apps

    def app_index(self, request, app_label, extra_context=None):
        """The apps shown inside Contact Center have no page of their own: theirs is Contact Center's."""
        if app_label in self.merged_app_labels() and self.get_app_list(request, CONTACT_CENTER):
            return HttpResponseRedirect(reverse("admin:app_list", kwargs={"app_label": CONTACT_CENTER}))
        return super().app_index(request, app_label, extra_context)

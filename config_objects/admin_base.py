"""What every configuration object's admin shares: link forms for many-to-many lists with their own
through models, and the search on the object's key."""

from django.contrib import admin

from config_objects.admin_forms import ConfigAdminChecks, ConfigInlineChecks, link_form


class ConfigAdmin(admin.ModelAdmin):
    checks_class = ConfigAdminChecks
    list_per_page = 50
    show_full_result_count = False

    def __init__(self, model, admin_site):
        self.form = link_form(model)
        super().__init__(model, admin_site)
        if not self.search_fields:
            self.search_fields = [model.key_field]


class LinkedInline(admin.TabularInline):
    checks_class = ConfigInlineChecks
    extra = 0

    def __init__(self, parent_model, admin_site):
        self.form = link_form(self.model)
        super().__init__(parent_model, admin_site)

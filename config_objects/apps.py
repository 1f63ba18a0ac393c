from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConfigObjectsConfig(AppConfig):
    name = "config_objects"
    verbose_name = gettext_lazy("Contact Center")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from config_objects import checks  # noqa: F401  registers the system checks
        from config_objects.columns import DECLARED
        from config_objects.history import record_history

        # Every app's `resources` module declares its bulk objects; the registry is built from them,
        # and so is the change history: every declared object has its history, with no other list.
        autodiscover_modules("resources")
        record_history(*(resource.model for resource in DECLARED))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConfigObjectsConfig(AppConfig):
    name = "config_objects"
    verbose_name = gettext_lazy("Contact Center")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from config_objects import checks  # noqa: F401  registers the system checks

        # Every app's `resources` module declares its bulk objects; the registry is built from them.
        autodiscover_modules("resources")

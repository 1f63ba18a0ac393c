from django.apps import AppConfig


class ConfigObjectsConfig(AppConfig):
    name = "config_objects"
    verbose_name = "Contact Center"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from config_objects import checks  # noqa: F401  registers the system checks

        # Every app's `resources` module declares its bulk objects; the registry is built from them.
        autodiscover_modules("resources")

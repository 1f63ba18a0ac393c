from django.apps import AppConfig


class ConfigObjectsConfig(AppConfig):
    name = "config_objects"
    verbose_name = "Contact Center"

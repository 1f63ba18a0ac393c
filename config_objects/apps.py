from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _python_lower(value):
    return value.lower() if isinstance(value, str) else value


def use_unicode_lower(sender, connection, **kwargs):
    """SQLite's own lower() only folds ASCII, so 'NIŠ' and 'niš' would be two names. Python's
    str.lower, which PostgreSQL's lower() matches for these, replaces it on every connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _python_lower, deterministic=True)


class ConfigObjectsConfig(AppConfig):
    name = "config_objects"
    verbose_name = "Contact Center"

    def ready(self):
        connection_created.connect(use_unicode_lower)

from django.apps import AppConfig


class ExtensionConfig(AppConfig):
    """A test-only app that adds an 18th bulk object the way README's "Adding an object" says."""

    name = "tests.extension"
    label = "extension"
    verbose_name = "Extension (tests)"

"""The project's settings, plus a test-only app that declares one more bulk object (Wallboard):
the test suite proves that adding an object needs no change to bulkops."""

from contactcenter.settings import *  # noqa: F403
from contactcenter.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.extension"]

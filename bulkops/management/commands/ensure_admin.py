"""Create the first admin login if there is none, and say how to log in.

The password comes from ADMIN_PASSWORD, else one is generated once and kept in the data folder, so
the run command never stops to ask."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create the admin login from ADMIN_USERNAME / ADMIN_PASSWORD (or a generated password)."

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME", "").strip() or "admin"
        password = os.environ.get("ADMIN_PASSWORD", "")
        password_file = settings.DATA_DIR / "admin_password"
        users = get_user_model().objects
        if users.filter(username=username).exists():
            if password:
                shown = password
            elif password_file.exists():
                shown = _("%(password)s (generated at first run; kept in %(file)s)") % {
                    "password": password_file.read_text().strip(),
                    "file": password_file,
                }
            else:
                shown = _("the one you set")
            self.stdout.write(
                _("Log in as '%(user)s' with password %(password)s") % {"user": username, "password": shown}
            )
            return
        if not password:
            password = secrets.token_urlsafe(12)
            password_file.touch(mode=0o600)
            password_file.write_text(password)
        if len(password) < 8:
            raise CommandError(_("ADMIN_PASSWORD must be at least 8 characters long."))
        users.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            _("Created admin login '%(user)s' with password %(password)s") % {"user": username, "password": password}
        )

"""Create the first admin login if there is none, and say how to log in.

The password comes from ADMIN_PASSWORD, else one is generated once and kept in the data folder, so
the run command never stops to ask."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


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
                shown = f"{password_file.read_text().strip()} (generated at first run; kept in {password_file})"
            else:
                shown = "the one you set"
            self.stdout.write(f"Log in as '{username}' with password {shown}")
            return
        if not password:
            password = secrets.token_urlsafe(12)
            password_file.touch(mode=0o600)
            password_file.write_text(password)
        if len(password) < 8:
            raise CommandError("ADMIN_PASSWORD must be at least 8 characters long.")
        users.create_superuser(username=username, email="", password=password)
        self.stdout.write(f"Created admin login '{username}' with password {password}")

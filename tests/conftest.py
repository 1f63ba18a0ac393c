import subprocess
from pathlib import Path

import pytest

from config_objects.models.catalogues import ensure_shipped_rows

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    from django.conf import settings

    # Test logins need no protection against brute force: PBKDF2 would cost most of a quick run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    empty_tables_by_delete()


def empty_tables_by_delete():
    """A transactional test ends by emptying every table (Django's flush). On PostgreSQL flush
    TRUNCATEs the project's 150 tables, which gives each new files: half a second a test, a quarter of
    the suite. DELETE empties them as well in the same one transaction (every foreign key is deferred
    to its end) and costs nothing for the many tables a test left empty."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The browser tests need Debian's Chromium: install it only when one of them will run (after
    -m and -k have deselected what will not: this hook runs last)."""
    if any(item.get_closest_marker("browser") for item in items) and not Path("/usr/bin/chromium").exists():
        subprocess.run([str(ROOT / "bin" / "ensure-chromium")], check=True)


@pytest.fixture(autouse=True)
def _default_language():
    """A request through the test client leaves its language active in this process: each test
    starts in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test writes uploaded files to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue_defaults(transactional_db):
    """The rows the data migration made, which a transactional test's flush removes."""
    ensure_shipped_rows()


@pytest.fixture
def world(sync_jobs, tmp_path_factory):
    """Every object's sample (tests/samples), imported in dependency order: what the cases refer to."""
    from tests.world import build_world

    build_world(tmp_path_factory.getbasetemp())


@pytest.fixture
def sync_jobs(settings, catalogue_defaults):
    """Jobs run at once, in the test's process, through django-q2's synchronous path. The database is
    transactional so that submissions really commit and their on_commit hooks queue the job."""
    settings.BULK_JOBS_SYNC = True

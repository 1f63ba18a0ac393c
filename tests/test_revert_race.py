"""A revert and an admin's edit of one of its objects at the same moment (SPEC section 8): the edit is
never lost. The admin saves the change form from a thread of its own (its own database connection) at
a set point of the revert's chunk, not after a delay: before the chunk reads what changed since the
job, or between that read and the chunk's write. Either the edit commits first, and the revert leaves
the object as the admin left it and reports it in its error file, or the edit waits for the chunk to
commit (its rows are locked; SQLite lets one writer at a time) and is applied after the revert."""

import sqlite3
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from bulkops.engine.revert import ChunkReverter
from bulkops.jobs import JobProgress
from config_objects.history import history_model
from config_objects.models import Site
from tests.bulk import csv_text, run, write
from tests.test_admin_history import form_data, url

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Multimedia Profile"
PROFILE = "Default Multimedia Profile"
EDITED = "edited by root"
BEFORE_THE_READ, BETWEEN_READ_AND_WRITE = "before the read", "between the read and the write"


class AdminEdit(threading.Thread):
    """root saves a site's change form, opened before the revert, with a new Description."""

    def __init__(self, client: Client, site: Site):
        super().__init__(daemon=True)
        self.client = client
        self.change_url = url(Site, "change", site.pk)
        self.data = form_data(client.get(self.change_url)) | {"description": EDITED}
        self.backend_pid = None
        self.posting = threading.Event()
        self.status_code = None
        self.error = None

    def run(self) -> None:
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.backend_pid = cursor.fetchone()[0]
            self.posting.set()
            self.status_code = self.client.post(self.change_url, self.data).status_code
        except BaseException as error:  # reported by the test, in its own thread
            self.error = error
        finally:
            self.posting.set()
            connection.close()  # this thread's own connection

    def waits_for_lock(self) -> bool:
        """PostgreSQL: the edit's connection waits for a lock (the revert's, which this thread holds)."""
        if self.backend_pid is None:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [self.backend_pid])
            return cursor.fetchone()[0]


def sqlite_write_locked() -> bool:
    """SQLite: another connection holds the database's write lock (tried without waiting)."""
    probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def edit_now(edit: AdminEdit) -> str:
    """Start the edit, called in the revert's chunk; return once it has committed ("committed") or once
    it certainly waits for the chunk to commit ("waiting"): waiting for it here would never end."""
    # Nothing else writes now: a write lock held is the chunk's, and keeps the edit out until it ends.
    chunk_holds_write_lock = connection.vendor == "sqlite" and sqlite_write_locked()
    edit.start()
    deadline = time.monotonic() + 60
    while edit.is_alive():
        if edit.waits_for_lock() or (chunk_holds_write_lock and edit.posting.is_set()):
            return "waiting"
        assert time.monotonic() < deadline, "the admin's edit neither committed nor waited for the revert"
        edit.join(0.01)
    return "committed"


@pytest.mark.parametrize("moment", [BEFORE_THE_READ, BETWEEN_READ_AND_WRITE])
def test_an_admin_edit_saved_while_a_revert_runs_is_kept(tmp_path, monkeypatch, moment):
    run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, f"Belgrade,old,{PROFILE}", f"Nis,old,{PROFILE}"))))
    changed = csv_text(HEADER, f"Belgrade,new,{PROFILE}", f"Nis,new,{PROFILE}", f"Novi Sad,,{PROFILE}")
    imported = run("bulk_import", "site", str(write(tmp_path, changed, "changed.csv")))
    assert (imported.job.created, imported.job.updated) == (1, 2)

    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789"))
    belgrade = Site.objects.get(name="Belgrade")
    edit = AdminEdit(client, belgrade)
    seen = []

    # The edit comes at the given point of the revert's (only) chunk, inside its transaction.
    revert, read = ChunkReverter.revert, ChunkReverter.current_rows

    def revert_chunk(self, chunk, **kwargs):
        if moment == BEFORE_THE_READ:
            seen.append(edit_now(edit))
        return revert(self, chunk, **kwargs)

    def current_rows(self, chunk):
        now = read(self, chunk)
        if moment == BETWEEN_READ_AND_WRITE:
            seen.append(edit_now(edit))
        return now

    monkeypatch.setattr(ChunkReverter, "revert", revert_chunk)
    monkeypatch.setattr(ChunkReverter, "current_rows", current_rows)
    reverted = run("bulk_revert", str(imported.job.pk))
    edit.join(timeout=60)
    assert not edit.is_alive() and edit.error is None and edit.status_code == 302

    # The admin's value is the last word, whichever came first, and the rest of the job is reverted.
    assert Site.objects.get(name="Belgrade").description == EDITED
    assert Site.objects.get(name="Nis").description == "old" and not Site.objects.filter(name="Novi Sad").exists()
    job = reverted.job
    assert job.created + job.updated + job.unchanged + job.deleted + job.failed == job.objects_count == 3
    if seen == ["committed"]:
        # The edit came first: the revert leaves Belgrade as root left it, and says so.
        assert reverted.code == 3 and (job.updated, job.deleted, job.failed) == (1, 1, 1)
        (message,) = reverted.errors().values()
        assert message.startswith(f"Changed since job {imported.job.pk} by root at "), message
        assert message.endswith(f"Description is now '{EDITED}'"), message
    else:
        # The edit waited for the chunk: the revert put Belgrade back, then root's save applied over it.
        assert reverted.code == 0 and (job.updated, job.deleted, job.failed) == (2, 1, 0), reverted.errors()
        last, before = history_model(Site).objects.filter(id=belgrade.pk).select_related("history_user")[:2]
        assert (last.description, last.history_user.username, last.job_id) == (EDITED, "root", None)
        assert (before.description, before.job_id) == ("old", job.pk)
    # PostgreSQL locks the chunk's objects as it reads them; SQLite's chunk holds the write lock throughout.
    before_the_lock = connection.vendor == "postgresql" and moment == BEFORE_THE_READ
    assert seen == ["committed" if before_the_lock else "waiting"]


def test_a_write_elsewhere_between_a_revert_s_chunks_does_not_stop_it(tmp_path, monkeypatch, settings):
    """The revert reads the job's changes a page at a time, each page whole: no read of its stays open
    while a chunk writes. On SQLite an open read pins the moment it started, and a chunk could not
    begin writing after another connection had written since ("database is locked")."""
    settings.BULK_CHUNK_ROWS = 1
    sites = [f"Site {number},,{PROFILE}" for number in range(4)]
    imported = run("bulk_import", "site", str(write(tmp_path, csv_text(HEADER, *sites)))).job
    looks = []

    def write_elsewhere():
        try:
            get_user_model().objects.create_user(f"user{len(looks)}")
        finally:
            connection.close()  # this thread's own connection

    checkpoint = JobProgress.checkpoint

    def checkpoint_then_write(self, *args, **kwargs):
        looks.append(checkpoint(self, *args, **kwargs))
        if len(looks) in (2, 3):  # between the chunks: the first has committed, the next not begun
            other = threading.Thread(target=write_elsewhere)
            other.start()
            other.join()
        return looks[-1]

    monkeypatch.setattr(JobProgress, "checkpoint", checkpoint_then_write)
    reverted = run("bulk_revert", str(imported.pk))
    assert reverted.code == 0, reverted.job.failure_reason
    assert reverted.job.deleted == 4 and not Site.objects.filter(name__startswith="Site ").exists()
    assert get_user_model().objects.filter(username__in=["user2", "user3"]).count() == 2

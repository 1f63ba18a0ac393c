"""A chunk's references proven at once (bulkops/engine/inserting.py): on PostgreSQL, where the
connection may, rows are COPied without their foreign keys' row triggers and every row they name is
then found and locked. The outcome is the one the triggers give: a row naming something deleted
meanwhile fails alone, the others are written; a table with a trigger of its own keeps its triggers."""

import uuid

import pytest
from django.db import connection, transaction

from bulkops.engine import inserting
from bulkops.engine.pipeline import DATABASE_REFUSED
from bulkops.engine.planning import Planner
from bulkops.models import Job
from config_objects import models as m
from tests.bulk import csv_text, run, write
from tests.object_cases import csv_file
from tests.object_cases_agents import USER

pytestmark = [
    pytest.mark.usefixtures("sync_jobs"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers"),
]

MP = "Default Multimedia Profile"


@pytest.fixture(params=["proven", "triggers"])
def reference_checks(request, monkeypatch):
    """Each test both ways: references proven per chunk, and by the triggers (a connection that may
    not switch them off). Records the tables whose references were proven, and the session's
    replication role as each was (the triggers back on by then)."""
    proofs = []
    prove = inserting.prove_references

    def recorded(cursor, model, *args):
        cursor.execute("SHOW session_replication_role")
        proofs.append((model._meta.db_table, cursor.fetchone()[0]))
        prove(cursor, model, *args)

    monkeypatch.setattr(inserting, "prove_references", recorded)
    if request.param == "triggers":
        monkeypatch.setattr(inserting, "copy_without_reference_triggers", lambda *args: False)
    return request.param, proofs


def deleting_after_planning(monkeypatch, key: str, delete) -> None:
    """Delete something once the chunk holding the row keyed `key` is planned, before it is written."""
    plan = Planner.plan

    def plan_then_delete(self, units):
        plan(self, units)
        if any(unit.key == key for unit in units):
            delete()

    monkeypatch.setattr(Planner, "plan", plan_then_delete)


def test_a_profile_deleted_before_the_write_fails_its_row_alone(reference_checks, tmp_path, settings, monkeypatch):
    way, proofs = reference_checks
    settings.BULK_CHUNK_ROWS = 50
    night = m.MultimediaProfile.objects.create(
        name="Night", blending_mode="BLENDED", telephony=1, chat=0, email=0, social=0
    )
    rows = [f"S{n:04},,{'Night' if n == 70 else MP}" for n in range(120)]
    deleting_after_planning(monkeypatch, "s0070", lambda: m.MultimediaProfile.objects.filter(pk=night.pk).delete())
    outcome = run("bulk_import", "site", str(write(tmp_path, csv_text("Name,Description,Multimedia Profile", *rows))))
    assert outcome.counts == {"created": 119, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors() == {72: str(DATABASE_REFUSED)}
    assert not m.Site.objects.filter(name="S0070").exists()
    assert m.Site.objects.filter(multimedia_profile__name=MP).count() == 119
    if way == "proven":
        assert ("config_objects_site", "origin") in proofs
        assert {role for _, role in proofs} == {"origin"}
    else:
        assert proofs == []


def test_a_team_deleted_before_the_write_fails_its_users_row_alone(
    reference_checks, world, tmp_path, settings, monkeypatch
):
    """The link rows (a user's teams) are proven too: the team a row names is gone by the write."""
    way, proofs = reference_checks
    settings.BULK_CHUNK_ROWS = 20
    belgrade = m.Site.objects.get(name="Belgrade")
    late = m.Team.objects.create(name="Late Shift", site=belgrade, type="AGENT")
    rows = [
        {"Email": f"agent{n}@example.com", "Site": "Belgrade", "Desktop Profile": "Agents"}
        | USER
        | {"Teams": "Late Shift" if n == 25 else "Tier 1 Belgrade"}
        for n in range(50)
    ]
    deleting_after_planning(monkeypatch, "agent25@example.com", lambda: m.Team.objects.filter(pk=late.pk).delete())
    outcome = run("bulk_import", "user", str(write(tmp_path, csv_file("user", *rows))))
    assert outcome.job.status == Job.Status.COMPLETED_WITH_ERRORS
    assert outcome.counts == {"created": 49, "updated": 0, "unchanged": 0, "failed": 1}
    assert outcome.errors() == {27: str(DATABASE_REFUSED)}
    assert not m.ContactCenterUser.objects.filter(email="agent25@example.com").exists()
    assert m.ContactCenterUser.objects.filter(teams__name="Tier 1 Belgrade", email__startswith="agent").count() == 49
    if way == "proven":
        tables = {table for table, _ in proofs}
        assert {"config_objects_contactcenteruser", "config_objects_contactcenteruserteam"} <= tables


def test_a_table_with_a_trigger_of_its_own_keeps_its_triggers(tmp_path, settings, monkeypatch):
    """An operator's trigger (an audit, say) still fires for every row, and the foreign keys are checked
    by their own triggers there: nothing is proven apart."""
    proven = []
    monkeypatch.setattr(inserting, "prove_references", lambda cursor, model, *args: proven.append(model))
    suffix = uuid.uuid4().hex[:8]
    counted, function = f"sites_counted_{suffix}", f"count_site_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {counted} (name text)")
        cursor.execute(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN INSERT INTO {counted} VALUES (NEW.name); RETURN NULL; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER {function} AFTER INSERT ON config_objects_site FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    try:
        rows = [f"T{n:03},,{MP}" for n in range(30)]
        outcome = run(
            "bulk_import", "site", str(write(tmp_path, csv_text("Name,Description,Multimedia Profile", *rows)))
        )
        assert outcome.counts == {"created": 30, "updated": 0, "unchanged": 0, "failed": 0}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {counted}")
            assert cursor.fetchone()[0] == 30
        assert m.Site not in proven
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER {function} ON config_objects_site")
            cursor.execute(f"DROP FUNCTION {function}()")
            cursor.execute(f"DROP TABLE {counted}")


def test_a_role_that_may_not_switch_triggers_off_keeps_them():
    """Without the right to SET session_replication_role the rows go through the triggers."""
    fields = [m.Site._meta.get_field(name) for name in ("name", "description", "multimedia_profile_id", "match_key")]
    role = f"bulk_plain_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            assert inserting.copy_without_reference_triggers(cursor, '"config_objects_site"', fields, []) is False
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
            cursor.execute("RESET ROLE")
        with transaction.atomic(), connection.cursor() as cursor:
            # This test's own connection may: the switch is made, and ends with the transaction.
            assert inserting.copy_without_reference_triggers(cursor, '"config_objects_site"', fields, []) is True
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
        if connection.pg_version >= 150000:
            # Granted the parameter (README, "Deployment"), a role that is no superuser may too.
            with connection.cursor() as cursor:
                cursor.execute(f"GRANT SET ON PARAMETER session_replication_role TO {role}")
                cursor.execute(f"GRANT INSERT ON config_objects_site TO {role}")
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL ROLE {role}")
                assert inserting.copy_without_reference_triggers(cursor, '"config_objects_site"', fields, []) is True
                cursor.execute("RESET ROLE")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")  # its grants
            cursor.execute(f"DROP ROLE {role}")

"""PostgreSQL's statistics around an import (bulkops/engine/writing.py): an import that grew a table by
more than a tenth leaves it analyzed and its link tables vacuumed (their owners' links then read from
the index alone); an import starts by analyzing only the tables changed since their last ANALYZE."""

import pytest
from django.db import connection

from config_objects.models import ContactCenterUser
from tests import factories as f
from tests.bulk import csv_text, run, write

pytestmark = [
    pytest.mark.usefixtures("sync_jobs"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics"),
]

USERS = ContactCenterUser._meta.db_table
LINKS = ContactCenterUser.teams.through._meta.db_table


def users_file(tmp_path, count: int, teams: str = "Team A|Team B"):
    rows = [f"agent{n}@example.com,Agent,No {n},Standard Agent,On,Belgrade,Agents,{teams}" for n in range(count)]
    header = "Email,First Name,Last Name,User Profile,Contact Center Enabled,Site,Desktop Profile,Teams"
    return str(write(tmp_path, csv_text(header, *rows), "users.csv"))


def table_state(table: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # this transaction's cached statistics
        cursor.execute(
            "SELECT c.reltuples, c.relallvisible, s.analyze_count, s.vacuum_count FROM pg_class c"
            " JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = %s::regclass",
            [table],
        )
        return dict(zip(("rows", "all_visible_pages", "analyzed", "vacuumed"), cursor.fetchone(), strict=True))


@pytest.fixture
def teams(sync_jobs):
    f.make_user_profile()
    f.make_agent_profile()
    site = f.make_site()
    return [f.make_team(name, site=site) for name in ("Team A", "Team B")]


def test_an_import_that_grows_the_tables_leaves_them_analyzed_and_its_links_readable_from_the_index(tmp_path, teams):
    outcome = run("bulk_import", "user", users_file(tmp_path, 300))
    assert outcome.counts["created"] == 300
    users, links = table_state(USERS), table_state(LINKS)
    assert users["rows"] == 300, "analyzed after the import: the next job plans from true figures"
    assert links["rows"] == 600
    assert links["vacuumed"] >= 1 and links["all_visible_pages"] > 0


def test_an_import_that_changes_little_analyzes_and_vacuums_nothing(tmp_path, teams):
    assert run("bulk_import", "user", users_file(tmp_path, 300)).counts["created"] == 300
    before = table_state(USERS), table_state(LINKS)

    outcome = run("bulk_import", "user", users_file(tmp_path, 300))  # the same file: nothing to write
    assert outcome.counts["unchanged"] == 300
    changed = write(tmp_path, csv_text("Email,Teams", "agent7@example.com,Team A"), "one.csv")
    assert run("bulk_import", "user", str(changed)).counts["updated"] == 1

    assert (table_state(USERS), table_state(LINKS)) == before


def test_an_import_that_replaces_many_rows_links_vacuums_the_link_table(tmp_path, teams):
    assert run("bulk_import", "user", users_file(tmp_path, 300)).counts["created"] == 300
    vacuumed = table_state(LINKS)["vacuumed"]

    outcome = run("bulk_import", "user", users_file(tmp_path, 300, teams="Team B"))
    assert outcome.counts["updated"] == 300
    links = table_state(LINKS)
    assert links["vacuumed"] == vacuumed + 1
    assert links["rows"] == 300 and links["all_visible_pages"] > 0

"""The export's rows read as plain values (config_objects.rows) are exactly the rows rendered from
model instances (config_objects.rendering), for every object with every kind of column."""

import csv
import io

import pytest
from django.db import connection, transaction

from config_objects.registry import OBJECT_TYPES, object_type
from config_objects.rendering import export_queryset, object_rows
from config_objects.rows import ReferenceNames, ValueRows
from tests import factories as f
from tests.bulk import run, write
from tests.object_cases import CASES, csv_file

pytestmark = pytest.mark.usefixtures("sync_jobs")


@pytest.mark.parametrize("slug", CASES)
def test_value_rows_are_the_rendered_rows(slug, world, tmp_path):
    create, update, _ = CASES[slug]
    assert run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create)))).code == 0
    assert run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *update)))).code == 0
    resource = object_type(slug).resource()
    queryset = export_queryset(resource)
    rendered = [(obj.pk, object_rows(resource, obj)) for obj in queryset]
    assert rendered
    assert list(ValueRows(resource).rows(queryset)) == rendered


@pytest.mark.parametrize("slug", CASES)
def test_an_export_streamed_is_the_export_read_by_a_cursor(slug, world, tmp_path, monkeypatch):
    """On PostgreSQL outside a transaction an export's rows are streamed on a connection of their own,
    with each object's lists as arrays (ValueRows.streamed); inside one they are read by a server-side
    cursor, with a query per chunk's lists. Both give the same rows, in the same chunks."""
    create, update, _ = CASES[slug]
    assert run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create)))).code == 0
    assert run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *update)))).code == 0
    resource = object_type(slug).resource()
    streams = []
    streamed = ValueRows.streamed

    def watched(self, ordered, size):
        streams.append(size)
        yield from streamed(self, ordered, size)

    monkeypatch.setattr(ValueRows, "streamed", watched)
    postgresql = connection.vendor == "postgresql"
    if postgresql:  # statistics that say the table holds more than a chunk of one row
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(resource.model._meta.db_table)}")
    assert resource.model.objects.count() > 1
    outside = list(ValueRows(resource).in_key_order(1))
    with transaction.atomic():
        inside = list(ValueRows(resource).in_key_order(1))
    assert outside and outside == inside
    assert streams == ([1] if postgresql and resource.children is None else [])


def test_a_table_of_a_chunk_or_less_is_not_streamed(monkeypatch):
    """A connection of its own is not worth it for a few rows: by the table's statistics, a table of
    no more than a chunk is read by the cursor (a package's small objects, say)."""
    for n in range(3):
        f.make_site(f"Site {n}")
    resource = object_type("site").resource()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(resource.model._meta.db_table)}")
    streams = []
    monkeypatch.setattr(ValueRows, "streamed", lambda self, ordered, size: streams.append(size) or iter(()))
    total = resource.model.objects.count()
    assert sum(objects for objects, _columns in ValueRows(resource).in_key_order(total)) == total
    assert streams == []
    exported = sum(objects for objects, _columns in ValueRows(resource).in_key_order(total - 1))
    if connection.vendor == "postgresql":  # more than a chunk now: streamed (here by the stand-in)
        assert (streams, exported) == ([total - 1], 0)
    else:
        assert (streams, exported) == ([], total)


def test_every_csv_object_has_a_case():
    assert {t.slug for t in OBJECT_TYPES if t.file_kind == "csv"} <= set(CASES)


def test_an_export_names_every_reference_whatever_its_chunks_and_however_few_names_are_kept(
    tmp_path, settings, monkeypatch
):
    """References are read as pks and named from the names read so far (rows.ReferenceNames): with
    chunks of two rows and room for two names, each row still names its site and teams as rendered."""
    settings.BULK_CHUNK_ROWS = 2
    monkeypatch.setattr(ReferenceNames, "LIMIT", 2)
    sites = [f.make_site(f"Site {n}") for n in range(4)]
    teams = [f.make_team(f"Team {n}", site=sites[n % 4]) for n in range(5)]
    for n in range(9):
        user = f.make_user(f"u{n}@example.com", site=sites[n % 4] if n % 3 else None)
        user.teams.set(teams[n % 5 : n % 5 + 2])
    target = tmp_path / "users.csv"
    assert run("bulk_export", "user", "-o", str(target)).code == 0
    exported = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    resource = object_type("user").resource()
    assert exported[1:] == [row for obj in export_queryset(resource) for row in object_rows(resource, obj)]
    by_email = {row["Email"]: row for row in csv.DictReader(io.StringIO(target.read_text("utf-8-sig")))}
    assert (by_email["u1@example.com"]["Site"], by_email["u3@example.com"]["Site"]) == ("Site 1", "")
    assert (by_email["u4@example.com"]["Teams"], by_email["u8@example.com"]["Teams"]) == ("Team 4", "Team 3|Team 4")

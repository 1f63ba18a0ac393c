"""The export's rows read as plain values (config_objects.rows) are exactly the rows rendered from
model instances (config_objects.rendering), for every object with every kind of column."""

import pytest

from config_objects.registry import OBJECT_TYPES, object_type
from config_objects.rendering import export_queryset, object_rows
from config_objects.rows import ValueRows
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


def test_every_csv_object_has_a_case():
    assert {t.slug for t in OBJECT_TYPES if t.file_kind == "csv"} <= set(CASES)

"""Every bulk object through history: an import and its revert leave the object exactly as before
(full exports compared byte for byte), and reverting the revert applies the import again."""

import pytest

from tests.bulk import run, write
from tests.object_cases import CASES, csv_file

pytestmark = pytest.mark.usefixtures("sync_jobs")


def export(slug, tmp_path, name) -> bytes:
    target = tmp_path / name
    outcome = run("bulk_export", slug, "-o", str(target))
    assert outcome.code == 0, outcome.err
    return target.read_bytes()


@pytest.mark.parametrize("slug", CASES)
def test_an_update_and_its_revert_leave_every_object_as_before(slug, world, tmp_path):
    create, update, _ = CASES[slug]
    assert run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create)))).code == 0
    before = export(slug, tmp_path, "before.csv")
    changed = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *update))))
    assert changed.job.updated == len(update)
    changes = run("bulk_changes", str(changed.job.pk))
    assert changes.out.count(",Updated,") >= len(update)
    applied = export(slug, tmp_path, "applied.csv")
    assert applied != before

    reverted = run("bulk_revert", str(changed.job.pk))
    assert reverted.code == 0, reverted.err + str(reverted.errors())
    assert (reverted.job.updated, reverted.job.failed) == (len(update), 0)
    assert export(slug, tmp_path, "after.csv") == before

    again = run("bulk_revert", str(reverted.job.pk))
    assert again.code == 0, again.err + str(again.errors())
    assert export(slug, tmp_path, "again.csv") == applied


@pytest.mark.parametrize("slug", CASES)
def test_reverting_a_first_import_deletes_what_it_created(slug, world, tmp_path):
    create, _, _ = CASES[slug]
    before = export(slug, tmp_path, "before.csv")
    created = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create))))
    assert created.code == 0
    reverted = run("bulk_revert", str(created.job.pk))
    assert reverted.code == 0, reverted.err + str(reverted.errors())
    assert reverted.job.deleted == created.job.objects_count
    assert export(slug, tmp_path, "after.csv") == before

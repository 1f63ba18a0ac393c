"""The acceptance-sized contact center of tests/contact_center.py is a valid configuration: imported
object by object (`bulk_import`, in dependency order) into an empty database, every row is created
but the shipped default rows, which it writes as they ship; imported again, every row is unchanged;
exported, every object writes the rows of its table (in the export's order)."""

import csv
import io
import zipfile
from pathlib import Path

import pytest

from bulkops.engine.exports import header
from bulkops.models import Job
from config_objects.registry import OBJECT_TYPES, dependency_order
from tests.bulk import run
from tests.contact_center import SHIPPED, as_csv, audio_entries, contact_center


def as_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def write_files(folder: Path, tables: dict, audio: dict) -> list[tuple[str, Path, int]]:
    """(slug, file, rows) of every object, in the order a whole configuration is imported."""
    files = []
    for t in dependency_order():
        if t.file_kind == "zip":
            path, content, rows = folder / f"{t.slug}.zip", as_zip(audio), len(audio)
        else:
            path, content, rows = folder / f"{t.slug}.csv", as_csv(tables[t.slug]), len(tables[t.slug]) - 1
        path.write_bytes(content)
        files.append((t.slug, path, rows))
    return files


def import_all(files) -> dict[str, dict]:
    counts = {}
    for slug, path, _rows in files:
        outcome = run("bulk_import", slug, str(path))
        assert outcome.job.status == Job.Status.COMPLETED, f"{slug}: {outcome.err} {outcome.errors()}"
        counts[slug] = outcome.counts
    return counts


def exported(slug: str, folder: Path) -> list[list[str]]:
    path = folder / f"export-{slug}.csv"
    outcome = run("bulk_export", slug, "-o", str(path))
    assert outcome.code == 0, outcome.err
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    # A cell that a spreadsheet would run as a formula ('+381...') is exported with a leading "'".
    return [[cell[1:] if cell.startswith("'") else cell for cell in row] for row in rows]


def keys(tables: dict, audio: dict) -> dict[str, set[str]]:
    """The key of every object the tables hold (several rows may make one object), lower-cased."""
    found = {slug: {row[0].strip().lower() for row in rows[1:]} for slug, rows in tables.items()}
    return found | {"audio-file": {name.lower() for name in audio}}


def test_the_tables_cover_every_object_with_its_template_header_and_come_out_the_same_each_time():
    tables = contact_center()
    assert set(tables) == {t.slug for t in OBJECT_TYPES if t.file_kind == "csv"}
    for t in OBJECT_TYPES:
        if t.file_kind == "csv":
            assert tables[t.slug][0] == header(t.resource())
            assert len(tables[t.slug]) > 1, t.slug
            assert {len(row) for row in tables[t.slug]} == {len(tables[t.slug][0])}, t.slug
    assert tables == contact_center()
    assert audio_entries(3) == audio_entries(3)
    sizes = {slug: len(keys(tables, {})[slug]) for slug in ("site", "team", "queue", "entry-point", "dn-mapping")}
    assert sizes | {"user": len(tables["user"]) - 1} == {
        "site": 5,
        "team": 40,
        "queue": 30,
        "entry-point": 25,
        "dn-mapping": 60,
        "user": 2000,
    }


@pytest.mark.parametrize(
    "sizes",
    [
        {},  # the acceptance size: contact_center()'s defaults
        {"sites": 1, "teams": 1, "queues": 1, "entry_points": 1, "dns": 1, "users": 1, "audio_files": 0},
    ],
    ids=["acceptance", "smallest"],
)
@pytest.mark.usefixtures("sync_jobs")
def test_the_center_imports_into_an_empty_database_then_again_unchanged_and_exports_as_its_tables(sizes, tmp_path):
    tables, audio = contact_center(**sizes), audio_entries(sizes.get("audio_files", 3))
    files = write_files(tmp_path, tables, audio)
    shipped = {slug: 1 if slug in SHIPPED else 0 for slug, _path, _rows in files}

    first = import_all(files)

    assert first == {
        slug: {"created": rows - shipped[slug], "updated": 0, "unchanged": shipped[slug], "failed": 0}
        for slug, _path, rows in files
    }
    objects = keys(tables, audio)
    for t in OBJECT_TYPES:
        stored = {key.lower() for key in t.model._default_manager.values_list(t.key_field, flat=True)}
        assert stored == objects[t.slug], t.slug

    again = import_all(files)

    assert again == {slug: {"created": 0, "updated": 0, "unchanged": rows, "failed": 0} for slug, _path, rows in files}
    for slug, rows in tables.items():
        export = exported(slug, tmp_path)
        assert export[0] == rows[0]
        assert sorted(export[1:]) == sorted(rows[1:]), slug

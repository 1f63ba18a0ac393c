"""The sample world of the generated per-object tests: tests/samples/ holds one small sample per bulk
object (its file, named by its slug: rows for a CSV object, a Zip for audio files), made of rows an
administrator would keep and referring to each other. build_world() imports them all, each with the
real `bulk_import` command, in the order a whole configuration is imported (dependency_order).

A test's database is emptied after it, so each test needs the world again: the first build in a test
run keeps what the imports stored (rows and recordings), and later tests load that back, the same
rows in a fraction of the time of 27 imports."""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from config_objects.models import AudioFile
from config_objects.models.catalogues import SHIPPED_ROWS
from config_objects.registry import ObjectType, dependency_order
from tests.bulk import run

SAMPLES = Path(__file__).resolve().parent / "samples"
_stored: dict[str, tuple[Path, dict[str, bytes]]] = {}  # by database vendor


def sample_path(t: ObjectType) -> Path:
    return SAMPLES / f"{t.slug}.{t.file_kind}"


def build_world(tmp_dir: Path) -> None:
    kept = _stored.get(connection.vendor)
    if kept is not None:
        dump, recordings = kept
        for model in SHIPPED_ROWS:  # the dump holds them, as the imports left them
            model.objects.all().delete()
        call_command("loaddata", str(dump), verbosity=0)
        for name, content in recordings.items():
            default_storage.save(name, ContentFile(content))
        return
    for t in dependency_order():
        path = sample_path(t)
        outcome = run("bulk_import", t.slug, str(path))
        assert outcome.code == 0 and outcome.job.failed == 0, f"{path.name}: {outcome.err} {outcome.errors()}"
    dump = tmp_dir / "world.json"
    out = io.StringIO()
    apps = sorted({t.model._meta.app_label for t in dependency_order()})  # the test-only object's app too
    call_command("dumpdata", *apps, format="json", stdout=out)
    dump.write_text(out.getvalue())
    recordings = {audio.file.name: audio.file.open("rb").read() for audio in AudioFile.objects.all()}
    _stored[connection.vendor] = (dump, recordings)

"""The sample world of the generated per-object tests: tests/samples/ holds one small sample per bulk
object (its file, named by its slug: rows for a CSV object, a Zip for audio files), made of rows an
administrator would keep and referring to each other. build_world() imports them all, each with the
real `bulk_import` command, in the order a whole configuration is imported (dependency_order)."""

from pathlib import Path

from config_objects.registry import ObjectType, dependency_order
from tests.bulk import run

SAMPLES = Path(__file__).resolve().parent / "samples"


def sample_path(t: ObjectType) -> Path:
    return SAMPLES / f"{t.slug}.{t.file_kind}"


def build_world() -> None:
    for t in dependency_order():
        path = sample_path(t)
        outcome = run("bulk_import", t.slug, str(path))
        assert outcome.code == 0 and outcome.job.failed == 0, f"{path.name}: {outcome.err} {outcome.errors()}"

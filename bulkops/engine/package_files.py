"""A package's files (SPEC 11): the whole configuration exported as one package (a Zip of CSV files
and the audio files under audio/, or a workbook of every object but audio), and a package job's
error file in the shape it was uploaded in, to be fixed and uploaded again as it is."""

import io
import tempfile
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from bulkops.engine.audio import CHUNK, new_entry
from bulkops.engine.exports import error_rows, errors_csv, header, recorded, write_csv
from bulkops.engine.packages import AUDIO_FOLDER
from bulkops.engine.xlsxio import write_workbook
from config_objects.models.fields import english
from config_objects.registry import dependency_order
from config_objects.rows import ValueRows


def exported_objects() -> list:
    """The CSV objects of a package, in the order they are imported (audio files: audio_objects)."""
    return [t for t in dependency_order() if t.file_kind == "csv"]


def audio_objects() -> list:
    return [t for t in dependency_order() if t.file_kind == "zip"]


def entry_name(position: int, kind) -> str:
    """'03-team.csv': numbered in import order, named so the package reads it back."""
    return f"{position:02d}-{kind.slug}.csv"


def sheet_name(kind) -> str:
    return english(kind.label)


def object_chunks(progress, kind):
    """An object's export as chunks of columns, recording the job's progress as they are written."""
    return recorded(progress, ValueRows(kind.resource()).in_key_order(settings.BULK_CHUNK_ROWS))


def object_rows(progress, kind) -> Iterator[list[str]]:
    """An object's export as rows, its header first (a sheet of a workbook)."""
    yield header(kind.resource())
    for columns in object_chunks(progress, kind):
        yield from map(list, zip(*columns, strict=True))


def export_package(job, progress) -> None:
    """Every object to one package: a Zip, or a workbook when the job's file is a .xlsx."""
    workbook = job.file_name.lower().endswith(".xlsx")
    kinds = exported_objects() + ([] if workbook else audio_objects())
    progress.set_total(sum(kind.model._default_manager.count() for kind in kinds))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryFile() as spool:
        if workbook:
            write_workbook(spool, ((sheet_name(kind), object_rows(progress, kind)) for kind in kinds))
        else:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for position, kind in enumerate(exported_objects(), start=1):
                    entry = new_entry(entry_name(position, kind), zipfile.ZIP_DEFLATED)
                    with archive.open(entry, "w", force_zip64=True) as target:
                        write_csv(target, header(kind.resource()), object_chunks(progress, kind))
                for kind in audio_objects():
                    write_audio(progress, archive, kind)
        spool.seek(0)
        suffix = "xlsx" if workbook else "zip"
        progress.save_result(f"configuration-export-{stamp}.{suffix}", File(spool))


def write_audio(progress, archive: zipfile.ZipFile, kind) -> None:
    """The recordings under audio/, as the audio export writes them (with a look for a cancel)."""
    recordings = kind.model._default_manager.order_by("name")
    for audio in recorded(progress, ((1, audio) for audio in recordings.iterator(chunk_size=200))):
        entry = new_entry(AUDIO_FOLDER + audio.name)
        with audio.file.open("rb") as source, archive.open(entry, "w", force_zip64=True) as target:
            while block := source.read(CHUNK):
                target.write(block)


# -- the error file --------------------------------------------------------------------------------


def failed_parts(job) -> list:
    return list(job.parts.filter(failed__gt=0).order_by("position"))


def package_errors(job, target) -> str:
    """Write the error file of a package job to a binary stream: a workbook of one sheet per object
    with failed rows, named as uploaded, for a workbook package; else a Zip of error CSVs named as the
    uploaded entries (the audio files' failures as audio/errors.csv, which a package skips). Returns
    its suffix."""
    parts = failed_parts(job)
    if job.file_name.lower().endswith(".xlsx"):
        write_workbook(target, ((part.entry, error_rows(part)) for part in parts))
        return "xlsx"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            name = part.entry + "errors.csv" if part.entry.endswith("/") else part.entry  # audio/errors.csv
            with archive.open(new_entry(name, zipfile.ZIP_DEFLATED), "w", force_zip64=True) as entry:
                for text in errors_csv(part):
                    entry.write(text.encode("utf-8"))
    return "zip"


def package_template(workbook: bool) -> bytes:
    """Every object's blank template as one package: a workbook of header rows, or a Zip of CSV files."""
    buffer = io.BytesIO()
    if workbook:
        write_workbook(buffer, [(sheet_name(kind), [header(kind.resource())]) for kind in exported_objects()])
        return buffer.getvalue()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for position, kind in enumerate(exported_objects(), start=1):
            with archive.open(new_entry(entry_name(position, kind), zipfile.ZIP_DEFLATED), "w") as target:
                write_csv(target, header(kind.resource()), [])
    return buffer.getvalue()

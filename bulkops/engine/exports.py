"""CSV out: the blank template, the export of all records (in the import format, so it re-imports
unchanged), and a job's failed rows. Every cell goes through csvio's formula neutralising."""

import io
import tempfile
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from bulkops.changes import JobChanges
from bulkops.engine.cells import ERROR_COLUMN, CsvWriter
from bulkops.engine.csvio import normalise_column
from bulkops.models import Job
from bulkops.services import job_checkpoint, job_record, job_set_total
from config_objects.columns import ConfigResource
from config_objects.registry import ObjectType, object_type
from config_objects.rendering import column_changes
from config_objects.rows import ValueRows

BOM = "\ufeff"  # so that Excel reads the file as UTF-8
EXPORT_REPORT_SECONDS = 0.25


def header(resource: ConfigResource) -> list[str]:
    return [column.column_name for column in resource.columns()]


def template_csv(object_type: ObjectType) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    CsvWriter(buffer).row(header(object_type.resource()))
    return buffer.getvalue()


def export_all(job: Job) -> None:
    """Write every record of the job's object to its result file, a chunk of objects at a time."""
    resource = object_type(job.object_type).resource()
    reader = ValueRows(resource)
    job_set_total(job, total=resource.model._default_manager.count())
    chunk = settings.BULK_CHUNK_ROWS
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+b") as spool:
        # Each chunk is written as CSV text in memory and goes to the file in one piece.
        text = io.StringIO()
        writer = CsvWriter(text)
        text.write(BOM)
        writer.row(header(resource))
        written, reported = 0, None
        for objects, columns in reader.in_key_order(chunk):
            writer.columns(columns)
            spool.write(text.getvalue().encode("utf-8"))
            text.seek(0)
            text.truncate()
            written += objects
            # Progress and a look for a cancel after the first chunk, then a few times a second: a
            # chunk of a simple object takes a few milliseconds, and the two queries cost one.
            if reported is None or time.monotonic() - reported >= EXPORT_REPORT_SECONDS:
                job_checkpoint(job)
                job_record(job, rows=written, objects=written)
                written, reported = 0, time.monotonic()
        if written:
            job_record(job, rows=written, objects=written)
        spool.write(text.getvalue().encode("utf-8"))
        spool.seek(0)
        job.result_file.save(f"{job.object_type}-export-{stamp}.csv", File(spool), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)


def errors_csv(job: Job) -> Iterator[str]:
    """The job's failed rows as uploaded, same columns, plus Error Message (replaced if already there)."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=job.delimiter or ",")
    names = [normalise_column(cell) for cell in job.header]
    error_index = names.index(normalise_column(ERROR_COLUMN)) if normalise_column(ERROR_COLUMN) in names else None
    width = len(job.header)
    out_header = list(job.header) if error_index is not None else [*job.header, ERROR_COLUMN]
    buffer.write(BOM)
    writer.row(out_header)
    for error in job.errors.order_by("line").iterator(chunk_size=2000):
        cells = list(error.cells)
        if error_index is not None:
            cells += [""] * (width - len(cells))
            cells[error_index] = error.message
        else:
            cells = cells[:width] + [""] * (width - len(cells)) + [error.message] + cells[width:]
        writer.row(cells)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


CHANGE_HEADER = ["Name", "Action", "Column", "Before", "After"]


def change_lines(job: Job, changes) -> Iterator[list[str]]:
    """Each change as lines of CHANGE_HEADER: one per changed column (a created object: one per
    non-empty column, Before empty; a deleted one: one per column it had, After empty)."""
    resource = object_type(job.object_type).resource()
    for change in changes:
        action = change.action.capitalize()  # the CSV's words stay English in every language (SPEC 10)
        columns = column_changes(resource, change.before, change.after)
        if not columns:
            yield [change.name, action, "", "", ""]
        for column, before, after in columns:
            yield [change.name, action, column, before, after]


def changes_csv(job: Job) -> Iterator[str]:
    """The job's changes (for Validate only: the changes the file would make) as CSV."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    buffer.write(BOM)
    writer.row(CHANGE_HEADER)
    for cells in change_lines(job, JobChanges(job).iterator(chunk_size=500)):
        writer.row(cells)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()

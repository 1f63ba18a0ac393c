"""A job's failed rows as its details page and the API list them (SPEC section 5): each row's line, its
name (the row's key cell: Name, Email, Dialed Number or File Name; a revert's rows are objects by
Name), a package's object and file or sheet, and the error message as stored, in the language of the
job's submitter.

A job may have a million failed rows: the database counts them and only a page of them is read, in
a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import QuerySet

from bulkops.engine.csvio import normalise_column
from bulkops.models import Job, JobError
from config_objects.registry import object_type

# A revert's rows are the objects it undid, by name (bulkops.engine.revert.HEADER).
REVERT_KEY = "Name"


@dataclass(frozen=True)
class FailedRow:
    line: int
    name: str
    message: str
    object: str
    object_label: str
    entry: str | None


def job_failed_rows(job: Job) -> QuerySet[JobError]:
    """The job's failed rows in the order of its files: by line, and a package's part by part. Slice
    it (a paginator does) and pass the slice to failed_rows_listed."""
    rows = job.errors.select_related("part")
    if object_type(job.object_type).is_package:
        return rows.order_by("part__position", "line", "pk")
    return rows.order_by("line", "pk")


def failed_rows_listed(job: Job, errors) -> list[FailedRow]:
    """The rows of a page of job_failed_rows, each with its name found in its file's header."""
    columns: dict[tuple, int | None] = {}
    listed = []
    for error in errors:
        source = error.part or job
        header = tuple(source.header)
        if (source.object_type, header) not in columns:
            columns[source.object_type, header] = key_position(job, source.object_type, header)
        position = columns[source.object_type, header]
        cells = error.cells
        listed.append(
            FailedRow(
                line=error.line,
                name=cells[position] if position is not None and position < len(cells) else "",
                message=error.message,
                object=source.object_type,
                object_label=source.object_label,
                entry=error.part.entry if error.part else None,
            )
        )
    return listed


def key_position(job: Job, slug: str, header) -> int | None:
    """Where the header has the object's key column (a revert's: Name), compared as the import
    compares columns; None for a header without it."""
    if job.operation == Job.Operation.REVERT or object_type(slug).is_package:
        key = REVERT_KEY
    else:
        key = object_type(slug).resource().key_column().column_name
    wanted = normalise_column(key)
    return next((index for index, cell in enumerate(header) if normalise_column(str(cell)) == wanted), None)

"""Files out: the blank template and the export of all records (in the import format, so it re-imports
unchanged), each as CSV or as an Excel workbook, and a job's failed rows and changes as CSV. Every
CSV cell goes through the formula neutralising of cells.py; a workbook's cells are text cells."""

import io
import itertools
import tempfile
import time
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.files import File
from django.db import connections
from django.db.models import Func, IntegerField
from django.utils import timezone

from bulkops.changes import job_changes
from bulkops.engine.cells import ERROR_COLUMN, CsvWriter
from bulkops.engine.csvio import normalise_column
from bulkops.engine.xlsxio import write_workbook
from config_objects.columns import ConfigResource
from config_objects.models.fields import english
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


def template_xlsx(object_type: ObjectType) -> bytes:
    buffer = io.BytesIO()
    resource = object_type.resource()
    write_workbook(buffer, [(english(resource.label), [header(resource)])])
    return buffer.getvalue()


def is_workbook_name(name: str) -> bool:
    return name.lower().endswith(".xlsx")


def export_all(job, progress) -> None:
    """Write every record of the job's object to its result file, a chunk of objects at a time: a CSV,
    or a workbook of one sheet named after the object when the job's file name ends in .xlsx."""
    resource = object_type(job.object_type).resource()
    progress.set_total(resource.model._default_manager.count())
    chunks = recorded(progress, ValueRows(resource).in_key_order(settings.BULK_CHUNK_ROWS))
    workbook = is_workbook_name(job.file_name)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+b") as spool:
        if workbook:
            rows = (row for columns in chunks for row in zip(*columns, strict=True))
            write_workbook(spool, [(english(resource.label), itertools.chain([header(resource)], rows))])
        else:
            write_csv(spool, header(resource), chunks)
        spool.seek(0)
        name = f"{job.object_type}-export-{stamp}.{'xlsx' if workbook else 'csv'}"
        progress.save_result(name, File(spool))


def recorded(progress, chunks: Iterable[tuple[int, list[list[str]]]]) -> Iterator[list[list[str]]]:
    """Each chunk's rows, as columns, recording the progress of the chunks before it once it is asked
    for the next (they are written then): after the first chunk, then a few times a second, with a
    look for a cancel. A chunk of a simple object takes a few milliseconds; the two queries cost one."""
    written, reported = 0, None
    for objects, columns in chunks:
        yield columns
        written += objects
        if reported is None or time.monotonic() - reported >= EXPORT_REPORT_SECONDS:
            progress.checkpoint()
            progress.advance(written)
            written, reported = 0, time.monotonic()
    if written:
        progress.advance(written)


def write_csv(binary, names: list[str], chunks: Iterable[list[list[str]]]) -> None:
    """The CSV of an export: each chunk is written as text in memory and goes to the file in one piece."""
    text = io.StringIO()
    writer = CsvWriter(text)
    text.write(BOM)
    writer.row(names)
    for columns in chunks:
        writer.columns(columns)
        binary.write(text.getvalue().encode("utf-8"))
        text.seek(0)
        text.truncate()
    binary.write(text.getvalue().encode("utf-8"))


# A row with more cells than the header keeps them in columns of their own, up to this many more
# than the header has; the cells after those go, joined as they were, into the last of them.
EXTRA_COLUMNS = 100


class CellCount(Func):
    """How many cells a failed row has (its JSON list's length), counted by the database."""

    function = "JSON_ARRAY_LENGTH"  # SQLite
    arity = 1
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)

    def as_mysql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_LENGTH", **extra_context)


def error_file_columns(job) -> tuple[int, set[int]]:
    """(how many cells of a failed row the error file has, the positions of them it leaves out).

    The header's columns up to its last named one; then as far as some failed row has a value (a
    row longer than the header, or a value under the empty header cells spreadsheets add at the end),
    at most EXTRA_COLUMNS past the header. An uploaded Error Message column is left out: the file's
    own comes last. Only rows longer than the header's named columns are read for this, and the
    database finds them."""
    names = [normalise_column(cell) for cell in job.header]
    error_name = normalise_column(ERROR_COLUMN)
    left_out = {index for index, name in enumerate(names) if name == error_name}
    named = max((index + 1 for index, name in enumerate(names) if name), default=0)
    longer = job.errors.all()
    if connections[longer.db].vendor in ("sqlite", "postgresql", "mysql"):
        longer = longer.annotate(cell_count=CellCount("cells")).filter(cell_count__gt=named)
    reach = named
    for cells in longer.values_list("cells", flat=True).iterator(chunk_size=2000):
        for index in range(len(cells) - 1, reach - 1, -1):
            if cells[index]:
                reach = index + 1
                break
    return min(reach, len(job.header) + EXTRA_COLUMNS), left_out


def errors_csv(job) -> Iterator[str]:
    """The job's failed rows as uploaded, same columns, then Error Message, always the last column
    (an uploaded one is left out). A row with more cells than the header fills columns with an
    empty header cell before Error Message; imported again, a value under them fails its row."""
    delimiter = job.delimiter or ","
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=delimiter)
    buffer.write(BOM)
    for cells in error_rows(job):
        writer.row(cells)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def error_rows(source) -> Iterator[list[str]]:
    """The error file's rows, its header first, of a job or of a package's part (each has a header,
    a delimiter and its errors)."""
    delimiter = source.delimiter or ","
    columns, left_out = error_file_columns(source)
    header = [*source.header[:columns], *[""] * (columns - len(source.header))]
    yield [cell for index, cell in enumerate(header) if index not in left_out] + [ERROR_COLUMN]
    rows = source.errors.order_by("line").values_list("cells", "message")
    for cells, message in rows.iterator(chunk_size=2000):
        cells = _cut(cells, columns, delimiter) if len(cells) > columns else cells + [""] * (columns - len(cells))
        if left_out:
            cells = [cell for index, cell in enumerate(cells) if index not in left_out]
        cells.append(message)
        yield cells


def _cut(cells: list[str], columns: int, delimiter: str) -> list[str]:
    """A row's first `columns` cells: the cells after them are empty, or (past EXTRA_COLUMNS) join
    the last one, with the separator between them as in the file."""
    rest = cells[columns:]
    if not any(rest):
        return cells[:columns]
    last = max(index for index, cell in enumerate(cells) if cell)
    return [*cells[: columns - 1], delimiter.join(cells[columns - 1 : last + 1])]


CHANGE_HEADER = ["Name", "Action", "Column", "Before", "After"]


def change_lines(job, changes) -> Iterator[list[str]]:
    """Each change as lines of CHANGE_HEADER: one per changed column (a created object: one per
    non-empty column, Before empty; a deleted one: one per column it had, After empty). A package's
    lines start with the object (its English name, as the CSV's other words are)."""
    package = object_type(job.object_type).is_package
    resources = {}
    for change in changes:
        slug = change.object_type or job.object_type
        if slug not in resources:
            resources[slug] = object_type(slug).resource()
        resource = resources[slug]
        first = [english(resource.label)] if package else []
        action = change.action.capitalize()  # the CSV's words stay English in every language (SPEC 10)
        columns = column_changes(resource, change.before, change.after)
        if not columns:
            yield [*first, change.name, action, "", "", ""]
        for column, before, after in columns:
            yield [*first, change.name, action, column, before, after]


def changes_csv(job) -> Iterator[str]:
    """The job's changes (for Validate only: the changes the file would make) as CSV."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    buffer.write(BOM)
    writer.row(["Object", *CHANGE_HEADER] if object_type(job.object_type).is_package else CHANGE_HEADER)
    for cells in change_lines(job, job_changes(job).iterator(chunk_size=500)):
        writer.row(cells)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()

"""What the worker runs: one bulk job from start to finish (the django-q2 task is run_job)."""

import gc
import logging
import sys
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import translation
from django.utils.translation import gettext as _

from bulkops.engine import Importer, audio, exports, package_files, revert
from bulkops.engine.csvio import FileProblem
from bulkops.engine.packages import PackageImporter
from bulkops.models import Job
from bulkops.reasons import cancelled_reason, connection_lost_reason, unexpected_reason
from bulkops.services import (
    JobCancelled,
    job_beat,
    job_checkpoint,
    job_fail,
    job_finish,
    job_language,
    job_parts,
    job_record,
    job_set_total,
    job_start,
)
from bulkops.worker.liveness import Beating
from config_objects.registry import object_type

log = logging.getLogger(__name__)
# PostgreSQL's states for a connection the server ended: admin_shutdown, crash_shutdown, cannot_connect_now.
LOST_CONNECTION_STATES = {"57P01", "57P02", "57P03"}
YOUNG_OBJECTS_A_PASS = 20_000  # objects made between two passes of the garbage collector during a job


def run_job(job_id: int) -> str:
    """Run the job in its submitter's language: its row error messages and failure reason are stored
    as they will be read (SPEC section 10)."""
    language = Job.objects.filter(pk=job_id).values_list("language", flat=True).first()
    with translation.override(job_language(language)), objects_of_before_frozen():
        return _run_job(job_id)


@contextmanager
def objects_of_before_frozen():
    """Leave the objects alive before the job (modules, models, the app registry: most of a worker's)
    out of the garbage collector's passes while it runs. Each full pass would scan them again, for
    about a tenth of a large import's time; the job's own objects are collected as usual, in passes
    far apart (a chunk makes tens of thousands of objects, nearly all freed as soon as it is done,
    without the collector: at 700 a pass, its default, reading a file took a fifth longer)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_A_PASS, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _run_job(job_id: int) -> str:
    job = job_start(job_id)
    if job is None:
        return _("job %(id)s was not New; nothing to do") % {"id": job_id}
    # The heartbeat goes on while a long chunk or a slow file store keeps the job from recording.
    with Beating(lambda: job_beat(job), settings.BULK_HEARTBEAT_SECONDS, f"bulk-job-{job_id}-heartbeat"):
        try:
            kind = object_type(job.object_type)
            progress = JobProgress(job)
            if job.operation == Job.Operation.REVERT:
                (revert.revert_package if kind.is_package else revert.revert_job)(job, progress)
            elif job.operation == Job.Operation.EXPORT:
                export = {"zip": audio.export_zip, "package": package_files.export_package}
                export.get(kind.file_kind, exports.export_all)(job, progress)
            elif kind.is_package:
                import_package(job, progress)
            else:
                import_file(job, progress)
        except JobCancelled as cancelled:
            by = str(cancelled)
            job = job_fail(job, after_refresh(job, lambda job: cancelled_reason(job, by)))
        except FileProblem as problem:
            job = job_fail(job, str(problem))
        except DatabaseError as error:
            if not connection_lost(error):
                log.exception("Bulk job %s stopped", job_id)
                job = job_fail(job, after_refresh(job, unexpected_reason))
            else:
                log.error("Bulk job %s stopped: the database connection was lost (%s)", job_id, error)
                connection.close()  # the next query opens a new one
                job = job_fail(job, after_refresh(job, connection_lost_reason))
        except Exception:
            log.exception("Bulk job %s stopped", job_id)
            job = job_fail(job, after_refresh(job, unexpected_reason))
        else:
            job = job_finish(job)
    return str(job.get_status_display())


def after_refresh(job: Job, reason) -> str:
    """The reason, worded from the job's counts as the database has them (its committed chunks)."""
    job.refresh_from_db()
    return reason(job)


def connection_lost(error: DatabaseError) -> bool:
    """Did the error come from losing the database connection (the server ended it, or went away)?
    The connection may be open again by now (cleaning up after the error reconnects), so the error
    itself tells: PostgreSQL's connection-exception and shutdown states, or psycopg's "server closed
    the connection" (no state at all)."""
    cause = error.__cause__
    psycopg = sys.modules.get("psycopg")  # loaded by the PostgreSQL backend; a SQLite process never needs it
    if psycopg is not None and isinstance(cause, psycopg.Error):
        state = cause.sqlstate
        if state is None:
            return isinstance(cause, psycopg.OperationalError | psycopg.InterfaceError)
        return state.startswith("08") or state in LOST_CONNECTION_STATES
    return connection.connection is not None and not connection.is_usable()


class JobProgress:
    """What the engine is given to report on the job it works for (it imports nothing above it): the
    job's total, each chunk's outcome, a look for a cancel between chunks, its parts, its result file."""

    def __init__(self, job: Job):
        self.job = job

    def set_total(self, total: int, *, header: list[str] | None = None, delimiter: str = ",") -> None:
        job_set_total(self.job, total=total, header=header, delimiter=delimiter)

    def checkpoint(self) -> None:
        job_checkpoint(self.job)

    def checked(self, chunks):
        """The chunks, with a look between them for a cancel request."""
        for chunk in chunks:
            self.checkpoint()
            yield chunk

    def advance(self, rows: int) -> None:
        """Rows done that change nothing (an export's)."""
        job_record(self.job, rows=rows, objects=rows)

    def record(self, result, part=None) -> None:
        """A chunk's outcome (engine.units.ChunkResult), inside the chunk's transaction."""
        job_record(
            self.job,
            rows=result.rows,
            objects=result.objects,
            counts=result.counts,
            errors=result.errors,
            changes=result.changes,
            part=part,
        )

    def make_parts(self, parts: list[tuple]) -> list:
        return job_parts(self.job, parts)

    def save_result(self, name: str, content) -> None:
        self.job.result_file.save(name, content, save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name)


def import_file(job: Job, progress: JobProgress) -> None:
    """The job's file through the import pipeline: CSV rows, or the entries of an audio Zip."""
    kind = object_type(job.object_type)
    pipeline = audio.ZipImporter if kind.file_kind == "zip" else Importer
    importer = pipeline(kind.resource, validate_only=job.is_validate_only, job=job)
    importer.run(
        lambda: job.input_file.open("rb"),
        job.encoding,
        on_total=lambda total, header, delimiter: progress.set_total(total, header=header, delimiter=delimiter),
        record=progress.record,
        between_chunks=progress.checked,
    )


def import_package(job: Job, progress: JobProgress) -> None:
    """The job's package, every object in turn (SPEC 11): its parts are made once it is read."""

    def on_parts(parts):
        made = progress.make_parts([(part.object_type.slug, part.entry, *part.scanned[:3]) for part in parts])
        progress.set_total(sum(part.total_rows for part in made))
        return made

    PackageImporter(validate_only=job.is_validate_only, job=job).run(
        lambda: job.input_file.open("rb"),
        job.encoding,
        on_parts=on_parts,
        record=lambda part, result: progress.record(result, part),
        between_chunks=progress.checked,
    )

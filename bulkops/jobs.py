"""What the worker runs: one bulk job from start to finish (the django-q2 task is run_job)."""

import logging

from django.conf import settings

from bulkops.engine import Importer, audio, exports, revert
from bulkops.engine.csvio import FileProblem
from bulkops.models import Job
from bulkops.services import (
    UNEXPECTED,
    JobCancelled,
    cancelled_reason,
    job_beat,
    job_checkpoint,
    job_fail,
    job_finish,
    job_record,
    job_set_total,
    job_start,
)
from bulkops.worker.liveness import Beating
from config_objects.registry import object_type

log = logging.getLogger(__name__)


def run_job(job_id: int) -> str:
    job = job_start(job_id)
    if job is None:
        return f"job {job_id} was not New; nothing to do"
    # The heartbeat goes on while a long chunk or a slow file store keeps the job from recording.
    with Beating(lambda: job_beat(job), settings.BULK_HEARTBEAT_SECONDS, f"bulk-job-{job_id}-heartbeat"):
        try:
            if job.operation == Job.Operation.REVERT:
                revert.revert_job(job)
            elif job.operation == Job.Operation.EXPORT:
                zipped = object_type(job.object_type).file_kind == "zip"
                (audio.export_zip if zipped else exports.export_all)(job)
            else:
                import_file(job)
        except JobCancelled as cancelled:
            job.refresh_from_db()
            job = job_fail(job, cancelled_reason(job, str(cancelled)))
        except FileProblem as problem:
            job = job_fail(job, str(problem))
        except Exception:
            log.exception("Bulk job %s stopped", job_id)
            job = job_fail(job, UNEXPECTED.format(job_id=job_id))
        else:
            job = job_finish(job)
    return job.get_status_display()


def checked(job: Job, chunks):
    """The chunks, with a look between them for a cancel request."""
    for chunk in chunks:
        job_checkpoint(job)
        yield chunk


def import_file(job: Job) -> None:
    """The job's file through the import pipeline: CSV rows, or the entries of an audio Zip."""
    kind = object_type(job.object_type)
    pipeline = audio.ZipImporter if kind.file_kind == "zip" else Importer
    importer = pipeline(kind.resource, validate_only=job.is_validate_only, job=job)
    importer.run(
        lambda: job.input_file.open("rb"),
        job.encoding,
        on_total=lambda total, header, delimiter: job_set_total(job, total=total, header=header, delimiter=delimiter),
        record=lambda result: job_record(
            job,
            rows=result.rows,
            objects=result.objects,
            counts=result.counts,
            errors=result.errors,
            changes=result.changes,
        ),
        between_chunks=lambda chunks: checked(job, chunks),
    )

"""Workflows of bulk jobs: submitting, running, finishing, failing.

A job's status and timestamps change only here. Each change is a conditional UPDATE on the status
the job is expected to have, so two workers can never both start one job, and a late heartbeat
cannot revive a job that was already failed."""

import codecs
import logging
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_q.tasks import async_task

from bulkops.models import Job, JobError
from config_objects.registry import ObjectType

log = logging.getLogger(__name__)


class JobRefused(Exception):
    """A submission that was not accepted; the message says why, in the user's words."""


class AnotherJobActive(JobRefused):
    """Refused because a job is New or In progress: only one runs at a time."""


ANOTHER_JOB_ACTIVE = (
    "Another bulk job is active: job {job.pk} ({operation} {object}, submitted by {job.submitted_by_name}) "
    "is {status}. Only one job runs at a time; submit again when it has finished."
)
FILE_REQUIRED = "Choose a file to import."
WRONG_FILE_TYPE = "'{name}' is not a {kind} file. {label} imports take a .{kind} file."
FILE_TOO_LARGE = "'{name}' is {size:.1f} MB; the limit is {limit:.0f} MB per file."
UNKNOWN_ENCODING = "'{encoding}' is not a known text encoding (try utf-8, cp1252 or latin-1)."


def job_submit(
    *,
    object_type: ObjectType,
    operation: str,
    user=None,
    submitted_by_name: str = "",
    upload=None,
    encoding: str = "utf-8",
    scheduled_import=None,
) -> Job:
    """Accept a job, or raise JobRefused. The job runs on the worker once this transaction commits."""
    name = PurePath(getattr(upload, "name", "") or "").name
    if operation in (Job.Operation.IMPORT, Job.Operation.VALIDATE):
        _check_upload(object_type, upload, name, encoding)
    else:
        name = f"{object_type.slug}-export.{object_type.file_kind}"
    try:
        with transaction.atomic():
            job = Job.objects.create(
                object_type=object_type.slug,
                operation=operation,
                file_name=name,
                encoding=encoding,
                submitted_by=user,
                submitted_by_name=submitted_by_name or (user.get_username() if user else "system"),
                scheduled_import=scheduled_import,
            )
    except IntegrityError:
        active = Job.objects.filter(active_slot=1).first()
        if active is None:
            raise
        raise AnotherJobActive(
            ANOTHER_JOB_ACTIVE.format(
                job=active,
                operation=active.get_operation_display().lower(),
                object=active.object_label,
                status=active.get_status_display(),
            )
        ) from None
    try:
        if upload is not None and operation != Job.Operation.EXPORT:
            upload.seek(0)
            job.input_file.save(name, upload, save=False)
            Job.objects.filter(pk=job.pk).update(input_file=job.input_file.name)
    except Exception as error:
        job_fail(job, f"The uploaded file could not be stored: {error}")
        raise
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _check_upload(object_type: ObjectType, upload, name: str, encoding: str) -> None:
    if upload is None:
        raise JobRefused(FILE_REQUIRED)
    if not name.lower().endswith(f".{object_type.file_kind}"):
        raise JobRefused(WRONG_FILE_TYPE.format(name=name, kind=object_type.file_kind, label=object_type.label))
    size = getattr(upload, "size", None)
    if size is not None and size > settings.BULK_MAX_FILE_BYTES:
        raise JobRefused(FILE_TOO_LARGE.format(name=name, size=size / 1e6, limit=settings.BULK_MAX_FILE_BYTES / 1e6))
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise JobRefused(UNKNOWN_ENCODING.format(encoding=encoding)) from None


def _enqueue(job_id: int) -> None:
    async_task("bulkops.jobs.run_job", job_id, task_name=f"bulk-job-{job_id}", sync=settings.BULK_JOBS_SYNC)


def job_start(job_id: int) -> Job | None:
    """Claim a New job for this worker; None if it is not New any more (another worker has it)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.NEW).update(
        status=Job.Status.IN_PROGRESS, started_at=now, heartbeat_at=now
    )
    return Job.objects.get(pk=job_id) if claimed else None


def job_set_total(job: Job, *, total: int, header: list[str] | None = None, delimiter: str = ",") -> None:
    job.total_rows = total
    fields = {"total_rows": total, "heartbeat_at": timezone.now()}
    if header is not None:
        job.header, job.delimiter = header, delimiter
        fields |= {"header": header, "delimiter": delimiter}
    Job.objects.filter(pk=job.pk, status=Job.Status.IN_PROGRESS).update(**fields)


def job_record(job: Job, *, rows: int, objects: int = 0, counts: dict | None = None, errors=()) -> None:
    """Add one chunk's outcome to the job and beat its heart; call inside the chunk's transaction."""
    counts = counts or {}
    Job.objects.filter(pk=job.pk).update(
        done_rows=F("done_rows") + rows,
        objects_count=F("objects_count") + objects,
        created=F("created") + counts.get("created", 0),
        updated=F("updated") + counts.get("updated", 0),
        unchanged=F("unchanged") + counts.get("unchanged", 0),
        failed=F("failed") + counts.get("failed", 0),
        heartbeat_at=timezone.now(),
    )
    JobError.objects.bulk_create(
        [JobError(job=job, line=line, cells=cells, message=message) for line, cells, message in errors],
        batch_size=settings.BULK_BATCH_SIZE,
    )


def job_finish(job: Job) -> Job:
    job.refresh_from_db()
    status = Job.Status.COMPLETED_WITH_ERRORS if job.failed else Job.Status.COMPLETED
    Job.objects.filter(pk=job.pk, status=Job.Status.IN_PROGRESS).update(
        status=status, active_slot=None, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def job_fail(job: Job, reason: str) -> Job:
    Job.objects.filter(pk=job.pk, status__in=Job.ACTIVE_STATUSES).update(
        status=Job.Status.FAILED, active_slot=None, finished_at=timezone.now(), failure_reason=reason
    )
    job.refresh_from_db()
    return job


def fail_stale_jobs() -> list[int]:
    """Fail jobs whose worker has stopped: In progress with no heartbeat for BULK_STALE_SECONDS."""
    cutoff = timezone.now() - timedelta(seconds=settings.BULK_STALE_SECONDS)
    failed = []
    for job in Job.objects.filter(status=Job.Status.IN_PROGRESS, heartbeat_at__lt=cutoff):
        job_fail(job, stale_reason(job))
        failed.append(job.pk)
        log.warning("Bulk job %s failed: its worker stopped", job.pk)
    return failed


def stale_reason(job: Job) -> str:
    seen = timezone.localtime(job.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S")
    total = "?" if job.total_rows is None else f"{job.total_rows:,}"
    return (
        f"The worker running this job stopped (last sign of life {seen}). {job.done_rows:,} of {total} rows were "
        f"processed: {job.created:,} created, {job.updated:,} updated, {job.unchanged:,} unchanged, "
        f"{job.failed:,} failed. Those changes are kept; importing the same file again is safe and applies "
        "the rest."
    )

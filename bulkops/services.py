"""Workflows of bulk jobs: submitting, running, cancelling, finishing, failing.

A job's status and timestamps change only here. Each change is a conditional UPDATE on the status
the job is expected to have, so two workers can never both start one job, and a late heartbeat
cannot revive a job that was already failed."""

import logging

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_q.tasks import async_task

from bulkops.changes import kept_in_history
from bulkops.engine.cells import storable
from bulkops.engine.inserting import insert_rows
from bulkops.models import Job, JobChange, JobError, JobPart
from bulkops.reasons import abandoned_reason
from bulkops.uploads import JobRefused, check_upload, clean_file_name
from bulkops.worker import queue as task_queue
from bulkops.worker.liveness import process_token
from bulkops.worker.queue import JOB_ENDED_CHANNEL, drop_task, notify, task_name
from bulkops.worker.workers import key_check, worker_alive
from config_objects.registry import ObjectType, object_type

log = logging.getLogger(__name__)


class AnotherJobActive(JobRefused):
    """Refused because a job is New or In progress: only one runs at a time."""


class JobCancelled(Exception):
    """Raised at a chunk boundary of a job someone cancelled."""


COUNTED = ("created", "updated", "unchanged", "deleted", "failed")
ANOTHER_JOB_ACTIVE = gettext_lazy(
    "Another bulk job is active: job {id} ({object}, {operation}), submitted by {submitter}, is {state}. "
    "Only one job runs at a time; submit again when it has finished."
)
WAITING_TO_START = gettext_lazy("waiting to start")
WAITING_WITHOUT_WORKER = gettext_lazy(
    "waiting to start, but no worker is running (start one: python manage.py qcluster; without one the job "
    "fails by itself within {seconds} seconds)"
)
RUNNING = gettext_lazy("in progress")
# What an export and a blank template can be written as (SPEC 2): a Zip object's are always Zips.
FILE_FORMATS = ("csv", "xlsx")
NOT_A_FILE_FORMAT = gettext_lazy("'{format}' is not a file format; choose one of {formats}.")
NO_WORKBOOK = gettext_lazy("{object} files are a Zip; there is no Excel workbook of them.")
ACTIVE_A_MOMENT_AGO = gettext_lazy(
    "Another bulk job was active a moment ago. Only one job runs at a time; submit again."
)


def job_submit(
    *,
    object_type: ObjectType,
    operation: str,
    user=None,
    submitted_by_name: str = "",
    upload=None,
    encoding: str = "utf-8",
    scheduled_import=None,
    file_format: str = "csv",
    queue: bool = True,
) -> Job:
    """Accept a job, or raise JobRefused. The job row, its stored file and its queued task are all or
    nothing: the file is stored first, then the row and the task commit in one transaction (the
    task queue is a table of the same database). queue=False leaves the running to the caller.
    An export's file_format, csv or xlsx, is its file name's ending, which its run follows."""
    name = clean_file_name(getattr(upload, "name", "") or "")
    if operation in (Job.Operation.IMPORT, Job.Operation.VALIDATE):
        check_upload(object_type, upload, name, encoding)
    else:
        name, upload = export_file_name(object_type, file_format), None
    refuse_if_active()  # early, before storing a large file; the database has the last word below
    job = Job(
        object_type=object_type.slug,
        operation=operation,
        file_name=name,
        encoding=encoding,
        submitted_by=user,
        submitted_by_name=submitted_by_name or (user.get_username() if user else "system"),
        scheduled_import=scheduled_import,
        language=submitter_language(),
    )
    if upload is not None:
        upload.seek(0)
        job.input_file.save(name, upload, save=False)
    try:
        insert_and_queue(job, queue)
    except BaseException:
        if job.input_file:
            job.input_file.storage.delete(job.input_file.name)
        raise
    return job


def export_file_name(object_type: ObjectType, file_format: str) -> str:
    """An export job's file, its format its name's suffix (a package's: a Zip of CSV files, or a
    workbook); or JobRefused saying why there is none."""
    if file_format not in FILE_FORMATS:
        raise JobRefused(NOT_A_FILE_FORMAT.format(format=file_format[:20], formats=", ".join(FILE_FORMATS)))
    if object_type.is_package:
        return f"configuration-export.{'xlsx' if file_format == 'xlsx' else 'zip'}"
    if object_type.file_kind != "csv":
        if file_format == "xlsx":
            raise JobRefused(NO_WORKBOOK.format(object=object_type.label))
        return f"{object_type.slug}-export.{object_type.file_kind}"
    return f"{object_type.slug}-export.{file_format}"


def job_parts(job: Job, parts: list[tuple[str, str, list[str], str, int]]) -> list[JobPart]:
    """The package job's parts, in the order they are imported: (object slug, entry, header,
    delimiter, rows) each."""
    made = JobPart.objects.bulk_create(
        JobPart(
            job=job,
            position=position,
            object_type=slug,
            entry=storable(entry),
            header=[storable(cell) for cell in header],
            delimiter=delimiter,
            total_rows=total,
        )
        for position, (slug, entry, header, delimiter, total) in enumerate(parts, start=1)
    )
    return list(job.parts.order_by("position")) if any(part.pk is None for part in made) else made


def job_import_validated(validated: Job, *, user=None, submitted_by_name: str = "") -> Job:
    """Import the very file a Validate only job checked, as a new Import job: no second upload."""
    if validated.operation != Job.Operation.VALIDATE:
        raise JobRefused(
            _("Job %(id)s is not a Validate only job; only a validated file can be imported so.") % {"id": validated.pk}
        )
    if validated.is_active:
        raise JobRefused(
            _("Job %(id)s is still %(status)s; wait for its result.")
            % {"id": validated.pk, "status": validated.get_status_display()}
        )
    if not validated.input_file or not validated.input_file.storage.exists(validated.input_file.name):
        raise JobRefused(
            _("The file of job %(id)s is no longer in file storage; upload it again.") % {"id": validated.pk}
        )
    with validated.input_file.open("rb") as stored:
        return job_submit(
            object_type=object_type(validated.object_type),
            operation=Job.Operation.IMPORT,
            user=user,
            submitted_by_name=submitted_by_name,
            upload=File(stored, name=validated.file_name),
            encoding=validated.encoding,
        )


def insert_and_queue(job: Job, queue: bool) -> None:
    job.key_check = key_check()  # its task is signed with this host's key: a worker must share it
    for _attempt in range(3):
        try:
            with transaction.atomic():
                job.save(force_insert=True)
                if queue and not settings.BULK_JOBS_SYNC:
                    async_task("bulkops.jobs.run_job", job.pk, task_name=task_name(job.pk))
            break
        except IntegrityError:
            job.pk = None
            if sweep_jobs():
                continue  # the job in the way was abandoned and is failed now
            refuse_if_active()
            # The active job finished between our insert and the lookup: try again.
    else:
        raise AnotherJobActive(str(ACTIVE_A_MOMENT_AGO))
    if queue and settings.BULK_JOBS_SYNC:
        job_id = job.pk
        transaction.on_commit(lambda: async_task("bulkops.jobs.run_job", job_id, sync=True))


def refuse_if_active() -> None:
    active = Job.objects.filter(active_slot=1).first()
    if active is not None and not sweep_jobs():
        raise AnotherJobActive(
            ANOTHER_JOB_ACTIVE.format(
                id=active.pk,
                submitter=active.submitted_by_name,
                operation=active.get_operation_display().lower(),
                object=active.object_label,
                state=waiting_state(active) if active.status == Job.Status.NEW else RUNNING,
            )
        )


def waiting_state(job: Job) -> str:
    if worker_alive():
        return str(WAITING_TO_START)
    waited = (timezone.now() - job.submitted_at).total_seconds()
    return WAITING_WITHOUT_WORKER.format(seconds=max(int(settings.BULK_STALE_SECONDS - waited) + 1, 1))


# -- running -----------------------------------------------------------------------------------------


def job_start(job_id: int) -> Job | None:
    """Claim a New job for this process; None if it is not New any more (another worker has it)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.NEW).update(
        status=Job.Status.IN_PROGRESS, started_at=now, heartbeat_at=now, worker=process_token()
    )
    return Job.objects.get(pk=job_id) if claimed else None


def job_beat(job: Job) -> None:
    Job.objects.filter(pk=job.pk, status=Job.Status.IN_PROGRESS).update(heartbeat_at=timezone.now())


def job_checkpoint(job: Job) -> None:
    """Between chunks: stop here if someone cancelled the job."""
    by = Job.objects.filter(pk=job.pk).values_list("cancel_requested_by", flat=True).first()
    if by:
        raise JobCancelled(by)


def job_set_total(job: Job, *, total: int, header: list[str] | None = None, delimiter: str = ",") -> None:
    job.total_rows = total
    fields = {"total_rows": total, "heartbeat_at": timezone.now()}
    if header is not None:
        job.header, job.delimiter = [storable(cell) for cell in header], delimiter
        fields |= {"header": job.header, "delimiter": delimiter}
    Job.objects.filter(pk=job.pk, status=Job.Status.IN_PROGRESS).update(**fields)


def job_record(
    job: Job, *, rows: int, objects: int = 0, counts: dict | None = None, errors=(), changes=(), part=None
) -> None:
    """Add one chunk's outcome to the job (and to its package part) and beat its heart; call inside
    the chunk's transaction."""
    counts = counts or {}
    added = {
        "done_rows": F("done_rows") + rows,
        "objects_count": F("objects_count") + objects,
        **{outcome: F(outcome) + counts.get(outcome, 0) for outcome in COUNTED},
    }
    Job.objects.filter(pk=job.pk).update(**added, heartbeat_at=timezone.now())
    if part is not None:
        JobPart.objects.filter(pk=part.pk).update(**added)
    JobError.objects.bulk_create(
        [
            JobError(job=job, part=part, line=line, cells=[storable(cell) for cell in cells], message=storable(message))
            for line, cells, message in errors
        ],
        batch_size=settings.BULK_BATCH_SIZE,
    )
    if kept_in_history(job, part):
        return  # written with the chunk, as its historical records
    insert_rows(
        JobChange,
        ["job_id", "part_id", "object_pk", "name", "action", "before", "after"],
        [
            (
                job.pk,
                part.pk if part is not None else None,
                None if job.is_validate_only else change.object_pk,
                storable(change.name),
                change.action,
                change.before,
                change.after,
            )
            for change in changes
        ],
    )


def job_finish(job: Job) -> Job:
    job.refresh_from_db()
    status = Job.Status.COMPLETED_WITH_ERRORS if job.failed else Job.Status.COMPLETED
    if Job.objects.filter(pk=job.pk, status=Job.Status.IN_PROGRESS).update(
        status=status, active_slot=None, finished_at=timezone.now()
    ):
        notify(JOB_ENDED_CHANNEL)
    job.refresh_from_db()
    return job


def job_fail(job: Job, reason: str, **expected) -> Job:
    """Fail an active job with `reason`; `expected` narrows which state it may be failed from."""
    if Job.objects.filter(pk=job.pk, status__in=Job.ACTIVE_STATUSES, **expected).update(
        status=Job.Status.FAILED, active_slot=None, finished_at=timezone.now(), failure_reason=storable(reason)
    ):
        notify(JOB_ENDED_CHANNEL)
    job.refresh_from_db()
    return job


# -- cancelling and recovering -------------------------------------------------------------------------


def job_cancel(job: Job, *, by: str) -> Job:
    """A New job fails at once; an In progress one stops at its next chunk, keeping what it applied."""
    with translation.override(job_language(job.language)):
        reason = _("Cancelled by %(name)s before it started; nothing was changed.") % {"name": by}
    if Job.objects.filter(pk=job.pk, status=Job.Status.NEW).update(
        status=Job.Status.FAILED,
        active_slot=None,
        finished_at=timezone.now(),
        cancel_requested_by=by,
        failure_reason=reason,
    ):
        drop_task(job.pk)
        notify(JOB_ENDED_CHANNEL)
    elif Job.objects.filter(pk=job.pk, status=Job.Status.IN_PROGRESS).update(cancel_requested_by=by):
        sweep_jobs()  # its worker may be gone, and then nobody would see the request
    else:
        job.refresh_from_db()
        raise JobRefused(
            _("Job %(id)s has already ended (%(status)s); there is nothing to cancel.")
            % {"id": job.pk, "status": job.get_status_display()}
        )
    job.refresh_from_db()
    return job


def sweep_jobs() -> list[int]:
    """Fail the active job if nobody will ever finish it, and return its id in a list.

    In progress: its process has ended (known at once on its own host) or, on another host, has not
    beaten its heartbeat for BULK_STALE_SECONDS. New: it has no queued task (its submission was cut
    short), or no worker has started it within BULK_QUEUE_TIMEOUT_SECONDS."""
    failed = []
    for job in Job.objects.filter(active_slot=1):
        if job.status == Job.Status.NEW and hand_back(job):
            continue
        # The row may change as it is failed (a dead process's last chunk still committing in the
        # database): then look at it again as it is now, a few times at most.
        for _look in range(3):
            with translation.override(job_language(job.language)):
                reason = abandoned_reason(job)
            if not reason:
                break
            expected = {"status": job.status, "heartbeat_at": job.heartbeat_at, "worker": job.worker}
            # Failed and out of the queue at once: a dead worker's task would stay locked there for hours,
            # and nobody sees the job failed while its task is still queued (the queue is in the database
            # unless it is Redis).
            with transaction.atomic():
                job = job_fail(job, reason, **expected)
                if job.status == Job.Status.FAILED:
                    drop_task(job.pk)
            if job.status == Job.Status.FAILED:
                failed.append(job.pk)
                log.warning("Bulk job %s failed: %s", job.pk, reason)
            if not job.is_active:
                break
    return failed


def hand_back(job: Job) -> bool:
    """A worker took this New job's task from the queue and never started it (its host died between
    the two): after BULK_STALE_SECONDS, give the task back to the queue for a live worker. Starting a
    job is a conditional update, so the job still runs once even if the first worker was only slow."""
    taken = task_queue.task_taken_at(job.pk)
    if taken is None or (timezone.now() - taken).total_seconds() <= settings.BULK_STALE_SECONDS:
        return False
    if not worker_alive() or not task_queue.requeue_task(job.pk):
        return False
    log.warning("Bulk job %s: the worker that took it from the queue never started it; queued again", job.pk)
    return True


def submitter_language() -> str:
    """The language of whoever is submitting now: the request's (dashboard, API), else the site's
    default (commands, schedules). The job's messages are written in it."""
    return job_language(translation.get_language())


def job_language(language: str | None) -> str:
    """A language the product speaks: the job's own, else the site's default."""
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def fail_stale_jobs() -> list[int]:
    return sweep_jobs()

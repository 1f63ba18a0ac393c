"""The words that explain how far a job got and why it stopped: a cancel, a worker that died, a lost
database connection, a submission that never reached a worker. Written in the language that is
active (the job's). What a stopped job leaves behind depends on its operation (SPEC 5): an import
keeps what it applied, a Validate only job applied nothing, a revert is finished by reverting the
same job again, an export is simply run again."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.models import Job
from bulkops.worker import queue
from bulkops.worker.liveness import process_alive
from bulkops.worker.workers import key_check, live_workers

QUEUE_GRACE_SECONDS = 10  # a committed New job has its task at once; this covers the in-process paths
START_WORKER = "python manage.py qcluster"


def cancelled_reason(job: Job, by: str) -> str:
    return _("Cancelled by %(name)s.") % {"name": by} + " " + outcome(job)


def stale_reason(job: Job) -> str:
    seen = timezone.localtime(job.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S") if job.heartbeat_at else _("never")
    return _("The worker running this job stopped (last sign of life %(seen)s).") % {"seen": seen} + " " + outcome(job)


def connection_lost_reason(job: Job) -> str:
    return _("The database connection was lost while the job ran.") + " " + outcome(job)


def unexpected_reason(job: Job) -> str:
    return (
        _("The job stopped on an unexpected error; the details are in the worker's log (job %(id)s).") % {"id": job.pk}
        + " "
        + outcome(job)
    )


def outcome(job: Job) -> str:
    """How far a stopped job got, what of it is kept, and how to finish it, by its operation."""
    if job.operation == Job.Operation.EXPORT:
        return _("No file was written and nothing was changed; run the export again.")
    if job.operation == Job.Operation.VALIDATE:
        return (
            checked_summary(job)
            + " "
            + _(
                "Nothing was changed: a Validate only job applies nothing. Validate the file again for the whole "
                "preview."
            )
        )
    if job.operation == Job.Operation.REVERT:
        return (
            reverted_summary(job)
            + " "
            + _("Those changes are kept; revert job %(id)s again to finish the rest.") % {"id": job.reverts_id}
        )
    return (
        progress_summary(job)
        + " "
        + _("Those changes are kept; importing the same file again is safe and applies the rest.")
    )


def abandoned_reason(job: Job) -> str:
    """Why nobody will finish this active job, or ''."""
    now = timezone.now()
    if job.status == Job.Status.IN_PROGRESS:
        alive = process_alive(job.worker) if job.worker else None
        silent = job.heartbeat_at is None or job.heartbeat_at < now - timedelta(seconds=settings.BULK_STALE_SECONDS)
        if alive is False or (alive is None and silent):
            return stale_reason(job)
        return ""
    return waiting_reason(job, now)


def waiting_reason(job: Job, now) -> str:
    """Why nobody will start this New job, or '' while one still may."""
    waited = (now - job.submitted_at).total_seconds()
    if waited > settings.BULK_QUEUE_TIMEOUT_SECONDS:
        minutes = settings.BULK_QUEUE_TIMEOUT_SECONDS // 60
        return ngettext(
            "No worker started this job within %(minutes)d minute, so nothing was changed. Start the worker "
            "(%(command)s) and submit the file again.",
            "No worker started this job within %(minutes)d minutes, so nothing was changed. Start the worker "
            "(%(command)s) and submit the file again.",
            minutes,
        ) % {"minutes": minutes, "command": START_WORKER}
    workers = live_workers()
    taken = queue.task_taken_at(job.pk)
    if taken is not None:
        if (now - taken).total_seconds() <= settings.BULK_STALE_SECONDS or workers:
            return ""  # being started, or to be handed to a live worker (services.sweep_jobs)
        return _(
            "The worker that took this job from the queue stopped before starting it, and no other worker is "
            "running, so nothing was changed. Start the worker (%(command)s) and submit the file again."
        ) % {"command": START_WORKER}
    if waited > QUEUE_GRACE_SECONDS and not queue.has_task(job.pk):
        return lost_task_reason(job, workers)
    if not workers and waited > settings.BULK_STALE_SECONDS:
        return no_worker_reason()
    return ""


def lost_task_reason(job: Job, workers) -> str:
    """Why a New job's task is gone from the queue with nobody having started the job."""
    submitted_with = job.key_check or key_check()
    strangers = [worker.token for worker in workers if worker.key_check and worker.key_check != submitted_with]
    if strangers:
        return _(
            "A running worker (%(worker)s) has a different SECRET_KEY from the host that submitted this job, so "
            "it could not read the job and nothing was changed. Give every host the same SECRET_KEY and submit "
            "the file again."
        ) % {"worker": strangers[0]}
    if queue.on_redis():  # a task taken from a Redis list is gone from it
        return _(
            "This job left the queue but no worker started it (the worker that took it stopped, or the "
            "submission was cut short), so nothing was changed. Submit the file again."
        )
    return _("The submission of this job was cut short before it was queued, so nothing was changed. Submit again.")


def no_worker_reason() -> str:
    return _(
        "No worker is running to start this job, so nothing was changed. Start the worker (%(command)s) and "
        "submit the file again."
    ) % {"command": START_WORKER}


def no_worker_note(job: Job) -> str:
    """What a New job says while no worker is running: it fails at a known moment unless one starts."""
    deadline = job.submitted_at + timedelta(seconds=settings.BULK_STALE_SECONDS)
    return _(
        "No worker is running. Start one (%(command)s), or this job fails at %(time)s without changing anything."
    ) % {"command": START_WORKER, "time": timezone.localtime(deadline).strftime("%H:%M:%S")}


def progress_summary(job: Job) -> str:
    total = "?" if job.total_rows is None else number(job.total_rows)
    return ngettext(
        "%(done)s of %(total)s row was processed: %(created)s created, %(updated)s updated, "
        "%(unchanged)s unchanged, %(failed)s failed.",
        "%(done)s of %(total)s rows were processed: %(created)s created, %(updated)s updated, "
        "%(unchanged)s unchanged, %(failed)s failed.",
        job.total_rows if job.total_rows is not None else job.done_rows,
    ) % counts(job, total)


def checked_summary(job: Job) -> str:
    total = "?" if job.total_rows is None else number(job.total_rows)
    return ngettext(
        "%(done)s of %(total)s row was checked: %(created)s would be created, %(updated)s updated, "
        "%(unchanged)s unchanged, %(failed)s failed.",
        "%(done)s of %(total)s rows were checked: %(created)s would be created, %(updated)s updated, "
        "%(unchanged)s unchanged, %(failed)s failed.",
        job.total_rows if job.total_rows is not None else job.done_rows,
    ) % counts(job, total)


def reverted_summary(job: Job) -> str:
    total = "?" if job.total_rows is None else number(job.total_rows)
    return ngettext(
        "%(done)s of %(total)s object was processed: %(updated)s restored, %(deleted)s deleted, "
        "%(unchanged)s unchanged, %(failed)s failed.",
        "%(done)s of %(total)s objects were processed: %(updated)s restored, %(deleted)s deleted, "
        "%(unchanged)s unchanged, %(failed)s failed.",
        job.total_rows if job.total_rows is not None else job.done_rows,
    ) % counts(job, total)


def counts(job: Job, total: str) -> dict:
    return {
        "done": number(job.done_rows),
        "total": total,
        "created": number(job.created),
        "updated": number(job.updated),
        "unchanged": number(job.unchanged),
        "deleted": number(job.deleted),
        "failed": number(job.failed),
    }


def number(value: int) -> str:
    """A count as the active language writes it (20,000 in English, 20.000 in Serbian)."""
    return number_format(value, force_grouping=True)

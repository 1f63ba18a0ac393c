"""The words that explain how far a job got and why it stopped: a cancel, a worker that died, a
submission that never reached the queue. Written in the language that is active (the job's)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.models import Job
from bulkops.worker.liveness import process_alive
from bulkops.worker.queue import has_task

QUEUE_GRACE_SECONDS = 10  # a committed New job has its task at once; this covers the in-process paths


def cancelled_reason(job: Job, by: str) -> str:
    return _("cancelled by %(name)s. %(progress)s Those changes are kept.") % {
        "name": by,
        "progress": progress_summary(job),
    }


def abandoned_reason(job: Job) -> str:
    """Why nobody will finish this active job, or ''."""
    now = timezone.now()
    if job.status == Job.Status.IN_PROGRESS:
        alive = process_alive(job.worker) if job.worker else None
        silent = job.heartbeat_at is None or job.heartbeat_at < now - timedelta(seconds=settings.BULK_STALE_SECONDS)
        if alive is False or (alive is None and silent):
            return stale_reason(job)
        return ""
    waited = (now - job.submitted_at).total_seconds()
    if waited > settings.BULK_QUEUE_TIMEOUT_SECONDS:
        minutes = settings.BULK_QUEUE_TIMEOUT_SECONDS // 60
        return ngettext(
            "No worker started this job within %(minutes)d minute, so nothing was changed. Start the worker "
            "(python manage.py qcluster) and submit the file again.",
            "No worker started this job within %(minutes)d minutes, so nothing was changed. Start the worker "
            "(python manage.py qcluster) and submit the file again.",
            minutes,
        ) % {"minutes": minutes}
    if waited > QUEUE_GRACE_SECONDS and not has_task(job.pk):
        return _("The submission of this job was cut short before it was queued, so nothing was changed. Submit again.")
    return ""


def progress_summary(job: Job) -> str:
    total = "?" if job.total_rows is None else number(job.total_rows)
    return ngettext(
        "%(done)s of %(total)s row was processed: %(created)s created, %(updated)s updated, "
        "%(unchanged)s unchanged, %(failed)s failed.",
        "%(done)s of %(total)s rows were processed: %(created)s created, %(updated)s updated, "
        "%(unchanged)s unchanged, %(failed)s failed.",
        job.total_rows if job.total_rows is not None else job.done_rows,
    ) % {
        "done": number(job.done_rows),
        "total": total,
        "created": number(job.created),
        "updated": number(job.updated),
        "unchanged": number(job.unchanged),
        "failed": number(job.failed),
    }


def number(value: int) -> str:
    """A count as the active language writes it (20,000 in English, 20.000 in Serbian)."""
    return number_format(value, force_grouping=True)


def stale_reason(job: Job) -> str:
    seen = timezone.localtime(job.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S") if job.heartbeat_at else _("never")
    return _(
        "The worker running this job stopped (last sign of life %(seen)s). %(progress)s Those changes "
        "are kept; importing the same file again is safe and applies the rest."
    ) % {"seen": seen, "progress": progress_summary(job)}

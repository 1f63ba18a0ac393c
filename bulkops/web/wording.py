"""How the dashboard words a job: its title, its progress, its status and the note that says why no
new job can start yet. The list, the details page and their live updates all use these."""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.models import Job
from bulkops.reasons import no_worker_note
from bulkops.worker.workers import worker_alive
from config_objects.registry import UnknownObjectType, object_type


def count(value) -> str:
    """A whole number with thousands separators, in the page's language (20,000; 20.000 in Serbian)."""
    return number_format(value, force_grouping=True)


def moment(value) -> str | None:
    """A date-time in the site's time zone, the same on every page and in every language."""
    return date_format(timezone.localtime(value), "Y-m-d H:i:s") if value else None


def job_title(job: Job) -> str:
    """ "Job 11: Site, validate only": what a job is, in one line (pages, the status dialog)."""
    return _("Job %(id)s: %(object)s, %(operation)s") % {
        "id": job.pk,
        "object": job.object_label,
        "operation": job.get_operation_display().lower(),
    }


def job_phrase(job: Job) -> str:
    """A job named inside a sentence: "Job 11 (Site, validate only)"."""
    return _("Job %(id)s (%(object)s, %(operation)s)") % {
        "id": job.pk,
        "object": job.object_label,
        "operation": job.get_operation_display().lower(),
    }


def progress_text(job: Job) -> str:
    """Where the job is: waiting, reading, "1,200 of 20,000 rows", or where a failed job stopped."""
    total = job.total_rows
    if job.status == Job.Status.NEW:
        return _("Waiting for the worker to start the job…") if worker_alive() else no_worker_note(job)
    if job.status == Job.Status.FAILED:
        if total is None:
            return _("Stopped before it had read the file.")
        return ngettext("Stopped at %(done)s of %(total)s row.", "Stopped at %(done)s of %(total)s rows.", total) % {
            "done": count(job.done_rows),
            "total": count(total),
        }
    if total is None:
        return _("Reading the file…") if job.is_active else ""
    return ngettext("%(done)s of %(total)s row", "%(done)s of %(total)s rows", total) % {
        "done": count(job.done_rows),
        "total": count(total),
    }


def status_text(job: Job) -> str:
    """The status as the list shows it: "In progress (1,200/20,000)" while a job runs."""
    label = job.get_status_display()
    if job.status == Job.Status.IN_PROGRESS and job.total_rows:
        return f"{label} ({count(job.done_rows)}/{count(job.total_rows)})"
    return str(label)


def shows_objects(job: Job) -> bool:
    """Objects differ from rows only for objects written over several rows (a skill profile's skills)."""
    if job.operation == Job.Operation.EXPORT:
        return False
    try:
        kind = object_type(job.object_type)
    except UnknownObjectType:
        return False
    # A package holds skill profiles, address books and the other objects of several rows.
    return kind.is_package or kind.resource.children is not None


def active_note(job: Job) -> str:
    """The dashboard's note while a job is active (the New button's title says the same, shorter)."""
    if job.total_rows:
        where = ngettext("%(done)s of %(total)s row done", "%(done)s of %(total)s rows done", job.total_rows) % {
            "done": count(job.done_rows),
            "total": count(job.total_rows),
        }
        return _(
            "%(title)s, submitted by %(who)s, is %(status)s: %(where)s. "
            "A new bulk operation can start when it has finished."
        ) % {
            "title": job_phrase(job),
            "who": job.submitted_by_name,
            "status": job.get_status_display().lower(),
            "where": where,
        }
    return _("%(title)s, submitted by %(who)s, is %(status)s. A new bulk operation can start when it has finished.") % {
        "title": job_phrase(job),
        "who": job.submitted_by_name,
        "status": job.get_status_display().lower(),
    }


def busy_title(job: Job) -> str:
    return _("%(title)s is %(status)s. Only one bulk operation runs at a time.") % {
        "title": job_phrase(job),
        "status": job.get_status_display().lower(),
    }

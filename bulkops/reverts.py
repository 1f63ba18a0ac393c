"""Reverting a job (SPEC section 8): whether it may be, what it would do, and submitting the revert,
which runs in the worker like any job (bulkops.engine.revert)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bulkops.changes import job_changes
from bulkops.models import Job, JobChange
from bulkops.services import AnotherJobActive, insert_and_queue, refuse_if_active
from bulkops.uploads import JobRefused


def revert_refusal(target: Job) -> str:
    """Why this job cannot be reverted, or ''. An import or a revert that ended Completed or Completed
    with errors can be; so can one that failed or was cancelled after applying some of its rows
    (what it applied stays, SPEC section 4)."""
    if target.operation not in (Job.Operation.IMPORT, Job.Operation.REVERT):
        return _("Job %(id)s is not an import: only an import (or a revert) can be reverted.") % {"id": target.pk}
    if target.is_active:
        return _("Job %(id)s is %(status)s: it can be reverted when it has ended.") % {
            "id": target.pk,
            "status": target.get_status_display(),
        }
    if target.changes_pruned_at:
        return _(
            "Job %(id)s can no longer be reverted: history it wrote was removed as older than kept on %(date)s."
        ) % {"id": target.pk, "date": date_format(timezone.localtime(target.changes_pruned_at), "SHORT_DATE_FORMAT")}
    if not job_changes(target).exists():
        if target.status == Job.Status.FAILED:
            return _("Job %(id)s failed before it changed anything: there is nothing to revert.") % {"id": target.pk}
        return _("Job %(id)s changed nothing: there is nothing to revert.") % {"id": target.pk}
    first = target.reverted_by.exclude(status=Job.Status.FAILED).order_by("pk").first()
    if first is not None:
        return _("Job %(id)s was already reverted by job %(first)s (%(status)s); a job is reverted only once.") % {
            "id": target.pk,
            "first": first.pk,
            "status": first.get_status_display(),
        }
    return ""


def revert_counts(target: Job) -> dict[str, int]:
    """What a revert of the job would do if nothing changed since: objects restored and deleted."""
    actions = job_changes(target).counts()
    return {
        "restore": actions.get(JobChange.Action.UPDATED, 0) + actions.get(JobChange.Action.DELETED, 0),
        "delete": actions.get(JobChange.Action.CREATED, 0),
    }


def job_submit_revert(target: Job, *, user=None, submitted_by_name: str = "") -> Job:
    """Accept a revert of the job as a job of its own, or raise JobRefused."""
    refusal = revert_refusal(target)
    if refusal:
        raise JobRefused(refusal)
    refuse_if_active()
    job = Job(
        object_type=target.object_type,
        operation=Job.Operation.REVERT,
        file_name=f"revert of job {target.pk}",
        header=["Name"],
        reverts=target,
        submitted_by=user,
        submitted_by_name=submitted_by_name or (user.get_username() if user else "system"),
    )
    try:
        insert_and_queue(job, True)
    except AnotherJobActive:
        # A revert of the same job accepted a moment ago may be what is in the way: say so.
        refusal = revert_refusal(target)
        if refusal:
            raise JobRefused(refusal) from None
        raise
    return job

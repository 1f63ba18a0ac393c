"""Reverting a job (SPEC section 8): whether it may be, what it would do, and submitting the revert,
which runs in the worker like any job (bulkops.engine.revert)."""

from django.db.models import Count

from bulkops.models import Job, JobChange
from bulkops.services import AnotherJobActive, insert_and_queue, refuse_if_active
from bulkops.uploads import JobRefused


def revert_refusal(target: Job) -> str:
    """Why this job cannot be reverted, or ''."""
    if target.operation not in (Job.Operation.IMPORT, Job.Operation.REVERT):
        return f"Job {target.pk} is not an import: only an import (or a revert) can be reverted."
    if target.status not in (Job.Status.COMPLETED, Job.Status.COMPLETED_WITH_ERRORS):
        return (
            f"Job {target.pk} is {target.get_status_display()}: only a job that ended Completed or "
            "Completed with errors can be reverted."
        )
    first = target.reverted_by.exclude(status=Job.Status.FAILED).order_by("pk").first()
    if first is not None:
        return (
            f"Job {target.pk} was already reverted by job {first.pk} ({first.get_status_display()}); "
            "a job is reverted only once."
        )
    return ""


def revert_counts(target: Job) -> dict[str, int]:
    """What a revert of the job would do if nothing changed since: objects restored and deleted."""
    actions = dict(target.changes.values_list("action").annotate(count=Count("id")))
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

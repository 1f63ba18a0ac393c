"""The dashboard's side of SPEC section 8: a job's changes on its details page, "Import this file" for a
Validate only job, and reverting a job behind a confirmation page. Thin, as bulkops.web.views is: the
work is in bulkops.services and bulkops.reverts, the access rules in bulkops.permissions."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bulkops.changes import job_changes
from bulkops.models import Job, JobChange
from bulkops.permissions import can_download, can_import
from bulkops.reverts import job_submit_revert, revert_counts, revert_refusal
from bulkops.services import job_import_validated
from bulkops.uploads import JobRefused
from bulkops.web.failed_rows_views import other_lists_query
from config_objects.registry import object_type
from config_objects.rendering import column_changes

CHANGES_PER_PAGE = 50


def details_url(job: Job) -> str:
    return reverse("admin:bulkops_job_change", args=[job.pk])


def reverted_by(job: Job) -> Job | None:
    """The revert that undid (or is undoing) the job; a failed revert does not count."""
    return job.reverted_by.exclude(status=Job.Status.FAILED).order_by("pk").first()


def _may_import(user, job: Job) -> bool:
    return can_import(user, object_type(job.object_type))


def changes_heading(job: Job) -> str:
    if job.is_validate_only:
        return _("Changes this file would make (nothing was applied)")
    if job.operation == Job.Operation.REVERT:
        return _("Changes made by this revert")
    return _("Changes made by this job")


def changes_page(request, job: Job) -> dict:
    """One page of the job's changes, filtered by ?action=, with the count of each action."""
    action = request.GET.get("action", "")
    if action not in JobChange.Action.values:
        action = ""
    changes = job_changes(job)
    counts = changes.counts()
    page = Paginator(changes.queryset(action), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    listed = changes.rows(page.object_list)
    resources = {slug: object_type(slug).resource() for slug in {change.object_type for change in listed}}
    labels = dict(JobChange.Action.choices)
    rows = [
        {
            "object": object_type(change.object_type).label,
            "name": change.name,
            "action": labels[change.action],
            "action_code": change.action,
            "columns": column_changes(resources[change.object_type], change.before, change.after),
        }
        for change in listed
    ]
    kept = other_lists_query(request, ("action", "page"))  # the failed rows' page stays as it is
    filters = [{"code": "", "label": _("All"), "count": sum(counts.values()), "query": "?" + kept[:-1]}] + [
        {"code": code, "label": label, "count": counts.get(code, 0), "query": f"?{kept}{urlencode({'action': code})}"}
        for code, label in JobChange.Action.choices
    ]
    return {
        "changes_heading": changes_heading(job),
        "changes_action": action,
        "changes_filters": filters,
        "changes_page": page,
        "changes_rows": rows,
        "changes_by_object": object_type(job.object_type).is_package,
        "changes_query": kept + (urlencode({"action": action}) + "&" if action else ""),
    }


def history_context(request, job: Job) -> dict:
    """What the details page shows of the job's changes, and which of Import this file / Revert it offers."""
    if job.operation == Job.Operation.EXPORT:
        return {}
    may_import = _may_import(request.user, job)
    context = {
        "shows_changes": True,
        "may_see_changes": can_download(request.user, job),
        "may_import_file": job.is_validate_only and not job.is_active and may_import,
        "may_revert": may_import and job.operation != Job.Operation.VALIDATE and revert_refusal(job) == "",
        "reverted_by_job": reverted_by(job),
    }
    if context["may_see_changes"]:
        context |= changes_page(request, job)
    return context


@require_POST
def job_import_file(request, job_id):
    """Import this file: the stored file of a Validate only job, as a new Import job."""
    validated = get_object_or_404(Job, pk=job_id)
    if not _may_import(request.user, validated):
        raise PermissionDenied(
            _("Importing %(object)s needs its add and change permissions.") % {"object": validated.object_label}
        )
    try:
        job = job_import_validated(validated, user=request.user)
    except JobRefused as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(details_url(validated))
    messages.success(
        request,
        _("Job %(id)s imports the file that job %(validated)s validated.") % {"id": job.pk, "validated": validated.pk},
    )
    return HttpResponseRedirect(details_url(job))


@require_http_methods(["GET", "POST"])
def job_revert(request, job_id):
    """GET: the confirmation page, saying what the revert would do; POST: submit the revert job."""
    target = get_object_or_404(Job, pk=job_id)
    if not _may_import(request.user, target):
        raise PermissionDenied(
            _("Reverting a %(object)s job needs its add and change permissions.") % {"object": target.object_label}
        )
    refusal = revert_refusal(target)
    if refusal:
        messages.error(request, refusal)
        return HttpResponseRedirect(details_url(target))
    if request.method == "GET":
        context = {
            **admin.site.each_context(request),
            "opts": Job._meta,
            "title": _("Revert job %(id)s?") % {"id": target.pk},
            "job": target,
            "counts": revert_counts(target),
        }
        return TemplateResponse(request, "admin/bulkops/job/revert_confirm.html", context)
    try:
        job = job_submit_revert(target, user=request.user)
    except JobRefused as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(details_url(target))
    messages.success(request, _("Job %(id)s reverts job %(target)s.") % {"id": job.pk, "target": target.pk})
    return HttpResponseRedirect(details_url(job))

"""The dashboard's views: thin wrappers around bulkops.services, with the access rules of SPEC
section 7. JSON for the dialog's requests; files only through these checks, never a public URL."""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from bulkops.models import Job
from bulkops.permissions import can_cancel, can_download, can_export, can_import
from bulkops.services import AnotherJobActive, JobRefused, job_cancel, job_submit, sweep_jobs
from bulkops.web.downloads import CHANGE_OPERATIONS, job_download, template_download_response
from bulkops.web.history_views import history_context
from config_objects.registry import UnknownObjectType, object_type

ENCODINGS = [
    ("utf-8", "UTF-8"),
    ("cp1252", "Windows-1252 (Western Europe)"),
    ("cp1250", "Windows-1250 (Central Europe)"),
    ("iso-8859-1", "ISO-8859-1 (Latin-1)"),
]


log = logging.getLogger(__name__)


class NewJobForm(forms.Form):
    object = forms.CharField(error_messages={"required": "Choose an object."})
    operation = forms.ChoiceField(
        choices=Job.Operation.choices,
        error_messages={
            "required": "Choose Import or Export.",
            "invalid_choice": "Choose Import, Export or Validate only.",
        },
    )
    # An empty file is let through: its job fails saying so, as it does from the command line.
    file = forms.FileField(
        required=False,
        allow_empty_file=True,
        max_length=None,
        error_messages={"invalid": "The upload did not arrive as a file; choose it again."},
    )
    encoding = forms.ChoiceField(
        choices=ENCODINGS, required=False, error_messages={"invalid_choice": "Choose one of the listed encodings."}
    )


def get_job(job_id) -> Job:
    """The job, or 404 for an id that is not a job's (or not a number at all)."""
    try:
        return Job.objects.get(pk=int(str(job_id)))
    except (ValueError, Job.DoesNotExist):
        raise Http404(f"There is no bulk job {str(job_id)[:20]!r}.") from None


def _object_or_404(slug):
    try:
        return object_type(slug)
    except UnknownObjectType:
        raise Http404(f"Unknown object '{slug}'") from None


def job_json(job: Job, user) -> dict:
    downloadable = can_download(user, job)
    files = {}
    if downloadable and job.input_file:
        files["input_url"] = reverse("admin:bulkops_job_file", args=[job.pk, "input"])
    if downloadable and job.result_file:
        files["result_url"] = reverse("admin:bulkops_job_file", args=[job.pk, "result"])
    if downloadable and job.failed:
        files["errors_url"] = reverse("admin:bulkops_job_file", args=[job.pk, "errors"])
    if downloadable and job.operation in CHANGE_OPERATIONS:
        files["changes_url"] = reverse("admin:bulkops_job_file", args=[job.pk, "changes"])
    return {
        "id": job.pk,
        "object": job.object_label,
        "operation": job.get_operation_display(),
        "file_name": job.file_name,
        "status": job.status,
        "status_label": job.get_status_display(),
        "active": job.is_active,
        "total": job.total_rows,
        "done": job.done_rows,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "deleted": job.deleted,
        "failed": job.failed,
        "objects": job.objects_count,
        "failure_reason": job.failure_reason,
        "details_url": reverse("admin:bulkops_job_change", args=[job.pk]),
        "status_url": reverse("admin:bulkops_job_status", args=[job.pk]),
        **files,
    }


@require_POST
def job_new(request):
    form = NewJobForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [message for errors in form.errors.values() for message in errors]
        return JsonResponse({"error": " ".join(problems)}, status=400)
    try:
        object_type_ = object_type(form.cleaned_data["object"])
    except UnknownObjectType as error:
        return JsonResponse({"error": str(error)}, status=400)
    operation = form.cleaned_data["operation"]
    exporting = operation == Job.Operation.EXPORT
    allowed = can_export(request.user, object_type_) if exporting else can_import(request.user, object_type_)
    if not allowed:
        needed = "view" if exporting else "add and change"
        return JsonResponse(
            {"error": f"You may not {operation} {object_type_.label}: that needs the {needed} permissions."},
            status=403,
        )
    try:
        job = job_submit(
            object_type=object_type_,
            operation=operation,
            user=request.user,
            upload=None if exporting else form.cleaned_data["file"],
            encoding=form.cleaned_data["encoding"] or "utf-8",
        )
    except JobRefused as refused:
        return JsonResponse({"error": str(refused)}, status=409 if isinstance(refused, AnotherJobActive) else 400)
    job.refresh_from_db()
    return JsonResponse({"job": job_json(job, request.user)}, status=201)


@require_GET
def job_status(request, job_id):
    if Job.objects.filter(pk=job_id, active_slot=1).exists():
        sweep_jobs()
    return JsonResponse({"job": job_json(get_job(job_id), request.user)})


@require_POST
def job_cancel_view(request, job_id):
    job = get_job(job_id)
    if not can_cancel(request.user, job):
        raise PermissionDenied("Only the job's submitter, a superuser or whoever may import its object may cancel it.")
    try:
        job = job_cancel(job, by=request.user.get_username())
    except JobRefused as refused:
        messages.warning(request, str(refused))
    else:
        note = "It stops after the rows it is working on." if job.is_active else "It has stopped."
        messages.success(request, f"Job {job.pk} is cancelled. {note}")
    return HttpResponseRedirect(reverse("admin:bulkops_job_change", args=[job.pk]))


@require_GET
def job_file(request, job_id, kind):
    job = get_job(job_id)
    if not can_download(request.user, job):
        raise PermissionDenied("Only the job's submitter, a superuser or whoever may view its object gets its files.")
    return job_download(job, kind)


@require_GET
def template_download(request, slug):
    object_type_ = _object_or_404(slug)
    if not can_export(request.user, object_type_):
        raise PermissionDenied(f"Downloading the {object_type_.label} template needs its view permission.")
    return template_download_response(object_type_)


def job_details(request, model_admin, object_id):
    job = get_job(object_id)
    if job.is_active:
        sweep_jobs()
        job.refresh_from_db()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Job._meta,
        "title": f"Job {job.pk}: {job.get_operation_display()} {job.object_label}",
        "job": job,
        "job_data": job_json(job, request.user),
        "may_download": can_download(request.user, job),
        "may_cancel": job.is_active and can_cancel(request.user, job),
        **history_context(request, job),
    }
    return TemplateResponse(request, "admin/bulkops/job/details.html", context)

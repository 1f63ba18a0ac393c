"""The dashboard's views: thin wrappers around bulkops.services, with the access rules of SPEC
section 7. JSON for the dialog's requests; files only through these checks, never a public URL."""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bulkops.changes import unlisted_reason
from bulkops.models import Job
from bulkops.permissions import can_cancel, can_download, can_export, can_import
from bulkops.services import (
    COUNTED,
    FILE_FORMATS,
    NOT_A_FILE_FORMAT,
    AnotherJobActive,
    JobRefused,
    job_cancel,
    job_submit,
    sweep_jobs,
)
from bulkops.web.downloads import job_download, template_download_response
from bulkops.web.failed_rows_views import failed_rows_context
from bulkops.web.history_views import history_context
from bulkops.web.wording import (
    active_note,
    busy_title,
    job_title,
    moment,
    progress_text,
    shows_objects,
    status_text,
)
from config_objects.registry import UnknownObjectType, object_type

ENCODINGS = [
    ("utf-8", "UTF-8"),
    ("cp1252", gettext_lazy("Windows-1252 (Western Europe)")),
    ("cp1250", gettext_lazy("Windows-1250 (Central Europe)")),
    ("iso-8859-1", gettext_lazy("ISO-8859-1 (Latin-1)")),
]
# The list's status icons, beside each status's label (bulkops.admin and the live list alike).
STATUS_ICONS = {
    Job.Status.NEW: "\u25cb",
    Job.Status.IN_PROGRESS: "\u25d0",
    Job.Status.COMPLETED: "\u2714",
    Job.Status.COMPLETED_WITH_ERRORS: "\u26a0",
    Job.Status.FAILED: "\u2716",
}
# How many jobs of the list one poll may ask about (a page of the list holds 25).
LIVE_LIST_LIMIT = 100


log = logging.getLogger(__name__)


class NewJobForm(forms.Form):
    object = forms.CharField(error_messages={"required": gettext_lazy("Choose an object.")})
    operation = forms.ChoiceField(
        choices=Job.Operation.choices,
        error_messages={
            "required": gettext_lazy("Choose Import or Export."),
            "invalid_choice": gettext_lazy("Choose Import, Export or Validate only."),
        },
    )
    # An empty file is let through: its job fails saying so, as it does from the command line.
    file = forms.FileField(
        required=False,
        allow_empty_file=True,
        max_length=None,
        error_messages={"invalid": gettext_lazy("The upload did not arrive as a file; choose it again.")},
    )
    encoding = forms.ChoiceField(
        choices=ENCODINGS,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the listed encodings.")},
    )
    # An export's file: CSV unless the dialog asks for an Excel workbook.
    file_format = forms.ChoiceField(
        choices=[(value, value) for value in FILE_FORMATS],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose CSV or Excel workbook (.xlsx).")},
    )


def get_job(job_id) -> Job:
    """The job, or 404 for an id that is not a job's (or not a number at all)."""
    try:
        return Job.objects.get(pk=int(str(job_id)))
    except (ValueError, Job.DoesNotExist):
        raise Http404(_("There is no bulk job %(id)r.") % {"id": str(job_id)[:20]}) from None


def _object_or_404(slug):
    try:
        return object_type(slug)
    except UnknownObjectType:
        raise Http404(_("Unknown object '%(slug)s'") % {"slug": slug}) from None


def parts_json(job: Job) -> list[dict]:
    """A package job's counts per object (none for other jobs), for its status."""
    return [
        {
            "object": part.object_label,
            "entry": part.entry,
            **{name: getattr(part, name) for name in ("total_rows", "done_rows", *COUNTED)},
        }
        for part in job.parts.order_by("position")
    ]


def job_json(job: Job, user) -> dict:
    downloadable = can_download(user, job)
    files = {}
    if downloadable and job.input_file:
        files["input_url"] = reverse("admin:bulkops_job_file", args=[job.pk, "input"])
    if downloadable and job.result_file:
        files["result_url"] = reverse("admin:bulkops_job_file", args=[job.pk, "result"])
    if downloadable and job.failed:
        files["errors_url"] = reverse("admin:bulkops_job_file", args=[job.pk, "errors"])
    if downloadable and not unlisted_reason(job):
        files["changes_url"] = reverse("admin:bulkops_job_file", args=[job.pk, "changes"])
    return {
        "id": job.pk,
        "title": job_title(job),
        "object": job.object_label,
        "operation": job.get_operation_display(),
        "operation_code": job.operation,
        "file_name": job.file_name,
        "status": job.status,
        "status_label": job.get_status_display(),
        "status_icon": STATUS_ICONS[job.status],
        "status_text": status_text(job),
        "progress_text": progress_text(job),
        "active": job.is_active,
        "submitted_by": job.submitted_by_name,
        "submitted_at": moment(job.submitted_at),
        "started_at": moment(job.started_at),
        "finished_at": moment(job.finished_at),
        "total": job.total_rows,
        "done": job.done_rows,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "deleted": job.deleted,
        "failed": job.failed,
        "objects": job.objects_count,
        "shows_objects": shows_objects(job),
        "failure_reason": job.failure_reason,
        "cancel_requested_by": job.cancel_requested_by,
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
        if exporting:
            refusal = _("You may not export %(object)s: that needs the view permission.")
        else:
            refusal = _("You may not import %(object)s: that needs the add and change permissions.")
        return JsonResponse({"error": refusal % {"object": object_type_.label}}, status=403)
    try:
        job = job_submit(
            object_type=object_type_,
            operation=operation,
            user=request.user,
            upload=None if exporting else form.cleaned_data["file"],
            encoding=form.cleaned_data["encoding"] or "utf-8",
            file_format=form.cleaned_data["file_format"] or "csv",
        )
    except JobRefused as refused:
        return JsonResponse({"error": str(refused)}, status=409 if isinstance(refused, AnotherJobActive) else 400)
    job.refresh_from_db()
    return JsonResponse({"job": job_json(job, request.user)}, status=201)


@require_GET
def job_status(request, job_id):
    if Job.objects.filter(pk=job_id, active_slot=1).exists():
        sweep_jobs()
    job = get_job(job_id)
    return JsonResponse({"job": job_json(job, request.user) | {"parts": parts_json(job)}})


@require_GET
def job_list_live(request):
    """What the dashboard's list needs to keep itself current: the jobs it shows (?ids=1,2,3) and the
    active job, if any (the New button and its note). Polled while a job is active."""
    ids = [int(part) for part in request.GET.get("ids", "").split(",") if part.strip().isdigit()][:LIVE_LIST_LIMIT]
    if Job.objects.filter(active_slot=1).exists():
        sweep_jobs()  # a job whose worker has died shows Failed, and frees the New button
    active = Job.objects.filter(active_slot=1).first()
    jobs = Job.objects.filter(pk__in=ids).order_by("-pk")
    return JsonResponse(
        {
            "active": None
            if active is None
            else job_json(active, request.user) | {"note": active_note(active), "busy_title": busy_title(active)},
            "jobs": [job_json(job, request.user) for job in jobs],
        }
    )


@require_POST
def job_cancel_view(request, job_id):
    job = get_job(job_id)
    if not can_cancel(request.user, job):
        raise PermissionDenied(
            _("Only the job's submitter, a superuser or whoever may import its object may cancel it.")
        )
    try:
        job = job_cancel(job, by=request.user.get_username())
    except JobRefused as refused:
        messages.warning(request, str(refused))
    else:
        if job.is_active:
            message = _("Job %(id)s is cancelled. It stops after the rows it is working on.")
        else:
            message = _("Job %(id)s is cancelled. It has stopped.")
        messages.success(request, message % {"id": job.pk})
    return HttpResponseRedirect(reverse("admin:bulkops_job_change", args=[job.pk]))


@require_GET
def job_file(request, job_id, kind):
    job = get_job(job_id)
    if not can_download(request.user, job):
        raise PermissionDenied(
            _("Only the job's submitter, a superuser or whoever may view its object gets its files.")
        )
    return job_download(job, kind)


@require_GET
def template_download(request, slug):
    object_type_ = _object_or_404(slug)
    if not can_export(request.user, object_type_):
        raise PermissionDenied(
            _("Downloading the %(object)s template needs its view permission.") % {"object": object_type_.label}
        )
    file_format = request.GET.get("file_format") or "csv"
    if file_format not in FILE_FORMATS:
        raise Http404(NOT_A_FILE_FORMAT.format(format=file_format[:20], formats=", ".join(FILE_FORMATS)))
    return template_download_response(object_type_, file_format)


def job_details(request, model_admin, object_id):
    job = get_job(object_id)
    if job.is_active:
        sweep_jobs()
        job.refresh_from_db()
    may_download = can_download(request.user, job)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Job._meta,
        "title": job_title(job),
        "job": job,
        "job_data": job_json(job, request.user),
        "may_download": may_download,
        "may_cancel": job.is_active and can_cancel(request.user, job),
        "job_parts": list(job.parts.order_by("position")),
        **failed_rows_context(request, job, may_see=may_download),
        **history_context(request, job),
    }
    return TemplateResponse(request, "admin/bulkops/job/details.html", context)

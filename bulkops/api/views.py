"""The API's views: thin, as the dashboard's are. The services do the work and bulkops.permissions
says who may; these only translate HTTP to those calls and back."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiRequest, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from bulkops.api.schema import IMPORT_ENCODING, IMPORT_EXAMPLE, SIGNED_IN, download, errors, location_header
from bulkops.api.serializers import (
    FailedRowSerializer,
    FileFormatSerializer,
    ImportSerializer,
    JobSerializer,
    ObjectSerializer,
)
from bulkops.failed_rows import failed_rows_listed, job_failed_rows
from bulkops.models import Job, JobError
from bulkops.permissions import can_cancel, can_download, can_export, can_import
from bulkops.reverts import job_submit_revert
from bulkops.services import AnotherJobActive, job_cancel, job_import_validated, job_submit, sweep_jobs
from bulkops.uploads import JobRefused
from bulkops.web.downloads import KINDS, XLSX_TYPE, job_download, template_download_response
from bulkops.web.history_views import reverted_by
from config_objects.registry import OBJECT_TYPES, PACKAGE, UnknownObjectType, object_type

NO_JOB = "There is no job with this id."
NO_FILES_FOR_YOU = "Only the job's submitter, a superuser or whoever may view its object gets its files."


def job_or_404(pk) -> Job:
    if Job.objects.filter(pk=pk, active_slot=1).exists():
        sweep_jobs()  # a job whose worker died is shown Failed
    try:
        return Job.objects.get(pk=pk)
    except Job.DoesNotExist:
        raise Http404(_("There is no bulk job %(id)s.") % {"id": pk}) from None


def object_or_404(slug: str):
    try:
        return object_type(slug)
    except UnknownObjectType as error:
        raise Http404(str(error)) from None


def created(request, job: Job) -> Response:
    job.refresh_from_db()
    data = JobSerializer(job, context={"request": request}).data
    location = request.build_absolute_uri(f"/api/v1/jobs/{job.pk}/")
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})


class JobPages(PageNumberPagination):
    """25 jobs a page; a page that is not a number from 1 to the last is 404 "Invalid page."."""

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "The page, from 1; a page past the last is 404.",
                "schema": {"type": "integer", "minimum": 1},
            }
        ]


class FailedRowPages(JobPages):
    """50 failed rows a page, as on the job's details page."""

    page_size = 50


# The list's filters that take one of a fixed list of values, and the field each filters.
CHOICE_FILTERS = {"status": Job.Status.values, "operation": Job.Operation.values}


@extend_schema(tags=["jobs"])
class JobList(generics.ListAPIView):
    """Bulk jobs, newest first; filter by status, object (slug) and operation."""

    serializer_class = JobSerializer
    pagination_class = JobPages

    def get_queryset(self) -> QuerySet[Job]:
        sweep_jobs()
        jobs = Job.objects.prefetch_related("parts")
        for parameter, field in (("status", "status"), ("object", "object_type"), ("operation", "operation")):
            if value := self.request.query_params.get(parameter):
                jobs = jobs.filter(**{field: value})
        return jobs

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Job.Status.values),
            OpenApiParameter("object", str, description="An object's slug, e.g. site."),
            OpenApiParameter("operation", str, enum=Job.Operation.values),
        ],
        responses={
            200: JobSerializer(many=True),
            **errors(
                400,
                *SIGNED_IN,
                404,
                why={
                    400: "A status or operation that is not one of its values: the detail names the parameter and "
                    "its values.",
                    404: '"Invalid page.": a page past the last, or one that is not a number from 1.',
                },
            ),
        },
    )
    def get(self, request, *args, **kwargs):
        wrong = {
            parameter: _("'%(value)s' is not one of %(allowed)s") % {"value": value, "allowed": ", ".join(allowed)}
            for parameter, allowed in CHOICE_FILTERS.items()
            if (value := request.query_params.get(parameter)) and value not in allowed
        }
        if wrong:
            raise ValidationError(wrong)
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Submit an import (or a Validate only) of a file",
        description="Start an import of the file, or a Validate only (validate_only=true) that checks every row "
        "and changes nothing: 201 with the new job (at its Location), which runs in the background.",
        request={
            "multipart/form-data": OpenApiRequest(ImportSerializer, encoding=IMPORT_ENCODING, examples=[IMPORT_EXAMPLE])
        },
        parameters=[location_header()],
        responses={
            201: JobSerializer,
            **errors(
                400,
                *SIGNED_IN,
                409,
                413,
                415,
                422,
                why={
                    400: "The object or the file is missing, validate_only is not true or false, or the object is "
                    "not one of the bulk objects; the detail names the field.",
                    422: "The encoding is not a text encoding.",
                },
            ),
        },
    )
    def post(self, request):
        form = ImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        kind = object_type(form.validated_data["object"])
        if not can_import(request.user, kind):
            raise PermissionDenied(
                _("Importing %(object)s needs its add and change permissions.") % {"object": kind.label}
            )
        job = job_submit(
            object_type=kind,
            operation=Job.Operation.VALIDATE if form.validated_data["validate_only"] else Job.Operation.IMPORT,
            user=request.user,
            upload=form.validated_data["file"],
            encoding=form.validated_data["encoding"] or "utf-8",
        )
        return created(request, job)


@extend_schema(tags=["jobs"], responses={200: JobSerializer, **errors(*SIGNED_IN, 404, why={404: NO_JOB})})
class JobDetail(APIView):
    """One job: its object, operation, status, counts and files, with its progress."""

    def get(self, request, pk: int):
        return Response(JobSerializer(job_or_404(pk), context={"request": request}).data)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the state of the jobs.")


class DownloadNegotiation(DefaultContentNegotiation):
    """A download answers with its file whatever the Accept header asks for (Accept: text/csv is no
    406), and with JSON when it is refused: the only renderer is JSON, which errors use."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class JobFile(APIView):
    """The job's input file, its failed rows as CSV (with Error Message), its result (an export), or
    its changes as CSV (Name, Action, Column, Before, After; for Validate only, what it would change)."""

    content_negotiation_class = DownloadNegotiation

    @extend_schema(
        tags=["jobs"],
        operation_id="jobs_file",
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(KINDS))],
        responses={
            **download(
                "text/csv",
                "application/zip",
                XLSX_TYPE,
                description="The file, as an attachment: CSV, but the input file of an audio import and the "
                "result of an audio export are Zips, and an uploaded workbook and a workbook export are .xlsx.",
            ),
            **errors(
                *SIGNED_IN,
                404,
                why={
                    403: NO_FILES_FOR_YOU,
                    404: "No such job, or the job has no such file (no failed rows, no result, changes not "
                    "listed); the detail says which.",
                },
            ),
        },
    )
    def get(self, request, pk: int, kind: str):
        job = job_or_404(pk)
        if kind not in KINDS:
            raise Http404(_("A job's files are %(kinds)s.") % {"kinds": ", ".join(KINDS)})
        if not can_download(request.user, job):
            raise PermissionDenied(
                _("Only the job's submitter, a superuser or whoever may view its object gets its files.")
            )
        return job_download(job, kind)


@extend_schema(
    tags=["jobs"],
    responses={
        200: FailedRowSerializer(many=True),
        **errors(
            *SIGNED_IN,
            404,
            why={
                403: NO_FILES_FOR_YOU,
                404: 'No such job, or "Invalid page.": a page past the last, or one that is not a number from 1.',
            },
        ),
    },
)
class JobFailedRows(generics.ListAPIView):
    """The job's failed rows, 50 a page, in the order of its file (a package's, object by object): line,
    name (the row's key cell), message (as in the error file's Error Message, in the language of the
    job's submitter), and for a package the object and the file or sheet. Empty for a job without
    any; the same rows, as uploaded, are the job's errors file."""

    serializer_class = FailedRowSerializer
    pagination_class = FailedRowPages
    queryset = JobError.objects.none()  # what the schema reads; list() reads the job's own

    def list(self, request, pk: int):
        job = job_or_404(pk)
        if not can_download(request.user, job):
            raise PermissionDenied(
                _("Only the job's submitter, a superuser or whoever may view its object gets its files.")
            )
        page = self.paginate_queryset(job_failed_rows(job))
        return self.get_paginated_response(FailedRowSerializer(failed_rows_listed(job, page), many=True).data)


@extend_schema(
    tags=["jobs"],
    request=None,
    parameters=[location_header()],
    responses={
        201: JobSerializer,
        **errors(
            *SIGNED_IN,
            404,
            409,
            413,
            422,
            why={
                404: NO_JOB,
                413: "The file is over the size limit, lowered since it was checked.",
                422: "The job is not a Validate only job, is still active, or its file is no longer in file storage.",
            },
        ),
    },
)
class JobImportValidated(APIView):
    """Import the file of a Validate only job, as it was checked: a new Import job."""

    def post(self, request, pk: int):
        validated = job_or_404(pk)
        if not can_import(request.user, object_type(validated.object_type)):
            raise PermissionDenied(
                _("Importing %(object)s needs its add and change permissions.") % {"object": validated.object_label}
            )
        return created(request, job_import_validated(validated, user=request.user))


@extend_schema(
    tags=["jobs"],
    request=None,
    parameters=[location_header()],
    responses={
        201: JobSerializer,
        **errors(
            *SIGNED_IN,
            404,
            409,
            422,
            why={
                404: NO_JOB,
                409: "Another job is active, or the job was already reverted (the detail names it).",
                422: "The job cannot be reverted: it is not an Import or Revert that ended Completed or Completed "
                "with errors.",
            },
        ),
    },
)
class JobRevert(APIView):
    """Revert an import (or a revert) that ended Completed or Completed with errors: a new Revert job
    that restores what the job updated and deletes what it created. A job is reverted only once."""

    def post(self, request, pk: int):
        target = job_or_404(pk)
        if not can_import(request.user, object_type(target.object_type)):
            raise PermissionDenied(
                _("Reverting a %(object)s job needs its add and change permissions.") % {"object": target.object_label}
            )
        try:
            job = job_submit_revert(target, user=request.user)
        except JobRefused as refused:
            if isinstance(refused, AnotherJobActive) or reverted_by(target) is not None:
                raise Conflict(str(refused)) from None
            raise  # 422, from bulkops.api.errors
        return created(request, job)


@extend_schema(
    tags=["jobs"],
    request=None,
    responses={
        200: JobSerializer,
        **errors(*SIGNED_IN, 404, 422, why={404: NO_JOB, 422: "The job is not active: it has already finished."}),
    },
)
class JobCancel(APIView):
    """Cancel an active job: a New one at once, an In progress one after its current chunk."""

    def post(self, request, pk: int):
        job = job_or_404(pk)
        if not can_cancel(request.user, job):
            raise PermissionDenied(
                _("Only the job's submitter, a superuser or whoever may import its object may cancel it.")
            )
        job = job_cancel(job, by=request.user.get_username())
        return Response(JobSerializer(job, context={"request": request}).data)


@extend_schema(tags=["objects"], responses={200: ObjectSerializer(many=True), **errors(*SIGNED_IN)})
class ObjectList(APIView):
    """The bulk objects: slug, label, file kind, key and columns, and what the caller may do with each;
    last, the whole configuration (slug package), imported and exported as one job."""

    def get(self, request):
        return Response(
            [
                {
                    "slug": t.slug,
                    "label": t.label,
                    "file_kind": t.file_kind,
                    "key": t.resource().key_column().column_name,
                    "columns": [{"name": c.column_name, "required": c.required} for c in t.resource().columns()],
                    "may_import": can_import(request.user, t),
                    "may_export": can_export(request.user, t),
                }
                for t in OBJECT_TYPES
            ]
            + [
                {
                    "slug": PACKAGE.slug,
                    "label": PACKAGE.label,
                    "file_kind": PACKAGE.file_kind,
                    "key": "",
                    "columns": [],
                    "may_import": can_import(request.user, PACKAGE),
                    "may_export": can_export(request.user, PACKAGE),
                }
            ]
        )


FILE_FORMAT = OpenApiParameter(
    "file_format",
    str,
    enum=["csv", "xlsx"],
    default="csv",
    description="csv, or xlsx for an Excel workbook of one sheet, every cell a text cell.",
)


@extend_schema(
    tags=["objects"],
    parameters=[FILE_FORMAT],
    responses={
        **download("text/csv", XLSX_TYPE, description="The template, as an attachment: CSV, or a workbook."),
        **errors(
            400,
            *SIGNED_IN,
            404,
            why={
                400: "file_format is not csv or xlsx.",
                404: "No such object, or one imported from a Zip (audio files), which has no template.",
            },
        ),
    },
)
class ObjectTemplate(APIView):
    """The object's blank template, its header row: a CSV, or an Excel workbook (file_format=xlsx)."""

    content_negotiation_class = DownloadNegotiation

    def get(self, request, slug: str):
        kind = object_or_404(slug)
        if not can_export(request.user, kind):
            raise PermissionDenied(_("The %(object)s template needs its view permission.") % {"object": kind.label})
        form = FileFormatSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        return template_download_response(kind, form.validated_data["file_format"])


@extend_schema(
    tags=["objects"],
    request=FileFormatSerializer,
    parameters=[location_header()],
    responses={
        201: JobSerializer,
        **errors(
            400,
            *SIGNED_IN,
            404,
            409,
            413,
            422,
            why={
                400: "file_format is not csv or xlsx.",
                404: "There is no such object.",
                413: "The request's body is over the size limit this server accepts.",
                422: "An Excel workbook was asked for an object whose files are Zips (audio files).",
            },
        ),
    },
)
class ObjectExport(APIView):
    """Export all records of the object: a job whose result file is the export, a CSV or, with
    file_format xlsx, an Excel workbook (the body may be left out: CSV)."""

    def post(self, request, slug: str):
        kind = object_or_404(slug)
        if not can_export(request.user, kind):
            raise PermissionDenied(_("Exporting %(object)s needs its view permission.") % {"object": kind.label})
        form = FileFormatSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        job = job_submit(
            object_type=kind,
            operation=Job.Operation.EXPORT,
            user=request.user,
            file_format=form.validated_data["file_format"],
        )
        return created(request, job)

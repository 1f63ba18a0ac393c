"""The files of jobs and the blank templates, as downloads: the same responses for the dashboard and
the API, after the caller has checked who may have them (bulkops.permissions)."""

import logging
import tempfile
from pathlib import PurePath

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from bulkops.changes import unlisted_reason
from bulkops.engine.exports import changes_csv, errors_csv, is_workbook_name, template_csv, template_xlsx
from bulkops.engine.package_files import package_errors, package_template
from bulkops.models import Job
from bulkops.services import NO_WORKBOOK
from bulkops.uploads import clean_file_name
from config_objects.registry import ObjectType

log = logging.getLogger(__name__)
KINDS = ("input", "errors", "result", "changes")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_type(name: str) -> str:
    if name.lower().endswith(".zip"):
        return "application/zip"
    return XLSX_TYPE if is_workbook_name(name) else CSV_TYPE


def attachment(response, name: str):
    response["Content-Disposition"] = content_disposition_header(True, clean_file_name(name) or "download")
    return response


def job_download(job: Job, kind: str):
    """The job's input file, its error CSV, its result file or its changes as CSV; Http404 saying why
    when there is none."""
    if kind == "changes":
        if unlisted := unlisted_reason(job):
            raise Http404(unlisted)
        response = StreamingHttpResponse(changes_csv(job), content_type=CSV_TYPE)
        return attachment(response, f"job-{job.pk}-changes.csv")
    if kind == "errors":
        if not job.failed:
            raise Http404(_("This job has no failed rows."))
        stem = PurePath(job.file_name).stem or job.object_type
        if job.parts.exists():  # a package's error file has the package's shape
            spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
            suffix = package_errors(job, spool)
            spool.seek(0)
            return attachment(
                FileResponse(spool, content_type=content_type(f"errors.{suffix}")),
                f"{stem}-errors-job{job.pk}.{suffix}",
            )
        name = f"{stem}-errors-job{job.pk}.csv"
        return attachment(StreamingHttpResponse(errors_csv(job), content_type=CSV_TYPE), name)
    stored = {"input": job.input_file, "result": job.result_file}.get(kind)
    if not stored:
        raise Http404(_("Job %(id)s has no %(kind)s file.") % {"id": job.pk, "kind": kind})
    # The name the dashboard shows for the job (an export's too: "team-export.csv"), not the stored one.
    name = job.file_name or PurePath(stored.name).name
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        log.warning("Job %s: its %s file %s is missing from storage", job.pk, kind, stored.name)
        raise Http404(
            _("The %(kind)s file of job %(id)s is no longer in file storage.") % {"kind": kind, "id": job.pk}
        ) from None
    return attachment(FileResponse(handle, content_type=content_type(name)), name)


def template_download_response(object_type: ObjectType, file_format: str = "csv"):
    """The blank template as CSV or, with file_format xlsx, as a workbook (the caller checked the format)."""
    if object_type.is_package:
        workbook = file_format == "xlsx"
        name = f"configuration-template.{'xlsx' if workbook else 'zip'}"
        return attachment(HttpResponse(package_template(workbook), content_type=content_type(name)), name)
    if object_type.file_kind != "csv":
        if file_format == "xlsx":
            raise Http404(NO_WORKBOOK.format(object=object_type.label))
        raise Http404(
            _("%(object)s files are imported from a Zip; there is no CSV template.") % {"object": object_type.label}
        )
    if file_format == "xlsx":
        response = HttpResponse(template_xlsx(object_type), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(template_csv(object_type), content_type=CSV_TYPE)
    return attachment(response, f"{object_type.slug}-template.{file_format}")

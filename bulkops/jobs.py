"""What the worker runs: one bulk job from start to finish (the django-q2 task is run_job)."""

import logging

from django.db import transaction

from bulkops import audio, exports
from bulkops.csvio import FileProblem
from bulkops.engine import Importer
from bulkops.models import Job
from bulkops.services import job_fail, job_finish, job_record, job_set_total, job_start
from config_objects.registry import object_type
from config_objects.resources import resource_for

log = logging.getLogger(__name__)


def run_job(job_id: int) -> str:
    job = job_start(job_id)
    if job is None:
        return f"job {job_id} was not New; nothing to do"
    try:
        zipped = object_type(job.object_type).file_kind == "zip"
        if job.operation == Job.Operation.EXPORT:
            (audio.export_zip if zipped else exports.export_all)(job)
        else:
            (audio.import_zip if zipped else import_file)(job)
    except FileProblem as problem:
        job = job_fail(job, str(problem))
    except Exception as error:
        log.exception("Bulk job %s stopped", job_id)
        job = job_fail(job, f"The job stopped on an unexpected error: {type(error).__name__}: {error}")
    else:
        job = job_finish(job)
    return job.get_status_display()


def import_file(job: Job) -> None:
    importer = Importer(resource_for(object_type(job.object_type).model), validate_only=job.is_validate_only)
    with job.input_file.open("rb") as binary:
        header, delimiter, total, last_lines = importer.scan(binary, job.encoding)
    job_set_total(job, total=total, header=header, delimiter=delimiter)
    importer.refresh_statistics()

    def record(result):
        job_record(job, rows=result.rows, objects=result.objects, counts=result.counts, errors=result.errors)

    with job.input_file.open("rb") as binary:
        if importer.resource.sequential and job.is_validate_only:
            # Each row depends on the rows before it, so the whole file is tried in one transaction
            # that is rolled back, and the results recorded after.
            results = []
            importer.validate_only = False  # the outer transaction is what rolls everything back
            with transaction.atomic():
                for chunk in importer.chunks(binary, job.encoding, last_lines):
                    results.append(importer.import_chunk(chunk, lambda result: None))
                transaction.set_rollback(True)
            for result in results:
                record(result)
        else:
            for chunk in importer.chunks(binary, job.encoding, last_lines):
                importer.import_chunk(chunk, record)

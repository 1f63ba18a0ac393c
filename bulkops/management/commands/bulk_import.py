from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from bulkops.management.base import BulkCommand
from bulkops.models import Job
from bulkops.permissions import can_import
from bulkops.services import JobRefused, job_import_validated, job_submit
from bulkops.worker.workers import worker_alive


class Command(BulkCommand):
    help = (
        "Import a CSV (audio files: a Zip) of one object type as a bulk job, and wait for it; "
        "or, with --from-job ID, import the file a Validate only job checked."
    )

    def add_arguments(self, parser):
        parser.add_argument("object", nargs="?", help="the object, e.g. site, skill-profile, 'Skill Profile'")
        parser.add_argument("file", nargs="?", help="the CSV file to import")
        parser.add_argument("--from-job", type=int, metavar="ID", help="import the file of Validate only job ID")
        parser.add_argument("--validate-only", action="store_true", help="check every row, change nothing")
        parser.add_argument("--encoding", default="utf-8", help="the file's text encoding (default utf-8)")
        parser.add_argument("--no-wait", action="store_true", help="print the job id and return at once")
        parser.add_argument("--user", help="the admin user to record as submitter")

    def handle(self, *args, **options):
        user, name = self.submitter(options["user"])
        try:
            job = self.from_job(options, user, name) if options["from_job"] else self.from_file(options, user, name)
        except JobRefused as refused:
            raise CommandError(str(refused)) from None
        if options["no_wait"]:
            job.refresh_from_db()
            if job.status == Job.Status.NEW and not worker_alive():
                self.stderr.write(
                    _(
                        "No worker is running: job %(id)s waits until one starts (python manage.py qcluster), "
                        "and is failed if none does within %(minutes)s minutes."
                    )
                    % {"id": job.pk, "minutes": settings.BULK_QUEUE_TIMEOUT_SECONDS // 60}
                )
            return
        self.finish(self.wait(job))

    def from_file(self, options, user, name) -> Job:
        if not options["object"] or not options["file"]:
            raise CommandError(_("Name the object and the file to import (or give --from-job ID)."))
        object_type = self.object_type(options["object"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("There is no file '%(path)s'.") % {"path": path})
        operation = Job.Operation.VALIDATE if options["validate_only"] else Job.Operation.IMPORT
        with path.open("rb") as handle:
            job = job_submit(
                object_type=object_type,
                operation=operation,
                user=user,
                submitted_by_name=name,
                upload=File(handle, name=path.name),
                encoding=options["encoding"],
            )
        self.stdout.write(
            _("Job %(id)s: %(operation)s %(object)s from %(file)s")
            % {"id": job.pk, "operation": job.get_operation_display(), "object": object_type.label, "file": path.name}
        )
        return job

    def from_job(self, options, user, name) -> Job:
        if options["object"] or options["file"] or options["validate_only"]:
            raise CommandError(_("--from-job takes the object and the file from that job: give neither."))
        validated = self.job(options["from_job"])
        if user is not None and not can_import(user, self.object_type(validated.object_type)):
            raise CommandError(
                _("%(name)s may not import %(object)s: that needs its add and change permissions.")
                % {"name": name, "object": validated.object_label}
            )
        job = job_import_validated(validated, user=user, submitted_by_name=name)
        self.stdout.write(
            _("Job %(id)s: Import %(object)s from %(file)s, as validated by job %(validated)s")
            % {"id": job.pk, "object": validated.object_label, "file": job.file_name, "validated": validated.pk}
        )
        return job

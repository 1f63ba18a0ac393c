import shutil
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.engine.exports import template_csv
from bulkops.management.base import BulkCommand, count
from bulkops.models import Job
from bulkops.services import JobRefused, job_submit


class Command(BulkCommand):
    help = "Export all records of one object type (a bulk job), or its blank template with --template."

    def add_arguments(self, parser):
        parser.add_argument("object", help="the object, e.g. site, skill-profile, 'Skill Profile'")
        parser.add_argument("--template", action="store_true", help="only the header row, at once")
        parser.add_argument("-o", "--output", help="where to write the file (default: the job's file name)")
        parser.add_argument("--xlsx", action="store_true", help="an Excel workbook (also when FILE ends in .xlsx)")
        parser.add_argument("--user", help="the admin user to record as submitter")

    def handle(self, *args, **options):
        object_type = self.object_type(options["object"])
        if options["template"]:
            if object_type.file_kind != "csv":
                raise CommandError(
                    _("%(object)s files are imported from a Zip; there is no CSV template.")
                    % {"object": object_type.label}
                )
            text = template_csv(object_type)
            if options["output"]:
                Path(options["output"]).write_text(text, encoding="utf-8", newline="")
            else:
                self.stdout.write(text.lstrip("\ufeff"), ending="")
            return
        user, name = self.submitter(options["user"])
        try:
            workbook = options["xlsx"] or (options["output"] or "").lower().endswith(".xlsx")
            job = job_submit(
                object_type=object_type,
                operation=Job.Operation.EXPORT,
                user=user,
                submitted_by_name=name,
                file_format="xlsx" if workbook else "",
            )
        except JobRefused as refused:
            raise CommandError(str(refused)) from None
        job = self.wait(job)
        if job.status == Job.Status.FAILED:
            raise CommandError(_("Job %(id)s failed: %(reason)s") % {"id": job.pk, "reason": job.failure_reason})
        target = Path(options["output"] or Path(job.result_file.name).name)
        with job.result_file.open("rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        records = job.total_rows or 0
        self.stdout.write(
            ngettext(
                "Job %(id)s: exported %(count)s %(object)s record to %(file)s",
                "Job %(id)s: exported %(count)s %(object)s records to %(file)s",
                records,
            )
            % {"id": job.pk, "count": count(records), "object": object_type.label, "file": target}
        )

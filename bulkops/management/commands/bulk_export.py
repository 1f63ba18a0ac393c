import shutil
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.engine.exports import is_workbook_name, template_csv, template_xlsx
from bulkops.engine.package_files import package_template
from bulkops.management.base import BulkCommand, count
from bulkops.models import Job
from bulkops.services import NO_WORKBOOK, JobRefused, job_submit


class Command(BulkCommand):
    help = "Export all records of one object type (a bulk job), or its blank template with --template."

    def add_arguments(self, parser):
        parser.add_argument("object", help="the object, e.g. site, skill-profile, 'Skill Profile'")
        parser.add_argument("--template", action="store_true", help="only the header row, at once")
        parser.add_argument(
            "--xlsx", action="store_true", help="an Excel workbook instead of a CSV (implied by -o FILE.xlsx)"
        )
        parser.add_argument("-o", "--output", help="where to write the file (default: the job's file name)")
        parser.add_argument("--user", help="the admin user to record as submitter")

    def handle(self, *args, **options):
        object_type = self.object_type(options["object"])
        workbook = options["xlsx"] or is_workbook_name(options["output"] or "")
        if options["xlsx"] and options["output"] and not is_workbook_name(options["output"]):
            raise CommandError(_("--xlsx writes an Excel workbook: give -o a file name ending in .xlsx."))
        if options["template"] and object_type.is_package:
            target = Path(options["output"] or f"configuration-template.{'xlsx' if workbook else 'zip'}")
            target.write_bytes(package_template(workbook))
            self.stdout.write(_("Wrote the template of every object to %(file)s") % {"file": target})
            return
        if options["template"]:
            if object_type.file_kind != "csv":
                if workbook:
                    raise CommandError(NO_WORKBOOK.format(object=object_type.label))
                raise CommandError(
                    _("%(object)s files are imported from a Zip; there is no CSV template.")
                    % {"object": object_type.label}
                )
            self.write_template(object_type, options["output"], workbook)
            return
        user, name = self.submitter(options["user"])
        try:
            job = job_submit(
                object_type=object_type,
                operation=Job.Operation.EXPORT,
                user=user,
                submitted_by_name=name,
                file_format="xlsx" if workbook else "csv",
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

    def write_template(self, object_type, output: str | None, workbook: bool) -> None:
        """The header row to output, or to standard output (a workbook, binary, only to a file)."""
        if workbook:
            target = Path(output or f"{object_type.slug}-template.xlsx")
            target.write_bytes(template_xlsx(object_type))
            self.stdout.write(
                _("Wrote the %(object)s template to %(file)s") % {"object": object_type.label, "file": target}
            )
            return
        text = template_csv(object_type)
        if output:
            Path(output).write_text(text, encoding="utf-8", newline="")
        else:
            self.stdout.write(text.lstrip("\ufeff"), ending="")

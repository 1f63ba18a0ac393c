from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.engine.exports import errors_csv
from bulkops.engine.package_files import package_errors
from bulkops.management.base import BulkCommand, count, error_file_name


class Command(BulkCommand):
    help = "Write a job's failed rows as CSV, with an Error Message column, to fix and import again."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, *args, **options):
        job = self.job(options["id"])
        if not job.failed:
            raise CommandError(_("Job %(id)s has no failed rows.") % {"id": job.pk})
        package = job.parts.exists()
        if package and not options["output"]:
            raise CommandError(
                _("Job %(id)s is a package: its error file is a %(file)s; give -o FILE.")
                % {"id": job.pk, "file": error_file_name(job).rpartition(".")[2]}
            )
        if package:
            with Path(options["output"]).open("wb") as out:
                package_errors(job, out)
        elif options["output"]:
            with Path(options["output"]).open("w", encoding="utf-8", newline="") as out:
                out.writelines(errors_csv(job))
            self.stdout.write(
                ngettext(
                    "Wrote %(count)s failed row of job %(id)s to %(file)s",
                    "Wrote %(count)s failed rows of job %(id)s to %(file)s",
                    job.failed,
                )
                % {"count": count(job.failed), "id": job.pk, "file": options["output"]}
            )
        else:
            for part in errors_csv(job):
                self.stdout.write(part.lstrip("\ufeff"), ending="")

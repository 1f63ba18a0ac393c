from pathlib import Path

from django.core.management.base import CommandError

from bulkops.engine.exports import errors_csv
from bulkops.management.base import BulkCommand


class Command(BulkCommand):
    help = "Write a job's failed rows as CSV, with an Error Message column, to fix and import again."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, *args, **options):
        job = self.job(options["id"])
        if not job.failed:
            raise CommandError(f"Job {job.pk} has no failed rows.")
        if options["output"]:
            with Path(options["output"]).open("w", encoding="utf-8", newline="") as out:
                out.writelines(errors_csv(job))
            self.stdout.write(f"Wrote {job.failed:,} failed rows of job {job.pk} to {options['output']}")
        else:
            for part in errors_csv(job):
                self.stdout.write(part.lstrip("\ufeff"), ending="")

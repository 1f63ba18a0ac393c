from pathlib import Path

from django.core.management.base import CommandError
from django.utils.formats import number_format
from django.utils.translation import ngettext

from bulkops.changes import job_changes, unlisted_reason
from bulkops.engine.exports import changes_csv
from bulkops.management.base import BulkCommand


class Command(BulkCommand):
    help = (
        "Write what a job changed (for Validate only: what its file would change) as CSV: "
        "Name, Action, Column, Before, After."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, *args, **options):
        job = self.job(options["id"])
        if unlisted := unlisted_reason(job):
            raise CommandError(unlisted)
        count = job_changes(job).count()
        if options["output"]:
            with Path(options["output"]).open("w", encoding="utf-8", newline="") as out:
                out.writelines(changes_csv(job))
            self.stdout.write(
                ngettext(
                    "Wrote the changes to %(count)s object of job %(id)s to %(file)s",
                    "Wrote the changes to %(count)s objects of job %(id)s to %(file)s",
                    count,
                )
                % {"count": number_format(count, force_grouping=True), "id": job.pk, "file": options["output"]}
            )
        else:
            for part in changes_csv(job):
                self.stdout.write(part.lstrip("\ufeff"), ending="")

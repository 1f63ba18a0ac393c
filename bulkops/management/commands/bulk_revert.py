from django.core.management.base import CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bulkops.management.base import BulkCommand
from bulkops.permissions import can_import
from bulkops.reverts import job_submit_revert, revert_counts
from bulkops.uploads import JobRefused


class Command(BulkCommand):
    help = (
        "Revert an import job as a job of its own: objects it created are deleted, objects it updated "
        "get back the values it replaced; objects changed since fail and are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="the job to revert")
        parser.add_argument("--no-wait", action="store_true", help="print the revert's job id and return at once")
        parser.add_argument("--user", help="the admin user to record as submitter")

    def handle(self, *args, **options):
        target = self.job(options["id"])
        user, name = self.submitter(options["user"])
        if user is not None and not can_import(user, self.object_type(target.object_type)):
            raise CommandError(
                _("%(name)s may not revert %(object)s: that needs its add and change permissions.")
                % {"name": name, "object": target.object_label}
            )
        try:
            job = job_submit_revert(target, user=user, submitted_by_name=name)
        except JobRefused as refused:
            raise CommandError(str(refused)) from None
        counts = revert_counts(target)
        self.stdout.write(
            _("Job %(id)s: revert of job %(target)s (%(object)s): %(restore)s to restore, %(delete)s to delete")
            % {
                "id": job.pk,
                "target": target.pk,
                "object": target.object_label,
                "restore": number_format(counts["restore"], force_grouping=True),
                "delete": number_format(counts["delete"], force_grouping=True),
            }
        )
        if not options["no_wait"]:
            self.finish(self.wait(job))

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from bulkops.management.base import BulkCommand
from bulkops.permissions import can_cancel
from bulkops.services import JobRefused, job_cancel


class Command(BulkCommand):
    help = "Cancel an active bulk job: a New one at once, an In progress one after its current chunk of rows."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--user", help="the admin user cancelling it (their permission is checked)")
        parser.add_argument("--no-wait", action="store_true", help="return at once instead of waiting for the stop")

    def handle(self, *args, **options):
        job = self.job(options["id"])
        user, name = self.submitter(options["user"])
        if user is not None and not can_cancel(user, job):
            raise CommandError(
                _(
                    "%(name)s may not cancel job %(id)s: only its submitter, a superuser or whoever may import "
                    "%(object)s may."
                )
                % {"name": name, "id": job.pk, "object": job.object_label}
            )
        try:
            job = job_cancel(job, by=name)
        except JobRefused as refused:
            raise CommandError(str(refused)) from None
        if job.is_active and not options["no_wait"]:
            self.stdout.write(
                _("Job %(id)s is cancelled; waiting for it to stop after its current rows.") % {"id": job.pk}
            )
            job = self.wait(job)
        if job.is_active:
            self.stdout.write(_("Job %(id)s is cancelled; it stops after the rows it is working on.") % {"id": job.pk})
        else:
            self.stdout.write(
                _("Job %(id)s %(status)s: %(reason)s")
                % {"id": job.pk, "status": job.get_status_display(), "reason": job.failure_reason}
            )

from django.core.management.base import CommandError

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
                f"{name} may not cancel job {job.pk}: only its submitter, a superuser or whoever may import "
                f"{job.object_label} may."
            )
        try:
            job = job_cancel(job, by=name)
        except JobRefused as refused:
            raise CommandError(str(refused)) from None
        if job.is_active and not options["no_wait"]:
            self.stdout.write(f"Job {job.pk} is cancelled; waiting for it to stop after its current rows.")
            job = self.wait(job)
        if job.is_active:
            self.stdout.write(f"Job {job.pk} is cancelled; it stops after the rows it is working on.")
        else:
            self.stdout.write(f"Job {job.pk} {job.get_status_display()}: {job.failure_reason}")

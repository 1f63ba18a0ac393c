"""What the bulk commands share: object lookup, waiting with a progress bar, CommandError for every
problem (exit 1: failed, refused or bad arguments; exit 3: completed with errors)."""

import getpass
import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bulkops.models import Job
from config_objects.registry import UnknownObjectType, object_type

COMPLETED_WITH_ERRORS_EXIT = 3


class BulkCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        raise_command_error = parser.error

        def error(message):
            # SPEC: bad arguments exit with 1, like every other refusal (argparse would use 2).
            if not parser.called_from_command_line:
                raise_command_error(message)
            parser.print_usage(sys.stderr)
            parser.exit(1, f"{parser.prog}: error: {message}\n")

        parser.error = error
        return parser

    def object_type(self, spelling):
        try:
            return object_type(spelling)
        except UnknownObjectType as error:
            raise CommandError(str(error)) from None

    def job(self, job_id) -> Job:
        try:
            return Job.objects.get(pk=job_id)
        except Job.DoesNotExist:
            raise CommandError(f"There is no job {job_id}. `bulk_jobs` lists the jobs.") from None

    def submitter(self, username):
        """The admin user a job is recorded against, and the name shown for it."""
        if not username:
            return None, f"command line ({getpass.getuser()})"
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user '{username}'.") from None
        return user, username

    def wait(self, job: Job, poll: float = 0.5) -> Job:
        """Show progress until the job is no longer New or In progress."""
        waited = 0.0
        hinted = False
        while True:
            job.refresh_from_db()
            if not job.is_active:
                break
            if job.status == Job.Status.NEW and waited > 5 and not hinted:
                self.stderr.write(f"Job {job.pk} is waiting for a worker: is `python manage.py qcluster` running?")
                hinted = True
            self.progress(job)
            time.sleep(poll)
            waited += poll
        self.progress(job, final=True)
        return job

    def progress(self, job: Job, final: bool = False) -> None:
        if job.total_rows:
            share = min(job.done_rows / job.total_rows, 1.0)
            bar = "#" * int(share * 30)
            line = f"\r[{bar:<30}] {job.done_rows:,}/{job.total_rows:,} rows"
        else:
            line = f"\r{job.get_status_display()}..."
        self.stdout.write(line, ending="\n" if final else "")
        self.stdout.flush()

    def summary(self, job: Job) -> str:
        return (
            f"Job {job.pk} {job.get_status_display()}: {job.total_rows or 0:,} rows, {job.created:,} created, "
            f"{job.updated:,} updated, {job.unchanged:,} unchanged, {job.failed:,} failed."
        )

    def finish(self, job: Job) -> None:
        """Report the outcome of a finished job, raising CommandError unless it Completed."""
        if job.status == Job.Status.FAILED:
            raise CommandError(f"Job {job.pk} failed: {job.failure_reason}")
        self.stdout.write(self.summary(job))
        if job.status == Job.Status.COMPLETED_WITH_ERRORS:
            raise CommandError(
                f"{job.failed:,} rows failed. Their error file: python manage.py bulk_errors {job.pk} -o errors.csv",
                returncode=COMPLETED_WITH_ERRORS_EXIT,
            )

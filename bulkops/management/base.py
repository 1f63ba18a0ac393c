"""What the bulk commands share: object lookup, waiting with a progress bar, CommandError for every
problem (exit 1: failed, refused or bad arguments; exit 3: completed with errors)."""

import getpass
import sys
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bulkops.jobs import run_job
from bulkops.models import Job
from bulkops.services import sweep_jobs
from bulkops.worker.liveness import Beating
from bulkops.worker.queue import drop_task
from bulkops.worker.workers import worker_alive
from config_objects.registry import UnknownObjectType, object_type

COMPLETED_WITH_ERRORS_EXIT = 3


class BulkCommand(BaseCommand):
    shown = None

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
        if Job.objects.filter(pk=job_id, active_slot=1).exists():
            sweep_jobs()  # a job whose worker has died is shown Failed, not In progress
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
        """Show progress until the job is no longer New or In progress. With no worker to run it, the
        job runs here, in this process, through the same engine."""
        self.shown = None
        while True:
            job.refresh_from_db()
            if job.status == Job.Status.NEW and not worker_alive():
                self.run_here(job)
                continue
            if job.is_active and sweep_jobs():
                continue
            if not job.is_active:
                break
            self.progress(job)
            time.sleep(poll)
        self.progress(job, final=True)
        return job

    def run_here(self, job: Job) -> None:
        self.stdout.write(f"No worker is running (python manage.py qcluster), so job {job.pk} runs in this process.")
        drop_task(job.pk)
        with self.progress_thread(job):
            run_job(job.pk)

    @contextmanager
    def progress_thread(self, job: Job):
        """Progress lines while the job runs in this very process."""
        job_id = job.pk
        watching = Beating(lambda: self.progress(Job.objects.get(pk=job_id)), 1, f"bulk-job-{job_id}-progress")
        with watching:
            yield

    def progress(self, job: Job, final: bool = False) -> None:
        if job.total_rows:
            share = min(job.done_rows / job.total_rows, 1.0)
            count = f"{job.done_rows:,}/{job.total_rows:,} rows"
            line = f"[{'#' * int(share * 30):<30}] {count}"
        else:
            count, line = "", f"{job.get_status_display()}..."
        if self.stdout.isatty():
            self.stdout.write("\r" + line, ending="\n" if final else "")
            self.stdout.flush()
            return
        # Not a terminal (a log, a pipe): one line per change, never a stream of repeats.
        state = (job.get_status_display(), count)
        if state != self.shown:
            self.shown = state
            self.stdout.write(f"Job {job.pk}: {state[0]}" + (f", {count}" if count else ""))

    def summary(self, job: Job) -> str:
        return (
            f"Job {job.pk} {job.get_status_display()}: {job.total_rows or 0:,} rows, {job.created:,} created, "
            f"{job.updated:,} updated, {job.unchanged:,} unchanged, "
            + (f"{job.deleted:,} deleted, " if job.operation == Job.Operation.REVERT else "")
            + f"{job.failed:,} failed."
        )

    def finish(self, job: Job) -> None:
        """Report the outcome of a finished job, raising CommandError unless it Completed."""
        if job.status == Job.Status.FAILED:
            raise CommandError(f"Job {job.pk} failed: {job.failure_reason}")
        self.stdout.write(self.summary(job))
        if job.is_validate_only:
            self.stdout.write(
                f"Nothing was changed. The changes this file would make: python manage.py bulk_changes {job.pk}; "
                f"to import it: python manage.py bulk_import --from-job {job.pk}"
            )
        if job.status == Job.Status.COMPLETED_WITH_ERRORS:
            raise CommandError(
                f"{job.failed:,} rows failed. Their error file: python manage.py bulk_errors {job.pk} -o errors.csv",
                returncode=COMPLETED_WITH_ERRORS_EXIT,
            )

"""What the bulk commands share: object lookup, waiting with a progress bar, CommandError for every
problem (exit 1: failed, refused or bad arguments; exit 3: completed with errors). On the command
line a problem is printed as its message alone (no "CommandError:"), and a job that completed with
errors is a result: its summary is printed, and the exit status (3) says the rest."""

import getpass
import logging
import sys
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.jobs import run_job
from bulkops.models import Job
from bulkops.services import sweep_jobs
from bulkops.worker.liveness import Beating
from bulkops.worker.queue import JOB_ENDED_CHANNEL, drop_task, woken_by
from bulkops.worker.workers import worker_alive
from config_objects.registry import UnknownObjectType, object_type

COMPLETED_WITH_ERRORS_EXIT = 3
# django-q2 logs "Enqueued [contactcenter] 12" at INFO for every job a command submits.
TASK_QUEUE_LOGGER = "django-q"


def count(value) -> str:
    """A whole number with thousands separators, in the default language's style."""
    return number_format(value, force_grouping=True)


def counts_text(job: Job, counted) -> str:
    """ "4 rows, 2 created, 0 updated, 0 unchanged, 2 failed": of a job, or of one object of a package."""
    rows = counted.total_rows or 0
    parts = [
        ngettext("%(count)s row", "%(count)s rows", rows) % {"count": count(rows)},
        (_("would create %(count)s") if job.is_validate_only else _("%(count)s created"))
        % {"count": count(counted.created)},
        (_("would update %(count)s") if job.is_validate_only else _("%(count)s updated"))
        % {"count": count(counted.updated)},
        _("%(count)s unchanged") % {"count": count(counted.unchanged)},
    ]
    if job.operation == Job.Operation.REVERT:
        parts.append(_("%(count)s deleted") % {"count": count(counted.deleted)})
    parts.append(_("%(count)s failed") % {"count": count(counted.failed)})
    return ", ".join(parts)


def error_file_name(job: Job) -> str:
    """What bulk_errors is told to write: a package's error file has the package's shape."""
    if not job.parts.exists():
        return "errors.csv"
    return "errors.xlsx" if job.file_name.lower().endswith(".xlsx") else "errors.zip"


class CompletedWithErrors(CommandError):
    """The job ran and some rows failed: exit 3. Its summary is already on standard output."""

    def __init__(self, message):
        super().__init__(message, returncode=COMPLETED_WITH_ERRORS_EXIT)


class BulkCommand(BaseCommand):
    shown = None

    def execute(self, *args, **options):
        # The project's system checks are of its declarations (manage.py check, migrate and the servers
        # run them): a bulk command, run by scripts and schedules over and over, would spend half a
        # second of its start-up on them each time. --skip-checks is still accepted.
        options["skip_checks"] = True
        queue_log = logging.getLogger(TASK_QUEUE_LOGGER)
        level = queue_log.level
        queue_log.setLevel(max(level, logging.WARNING))  # the task queue's chatter is not the command's output
        try:
            return super().execute(*args, **options)
        except CommandError as problem:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            if not isinstance(problem, CompletedWithErrors):
                self.stderr.write(str(problem))
            sys.exit(problem.returncode)
        finally:
            queue_log.setLevel(level)

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
            raise CommandError(_("There is no job %(id)s. `bulk_jobs` lists the jobs.") % {"id": job_id}) from None

    def submitter(self, username):
        """The admin user a job is recorded against, and the name shown for it."""
        if not username:
            return None, _("command line (%(account)s)") % {"account": getpass.getuser()}
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("There is no user '%(name)s'.") % {"name": username}) from None
        return user, username

    def wait(self, job: Job, poll: float = 0.1) -> Job:
        """Show progress until the job is no longer New or In progress. With no worker to run it, the
        job runs here, in this process, through the same engine. It looks often at first, so that a
        small job is done as soon as it is, then every `poll` seconds: a few queries by primary key,
        and a job of a few seconds is not reported up to half a second late."""
        self.shown, self.shown_at = None, 0.0
        pause = 0.02
        with woken_by(JOB_ENDED_CHANNEL) as wait:  # on PostgreSQL the job's end is told at once
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
                wait(pause)
                pause = min(pause * 2, poll)
        self.progress(job, final=True)
        return job

    def run_here(self, job: Job) -> None:
        self.stdout.write(
            _("No worker is running (python manage.py qcluster), so job %(id)s runs in this process.") % {"id": job.pk}
        )
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
            done = ngettext("%(done)s/%(total)s row", "%(done)s/%(total)s rows", job.total_rows) % {
                "done": count(job.done_rows),
                "total": count(job.total_rows),
            }
            line = f"[{'#' * int(share * 30):<30}] {done}"
        else:
            done, line = "", f"{job.get_status_display()}..."
        if self.stdout.isatty():
            self.stdout.write("\r" + line, ending="\n" if final else "")
            self.stdout.flush()
            return
        # Not a terminal (a log, a pipe): a line per change, at most one a second while the rows
        # count up, never a stream of repeats.
        state = (job.get_status_display(), done)
        counting = self.shown is not None and state[0] == self.shown[0] and not final
        if state != self.shown and not (counting and time.monotonic() - self.shown_at < 1):
            self.shown, self.shown_at = state, time.monotonic()
            self.stdout.write(
                _("Job %(id)s: %(status)s") % {"id": job.pk, "status": state[0]} + (f", {done}" if done else "")
            )

    def summary(self, job: Job) -> str:
        """ "Job 12 Completed with errors: 4 rows, 2 created, 0 updated, 0 unchanged, 2 failed." A
        package's counts follow, one line per object."""
        line = _("Job %(id)s %(status)s: %(counts)s.") % {
            "id": job.pk,
            "status": job.get_status_display(),
            "counts": counts_text(job, job),
        }
        parts = [
            "  "
            + _("%(object)s (%(entry)s): %(counts)s")
            % {
                "object": part.object_label,
                "entry": part.entry,
                "counts": counts_text(job, part),
            }
            for part in job.parts.order_by("position")
        ]
        return "\n".join([line, *parts])

    def finish(self, job: Job) -> None:
        """Report the outcome of a finished job: CommandError (exit 1) when it failed, its summary and
        CompletedWithErrors (exit 3) when some rows failed, its summary alone when it Completed."""
        if job.status == Job.Status.FAILED:
            raise CommandError(_("Job %(id)s failed: %(reason)s") % {"id": job.pk, "reason": job.failure_reason})
        self.stdout.write(self.summary(job))
        if job.is_validate_only:
            self.stdout.write(
                _(
                    "Nothing was changed. The changes this file would make: python manage.py bulk_changes %(id)s; "
                    "to import it: python manage.py bulk_import --from-job %(id)s"
                )
                % {"id": job.pk}
            )
        if job.status == Job.Status.COMPLETED_WITH_ERRORS:
            failed = ngettext(
                "%(count)s row failed. Its error file: python manage.py bulk_errors %(id)s -o %(file)s",
                "%(count)s rows failed. Their error file: python manage.py bulk_errors %(id)s -o %(file)s",
                job.failed,
            ) % {"count": count(job.failed), "id": job.pk, "file": error_file_name(job)}
            self.stdout.write(failed)
            raise CompletedWithErrors(failed)

from django.utils.translation import gettext as _

from bulkops.management.base import BulkCommand, count
from bulkops.models import Job
from bulkops.services import sweep_jobs


class Command(BulkCommand):
    help = "List bulk jobs, newest first."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20, help="how many (default 20)")
        parser.add_argument("--status", choices=Job.Status.values, help="only jobs with this status")

    def handle(self, *args, **options):
        sweep_jobs()
        jobs = Job.objects.all()
        if options["status"]:
            jobs = jobs.filter(status=options["status"])
        rows = [
            (
                _("ID"),
                _("Submitted"),
                _("By"),
                _("Operation"),
                _("Object"),
                _("Status"),
                _("Rows"),
                _("Failed"),
                _("File"),
            )
        ]
        for job in jobs[: options["limit"]]:
            rows.append(
                (
                    str(job.pk),
                    job.submitted_at.strftime("%Y-%m-%d %H:%M"),
                    job.submitted_by_name,
                    str(job.get_operation_display()),
                    str(job.object_label),
                    str(job.get_status_display()),
                    f"{count(job.done_rows)}/{count(job.total_rows)}" if job.total_rows is not None else "",
                    count(job.failed),
                    job.file_name,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())

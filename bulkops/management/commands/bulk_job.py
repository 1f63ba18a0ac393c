from django.utils import timezone

from bulkops.management.base import BulkCommand


def when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


class Command(BulkCommand):
    help = "Show one bulk job: status, counts, times, files."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)

    def handle(self, *args, **options):
        job = self.job(options["id"])
        total = "-" if job.total_rows is None else f"{job.total_rows:,}"
        lines = [
            ("Job", str(job.pk)),
            ("Object", job.object_label),
            ("Operation", job.get_operation_display()),
            ("Status", job.get_status_display()),
            ("File", job.file_name),
            ("Submitted by", f"{job.submitted_by_name} at {when(job.submitted_at)}"),
            ("Started", when(job.started_at)),
            ("Finished", when(job.finished_at)),
            ("Rows", f"{job.done_rows:,} of {total} done"),
            ("Created", f"{job.created:,}"),
            ("Updated", f"{job.updated:,}"),
            ("Unchanged", f"{job.unchanged:,}"),
            ("Deleted", f"{job.deleted:,}"),
            ("Failed", f"{job.failed:,}"),
            ("Objects", f"{job.objects_count:,}"),
        ]
        if job.failure_reason:
            lines.append(("Reason", job.failure_reason))
        if job.result_file:
            lines.append(
                ("Result file", f"python manage.py bulk_export ... wrote it; stored as {job.result_file.name}")
            )
        if job.reverts_id:
            lines.append(("Reverts", f"job {job.reverts_id}"))
        reverted = job.reverted_by.exclude(status=job.Status.FAILED).order_by("pk").first()
        if reverted is not None:
            lines.append(("Reverted by", f"job {reverted.pk} ({reverted.get_status_display()})"))
        if job.failed:
            lines.append(("Errors", f"python manage.py bulk_errors {job.pk} -o errors.csv"))
        if job.operation != job.Operation.EXPORT and job.changes.exists():
            lines.append(("Changes", f"python manage.py bulk_changes {job.pk} -o changes.csv"))
        for label, value in lines:
            self.stdout.write(f"{label + ':':<14}{value}")

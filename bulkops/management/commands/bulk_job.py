from django.utils import timezone
from django.utils.translation import gettext as _

from bulkops.changes import job_changes
from bulkops.management.base import BulkCommand, count, counts_text, error_file_name


def when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


class Command(BulkCommand):
    help = "Show one bulk job: status, counts, times, files."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)

    def rows(self, job) -> str:
        if job.total_rows is not None:
            return _("%(done)s of %(total)s done") % {"done": count(job.done_rows), "total": count(job.total_rows)}
        if job.is_active:
            return _("%(done)s done; the total is not known yet") % {"done": count(job.done_rows)}
        return _("none: the job ended before it had read the file")

    def handle(self, *args, **options):
        job = self.job(options["id"])
        lines = [
            (_("Job"), str(job.pk)),
            (_("Object"), job.object_label),
            (_("Operation"), job.get_operation_display()),
            (_("Status"), job.get_status_display()),
            (_("File"), job.file_name),
            (
                _("Submitted by"),
                _("%(who)s at %(when)s") % {"who": job.submitted_by_name, "when": when(job.submitted_at)},
            ),
            (_("Started"), when(job.started_at)),
            (_("Finished"), when(job.finished_at)),
            (_("Rows"), self.rows(job)),
            (_("Would create") if job.is_validate_only else _("Created"), count(job.created)),
            (_("Would update") if job.is_validate_only else _("Updated"), count(job.updated)),
            (_("Unchanged"), count(job.unchanged)),
            (_("Deleted"), count(job.deleted)),
            (_("Failed"), count(job.failed)),
        ]
        kind = self.object_type(job.object_type)
        if kind.is_package:
            lines += [(part.object_label, f"{part.entry}: {counts_text(job, part)}") for part in job.parts.all()]
        elif kind.resource().children is not None:
            # Only objects written over several rows (a skill profile's skills) count differently.
            lines.append((_("Objects"), count(job.objects_count)))
        if job.failure_reason:
            lines.append((_("Reason"), job.failure_reason))
        if job.result_file:
            lines.append(
                (
                    _("Result file"),
                    _("python manage.py bulk_export ... wrote it; stored as %(name)s") % {"name": job.result_file.name},
                )
            )
        if job.reverts_id:
            lines.append((_("Reverts"), _("job %(id)s") % {"id": job.reverts_id}))
        reverted = job.reverted_by.exclude(status=job.Status.FAILED).order_by("pk").first()
        if reverted is not None:
            lines.append(
                (
                    _("Reverted by"),
                    _("job %(id)s (%(status)s)") % {"id": reverted.pk, "status": reverted.get_status_display()},
                )
            )
        if job.failed:
            lines.append((_("Errors"), f"python manage.py bulk_errors {job.pk} -o {error_file_name(job)}"))
        if job_changes(job).exists():
            lines.append((_("Changes"), f"python manage.py bulk_changes {job.pk} -o changes.csv"))
        width = max(len(label) for label, _value in lines) + 2
        for label, value in lines:
            self.stdout.write(f"{label + ':':<{width}}{value}")

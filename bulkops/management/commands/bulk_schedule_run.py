from django.core.management.base import CommandError

from bulkops.management.base import BulkCommand
from bulkops.models import ScheduledImport
from bulkops.schedules import owner_refusal, run_scheduled_import


class Command(BulkCommand):
    help = "Run a scheduled import now: submit the new files of its folder as jobs."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the scheduled import's name")
        parser.add_argument("--user", help="the admin user running it (their import permission is checked)")

    def handle(self, *args, **options):
        scheduled = ScheduledImport.objects.filter(name=options["name"]).first()
        if scheduled is None:
            known = ", ".join(ScheduledImport.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"There is no scheduled import '{options['name']}' (there are: {known}).")
        if not scheduled.enabled:
            raise CommandError(f"Scheduled import '{scheduled.name}' is disabled; enable it in the admin first.")
        user, _ = self.submitter(options["user"])
        refusal = (
            (owner_refusal(scheduled, user) if user else "")
            or scheduled.folder_problem()
            or owner_refusal(scheduled, scheduled.owner)
        )
        if refusal:
            raise CommandError(refusal)
        self.stdout.write(f"{scheduled.name}: {run_scheduled_import(scheduled.pk)}")

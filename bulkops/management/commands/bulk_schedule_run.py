from django.core.management.base import CommandError
from django.utils.translation import gettext as _

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
            known = ", ".join(ScheduledImport.objects.values_list("name", flat=True)) or _("none yet")
            raise CommandError(
                _("There is no scheduled import '%(name)s' (there are: %(known)s).")
                % {"name": options["name"], "known": known}
            )
        if not scheduled.enabled:
            raise CommandError(
                _("Scheduled import '%(name)s' is disabled; enable it in the admin first.") % {"name": scheduled.name}
            )
        user, _name = self.submitter(options["user"])
        refusal = (
            (owner_refusal(scheduled, user) if user else "")
            or scheduled.folder_problem()
            or owner_refusal(scheduled, scheduled.owner)
        )
        if refusal:
            raise CommandError(refusal)
        self.stdout.write(f"{scheduled.name}: {run_scheduled_import(scheduled.pk)}")

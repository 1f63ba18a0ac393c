"""Delete change history older than N days (SPEC section 8), keeping each existing object's latest
record, so its History still shows its current state and a revert still knows who changed it last.

A job's changes are its historical records (bulkops.changes): a job that loses any of them to the
prune no longer lists its changes and can no longer be reverted, rather than showing a part of them.
A Validate only job's changes are not history (nothing was changed) and stay, as do those of jobs
recorded before history held the rows an update replaced (their own JobChange rows)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, FileField, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.models import Job, JobChange
from config_objects.history import history_model
from config_objects.registry import OBJECT_TYPES


class Command(BaseCommand):
    help = (
        "Delete historical records older than N days from every object's history, keeping the most "
        "recent record of each object that still exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True, help="keep the last N days (N >= 1)")

    def handle(self, *args, **options):
        days = options["days"]
        if days is None or days < 1:
            raise CommandError(_("--days must be 1 or more, not %(days)s.") % {"days": days})
        cutoff = timezone.now() - timedelta(days=days)
        total = marked = 0
        for object_type in OBJECT_TYPES:
            historical = history_model(object_type.model)
            if historical is None:
                continue
            removed, jobs = prune(object_type.model, historical, cutoff)
            total += removed
            marked += jobs
            self.stdout.write(
                _("%(object)s: %(count)s removed")
                % {"object": object_type.label, "count": number_format(removed, force_grouping=True)}
            )
        self.stdout.write(
            ngettext(
                "Removed %(count)s historical record older than %(days)s days.",
                "Removed %(count)s historical records older than %(days)s days.",
                total,
            )
            % {"count": number_format(total, force_grouping=True), "days": days}
        )
        if marked:
            self.stdout.write(
                ngettext(
                    "%(count)s job no longer lists its changes and can no longer be reverted.",
                    "%(count)s jobs no longer list their changes and can no longer be reverted.",
                    marked,
                )
                % {"count": number_format(marked, force_grouping=True)}
            )


def prune(model, historical, cutoff) -> tuple[int, int]:
    """Delete the model's records older than cutoff but the latest of each object, and mark the jobs
    that wrote any of them: (records deleted, jobs marked)."""
    pk = model._meta.pk.attname
    latest = historical.objects.filter(**{pk: OuterRef(pk)}).order_by("-history_date", "-history_id")
    live = model._default_manager.values(model._meta.pk.name)
    kept = historical.objects.filter(**{f"{pk}__in": live}, history_id=Subquery(latest.values("history_id")[:1]))
    kept = kept.values("history_id")
    doomed = historical.objects.filter(history_date__lt=cutoff).exclude(history_id__in=kept)
    files = [f.attname for f in model._meta.concrete_fields if isinstance(f, FileField)]
    with transaction.atomic():
        named = {name for field in files for name in doomed.values_list(field, flat=True) if name}
        ids, jobs = [], set()
        for history_id, job_id in doomed.values_list("history_id", "job_id").iterator(chunk_size=5000):
            ids.append(history_id)
            jobs.add(job_id)
        for start in range(0, len(ids), 500):
            historical.objects.filter(history_id__in=ids[start : start + 500]).delete()
        # A job whose changes are JobChange rows (recorded before history held them) keeps them.
        listed_apart = JobChange.objects.filter(job=OuterRef("pk"))
        jobs = Job.objects.filter(pk__in=jobs - {None}, changes_pruned_at__isnull=True).exclude(Exists(listed_apart))
        marked = jobs.update(changes_pruned_at=timezone.now())
    for field in files:
        forget_files(model, historical, field, named)
    return len(ids), marked


def forget_files(model, historical, field, names) -> None:
    """Delete the stored files only pruned records referenced: no object nor remaining record has them."""
    if not names:
        return
    names = sorted(names)
    used = set()
    for start in range(0, len(names), 500):
        part = names[start : start + 500]
        used |= set(model._default_manager.filter(**{f"{field}__in": part}).values_list(field, flat=True))
        used |= set(historical.objects.filter(**{f"{field}__in": part}).values_list(field, flat=True))
    storage = model._meta.get_field(field).storage
    for name in names:
        if name not in used and storage.exists(name):
            storage.delete(name)

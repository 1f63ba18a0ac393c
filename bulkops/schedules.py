"""Scheduled imports: a django-q2 schedule per ScheduledImport, and the run it calls, which submits
the folder's new files as ordinary jobs (oldest first) and moves each submitted file to processed/."""

import logging
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from bulkops.models import ScheduledImport
from bulkops.permissions import can_import
from bulkops.services import AnotherJobActive, JobRefused, job_submit
from bulkops.uploads import SUFFIXES
from config_objects.registry import object_type

log = logging.getLogger(__name__)
RUN_FUNCTION = "bulkops.schedules.run_scheduled_import"


def schedule_sync(scheduled: ScheduledImport) -> None:
    """Create, update or remove the django-q2 schedule that runs `scheduled` (called on save)."""
    if not scheduled.enabled:
        if scheduled.schedule_id:
            Schedule.objects.filter(pk=scheduled.schedule_id).delete()
            ScheduledImport.objects.filter(pk=scheduled.pk).update(schedule=None)
            scheduled.schedule = None
        return
    schedule = scheduled.schedule or Schedule(func=RUN_FUNCTION, repeats=-1)
    schedule.name = f"Scheduled import {scheduled.pk}: {scheduled.name}"[:100]
    schedule.kwargs = f"scheduled_import_id={scheduled.pk}"
    if scheduled.cron:
        schedule.schedule_type, schedule.cron, schedule.minutes = Schedule.CRON, scheduled.cron, None
    else:
        schedule.schedule_type, schedule.cron, schedule.minutes = Schedule.MINUTES, None, scheduled.every_minutes
    changed_timing = (
        schedule.pk is None
        or Schedule.objects.filter(
            pk=schedule.pk, schedule_type=schedule.schedule_type, cron=schedule.cron, minutes=schedule.minutes
        ).exists()
        is False
    )
    if changed_timing:
        schedule.next_run = schedule.calculate_next_run(timezone.now()) if scheduled.cron else timezone.now()
    schedule.save()
    if scheduled.schedule_id != schedule.pk:
        ScheduledImport.objects.filter(pk=scheduled.pk).update(schedule=schedule)
        scheduled.schedule = schedule


def schedule_remove(scheduled: ScheduledImport) -> None:
    if scheduled.schedule_id:
        Schedule.objects.filter(pk=scheduled.schedule_id).delete()


def new_files(scheduled: ScheduledImport) -> list[str]:
    """Files waiting in the folder, oldest first (sub-folders, processed/ among them, are not read)."""
    suffixes = SUFFIXES[object_type(scheduled.object_type).file_kind]
    try:
        _, names = default_storage.listdir(scheduled.storage_folder)
    except FileNotFoundError:
        return []
    paths = [f"{scheduled.storage_folder}/{name}" for name in names if name.lower().endswith(suffixes)]
    return sorted(paths, key=lambda path: (default_storage.get_modified_time(path), path))


def move_aside(scheduled: ScheduledImport, path: str) -> str:
    """Move a submitted file to processed/, stamped, so no later run sees it again."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = f"{scheduled.processed_folder}/{stamp}-{PurePosixPath(path).name}"
    with default_storage.open(path, "rb") as source:
        saved = default_storage.save(target, source)
    default_storage.delete(path)
    return saved


def owner_refusal(scheduled: ScheduledImport, user) -> str:
    """Why `user` may not save or run this schedule ('' if they may): it needs the same import
    permission on its object as a manual import. A scheduled run is on behalf of the schedule's owner
    (whoever saved it last), so a schedule without one does not run."""
    if user is None:
        return (
            f"Scheduled import '{scheduled.name}' has no owner (it was never saved in the admin, or its owner's "
            "login was deleted), so it does not run. Save it in the admin to become its owner."
        )
    object_type_ = object_type(scheduled.object_type)
    if can_import(user, object_type_):
        return ""
    return (
        f"{user.get_username()} may not import {object_type_.label} (that needs its add and change permissions), "
        f"so scheduled import '{scheduled.name}' does not run for them."
    )


def run_scheduled_import(scheduled_import_id: int) -> str:
    """One run: submit each new file as a job until the folder is empty or a job is active.

    The row lock makes overlapping runs of one schedule take turns, so a file is never submitted
    twice: the second run finds it already moved."""
    with transaction.atomic():
        scheduled = ScheduledImport.objects.select_for_update().filter(pk=scheduled_import_id).first()
        if scheduled is None or not scheduled.enabled:
            return "not enabled"
        refusal = scheduled.folder_problem() or owner_refusal(scheduled, scheduled.owner)
        if refusal:
            ScheduledImport.objects.filter(pk=scheduled.pk).update(last_run_at=timezone.now(), last_result=refusal)
            log.warning("Scheduled import %s: %s", scheduled.pk, refusal)
            return refusal
        submitted, result = [], ""
        for path in new_files(scheduled):
            try:
                with default_storage.open(path, "rb") as upload:
                    job = job_submit(
                        object_type=object_type(scheduled.object_type),
                        operation="import",
                        user=scheduled.owner,
                        submitted_by_name=scheduled.operator,
                        upload=upload,
                        scheduled_import=scheduled,
                    )
            except AnotherJobActive as refused:
                result = f"Waiting for the next run: {refused}"
                break
            except JobRefused as refused:
                # A file that can never be imported (too large, say) is moved aside with a note.
                moved = move_aside(scheduled, path)
                result = f"Refused {PurePosixPath(path).name}: {refused} (moved to {moved})"
                log.warning(result)
                continue
            move_aside(scheduled, path)
            submitted.append(f"{PurePosixPath(path).name} as job {job.pk}")
        summary = "Submitted " + ", ".join(submitted) if submitted else "No new files"
        scheduled.last_run_at = timezone.now()
        scheduled.last_result = f"{summary}. {result}".strip() if result else summary + "."
        ScheduledImport.objects.filter(pk=scheduled.pk).update(
            last_run_at=scheduled.last_run_at, last_result=scheduled.last_result
        )
    return scheduled.last_result


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_sync(instance)


def _deleted(sender, instance, **kwargs):
    schedule_remove(instance)


def connect_signals() -> None:
    """The django-q2 schedule follows its ScheduledImport through every path that saves or deletes it."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_saved, sender=ScheduledImport, dispatch_uid="bulkops-schedule-sync")
    post_delete.connect(_deleted, sender=ScheduledImport, dispatch_uid="bulkops-schedule-remove")

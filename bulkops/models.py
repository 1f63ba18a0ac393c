"""Bulk jobs and the rows that failed in them.

A job's status changes only through bulkops.services (job_* functions); the database holds the rule
"only one active job": active_slot is 1 exactly while a job is New or In progress, and unique."""

import re

from django.conf import settings
from django.db import models

from config_objects.registry import object_type, validate_object_type

SAFE_FOLDER = re.compile(r"[\w .-]+")


class Job(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        COMPLETED_WITH_ERRORS = "completed_with_errors", "Completed with errors"
        FAILED = "failed", "Failed"

    class Operation(models.TextChoices):
        IMPORT = "import", "Import"
        EXPORT = "export", "Export"
        VALIDATE = "validate", "Validate only"
        REVERT = "revert", "Revert"

    ACTIVE_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    object_type = models.CharField("object", max_length=40, validators=[validate_object_type])
    operation = models.CharField(max_length=10, choices=Operation.choices)
    status = models.CharField(max_length=25, choices=Status.choices, default=Status.NEW)
    active_slot = models.PositiveSmallIntegerField(null=True, default=1, editable=False, unique=True)
    file_name = models.CharField(max_length=255, blank=True)
    input_file = models.FileField(upload_to="jobs/input/%Y/%m/", blank=True)
    result_file = models.FileField(upload_to="jobs/output/%Y/%m/", blank=True)
    encoding = models.CharField(max_length=40, default="utf-8")
    header = models.JSONField(default=list, blank=True, help_text="The uploaded file's header, as written.")
    delimiter = models.CharField(max_length=1, default=",")

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="bulk_jobs"
    )
    submitted_by_name = models.CharField("submitted by", max_length=150)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(
        max_length=200, blank=True, editable=False, help_text="The process running the job: host:pid:start."
    )
    cancel_requested_by = models.CharField(max_length=150, blank=True, editable=False)

    total_rows = models.PositiveIntegerField(null=True, blank=True)
    done_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0, help_text="Objects a revert deleted (0 for other jobs).")
    failed = models.PositiveIntegerField(default=0)
    objects_count = models.PositiveIntegerField(
        default=0, help_text="Objects the rows described (several rows may make one skill profile)."
    )
    failure_reason = models.TextField(blank=True)
    scheduled_import = models.ForeignKey(
        "ScheduledImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    reverts = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reverted_by",
        help_text="The import job this revert undoes.",
    )

    class Meta:
        verbose_name = "bulk operation"
        verbose_name_plural = "Bulk Operations"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(active_slot=1, status__in=["new", "in_progress"])
                    | models.Q(active_slot__isnull=True) & ~models.Q(status__in=["new", "in_progress"])
                ),
                name="job_active_slot_matches_status",
            ),
            # A job is reverted at most once; a revert that failed (a crash, a cancel) may be run again.
            models.UniqueConstraint(fields=["reverts"], condition=~models.Q(status="failed"), name="job_reverted_once"),
        ]

    def __str__(self) -> str:
        return f"Job {self.pk}: {self.get_operation_display()} {self.object_label}"

    @property
    def object_label(self) -> str:
        return object_type(self.object_type).label

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_validate_only(self) -> bool:
        return self.operation == self.Operation.VALIDATE


class WorkerBeat(models.Model):
    """A worker process's latest sign of life, written on a timer: is any worker there to run a job?"""

    token = models.CharField(max_length=200, primary_key=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.token


class JobError(models.Model):
    """One failed input row: its line, its cells exactly as uploaded, and why it failed."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="errors")
    line = models.PositiveIntegerField()
    cells = models.JSONField(default=list)
    message = models.TextField()

    class Meta:
        ordering = ["job", "line"]
        indexes = [models.Index(fields=["job", "line"])]

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class JobChange(models.Model):
    """One object a job created, updated or deleted (or, for Validate only, would have): its rows as
    an export writes them before and after. A job's list of changes, its change CSV and its revert
    are read from these."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        DELETED = "deleted", "Deleted"

    # Looked up by (job, action, id), whose index serves the job alone too.
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="changes", db_index=False)
    object_pk = models.BigIntegerField(null=True, blank=True)
    name = models.TextField()
    action = models.CharField(max_length=10, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["job", "id"]
        indexes = [models.Index(fields=["job", "action", "id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.name}"


class ScheduledImport(models.Model):
    """A folder in file storage whose new files are imported on a schedule, one job per file."""

    name = models.CharField(max_length=100, unique=True)
    object_type = models.CharField("object", max_length=40, validators=[validate_object_type])
    folder = models.CharField(
        max_length=255,
        help_text="A folder under the watched-folders root of file storage (local disk or S3), e.g. sites.",
    )
    cron = models.CharField(
        "cron expression", max_length=100, blank=True, help_text="When to run, e.g. '*/15 * * * *'; or use Every."
    )
    every_minutes = models.PositiveIntegerField(
        "every (minutes)", null=True, blank=True, help_text="Run every N minutes; or use a cron expression."
    )
    enabled = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="scheduled_imports",
        help_text="Who saved it last: its jobs are submitted as this user, with this user's permissions.",
    )
    last_run_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_result = models.TextField(blank=True, editable=False)
    schedule = models.OneToOneField(
        "django_q.Schedule", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(cron="") & models.Q(every_minutes__isnull=False))
                | (~models.Q(cron="") & models.Q(every_minutes__isnull=True)),
                name="scheduled_import_cron_or_interval",
                violation_error_message="Give a cron expression or Every (minutes): one of the two.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def operator(self) -> str:
        return f"Scheduled: {self.name}"

    def folder_problem(self) -> str:
        parts = self.folder.split("/")
        if self.folder and all(SAFE_FOLDER.fullmatch(part) and part not in (".", "..") for part in parts):
            return ""
        return (
            "Folder must be a relative path of plain names such as sites or sites/daily; it is inside the "
            f"watched-folders root '{settings.SCHEDULED_IMPORTS_ROOT}'."
        )

    @property
    def storage_folder(self) -> str:
        """Where the folder is in file storage: always under SCHEDULED_IMPORTS_ROOT, so a schedule can
        never reach the job, result or audio files."""
        return f"{settings.SCHEDULED_IMPORTS_ROOT}/{self.folder}"

    @property
    def processed_folder(self) -> str:
        return f"{self.storage_folder}/processed"

    def clean(self):
        from croniter import croniter
        from django.core.exceptions import ValidationError

        self.folder = self.folder.strip().strip("/")
        if self.folder_problem():
            raise ValidationError({"folder": self.folder_problem()})
        self.cron = " ".join(self.cron.split())
        if self.cron and not croniter.is_valid(self.cron):
            raise ValidationError({"cron": f"'{self.cron}' is not a valid cron expression (e.g. '*/15 * * * *')."})

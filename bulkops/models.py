"""Bulk jobs and the rows that failed in them.

A job's status changes only through bulkops.services (job_* functions); the database holds the rule
"only one active job": active_slot is 1 exactly while a job is New or In progress, and unique."""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config_objects.registry import object_type, validate_object_type

SAFE_FOLDER = re.compile(r"[\w .-]+")


def default_language() -> str:
    """A new job's language when nobody set one: the site's default (LANGUAGE_CODE)."""
    return settings.LANGUAGE_CODE


class Job(models.Model):
    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("job status", "New")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        COMPLETED_WITH_ERRORS = "completed_with_errors", _("Completed with errors")
        FAILED = "failed", pgettext_lazy("job status", "Failed")

    class Operation(models.TextChoices):
        # Nouns ("Operation: Import", "Job 15: Team, import"): Serbian words them apart from the
        # dialog's buttons of the same English spelling (Uvoz, not Uvezi).
        IMPORT = "import", pgettext_lazy("operation", "Import")
        EXPORT = "export", pgettext_lazy("operation", "Export")
        VALIDATE = "validate", pgettext_lazy("operation", "Validate only")
        REVERT = "revert", pgettext_lazy("operation", "Revert")

    ACTIVE_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    object_type = models.CharField(_("object"), max_length=40, validators=[validate_object_type])
    operation = models.CharField(_("operation"), max_length=10, choices=Operation.choices)
    status = models.CharField(_("status"), max_length=25, choices=Status.choices, default=Status.NEW)
    active_slot = models.PositiveSmallIntegerField(null=True, default=1, editable=False, unique=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/input/%Y/%m/", blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/output/%Y/%m/", blank=True)
    encoding = models.CharField(_("encoding"), max_length=40, default="utf-8")
    header = models.JSONField(
        _("header"), default=list, blank=True, help_text=_("The uploaded file's header, as written.")
    )
    delimiter = models.CharField(_("delimiter"), max_length=1, default=",")
    # Row error messages and the failure reason are written in the submitter's language (SPEC 10).
    language = models.CharField(
        _("language"),
        max_length=15,
        choices=settings.LANGUAGES,
        default=default_language,
        help_text=_("The language of its submitter: its row error messages and failure reason are written in it."),
    )

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bulk_jobs",
        verbose_name=_("submitted by (user)"),
    )
    submitted_by_name = models.CharField(_("submitted by"), max_length=150)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("heartbeat at"), null=True, blank=True)
    worker = models.CharField(
        _("worker"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The process running the job: its own random identity, then host:pid:start:place."),
    )
    key_check = models.CharField(
        _("key check"),
        max_length=16,
        blank=True,
        editable=False,
        help_text=_("A fingerprint of the SECRET_KEY of the host that submitted it (workers must share the key)."),
    )
    cancel_requested_by = models.CharField(_("cancel requested by"), max_length=150, blank=True, editable=False)

    total_rows = models.PositiveIntegerField(_("total rows"), null=True, blank=True)
    done_rows = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deleted = models.PositiveIntegerField(
        _("deleted"), default=0, help_text=_("Objects a revert deleted (0 for other jobs).")
    )
    failed = models.PositiveIntegerField(_("failed"), default=0)
    objects_count = models.PositiveIntegerField(
        _("objects"), default=0, help_text=_("Objects the rows described (several rows may make one skill profile).")
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    scheduled_import = models.ForeignKey(
        "ScheduledImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("scheduled import"),
    )
    reverts = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reverted_by",
        verbose_name=_("reverts"),
        help_text=_("The import job this revert undoes."),
    )
    changes_pruned_at = models.DateTimeField(
        _("changes pruned at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When bulk_history_prune removed history this job wrote: its changes are no longer listed."),
    )

    class Meta:
        verbose_name = _("bulk operation")
        verbose_name_plural = _("Bulk Operations")
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
        return _("Job %(id)s: %(operation)s %(object)s") % {
            "id": self.pk,
            "operation": self.get_operation_display(),
            "object": self.object_label,
        }

    @property
    def object_label(self) -> str:
        return object_type(self.object_type).label

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_validate_only(self) -> bool:
        return self.operation == self.Operation.VALIDATE


class JobPart(models.Model):
    """One object of a package job (SPEC 11): the entry or sheet it came from as uploaded, its header,
    and its own counts (the job's are their sums). Numbered in the order the package imports them."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="parts", verbose_name=_("job"))
    position = models.PositiveSmallIntegerField(_("position"))
    object_type = models.CharField(_("object"), max_length=40, validators=[validate_object_type])
    entry = models.CharField(_("entry"), max_length=255, help_text=_("The file or sheet of the package, as named."))
    header = models.JSONField(_("header"), default=list, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, default=",")
    total_rows = models.PositiveIntegerField(_("total rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    objects_count = models.PositiveIntegerField(_("objects"), default=0)

    class Meta:
        verbose_name = _("package part")
        verbose_name_plural = _("package parts")
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="job_part_position_unique")]

    def __str__(self) -> str:
        return self.entry

    @property
    def object_label(self) -> str:
        return object_type(self.object_type).label


class WorkerBeat(models.Model):
    """A worker process's latest sign of life, written on a timer under its own random identity (the
    token): is any worker there to run a job?"""

    token = models.CharField(_("token"), max_length=200, primary_key=True)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("beat at"), db_index=True)
    key_check = models.CharField(
        _("key check"),
        max_length=16,
        blank=True,
        help_text=_("A fingerprint of the worker's SECRET_KEY: a worker with another key cannot read queued jobs."),
    )

    class Meta:
        verbose_name = _("worker beat")
        verbose_name_plural = _("worker beats")

    def __str__(self) -> str:
        return self.token


class JobError(models.Model):
    """One failed input row: its line, its cells exactly as uploaded, and why it failed."""

    # The (job, line) index serves every look-up by job: no index of its own.
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="errors", verbose_name=_("job"), db_index=False)
    part = models.ForeignKey(
        JobPart, null=True, blank=True, on_delete=models.CASCADE, related_name="errors", verbose_name=_("package part")
    )
    line = models.PositiveIntegerField(_("line"))
    cells = models.JSONField(_("cells"), default=list)
    message = models.TextField(_("error message"))

    class Meta:
        verbose_name = _("failed row")
        verbose_name_plural = _("failed rows")
        ordering = ["job", "line"]
        indexes = [models.Index(fields=["job", "line"])]

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class JobChange(models.Model):
    """One object a Validate only job would create or update, with its rows as an export writes them
    before and after. A real job's changes are its historical records (bulkops.changes reads both);
    these rows are kept for what has no history: a preview, rolled back, an object without history,
    and jobs recorded before history held the rows an update replaced."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        DELETED = "deleted", _("Deleted")

    # Looked up by (job, action, id), whose index serves the job alone too. No constraint in the
    # database: checking it costs a query per row at the commit of every chunk, and a job's changes
    # are only ever written by that job (and deleted with it by Django's cascade).
    job = models.ForeignKey(
        Job,
        on_delete=models.CASCADE,
        related_name="changes",
        db_index=False,
        db_constraint=False,
        verbose_name=_("job"),
    )
    part = models.ForeignKey(
        JobPart,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="changes",
        db_index=False,
        db_constraint=False,
        verbose_name=_("package part"),
    )
    object_pk = models.BigIntegerField(_("object id"), null=True, blank=True)
    name = models.TextField(_("name"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["job", "id"]
        indexes = [models.Index(fields=["job", "action", "id"])]

    def __str__(self) -> str:
        return _("%(action)s %(name)s") % {"action": self.get_action_display(), "name": self.name}


class ScheduledImport(models.Model):
    """A folder in file storage whose new files are imported on a schedule, one job per file."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    object_type = models.CharField(_("object"), max_length=40, validators=[validate_object_type])
    folder = models.CharField(
        _("folder"),
        max_length=255,
        help_text=_("A folder under the watched-folders root of file storage (local disk or S3), e.g. sites."),
    )
    cron = models.CharField(
        _("cron expression"), max_length=100, blank=True, help_text=_("When to run, e.g. '*/15 * * * *'; or use Every.")
    )
    every_minutes = models.PositiveIntegerField(
        _("every (minutes)"), null=True, blank=True, help_text=_("Run every N minutes; or use a cron expression.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="scheduled_imports",
        verbose_name=_("owner"),
        help_text=_("Who saved it last: its jobs are submitted as this user, with this user's permissions."),
    )
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True, editable=False)
    last_result = models.TextField(_("last result"), blank=True, editable=False)
    schedule = models.OneToOneField(
        "django_q.Schedule",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("schedule"),
    )

    class Meta:
        verbose_name = _("scheduled import")
        verbose_name_plural = _("scheduled imports")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(cron="") & models.Q(every_minutes__isnull=False))
                | (~models.Q(cron="") & models.Q(every_minutes__isnull=True)),
                name="scheduled_import_cron_or_interval",
                violation_error_message=_("Give a cron expression or Every (minutes): one of the two."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def operator(self) -> str:
        return _("Scheduled: %(name)s") % {"name": self.name}

    def folder_problem(self) -> str:
        parts = self.folder.split("/")
        if self.folder and all(SAFE_FOLDER.fullmatch(part) and part not in (".", "..") for part in parts):
            return ""
        return _(
            "Folder must be a relative path of plain names such as sites or sites/daily; it is inside the "
            "watched-folders root '%(root)s'."
        ) % {"root": settings.SCHEDULED_IMPORTS_ROOT}

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
            raise ValidationError(
                {"cron": _("'%(cron)s' is not a valid cron expression (e.g. '*/15 * * * *').") % {"cron": self.cron}}
            )

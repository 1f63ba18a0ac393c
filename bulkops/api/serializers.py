"""What the API says about jobs and objects, and what it accepts to start one."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bulkops.changes import unlisted_reason
from bulkops.models import Job, JobPart
from bulkops.permissions import can_download
from bulkops.services import FILE_FORMATS
from bulkops.web.downloads import KINDS
from bulkops.web.wording import progress_text


class JobPartSerializer(serializers.ModelSerializer):
    object = serializers.CharField(source="object_type", help_text=_("The object's slug, e.g. site."))
    object_label = serializers.CharField(read_only=True)

    class Meta:
        model = JobPart
        fields = [
            "object",
            "object_label",
            "entry",
            "total_rows",
            "done_rows",
            "created",
            "updated",
            "unchanged",
            "deleted",
            "failed",
            "objects_count",
        ]
        read_only_fields = fields


class JobSerializer(serializers.ModelSerializer):
    object = serializers.CharField(source="object_type", help_text=_("The object's slug, e.g. site."))
    object_label = serializers.CharField(read_only=True)
    operation_label = serializers.CharField(source="get_operation_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)
    preview = serializers.BooleanField(
        source="is_validate_only",
        read_only=True,
        help_text=_(
            "True for a Validate only job: its created and updated counts are what the file would do; "
            "nothing was applied."
        ),
    )
    progress = serializers.SerializerMethodField(help_text=_("Share of the rows done, 0-100; null before counting."))
    progress_text = serializers.SerializerMethodField(
        help_text=_("Where the job is, in words: waiting (and whether a worker is running to start it), rows done.")
    )
    files = serializers.SerializerMethodField(help_text=_("Download URLs of the job's files that exist."))
    failed_rows_url = serializers.SerializerMethodField(
        help_text=_("The list of its failed rows (line, name, message), a page at a time; null without any.")
    )
    parts = JobPartSerializer(
        many=True,
        read_only=True,
        help_text=_("A configuration package's counts per object, in the order they were imported (empty otherwise)."),
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "object",
            "object_label",
            "operation",
            "operation_label",
            "status",
            "status_label",
            "active",
            "preview",
            "file_name",
            "submitted_by_name",
            "submitted_at",
            "started_at",
            "finished_at",
            "total_rows",
            "done_rows",
            "progress",
            "progress_text",
            "created",
            "updated",
            "unchanged",
            "deleted",
            "failed",
            "objects_count",
            "failure_reason",
            "cancel_requested_by",
            "reverts",
            "files",
            "failed_rows_url",
            "parts",
        ]
        read_only_fields = fields

    def get_progress(self, job) -> float | None:
        if not job.total_rows:
            return 100.0 if job.total_rows == 0 and not job.is_active else None
        return round(100 * min(job.done_rows / job.total_rows, 1), 1)

    def get_progress_text(self, job) -> str:
        return progress_text(job)

    def get_files(self, job) -> dict[str, str]:
        request = self.context["request"]
        if not can_download(request.user, job):
            return {}
        present = {
            "input": bool(job.input_file),
            "errors": job.failed > 0,
            "result": bool(job.result_file),
            "changes": not unlisted_reason(job),
        }
        return {
            kind: request.build_absolute_uri(reverse("api:job-file", args=[job.pk, kind]))
            for kind in KINDS
            if present[kind]
        }

    def get_failed_rows_url(self, job) -> str | None:
        request = self.context["request"]
        if not job.failed or not can_download(request.user, job):
            return None
        return request.build_absolute_uri(reverse("api:job-failed-rows", args=[job.pk]))


class FailedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The row's line in its file."))
    name = serializers.CharField(
        help_text=_(
            "The row's key cell as uploaded (Name, Email, Dialed Number or File Name; a revert's: the object's "
            "Name); empty when the row has none."
        )
    )
    message = serializers.CharField(
        help_text=_("Why the row failed, in the language of the job's submitter (the error file's Error Message).")
    )
    object = serializers.CharField(help_text=_("The object's slug: the job's, or for a package the part's."))
    object_label = serializers.CharField()
    entry = serializers.CharField(
        allow_null=True, help_text=_("A package's file or sheet the row is in, as named; null for other jobs.")
    )


class TrueOrFalse(serializers.BooleanField):
    """true or false, in any letter case (a form field is text: Python's requests sends True); not
    DRF's other spellings (1, yes, on, ...), which the OpenAPI description, a boolean, does not allow."""

    def to_internal_value(self, data):
        word = data.lower() if isinstance(data, str) else data
        if word in (True, "true"):
            return True
        if word in (False, "false"):
            return False
        self.fail("invalid", input=data)


class ImportSerializer(serializers.Serializer):
    object = serializers.CharField(
        help_text=_("The object: its slug (site, skill-profile, ...) or any common spelling.")
    )
    file = serializers.FileField(
        allow_empty_file=True,
        help_text=_("The CSV or Excel workbook (audio files: a Zip) with the object's header row."),
    )
    validate_only = TrueOrFalse(default=False, help_text=_("Check every row and change nothing."))
    # Blank is the default, as a form sends a field left empty.
    encoding = serializers.CharField(
        default="utf-8", allow_blank=True, help_text=_("The file's text encoding (utf-8, cp1252, ...).")
    )


class FileFormatSerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(
        choices=FILE_FORMATS,
        default="csv",
        help_text=_("csv, or xlsx for an Excel workbook of one sheet, every cell a text cell (not for audio files)."),
    )


class ColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    required = serializers.BooleanField(help_text=_("Whether the header must have this column."))


class ObjectSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()
    file_kind = serializers.CharField(
        help_text=_("csv; zip for audio files; package for the whole configuration (a Zip of CSV files or a workbook).")
    )
    key = serializers.CharField(help_text=_("The column that identifies a row: Name, Email or Dialed Number."))
    columns = ColumnSerializer(many=True)
    may_import = serializers.BooleanField()
    may_export = serializers.BooleanField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()

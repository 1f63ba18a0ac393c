"""A job's changes (SPEC section 8), read from where they are kept, for the details page, the change
CSV, the commands and the revert.

An import or a revert keeps its changes once: in the historical records it wrote, each stamped with
the job and carrying the object's rows before and after, in the order they were made. A Validate
only job's records were rolled back with everything else, so its changes are JobChange rows of
their own (as are those of an object without history, and of jobs that ran before history held
the rows before)."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bulkops.models import Job, JobChange, JobPart
from config_objects.history import history_model
from config_objects.registry import object_type

CREATED, UPDATED, DELETED = JobChange.Action.CREATED, JobChange.Action.UPDATED, JobChange.Action.DELETED
ACTION_OF_TYPE = {"+": CREATED, "~": UPDATED, "-": DELETED}
TYPE_OF_ACTION = {action: kind for kind, action in ACTION_OF_TYPE.items()}


@dataclass(frozen=True)
class RecordedChange:
    pk: int  # orders a job's changes as they were made
    object_pk: int | None
    name: str
    action: str
    before: list | None
    after: list | None
    object_type: str = ""  # the object's slug


def kept_in_history(job: Job, part: JobPart | None = None) -> bool:
    """Whether the job's (or its package part's) changes are its historical records: a real import's
    or revert's, of an object that has history."""
    kind = object_type(part.object_type if part is not None else job.object_type)
    return not kind.is_package and not job.is_validate_only and history_model(kind.model) is not None


def job_changes(job: Job):
    """The changes of a job: JobChanges, or for a package PackageChanges over its parts."""
    return PackageChanges(job) if object_type(job.object_type).is_package else JobChanges(job)


def unlisted_reason(job: Job) -> str:
    """Why the job has no list of changes to show or download, or '': an export changes nothing, and
    a job whose history was pruned no longer lists any (not a part of them)."""
    if job.operation == Job.Operation.EXPORT:
        return _("Job %(id)s is an export: it changes nothing.") % {"id": job.pk}
    if job.changes_pruned_at:
        return _(
            "Job %(id)s no longer lists its changes: history it wrote was removed as older than kept on %(date)s."
        ) % {"id": job.pk, "date": date_format(timezone.localtime(job.changes_pruned_at), "SHORT_DATE_FORMAT")}
    return ""


class JobChanges:
    """The changes of one job (or of one object of a package job: its part), oldest first: count them,
    page through them, filter them by action."""

    def __init__(self, job: Job, part: JobPart | None = None):
        self.historical = None
        self.object_type = part.object_type if part is not None else job.object_type
        own = part.changes.all() if part is not None else job.changes.all()
        if job.operation == Job.Operation.EXPORT or job.changes_pruned_at:
            self.source = JobChange.objects.none()
        elif not kept_in_history(job, part) or own.exists():
            self.source = own
        else:
            model = object_type(self.object_type).model
            self.historical = history_model(model)
            self.source = self.historical.objects.filter(job_id=job.pk)
            self.columns = ("history_id", model._meta.pk.attname, model.key_field, "history_type")

    def queryset(self, action: str = "", *, descending: bool = False):
        """The changes as a queryset of tuples for `rows()` (sliceable, countable: a Paginator's)."""
        if self.historical is None:
            found = self.source.filter(action=action) if action else self.source
            found = found.order_by("-id" if descending else "id")
            return found.values_list("id", "object_pk", "name", "action", "before", "after")
        found = self.source.filter(history_type=TYPE_OF_ACTION[action]) if action else self.source
        found = found.order_by("-history_id" if descending else "history_id")
        return found.values_list(*self.columns, "rows_before", "rows")

    def rows(self, tuples) -> list[RecordedChange]:
        return [self.change(values) for values in tuples]

    def change(self, values: tuple) -> RecordedChange:
        if self.historical is None:
            return RecordedChange(*values, object_type=self.object_type)
        pk, object_pk, name, kind, rows_before, rows = values
        if kind == "-":  # a deletion's record holds the rows as they were deleted
            return RecordedChange(pk, object_pk, name, DELETED, rows, None, self.object_type)
        return RecordedChange(pk, object_pk, name, ACTION_OF_TYPE[kind], rows_before, rows, self.object_type)

    def iterator(self, *, descending: bool = False, chunk_size: int = 2000):
        """Every change, read a page of chunk_size at a time, each page whole (by its key, from where
        the page before ended): no read stays open while the caller writes between pages. On SQLite an
        open read pins the moment it began, and a write after another connection's fails at once."""
        key = "id" if self.historical is None else "history_id"
        changes = self.queryset(descending=descending)
        page = list(changes[:chunk_size])
        while page:
            yield from map(self.change, page)
            if len(page) < chunk_size:
                return
            page = list(changes.filter(**{f"{key}__{'lt' if descending else 'gt'}": page[-1][0]})[:chunk_size])

    def counts(self) -> dict[str, int]:
        """{action: how many}, actions with none left out."""
        if self.historical is None:
            return dict(self.source.order_by().values_list("action").annotate(count=Count("pk")))
        counted = self.source.order_by().values_list("history_type").annotate(count=Count("pk"))
        return {ACTION_OF_TYPE[kind]: count for kind, count in counted}

    def count(self) -> int:
        return self.source.count()

    def exists(self) -> bool:
        return self.source.exists()


class PackageChanges:
    """The changes of a package job: those of each of its parts, in the order the parts were imported
    (a revert reads them last part first). The same interface as JobChanges."""

    def __init__(self, job: Job):
        self.parts = [JobChanges(job, part) for part in job.parts.order_by("position")]

    def queryset(self, action: str = "", *, descending: bool = False):
        parts = reversed(self.parts) if descending else self.parts
        return ChainedChanges([(part, part.queryset(action, descending=descending)) for part in parts])

    def rows(self, items) -> list[RecordedChange]:
        return [part.change(values) for part, values in items]

    def iterator(self, *, descending: bool = False, chunk_size: int = 2000):
        for part in reversed(self.parts) if descending else self.parts:
            yield from part.iterator(descending=descending, chunk_size=chunk_size)

    def counts(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for part in self.parts:
            for action, count in part.counts().items():
                total[action] = total.get(action, 0) + count
        return total

    def count(self) -> int:
        return sum(part.count() for part in self.parts)

    def exists(self) -> bool:
        return any(part.exists() for part in self.parts)


class ChainedChanges:
    """The querysets of several parts as one list a Paginator can count and slice: (part, values) items."""

    def __init__(self, pieces: list):
        self.pieces = pieces
        self.counts = None

    def count(self) -> int:
        if self.counts is None:
            self.counts = [queryset.count() for _part, queryset in self.pieces]
        return sum(self.counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        self.count()
        start, stop = window.start or 0, window.stop if window.stop is not None else self.count()
        found, offset = [], 0
        for (part, queryset), size in zip(self.pieces, self.counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                found += [(part, values) for values in queryset[low:high]]
            offset += size
        return found

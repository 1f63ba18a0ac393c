"""Revert (SPEC section 8): undo an import job, object by object, from the changes it recorded.

The job's changes (its historical records, bulkops.changes) are the source of truth, read a chunk
at a time, last first. Each object is compared with
the rows the job left it with: if it is as the job left it, it is put back as it was before (its
rows are written again through the import pipeline, so every rule, child row and list applies) or,
if the job created it, deleted; if it is already as it was before, it counts as unchanged (so a
revert stopped half-way can be run again); otherwise it changed since, and it fails with who
changed what. An object still used by others is not deleted, and says by what.

The check and the write are one step: the chunk's objects are locked before it reads them, until its
transaction ends, so an edit saved meanwhile (an admin's) either committed first and is reported as
a change since the job, or waits for the chunk and is applied after it; it is never written over."""

from itertools import islice

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import (
    CASCADE,
    DO_NOTHING,
    PROTECT,
    RESTRICT,
    ForeignKey,
    ProtectedError,
    Q,
    RestrictedError,
)
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulkops.changes import JobChanges
from bulkops.engine.csvio import Row
from bulkops.engine.pipeline import Importer
from bulkops.engine.recording import CREATED, DELETED, Change
from bulkops.engine.units import FAILED, UNCHANGED, ChunkResult, Unit
from config_objects.columns import CHILD, DELETE
from config_objects.history import bulk_writes, changed_by, latest_record
from config_objects.models.fields import fold
from config_objects.registry import OBJECT_TYPES, object_type
from config_objects.rendering import column_changes, snapshots

HEADER = ["Name"]


def batched(iterable, size: int):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def revert_job(job, progress) -> None:
    changes = JobChanges(job.reverts)
    progress.set_total(changes.count(), header=HEADER)
    revert_changes(job, progress, object_type(job.object_type), changes)


def revert_package(job, progress) -> None:
    """A package job undone object by object, in reverse dependency order (SPEC 11): what used an
    object is put back before the object itself."""
    target = job.reverts
    parts = list(target.parts.order_by("-position"))
    changes = [JobChanges(target, part) for part in parts]
    made = progress.make_parts(
        [(part.object_type, part.entry, HEADER, ",", own.count()) for part, own in zip(parts, changes, strict=True)],
    )
    progress.set_total(sum(part.total_rows for part in made), header=HEADER)
    for part, own, mine in zip(parts, changes, made, strict=True):
        revert_changes(job, progress, object_type(part.object_type), own, mine)


def revert_changes(job, progress, kind, changes: JobChanges, part=None) -> None:
    """Undo these changes of the job's target, last first, a chunk at a time."""
    target = job.reverts
    importer = Importer(kind.resource, job=job)
    importer.prepare({column.column_name for column in importer.resource.columns()})
    # Undone last change first; one object at a time where rows depend on those before them.
    size = 1 if importer.resource.sequential else settings.BULK_CHUNK_ROWS
    line = 0
    with importer.planner.first_lines:
        for chunk in batched(changes.iterator(descending=True, chunk_size=settings.BULK_CHUNK_ROWS), size):
            progress.checkpoint()
            with transaction.atomic():
                result = ChunkReverter(importer, target).revert(chunk, first_line=line + 1)
                progress.record(result, part)
            line += len(chunk)


class ChunkReverter:
    def __init__(self, importer: Importer, target):
        self.importer = importer
        self.resource = importer.resource
        self.model = self.resource.model
        self.target = target
        self.result = ChunkResult()
        self.result.counts[DELETED] = 0

    def revert(self, chunk, *, first_line: int) -> ChunkResult:
        # One transaction from the check to the write (the job's chunk's, or its own when called alone):
        # the locks current_rows takes last until it ends.
        with transaction.atomic(savepoint=False):
            now = self.current_rows(chunk)
            restore, delete = [], []
            for line, change in enumerate(chunk, start=first_line):
                self.result.rows += 1
                self.result.objects += 1
                pk, rows = now.get(change.pk, (None, None))
                if rows == change.before:
                    self.result.counts[UNCHANGED] += 1
                elif rows != change.after:
                    self.fail(line, change.name, self.conflict(change, pk, rows))
                elif change.action == CREATED:
                    delete.append((line, change, pk, rows))
                else:
                    restore.append((line, change))
            self.restore(restore)
            self.delete(delete)
        return self.result

    def current_rows(self, chunk) -> dict:
        """{change pk: (object pk, its rows now)}; an object is found by its primary key, or by its
        name when the change deleted it (a re-created object has a new key).

        The objects are locked first, in one query, until the chunk's transaction ends: what is read
        here is what the chunk writes over. On PostgreSQL an edit that committed before is read here,
        and one saved now waits for the chunk (the row locks); SQLite has no row locks, but the
        chunk's transaction holds the database's write lock from its start (transaction_mode
        IMMEDIATE), so no other write comes between its read and its write."""
        by_key = {fold(change.name): change for change in chunk if change.action == DELETED}
        pks = {change.pk: change.object_pk for change in chunk if change.action != DELETED}
        locked = (
            self.model._default_manager.filter(
                Q(pk__in=[pk for pk in pks.values() if pk is not None]) | Q(match_key__in=by_key)
            )
            .select_for_update()
            .order_by("pk")  # locked in one order by every chunk: no deadlock between two lockers
            .values_list("match_key", "pk")
        )
        found = {key: pk for key, pk in locked if key in by_key}
        pks |= {change.pk: found.get(key) for key, change in by_key.items()}
        rows = snapshots(self.resource, pks.values())
        return {change_pk: (pk, rows.get(pk)) for change_pk, pk in pks.items()}

    def conflict(self, change, pk, rows) -> str:
        job = self.target.pk
        if rows is None:
            return _("Deleted since job %(job)s; there is nothing to revert") % {"job": job}
        record = latest_record(self.model, pk)
        when = _("an unknown time")
        if record:
            when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
        who = changed_by(record)
        if change.after is None:
            return _("Created again since job %(job)s by %(who)s at %(when)s; it is left as it is") % {
                "job": job,
                "who": who,
                "when": when,
            }
        differences = column_changes(self.resource, change.after, rows)
        detail = "; ".join(
            _("%(column)s is now '%(value)s'") % {"column": column, "value": value}
            for column, _before, value in differences[:3]
        )
        return _("Changed since job %(job)s by %(who)s at %(when)s: %(detail)s") % {
            "job": job,
            "who": who,
            "when": when,
            "detail": detail or _("its rows differ"),
        }

    def fail(self, line: int, name: str, message: str) -> None:
        self.result.counts[FAILED] += 1
        self.result.errors.append((line, [name], message))

    def restore(self, pending) -> None:
        if not pending:
            return
        if self.resource.file_kind == "zip":
            self.restore_recordings(pending)
            return
        columns = [column.column_name for column in self.resource.columns()]
        key_index = columns.index(self.resource.key_column().column_name)
        units = {}
        for line, change in pending:
            cells_of_rows = change.before + self.entries_to_remove(change)
            rows = [Row(line, cells, dict(zip(columns, cells, strict=False))) for cells in cells_of_rows]
            units[line] = Unit(fold(change.before[0][key_index]), rows)
        self.importer.planner.plan(list(units.values()))
        self.result.changes += self.importer.write_planned(list(units.values()))
        for (line, change), unit in zip(pending, units.values(), strict=True):
            if unit.failed:
                messages = [message for found in unit.messages.values() for message in found]
                self.fail(line, change.name, "; ".join(dict.fromkeys(messages)))
            else:
                outcome = "created" if unit.is_new else "updated" if unit.changed else UNCHANGED
                self.result.counts[outcome] += 1

    def entries_to_remove(self, change) -> list[list[str]]:
        """Rows that delete the entries the job added: entries merge into what is stored, so the
        rows before alone would keep them (address books, outdial ANIs)."""
        spec = self.resource.children
        if spec is None or spec.key is None or not change.after:
            return []
        columns = self.resource.columns()
        key = next(i for i, c in enumerate(columns) if c.part == CHILD and c.attribute == spec.key)
        delete = next(i for i, c in enumerate(columns) if c.part == DELETE)
        kept = {fold(row[key]) for row in change.before if row[key]}
        removed = []
        for row in change.after:
            if row[key] and fold(row[key]) not in kept:
                cells = list(row)
                cells[delete] = columns[delete].widget.render(True)
                removed.append(cells)
        return removed

    def restore_recordings(self, pending) -> None:
        """Audio files get back the recording they had, which stayed in storage with its history."""
        for line, change in pending:
            name, path = change.before[0][0], change.before[0][1]
            audio = self.model.objects.filter(match_key=fold(name)).first() or self.model(name=name)
            if not path or not default_storage.exists(path):
                self.fail(line, change.name, _("The earlier recording is no longer in file storage"))
                continue
            created = audio.pk is None
            audio.file.name = path
            audio.read_recording(lambda path=path: default_storage.open(path, "rb"), default_storage.size(path))
            with bulk_writes():
                audio.save()
            self.result.changes.append(
                self.importer.recorder.one(audio, created=created, before=None if created else change.after)
            )
            self.result.counts["created" if created else "updated"] += 1

    def delete(self, pending) -> None:
        pending = self.without_kept_rows(pending)
        if not pending:
            return
        values = self.importer.recorder.tracked_rows([pk for _line, _change, pk, _rows in pending])
        try:
            with transaction.atomic(), bulk_writes():
                if not self.delete_unused(list(values)):
                    self.model._default_manager.filter(pk__in=values).delete()
            deleted = pending
        except (ProtectedError, RestrictedError):
            deleted = []
            for item in pending:
                line, change, pk, _rows = item
                try:
                    with transaction.atomic(), bulk_writes():
                        self.model._default_manager.filter(pk=pk).delete()
                    deleted.append(item)
                except (ProtectedError, RestrictedError) as error:
                    self.fail(line, change.name, still_used(error))
        entries = []
        for _line, change, pk, rows in deleted:
            self.result.counts[DELETED] += 1
            self.result.changes.append(Change(pk, change.name, DELETED, rows, None))
            entries.append((values[pk], "-", None, rows))
        self.importer.recorder.write_history(entries)

    def without_kept_rows(self, pending) -> list:
        """The pending deletions but those of rows their model never deletes (a shipped default row),
        each of which fails with the model's reason."""
        if not pending or not hasattr(self.model, "kept_reason"):
            return pending
        objects = self.model._default_manager.in_bulk([pk for _line, _change, pk, _rows in pending])
        kept = {pk: reason for pk, obj in objects.items() if (reason := obj.kept_reason())}
        for line, change, pk, _rows in pending:
            if pk in kept:
                self.fail(line, change.name, _("Not deleted: %(reason)s") % {"reason": kept[pk]})
        return [item for item in pending if item[2] not in kept]

    def delete_unused(self, pks: list) -> bool:
        """On PostgreSQL, delete these objects in one statement if nothing uses them and nothing goes
        with them (no child rows, no lists of their own): Django's delete() would load every object
        and ask each table that may use them, with an IN list of thousands. False: not done here."""
        if connection.vendor != "postgresql":
            return False
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # The relations Django's delete() looks at, hidden ones (related_name="+") included.
            for relation in get_candidate_relations_to_delete(self.model._meta):
                if relation.on_delete is DO_NOTHING:
                    continue  # history rows keep the id of what they recorded
                if relation.on_delete not in (PROTECT, RESTRICT):
                    return False
                user = relation.related_model
                column = quote(relation.field.column)
                cursor.execute(f"SELECT 1 FROM {quote(user._meta.db_table)} WHERE {column} = ANY(%s) LIMIT 1", [pks])
                if cursor.fetchone():
                    return False  # Django's delete() says who uses which
            table, key = quote(self.model._meta.db_table), quote(self.model._meta.pk.column)
            cursor.execute(f"DELETE FROM {table} WHERE {key} = ANY(%s)", [pks])
        return True


def still_used(error) -> str:
    users = list(getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", []))
    owners = list(dict.fromkeys(owner_of(user) for user in users))
    shown = ", ".join(f"{capfirst(owner._meta.verbose_name)} '{owner}'" for owner in owners[:3])
    if len(owners) > 3:
        more = len(owners) - 3
        return ngettext(
            "Not deleted: still used by %(users)s and %(more)s more",
            "Not deleted: still used by %(users)s and %(more)s more",
            more,
        ) % {"users": shown, "more": more}
    return _("Not deleted: still used by %(users)s") % {"users": shown}


def owner_of(row):
    """The bulk object a row that uses another belongs to: the row itself, or the object whose child
    or list row it is (a queue's distribution group, a user's team membership)."""
    bulk_models = {kind.model for kind in OBJECT_TYPES}
    for _step in range(3):
        if type(row) in bulk_models:
            return row
        parent = next(
            (
                field
                for field in row._meta.concrete_fields
                if isinstance(field, ForeignKey) and field.remote_field.on_delete is CASCADE
            ),
            None,
        )
        if parent is None:
            return row
        row = getattr(row, parent.name)
    return row

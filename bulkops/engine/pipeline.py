"""The import engine: one pipeline that drives every object's declared Resource, in four phases.

Read (reading.py): the file is read twice as a stream. The first pass checks it can be read at all
(encoding, CSV syntax, limits), counts its rows and, for objects written over several rows, notes
each object's last line; the second groups rows into units (one object each), a few thousand rows
to a chunk. Then for each chunk, plan (planning.py): resolve every name it references with one
query per referenced model, load its existing objects, build and validate each unit in memory and
decide its outcome; write (writing.py): bulk writes in one transaction, together with the job's
counts and error rows; report (report.py): the chunk's counts and error rows. Validate only is a
mode of the same pipeline: everything runs, and each chunk's transaction is rolled back.
"""

from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connection, transaction

from bulkops.engine.children import Children
from bulkops.engine.overlap import chunk_writes
from bulkops.engine.planning import Planner
from bulkops.engine.reading import FileReader
from bulkops.engine.recording import ChangeRecorder
from bulkops.engine.report import report
from bulkops.engine.stored import RowsAhead, RowsInTurn
from bulkops.engine.units import CREATED, ChunkResult, Unit
from bulkops.engine.writing import DATABASE_REFUSED, Writer
from config_objects.columns import ConfigResource
from config_objects.history import bulk_writes

__all__ = ["DATABASE_REFUSED", "Importer"]


class Importer:
    def __init__(self, resource_class: type[ConfigResource], *, validate_only: bool = False, job=None):
        self.resource = resource_class()
        self.validate_only = validate_only
        self.recorder = ChangeRecorder(
            self.resource,
            job_id=job.pk if job is not None else None,
            user_id=job.submitted_by_id if job is not None else None,
            preview=validate_only,
        )
        self.reader = FileReader(self.resource)
        self.planner: Planner | None = None
        self.writer: Writer | None = None

    def scan(self, binary, encoding: str) -> tuple[list[str], str, int, dict[str, int]]:
        """The first pass: (header, delimiter, row count, last line of each multi-row object)."""
        scanned = self.reader.scan(binary, encoding)
        self.prepare(self.reader.present)
        return scanned

    def prepare(self, present: set[str]) -> None:
        """Plan and write rows that have these columns."""
        children = Children(self.resource, present) if self.resource.children is not None else None
        self.planner = Planner(self.resource, present, children)
        self.writer = Writer(self.resource, children)

    def chunks(self, binary, encoding: str, last_lines: dict[str, int]) -> Iterator[list[Unit]]:
        return self.reader.chunks(binary, encoding, last_lines)

    def write_chunk(self, units: list[Unit], record, rollback: bool | None = None) -> ChunkResult:
        """Write and report a planned chunk; record(result) is called inside the chunk's transaction
        (after it, when the chunk is rolled back)."""
        rollback = self.validate_only if rollback is None else rollback
        with transaction.atomic():
            changes = self.write_planned(units)
            result = report(self.planner, units)
            result.changes = changes
            self.writer.keep_statistics_fresh(result.counts[CREATED])
            if rollback:
                transaction.set_rollback(True)
            else:
                record(result)
        if rollback:
            record(result)
        return result

    def write_planned(self, units: list[Unit]) -> list:
        """Write the planned changes of a chunk in the current transaction, with their history;
        the changes (recording.Change) it made."""
        changing = [unit for unit in units if not unit.failed and unit.changed]
        self.recorder.before(changing)
        with bulk_writes():
            self.writer.write_safely(changing)
        return self.recorder.after(changing)

    def run(self, open_input: Callable, encoding: str, *, on_total, record, between_chunks=iter) -> None:
        """The whole file. on_total(total, header, delimiter) after the first pass; record(result) per
        chunk; between_chunks wraps the chunk iterator (a cancel check, say)."""
        header, delimiter, total, last_lines = self.scan_file(open_input, encoding)
        on_total(total, header, delimiter)
        self.import_file(open_input, encoding, last_lines, record=record, between_chunks=between_chunks)

    def scan_file(self, open_input: Callable, encoding: str) -> tuple[list[str], str, int, dict[str, int]]:
        with open_input() as binary:
            return self.scan(binary, encoding)

    def import_file(
        self, open_input: Callable, encoding: str, last_lines: dict, *, record, between_chunks=iter, rollback=None
    ) -> None:
        """The second pass, after scan_file: every chunk planned, written and recorded. rollback=False
        keeps a Validate only job's chunks for a caller that rolls them back itself (a package's
        preview, where each object sees those before it)."""
        if rollback is None and self.resource.sequential and self.validate_only:
            # Each row depends on the rows before it (moving a default), so the whole file is tried
            # in one transaction that is rolled back, and the results recorded after.
            results = []
            with transaction.atomic():
                self.import_file(
                    open_input,
                    encoding,
                    last_lines,
                    record=results.append,
                    between_chunks=between_chunks,
                    rollback=False,
                )
                transaction.set_rollback(True)
            for result in results:
                record(result)
            return
        self.writer.refresh_stale_statistics()
        overlaps = self.overlaps()
        with (
            self.planner.first_lines,
            open_input() as binary,
            chunk_writes(overlaps) as writes,
            RowsAhead(self.planner.stored) if overlaps else RowsInTurn() as lookups,
        ):
            planned = self.planned(lookups.chunks(self.chunks(binary, encoding, last_lines)), writes)
            for chunk in between_chunks(planned):
                writes.submit(self.write_chunk, chunk, record, rollback)
            if not (self.validate_only if rollback is None else rollback):
                writes.submit(self.writer.leave_statistics_fresh)  # on the connection that wrote

    def planned(self, chunks: Iterator[list[Unit]], writes) -> Iterator[list[Unit]]:
        """Each chunk planned while the one before it is being written, and handed on once that one
        has committed (so a look for a cancel between chunks sees its counts)."""
        for units in chunks:
            self.planner.plan(units)
            self.recorder.render_ahead(units)
            writes.wait()
            yield units

    def overlaps(self) -> bool:
        """Whether chunks are written on a thread of their own while the next is planned (overlap.py):
        on PostgreSQL (SQLite has a single writer), outside any transaction of the caller's (the
        writer's connection would not see its writes), for objects whose rows depend on no row
        before them (nor name objects of their own kind a chunk before may create)."""
        return (
            settings.BULK_OVERLAP
            and connection.vendor == "postgresql"
            and not connection.in_atomic_block
            and not self.resource.sequential
            and not any(
                self.resource.model in getattr(column.widget, "referenced_models", ())
                for column in self.resource.columns()
            )
        )

"""Repeated names in one file, found in bounded memory: the first line of every name seen so far is
kept in a throwaway SQLite file on disk (Python's own sqlite3, apart from the job's database and its
transactions), with a small page cache, so that a file of a million rows costs the worker no more
memory than one of a thousand.

A file in order of its names (an export, a sorted sheet) cannot repeat one while each name is greater
than the one before it: until a name breaks that order, a chunk's names are only appended to a plain
file beside the lookup (marshal, at C speed), and nothing is looked up. The first name out of order
loads them into the lookup, which then answers as for any file."""

import marshal
import sqlite3
import tempfile
from itertools import islice
from operator import lt

# Pages of the lookup file kept in memory, in KiB (SQLite's negative cache_size).
CACHE_KIB = 8 * 1024


class FirstLines:
    """first_lines(chunk) -> for each name of the chunk, the line it first appeared on in the file
    (this chunk or an earlier one). A context manager: the files are removed at the end."""

    def __init__(self):
        self.folder: tempfile.TemporaryDirectory | None = None
        self.db: sqlite3.Connection | None = None
        self.in_order = True  # every name so far greater than the one before it
        self.last_name: str | None = None
        self.in_order_file = None  # the names and lines seen while in order, not yet in the lookup

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.db is not None:
            self.db.close()
        if self.in_order_file is not None:
            self.in_order_file.close()
        if self.folder is not None:
            self.folder.cleanup()
        self.db, self.in_order_file, self.folder = None, None, None

    def path(self, name: str) -> str:
        if self.folder is None:
            self.folder = tempfile.TemporaryDirectory(prefix="bulk-names-")
        return f"{self.folder.name}/{name}"

    def open(self) -> sqlite3.Connection:
        if self.db is None:
            self.db = sqlite3.connect(self.path("names.sqlite3"), isolation_level=None)
            self.db.executescript(
                f"""
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                PRAGMA cache_size = -{CACHE_KIB};
                CREATE TABLE seen (name TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TEMPORARY TABLE chunk (name TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID;
                """
            )
        return self.db

    def __call__(self, names_and_lines: list[tuple[str, int]]) -> dict[str, int]:
        if not names_and_lines:
            return {}
        if self.in_order:
            names = [name for name, _line in names_and_lines]
            if (self.last_name is None or self.last_name < names[0]) and all(map(lt, names, islice(names, 1, None))):
                self.last_name = names[-1]
                if self.in_order_file is None:
                    self.in_order_file = open(self.path("in-order.marshal"), "w+b")  # noqa: SIM115 (closed in __exit__)
                marshal.dump(names_and_lines, self.in_order_file)
                return dict(names_and_lines)
            self.in_order = False
            self.load_in_order()
        chunk: dict[str, int] = {}
        for name, line in names_and_lines:
            chunk.setdefault(name, line)
        db = self.open()
        db.execute("BEGIN")
        changes = db.total_changes
        db.executemany("INSERT OR IGNORE INTO seen (name, line) VALUES (?, ?)", chunk.items())
        if db.total_changes - changes == len(chunk):  # every name is new: the usual chunk
            db.execute("COMMIT")
            return chunk
        # Some names were seen before this chunk: their first lines are the ones stored.
        db.executemany("INSERT INTO chunk (name, line) VALUES (?, ?)", chunk.items())
        first = dict(db.execute("SELECT seen.name, seen.line FROM chunk JOIN seen USING (name)"))
        db.execute("DELETE FROM chunk")
        db.execute("COMMIT")
        return first

    def load_in_order(self) -> None:
        """Put the names seen in order into the lookup (each once: they were all different)."""
        if self.in_order_file is None:
            return
        db = self.open()
        self.in_order_file.seek(0)
        db.execute("BEGIN")
        while True:
            try:
                db.executemany("INSERT INTO seen (name, line) VALUES (?, ?)", marshal.load(self.in_order_file))
            except EOFError:
                break
        db.execute("COMMIT")
        self.in_order_file.close()
        self.in_order_file = None

"""Repeated names in one file, found in bounded memory: the first line of every name seen so far is
kept in a throwaway SQLite file on disk (Python's own sqlite3, apart from the job's database and its
transactions), with a small page cache, so that a file of a million rows costs the worker no more
memory than one of a thousand."""

import sqlite3
import tempfile

# Pages of the lookup file kept in memory, in KiB (SQLite's negative cache_size).
CACHE_KIB = 8 * 1024


class FirstLines:
    """first_lines(chunk) -> for each name of the chunk, the line it first appeared on in the file
    (this chunk or an earlier one). A context manager: the file is removed at the end."""

    def __init__(self):
        self.folder: tempfile.TemporaryDirectory | None = None
        self.db: sqlite3.Connection | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.db is not None:
            self.db.close()
            self.folder.cleanup()
            self.db, self.folder = None, None

    def open(self) -> sqlite3.Connection:
        if self.db is None:
            self.folder = tempfile.TemporaryDirectory(prefix="bulk-names-")
            self.db = sqlite3.connect(f"{self.folder.name}/names.sqlite3", isolation_level=None)
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
        chunk: dict[str, int] = {}
        for name, line in names_and_lines:
            chunk.setdefault(name, line)
        if not chunk:
            return {}
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

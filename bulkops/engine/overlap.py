"""The database and Python at once: while a thread of its own writes chunk N in its transaction (its
objects, their history, the job's counts) on a connection of its own, the job's thread reads and
plans chunk N+1. One chunk is written at a time, in file order, and the next is handed over only once
the one before it has committed, so each chunk stays all or nothing and the job's counts are those of
its committed chunks, exactly as when the chunks are written in turn."""

import contextvars
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection
from django.utils import translation


class InTurn:
    """Each chunk written as soon as it is handed over, in the job's thread."""

    def submit(self, write, *args) -> None:
        write(*args)

    def wait(self) -> None:
        pass

    def close(self) -> None:
        pass


class Overlapped:
    """Each chunk written by one writer thread, while the job's thread goes on to the next."""

    def __init__(self):
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-writer")
        self.pending = None

    def submit(self, write, *args) -> None:
        self.wait()
        # The writer works in the job's context (what a package has seen fail so far) and language (a
        # row's message is worded as the job's submitter reads it): Django keeps the active language
        # per thread, so it is activated there again.
        language = translation.get_language()
        self.pending = self.pool.submit(contextvars.copy_context().run, in_language, language, write, *args)

    def wait(self) -> None:
        """Until the chunk handed over last is committed (or has failed: its error is raised here)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.pool.submit(close_connection).result()
            self.pool.shutdown()


def in_language(language: str | None, write, *args):
    with translation.override(language):
        return write(*args)


def close_connection() -> None:
    """Close the calling thread's connection (each thread has its own)."""
    connection.close()


@contextmanager
def chunk_writes(overlap: bool):
    """InTurn or Overlapped; on leaving, the last chunk handed over has been written (or failed)."""
    writes = Overlapped() if overlap else InTurn()
    try:
        yield writes
    finally:
        writes.close()

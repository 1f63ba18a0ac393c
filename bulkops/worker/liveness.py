"""Is a process alive? Each job records the process running it (host, pid and the process's start
time, so a reused pid is not mistaken for it); on the same host that answers at once. A process on
another host is judged by its heartbeats, which a background thread writes on a timer."""

import logging
import os
import socket
import threading
from pathlib import Path

from django.db import connections

log = logging.getLogger(__name__)
HOST = socket.gethostname()


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) from /proc, or None if there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], fields[19]


def process_token(pid: int | None = None) -> str:
    """'host:pid:start' naming this process (or `pid`) for as long as it lives."""
    pid = pid or os.getpid()
    stat = _stat(pid) if Path("/proc").is_dir() else None
    return f"{HOST}:{pid}:{stat[1] if stat else ''}"


def process_alive(token: str) -> bool | None:
    """True or False for a process of this host; None for one elsewhere (its heartbeats tell)."""
    try:
        host, pid_text, start = token.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != HOST:
        return None
    if not Path("/proc").is_dir():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    stat = _stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return False
    return not start or stat[1] == start


class Beating:
    """Calls beat() every `every` seconds on a daemon thread, from `with` until its end (or for the
    life of the process with start()). A beat that fails is logged and tried again next time."""

    def __init__(self, beat, every: float, name: str):
        self.beat, self.every = beat, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> "Beating":
        self.thread.start()
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=max(self.every, 1) * 2)

    def _run(self):
        try:
            while not self.stopped.wait(self.every):
                try:
                    self.beat()
                except Exception:
                    log.warning(
                        "%s: a heartbeat failed; trying again in %ss", self.thread.name, self.every, exc_info=True
                    )
        finally:
            connections.close_all()  # this thread's own connections

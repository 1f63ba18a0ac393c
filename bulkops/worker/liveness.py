"""Is a process alive? Each worker process takes a random identity of its own when it starts; a job
records the identity of the process running it, and each worker keeps its heartbeat row under it.

A process is judged by its heartbeats, which a background thread writes on a timer. Only a process of
this very machine and process namespace (the same kernel boot and PID namespace, not merely the same
host name: containers often share one) is also checked at once through /proc, by pid and start time,
so that a reused pid is not mistaken for it."""

import hashlib
import logging
import os
import socket
import threading
import uuid
from pathlib import Path

from django.db import connections

log = logging.getLogger(__name__)
HOST = socket.gethostname()
_identity: tuple[int, str] | None = None  # (pid, random id): a forked child takes a new one


def _place() -> str:
    """Where pids mean the same process: this kernel's boot and this PID namespace. Empty where /proc
    cannot tell (then no process is judged at once: heartbeats alone decide)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""
    return hashlib.sha256(f"{boot} {namespace}".encode()).hexdigest()[:12]


PLACE = _place()


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) from /proc, or None if there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], fields[19]


def worker_id() -> str:
    """This process's random identity, made once per process (a forked child makes its own)."""
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:
        _identity = (pid, uuid.uuid4().hex[:16])
    return _identity[1]


def process_token() -> str:
    """'id@host:pid:start:place' naming this process for as long as it lives: its random id first,
    then where it runs (for people reading it, and for the quick check on the same machine)."""
    pid = os.getpid()
    stat = _stat(pid) if PLACE else None
    return f"{worker_id()}@{HOST}:{pid}:{stat[1] if stat else ''}:{PLACE}"


def process_alive(token: str) -> bool | None:
    """True or False for a process of this machine and PID namespace; None for any other process
    (its heartbeats tell), and for a token in an older form that carries no identity."""
    try:
        _id, where = token.split("@", 1)
        _host, pid_text, start, place = where.rsplit(":", 3)
        pid = int(pid_text)
    except ValueError:
        return None
    if not place or place != PLACE or not start:
        return None
    stat = _stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return False
    return stat[1] == start


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

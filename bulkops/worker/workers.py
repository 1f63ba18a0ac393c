"""Workers: the heartbeat each worker process keeps under its own identity, and whether any worker is
alive to run a job."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from bulkops.models import WorkerBeat
from bulkops.worker.liveness import Beating, process_alive, process_token

_watch: Beating | None = None


def key_check() -> str:
    """A fingerprint of this host's SECRET_KEY (not the key): a worker whose key differs cannot read
    the jobs this host queues, and the reason of such a job says so."""
    return salted_hmac("bulkops.worker.key-check", "secret key", algorithm="sha256").hexdigest()[:16]


def worker_beat(token: str) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        token=token,
        defaults={"beat_at": now, "key_check": key_check()},
        create_defaults={"started_at": now, "beat_at": now, "key_check": key_check()},
    )


def watch_tick(token: str) -> None:
    from bulkops.services import sweep_jobs

    worker_beat(token)
    sweep_jobs()


def start_watch() -> None:
    """Beat and sweep now, then every BULK_HEARTBEAT_SECONDS for the life of this process."""
    from bulkops.services import sweep_jobs

    global _watch
    token = process_token()
    worker_beat(token)  # first: a job that waits for a live worker is handed to this one, not failed
    sweep_jobs()
    WorkerBeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
    _watch = Beating(lambda: watch_tick(token), settings.BULK_HEARTBEAT_SECONDS, "bulk-worker-watch").start()


def live_workers() -> list[WorkerBeat]:
    """The worker processes that beat recently and are not known to have ended."""
    recent = timezone.now() - timedelta(seconds=settings.BULK_HEARTBEAT_SECONDS * 3)
    return [beat for beat in WorkerBeat.objects.filter(beat_at__gte=recent) if process_alive(beat.token) is not False]


def worker_alive() -> bool:
    """Is a worker process running that will pick up a queued job?"""
    return bool(live_workers())

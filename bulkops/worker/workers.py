"""Workers: the heartbeat each worker process keeps, and whether any worker is alive to run a job."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from bulkops.models import WorkerBeat
from bulkops.services import sweep_jobs
from bulkops.worker.liveness import Beating, process_alive, process_token

_watch: Beating | None = None


def worker_beat(token: str) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        token=token, defaults={"beat_at": now}, create_defaults={"started_at": now, "beat_at": now}
    )


def watch_tick(token: str) -> None:
    worker_beat(token)
    sweep_jobs()


def start_watch() -> None:
    """Beat and sweep now, then every BULK_HEARTBEAT_SECONDS for the life of this process."""
    global _watch
    token = process_token()
    sweep_jobs()
    worker_beat(token)
    WorkerBeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
    _watch = Beating(lambda: watch_tick(token), settings.BULK_HEARTBEAT_SECONDS, "bulk-worker-watch").start()


def worker_alive() -> bool:
    """Is a worker process running that will pick up a queued job?"""
    recent = timezone.now() - timedelta(seconds=settings.BULK_HEARTBEAT_SECONDS * 3)
    return any(
        process_alive(token) is not False
        for token in WorkerBeat.objects.filter(beat_at__gte=recent).values_list("token", flat=True)
    )

"""The bulk jobs' tasks in django-q2's queue: a table of the project's database (the ORM broker, the
default, through DatabaseBroker below) or a Redis list (REDIS_URL, through redis_broker.RedisBroker).
Every helper here works with either.

A task's payload is signed with SECRET_KEY (django_q.signing.SignedPackage), so its name is only known
after decoding it. The queue holds a handful of tasks at most (one active job at a time), so each
helper reads them all. A payload this host cannot decode (signed by a host with another SECRET_KEY)
is never the task of a job asked about; `undecodable_tasks()` counts them."""

import hashlib
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage

UNDECODABLE = object()
# PostgreSQL's notification channels: a task was queued (for the idle worker), a job has ended (for a
# command that waits for it).
QUEUED_CHANNEL = "bulk_task_queued"
JOB_ENDED_CHANNEL = "bulk_job_ended"


def task_name(job_id: int) -> str:
    return f"bulk-job-{job_id}"


def on_redis() -> bool:
    """Is the queue a Redis list (REDIS_URL) rather than a table of the database?"""
    return not Conf.ORM


def has_task(job_id: int) -> bool:
    """The job's task is in the queue: waiting, or taken by a worker and not yet acknowledged. On Redis
    a taken task counts for BULK_STALE_SECONDS after it was taken (a live worker starts its job within
    moments; one taken longer ago by a worker that never started the job is lost with that worker)."""
    if on_redis():
        waiting, taken = _redis_queue()
        return any(_name(payload) == task_name(job_id) for payload in waiting + _recently(taken))
    return bool(_orm_tasks_of(job_id))


def drop_task(job_id: int) -> None:
    """Remove the job's task from the queue, waiting or taken."""
    if on_redis():
        broker = _redis_broker()
        waiting, taken = _redis_queue()
        ours = {payload for payload in waiting + list(taken) if _name(payload) == task_name(job_id)}
        with broker.connection.pipeline() as pipe:
            for payload in ours:
                pipe.lrem(broker.list_key, 0, payload)
                forget(pipe, broker.list_key, payload)
            pipe.execute()
        return
    OrmQ.objects.using(Conf.ORM).filter(pk__in=[task.pk for task in _orm_tasks_of(job_id)]).delete()


def task_taken_at(job_id: int) -> datetime | None:
    """When a worker's queue reader took the job's task from the queue, if it has not acknowledged it
    since, else None. The ORM broker keeps a taken task, hiding it by moving its lock Q_CLUSTER retry
    seconds past the moment it was taken (a waiting task's lock is when it was queued, or put back:
    never in the future). On Redis a task is popped from the queue's list as a worker takes it (kept
    aside only for has_task, see RedisBroker), and never handed back: always None."""
    if on_redis():
        return None
    now = timezone.now()
    locks = [task.lock for task in _orm_tasks_of(job_id) if task.lock and task.lock > now]
    return min(locks) - timedelta(seconds=Conf.RETRY) if locks else None


def requeue_task(job_id: int) -> bool:
    """Make a taken, unacknowledged task available to any worker again, as enqueueing leaves it (its
    lock now). True when there was one. On Redis a taken task was popped from the queue: nothing is
    put back, False."""
    if on_redis():
        return False
    now = timezone.now()
    taken = [task.pk for task in _orm_tasks_of(job_id) if task.lock and task.lock > now]
    return bool(OrmQ.objects.using(Conf.ORM).filter(pk__in=taken).update(lock=now))


def undecodable_tasks() -> int:
    """How many queued payloads this host cannot read: signed by a host with another SECRET_KEY."""
    payloads = _redis_queue()[0] if on_redis() else [task.payload for task in _orm_tasks()]
    return sum(1 for payload in payloads if _name(payload) is UNDECODABLE)


def _name(payload):
    """The task's name, or UNDECODABLE."""
    try:
        task = SignedPackage.loads(payload)
    except Exception:  # BadSignature (another key), or a pickle this host cannot load: not ours to read
        return UNDECODABLE
    return task.get("name") if isinstance(task, dict) else UNDECODABLE


def _orm_tasks() -> list[OrmQ]:
    return list(OrmQ.objects.using(Conf.ORM).filter(key=Conf.CLUSTER_NAME))


def _orm_tasks_of(job_id: int) -> list[OrmQ]:
    return [task for task in _orm_tasks() if _name(task.payload) == task_name(job_id)]


def notify(channel: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """On PostgreSQL, tell the channel's listeners: delivered as the current transaction commits."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {channel}")


def wait_for_notification(seconds: float, using: str = DEFAULT_DB_ALIAS) -> None:
    """Until a notification of a channel the connection listens to arrives, or `seconds` have passed."""
    connection = connections[using].connection
    if connection is None:  # closed meanwhile (a lost connection): the next one listens to nothing
        time.sleep(seconds)
        return
    for _notification in connection.notifies(timeout=seconds, stop_after=1):
        pass


@contextmanager
def woken_by(channel: str):
    """A pause(seconds) that a notification on the channel cuts short: on PostgreSQL, outside a
    transaction (time.sleep elsewhere)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield time.sleep
        return
    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {channel}")
    try:
        yield wait_for_notification
    finally:
        if connection.connection is not None and connection.is_usable():
            with connection.cursor() as cursor:
                cursor.execute(f"UNLISTEN {channel}")


class DatabaseBroker(ORM):
    """django-q2's database queue (settings.Q_CLUSTER's broker_class without REDIS_URL), told at once
    of a queued task on PostgreSQL. A task is queued with a notification, which PostgreSQL delivers as
    the transaction that queued it commits; between two looks at the table, the worker's queue reader
    waits for one (at most Q_CLUSTER's poll) instead of sleeping, and a submitted job starts within
    milliseconds rather than at the next look. Elsewhere (SQLite), django-q2's own polling."""

    def enqueue(self, task):
        pk = super().enqueue(task)
        notify(QUEUED_CHANNEL, using=Conf.ORM)
        return pk

    def dequeue(self):
        connection = connections[Conf.ORM]
        if connection.vendor != "postgresql" or not transaction.get_autocommit(using=Conf.ORM):
            return super().dequeue()
        queue = self.get_connection()  # first, as each of django-q2's looks: a stale connection closed
        with connection.cursor() as cursor:
            # Listening before the look: a task queued after it is notified on this connection, one
            # queued before it is found by it.
            cursor.execute(f"LISTEN {QUEUED_CHANNEL}")
        waiting = list(queue.filter(key=self.list_key, lock__lt=timezone.now())[: Conf.BULK])
        if not waiting:
            wait_for_notification(Conf.POLL, using=Conf.ORM)
            return None
        # Each task taken by moving its lock ahead, unless another worker has just taken it (as django-q2).
        return [
            (task.pk, task.payload)
            for task in waiting
            if queue.filter(id=task.id, lock=task.lock).update(lock=self.timeout(task))
        ]


# -- Redis ------------------------------------------------------------------------------------------------


def taken_key(list_key: str) -> str:
    """The list of the tasks workers took and have not acknowledged."""
    return f"{list_key}:taken"


def taken_at_key(list_key: str) -> str:
    """When each of them was taken: a hash of the payload's digest to a Unix time."""
    return f"{list_key}:taken-at"


def digest(payload: bytes | str) -> str:
    return hashlib.sha256(payload.encode() if isinstance(payload, str) else payload).hexdigest()


def forget(pipe, list_key: str, payload) -> None:
    """Take a taken task off the taken list (in a pipeline)."""
    pipe.lrem(taken_key(list_key), 0, payload)
    pipe.hdel(taken_at_key(list_key), digest(payload))


def _redis_queue() -> tuple[list[bytes], dict[bytes, float | None]]:
    """The waiting payloads, and the taken ones with when each was taken, read at one moment."""
    broker = _redis_broker()
    with broker.connection.pipeline() as pipe:  # MULTI ... EXEC
        pipe.lrange(broker.list_key, 0, -1)
        pipe.lrange(taken_key(broker.list_key), 0, -1)
        pipe.hgetall(taken_at_key(broker.list_key))
        waiting, taken, taken_at = pipe.execute()
    times = {key.decode() if isinstance(key, bytes) else key: float(value) for key, value in taken_at.items()}
    return waiting, {payload: times.get(digest(payload)) for payload in taken}


def _recently(taken: dict[bytes, float | None]) -> list[bytes]:
    """The taken payloads taken within BULK_STALE_SECONDS (no time yet: taken this very moment)."""
    since = time.time() - settings.BULK_STALE_SECONDS
    return [payload for payload, at in taken.items() if at is None or at >= since]


_redis_brokers: dict = {}


def _redis_broker():
    """The queue's broker, kept per Redis address and queue name (its connection pool is reused; it
    reconnects by itself in a forked process)."""
    key = (repr(Conf.REDIS), repr(Conf.DJANGO_REDIS), Conf.CLUSTER_NAME)
    if key not in _redis_brokers:
        _redis_brokers[key] = get_broker()
    return _redis_brokers[key]

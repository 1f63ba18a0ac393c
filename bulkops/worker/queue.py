"""The bulk jobs' tasks in django-q2's queue (a table of the project's database)."""

from datetime import timedelta

from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ


def task_name(job_id: int) -> str:
    return f"bulk-job-{job_id}"


def _tasks_of(job_id: int) -> list[OrmQ]:
    # The payload is signed, so the task's name is only known after decoding it; the queue holds a
    # handful of rows at most (one active job at a time).
    return [task for task in OrmQ.objects.using(Conf.ORM).all() if task.name() == task_name(job_id)]


def has_task(job_id: int) -> bool:
    return bool(_tasks_of(job_id))


def drop_task(job_id: int) -> None:
    OrmQ.objects.using(Conf.ORM).filter(pk__in=[task.pk for task in _tasks_of(job_id)]).delete()


def task_taken_at(job_id: int):
    """When a worker's queue reader took the job's task (not acknowledged since), or None. django-q2's
    ORM broker hides a taken task by moving its lock RETRY seconds into the future."""
    now = timezone.now()
    locks = [task.lock for task in _tasks_of(job_id) if task.lock and task.lock > now]
    return min(locks) - timedelta(seconds=Conf.RETRY) if locks else None


def requeue_task(job_id: int) -> bool:
    """Make a taken, unacknowledged task available to any worker again, as enqueueing leaves it."""
    now = timezone.now()
    taken = [task.pk for task in _tasks_of(job_id) if task.lock and task.lock > now]
    return bool(OrmQ.objects.using(Conf.ORM).filter(pk__in=taken).update(lock=now))

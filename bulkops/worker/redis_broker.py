"""The Redis queue's broker, in a module of its own: only a worker or submitter on Redis (REDIS_URL)
imports the Redis client, a thirtieth of a second of every process's start-up."""

import time

from django.db import DEFAULT_DB_ALIAS, transaction
from django_q.brokers.redis_broker import Redis

from bulkops.worker.queue import digest, forget, taken_at_key, taken_key


class RedisBroker(Redis):
    """django-q2's Redis broker (settings.Q_CLUSTER's broker_class when REDIS_URL is set), with two
    changes that keep a job and its task together as the ORM broker's table row does.

    A task queued inside a database transaction is pushed when that transaction commits. A submission
    writes its job and queues its task in one transaction: pushed at once, a worker could take the task
    before the job is committed (and find no job to start), and a rolled-back submission would leave a
    task behind. Redis is pinged inside the transaction, so a submission while Redis is down fails
    whole, leaving no job. Should the push itself fail after the commit (Redis gone in between), the job
    is left without a task, which the sweep of jobs finds and fails after a few seconds, saying so.

    A worker takes a task by moving it, in one step (BLMOVE, Redis 6.2 or newer), from the queue to a
    list of taken tasks, with the moment it took it; acknowledging the task (or failing one it cannot
    read) removes it. Popped outright, a task would be in no list from the moment a worker took it to
    the moment the worker marked its job started, and a sweep of jobs looking then would find a New job
    with no task and fail it. A taken task is never handed back to the queue."""

    def dequeue(self):
        payload = self.connection.blmove(self.list_key, taken_key(self.list_key), 1, "LEFT", "RIGHT")
        if payload is None:
            return None
        self.connection.hset(taken_at_key(self.list_key), digest(payload), time.time())
        return [(payload, payload)]

    def acknowledge(self, task_id):
        with self.connection.pipeline() as pipe:
            forget(pipe, self.list_key, task_id)
            pipe.execute()

    def fail(self, task_id):
        self.acknowledge(task_id)

    def lock_size(self) -> int:
        return self.connection.llen(taken_key(self.list_key))

    def delete_queue(self):
        return self.connection.delete(self.list_key, taken_key(self.list_key), taken_at_key(self.list_key))

    def purge_queue(self):
        return self.delete_queue()

    def enqueue(self, task):
        if transaction.get_autocommit(DEFAULT_DB_ALIAS):
            return super().enqueue(task)
        self.connection.ping()
        push = super().enqueue
        transaction.on_commit(lambda: push(task), using=DEFAULT_DB_ALIAS, robust=True)
        return None

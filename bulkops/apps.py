from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class BulkopsConfig(AppConfig):
    name = "bulkops"
    verbose_name = gettext_lazy("Bulk Operations")

    def ready(self):
        from django_q.signals import post_spawn

        from bulkops.schedules import connect_signals

        post_spawn.connect(worker_started, dispatch_uid="bulkops-worker-started")
        connect_signals()


def worker_started(sender, proc_name, **kwargs):
    """In each new worker process: fail at once the job a dead predecessor left active, then keep a
    heartbeat (so commands can tell a worker is there) and keep watching for abandoned jobs."""
    import multiprocessing

    if multiprocessing.parent_process() is None:
        return  # django-q2's synchronous path runs the task in the submitting process: not a worker
    from bulkops.worker.workers import start_watch

    start_watch()

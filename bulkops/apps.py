from django.apps import AppConfig


class BulkopsConfig(AppConfig):
    name = "bulkops"
    verbose_name = "Bulk Operations"

    def ready(self):
        from django_q.signals import post_spawn

        from bulkops.schedules import connect_signals

        post_spawn.connect(fail_stale_jobs_at_start, dispatch_uid="bulkops-stale-jobs-at-start")
        connect_signals()


def fail_stale_jobs_at_start(sender, proc_name, **kwargs):
    """A worker that starts after a crash finds the job its predecessor left In progress."""
    from bulkops.services import fail_stale_jobs

    fail_stale_jobs()

"""The change history of the bulk objects (SPEC section 8), kept by django-simple-history.

Every change of one of the objects gets a historical record, stamped with the bulk job that made
it (none for an admin edit) and with the object's rows as an export writes them after the change
(before it, for a deletion): child rows and list memberships are part of those rows, so they are
recorded with their object. History shows the rows column by column; a revert compares and
restores them. Admin edits are recorded by simple-history's signals (the admin completes the rows
once its lists and inlines are saved); a bulk job writes its records itself, in bulk and in the
transaction of each chunk, with the signals silenced meanwhile (bulk_writes)."""

import threading
from contextlib import contextmanager

from django.db import models
from django.db.models.signals import pre_delete
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history import register
from simple_history.exceptions import NotHistoricalModelError
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_history_model_for_model

_bulk = threading.local()


@contextmanager
def bulk_writes():
    """Within this block this thread's saves and deletes record no history one by one: the bulk
    engine writes the records of a whole chunk itself."""
    _bulk.active = True
    try:
        yield
    finally:
        _bulk.active = False


def writing_in_bulk() -> bool:
    return getattr(_bulk, "active", False)


class ChangeStamp(models.Model):
    """What each historical record adds to simple-history's fields."""

    job = models.ForeignKey(
        "bulkops.Job",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=gettext_lazy("bulk job"),
    )
    rows = models.JSONField(
        null=True,
        blank=True,
        help_text=gettext_lazy("The object's rows as an export writes them: after the change, or as deleted."),
    )
    # A job's changes are read from its records (bulkops.changes), so a job's record of an update
    # holds the rows it replaced too; an admin edit's does not need them (History compares records).
    rows_before = models.JSONField(
        null=True,
        blank=True,
        help_text=gettext_lazy("A bulk job's update: the object's rows before it, as an export writes them."),
    )

    class Meta:
        abstract = True


class ObjectRecords(HistoricalRecords):
    """simple-history's records, silent while a bulk job writes its own."""

    def get_meta_options(self, model):
        # A job's changes are its records in the order written: one index serves counting, paging
        # and filtering them by action, reading no more than the job's own entries (its keys grow at
        # the end, so each record adds little to write).
        options = super().get_meta_options(model)
        by_job = models.Index(
            fields=["job", "history_id"], include=["history_type"], name=f"h_{model._meta.model_name}_job"
        )
        return options | {"indexes": [*options.get("indexes", ()), by_job]}

    def post_save(self, instance, created, using=None, **kwargs):
        if not writing_in_bulk():
            super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if not writing_in_bulk():
            super().post_delete(instance, using=using, **kwargs)


def record_history(*object_models) -> None:
    for model in object_models:
        if history_model(model) is not None:
            continue
        # History is looked up by object: only its primary key is indexed, so that each record
        # written costs as little as can be (SIMPLE_HISTORY_DATE_INDEX is off too).
        indexed = [f.name for f in model._meta.concrete_fields if f.db_index or f.unique or f.is_relation]
        register(
            model,
            app=model._meta.app_config.name,
            records_class=ObjectRecords,
            bases=[ChangeStamp],
            user_related_name="+",
            # No constraint in the database on the user: checking it costs a query per record at
            # the commit of every chunk. Deleting a user still clears it (Django's SET_NULL).
            user_db_constraint=False,
            excluded_fields=["match_key"],
            no_db_index=[name for name in indexed if name != model._meta.pk.name],
        )
        pre_delete.connect(_keep_rows_before_delete, sender=model, weak=False)


def history_model(model) -> type | None:
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def rows_of(instance) -> list[list[str]] | None:
    from config_objects.registry import object_type_for_model
    from config_objects.rendering import snapshots

    resource = object_type_for_model(type(instance)).resource()
    return snapshots(resource, [instance.pk]).get(instance.pk)


def _keep_rows_before_delete(sender, instance, **kwargs):
    if not writing_in_bulk():
        instance._rows_before_delete = rows_of(instance)


def _stamp_rows(sender, instance, history_instance, **kwargs):
    if history_instance.rows is not None or not isinstance(history_instance, ChangeStamp):
        return
    if history_instance.history_type == "-":
        history_instance.rows = getattr(instance, "_rows_before_delete", None)
    else:
        history_instance.rows = rows_of(instance)


pre_create_historical_record.connect(_stamp_rows, weak=False)


def latest_record(model, pk):
    historical = history_model(model)
    if historical is None:
        return None
    return historical.objects.filter(**{model._meta.pk.attname: pk}).select_related("history_user").first()


def changed_by(record) -> str:
    """Who made a recorded change, in words: the job, or the admin user."""
    if record is None:
        return _("someone")
    if record.job_id:
        return _("job %(id)s") % {"id": record.job_id}
    return record.history_user.get_username() if record.history_user else _("someone")

"""What every configuration object's admin shares: link forms for many-to-many lists with their own
through models, the search on the object's key, lists and forms that stay quick at a million rows
(SPEC 12: every reference chosen by typing, filters over references that search, a count that does
not scan), and the History page of SPEC section 8 (who, when, which job, and the columns that
changed, before -> after, as an export writes them)."""

from dalf.admin import DALFModelAdmin
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from config_objects.admin_forms import ConfigAdminChecks, ConfigInlineChecks, link_form, references
from config_objects.admin_lists import EstimatedCountPaginator, FoldedContains, ReferenceFilter
from config_objects.history import history_model, rows_of

NO_JOB = "\u2013"


def kept_reason(obj) -> str | None:
    """Why an object is never deleted (a default row that ships with the product), or None."""
    reason = getattr(obj, "kept_reason", None)
    return reason() if reason else None


def searching_filters(model, list_filter) -> list:
    """list_filter with each reference to another object filtered by search (ReferenceFilter) rather
    than by a list of every object it may name; choices and yes/no filters stay as they are."""
    relations = set(references(model))
    return [(entry, ReferenceFilter) if entry in relations else entry for entry in list_filter]


class ConfigAdmin(SimpleHistoryAdmin, DALFModelAdmin):
    """DALFModelAdmin brings the scripts of ReferenceFilter (the admin's own jQuery and select2)."""

    checks_class = ConfigAdminChecks
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # By the folded key, whose unique index gives a page of a million rows at once (and makes the
    # order total: Django adds no "-pk" to it). The autocomplete lists in this order too.
    ordering = ["match_key"]
    history_list_display = ["bulk_job"]  # computed onto each record; the list below heads it "Job"
    object_history_list_template = "admin/config_objects/object_history_list.html"

    def __init__(self, model, admin_site):
        self.form = link_form(model, admin_site)
        # Every reference by autocomplete, whatever the admin declares: any object may number a
        # million after an import, and a drop-down lists them all in the page.
        self.autocomplete_fields = references(model)
        self.list_filter = searching_filters(model, self.list_filter)
        super().__init__(model, admin_site)
        # The key is searched in its folded form (FoldedContains); other search fields as declared.
        model._meta.get_field("match_key").register_lookup(FoldedContains, "folded_contains")
        searched = [name for name in self.search_fields if name != model.key_field]
        self.search_fields = ["match_key__folded_contains", *searched]

    @property
    def historical(self):
        # Looked up at use: histories are recorded once every app is ready, after the admins exist.
        return history_model(self.model)

    @property
    def object_history_template(self):
        # simple-history's History page, or Django's own for a model without history.
        return SimpleHistoryAdmin.object_history_template if self.historical is not None else None

    def has_delete_permission(self, request, obj=None):
        # A default row that ships with the product has no Delete button (its page says why).
        if obj is not None and kept_reason(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """Django's list of what a deletion takes, with the default rows among `objs` listed as kept
        (their reason shown), which stops the deletion as a protected object does."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = [reason for reason in map(kept_reason, objs) if reason]
        if kept and super().has_delete_permission(request):
            # Not a missing permission (has_delete_permission says no for those rows): the reason.
            perms_needed = perms_needed - {self.model._meta.verbose_name}
        return deleted, counts, perms_needed, [*protected, *kept]

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        reason = kept_reason(obj) if obj is not None else None
        if reason and self.has_change_permission(request, obj):
            messages.error(request, reason)
            return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_urls(self):
        if self.historical is None:
            return admin.ModelAdmin.get_urls(self)
        return super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        if self.historical is None:
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=gettext_lazy("Job"))
    def bulk_job(self, record):
        if not record.job_id:
            return NO_JOB
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:bulkops_job_change", args=[record.job_id]),
            _("Job %(id)s") % {"id": record.job_id},
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each record's changes: its rows against those of the record before it (older), column by
        column in the CSV spelling; the oldest record of an object lists its non-empty columns."""
        from config_objects.registry import object_type_for_model
        from config_objects.rendering import column_changes

        records = list(historical_records)
        if not records:
            return
        resource = object_type_for_model(self.model).resource()
        oldest = records[-1]
        pk_name = self.model._meta.pk.attname
        older = (
            self.historical.objects.filter(**{pk_name: getattr(oldest, pk_name)})
            .filter(
                Q(history_date__lt=oldest.history_date)
                | Q(history_date=oldest.history_date, history_id__lt=oldest.history_id)
            )
            .order_by("-history_date", "-history_id")
            .values_list("rows", flat=True)
            .first()
        )
        previous_rows = [record.rows for record in records[1:]] + [older]
        for record, before in zip(records, previous_rows, strict=True):
            if record.history_type == "-":
                changes = column_changes(resource, record.rows, None)
            else:
                changes = column_changes(resource, before, record.rows)
            record.history_delta_changes = [{"field": column, "old": old, "new": new} for column, old, new in changes]

    def save_related(self, request, form, formsets, change):
        """The object's lists and inlines are saved only now: its latest record gets its complete
        rows, and a save that changed nothing leaves no record."""
        super().save_related(request, form, formsets, change)
        if self.historical is None:
            return
        obj = form.instance
        latest = list(
            self.historical.objects.filter(**{self.model._meta.pk.attname: obj.pk})
            .order_by("-history_date", "-history_id")
            .values_list("history_id", "history_type", "rows")[:2]
        )
        if not latest:
            return
        record_id, kind, _ = latest[0]
        rows = rows_of(obj)
        record = self.historical.objects.filter(history_id=record_id)
        if kind == "~" and len(latest) > 1 and latest[1][2] == rows:
            record.delete()
        else:
            record.update(rows=rows)


class LinkedInline(admin.TabularInline):
    checks_class = ConfigInlineChecks
    extra = 0

    def __init__(self, parent_model, admin_site):
        self.form = link_form(self.model, admin_site)
        self.autocomplete_fields = references(self.model, parent=parent_model)
        super().__init__(parent_model, admin_site)

"""Contact Center > Bulk Operations: the jobs table, the New bulk operation dialog, job details."""

from dalf.admin import DALFModelAdmin
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from bulkops.models import Job, ScheduledImport
from bulkops.permissions import can_import, usable_object_types
from bulkops.schedules import owner_refusal, run_scheduled_import
from bulkops.services import sweep_jobs
from bulkops.web import history_views, views, wording
from config_objects.admin_lists import EstimatedCountPaginator, ReferenceFilter
from config_objects.registry import object_choices, object_type

STATUS_ICONS = views.STATUS_ICONS


def _hide_task_queue_models():
    """django-q2's own admin pages (its queue, its successful and failed tasks, its schedules) are
    the worker's internals: jobs are followed on the dashboard, schedules as Scheduled imports."""
    from django_q import models as q

    for model in (q.OrmQ, q.Success, q.Failure, q.Schedule):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_hide_task_queue_models()


class ObjectFilter(admin.SimpleListFilter):
    """Objects by their labels, from the registry (object_type holds a slug, with no choices of its own)."""

    title = gettext_lazy("object")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        return object_choices()

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


class ObjectChoiceMixin:
    """The object_type form field offers the registry's objects."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "object_type":
            return forms.ChoiceField(choices=[("", "---------"), *object_choices()], label=_("Object"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Job)
class JobAdmin(DALFModelAdmin):
    list_display = ["job_id", "file_name", "object_name", "status_badge", "submitted"]
    list_display_links = ["job_id", "file_name"]
    # Scheduled imports are searched for, not listed (DALFModelAdmin brings the filter's scripts).
    list_filter = ["status", ObjectFilter, "operation", ("scheduled_import", ReferenceFilter)]
    list_per_page = 25
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Newest first by one column: two default sort columns would number their headers 1 and 2.
    ordering = ["-submitted_at"]
    change_list_template = "admin/bulkops/job/change_list.html"

    # Jobs are made by the dialog and the commands, and never edited: any staff member sees the
    # list; what each may start, or download, is checked per object (bulkops.permissions).
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Job ID"), ordering="id")
    def job_id(self, job):
        return job.pk

    @admin.display(description=gettext_lazy("File Name"), ordering="file_name")
    def file_name(self, job):
        return job.file_name

    @admin.display(description=gettext_lazy("Object"), ordering="object_type")
    def object_name(self, job):
        if job.operation == Job.Operation.IMPORT:
            return job.object_label
        return _("%(object)s (%(operation)s)") % {
            "object": job.object_label,
            "operation": job.get_operation_display().lower(),
        }

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def status_badge(self, job):
        # data-job: the dashboard's script finds the cell to keep current while the job runs.
        return format_html(
            '<span class="job-status job-status-{}" data-job="{}" data-active="{}">'
            '<span aria-hidden="true" class="job-status-icon">{}</span> <span class="job-status-text">{}</span></span>',
            job.status,
            job.pk,
            "1" if job.is_active else "",
            STATUS_ICONS[job.status],
            wording.status_text(job),
        )

    @admin.display(description=gettext_lazy("Submitted by"), ordering="submitted_at")
    def submitted(self, job):
        return format_html(
            "{}<br><span class='quiet'>{}</span>", job.submitted_by_name, wording.moment(job.submitted_at)
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("new/", wrap(views.job_new), name="bulkops_job_new"),
            path("template/<slug:slug>/", wrap(views.template_download), name="bulkops_job_template"),
            path("<int:job_id>/status/", wrap(views.job_status), name="bulkops_job_status"),
            path("live/", wrap(views.job_list_live), name="bulkops_job_live"),
            path("<int:job_id>/cancel/", wrap(views.job_cancel_view), name="bulkops_job_cancel"),
            path("<int:job_id>/file/<str:kind>/", wrap(views.job_file), name="bulkops_job_file"),
            path("<int:job_id>/import-file/", wrap(history_views.job_import_file), name="bulkops_job_import_file"),
            path("<int:job_id>/revert/", wrap(history_views.job_revert), name="bulkops_job_revert"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if Job.objects.filter(active_slot=1).exists():
            sweep_jobs()  # an abandoned job must not keep the New button disabled
        active = Job.objects.filter(active_slot=1).first()
        choices = [
            {
                "slug": object_type.slug,
                "label": _("Whole configuration") if object_type.is_package else object_type.label,
                "kind": object_type.file_kind,
                "can_import": importing,
                "can_export": exporting,
                "template_url": reverse("admin:bulkops_job_template", args=[object_type.slug]),
            }
            for object_type, importing, exporting in usable_object_types(request.user)
        ]
        context = {
            "title": _("Bulk Operations"),
            "active_job": active,
            "active_note": wording.active_note(active) if active else "",
            "busy_title": wording.busy_title(active) if active else "",
            "live_url": reverse("admin:bulkops_job_live"),
            "object_choices": choices,
            "new_url": reverse("admin:bulkops_job_new"),
            "encodings": views.ENCODINGS,
        }
        return super().changelist_view(request, extra_context=(extra_context or {}) | context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return views.job_details(request, self, object_id)


@admin.register(ScheduledImport)
class ScheduledImportAdmin(ObjectChoiceMixin, admin.ModelAdmin):
    list_display = ["name", "object_name", "folder", "timing", "enabled", "owner", "last_run_at", "last_result"]
    list_filter = ["enabled", ObjectFilter]
    search_fields = ["name", "folder"]
    readonly_fields = ["owner", "last_run_at", "last_result", "jobs_link"]
    fields = ["name", "object_type", "folder", "cron", "every_minutes", "enabled", *readonly_fields]
    actions = ["run_now"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form refuses an object the user may not import: a schedule imports as whoever saved it."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if "folder" in form.base_fields:  # not for a user who may only view the schedule
            form.base_fields["folder"].help_text = _(
                "A folder under '%(root)s/' in file storage (local disk or S3), e.g. sites."
            ) % {"root": settings.SCHEDULED_IMPORTS_ROOT}
        user = request.user

        class OwnedForm(form):
            def clean(self):
                cleaned = super().clean()
                chosen = cleaned.get("object_type")
                if chosen and not can_import(user, object_type(chosen)):
                    self.add_error(
                        "object_type",
                        _(
                            "You may not import %(object)s (that needs its add and change permissions), "
                            "so you may not schedule its imports either."
                        )
                        % {"object": object_type(chosen).label},
                    )
                return cleaned

        return OwnedForm

    def save_model(self, request, obj, form, change):
        obj.owner = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("Object"), ordering="object_type")
    def object_name(self, scheduled):
        return object_type(scheduled.object_type).label

    @admin.display(description=gettext_lazy("Schedule"))
    def timing(self, scheduled):
        if scheduled.cron:
            return scheduled.cron
        return ngettext("every %(count)s minute", "every %(count)s minutes", scheduled.every_minutes or 0) % {
            "count": scheduled.every_minutes
        }

    @admin.display(description=gettext_lazy("Jobs"))
    def jobs_link(self, scheduled):
        if scheduled.pk is None:
            return "-"
        url = reverse("admin:bulkops_job_changelist") + f"?scheduled_import__id__exact={scheduled.pk}"
        jobs = scheduled.jobs.count()
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("%(count)s job", "%(count)s jobs", jobs) % {"count": wording.count(jobs)},
        )

    def get_urls(self):
        run = self.admin_site.admin_view(require_POST(self.run_now_view))
        return [path("<int:object_id>/run/", run, name="bulkops_scheduledimport_run"), *super().get_urls()]

    def run_now_view(self, request, object_id):
        """The Run now button of a schedule's page: the list's action for this one schedule."""
        scheduled = get_object_or_404(ScheduledImport, pk=object_id)
        if not self.has_change_permission(request, scheduled):
            raise PermissionDenied
        self.run_now(request, [scheduled])
        return redirect(reverse("admin:bulkops_scheduledimport_change", args=[scheduled.pk]))

    @admin.action(description=gettext_lazy("Run now"))
    def run_now(self, request, queryset):
        for scheduled in queryset:
            refusal = owner_refusal(scheduled, request.user)
            if refusal:
                messages.error(request, f"{scheduled.name}: {refusal}")
                continue
            outcome = run_scheduled_import(scheduled.pk)
            messages.info(request, f"{scheduled.name}: {outcome}")

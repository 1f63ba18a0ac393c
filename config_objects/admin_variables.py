"""Admin pages of the global variables and the threshold rules."""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config_objects import models as m
from config_objects.admin_base import ConfigAdmin
from config_objects.admin_forms import LinkedObjectForm, link_form
from config_objects.models.thresholds import ENTITY_FIELDS
from config_objects.widgets import EmailList


@admin.register(m.GlobalVariable)
class GlobalVariableAdmin(ConfigAdmin):
    list_display = ["name", "variable_type", "default_value", "agent_viewable", "reportable", "active"]
    list_filter = ["variable_type", "active", "reportable", "agent_viewable"]

    def get_readonly_fields(self, request, obj=None):
        return ["variable_type"] if obj else []


class ThresholdRuleForm(LinkedObjectForm):
    """The entity is chosen in the reference field of the rule's Entity Type; the Entity name the
    model keeps follows it. Notification Receivers are typed as in a file: addresses separated by |."""

    notification_receivers = forms.CharField(
        label=gettext_lazy("Notification Receivers"),
        required=False,
        help_text=gettext_lazy("E-mail addresses separated by |"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        receivers = self.initial.get("notification_receivers")
        if isinstance(receivers, list):
            self.initial["notification_receivers"] = EmailList().render(receivers)

    def clean_notification_receivers(self):
        try:
            return EmailList().clean(self.cleaned_data.get("notification_receivers"))
        except ValueError as error:
            raise forms.ValidationError(_("Notification Receivers %(error)s") % {"error": error}) from None

    def _update_errors(self, errors):
        # The model's Entity messages belong to the reference field the form shows for it.
        moved = errors.error_dict.pop("entity", None) if hasattr(errors, "error_dict") else None
        if moved:
            chosen = ENTITY_FIELDS.get(self.cleaned_data.get("entity_type", self.instance.entity_type))
            errors.error_dict.setdefault(chosen if chosen in self.fields else NON_FIELD_ERRORS, []).extend(moved)
        super()._update_errors(errors)

    def clean(self):
        data = super().clean()
        instance = self.instance
        kind = data.get("entity_type", instance.entity_type)
        chosen = ENTITY_FIELDS.get(kind)
        for name in ENTITY_FIELDS.values():
            if name != chosen and name in self.fields and data.get(name) is not None:
                self.add_error(
                    name,
                    _("%(column)s must be empty for Entity Type %(type)s")
                    % {"column": self.fields[name].label, "type": kind},
                )
        entity = None
        if chosen:
            entity = data.get(chosen) if chosen in self.fields else getattr(instance, chosen)
        instance.entity = entity.name if entity is not None else ""
        return data


@admin.register(m.ThresholdRule)
class ThresholdRuleAdmin(ConfigAdmin):
    list_display = ["name", "entity_type", "entity", "metric", "operand", "trigger_value", "agent_viewable"]
    list_filter = ["entity_type", "metric", "agent_viewable"]
    fields = [
        "name",
        "description",
        "entity_type",
        *ENTITY_FIELDS.values(),
        "metric",
        "operand",
        "trigger_value",
        "trigger_interval",
        "notification_receivers",
        "agent_viewable",
    ]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = link_form(model, admin_site, base=ThresholdRuleForm)

    def get_readonly_fields(self, request, obj=None):
        return ["entity_type", *ENTITY_FIELDS.values()] if obj else []

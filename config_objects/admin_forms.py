"""Admin forms for objects whose many-to-many lists use PROTECTing through models.

Django's admin hides many-to-many fields that name their own through model; these forms declare them
again as ordinary multiple-choice fields (ModelForm saves them with .set()), chosen by typing (the
admin's autocomplete: a list may draw from a million sites), and run the model's clean_links rules,
which need the lists about to be saved."""

from django import forms
from django.contrib.admin.checks import InlineModelAdminChecks, ModelAdminChecks
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class LinkedObjectForm(forms.ModelForm):
    def _post_clean(self):
        super()._post_clean()
        clean_links = getattr(self.instance, "clean_links", None)
        if clean_links is None or self.errors:
            return
        chosen = {
            field.name: list(self.cleaned_data.get(field.name) or []) for field in self.instance._meta.many_to_many
        }
        try:
            clean_links(chosen)
        except ValidationError as error:
            self._update_errors(error)


def references(model, *, parent=None) -> list[str]:
    """The model's references to other objects (foreign keys and lists), which its admin offers by
    autocomplete; an inline's reference to its parent is left out (the inline's form has none)."""
    return [
        field.name
        for field in [*model._meta.fields, *model._meta.many_to_many]
        if field.is_relation and (parent is None or field.related_model is not parent)
    ]


def link_form(model, admin_site, base=LinkedObjectForm):
    declared = {
        field.name: forms.ModelMultipleChoiceField(
            queryset=field.related_model._default_manager.all(),
            required=not field.blank,
            label=field.verbose_name[:1].upper() + field.verbose_name[1:],
            widget=AutocompleteSelectMultiple(field, admin_site),
        )
        for field in model._meta.many_to_many
    }
    return type(f"{model.__name__}Form", (base,), declared)


class _DeclaredLinksAllowed:
    """Declared form fields for through-model lists are intended: skip admin.E013 for them only."""

    def _check_field_spec_item(self, obj, field_name, label):
        if field_name in obj.form.declared_fields:
            return []
        return super()._check_field_spec_item(obj, field_name, label)


class ConfigAdminChecks(_DeclaredLinksAllowed, ModelAdminChecks):
    pass


class ConfigInlineChecks(_DeclaredLinksAllowed, InlineModelAdminChecks):
    pass

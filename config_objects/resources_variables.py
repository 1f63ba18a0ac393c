"""The Global Variable's bulk declaration (SPEC section 1, row 18)."""

from django.utils.translation import gettext_lazy as _

from config_objects import models as m
from config_objects.columns import ConfigResource, column, flag
from config_objects.models.variables import VARIABLE_TYPE_ALIASES, VariableType
from config_objects.widgets import Choice


class GlobalVariableResource(ConfigResource):
    slug, label = "global-variable", _("Global Variable")
    # At most 100 active variables may be Reportable: each row must see the rows before it.
    sequential = True
    variable_type = column("Variable Type", "variable_type", Choice(VariableType, aliases=VARIABLE_TYPE_ALIASES))
    sensitive = flag("Sensitive", "sensitive", empty=False)
    active = flag("Active", "active", empty=True)

    class Meta:
        model = m.GlobalVariable
        fields = (
            "name",
            "description",
            "variable_type",
            "default_value",
            "agent_viewable",
            "agent_editable",
            "desktop_label",
            "reportable",
            "sensitive",
            "active",
        )

"""System checks, at start-up: every bulk object is declared whole (a Resource with its slug and
label, a key with its unique folded index, an admin, a change history), and every configuration model is either a
bulk object."""

from django.apps import apps
from django.contrib import admin
from django.core import checks
from django.db.models import UniqueConstraint

from config_objects.history import history_model
from config_objects.models.base import ConfigObject


@checks.register()
def check_bulk_objects(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from config_objects.registry import OBJECT_TYPES, DependencyCycle, dependency_order

    problems = []
    slugs = {}
    for t in OBJECT_TYPES:
        where = f"{t.resource.__module__}.{t.resource.__name__}"
        if t.slug in slugs:
            problems.append(checks.Error(f"Slug '{t.slug}' is declared twice.", obj=where, id="config_objects.E001"))
        slugs[t.slug] = t
        if not t.label:
            problems.append(checks.Error("The Resource declares no label.", obj=where, id="config_objects.E002"))
        if not admin.site.is_registered(t.model):
            problems.append(
                checks.Error(
                    f"{t.model.__name__} has no admin: register a ModelAdmin for it.",
                    obj=where,
                    id="config_objects.E003",
                )
            )
        if history_model(t.model) is None:
            problems.append(
                checks.Error(
                    f"{t.model.__name__} has no change history: declare its Resource in a `resources` module of "
                    "an installed app, which records the history of every object declared there.",
                    obj=where,
                    id="config_objects.E008",
                )
            )
        problems += _key_problems(t, where)
    try:
        dependency_order()
    except DependencyCycle as cycle:
        problems.append(checks.Error(str(cycle), id="config_objects.E009"))
    declared = {t.model for t in OBJECT_TYPES}
    for model in apps.get_models():
        if issubclass(model, ConfigObject) and model not in declared:
            problems.append(
                checks.Error(
                    f"{model.__name__} is a configuration object without a Resource: declare one (with its slug "
                    "and label) in a resources module.",
                    obj=model,
                    id="config_objects.E004",
                )
            )
    return problems


def _key_problems(t, where: str) -> list[checks.CheckMessage]:
    key = t.resource._meta.import_id_fields[0]
    if key != t.model.key_field or key not in {f.name for f in t.model._meta.fields}:
        return [
            checks.Error(
                f"The Resource's key '{key}' is not {t.model.__name__}.key_field '{t.model.key_field}'.",
                obj=where,
                id="config_objects.E005",
            )
        ]
    unique = any(isinstance(c, UniqueConstraint) and list(c.fields) == ["match_key"] for c in t.model._meta.constraints)
    if not unique:
        return [
            checks.Error(
                f"{t.model.__name__} has no unique constraint on match_key: its names could repeat.",
                hint="Give its Meta the constraints of unique_key(), as NamedObject does.",
                obj=t.model,
                id="config_objects.E006",
            )
        ]
    if key not in t.resource._meta.fields:
        return [checks.Error(f"The key '{key}' is not one of the columns.", obj=where, id="config_objects.E007")]
    return []

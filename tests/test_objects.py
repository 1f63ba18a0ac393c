"""Per object, over the sample world (tests/samples): keys collide ignoring case in the database
itself, and an object that another references cannot be deleted."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import CASCADE, ProtectedError

from config_objects import models as m
from config_objects.registry import OBJECT_TYPES, object_type, object_type_for_model
from tests import factories as f

# The SPEC's objects; the registry also holds the test-only object of tests/extension.
SPEC_OBJECTS = [t for t in OBJECT_TYPES if t.model._meta.app_label == "config_objects"]

SHIPPED_DEFAULTS = {
    m.MultimediaProfile: "Default Multimedia Profile",
    m.DesktopLayout: "Global Layout",
    m.DialPlan: "Default Dial Plan",
}
FRESH_KEYS = {"name": "Fresh twin", "email": "fresh-twin@example.com", "dialed_number": "+381110000000"}


def twin_of(obj, key: str):
    """An unsaved copy of `obj` under another key (never a second default of anything)."""
    twin = type(obj).objects.get(pk=obj.pk)
    twin.pk = None
    twin._state.adding = True
    setattr(twin, twin.key_field, key)
    if hasattr(twin, "is_default"):
        twin.is_default = False
    return twin


@pytest.mark.parametrize("slug", [t.slug for t in SPEC_OBJECTS])
def test_keys_collide_ignoring_case_in_the_database_even_without_validation(slug, world):
    model = object_type(slug).model
    sample = model.objects.order_by("pk").first()
    assert sample is not None, f"tests/samples has no {slug} row"
    with transaction.atomic():
        twin_of(sample, FRESH_KEYS[model.key_field]).save()  # the copy itself is fine...
        transaction.set_rollback(True)
    shouting = f"  {getattr(sample, model.key_field).upper()} "
    with pytest.raises(IntegrityError), transaction.atomic():
        twin_of(sample, shouting).save()  # ...but not under the same key: save() alone, no full_clean


@pytest.mark.django_db
@pytest.mark.parametrize("model", SHIPPED_DEFAULTS, ids=lambda model: model.__name__)
def test_each_shipped_default_row_exists_and_collides_ignoring_case(model):
    default = model.objects.get(is_default=True)
    assert default.name == SHIPPED_DEFAULTS[model]
    with pytest.raises(IntegrityError), transaction.atomic():
        twin_of(default, default.name.lower()).save()


@pytest.mark.django_db
def test_surrounding_spaces_are_refused_by_the_database_too():
    site = f.make_site()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Site.objects.filter(pk=site.pk).update(name=" Belgrade ")


def guards(field) -> bool:
    """Whether a relation keeps its target from being deleted (a child row's link to its own object
    does not: it goes with it)."""
    if field.many_to_many:
        through = field.remote_field.through
        return any(guards(link) for link in through._meta.fields if link.related_model is field.related_model)
    return field.many_to_one and field.remote_field.on_delete is not CASCADE


def referenced_models() -> set:
    """The objects that another object's field (its own, or its child rows') refers to."""
    bulk_models = {t.model for t in SPEC_OBJECTS}
    return {
        field.related_model
        for t in SPEC_OBJECTS
        for model in (t.model, *(r.related_model for r in t.model._meta.related_objects))
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model in bulk_models and guards(field)
    }


# Every object another one refers to, found from the models (users and DN mappings are referenced by
# nothing); the samples use each of them somewhere.
REFERENCED = sorted(object_type_for_model(model).slug for model in referenced_models())


@pytest.mark.parametrize("slug", REFERENCED)
def test_a_referenced_object_cannot_be_deleted(slug, world):
    model = object_type(slug).model
    refused = []
    for target in model.objects.all():
        with transaction.atomic():
            try:
                target.delete()
            except ProtectedError:
                refused.append(target)
            transaction.set_rollback(True)  # a deletion that went through is undone
    assert refused, f"no {slug} of tests/samples is used by another object"
    assert all(model.objects.filter(pk=target.pk).exists() for target in refused)


@pytest.mark.django_db
def test_a_team_in_a_queues_distribution_group_cannot_be_deleted():
    queue = f.make_queue()
    team = f.make_team()
    group = m.QueueGroup.objects.create(queue=queue, seq=1)
    group.teams.set([team])
    with pytest.raises(ProtectedError) as caught, transaction.atomic():
        team.delete()
    assert "queue 'Support', group 1: team 'Tier 1 Belgrade'" in str(caught.value.protected_objects)

"""Per object: a valid one saves, keys collide ignoring case in the database itself, and an object
that another references cannot be deleted."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from config_objects import models as m
from config_objects.registry import CATALOGUES, OBJECT_TYPES
from tests import factories as f

pytestmark = pytest.mark.django_db
# The SPEC's objects; the registry also holds the test-only object of tests/extension.
SPEC_OBJECTS = [t for t in OBJECT_TYPES if t.model._meta.app_label == "config_objects"]

BUILDERS = {
    "site": f.build_site,
    "work-type": f.build_work_type,
    "entry-point": f.build_entry_point,
    "outdial-entry-point": f.build_outdial_entry_point,
    "queue": f.build_queue,
    "outdial-queue": f.build_outdial_queue,
    "skill-definition": f.build_skill_definition,
    "skill-profile": f.build_skill_profile,
    "auxiliary-code": f.build_auxiliary_code,
    "address-book": f.build_address_book,
    "team": f.build_team,
    "agent-profile": f.build_agent_profile,
    "user": f.build_user,
    "user-profile": f.build_user_profile,
    "audio-file": f.build_audio_file,
    "dn-mapping": f.build_dn_mapping,
    "outdial-ani": f.build_outdial_ani,
    "global-variable": f.build_global_variable,
    "threshold-rule": f.build_threshold_rule,
}


def test_there_is_a_builder_for_every_object_of_the_spec():
    assert set(BUILDERS) == {t.slug for t in SPEC_OBJECTS}
    assert len(SPEC_OBJECTS) == 19


@pytest.mark.parametrize("slug", BUILDERS)
def test_a_valid_object_saves(slug):
    obj = f.saved(BUILDERS[slug]())
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("slug", BUILDERS)
def test_keys_collide_ignoring_case_in_the_database_even_without_validation(slug):
    first = f.saved(BUILDERS[slug]())
    key_field = first.key_field
    shouting = getattr(first, key_field).upper()
    twin = BUILDERS[slug](shouting)
    if slug == "auxiliary-code":
        twin.is_default = False
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()  # save() alone: no full_clean


@pytest.mark.parametrize("model", CATALOGUES)
def test_each_catalogue_ships_its_default_row_and_collides_ignoring_case(model):
    default = model.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(name=default.name.lower())


def test_surrounding_spaces_are_refused_by_the_database_too():
    site = f.make_site()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Site.objects.filter(pk=site.pk).update(name=" Belgrade ")


def referenced_objects():
    """(object, what references it) for every object something can reference."""
    site = f.make_site()
    team = f.make_team(site=site, skill_profile=f.make_skill_profile(), desktop_layout=m.DesktopLayout.objects.get())
    work_type = f.make_work_type("After call", type="WRAP_UP_CODE")
    wrap_up = f.make_auxiliary_code("Sold", work_type=work_type)
    audio = f.make_audio_file()
    queue = f.make_queue(default_music=audio)
    outdial_queue = f.make_outdial_queue()
    outdial_entry_point = f.make_outdial_entry_point(outdial_queue=outdial_queue)
    book = f.make_address_book()
    ani = f.make_outdial_ani()
    profile = f.make_agent_profile(
        outdial_enabled=True,
        outdial_entry_point=outdial_entry_point,
        address_book=book,
        outdial_ani=ani,
        wrap_up_options="SPECIFIC",
        transfer_options="SPECIFIC",
        dial_plan_enabled=True,
    )
    profile.wrap_up_codes.set([wrap_up])
    profile.transfer_targets.set([queue])
    profile.dial_plans.set([m.DialPlan.objects.get()])
    user = f.make_user(site=site, desktop_profile=profile)
    user.teams.set([team])
    mapping = f.make_dn_mapping()
    return {
        "site": site,
        "work-type": work_type,
        "entry-point": mapping.entry_point,
        "outdial-entry-point": outdial_entry_point,
        "queue": queue,
        "outdial-queue": outdial_queue,
        "skill-definition": m.SkillDefinition.objects.get(),
        "skill-profile": team.skill_profile,
        "auxiliary-code": wrap_up,
        "address-book": book,
        "team": team,
        "agent-profile": profile,
        "user-profile": user.user_profile,
        "audio-file": audio,
        "outdial-ani": ani,
        "multimedia-profile": site.multimedia_profile,
        "desktop-layout": team.desktop_layout,
        "dial-plan": m.DialPlan.objects.get(),
    }


# Users, DN mappings, global variables and threshold rules are referenced by nothing: left out here.
@pytest.mark.parametrize(
    "slug",
    [t.slug for t in SPEC_OBJECTS if t.slug not in ("user", "dn-mapping", "global-variable", "threshold-rule")]
    + ["multimedia-profile", "desktop-layout", "dial-plan"],
)
def test_a_referenced_object_cannot_be_deleted(slug):
    target = referenced_objects()[slug]
    with pytest.raises(ProtectedError), transaction.atomic():
        target.delete()
    assert type(target).objects.filter(pk=target.pk).exists()


def test_a_team_in_a_queues_distribution_group_cannot_be_deleted():
    queue = f.make_queue()
    team = f.make_team()
    group = m.QueueGroup.objects.create(queue=queue, seq=1)
    group.teams.set([team])
    with pytest.raises(ProtectedError) as caught, transaction.atomic():
        team.delete()
    assert "queue 'Support', group 1: team 'Tier 1 Belgrade'" in str(caught.value.protected_objects)

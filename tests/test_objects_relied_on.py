"""What other objects rely on stays true (SPEC 1-2): a change to an object that would break a rule of
an object that uses it fails its row, as the rule itself would fail the other object's row. Without
it the stored configuration breaks the rule, and a later import of the other object (or the export
of it, imported back) fails for a change it did not make."""

import pytest

from config_objects import models as m
from tests import factories as f
from tests.bulk import run, write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sync_jobs")]


def import_csv(tmp_path, slug: str, text: str):
    return run("bulk_import", slug, str(write(tmp_path, text)))


@pytest.fixture
def desk_at_nis():
    """Desktop profile 'Nis Desk' at site Nis, the Desktop Profile of ana, who is at Nis."""
    nis = f.make_site("Nis")
    f.make_site("Belgrade")
    desk = f.make_agent_profile("Nis Desk", parent_site=nis)
    f.make_user("ana@example.com", site=nis, desktop_profile=desk)
    return desk


def test_a_desktop_profile_keeps_the_site_of_the_users_who_have_it(desk_at_nis, tmp_path):
    outcome = import_csv(tmp_path, "agent-profile", "Name,Parent Site\nNis Desk,Belgrade\n")
    assert outcome.errors() == {
        2: "Parent Site cannot be 'Belgrade' while user 'ana@example.com', whose site is 'Nis', has this Desktop "
        "Profile"
    }
    assert m.AgentProfile.objects.get(pk=desk_at_nis.pk).parent_site.name == "Nis"
    # The user's own partial import still passes its rule.
    assert import_csv(tmp_path, "user", "Email,Last Name\nana@example.com,Jovic\n").counts["updated"] == 1


def test_a_desktop_profile_may_become_organization_wide_and_then_move_with_its_users(desk_at_nis, tmp_path):
    assert import_csv(tmp_path, "agent-profile", "Name,Parent Site\nNis Desk,\n").counts["updated"] == 1
    assert import_csv(tmp_path, "user", "Email,Site\nana@example.com,Belgrade\n").counts["updated"] == 1
    assert import_csv(tmp_path, "agent-profile", "Name,Parent Site\nNis Desk,Belgrade\n").counts["updated"] == 1


def test_a_desktop_profile_no_user_has_may_move(desk_at_nis, tmp_path):
    m.ContactCenterUser.objects.update(desktop_profile=None)
    assert import_csv(tmp_path, "agent-profile", "Name,Parent Site\nNis Desk,Belgrade\n").counts["updated"] == 1


@pytest.fixture
def idle_codes():
    """Agent profile 'Desk' lists the idle codes Lunch (the default) and Coffee; Wrap is a wrap-up type."""
    brk = f.make_work_type("Break", type="IDLE_CODE")
    f.make_work_type("Wrap", type="WRAP_UP_CODE")
    lunch = f.make_auxiliary_code("Lunch", work_type=brk, is_default=True)
    coffee = f.make_auxiliary_code("Coffee", work_type=brk, is_default=False)
    desk = f.make_agent_profile("Desk", idle_options="SPECIFIC")
    desk.idle_codes.set([lunch, coffee])
    return desk


def test_an_idle_code_a_profile_lists_keeps_its_kind(idle_codes, tmp_path):
    outcome = import_csv(tmp_path, "auxiliary-code", "Name,Work Type\nCoffee,Wrap\n")
    assert outcome.errors() == {
        2: "Work Type 'Wrap' is of type WRAP_UP_CODE, but Agent Profile 'Desk' lists this code in its Idle Codes"
    }
    assert m.AuxiliaryCode.objects.get(name="Coffee").kind == "IDLE_CODE"
    assert import_csv(tmp_path, "agent-profile", "Name,Description\nDesk,changed\n").counts["updated"] == 1


def test_a_code_no_profile_lists_may_change_kind(idle_codes, tmp_path):
    idle_codes.idle_codes.set(m.AuxiliaryCode.objects.filter(name="Lunch"))
    outcome = import_csv(tmp_path, "auxiliary-code", "Name,Work Type,Default\nCoffee,Wrap,TRUE\n")
    assert outcome.counts["updated"] == 1, outcome.errors()
    assert m.AuxiliaryCode.objects.get(name="Coffee").kind == "WRAP_UP_CODE"


@pytest.fixture
def languages():
    """ENUM skill Lang (English, Serbian, German); profile Agents has English|German."""
    lang = f.make_skill_definition("Lang", type="ENUM", enum_values=["English", "Serbian", "German"])
    agents = m.SkillProfile.objects.create(name="Agents")
    m.SkillProfileSkill.objects.create(profile=agents, skill=lang, value="English|German")
    return lang


def test_an_enum_skill_keeps_the_values_profiles_have(languages, tmp_path):
    outcome = import_csv(tmp_path, "skill-definition", "Name,List Values For Enum\nLang,English|Serbian\n")
    assert outcome.errors() == {
        2: "List Values For Enum must keep 'German': Skill Profile 'Agents' has it for this skill"
    }
    assert m.SkillDefinition.objects.get(pk=languages.pk).enum_values == ["English", "Serbian", "German"]
    exported = tmp_path / "profiles.csv"
    assert run("bulk_export", "skill-profile", "-o", str(exported)).code == 0
    assert run("bulk_import", "skill-profile", str(exported)).counts["unchanged"] == 1


def test_an_enum_skill_may_drop_or_add_a_value_no_profile_has(languages, tmp_path):
    outcome = import_csv(tmp_path, "skill-definition", "Name,List Values For Enum\nLang,German|English|French\n")
    assert outcome.counts["updated"] == 1, outcome.errors()
    assert m.SkillDefinition.objects.get(pk=languages.pk).enum_values == ["German", "English", "French"]

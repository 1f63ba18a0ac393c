"""Every single-object rule of SPEC section 1 rejects a bad value with a message naming the field."""

import pytest
from django.core.exceptions import ValidationError

from bulkops.engine.csvio import Row
from bulkops.engine.rules import ObjectRules, new_object_values
from bulkops.engine.units import Unit, validation_messages
from config_objects import models as m
from config_objects.models.checks import quick_checks
from tests import factories as f
from tests.model_rules import RULES, assert_rejected

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("builder", "values", "field", "fragment"), RULES)
def test_a_rule_rejects_a_bad_value_with_a_message_naming_the_field(builder, values, field, fragment):
    obj = getattr(f, f"build_{builder}")()
    for name, value in values.items():
        setattr(obj, name, value)
    assert_rejected(obj, field, fragment)


def test_an_organization_address_book_takes_no_site():
    assert_rejected(f.build_address_book(site=f.make_site()), "site", "must be empty when Parent Type is ORGANIZATION")


def test_a_capacity_team_takes_no_skill_or_multimedia_profile():
    team = f.build_team(type="CAPACITY", dn="+381111", capacity=3, skill_profile=f.make_skill_profile())
    assert_rejected(team, "skill_profile", "Skill Profile 'Tier 1' is not allowed for CAPACITY teams")
    team = f.build_team(type="CAPACITY", dn="+381111", capacity=3, multimedia_profile=f.multimedia_profile())
    assert_rejected(team, "multimedia_profile", "is not allowed for CAPACITY teams")


def test_address_book_and_ani_entry_numbers_are_checked():
    book = f.make_address_book()
    assert_rejected(m.AddressBookEntry(book=book, name="Office", number="call me"), "number", "Entry Number")
    m.AddressBookEntry(book=book, name="Office", number="+1 (415) 555-0100").full_clean()
    ani = f.make_outdial_ani()
    for bad in ("14155550100", "+12", "+" + "1" * 21, "sip:"):
        assert_rejected(m.OutdialANIEntry(ani=ani, name="Main", number=bad), "number", "is neither an E.164 number")
    for good in ("+14155550100", "sip:sales@example.com"):
        m.OutdialANIEntry(ani=ani, name="Main", number=good).full_clean()


@pytest.mark.parametrize(
    ("skill_type", "enum_values", "value", "fragment"),
    [
        ("PROFICIENCY", [], "11", "must be a whole number from 0 to 10"),
        ("PROFICIENCY", [], "high", "must be a whole number from 0 to 10"),
        ("BOOLEAN", [], "maybe", "must be TRUE or FALSE"),
        ("TEXT", [], "x" * 101, "is longer than 100 characters"),
        ("ENUM", ["English", "Serbian"], "English|Klingon", "'Klingon' is not one of English, Serbian"),
    ],
)
def test_a_skill_profile_value_must_fit_its_skill_type(skill_type, enum_values, value, fragment):
    skill = f.make_skill_definition("Spoken", type=skill_type, enum_values=enum_values)
    profile = f.make_skill_profile("Linguists")
    assert_rejected(m.SkillProfileSkill(profile=profile, skill=skill, value=value), "value", fragment)


def test_skill_values_are_stored_in_canonical_spelling():
    skill = f.make_skill_definition("Spoken", type="ENUM", enum_values=["English", "Serbian"])
    row = m.SkillProfileSkill(profile=f.make_skill_profile("Linguists"), skill=skill, value=" serbian | ENGLISH ")
    row.full_clean()
    assert row.value == "Serbian|English"


def test_the_first_auxiliary_code_of_a_kind_must_be_the_default():
    assert_rejected(f.build_auxiliary_code(is_default=False), "is_default", "would leave IDLE_CODE codes without")


def test_turning_the_default_auxiliary_code_off_is_refused():
    code = f.make_auxiliary_code()
    code = m.AuxiliaryCode.objects.get(pk=code.pk)
    code.is_default = False
    assert_rejected(code, "is_default", "would leave IDLE_CODE codes without a default")


def test_a_new_default_auxiliary_code_takes_the_default_from_the_old_one():
    first = f.make_auxiliary_code("Lunch")
    f.make_auxiliary_code("Meeting", is_default=False)
    f.make_auxiliary_code("Training", is_default=True)
    defaults = list(m.AuxiliaryCode.objects.filter(is_default=True).values_list("name", flat=True))
    assert defaults == ["Training"]
    first.refresh_from_db()
    assert first.is_default is False


def test_moving_the_default_code_to_another_kind_may_not_leave_its_kind_without_a_default():
    f.make_auxiliary_code("Lunch")
    f.make_auxiliary_code("Coffee", is_default=False)
    wrap_up = f.make_work_type("After Call", type="WRAP_UP_CODE")
    lunch = m.AuxiliaryCode.objects.get(name="Lunch")
    lunch.work_type = wrap_up
    assert_rejected(lunch, "work_type", "Work Type 'After Call' would leave IDLE_CODE codes without a default")


def test_a_work_type_keeps_its_type_while_codes_use_it():
    code = f.make_auxiliary_code()
    work_type = m.WorkType.objects.get(pk=code.work_type_id)
    work_type.type = "WRAP_UP_CODE"
    assert_rejected(work_type, "type", "Type cannot change while auxiliary codes use work type 'Break'")


@pytest.mark.parametrize(
    ("option", "list_name", "fragment"),
    [
        (
            {"wrap_up_options": "SPECIFIC"},
            "wrap_up_codes",
            "Wrap Up Codes is required when Wrap Up Options is SPECIFIC",
        ),
        ({"transfer_options": "SPECIFIC"}, "transfer_targets", "Transfer Targets is required"),
        ({"buddy_team_option": "SPECIFIC"}, "buddy_teams", "Buddy Teams is required"),
        ({"queue_statistics_option": "SPECIFIC"}, "selected_queues", "Selected Queues is required"),
        ({"team_statistics_option": "SPECIFIC"}, "selected_teams", "Selected Teams is required"),
        ({"dial_plan_enabled": True}, "dial_plans", "Dial Plan is required when Dial Plan Enabled is TRUE"),
    ],
)
def test_an_agent_profile_list_is_required_for_specific(option, list_name, fragment):
    profile = f.build_agent_profile(**option)
    with pytest.raises(ValidationError) as caught:
        profile.clean_links({})
    assert fragment in caught.value.message_dict[list_name][0]


def test_an_agent_profile_list_must_be_empty_unless_specific_and_of_the_right_kind():
    code = f.make_auxiliary_code()  # an idle code
    profile = f.build_agent_profile()
    with pytest.raises(ValidationError) as caught:
        profile.clean_links({"idle_codes": [code]})
    assert caught.value.message_dict["idle_codes"] == ["Idle Codes must be empty when Idle Options is ALL"]
    profile.wrap_up_options = "SPECIFIC"
    with pytest.raises(ValidationError) as caught:
        profile.clean_links({"wrap_up_codes": [code]})
    assert "Wrap Up Codes: 'Lunch' is not a WRAP_UP_CODE auxiliary code" in caught.value.message_dict["wrap_up_codes"]


def test_a_users_teams_need_the_users_site_and_a_desktop_profile():
    belgrade_team = f.make_team()
    nis = f.make_site("Nis")
    user = f.build_user()
    with pytest.raises(ValidationError) as caught:
        user.clean_links({"teams": [belgrade_team]})
    assert caught.value.message_dict["teams"] == ["Teams need a Site"]
    user.site = nis
    with pytest.raises(ValidationError) as caught:
        user.clean_links({"teams": [belgrade_team]})
    assert "team 'Tier 1 Belgrade' belongs to site 'Belgrade', not 'Nis'" in caught.value.message_dict["teams"][0]
    user.site = belgrade_team.site
    with pytest.raises(ValidationError) as caught:
        user.clean_links({"teams": [belgrade_team]})
    assert "Desktop Profile is required" in caught.value.message_dict["desktop_profile"][0]
    user.desktop_profile = f.make_agent_profile()
    user.clean_links({"teams": [belgrade_team]})


def test_a_users_desktop_profile_must_have_the_users_site():
    profile = f.make_agent_profile(parent_site=f.make_site("Nis"))
    user = f.build_user(site=f.make_site(), desktop_profile=profile)
    assert_rejected(user, "desktop_profile", "Desktop Profile 'Agents' belongs to site 'Nis'")


def test_emails_are_stored_lower_case_and_names_without_surrounding_spaces():
    user = f.make_user("Ana.Petrovic@Example.COM")
    site = f.make_site("  Novi Sad  ")
    assert user.email == "ana.petrovic@example.com"
    assert m.Site.objects.get(pk=site.pk).name == "Novi Sad"


def test_a_name_already_used_ignoring_case_is_refused_with_the_name():
    f.make_site("Belgrade")
    assert_rejected(f.build_site("BELGRADE"), "name", "Name 'BELGRADE' is already used by another site")


@pytest.mark.parametrize(
    ("builder", "field", "new_value", "fragment"),
    [
        (
            "skill_definition",
            "type",
            "BOOLEAN",
            "Type cannot change once the skill definition exists (it is 'PROFICIENCY')",
        ),
        ("queue", "routing_type", "SKILLS_BASED", "Routing Type cannot change once the queue exists"),
        ("team", "type", "CAPACITY", "Type cannot change once the team exists (it is 'AGENT')"),
        ("address_book", "parent_type", "SITE", "Parent Type cannot change once the address book exists"),
    ],
)
def test_a_field_fixed_once_created_cannot_change(builder, field, new_value, fragment):
    obj = getattr(f, f"make_{builder}")()
    obj = type(obj).objects.get(pk=obj.pk)
    setattr(obj, field, new_value)
    assert_rejected(obj, field, fragment)


def test_a_team_cannot_move_to_another_site():
    team = m.Team.objects.get(pk=f.make_team().pk)
    team.site = f.make_site("Nis")
    assert_rejected(team, "site", "Site cannot change once the team exists (it is 'Belgrade')")


def test_distribution_groups_run_from_one_without_gaps_and_list_each_team_once():
    a, b = f.make_team("A"), f.make_team("B")
    assert m.validate_distribution_groups([(1, None, [a]), (2, 60, [b])]) == []
    assert m.validate_distribution_groups([]) == ["a queue needs at least one distribution group"]
    problems = m.validate_distribution_groups([(1, 30, [a]), (3, None, [a])])
    assert "Distribution Group Seq values 1, 3 must run 1, 2, 3, ... without gaps or repeats" in problems
    assert "Group Fallback Time '30' must be empty for group 1" in problems
    assert "Group Fallback Time is required for group 3" in problems
    assert "Group Teams: team 'A' appears in group 1 and group 3" in problems


def full_clean_messages(obj) -> list[str]:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return sorted(validation_messages(error))
    return []


@pytest.mark.parametrize("stored", [False, True], ids=["new", "stored"])
@pytest.mark.parametrize(("builder", "values", "field", "fragment"), RULES)
def test_the_import_s_compiled_rules_give_full_clean_s_messages(builder, values, field, fragment, stored):
    """The engine validates without full_clean where its quick tests are sure: the same messages either way,
    for a new object (defaults tested once per job) and a stored one (its fixed fields checked)."""
    obj = getattr(f, f"{'make' if stored else 'build'}_{builder}")()
    if stored:
        obj = type(obj).objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.normalize()
    rules = ObjectRules(type(obj), [], new_object_values(type(obj)))
    unit = Unit(key="k", rows=[Row(line=2, cells=[])], instance=obj, is_new=not stored)
    rules.validate(unit)
    compiled = sorted(message for messages in unit.messages.values() for message in messages)
    assert compiled == full_clean_messages(obj)
    assert compiled, "the bad value passed"
    if not stored:  # a stored object may be refused first for changing a fixed field (a team's type, say)
        assert any(fragment in message for message in compiled), compiled


@pytest.mark.parametrize(
    "address",
    [
        "ana@example.com",
        "Ana.Petrovic+sales@mail.example.co.rs",
        "ana@localhost",
        "ana@[127.0.0.1]",
        "ana@exämple.com",
        "ana",
        "@example.com",
        "ana@",
        "ana@-example.com",
        "ana..petrovic@example.com",
        '"ana petrovic"@example.com',
        "ana@example",
        "a" * 310 + "@example.com",
        "ana@example.com\n",
    ],
)
def test_an_email_s_quick_test_passes_only_what_django_accepts(address):
    email = m.ContactCenterUser._meta.get_field("email")
    quick_test = dict(quick_checks(m.ContactCenterUser))[email]
    try:
        email.clean(address, None)
        accepted = True
    except ValidationError:
        accepted = False
    assert not quick_test(address) or accepted
    if address in ("ana@example.com", "Ana.Petrovic+sales@mail.example.co.rs", "ana@localhost"):
        assert quick_test(address), "a usual address needs no slow check"

import pytest

from config_objects.registry import OBJECT_TYPES, UnknownObjectType, object_type


@pytest.mark.parametrize(
    "spelling", ["skill-profile", "Skill Profile", "SkillProfile", "skill_profile", " SKILL PROFILE "]
)
def test_an_object_is_found_by_any_common_spelling(spelling):
    assert object_type(spelling).slug == "skill-profile"


def test_every_object_is_found_by_its_slug_label_and_model_name():
    for t in OBJECT_TYPES:
        assert object_type(t.slug) is object_type(t.label) is object_type(t.model.__name__) is t
    assert object_type("Desktop Profile").slug == "agent-profile"
    assert object_type("DN-to-EP Mapping").slug == "dn-mapping"


def test_an_unknown_object_names_the_valid_ones():
    with pytest.raises(UnknownObjectType, match=r"Unknown object 'skil'\. Choose one of: site, work-type"):
        object_type("skil")


def test_every_object_has_one_resource_keyed_on_its_name():
    assert len({t.resource for t in OBJECT_TYPES}) == len(OBJECT_TYPES)
    for t in OBJECT_TYPES:
        assert t.resource._meta.model is t.model
        assert t.resource._meta.import_id_fields == [t.model.key_field]
        assert t.resource().key_column().attribute == t.model.key_field


def test_every_object_comes_after_the_objects_its_columns_name():
    from config_objects.registry import dependency_order, references_of

    order = dependency_order()
    assert sorted(t.slug for t in order) == sorted(t.slug for t in OBJECT_TYPES)
    position = {t.slug: index for index, t in enumerate(order)}
    for t in order:
        for target in references_of(t):
            assert position[target.slug] < position[t.slug], (t.slug, target.slug)
    by_slug = {t.slug: t for t in order}
    assert {o.slug for o in references_of(by_slug["team"])} >= {"site", "skill-profile", "desktop-layout"}


def test_a_cycle_of_references_is_reported_at_start_up(monkeypatch):
    from config_objects import checks, registry

    real = registry.references_of

    def site_names_its_users(t):
        return [registry.object_type("user")] if t.slug == "site" else real(t)

    monkeypatch.setattr(registry, "references_of", site_names_its_users)
    problems = [p for p in checks.check_bulk_objects() if p.id == "config_objects.E009"]
    assert len(problems) == 1
    assert "cycle: site -> user -> site" in problems[0].msg


def test_the_readme_prints_the_import_order():
    from pathlib import Path

    from config_objects.registry import dependency_order

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    printed = readme.split("<!-- dependency order -->\n")[1].split("<!-- /dependency order -->")[0]
    spec_objects = [t for t in dependency_order() if t.model._meta.app_label == "config_objects"]
    expected = "".join(f"{number}. {t.label} (`{t.slug}`)\n" for number, t in enumerate(spec_objects, 1))
    assert printed == expected, f"README.md's import order should read:\n{expected}"

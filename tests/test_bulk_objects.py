"""Every bulk object through `bulk_import` / `bulk_export`, generated from the declarations, the samples
(tests/samples) and the cases (tests/object_cases*.py): its template is the SPEC's header; its sample
imports back unchanged; rows create, update and leave unchanged; each rule fails its row with a
message naming column and value, in English and in Serbian; an export, CSV or workbook, imports back
with every row unchanged; a revert restores the export byte for byte."""

import pytest

from config_objects import models as m
from config_objects.registry import OBJECT_TYPES, object_type
from tests.bulk import run, sheet_rows, write
from tests.object_cases import CASES, SPEC_COLUMNS, columns, csv_file
from tests.object_cases_routing import QUEUE
from tests.world import sample_path

pytestmark = pytest.mark.usefixtures("sync_jobs")


def test_there_is_a_case_for_every_csv_object():
    assert set(CASES) == set(SPEC_COLUMNS) == {t.slug for t in OBJECT_TYPES if t.file_kind == "csv"}


@pytest.mark.parametrize("slug", SPEC_COLUMNS)
def test_the_template_is_the_spec_header(slug, tmp_path):
    target = tmp_path / "template.csv"
    outcome = run("bulk_export", slug, "--template", "-o", str(target))
    assert outcome.code == 0
    assert target.read_bytes().decode("utf-8-sig") == ",".join(columns(slug)) + "\r\n"
    workbook = tmp_path / "template.xlsx"
    assert run("bulk_export", slug, "--template", "-o", str(workbook)).code == 0
    assert sheet_rows(workbook) == [columns(slug)]


@pytest.mark.parametrize("slug", CASES)
def test_rows_create_then_stay_unchanged_then_update(slug, world, tmp_path):
    create, update, _ = CASES[slug]
    model = object_type(slug).model
    before = model.objects.count()
    first = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create))))
    assert (first.code, first.counts) == (0, {"created": len(create), "updated": 0, "unchanged": 0, "failed": 0}), (
        first.err + str(first.errors())
    )
    assert model.objects.count() > before
    again = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create))))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": len(create), "failed": 0}
    changed = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *update))))
    assert changed.counts == {"created": 0, "updated": len(update), "unchanged": 0, "failed": 0}, changed.errors()


@pytest.mark.parametrize(
    ("slug", "index"), [(slug, index) for slug, (_, _, bad) in CASES.items() for index in range(len(bad))]
)
def test_a_rule_fails_its_row_with_a_message_naming_column_and_value(slug, index, world, tmp_path, settings):
    row, message = CASES[slug][2][index]
    path = write(tmp_path, csv_file(slug, row))
    outcome = run("bulk_import", slug, str(path))
    assert outcome.code == 3
    assert outcome.counts["failed"] == 1
    assert message in outcome.errors()[2]
    settings.LANGUAGE_CODE = "sr-latn"  # the language of command-line submissions: the same row, in Serbian
    serbian = run("bulk_import", slug, str(path))
    assert serbian.job.language == "sr-latn" and serbian.counts["failed"] == 1
    assert serbian.errors()[2] != outcome.errors()[2], "the message has no Serbian translation"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("slug", CASES)
def test_an_export_imports_back_with_every_row_unchanged(slug, suffix, world, tmp_path):
    create, _, _ = CASES[slug]
    assert run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create)))).code == 0
    exported = tmp_path / f"export.{suffix}"
    outcome = run("bulk_export", slug, "-o", str(exported))
    assert outcome.code == 0, outcome.err
    if suffix == "csv":
        rows = exported.read_text(encoding="utf-8-sig").splitlines()
        assert rows[0] == ",".join(columns(slug))
    else:
        rows = sheet_rows(exported)
        assert rows[0] == columns(slug)
    back = run("bulk_import", slug, str(exported))
    assert back.code == 0, back.errors()
    assert back.counts["unchanged"] == len(rows) - 1 == back.job.total_rows
    assert back.counts["created"] == back.counts["updated"] == back.counts["failed"] == 0


def export(slug, path) -> bytes:
    outcome = run("bulk_export", slug, "-o", str(path))
    assert outcome.code == 0, outcome.err
    return path.read_bytes()


@pytest.mark.parametrize("t", OBJECT_TYPES, ids=lambda t: t.slug)
def test_every_sample_has_the_template_header_and_imports_back_unchanged(t, world, tmp_path):
    sample = sample_path(t)
    if t.file_kind == "csv":
        template = tmp_path / "template.csv"
        assert run("bulk_export", t.slug, "--template", "-o", str(template)).code == 0
        assert sample.read_bytes().splitlines()[0] == template.read_bytes().splitlines()[0]
    again = run("bulk_import", t.slug, str(sample))
    assert again.code == 0 and again.counts["unchanged"] == again.job.total_rows > 0, again.errors()


@pytest.mark.parametrize("slug", CASES)
def test_a_revert_restores_the_export_byte_for_byte(slug, world, tmp_path):
    create, update, _ = CASES[slug]
    before = export(slug, tmp_path / "before.csv")
    created = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *create))))
    updated = run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *update))))
    assert export(slug, tmp_path / "changed.csv") != before
    for job in (updated.job, created.job):  # newest first
        reverted = run("bulk_revert", str(job.pk))
        assert reverted.code == 0 and reverted.job.failed == 0, reverted.err + str(reverted.errors())
    assert export(slug, tmp_path / "after.csv") == before


def test_exported_formulas_are_neutralised_and_import_restores_them(world, tmp_path):
    create, _, _ = CASES["site"]
    run("bulk_import", "site", str(write(tmp_path, csv_file("site", *create))))
    exported = tmp_path / "sites.csv"
    run("bulk_export", "site", "-o", str(exported))
    assert "'=SUM(A1) @ HQ" in exported.read_text(encoding="utf-8-sig")
    assert m.Site.objects.get(name="Kragujevac").description == "=SUM(A1) @ HQ"


def test_skill_profile_rows_merge_and_delete_skills(world, tmp_path):
    run("bulk_import", "skill-profile", str(write(tmp_path, csv_file("skill-profile", *CASES["skill-profile"][0]))))
    delete = csv_file("skill-profile", {"Name": "Seniors", "Skill Name": "Language", "Delete": "Yes"})
    outcome = run("bulk_import", "skill-profile", str(write(tmp_path, delete)))
    assert outcome.counts["updated"] == 1
    profile = m.SkillProfile.objects.get(name="Seniors")
    assert [(s.skill.name, s.value) for s in profile.skill_values.all()] == [("Level", "9")]
    again = run("bulk_import", "skill-profile", str(write(tmp_path, delete)))
    assert again.counts["unchanged"] == 1


def test_skill_values_are_stored_in_canonical_spelling(world, tmp_path):
    run("bulk_import", "skill-profile", str(write(tmp_path, csv_file("skill-profile", *CASES["skill-profile"][0]))))
    values = dict(m.SkillProfileSkill.objects.filter(profile__name="Seniors").values_list("skill__name", "value"))
    assert values == {"Language": "English|Serbian", "Level": "9"}


def test_a_multi_row_object_fails_whole_and_all_its_rows_go_to_the_error_file(world, tmp_path):
    rows = [
        {"Name": "Billing", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"} | QUEUE,
        {"Name": "Tech", "Distribution Group Seq": "1", "Group Teams": "Tier 2 Nis"} | QUEUE,
        {"Name": "Billing", "Distribution Group Seq": "2", "Group Teams": "Nope"},
    ]
    outcome = run("bulk_import", "queue", str(write(tmp_path, csv_file("queue", *rows))))
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 2}
    assert outcome.errors() == {
        2: "Not imported because line 4 of queue 'Billing' failed",
        4: "Group Teams 'Nope' does not exist",
    }
    assert outcome.job.objects_count == 2
    assert not m.Queue.objects.filter(name="Billing").exists()


def test_a_later_row_may_not_contradict_its_objects_first_row(world, tmp_path):
    rows = [
        {"Name": "Billing", "Distribution Group Seq": "1", "Group Teams": "Tier 1 Belgrade"} | QUEUE,
        {"Name": "Billing", "Distribution Group Seq": "2", "Group Fallback Time": "5", "Group Teams": "Tier 2 Nis"}
        | {"Channel Type": "chat", "Timezone": "Europe/Belgrade"},
    ]
    outcome = run("bulk_import", "queue", str(write(tmp_path, csv_file("queue", *rows))))
    assert outcome.errors()[3] == "Channel Type 'chat' contradicts line 2 ('TELEPHONY')"


def test_a_queue_import_replaces_its_distribution_groups(world, tmp_path):
    create, update, _ = CASES["queue"]
    run("bulk_import", "queue", str(write(tmp_path, csv_file("queue", *create))))
    run("bulk_import", "queue", str(write(tmp_path, csv_file("queue", *update))))
    groups = m.Queue.objects.get(name="Billing").groups.all()
    assert [(g.seq, [t.name for t in g.teams.all()]) for g in groups] == [(1, ["Tier 2 Nis"])]


def test_address_book_entries_merge_by_name(world, tmp_path):
    create, update, _ = CASES["address-book"]
    run("bulk_import", "address-book", str(write(tmp_path, csv_file("address-book", *create))))
    run("bulk_import", "address-book", str(write(tmp_path, csv_file("address-book", *update))))
    delete = {"Name": "Suppliers", "Parent Type": "ORGANIZATION", "Entry Name": "acme", "Delete": "yes"}
    run("bulk_import", "address-book", str(write(tmp_path, csv_file("address-book", delete))))
    entries = m.AddressBook.objects.get(name="Suppliers").entries.order_by("name")
    assert [(e.name, e.number) for e in entries] == [("Globex", "0800-123"), ("Initech", "200")]


def test_default_on_moves_the_default_auxiliary_code(world, tmp_path):
    run("bulk_import", "auxiliary-code", str(write(tmp_path, csv_file("auxiliary-code", *CASES["auxiliary-code"][0]))))
    defaults = dict(m.AuxiliaryCode.objects.filter(is_default=True).values_list("kind", "name"))
    assert defaults == {"IDLE_CODE": "Lunch", "WRAP_UP_CODE": "Escalated"}


def test_a_user_row_sets_teams_and_stores_the_email_lower_case(world, tmp_path):
    run("bulk_import", "user", str(write(tmp_path, csv_file("user", *CASES["user"][0]))))
    user = m.ContactCenterUser.objects.get(email="mila@example.com")
    assert [t.name for t in user.teams.all()] == ["Tier 1 Belgrade"]
    assert user.desktop_profile.name == "Agents"

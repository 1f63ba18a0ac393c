"""Files as users really send them: odd encodings, separators, broken rows. Each gets a clear message
and nothing half-applied."""

import codecs
import csv
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bulkops.engine.cells import CsvWriter, neutralise
from bulkops.engine.repeats import FirstLines
from bulkops.models import Job
from config_objects import models as m
from config_objects.models import Site
from tests import factories as f
from tests.bulk import csv_text, run, write

pytestmark = pytest.mark.usefixtures("sync_jobs")

HEADER = "Name,Description,Multimedia Profile"
MP = "Default Multimedia Profile"


def import_sites(tmp_path, content, *options, name="sites.csv"):
    return run("bulk_import", "site", str(write(tmp_path, content, name)), *options)


def assert_counts_add_up(job):
    assert job.created + job.updated + job.unchanged + job.failed == job.total_rows == job.done_rows


def test_an_empty_file_fails_the_job(tmp_path):
    outcome = import_sites(tmp_path, "")
    assert outcome.code == 1
    assert outcome.job.status == Job.Status.FAILED
    assert outcome.job.failure_reason == "The file is empty: it needs a header row naming the columns."


def test_a_header_only_file_completes_with_no_rows(tmp_path):
    outcome = import_sites(tmp_path, HEADER + "\n")
    assert outcome.code == 0
    assert (outcome.job.status, outcome.job.total_rows) == (Job.Status.COMPLETED, 0)


def test_a_file_without_a_required_column_updates_and_cannot_create(tmp_path, catalogue_defaults):
    f.make_site("Belgrade", description="old")
    outcome = import_sites(tmp_path, csv_text("Name,Description", "belgrade,new", "Nis,x"))
    assert outcome.code == 3
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0, "failed": 1}
    assert outcome.errors() == {3: "A new Site needs the column 'Multimedia Profile'"}
    site = Site.objects.get()
    assert (site.name, site.description, site.multimedia_profile.name) == ("belgrade", "new", MP)
    again = import_sites(tmp_path, csv_text("Name,Description", "belgrade,new"))
    assert again.counts["unchanged"] == 1


def test_a_file_without_its_key_column_fails_the_job_and_names_it(tmp_path):
    outcome = import_sites(tmp_path, csv_text("Description,Multimedia Profile", f"x,{MP}"))
    assert outcome.code == 1
    assert outcome.job.failure_reason == (
        "Missing column 'Name'. The columns of Site are: Name, Description, Multimedia Profile."
    )
    assert not Site.objects.exists()


def test_child_rows_without_their_columns_keep_the_children_or_need_them_for_a_new_one(tmp_path, world):
    descriptions = write(tmp_path, csv_text("Name,Description", "Support,Front line"), "queues.csv")
    outcome = run("bulk_import", "queue", str(descriptions))
    assert outcome.counts["updated"] == 1, outcome.errors()
    queue = m.Queue.objects.get(name="Support")
    assert queue.description == "Front line"
    assert [(g.seq, [t.name for t in g.teams.all()]) for g in queue.groups.all()] == [(1, ["Tier 1 Belgrade"])]
    entries = csv_text(
        "Name,Entry Name,Delete",
        "Partners,Front Desk,",  # an entry it has: its number stays
        "Partners,Night Desk,",  # a new entry needs its number
    )
    outcome = run("bulk_import", "address-book", str(write(tmp_path, entries, "books.csv")))
    assert outcome.counts["failed"] == 2
    assert outcome.errors()[3] == "A new entry needs the column 'Entry Number'"


def test_a_partial_file_previews_reverts_and_goes_in_a_package_keeping_what_it_leaves_out(tmp_path, world):
    def groups():
        queue = m.Queue.objects.get(name="Support")
        return [(group.seq, [team.name for team in group.teams.all()]) for group in queue.groups.all()]

    before = groups()
    descriptions = write(tmp_path, csv_text("Name,Description", "Support,Front line"), "queues.csv")
    preview = run("bulk_import", "queue", str(descriptions), "--validate-only")
    assert (preview.job.updated, preview.job.failed) == (1, 0)
    imported = run("bulk_import", "queue", str(descriptions))
    assert m.Queue.objects.get(name="Support").description == "Front line" and groups() == before
    reverted = run("bulk_revert", str(imported.job.pk))
    assert reverted.job.failed == 0 and m.Queue.objects.get(name="Support").description != "Front line"
    assert groups() == before

    package = tmp_path / "partial.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("sites.csv", csv_text("Name,Description", "Belgrade,Capital", "Kragujevac,New"))
        archive.writestr("teams.csv", csv_text("Name,Site,Type", "Tier 9,Kragujevac,AGENT"))
    outcome = run("bulk_import", "package", str(package))
    assert outcome.job.updated == 1 and outcome.job.failed == 2
    assert set(outcome.job.errors.values_list("message", flat=True)) == {
        "A new Site needs the column 'Multimedia Profile'",
        "Site 'Kragujevac' failed in this package",
    }
    assert Site.objects.get(name="Belgrade").description == "Capital"


def test_an_unknown_column_fails_the_job_so_a_typo_never_drops_data(tmp_path):
    outcome = import_sites(tmp_path, csv_text("Name,Descripton,Multimedia Profile", f"Belgrade,x,{MP}"))
    assert outcome.job.failure_reason.startswith("Unknown column 'Descripton'. The columns of Site are:")
    assert not Site.objects.exists()


def test_a_column_named_twice_fails_the_job(tmp_path):
    outcome = import_sites(tmp_path, csv_text("Name,name ,Multimedia Profile", f"a,b,{MP}"))
    assert outcome.job.failure_reason == "Column 'Name' appears twice (columns 1 and 2)."


def test_header_names_match_ignoring_case_spaces_and_order(tmp_path):
    outcome = import_sites(tmp_path, csv_text(" multimedia PROFILE ,NAME", f"{MP},Belgrade"))
    assert outcome.counts["created"] == 1


def test_a_byte_order_mark_and_semicolons_are_understood(tmp_path):
    content = (
        codecs.BOM_UTF8 + csv_text("Name;Description;Multimedia Profile", f"Belgrade;Glavni grad, Srbija;{MP}").encode()
    )
    outcome = import_sites(tmp_path, content)
    assert outcome.counts["created"] == 1
    assert Site.objects.get().description == "Glavni grad, Srbija"


def test_a_utf16_file_is_read_as_utf16(tmp_path):
    content = csv_text(HEADER, f"Niš,Jug,{MP}").encode("utf-16")
    outcome = import_sites(tmp_path, content)
    assert outcome.counts["created"] == 1
    assert Site.objects.get().name == "Niš"


def test_another_encoding_can_be_chosen(tmp_path):
    content = csv_text(HEADER, f"Niš,Čačak area,{MP}").encode("cp1250")
    assert import_sites(tmp_path, content).job.status == Job.Status.FAILED
    outcome = import_sites(tmp_path, content, "--encoding", "cp1250")
    assert outcome.counts["created"] == 1
    assert Site.objects.get().description == "Čačak area"


def test_bytes_that_do_not_decode_fail_the_job_with_the_line_and_apply_nothing(tmp_path):
    content = csv_text(HEADER, f"Belgrade,ok,{MP}").encode() + b"Nis,caf\xe9,Default Multimedia Profile\n"
    outcome = import_sites(tmp_path, content)
    assert outcome.code == 1
    assert outcome.job.failure_reason.startswith("Line 3 cannot be read as UTF-8.")
    assert not Site.objects.exists()


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (b"caf\xe9,x\nLyon,y,z\n", "Line 3002 cannot be read as UTF-8. Save the file"),
        (b"caf\xc3", "Line 3002 cannot be read as UTF-8: the file ends mid-character."),
    ],
)
def test_bytes_that_do_not_decode_far_into_a_file_fail_it_with_their_line(tmp_path, bad, reason):
    """Lines after the first block (64 KB) are decoded a block at a time: a bad line is still named."""
    rows = [f"Site {n:05},{'x' * 40},{MP}" for n in range(3000)]
    outcome = import_sites(tmp_path, csv_text(HEADER, *rows).encode() + b"Nis," + bad)
    assert outcome.code == 1
    assert outcome.job.failure_reason.startswith(reason), outcome.job.failure_reason
    assert not Site.objects.exists()


def test_a_large_file_s_lines_all_arrive_whatever_their_endings(tmp_path):
    rows = [f"Site {n:05},{'Niš ' * 10},{MP}" for n in range(3000)]
    content = HEADER + "\r" + "\r\n".join(rows[:1500]) + "\r\n" + "\n".join(rows[1500:]) + "\n"
    outcome = import_sites(tmp_path, content.encode())
    assert outcome.code == 0, outcome.err
    assert outcome.counts["created"] == 3000
    assert Site.objects.filter(description="Niš Niš Niš Niš Niš Niš Niš Niš Niš Niš").count() == 3000


def test_quoted_newlines_stay_in_their_cell_and_line_numbers_follow_the_file(tmp_path):
    content = csv_text(HEADER, f'Belgrade,"two\nlines",{MP}', "Bad|Name,,x")
    outcome = import_sites(tmp_path, content)
    assert Site.objects.get().description == "two\nlines"
    assert list(outcome.errors()) == [4]


def test_a_huge_cell_fails_its_row_and_is_kept_whole_in_the_error_file(tmp_path):
    huge = "x" * 100_000
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,{huge},{MP}", f"Nis,,{MP}"))
    assert outcome.errors() == {2: "Description is longer than 255 characters (it has 100000)"}
    assert outcome.counts["created"] == 1
    target = tmp_path / "errors.csv"
    run("bulk_errors", str(outcome.job.pk), "-o", str(target))
    assert huge in target.read_text(encoding="utf-8-sig")


def test_a_ragged_row_fails_saying_so(tmp_path):
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,x,{MP},extra", "Nis,y", f"Novi Sad,,{MP}"))
    assert outcome.errors() == {
        2: "Row has 4 cells but the header has 3 columns",
        3: "Row has 2 cells but the header has 3 columns",
    }
    assert list(Site.objects.values_list("name", flat=True)) == ["Novi Sad"]
    assert_counts_add_up(outcome.job)


def test_a_repeated_name_fails_every_later_row_naming_the_first_line(tmp_path):
    outcome = import_sites(
        tmp_path, csv_text(HEADER, f"Belgrade,a,{MP}", f"Nis,,{MP}", f"BELGRADE ,b,{MP}", f"belgrade,c,{MP}")
    )
    assert outcome.errors() == {
        4: "Name 'BELGRADE' is repeated: it first appears on line 2",
        5: "Name 'belgrade' is repeated: it first appears on line 2",
    }
    assert Site.objects.get(name="Belgrade").description == "a"


def test_a_name_repeated_in_a_later_chunk_fails_naming_its_first_line(tmp_path, settings):
    settings.BULK_CHUNK_ROWS = 2  # lines 2-3, 4-5, 6-7, 8
    names = ["Belgrade", "Nis", "Novi Sad", "NIS", "Subotica", "belgrade", "Kragujevac"]
    outcome = import_sites(tmp_path, csv_text(HEADER, *(f"{name},,{MP}" for name in names)))
    assert outcome.errors() == {
        5: "Name 'NIS' is repeated: it first appears on line 3",
        7: "Name 'belgrade' is repeated: it first appears on line 2",
    }
    assert outcome.counts == {"created": 5, "updated": 0, "unchanged": 0, "failed": 2}
    assert_counts_add_up(outcome.job)


def test_a_name_repeated_after_chunks_in_order_fails_naming_its_first_line(tmp_path, settings):
    """The names of the first chunks are in order, so none is looked up; the first one out of order
    still finds every earlier name."""
    settings.BULK_CHUNK_ROWS = 2
    names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "bravo", "Golf", "Hotel", "Charlie "]
    outcome = import_sites(tmp_path, csv_text(HEADER, *(f"{name},,{MP}" for name in names)))
    assert outcome.errors() == {
        8: "Name 'bravo' is repeated: it first appears on line 3",
        11: "Name 'Charlie' is repeated: it first appears on line 4",
    }
    assert outcome.counts == {"created": 8, "updated": 0, "unchanged": 0, "failed": 2}


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    names=st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]), max_size=40),
    sizes=st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=10),
)
def test_each_name_s_first_line_is_found_whether_the_names_come_in_order_or_not(names, sizes):
    """FirstLines against a plain dict, over files in order, out of order, and in order for a while."""
    names = sorted(names[: len(names) // 2]) + names[len(names) // 2 :]  # often in order at first
    lines = list(enumerate(names, start=2))
    first_seen = {}
    with FirstLines() as first_lines:
        at, turn = 0, 0
        while at < len(lines):
            chunk = [(name, line) for line, name in lines[at : at + sizes[turn % len(sizes)]]]
            at, turn = at + len(chunk), turn + 1
            for name, line in chunk:
                first_seen.setdefault(name, line)
            assert first_lines(chunk) == {name: first_seen[name] for name, _line in chunk}


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    width=st.integers(min_value=1, max_value=4),
    cells=st.lists(st.text(alphabet="ab =+-@'\t\r\n,;\"\u00e9", max_size=6), max_size=24),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_rows_written_from_columns_are_the_csv_module_s_rows_of_neutralised_cells(width, cells, delimiter):
    """CsvWriter.columns joins rows itself when no cell needs quotes: the same text as the csv
    module's, whatever the cells (quotes, delimiters, line ends, formulas, an empty single column)."""
    rows = [cells[at : at + width] for at in range(0, len(cells) - len(cells) % width, width)]
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
    written, expected = io.StringIO(), io.StringIO()
    CsvWriter(written, delimiter=delimiter).columns(columns)
    csv.writer(expected, delimiter=delimiter, lineterminator="\r\n").writerows(
        [neutralise(cell) for cell in row] for row in rows
    )
    assert written.getvalue() == expected.getvalue()


def test_a_broken_reference_fails_its_row_and_changes_nothing_of_the_object(tmp_path):
    f.make_site("Belgrade", description="before")
    outcome = import_sites(tmp_path, csv_text(HEADER, "Belgrade,after,Missing Profile"))
    assert outcome.errors() == {2: "Multimedia Profile 'Missing Profile' does not exist"}
    assert Site.objects.get().description == "before"


def test_an_optional_column_left_out_keeps_its_value_and_an_empty_cell_clears_it(tmp_path):
    f.make_entry_point("Sales", description="keep me", asset_name="Bot")
    header = "Name,Service Level Threshold,Timezone,Channel Type,Asset Name"
    outcome = run(
        "bulk_import", "entry-point", str(write(tmp_path, csv_text(header, "sales,20,Europe/Belgrade,TELEPHONY,")))
    )
    assert outcome.counts["updated"] == 1
    from config_objects.models import EntryPoint

    entry_point = EntryPoint.objects.get()
    assert (entry_point.name, entry_point.description, entry_point.asset_name) == ("sales", "keep me", "")


def test_a_value_under_a_nameless_column_fails_its_row(tmp_path):
    outcome = import_sites(tmp_path, csv_text(HEADER + ",", f"Belgrade,,{MP},", f"Nis,,{MP},surprise"))
    assert outcome.errors() == {3: "Row has a value in column 4, which has no header"}


def test_lines_with_no_value_at_all_are_not_rows(tmp_path):
    outcome = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,,{MP}", "", ",,", f"Nis,,{MP}"))
    assert outcome.job.total_rows == 2
    assert outcome.counts["created"] == 2


def test_the_error_file_can_be_fixed_and_uploaded_as_it_is(tmp_path):
    first = import_sites(tmp_path, csv_text(HEADER, f"Belgrade,,{MP}", "Nis,south,Nope", f"Bad|Name,,{MP}"))
    errors = tmp_path / "errors.csv"
    run("bulk_errors", str(first.job.pk), "-o", str(errors))
    lines = errors.read_text(encoding="utf-8-sig").splitlines()
    assert lines == [
        "Name,Description,Multimedia Profile,Error Message",
        "Nis,south,Nope,Multimedia Profile 'Nope' does not exist",
        "Bad|Name,,Default Multimedia Profile,"
        "\"Name 'Bad|Name' may contain only letters, digits, '-', '_' and spaces\"",
    ]
    fixed = errors.read_text(encoding="utf-8-sig").replace("Nope", MP).replace("Bad|Name", "Kragujevac")
    second = import_sites(tmp_path, fixed, name="errors-fixed.csv")
    assert second.code == 0
    assert second.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 0}


def test_validate_only_reports_counts_and_errors_and_changes_nothing(tmp_path):
    f.make_site("Belgrade")
    outcome = import_sites(
        tmp_path, csv_text(HEADER, f"Belgrade,new,{MP}", f"Nis,,{MP}", "Bad|Name,,x"), "--validate-only"
    )
    assert outcome.code == 3
    assert outcome.job.operation == Job.Operation.VALIDATE
    assert outcome.counts == {"created": 1, "updated": 1, "unchanged": 0, "failed": 1}
    assert list(Site.objects.values_list("name", "description")) == [("Belgrade", "")]


def test_validate_only_of_auxiliary_codes_sees_earlier_rows(tmp_path):
    f.make_work_type("Break")
    content = csv_text("Name,Default,Work Type", "Lunch,ON,Break", "Coffee,OFF,Break")
    outcome = run("bulk_import", "auxiliary-code", str(write(tmp_path, content)), "--validate-only")
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 0}
    from config_objects.models import AuxiliaryCode

    assert not AuxiliaryCode.objects.exists()


def test_a_cell_neutralised_by_an_export_is_restored_on_import(tmp_path):
    import_sites(tmp_path, csv_text(HEADER, f"Belgrade,'=1+1,{MP}", f"Nis,'Rock 'n' roll,{MP}"))
    assert dict(Site.objects.values_list("name", "description")) == {"Belgrade": "=1+1", "Nis": "'Rock 'n' roll"}


def test_a_file_over_the_row_limit_fails_before_anything_is_written(tmp_path, settings):
    settings.BULK_MAX_ROWS = 2
    outcome = import_sites(tmp_path, csv_text(HEADER, f"A,,{MP}", f"B,,{MP}", f"C,,{MP}"))
    assert outcome.job.failure_reason == "The file has more than 2 rows, the limit for one import."
    assert not Site.objects.exists()


def test_a_file_over_the_size_limit_or_of_the_wrong_type_is_refused(tmp_path, settings):
    settings.BULK_MAX_FILE_BYTES = 10
    too_big = import_sites(tmp_path, csv_text(HEADER, f"A,,{MP}"))
    assert too_big.code == 1
    assert "'sites.csv' is 0.0 MB; the limit is 0 MB per file." in too_big.err
    wrong = import_sites(tmp_path, "Name\n", name="sites.ods")
    assert wrong.code == 1
    assert "'sites.ods' is neither a CSV file nor an Excel workbook" in wrong.err
    assert not Job.objects.exists()


def test_a_second_job_is_refused_while_one_is_active(tmp_path):
    active = Job.objects.create(object_type="team", operation="import", submitted_by_name="ana", file_name="t.csv")
    outcome = import_sites(tmp_path, csv_text(HEADER, f"A,,{MP}"))
    assert outcome.code == 1
    assert (
        f"Another bulk job is active: job {active.pk} (Team, import), submitted by ana, is waiting to start, "
        "but no worker is running" in outcome.err
    )
    assert Job.objects.count() == 1


def test_unknown_objects_and_missing_files_are_command_errors(tmp_path):
    assert "Unknown object 'sitez'" in run("bulk_import", "sitez", "x.csv").err
    assert "There is no file" in run("bulk_import", "site", str(tmp_path / "nope.csv")).err
    assert "There is no job 999" in run("bulk_job", "999").err


def test_the_job_commands_list_and_show_jobs(tmp_path):
    first = import_sites(tmp_path, csv_text(HEADER, f"A,,{MP}", "B,,Nope"))
    second = run("bulk_export", "site", "-o", str(tmp_path / "out.csv"))
    listing = run("bulk_jobs").out.splitlines()
    assert listing[0].split()[:3] == ["ID", "Submitted", "By"]
    assert listing[1].startswith(str(second.job.pk)) and listing[2].startswith(str(first.job.pk))
    details = run("bulk_job", str(first.job.pk)).out
    assert "Completed with errors" in details and "Failed:       1" in details
    assert f"bulk_errors {first.job.pk}" in details


def test_a_job_records_who_submitted_it_and_when(tmp_path, django_user_model):
    django_user_model.objects.create_user("ana", password="x")
    outcome = import_sites(tmp_path, csv_text(HEADER, f"A,,{MP}"), "--user", "ana")
    job = outcome.job
    assert job.submitted_by.username == job.submitted_by_name == "ana"
    assert job.submitted_at <= job.started_at <= job.finished_at
    assert job.active_slot is None

"""A chunk of one-row objects is read a column at a time, its unchanged rows are found by comparing
columns and its new objects made and tested a column at a time (bulkops.engine.reading.flat_chunk,
in_columns.ChunkColumns): the same keys, values and outcomes, message for message, as the row-by-row
path, which a chunk with an unusual row still takes."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bulkops.engine.csvio import Record
from bulkops.engine.planning import Planner
from bulkops.engine.reading import FileReader
from bulkops.engine.units import Chunk
from config_objects.models import DialPlan, Site
from config_objects.registry import object_type
from tests.bulk import csv_text, run, write
from tests.factories import make_agent_profile, make_site, make_team, make_user_profile

# Cells as a spreadsheet may hold them: spaces around, formula-like starts and their neutralised
# form, quotes, non-ASCII letters whose case folding is not lowering (ß, İ, Σ), decomposed accents.
PIECES = [" ", "  ", "'", "'=", "=", "+", "-", "@", "a", "Z", "ß", "İ", "Σ", "e\u0301", "é", "Ω", "1", ",", "\t"]
cells = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)


def read_both_ways(slug: str, header: list[str], rows: list[list[str]]):
    reader = FileReader(object_type(slug).resource())
    reader.map_header(header)
    records = [Record(line, cells) for line, cells in enumerate(rows, start=2)]
    by_columns = reader.flat_chunk(records)
    by_rows = [(reader.key_of(record.cells), reader.make_row(record)) for record in records]
    return by_columns, by_rows


@pytest.mark.parametrize(
    "slug, header",
    [
        ("site", ["Name", "Description", "Multimedia Profile"]),
        # A column that keeps its spaces, an ignored one and the error file's own column.
        ("dial-plan", ["Name", "Stripped Characters", "Error Message", "Description"]),
    ],
)
@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_chunk_read_as_columns_is_the_chunk_read_row_by_row(slug, header, data):
    rows = data.draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), min_size=1, max_size=5))
    by_columns, by_rows = read_both_ways(slug, header, rows)
    assert by_columns.columns is not None
    assert [unit.key for unit in by_columns] == [key for key, _row in by_rows]
    assert [unit.rows[0] for unit in by_columns] == [row for _key, row in by_rows]
    for name, column in by_columns.columns.items():
        assert list(column) == [row.values[name] for _key, row in by_rows]


def test_a_chunk_with_an_unusual_row_is_read_row_by_row():
    header = ["Name", "Description", "Multimedia Profile"]
    by_columns, by_rows = read_both_ways("site", header, [["A", "x", "P"], ["B", "y"], ["C\x00", "z", "P"]])
    assert by_columns.columns is None
    assert [(unit.key, unit.rows[0]) for unit in by_columns] == by_rows
    assert by_rows[1][1].problem and by_rows[2][1].problem


@pytest.mark.usefixtures("sync_jobs")
@pytest.mark.parametrize("chunk_rows", [1, 2, 1000])
def test_reimported_cells_compare_as_their_stored_values(settings, tmp_path, chunk_rows):
    """Names and texts written with spaces around, references in another case and neutralised cells are
    unchanged when their stored values are; a changed cell, a repeated name (as its folded form) and a
    reference to nothing are not."""
    settings.BULK_CHUNK_ROWS = chunk_rows
    profile = "Default Multimedia Profile"
    first = csv_text(
        "Name,Description,Multimedia Profile",
        f"Straße,'=formula,{profile}",
        f"İzmir,plain,{profile}",
        f"Plan B,  spaced  ,{profile}",
    )
    assert run("bulk_import", "site", str(write(tmp_path, first))).counts == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
    }
    assert Site.objects.get(name="Straße").description == "=formula"
    again = csv_text(
        "Name,Description,Multimedia Profile",
        f"  Straße ,'=formula,{profile.upper()}",
        f"İzmir,plain, {profile}",
        f"Plan B,spaced,{profile}",
        f"plan b,spaced,{profile}",
        "STRASSE,'=formula,No Such Profile",
    )
    outcome = run("bulk_import", "site", str(write(tmp_path, again)))
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 3, "failed": 2}
    assert outcome.errors() == {
        5: "Name 'plan b' is repeated: it first appears on line 4",
        6: "Name 'STRASSE' is repeated: it first appears on line 2",
    }

    # The same names, one line each, with one cell changed: updated, the rest unchanged.
    changed = csv_text(
        "Name,Description,Multimedia Profile",
        f"Straße,'=formula,{profile}",
        f"İzmir,now changed,{profile}",
        "Plan B,spaced,No Such Profile",
    )
    outcome = run("bulk_import", "site", str(write(tmp_path, changed)))
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 1, "failed": 1}
    assert outcome.errors()[4] == "Multimedia Profile 'No Such Profile' does not exist"
    assert Site.objects.get(name="İzmir").description == "now changed"


@pytest.mark.usefixtures("sync_jobs")
def test_characters_kept_as_written_are_compared_as_written(tmp_path):
    text = csv_text("Name,Regular Expression,Stripped Characters", "Plan, ^\\d+$ , - ")
    assert run("bulk_import", "dial-plan", str(write(tmp_path, text))).counts["created"] == 1
    assert DialPlan.objects.get(name="Plan").stripped_characters == " - "
    same = run("bulk_import", "dial-plan", str(write(tmp_path, text)))
    assert same.counts == {"created": 0, "updated": 0, "unchanged": 1, "failed": 0}
    trimmed = csv_text("Name,Regular Expression,Stripped Characters", "Plan,^\\d+$,-")
    assert run("bulk_import", "dial-plan", str(write(tmp_path, trimmed))).counts["updated"] == 1
    assert DialPlan.objects.get(name="Plan").stripped_characters == "-"


@pytest.mark.usefixtures("sync_jobs")
def test_a_neutralised_tab_is_stripped_as_the_text_widget_strips_it(tmp_path):
    """A description stored with a leading tab (by the shell, say) exports as "'<tab>…"; imported back,
    the widget strips the tab, so the row updates the description rather than finding it unchanged."""
    profile = "Default Multimedia Profile"
    run("bulk_import", "site", str(write(tmp_path, csv_text("Name,Multimedia Profile", f"Tabbed,{profile}"))))
    Site.objects.filter(name="Tabbed").update(description="\tindented")
    again = csv_text("Name,Description,Multimedia Profile", f"Tabbed,'\tindented,{profile}")
    outcome = run("bulk_import", "site", str(write(tmp_path, again)))
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0, "failed": 0}
    assert Site.objects.get(name="Tabbed").description == "indented"


# -- new objects made a column at a time ------------------------------------------------------------

NAMES = ["", " ", "Alpha", "alpha ", "Beta", "Ünïcode", "x" * 81, "Pipe|name", "zero\u200bwidth", "'=sum", "İz"]
TEXTS = ["", "plain", "  spaced  ", "'+1", "y" * 256, "tab\tinside", "Ω"]
REFERENCES = ["", "Default Multimedia Profile", " default multimedia PROFILE ", "No Such Profile"]


def plan_both_ways(slug: str, header: list[str], rows: list[list[str]]):
    """The same chunk planned as read a column at a time and as read row by row, each by a planner
    of its own."""
    chunks = []
    for in_columns in (True, False):
        resource = object_type(slug).resource()
        reader = FileReader(resource)
        reader.map_header(header)
        records = [Record(line, cells) for line, cells in enumerate(rows, start=2)]
        chunk = reader.flat_chunk(records)
        if not in_columns:
            chunk = Chunk(chunk)  # the same units without their columns: planned one by one
        assert (chunk.columns is not None) == in_columns
        planner = Planner(resource, reader.present, None)
        with planner.first_lines:
            planner.plan(chunk)
        chunks.append(chunk)
    return chunks


def planned(unit) -> dict:
    """What planning decided for a unit: its outcome, messages, new object's values and lists."""
    obj = unit.instance
    fields = type(obj)._meta.concrete_fields if obj is not None else []
    return {
        "failed": unit.failed,
        "messages": dict(unit.messages),
        "is_new": unit.is_new,
        "values": {f.attname: getattr(obj, f.attname) for f in fields},
        "related": {f.name: f.get_cached_value(obj) for f in fields if f.is_relation and f.is_cached(obj)},
        "links": {name: [item.pk for item in items] for name, items in unit.links.items()},
        "links_changed": set(unit.links_changed),
    }


@pytest.mark.django_db
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_new_sites_made_in_columns_are_those_made_one_by_one(data):
    header = ["Name", "Description", "Multimedia Profile"]
    row = st.tuples(st.sampled_from(NAMES), st.sampled_from(TEXTS), st.sampled_from(REFERENCES)).map(list)
    rows = data.draw(st.lists(row, min_size=1, max_size=6))
    by_columns, by_rows = plan_both_ways("site", header, rows)
    assert [planned(unit) for unit in by_columns] == [planned(unit) for unit in by_rows]


@pytest.mark.django_db
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_new_users_made_in_columns_are_those_made_one_by_one(data):
    """A model with cross-field rules (a desktop profile of another site), rules over its lists (teams)
    and references that may be empty or name nothing."""
    header = ["Email", "First Name", "User Profile", "Contact Center Enabled", "Site", "Teams", "Desktop Profile"]
    if not Site.objects.filter(name="Hub").exists():
        hub, other = make_site("Hub"), make_site("Other")
        make_team("Team A", site=hub)
        make_team("Team B", site=other)
        make_user_profile("Standard Agent")
        make_agent_profile("Agents")
        make_agent_profile("Hub Desk", parent_site=hub)
    row = st.tuples(
        st.sampled_from(["ana@example.com", "ANA@example.com", "bob@example.com", "not an email", ""]),
        st.sampled_from(["Ana", "", "z" * 81]),
        st.sampled_from(["Standard Agent", "", "Nobody"]),
        st.sampled_from(["On", "Off", "", "maybe"]),
        st.sampled_from(["Hub", "Other", "", "Nowhere"]),
        st.sampled_from(["Team A", "Team A|Team B", "", "Team C", "Team A: Other"]),
        st.sampled_from(["Agents", "Hub Desk", "", "No Desk"]),
    ).map(list)
    rows = data.draw(st.lists(row, min_size=1, max_size=5))
    by_columns, by_rows = plan_both_ways("user", header, rows)
    assert [planned(unit) for unit in by_columns] == [planned(unit) for unit in by_rows]

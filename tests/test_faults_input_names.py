"""Faults in the input, Unicode names: names that look alike or fold alike (sites, address book and
outdial ANI entries), and names that hide characters or break lines. Each ends in a clear message in the
user's words, with every other row imported and every row counted."""

import pytest

from config_objects.models import AddressBook, OutdialANI, Site, WorkType
from tests import faults_input
from tests.bulk import csv_text, run, write
from tests.faults_input import HEADER, MP, assert_counts_add_up, import_sites

pytestmark = pytest.mark.usefixtures("sync_jobs")

# The shared fixtures (tests/faults_input.py), bound here so that pytest finds them in this module.
_no_internals_in_stored_messages = faults_input._no_internals_in_stored_messages


# -- 3. Unicode names ----------------------------------------------------------------------------------------


def test_unicode_names_round_trip_and_a_second_import_is_unchanged(tmp_path):
    content = csv_text(HEADER, f"İstanbul,,{MP}", f"ΟΔΟΣ,,{MP}", f"STRASSE ẞ,,{MP}")
    first = import_sites(tmp_path, content)
    assert first.code == 0, first.err
    assert first.counts == {"created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    assert sorted(Site.objects.values_list("name", flat=True)) == sorted(["İstanbul", "ΟΔΟΣ", "STRASSE ẞ"])
    second = import_sites(tmp_path, content, name="again.csv")
    assert second.code == 0, second.err
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 3, "failed": 0}
    assert Site.objects.count() == 3


def test_names_that_fold_alike_are_one_site(tmp_path):
    first = import_sites(tmp_path, csv_text(HEADER, f"Straße,first,{MP}", f"οδος,,{MP}"))
    assert first.counts["created"] == 2
    second = import_sites(tmp_path, csv_text(HEADER, f"STRASSE,first,{MP}", f"ΟΔΟΣ,,{MP}"), name="upper.csv")
    assert second.counts == {"created": 0, "updated": 2, "unchanged": 0, "failed": 0}
    assert sorted(Site.objects.values_list("name", flat=True)) == ["STRASSE", "ΟΔΟΣ"]
    third = import_sites(tmp_path, csv_text(HEADER, f"STRASSE,first,{MP}", f"ΟΔΟΣ,,{MP}"), name="upper-again.csv")
    assert third.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    both = import_sites(tmp_path, csv_text(HEADER, f"Straße,x,{MP}", f"STRASSE,y,{MP}"), name="both.csv")
    assert both.errors() == {3: "Name 'STRASSE' is repeated: it first appears on line 2"}
    assert Site.objects.count() == 2


HIDDEN = {
    "\u2028": "U+2028",
    "\u2029": "U+2029",
    "\u0085": "U+0085",
    "\u202e": "U+202E",
    "\u200b": "U+200B",
    "\x07": "U+0007",
}


@pytest.mark.parametrize(
    ("slug", "header", "tail"),
    [("site", HEADER, f",,{MP}"), ("work-type", "Name,Type", ",IDLE_CODE")],
    ids=["site", "work-type"],
)
def test_a_name_with_a_hidden_or_line_breaking_character_fails_naming_it(tmp_path, slug, header, tail):
    bad = [f"Bad{character}Name{tail}" for character in HIDDEN]
    outcome = run("bulk_import", slug, str(write(tmp_path, csv_text(header, f"Good Name{tail}", *bad))))
    assert outcome.code == 3
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": len(HIDDEN)}
    assert_counts_add_up(outcome.job)
    errors = outcome.errors()
    assert sorted(errors) == list(range(3, 3 + len(HIDDEN)))
    for line, code in enumerate(HIDDEN.values(), start=3):
        assert code in errors[line], (line, errors[line])
        assert errors[line].startswith("Name may not contain the"), errors[line]
    model = Site if slug == "site" else WorkType
    assert list(model.objects.values_list("name", flat=True)) == ["Good Name"]


def test_a_name_holding_the_key_separator_does_not_hide_the_other_names_of_its_chunk(tmp_path):
    # The chunk's keys reach PostgreSQL joined by U+001F: a name holding it must not upset the lookup.
    assert import_sites(tmp_path, csv_text(HEADER, f"Kept,one,{MP}", f"Moved,two,{MP}")).counts["created"] == 2
    again = csv_text(HEADER, f"Kept,one,{MP}", f"Bad\x1fName,,{MP}", f"Moved,three,{MP}")
    outcome = import_sites(tmp_path, again, name="again.csv")
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 1, "failed": 1}
    assert "U+001F" in outcome.errors()[3]
    assert sorted(Site.objects.values_list("name", "description")) == [("Kept", "one"), ("Moved", "three")]


def test_address_book_entry_names_that_fold_alike_merge_on_reimport(tmp_path):
    header = "Name,Description,Parent Type,Site,Entry Name,Entry Number,Delete"
    first = csv_text(
        header,
        "Directory,,ORGANIZATION,,Straße,+1 555 0100,",
        "Directory,,ORGANIZATION,,οδος,+1 555 0101,",
    )
    outcome = run("bulk_import", "address-book", str(write(tmp_path, first)))
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 0}
    second = csv_text(
        header,
        "Directory,,ORGANIZATION,,STRASSE,+1 555 0100,",
        "Directory,,ORGANIZATION,,ΟΔΟΣ,+1 555 0101,",
    )
    outcome = run("bulk_import", "address-book", str(write(tmp_path, second, "second.csv")))
    assert outcome.counts == {"created": 0, "updated": 2, "unchanged": 0, "failed": 0}, outcome.errors()
    book = AddressBook.objects.get()
    assert sorted(book.entries.values_list("name", "number")) == [("STRASSE", "+1 555 0100"), ("ΟΔΟΣ", "+1 555 0101")]
    again = run("bulk_import", "address-book", str(write(tmp_path, second, "third.csv")))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    assert book.entries.count() == 2


def test_outdial_ani_entry_names_that_fold_alike_merge_on_reimport(tmp_path):
    header = "Name,Description,Entry Name,Entry Number,Delete"
    first = csv_text(header, "Caller IDs,,Main Line,+14155550100,", "Caller IDs,,Straße,+14155550101,")
    assert run("bulk_import", "outdial-ani", str(write(tmp_path, first))).counts["created"] == 2
    second = csv_text(header, "Caller IDs,,MAIN LINE,+14155550100,", "Caller IDs,,strasse,+14155550102,")
    outcome = run("bulk_import", "outdial-ani", str(write(tmp_path, second, "second.csv")))
    assert outcome.counts == {"created": 0, "updated": 2, "unchanged": 0, "failed": 0}, outcome.errors()
    ani = OutdialANI.objects.get()
    assert sorted(ani.entries.values_list("name", "number")) == [
        ("MAIN LINE", "+14155550100"),
        ("strasse", "+14155550102"),
    ]
    again = run("bulk_import", "outdial-ani", str(write(tmp_path, second, "third.csv")))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    assert ani.entries.count() == 2


def test_entry_names_that_fold_alike_in_one_file_fail_the_object(tmp_path):
    header = "Name,Description,Entry Name,Entry Number,Delete"
    content = csv_text(header, "Caller IDs,,Straße,+14155550100,", "Caller IDs,,STRASSE,+14155550101,")
    outcome = run("bulk_import", "outdial-ani", str(write(tmp_path, content)))
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 0, "failed": 2}
    assert outcome.errors() == {
        2: "Not imported because line 3 of outdial ANI 'Caller IDs' failed",
        3: "Entry Name 'STRASSE' appears on line 2 too",
    }
    assert not OutdialANI.objects.exists()

"""The corpus cases about what the cells and the header say (see tests/corpus.py): names (length,
hidden characters, case folding), formula-like values and the header's columns."""

from tests.corpus_case import (
    GOOD,
    GOOD_AFTER,
    HEADER,
    MP,
    WITH_ERRORS,
    WT_HEADER,
    Case,
    bad_site_row,
    bad_work_type_name,
    failed_file,
    imported_twice,
    repeated_pair,
    text,
    utf8,
)


def names() -> list[Case]:
    return [
        bad_site_row("name-of-81-chars", f"{'A' * 81},x,{MP}", "80", absent=("A" * 81,)),
        Case("name-of-80-chars", utf8(f"{'A' * 80},x,{MP}", *GOOD), present={**GOOD_AFTER, "A" * 80: "x"}),
        bad_site_row("pipe-in-name", f"Bel|grade,x,{MP}", "Name"),
        bad_site_row("line-separator-in-site-name", f"Bel\u2028grade,x,{MP}", "Name"),
        Case("spaces-around-name", utf8(f"   Belgrade   ,x,{MP}", *GOOD), present={**GOOD_AFTER, "Belgrade": "x"}),
        bad_site_row("name-only-spaces", f"    ,x,{MP}", "Name"),
        Case(
            "repeated-names-differing-case",
            utf8(f"Belgrade,a,{MP}", f"BELGRADE,b,{MP}", f"belgrade ,c,{MP}"),
            ends=(WITH_ERRORS,),
            says="line 2",
            line=4,
            present={"Belgrade": "a"},
        ),
        repeated_pair("sharp-s-case-pair-in-one-file", "STRASSE ẞ", "strasse ß"),
        repeated_pair("final-sigma-case-pair-in-one-file", "ΟΔΟΣ", "οδος"),
        imported_twice("dotted-capital-i-imported-twice", "İstanbul"),
        imported_twice("capital-sharp-s-imported-twice", "STRASSE ẞ"),
        imported_twice("final-sigma-imported-twice", "ΟΔΟΣ"),
        Case(
            "dotted-capital-i-then-its-lower-case",
            utf8("İstanbul,x,IDLE_CODE", header=WT_HEADER),
            obj="work-type",
            present={"İstanbul": "x"},
            again={"updated": 1},
            second=utf8("i̇stanbul,x,IDLE_CODE", header=WT_HEADER),
            again_present={"i̇stanbul": "x"},
        ),
        bad_work_type_name("line-separator-in-name", "Bel\u2028grade"),
        bad_work_type_name("paragraph-separator-in-name", "Bel\u2029grade"),
        bad_work_type_name("next-line-nel-in-name", "Bel\u0085grade"),
        bad_work_type_name("right-to-left-override-in-name", "Bel\u202egrade"),
        bad_work_type_name("zero-width-space-in-name", "Bel\u200bgrade"),
        bad_work_type_name("c1-control-in-name", "Bel\u009bgrade"),
        bad_work_type_name("byte-order-mark-inside-name", "Bel\ufeffgrade"),
        bad_work_type_name("pipe-in-work-type-name", "Bel|grade"),
    ]


def formulas() -> list[Case]:
    return [
        Case(
            "formula-equals-in-description",
            utf8(f"Belgrade,=1+1,{MP}", *GOOD),
            present={"Belgrade": "=1+1"},
            roundtrip=True,
        ),
        Case(
            "formula-at-sum-in-description",
            utf8(f"Belgrade,@SUM(A1:A9),{MP}", *GOOD),
            present={"Belgrade": "@SUM(A1:A9)"},
            roundtrip=True,
        ),
        bad_site_row("formula-as-name", f"=1+1,x,{MP}", "Name", absent=("=1+1",)),
        Case(
            "formula-escaped-plus-round-trips",
            utf8(f"Belgrade,'+x,{MP}", *GOOD),
            present={"Belgrade": "+x"},
            roundtrip=True,
        ),
        Case(
            "apostrophe-value-round-trips",
            utf8(f"Belgrade,''+x,{MP}", *GOOD),
            present={"Belgrade": "'+x"},
            roundtrip=True,
        ),
    ]


def headers() -> list[Case]:
    error_column = HEADER + ",Error Message"
    return [
        failed_file("unknown-column", utf8(*GOOD, header="Name,Descripton,Multimedia Profile"), "'Descripton'"),
        failed_file(
            "column-named-twice", utf8(*GOOD, header="Name,Description,description ,Multimedia Profile"), "twice"
        ),
        Case(
            "missing-required-column-updates",
            utf8("Old Town,after", header="Name,Description"),
            present={"Old Town": "after"},
        ),
        Case(
            "missing-required-column-cannot-create",
            utf8("Old Town,after", "New Town,x", header="Name,Description"),
            ends=(WITH_ERRORS,),
            says="A new Site needs the column 'Multimedia Profile'",
            line=3,
            present={"Old Town": "after"},
            absent=("New Town",),
        ),
        failed_file("missing-key-column", utf8(f"after,{MP}", header="Description,Multimedia Profile"), "'Name'"),
        Case(
            "error-message-column", utf8(*(row + ",was wrong" for row in GOOD), header=error_column), present=GOOD_AFTER
        ),
        Case(
            "error-message-column-and-a-bad-row",
            utf8(*(r + ",x" for r in (GOOD[0], f"Bad|Name,,{MP}", GOOD[1])), header=error_column),
            ends=(WITH_ERRORS,),
            says="Name",
            line=3,
            present=GOOD_AFTER,
        ),
        Case(
            "value-under-an-empty-header-cell",
            utf8(f"Belgrade,x,{MP},surprise", *(g + "," for g in GOOD), header=HEADER + ","),
            ends=(WITH_ERRORS,),
            says="no header",
            line=2,
            present=GOOD_AFTER,
        ),
        failed_file("no-header-row", text(*GOOD, header=GOOD[0]).encode(), "column"),
        Case(
            "semicolons-and-odd-header-spelling",
            utf8("Old Town;after;" + MP, header=" NAME ;description ;MULTIMEDIA profile"),
            present={"Old Town": "after"},
        ),
    ]

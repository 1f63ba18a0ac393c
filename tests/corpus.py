"""A corpus of bad and hostile input files, built in Python (no binary fixtures), and what each should
do. tests/test_bad_input_corpus.py runs every one through the command and the dashboard.

Every Site file starts from one stored site, "Old Town" (description "before"), and most carry the two
GOOD rows: an update of Old Town and a new site Nis. A Failed job must leave Old Town as it was and
create no Nis; a job that goes on must apply them. Work types and audio files do the same with
"Break" / "Lunch" and "hold.wav" / "good.wav".

The Case type and the CSV helpers are in tests/corpus_case.py, the Zip/WAV cases in
tests/corpus_audio.py, the cases about names, formulas and headers in tests/corpus_values.py; this
module has the cases about a file's bytes (encodings, raw bytes, quoting, sizes) and all_cases()."""

import codecs
import gzip
import struct

from tests.corpus_audio import archives, noise, zipped
from tests.corpus_case import (
    COMPLETED,
    FAILED,
    GOES_ON,
    GOOD,
    GOOD_AFTER,
    HEADER,
    MP,
    REFUSED,
    WITH_ERRORS,
    Case,
    bad_site_row,
    failed_file,
    quote_opens_on,
    text,
    utf8,
)
from tests.corpus_values import formulas, headers, names

# -- the corpus -------------------------------------------------------------------------------------

NIS = text(f"Niš,Jug,{MP}", *GOOD)
NIS_AFTER = {"Niš": "Jug", "Old Town": "after"}
LATIN1 = text(f"Zürich,Café crème,{MP}", *GOOD).encode("latin-1")
BOM16 = codecs.BOM_UTF16_LE
# The command names the problem; the dashboard offers a list of encodings and refuses anything else.
NOT_TEXT = "text encoding|listed encodings"


def encodings() -> list[Case]:
    return [
        Case("utf16-le-with-bom", BOM16 + NIS.encode("utf-16-le"), present=NIS_AFTER),
        Case("utf16-be-with-bom", codecs.BOM_UTF16_BE + NIS.encode("utf-16-be"), present=NIS_AFTER),
        Case(
            "utf16-le-without-bom", NIS.encode("utf-16-le"), ends=(COMPLETED, FAILED), says="UTF-16", present=NIS_AFTER
        ),
        Case(
            "utf16-be-without-bom", NIS.encode("utf-16-be"), ends=(COMPLETED, FAILED), says="UTF-16", present=NIS_AFTER
        ),
        Case("utf32-le-with-bom", NIS.encode("utf-32"), present=NIS_AFTER),
        Case("utf32-be-with-bom", codecs.BOM_UTF32_BE + NIS.encode("utf-32-be"), present=NIS_AFTER),
        Case("utf8-bom-twice", codecs.BOM_UTF8 * 2 + NIS.encode(), ends=(COMPLETED, FAILED)),
        failed_file("cp1252-byte-in-utf8", utf8(*GOOD) + b"Belgrade,caf\xe9,x\n", r"line 4\b.*UTF-8"),
        failed_file("file-ends-mid-character", utf8(*GOOD) + b"Ni\xc5", r"line 4\b"),
        failed_file("overlong-utf8-sequence", utf8(*GOOD) + b"Belgrade,\xc0\xaf,x\n", r"line 4\b"),
        failed_file("utf8-encoded-surrogate", utf8(*GOOD) + b"Belgrade,\xed\xa0\x80,x\n", r"line 4\b"),
        failed_file("utf16-odd-byte-count", BOM16 + NIS.encode("utf-16-le") + b"\x00", "UTF-16"),
        failed_file("utf16-lone-surrogate", BOM16 + NIS.encode("utf-16-le") + b"\x00\xd8A\x00\n\x00", "UTF-16"),
        Case("latin1-with-encoding", LATIN1, encoding="latin-1", present={"Zürich": "Café crème", "Old Town": "after"}),
        failed_file("latin1-without-encoding", LATIN1, r"line 2\b"),
        Case("encoding-rot13", utf8(*GOOD), encoding="rot13", ends=(REFUSED,), says=NOT_TEXT),
        Case("encoding-zlib", utf8(*GOOD), encoding="zlib", ends=(REFUSED,), says=NOT_TEXT),
        Case("encoding-unknown-name", utf8(*GOOD), encoding="klingon", ends=(REFUSED,), says=NOT_TEXT),
    ]


def raw_bytes() -> list[Case]:
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + bytes(13) + noise(200)
    elf = b"\x7fELF\x02\x01\x01" + bytes(9) + bytes(range(256))
    return [
        bad_site_row("nul-in-cell", f"Belgrade,ab\x00c,{MP}", "Description", absent=("Belgrade",)),
        bad_site_row("nul-in-name", f"Bel\x00grade,x,{MP}", "Name"),
        failed_file(
            "nul-in-header",
            utf8(*GOOD, header="Name,Descr\x00iption,Multimedia Profile"),
            r"NUL|null|\\x00|U\+0000|header",
        ),
        failed_file("only-nul-bytes", bytes(64)),
        bad_site_row("control-chars-in-name", f"Bel\x07gr\x1bade,x,{MP}", "Name"),
        Case(
            "escape-sequence-in-description",
            utf8(f"Belgrade,\x1b[31mred\x1b[0m,{MP}", *GOOD),
            ends=GOES_ON,
            says="Description",
            present=GOOD_AFTER,
        ),
        Case("lone-cr-in-cell", utf8(f"Belgrade,a\rb,{MP}", *GOOD), ends=GOES_ON, present=GOOD_AFTER),
        Case(
            "cr-only-line-endings",
            utf8(f"Belgrade,x,{MP}", *GOOD, newline="\r"),
            present={**GOOD_AFTER, "Belgrade": "x"},
            total=3,
        ),
        Case(
            "mixed-line-endings",
            (text(newline="\r\n") + f"Belgrade,x,{MP}\n{GOOD[0]}\r{GOOD[1]}\r\n").encode(),
            present={**GOOD_AFTER, "Belgrade": "x"},
            total=3,
        ),
        Case(
            "crlf-inside-quoted-cell",
            utf8(f'Belgrade,"two\r\nlines",{MP}', *GOOD, newline="\r\n"),
            present={**GOOD_AFTER, "Belgrade": None},
            total=3,
        ),
        failed_file("png-renamed-csv", png),
        failed_file("gzip-renamed-csv", gzip.compress(utf8(*GOOD), mtime=0)),
        failed_file("zip-renamed-csv", zipped({"sites.csv": utf8(*GOOD) * 5})),
        failed_file("elf-binary-renamed-csv", elf),
        failed_file("empty-file", b"", "empty"),
        failed_file("only-whitespace", b"  \n\t \r\n   \n", "empty"),
        failed_file("only-utf8-bom", codecs.BOM_UTF8, "empty"),
        failed_file("only-utf16-bom", BOM16, "empty"),
        failed_file("only-separators", b",,,\n;;;\n", "column"),
    ]


def quoting() -> list[Case]:
    return [
        Case(
            "unterminated-quote-in-the-middle",
            utf8(GOOD[0], f'Belgrade,"south,{MP}', GOOD[1], f"Kragujevac,,{MP}"),
            ends=(FAILED, WITH_ERRORS),
            says=quote_opens_on(3),
            line=3,
            total=4,
        ),
        Case(
            "unterminated-quote-at-the-end",
            utf8(*GOOD, f'Belgrade,"south,{MP}'),
            ends=(FAILED, WITH_ERRORS),
            says=quote_opens_on(4),
            line=4,
            total=3,
        ),
        Case(
            "quote-in-unquoted-cell",
            utf8(f'Belgrade,say "hi",{MP}', *GOOD),
            present={**GOOD_AFTER, "Belgrade": 'say "hi"'},
        ),
        failed_file("stray-quote-in-header", utf8(*GOOD, header='Na"me,Description,Multimedia Profile'), "column"),
        failed_file(
            "unterminated-quote-in-header",
            utf8(*GOOD, header='"Name,Description,Multimedia Profile'),
            quote_opens_on(1),
        ),
        bad_site_row("quoted-line-break-in-name", f'"Bel\ngrade",x,{MP}', "Name"),
        bad_site_row("doubled-quotes-in-quoted-name", f'"Nis ""South""",x,{MP}', "Name"),
    ]


def sizes() -> list[Case]:
    wide = ",".join([""] * 3000)
    return [
        bad_site_row("cell-of-100000-chars", f"Belgrade,{'x' * 100_000},{MP}", "255", absent=("Belgrade",)),
        Case(
            "very-many-columns",
            utf8(*(row + "," + wide for row in GOOD), header=HEADER + "," + wide),
            present=GOOD_AFTER,
        ),
        failed_file(
            "many-unknown-columns",
            utf8(*GOOD, header=HEADER + "," + ",".join(f"X{i}" for i in range(300))),
            "unknown column",
        ),
        bad_site_row("row-with-too-many-cells", f"Belgrade,x,{MP},extra", "4 cells"),
        bad_site_row("row-with-too-few-cells", "Belgrade,x", "2 cells"),
        Case("header-only", utf8(), total=0),
        Case("header-only-without-newline", HEADER.encode(), total=0),
        Case("header-and-empty-lines", utf8("", ",,", "   ", " , ,"), total=0),
        Case(
            "bad-row-after-500-empty-lines",
            utf8(*GOOD, *[""] * 500, f"Bad|Name,,{MP}"),
            ends=(WITH_ERRORS,),
            says="Name",
            line=504,
            present=GOOD_AFTER,
            total=3,
        ),
    ]


def all_cases() -> list[Case]:
    cases = [*encodings(), *raw_bytes(), *quoting(), *sizes(), *names(), *formulas(), *headers(), *archives()]
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases

"""A corpus of bad and hostile input files, built in Python (no binary fixtures), and what each should
do. tests/test_bad_input_corpus.py runs every one through the command and the dashboard.

Every Site file starts from one stored site, "Old Town" (description "before"), and most carry the two
GOOD rows: an update of Old Town and a new site Nis. A Failed job must leave Old Town as it was and
create no Nis; a job that goes on must apply them. Work types and audio files do the same with
"Break" / "Lunch" and "hold.wav" / "good.wav"."""

import codecs
import gzip
import io
import random
import struct
import wave
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

REFUSED, FAILED, COMPLETED, WITH_ERRORS = "refused", "failed", "completed", "completed_with_errors"
GOES_ON = (COMPLETED, WITH_ERRORS)

MP = "Default Multimedia Profile"
HEADER = "Name,Description,Multimedia Profile"
GOOD = (f"Old Town,after,{MP}", f"Nis,new,{MP}")
GOOD_AFTER = {"Old Town": "after", "Nis": "new"}
WT_HEADER = "Name,Description,Type"
WT_GOOD = ("Break,after,IDLE_CODE", "Lunch,new,IDLE_CODE")
WT_GOOD_AFTER = {"Break": "after", "Lunch": "new"}


@dataclass(frozen=True)
class Case:
    id: str
    content: bytes | Callable[[], bytes]
    obj: str = "site"
    file_name: str = ""
    encoding: str = ""  # --encoding; the dashboard gets its own spelling of it (see DASHBOARD_ENCODINGS)
    ends: tuple[str, ...] = (COMPLETED,)  # the outcomes allowed: refused, or the job's final status
    says: str = ""  # a regex (ignoring case) the user's message must match, when there is one
    line: int | None = None  # ... in the error of this line, when rows failed
    present: dict = field(default_factory=dict)  # name -> description (None: any) once the job went on
    absent: tuple[str, ...] = ()
    total: int | None = None  # rows counted, when the job went on
    again: dict | None = None  # counts when `second` (default: the same file) is imported next
    second: bytes | None = None
    again_present: dict = field(default_factory=dict)
    roundtrip: bool = False  # export, import the export: everything unchanged

    def data(self) -> bytes:
        return self.content() if callable(self.content) else self.content

    @property
    def upload_name(self) -> str:
        return self.file_name or ("audio.zip" if self.obj == "audio-file" else f"{self.obj}s.csv")


def text(*rows, header=HEADER, newline="\n") -> str:
    return "".join(row + newline for row in (header, *rows))


def utf8(*rows, **options) -> bytes:
    return text(*rows, **options).encode()


def bad_site_row(case_id, row, says, *, line=2, **options) -> Case:
    """One bad row among the GOOD ones: that row fails, naming what is wrong, and the others apply."""
    return Case(case_id, utf8(row, *GOOD), ends=(WITH_ERRORS,), says=says, line=line, present=GOOD_AFTER, **options)


def repeated_pair(case_id, first, second) -> Case:
    """Two spellings of one name, ignoring case: the second row is a repeat of the first."""
    content = utf8(f"{first},a,{MP}", f"{second},b,{MP}")
    return Case(case_id, content, ends=(WITH_ERRORS,), says="repeated", line=3, present={first: "a"})


def imported_twice(case_id, name) -> Case:
    """A name whose lower case differs between Python and a database's lower(): the second import of the
    same file finds every row unchanged."""
    return Case(case_id, utf8(f"{name},x,{MP}", *GOOD), present={**GOOD_AFTER, name: "x"}, again={"unchanged": 3})


def bad_work_type_name(case_id, name) -> Case:
    content = utf8(f"{name},x,IDLE_CODE", *WT_GOOD, header=WT_HEADER)
    return Case(case_id, content, obj="work-type", ends=(WITH_ERRORS,), says="Name", line=2, present=WT_GOOD_AFTER)


def quote_opens_on(line: int) -> str:
    """The message names the quote and the line it opened on (a failed row's message is read with its
    line number in front)."""
    return rf"line {line}\b[\s\S]*quot|quot[\s\S]*line {line}\b"


def failed_file(case_id, content, says="", **options) -> Case:
    return Case(case_id, content, ends=(FAILED,), says=says, **options)


# -- audio ------------------------------------------------------------------------------------------


def noise(size: int, seed: int = 7) -> bytes:
    """Noise does not compress, so archives stay far under the expansion limit."""
    return random.Random(seed).randbytes(size)


def wav(seconds=0.05, seed=7) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(noise(int(8000 * seconds) * 2, seed))
    return buffer.getvalue()


def wav_head(data_size: int, *, fmt_size=16, byte_rate=16000, riff_size=36) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, byte_rate, 2, 16)
    return (
        b"RIFF"
        + struct.pack("<I", riff_size)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", fmt_size)
        + fmt
        + b"data"
        + struct.pack("<I", data_size)
    )


def zipped(entries, *, symlinks=(), encrypted=(), stored=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            archive.writestr(info, content)
    data = buffer.getvalue()
    for name in encrypted:
        data = mark_encrypted(data, name.encode())
    return data


def mark_encrypted(data: bytes, name: bytes) -> bytes:
    """Set an entry's "encrypted" flag in its local and central headers (zipfile cannot write one)."""
    data = bytearray(data)
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_at : start + name_at + len(name)] == name:
                data[start + flag_at] |= 0x1
            start = data.find(signature, start + 4)
    return bytes(data)


def bad_crc_zip() -> bytes:
    body = wav(seed=11)
    data = bytearray(zipped({"good.wav": wav(), "crc.wav": body}, stored=True))
    data[data.find(body) + len(body) - 1] ^= 0xFF  # the header still reads; the CRC no longer matches
    return bytes(data)


AUDIO_GOOD = {"hold.wav": wav(seed=3), "good.wav": wav(seed=5)}
AUDIO_AFTER = {"hold.wav": None, "good.wav": None}


def bad_entry(case_id, entries, says, *, absent=None, **options) -> Case:
    """One bad entry among the good ones: it fails its row, the good ones import."""
    if absent is None:
        absent = tuple(name.rsplit("/", 1)[-1] for name in entries)
    return Case(
        case_id,
        lambda: zipped({**AUDIO_GOOD, **entries}, **options),
        obj="audio-file",
        ends=(WITH_ERRORS,),
        says=says,
        present=AUDIO_AFTER,
        absent=absent,
    )


def audio_file(case_id, content, ends, says="", **options) -> Case:
    return Case(case_id, content, obj="audio-file", ends=ends, says=says, **options)


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
        failed_file(
            "missing-required-column", utf8("Old Town,after", header="Name,Description"), "'Multimedia Profile'"
        ),
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


def archives() -> list[Case]:
    claims_too_much = wav_head(0xFFFFFFF0, riff_size=196) + noise(160)
    assert len(claims_too_much) == 204
    return [
        audio_file("not-a-zip", b"this is not a zip", (FAILED,), "zip"),
        audio_file("zero-byte-zip", b"", (FAILED, REFUSED), "zip|empty"),
        audio_file("empty-zip", zipped({}), (COMPLETED, FAILED), total=0),
        audio_file("truncated-zip", lambda: zipped(AUDIO_GOOD)[:300], (FAILED,), "zip"),
        audio_file(
            "only-folders-and-archiver-litter",
            zipped({"p/": b"", "__MACOSX/._a.wav": b"x", ".DS_Store": b"x"}),
            (COMPLETED,),
            total=0,
        ),
        bad_entry("zip-slip", {"../x.wav": wav()}, "leave the archive", absent=("x.wav",)),
        bad_entry("zip-slip-with-backslashes", {"..\\x.wav": wav()}, "leave the archive", absent=("x.wav",)),
        bad_entry("absolute-path-entry", {"/etc/x.wav": wav()}, "leave the archive"),
        bad_entry("windows-drive-entry", {"C:/x.wav": wav()}, "leave the archive", absent=("x.wav",)),
        bad_entry("symlink-entry", {"link.wav": b"/etc/passwd"}, "link", symlinks=["link.wav"]),
        bad_entry("encrypted-flag-entry", {"secret.wav": wav()}, "encrypted", encrypted=["secret.wav"]),
        bad_entry("non-wav-entry", {"notes.txt": b"hello"}, r"\.wav"),
        bad_entry("csv-inside-the-zip", {"sites.csv": utf8(*GOOD)}, r"\.wav"),
        bad_entry("wav-that-is-not-riff", {"fake.wav": b"this is text, not audio"}, "WAV"),
        bad_entry("wav-data-chunk-claims-0xfffffff0-bytes", {"liar.wav": claims_too_much}, r"size|bytes"),
        bad_entry(
            "wav-fmt-chunk-larger-than-file", {"fat.wav": wav_head(100, fmt_size=0x7FFFFFF0) + noise(100)}, "WAV"
        ),
        bad_entry("wav-truncated-header", {"short.wav": wav_head(100)[:22]}, "WAV"),
        bad_entry("wav-with-zero-byte-rate", {"zero.wav": wav_head(100, byte_rate=0) + noise(100)}, "WAV"),
        audio_file(
            "zip-bomb", lambda: zipped({**AUDIO_GOOD, "bomb.wav": b"RIFF" + bytes(1_000_000)}), (FAILED,), "zip bomb"
        ),
        bad_entry("entry-name-of-81-chars", {"x" * 77 + ".wav": wav()}, "80"),
        bad_entry("pipe-in-entry-name", {"a|b.wav": wav()}, "File Name"),
        bad_entry("line-separator-in-entry-name", {"a\u2028b.wav": wav()}, "File Name"),
        bad_entry("right-to-left-override-in-entry-name", {"evil\u202evaw.exe.wav": wav()}, "File Name"),
        bad_entry("entry-names-differing-in-case", {"prompts/HOLD.WAV": wav(seed=9)}, "repeated", absent=()),
        audio_file("entry-with-a-bad-crc", bad_crc_zip, (WITH_ERRORS, FAILED), "crc.wav|CRC|corrupt|damaged"),
        audio_file("csv-uploaded-as-audio", utf8(*GOOD), (REFUSED,), "zip", file_name="audio.csv"),
        Case("zip-uploaded-as-site", lambda: zipped(AUDIO_GOOD), file_name="sites.zip", ends=(REFUSED,), says="csv"),
    ]


def all_cases() -> list[Case]:
    cases = [*encodings(), *raw_bytes(), *quoting(), *sizes(), *names(), *formulas(), *headers(), *archives()]
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases

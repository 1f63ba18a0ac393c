"""The vocabulary of the bad-input corpus (tests/corpus.py): the outcomes a file may end in, the Case
that says what a file should do, and the helpers that build CSV cases around the GOOD rows.

Every Site file starts from one stored site, "Old Town" (description "before"), and most carry the two
GOOD rows: an update of Old Town and a new site Nis. A Failed job must leave Old Town as it was and
create no Nis; a job that goes on must apply them. Work types do the same with "Break" / "Lunch"."""

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

"""Every file of the bad-input corpus (tests/corpus.py) through both public entry points: the
`bulk_import` command and the dashboard's upload. Whatever the file, nothing escapes as an exception
or a 500, the job ends, its counts add up, a failure applies nothing, and the user reads a message in
words (never a traceback, an exception's class name or SQL)."""

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bulkops.models import Job
from config_objects.models import AudioFile, Site, WorkType
from tests import corpus
from tests import factories as f
from tests.bulk import run, write
from tests.corpus import COMPLETED, FAILED, GOES_ON, REFUSED, WITH_ERRORS

pytestmark = pytest.mark.usefixtures("sync_jobs")

NEW = reverse("admin:bulkops_job_new")
MODELS = {"site": Site, "work-type": WorkType, "audio-file": AudioFile}
FIELDS = {
    "site": ("name", "description", "multimedia_profile_id"),
    "work-type": ("name", "description", "type"),
    "audio-file": ("name", "sha256", "size", "duration", "format", "file"),
}
DASHBOARD_ENCODINGS = {"latin-1": "iso-8859-1"}  # the dialog's own spelling of the same codec
EXIT_CODES = {REFUSED: 1, FAILED: 1, COMPLETED: 0, WITH_ERRORS: 3}
TERMINAL = {FAILED, COMPLETED, WITH_ERRORS}
# What must never reach a user: a traceback, an exception's class name, the text of a csv / zlib /
# struct error, SQL or the database's own words.
LEAKS = re.compile(
    r"Traceback|\b[A-Z]\w*(?:Error|Exception)\b(?! Message)|\bError:|BadZipFile|LargeZipFile|NotWave|FileProblem"
    r"|csv\.Error|zlib\.error|struct\.error|universal-newline|field limit|LINE 1|\bINSERT\b|\bSELECT\b|violates"
    r"|constraint"
)


@dataclass
class Result:
    """What one submission showed the user: the job (None when refused) and every text they saw."""

    job: Job | None
    refusal: str = ""
    texts: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return REFUSED if self.job is None else self.job.status


class Command:
    name = "command"

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.runs = 0

    def submit(self, case: corpus.Case, content: bytes) -> Result:
        self.runs += 1
        folder = self.tmp_path / f"run{self.runs}"
        folder.mkdir()
        options = ["--encoding", case.encoding] if case.encoding else []
        outcome = run("bulk_import", case.obj, str(write(folder, content, case.upload_name)), *options)
        result = Result(outcome.job, outcome.err if outcome.job is None else "", [outcome.out, outcome.err])
        assert outcome.code == EXIT_CODES.get(result.outcome), (outcome.code, result.outcome, outcome.err)
        return result

    def export(self, obj: str) -> bytes:
        target = self.tmp_path / f"export{self.runs}"
        assert run("bulk_export", obj, "-o", str(target)).code == 0
        return target.read_bytes()


class Dashboard:
    name = "dashboard"

    def __init__(self, django_user_model):
        self.client = Client()
        # No password: hashing one costs a quarter of a second, on every case.
        self.client.force_login(django_user_model.objects.create_superuser("root", "r@example.com"))

    def submit(self, case: corpus.Case, content: bytes) -> Result:
        kind = "application/zip" if case.upload_name.endswith(".zip") else "text/csv"
        data = {
            "object": case.obj,
            "operation": "import",
            "file": SimpleUploadedFile(case.upload_name, content, content_type=kind),
            "encoding": DASHBOARD_ENCODINGS.get(case.encoding, case.encoding),
        }
        response = self.client.post(NEW, data)
        assert response.status_code in (201, 400, 409), (response.status_code, response.content[:500])
        body = response.json()
        if response.status_code != 201:
            assert set(body) == {"error"}, body
            return Result(None, body["error"], [body["error"]])
        shown = body["job"]
        job = Job.objects.get(pk=shown["id"])
        assert (shown["status"], shown["total"], shown["done"], shown["failed"]) == (
            job.status,
            job.total_rows,
            job.done_rows,
            job.failed,
        )
        texts = [shown["failure_reason"]]
        assert self.client.get(shown["details_url"]).status_code == 200
        if job.failed:
            download = self.client.get(shown["errors_url"])
            assert download.status_code == 200
            errors = b"".join(download.streaming_content).decode("utf-8-sig")
            assert errors.splitlines()[0].endswith("Error Message"), errors[:300]
            texts.append(errors)
        return Result(job, "", texts)

    def export(self, obj: str) -> bytes:
        response = self.client.post(NEW, {"object": obj, "operation": "export"})
        assert response.status_code == 201, response.content
        return b"".join(self.client.get(response.json()["job"]["result_url"]).streaming_content)


@pytest.fixture(params=[Command, Dashboard], ids=lambda entry: entry.name)
def entry(request, tmp_path, django_user_model):
    return Command(tmp_path) if request.param is Command else Dashboard(django_user_model)


def set_up(obj: str) -> None:
    """The one stored object each file's GOOD rows update."""
    if obj == "site":
        f.make_site("Old Town", description="before")
    elif obj == "work-type":
        f.make_work_type("Break", description="before")
    else:
        f.make_audio_file("hold.wav")


def stored(obj: str) -> dict:
    """{name ignoring case: the stored values}, to compare before and after."""
    rows = MODELS[obj].objects.values_list(*FIELDS[obj])
    return {row[0].lower(): row for row in rows}


def messages(result: Result) -> list[str]:
    """The messages the user reads: the refusal, the job's failure reason, each failed row's message."""
    if result.job is None:
        return [result.refusal]
    return [result.job.failure_reason, *result.job.errors.values_list("message", flat=True)]


def failed_row_name(job: Job, cells: list[str]) -> str | None:
    if job.object_type == "audio-file":
        return PurePosixPath(cells[0].replace("\\", "/")).name if cells else None
    header = [" ".join(cell.replace("\ufeff", "").split()).lower() for cell in job.header]
    if "name" not in header or header.index("name") >= len(cells):
        return None
    return cells[header.index("name")].strip()


def check(case: corpus.Case, result: Result, before: dict) -> dict:
    """The rules every file obeys, then what this file promises. Returns the stored state after."""
    after = stored(case.obj)
    job = result.job
    shown = f"{result.outcome}: {messages(result)!r}"[:2000]
    assert result.outcome in case.ends, shown
    for text in [*result.texts, *messages(result)]:
        leak = LEAKS.search(text or "")
        assert leak is None, f"{leak.group()!r} shown to the user in {text[:1000]!r}"
    for message in messages(result):
        assert "\x00" not in message, f"a NUL character in the message {message[:300]!r}"

    if job is None:
        assert result.refusal.strip()
        assert after == before
        assert not Job.objects.exists()
    else:
        assert job.status in TERMINAL, f"job stuck {job.status}"
        assert job.active_slot is None
        if job.total_rows is not None:
            counted = job.created + job.updated + job.unchanged + job.failed
            assert counted == job.total_rows == job.done_rows, (counted, job.total_rows, job.done_rows)
        errors = list(job.errors.order_by("line"))
        assert len(errors) == job.failed
        assert all(error.message.strip() for error in errors)
        if job.status != FAILED:
            assert (job.status == WITH_ERRORS) == bool(errors), job.status
        if job.status == FAILED:
            assert job.failure_reason.strip()
            assert after == before, "a Failed job changed stored objects"
        for error in errors:
            name = failed_row_name(job, error.cells)
            if name is None or "repeated" in error.message:
                continue  # a repeated name's object is the one its first line made
            key = name.lower()
            if key in before:
                assert after.get(key) == before[key], f"line {error.line} failed but changed {name!r}"
            else:
                assert key not in after, f"line {error.line} failed but {name!r} exists"
        if job.status in GOES_ON:
            for name, description in case.present.items():
                row = after.get(name.lower())
                assert row is not None and row[0] == name, f"{name!r} not stored as given: {row}"
                if description is not None and case.obj != "audio-file":
                    assert row[1] == description, (name, row)
            for name in case.absent:
                assert name.lower() not in after, f"{name!r} should not exist"
            if case.total is not None:
                assert job.total_rows == case.total

    if case.says and result.outcome != COMPLETED:
        text = "\n".join(messages(result))
        if case.line is not None and result.outcome == WITH_ERRORS:
            on_line = job.errors.filter(line=case.line).values_list("message", flat=True)
            text = "\n".join(f"Line {case.line}: {message}" for message in on_line)
            assert text, f"no failed row on line {case.line}: {messages(result)}"
        assert re.search(case.says, text, re.IGNORECASE), f"{case.says!r} not in {text[:1000]!r}"
    return after


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in corpus.all_cases()])
def test_a_bad_file_gets_a_clear_answer_and_nothing_half_applied(case, entry):
    set_up(case.obj)
    before = stored(case.obj)
    after = check(case, entry.submit(case, case.data()), before)

    if case.again is not None:
        count = MODELS[case.obj].objects.count()
        again = entry.submit(case, case.second or case.data())
        assert again.outcome in GOES_ON, messages(again)
        counts = {k: getattr(again.job, k) for k in ("created", "updated", "unchanged", "failed")}
        assert counts == {"created": 0, "updated": 0, "unchanged": 0, "failed": 0} | case.again, messages(again)
        second_case = corpus.Case(case.id, b"", obj=case.obj, ends=GOES_ON, present=case.again_present)
        final = check(second_case, again, after)
        assert MODELS[case.obj].objects.count() == count, "the second import made another object"
        if set(case.again) == {"unchanged"}:
            assert final == after

    if case.roundtrip:
        exported = entry.export(case.obj)
        back = corpus.Case(case.id, exported, obj=case.obj, ends=(COMPLETED,))
        result = entry.submit(back, exported)
        check(back, result, after)
        assert (result.job.created, result.job.updated, result.job.failed) == (0, 0, 0), messages(result)
        assert stored(case.obj) == after


def test_the_corpus_is_large_and_spread_over_every_kind_of_problem():
    cases = corpus.all_cases()
    assert len(cases) >= 65
    assert {case.obj for case in cases} == set(MODELS)
    assert {outcome for case in cases for outcome in case.ends} == {REFUSED, FAILED, COMPLETED, WITH_ERRORS}

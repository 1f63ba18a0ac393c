"""Driving bulk jobs through the management commands, as a user would."""

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from bulkops.models import Job


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    job: Job | None

    @property
    def counts(self) -> dict:
        job = self.job
        return {"created": job.created, "updated": job.updated, "unchanged": job.unchanged, "failed": job.failed}

    def errors(self) -> dict[int, str]:
        return dict(self.job.errors.values_list("line", "message"))


def run(command: str, *args) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    before = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        call_command(command, *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    job = Job.objects.filter(pk__gt=before).order_by("-pk").first()
    return Outcome(code, out.getvalue(), err.getvalue(), job)


def write(tmp_path: Path, content, name="upload.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def csv_text(*rows) -> str:
    return "".join(row + "\n" for row in rows)


def sheet_rows(path: Path, sheet: int = 0) -> list[list]:
    """A workbook sheet's rows as lists of values, without the empty cells at a row's end."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        rows = []
        for row in book.worksheets[sheet].iter_rows(values_only=True):
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            rows.append(row)
        return rows
    finally:
        book.close()

"""Reading uploaded CSV files as a stream of rows, and writing CSV cells safely.

Reading never holds the file in memory: bytes are decoded line by line, so a byte that does not
decode is reported with its line number, and csv.reader sees an iterator of text lines."""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CELL_LIMIT = 1_000_000  # characters; larger means a broken quote has swallowed the file
ERROR_COLUMN = "Error Message"

csv.field_size_limit(CELL_LIMIT)


class FileProblem(Exception):
    """The file as a whole cannot be imported; the job fails with this message and applies nothing."""


@dataclass
class Row:
    line: int
    cells: list[str]
    values: dict[str, str] = field(default_factory=dict)
    problem: str = ""


def neutralise(value: str) -> str:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def byte_lines(binary, size: int = 1 << 16) -> Iterator[bytes]:
    """Physical lines of a binary stream, split on b"\n" only (a lone CR stays inside its line)."""
    rest = b""
    while chunk := binary.read(size):
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        for part in parts:
            yield part + b"\n"
    if rest:
        yield rest


def text_lines(binary, encoding: str) -> Iterator[str]:
    """Decode a binary file line by line. A UTF-8 or UTF-16 byte-order mark wins over `encoding`."""
    head = binary.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield from _wide_text_lines(head, binary)
        return
    if head.startswith(codecs.BOM_UTF8) or codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    shown = encoding.replace("-sig", "").upper()
    number = 0
    for number, raw in enumerate(byte_lines(_Prepended(head, binary)), start=1):
        try:
            yield decoder.decode(raw)
        except UnicodeDecodeError:
            raise FileProblem(
                f"Line {number} cannot be read as {shown}. Save the file as UTF-8 CSV, or choose its encoding "
                "when submitting."
            ) from None
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise FileProblem(f"Line {number or 1} cannot be read as {shown}: the file ends mid-character.") from None
    if tail:
        yield tail


def _wide_text_lines(head: bytes, binary) -> Iterator[str]:
    """UTF-16: newline bytes can't be split on directly, so decode through TextIOWrapper."""
    stream = io.TextIOWrapper(io.BufferedReader(_Prepended(head, binary)), encoding="utf-16", newline="")
    number = 0
    try:
        for number, line in enumerate(stream, start=1):  # noqa: B007
            yield line
    except UnicodeDecodeError:
        raise FileProblem(f"Near line {number + 1} the file cannot be read as UTF-16.") from None


class _Prepended(io.RawIOBase):
    """A binary stream that yields `head` and then the rest of `stream`."""

    def __init__(self, head: bytes, stream):
        self.head, self.stream = head, stream

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size=-1):
        if not self.head:
            return self.stream.read(size)
        if size is None or size < 0:
            data, self.head = self.head + self.stream.read(), b""
        else:
            data, self.head = self.head[:size], self.head[size:]
        return data


def detect_delimiter(header_line: str, known_columns: Iterable[str]) -> str:
    """Comma or semicolon, whichever splits the header into more known column names."""
    known = {normalise_column(name) for name in known_columns}

    def score(delimiter):
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return (sum(normalise_column(cell) in known for cell in cells), len(cells))

    return ";" if score(";") > score(",") else ","


def normalise_column(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def records(lines: Iterator[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) for each CSV record, skipping lines with no value at all."""
    reader = csv.reader(lines, delimiter=delimiter)
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileProblem(f"Line {last_line + 1} is not valid CSV: {error}") from None
        start, last_line = last_line + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


def open_records(binary, encoding: str, known_columns: Iterable[str]):
    """(header cells, delimiter, iterator of (line, cells)) for an uploaded file."""
    lines = text_lines(binary, encoding)
    first = next(lines, None)
    while first is not None and not first.strip():
        first = next(lines, None)
    if first is None:
        raise FileProblem("The file is empty: it needs a header row naming the columns.")
    delimiter = detect_delimiter(first, known_columns)
    rows = records(_chain_first(first, lines), delimiter)
    _, header = next(rows)
    return header, delimiter, rows


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class CsvWriter:
    """Writes rows to a text stream, neutralising formula-like cells."""

    def __init__(self, stream, delimiter: str = ","):
        self.writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")

    def row(self, cells: Iterable[str], *, raw: bool = False) -> None:
        self.writer.writerow(cells if raw else [neutralise(cell) for cell in cells])

"""Reading uploaded CSV files as a stream of rows, and writing CSV cells safely.

Reading never holds the file in memory: bytes are decoded line by line, so a byte that does not
decode is reported with its line number, and csv.reader sees an iterator of text lines."""

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.formats import number_format
from django.utils.translation import gettext as _

CELL_LIMIT = 1_000_000  # characters; larger means a broken quote has swallowed the file

csv.field_size_limit(CELL_LIMIT)

# Byte-order marks, longest first: UTF-32 LE starts with the UTF-16 LE mark.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A header is plain ASCII text, so the places of its zero bytes tell a wide encoding without a mark.
WIDE_WITHOUT_BOM = (
    (re.compile(rb"^[^\x00]\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"^\x00\x00\x00[^\x00]"), "utf-32-be"),
    (re.compile(rb"^[^\x00]\x00[^\x00]\x00"), "utf-16-le"),
    (re.compile(rb"^\x00[^\x00]\x00[^\x00]"), "utf-16-be"),
)


class FileProblem(Exception):
    """The file as a whole cannot be imported; the job fails with this message and applies nothing."""


class Record(NamedTuple):
    line: int
    cells: list[str]
    problem: str = ""


@dataclass(slots=True)
class Row:
    line: int
    cells: list[str]
    values: dict[str, str] = field(default_factory=dict)
    problem: str = ""


# UTF-16 and UTF-32 are read through their own path (_wide_text_lines), not line by line.
WIDE_ENCODINGS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
# What every CSV is made of: letters, digits, separators, quotes and line breaks. An encoding that
# reads them as anything else cannot read a CSV at all (EBCDIC, punycode).
CSV_TEXT = (
    b"Name,Description;\"Multimedia Profile\"\t'x'\r\n"
    b"0123456789 abcdefghijklmnopqrstuvwxyz\rABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
)
# Plain text each byte of which must be read as one character: UTF-7 reads '+' as the start of
# Base64, IDNA an 'xn--' label as punycode, the escape codecs a backslash as an escape, HZ '~{' as
# the start of GB2312. (Shift JIS 2004 reads a backslash as the yen sign: one character, it reads on.)
PLAIN_TEXT = b"+381 11 (0)|a.b@example.com;www.xn--80ak6aa92e.com:C:\\users\\new\\x41\\u0041/~{x}~%#*=!?<>[]^`$&_\r\n"


def is_text_encoding(encoding: str) -> bool:
    """An encoding a CSV file can be read with: a codec that turns bytes into text (not rot13, zlib or
    base64, which Python also calls codecs), and reads plain ASCII text one character a byte, as a
    whole and line by line, with its letters, digits, separators and line breaks as themselves
    (not punycode, IDNA, UTF-7, the escape codecs, HZ or EBCDIC); or UTF-16 or UTF-32."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        return False
    if not getattr(info, "_is_text_encoding", True):
        return False
    if info.name in WIDE_ENCODINGS:
        return True
    try:
        return all(_reads_as_text(info, sample, strict) for sample, strict in ((CSV_TEXT, True), (PLAIN_TEXT, False)))
    except Exception:  # a codec may fail in any way on plain text: it is not one to read files with
        return False


def _reads_as_text(info: codecs.CodecInfo, sample: bytes, same: bool) -> bool:
    """The sample decodes, whole and a byte at a time, to one character a byte (the same ones: `same`)."""
    whole, _consumed = info.decode(sample, "strict")
    decoder = info.incrementaldecoder("strict")
    pieces = [decoder.decode(sample[index : index + 1]) for index in range(len(sample))]
    pieces.append(decoder.decode(b"", final=True))
    if not isinstance(whole, str) or "".join(pieces) != whole or len(whole) != len(sample):
        return False
    return whole == sample.decode("ascii") if same else True


def byte_blocks(binary, size: int = 1 << 16) -> Iterator[list[bytes]]:
    """Physical lines of a binary stream, each with its line break (CR LF, LF or a lone CR: old Mac
    spreadsheets end lines with CR only), a block of them at a time."""
    rest = b""
    while chunk := binary.read(size):
        # bytes.splitlines breaks at exactly CR LF, LF and CR, and keeps them.
        lines = (rest + chunk).splitlines(keepends=True)
        # The block's last line may go on in the next block; so may a CR ending it (half a CR LF).
        rest = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
        if lines:
            yield lines
    if rest:
        yield [rest]


def sniff_encoding(head: bytes, encoding: str) -> str:
    """The encoding to read with: a byte-order mark wins, then the zero bytes of a wide encoding
    written without one, then the encoding chosen at submission."""
    for mark, marked in BOMS:
        if head.startswith(mark):
            return marked
    chosen = codecs.lookup(encoding).name
    if chosen in ("utf-8", "utf-16", "utf-32"):
        for pattern, wide in WIDE_WITHOUT_BOM:
            if pattern.match(head):
                return wide
    if chosen in ("utf-16", "utf-32"):
        # Neither a mark nor zero bytes tell the byte order (the header starts with a character
        # outside ASCII): little-endian, as Windows writes it. (Python's UTF-16 decoder refuses a
        # stream without a mark.)
        return f"{chosen}-le"
    return "utf-8-sig" if chosen == "utf-8" else encoding


def text_lines(binary, encoding: str) -> Iterator[str]:
    """Decode a binary file line by line."""
    head = binary.read(4)
    encoding = sniff_encoding(head, encoding)
    stream = _Prepended(head, binary)
    if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        yield from _wide_text_lines(stream, encoding)
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    name = encoding.replace("-sig", "").upper()
    number = 0
    # A whole line of UTF-8 decodes on its own (it ends in an ASCII line break), and bytes.decode is
    # quicker than the incremental decoder, which is kept for the BOM, a file that ends mid-character
    # and the encodings that are not UTF-8.
    plain = codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    for block in byte_blocks(stream):
        if plain and number:
            try:
                decoded = [*map(bytes.decode, block)]  # UTF-8, strict: a block of lines at C speed
            except UnicodeDecodeError:
                pass  # line by line below, to say which line
            else:
                number += len(block)
                yield from decoded
                continue
        for raw in block:
            number += 1
            try:
                if plain and number > 1:
                    try:
                        yield raw.decode()
                        continue
                    except UnicodeDecodeError:
                        pass
                yield decoder.decode(raw)
            except UnicodeError:  # UnicodeDecodeError, or a codec's own UnicodeError
                raise FileProblem(
                    _(
                        "Line %(line)s cannot be read as %(encoding)s. Save the file as UTF-8 CSV, or choose its "
                        "encoding when submitting."
                    )
                    % {"line": number, "encoding": name}
                ) from None
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeError:
        raise FileProblem(
            _("Line %(line)s cannot be read as %(encoding)s: the file ends mid-character.")
            % {"line": number or 1, "encoding": name}
        ) from None
    if tail:
        yield tail


def _wide_text_lines(stream, encoding: str) -> Iterator[str]:
    """UTF-16 and UTF-32: line-break bytes can't be split on directly, so decode through TextIOWrapper
    (newline="" splits on CR LF, LF and CR alike and keeps them)."""
    text = io.TextIOWrapper(io.BufferedReader(stream), encoding=encoding, errors="strict", newline="")
    # "UTF-16" or "UTF-32", however the encoding was spelled (utf16, UTF_16LE, U32).
    name = "-".join(codecs.lookup(encoding).name.split("-")[:2]).upper()
    number = 0
    try:
        for number, line in enumerate(text, start=1):  # noqa: B007
            yield line
    except UnicodeError:
        raise FileProblem(
            _("Near line %(line)s the file cannot be read as %(encoding)s.") % {"line": number + 1, "encoding": name}
        ) from None


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
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:  # a cell over the limit: not this separator (open_records checks the length)
            return (-1, 0)
        return (sum(normalise_column(cell) in known for cell in cells), len(cells))

    return ";" if score(";") > score(",") else ","


def normalise_column(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _taped(lines: Iterable[str], taken: list[str]) -> Iterator[str]:
    """The text lines fed to csv.reader, each also kept in `taken`."""
    for line in lines:
        taken.append(line)
        yield line


def records(lines: Iterator[str], delimiter: str, first_line: int = 1, width: int | None = None) -> Iterator[Record]:
    """A Record (first line number, cells, problem) for each CSV record, skipping lines with no value.

    The first record is the header. A quote that is opened and never closed makes csv.reader read the
    lines after it as one cell; such a record is given back line by line, each a failed row, so that
    every line is counted and the message says where the quote opened. `first_line` is the line
    number of the first of `lines` (blank lines before the header are lines too); `width`, the header's
    cell count where the header was read already."""
    lines = iter(lines)
    number = first_line - 1
    for line in lines:
        number += 1
        start = number
        if '"' not in line and len(line) <= CELL_LIMIT:
            # No quote: the record is this line, split on the delimiter alone, as csv.reader would
            # split it (most lines of a large file; csv.reader costs a Python call per line more).
            cells = line.rstrip("\r\n").split(delimiter)
            if cells[0].strip() or any(map(str.strip, cells)):  # the first cell alone, most often
                width = len(cells) if width is None else width
                yield Record(start, cells)
            continue
        # A quote may run the record over several lines: csv.reader reads it from here to its end.
        raw: list[str] = []
        try:
            cells = next(csv.reader(_taped(itertools.chain([line], lines), raw), delimiter=delimiter))
        except csv.Error as error:
            raise FileProblem(
                _("Line %(line)s is not valid CSV: %(reason)s.") % {"line": start, "reason": _csv_reason(error)}
            ) from None
        number += len(raw) - 1
        if not any(map(str.strip, cells)):
            continue
        if width is None:
            if len(raw) > 1 and _unbalanced(raw, cells, len(cells)):
                raise FileProblem(
                    _("The header on line %(line)s opens a quote that is never closed.") % {"line": start}
                )
            width = len(cells)
        elif len(raw) > 1 and _unbalanced(raw, cells, width):
            yield from _swallowed(start, raw, delimiter)
            continue
        elif cells[-1].endswith(("\r", "\n")) or (not raw[-1].endswith(("\r", "\n")) and raw[-1].count('"') % 2):
            # One line whose last cell kept its line break: the file ended inside an open quote.
            cells = [cell.rstrip("\r\n") for cell in cells]
            problem = _("A quote opens on line %(line)s and is never closed; close it (or remove it)") % {"line": start}
            yield Record(start, cells, problem)
            continue
        yield Record(start, cells)


def _unbalanced(raw: list[str], cells: list[str], width: int) -> bool:
    return len(cells) != width or "".join(raw).count('"') % 2 == 1


def _swallowed(start: int, raw: list[str], delimiter: str) -> Iterator[Record]:
    end = start + len(raw) - 1
    for offset, text in enumerate(raw):
        cells = [cell.rstrip("\r\n") for cell in next(csv.reader([text], delimiter=delimiter), [])]
        if offset == 0:
            problem = _(
                "A quote opens on line %(line)s and is not closed, so lines %(line)s-%(end)s were read as one "
                "cell; close the quote (or remove it) and import these lines again"
            ) % {"line": start, "end": end}
        else:
            problem = _("Not imported: the quote opened on line %(line)s is not closed") % {"line": start}
        if any(cell.strip() for cell in cells) or offset == 0:
            yield Record(start + offset, cells, problem)


def _csv_reason(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return _("a cell is longer than %(limit)s characters (is a quote left open?)") % {
            "limit": number_format(CELL_LIMIT, force_grouping=True)
        }
    if "new-line character seen in unquoted field" in text:
        return _("a line break inside a cell that is not quoted")
    return _("the line cannot be split into cells")


def open_records(binary, encoding: str, known_columns: Iterable[str]):
    """(header cells, delimiter, iterator of Records) for an uploaded file."""
    lines = text_lines(binary, encoding)
    number, first = 1, next(lines, None)
    while first is not None and not first.strip():
        number, first = number + 1, next(lines, None)
    if first is None:
        raise FileProblem(_("The file is empty: it needs a header row naming the columns."))
    if len(first) > CELL_LIMIT:
        # No header is that long (a million columns, or one huge cell): say so briefly, without
        # splitting it (csv.reader would stop at a cell over the limit; a million names are no message).
        reason = _("the header is longer than %(limit)s characters; it should only name the columns") % {
            "limit": number_format(CELL_LIMIT, force_grouping=True)
        }
        raise FileProblem(_("Line %(line)s is not valid CSV: %(reason)s.") % {"line": number, "reason": reason})
    delimiter = detect_delimiter(first, known_columns)
    rows = records(itertools.chain([first], lines), delimiter, first_line=number)
    header = next(rows, None)
    if header is None:
        raise FileProblem(_("The file is empty: it needs a header row naming the columns."))
    return header.cells, delimiter, CsvRecords(rows, lines, delimiter, header)


class CsvRecords:
    """A CSV's records after its header: iterated, as records() gives them, or only counted."""

    batch_lines = 4096

    def __init__(self, rows: Iterator[Record], lines: Iterator[str], delimiter: str, header: Record):
        self.rows, self.lines, self.delimiter, self.header = rows, lines, delimiter, header

    def __iter__(self) -> Iterator[Record]:
        return self.rows

    def count(self, stop_after: int) -> int:
        """How many records iterating would give (or stop_after + 1, if more). A batch of lines with no
        quote holds a record per line that has a value: those are counted without splitting them (the
        scan of a large file, five times quicker); from a batch with a quote on, records are read."""
        width = len(self.header.cells)
        if any("\n" in cell or "\r" in cell for cell in self.header.cells):  # how many lines it took is not known
            return sum(1 for _ in itertools.islice(self.rows, stop_after + 1))
        number, total, lines, delimiter = self.header.line, 0, self.lines, self.delimiter
        while total <= stop_after and (batch := list(itertools.islice(lines, self.batch_lines))):
            joined = "".join(batch)
            if '"' in joined or (len(joined) > CELL_LIMIT and max(map(len, batch)) > CELL_LIMIT):
                rest = records(itertools.chain(batch, lines), delimiter, first_line=number + 1, width=width)
                return total + sum(1 for _ in itertools.islice(rest, stop_after + 1 - total))
            number += len(batch)
            # A line has a value unless it is all delimiters and white space (its line break included).
            total += sum(
                map(bool, map(str.strip, map(str.replace, batch, itertools.repeat(delimiter), itertools.repeat(""))))
            )
        return min(total, stop_after + 1)

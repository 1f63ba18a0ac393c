"""The first pass of a one-row object's CSV counts its records without reading them
(csvio.CsvRecords.count): the count must be exactly what reading them gives, whatever the file holds:
blank lines, white space of every kind, quotes that run a cell over several lines, line breaks of
every kind, a header over several lines; and a file that cannot be read fails the same way."""

import io

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bulkops.engine.csvio import CsvRecords, FileProblem, open_records

CELLS = st.one_of(
    st.sampled_from(["", " ", "\xa0", "\u3000", "\t", "a", "Site 1", "x y", ";", "'=1"]),
    st.text(alphabet='ab \t\xa0"\n\r,;', max_size=6),
)
LINE = st.lists(CELLS, min_size=0, max_size=4)
BREAKS = st.sampled_from(["\n", "\r\n", "\r"])


def opened(text: str):
    return open_records(io.BytesIO(text.encode()), "utf-8", ["Name", "Description"])


def outcome(action):
    try:
        return action()
    except FileProblem as problem:
        return ("problem", str(problem))


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.sampled_from(["Name,Description", "Name;Description", '"Name\nX",Description', "Name"]),
    lines=st.lists(st.tuples(LINE, BREAKS), max_size=12),
    batch=st.integers(min_value=1, max_value=5),
    stop_after=st.integers(min_value=0, max_value=15),
)
def test_the_count_is_what_reading_gives(monkeypatch, header, lines, batch, stop_after):
    monkeypatch.setattr(CsvRecords, "batch_lines", batch)
    text = header + "\n" + "".join(",".join(cells) + end for cells, end in lines)
    read = outcome(lambda: len(list(opened(text)[2])))
    counted = outcome(lambda: opened(text)[2].count(stop_after=1_000_000))
    assert counted == read
    if isinstance(read, int):
        assert opened(text)[2].count(stop_after=stop_after) == min(read, stop_after + 1)


@pytest.mark.parametrize("batch", [1, 3, 4096])
def test_a_quote_after_many_plain_lines_is_read_with_the_right_line_numbers(monkeypatch, batch):
    monkeypatch.setattr(CsvRecords, "batch_lines", batch)
    plain = [f"S{n},d" for n in range(10)]
    text = "Name,Description\n" + "\n".join(plain) + '\nS10,"open\n\nS11,x\n'
    read = outcome(lambda: len(list(opened(text)[2])))
    assert outcome(lambda: opened(text)[2].count(stop_after=100)) == read == 12
    # A cell over the limit, after plain lines: the same problem, naming the same line.
    huge = "Name,Description\n" + "\n".join(plain) + '\nS10,"' + "x" * 1_000_001 + '"\n'
    problem = outcome(lambda: list(opened(huge)[2]))
    assert problem[0] == "problem" and "Line 12" in problem[1]
    assert outcome(lambda: opened(huge)[2].count(stop_after=100)) == problem

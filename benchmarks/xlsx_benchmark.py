"""Excel workbooks against CSV: the same site rows imported as .xlsx and as CSV, and exported as both.

    .venv/bin/python benchmarks/xlsx_benchmark.py [--rows 100000] [--json FILE]

Works like benchmarks/bulk_benchmark.py, whose pieces it uses: throwaway databases (PostgreSQL next to
DATABASE_URL's, else SQLite files), a real worker (`manage.py qcluster`), each step the real command
timed by its wall clock, Django's start-up included, and every job's status and counts checked. Each
first import goes into an empty database of its own, so the three compare like with like: the CSV;
the workbook as this product (and openpyxl) writes it, each cell's text in the sheet ("inline
strings"); and the same workbook as Excel saves it, the texts in a table of their own that openpyxl
holds in memory while it reads ("shared strings"). In the last database the sites are then exported as
CSV and as a workbook, and that workbook imported back (every row unchanged).

Per step: rows a second, the CPU the worker's processes spent a row (µs, from /proc: the worker does
the job, and on SQLite the database's work too), and the peak memory of its largest process with how
far it rose over idle.
"""

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bulk_benchmark import PROFILE, command, database, descendants, worker, write_sites  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
INLINE_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>')
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def write_sites_xlsx(path: Path, rows: int) -> Path:
    """The rows of write_sites as a one-sheet workbook, in openpyxl's write-only mode (as an export is)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Site")
    sheet.append(["Name", "Description", "Multimedia Profile"])
    for n in range(rows):
        sheet.append([f"Site {n:07}", f"Branch office {n}", PROFILE])
    book.save(path)
    return path


def with_shared_strings(source: Path, target: Path) -> Path:
    """The workbook as Excel saves it: each distinct text once, in xl/sharedStrings.xml, and the cells
    pointing at it by number (openpyxl writes every text into its cell)."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    table: dict[str, int] = {}

    def shared(match) -> str:
        number = table.setdefault(match[2], len(table))
        return f'<c r="{match[1]}" t="s"><v>{number}</v></c>'

    parts["xl/worksheets/sheet1.xml"] = INLINE_CELL.sub(shared, parts["xl/worksheets/sheet1.xml"].decode()).encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in table)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(table)}" uniqueCount="{len(table)}">{items}</sst>'
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", f"{override}</Types>").encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def cpu_seconds(pids) -> float:
    """User and system CPU of these processes so far (those that have ended count nothing)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat
    return ticks / CLOCK_TICKS


def step(results: dict, key: str, env: dict, process, argv: list[str], **expected) -> None:
    pids = set(descendants(process.pid))
    before = cpu_seconds(pids)
    figures = command(env, process, argv, **expected)
    pids |= set(descendants(process.pid))
    rows = figures["rows"] or 1
    figures["cpu_us_per_row"] = (cpu_seconds(pids) - before) / rows * 1e6
    figures["rows_per_s"] = figures["rows"] / figures["seconds"] if figures["seconds"] else 0.0
    results[key] = figures
    print(
        f"{key:<22} {figures['rows']:>9,} rows {figures['seconds']:>7.2f} s {figures['rows_per_s']:>8,.0f} rows/s "
        f"{figures['cpu_us_per_row']:>6.0f} µs CPU/row  peak {figures['peak_mb']:>4.0f} MB "
        f"(+{figures['over_idle_mb']:.0f} over idle)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="site rows (default 100,000)")
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    args = parser.parse_args()

    rows = args.rows
    folder = Path(tempfile.mkdtemp(prefix="cc-bench-xlsx-"))
    files = {
        "csv": write_sites(folder / "sites.csv", rows),
        "xlsx": write_sites_xlsx(folder / "sites.xlsx", rows),
    }
    files["xlsx_shared"] = with_shared_strings(files["xlsx"], folder / "sites-shared.xlsx")
    sizes = ", ".join(f"{name} {path.stat().st_size / 1e6:.1f} MB" for name, path in files.items())
    env = {k: v for k, v in os.environ.items() if k not in ("BULK_JOBS_SYNC", "BULK_HISTORY")}
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}   files: {sizes}", flush=True)
    results: dict[str, dict] = {}
    for name, path in files.items():
        with database(env, folder, name) as bench, worker(bench, folder / f"worker-{name}.log") as process:
            step(results, f"import_{name}", bench, process, ["bulk_import", "site", str(path)], created=rows)
            if name != "xlsx_shared":
                continue
            for kind in ("csv", "xlsx"):
                exported = folder / f"export.{kind}"
                step(results, f"export_{kind}", bench, process, ["bulk_export", "site", "-o", str(exported)])
            argv = ["bulk_import", "site", str(folder / "export.xlsx")]
            step(results, "import_xlsx_unchanged", bench, process, argv, unchanged=rows)

    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n| step | rows | seconds | rows/s | CPU µs/row | peak MB (over idle) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for key, f in results.items():
        print(
            f"| {key} | {f['rows']:,} | {f['seconds']:.2f} | {f['rows_per_s']:,.0f} | {f['cpu_us_per_row']:.0f} "
            f"| {f['peak_mb']:.0f} (+{f['over_idle_mb']:.0f}) |"
        )
    csv_cpu = results["import_csv"]["cpu_us_per_row"]
    for key in ("import_xlsx", "import_xlsx_shared"):
        extra = results[key]["cpu_us_per_row"] - csv_cpu
        print(f"{key}: {extra:+.0f} µs CPU a row over the CSV ({results[key]['cpu_us_per_row'] / csv_cpu:.2f}x)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

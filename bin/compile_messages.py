#!/usr/bin/env python3
"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.

Plain Python, no GNU gettext needed: set-up (bin/_venv.sh) runs it on every machine, so a fresh clone
speaks Serbian without installing anything. Only .po files newer than their .mo are compiled; --all
compiles every one. `--check DIR` writes the .mo files to DIR instead (used by the tests to compare).
Handles what our catalogues use: contexts (msgctxt), plurals, and skips fuzzy and untranslated entries,
as msgfmt does."""

import ast
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: dicts of msgctxt, msgid, msgid_plural, msgstr (list) and flags."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("#,")):
            if not line and entry is not None and "msgid" in entry:
                finish()
                entry, field = None, None
            continue
        if line.startswith("#,"):
            if entry is not None and "msgid" in entry:
                finish()
                entry = None
            entry = entry or {"flags": set(), "msgstr": {}}
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += value
            else:
                entry[field[0]] += value
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and entry is not None and "msgid" in entry:
            finish()
            entry = None
        entry = entry or {"flags": set(), "msgstr": {}}
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry["msgstr"][index] = value
            field = ("msgstr", index)
        else:
            entry[keyword] = value
            field = (keyword, None)
    finish()
    for item in entries:
        item["msgstr"] = [item["msgstr"][i] for i in sorted(item["msgstr"])]
    return entries


def write_mo(entries: list[dict], target: Path) -> None:
    pairs = {}
    for entry in entries:
        translated = [text for text in entry["msgstr"]]
        if entry["msgid"] and ("fuzzy" in entry["flags"] or not all(translated)):
            continue
        key = entry["msgid"]
        if "msgid_plural" in entry:
            key += "\0" + entry["msgid_plural"]
        if "msgctxt" in entry:
            key = entry["msgctxt"] + "\x04" + key
        pairs[key.encode("utf-8")] = "\0".join(translated).encode("utf-8")
    keys = sorted(pairs)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(pairs[key])))
        ids += key + b"\0"
        strs += pairs[key] + b"\0"
    start = 7 * 4 + 16 * len(keys)
    id_table, str_table = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        id_table += [id_length, start + id_offset]
        str_table += [str_length, start + len(ids) + str_offset]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(
        header
        + struct.pack(f"{len(id_table)}i", *id_table)
        + struct.pack(f"{len(str_table)}i", *str_table)
        + ids
        + strs
    )


def main(argv: list[str]) -> int:
    force = "--all" in argv
    out_dir = Path(argv[argv.index("--check") + 1]) if "--check" in argv else None
    for po in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo") if out_dir is None else out_dir / po.relative_to(ROOT).with_suffix(".mo")
        if out_dir is None and not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        write_mo(read_po(po), mo)
        if out_dir is None:
            print(f"compiled {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The Serbian catalogue is complete and current, and no user-facing string of the code or the
templates is left unmarked for translation (SPEC section 10)."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
from compile_messages import read_po, write_mo  # noqa: E402

CATALOGUES = ROOT / "locale" / "sr_Latn" / "LC_MESSAGES"


def gettext_tools() -> bool:
    found = shutil.which("xgettext") and shutil.which("msgfmt") and shutil.which("msgmerge")
    if not found and os.environ.get("REQUIRE_GETTEXT"):
        pytest.fail("GNU gettext (xgettext, msgmerge, msgfmt) is needed: apt-get install gettext")
    return bool(found)


# -- the catalogue ----------------------------------------------------------------------------------


def untranslated(po: Path) -> list[str]:
    return [
        entry["msgid"]
        for entry in read_po(po)
        if entry["msgid"] and ("fuzzy" in entry["flags"] or not all(entry["msgstr"]) or not entry["msgstr"])
    ]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_serbian_catalogue_has_no_untranslated_or_fuzzy_entries(domain):
    po = CATALOGUES / f"{domain}.po"
    assert po.exists(), f"{po} is missing: run bin/makemessages"
    assert untranslated(po) == [], f"Translate these in {po.name} (then bin/makemessages):"
    header = read_po(po)[0]
    assert "nplurals=3;" in header["msgstr"][0], "Serbian has three plural forms"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_marked_string_of_the_code_is_in_the_serbian_catalogue(domain, tmp_path):
    """makemessages into a copy of the project: a string marked in the code but missing from (or
    changed since) the committed catalogue shows up as an empty or fuzzy entry there."""
    if not gettext_tools():
        pytest.skip("GNU gettext is not installed (apt-get install gettext); CI runs this")
    copy = tmp_path / "project"
    skipped = {".venv", "data", "test-artifacts", "tests", "benchmarks", "docs", ".git", ".ruff_cache"}

    def ignored(folder, names):
        return [name for name in names if (Path(folder) == ROOT and name in skipped) or name.endswith(".mo")]

    shutil.copytree(ROOT, copy, ignore=ignored)
    ignore = ["--ignore=.venv", "--ignore=data", "--ignore=tests", "--ignore=benchmarks", "--ignore=docs"]
    made = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", "sr_Latn", "--no-obsolete", *ignore],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "contactcenter.settings"},
    )
    assert made.returncode == 0, made.stderr
    po = copy / "locale" / "sr_Latn" / "LC_MESSAGES" / f"{domain}.po"
    assert untranslated(po) == [], "Marked strings without a Serbian translation: run bin/makemessages and translate"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_msgfmt_accepts_the_catalogue_and_its_placeholders(domain):
    """msgfmt --check: every translation keeps the placeholders of its English text."""
    if not gettext_tools():
        pytest.skip("GNU gettext is not installed (apt-get install gettext); CI runs this")
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-domain", "-o", "/dev/null", str(CATALOGUES / f"{domain}.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_compiled_catalogue_is_current(tmp_path):
    """What set-up compiled (bin/compile_messages.py) is what the .po files say."""
    for po in CATALOGUES.glob("*.po"):
        fresh = tmp_path / po.with_suffix(".mo").name
        write_mo(read_po(po), fresh)
        assert po.with_suffix(".mo").read_bytes() == fresh.read_bytes(), (
            f"{po.name} changed: run bin/compile_messages.py"
        )


# Calls whose text reaches a user: their message argument must be translated, never a plain literal.
MESSAGE_CALLS = {
    "ValidationError": 0,
    "FileProblem": 0,
    "JobRefused": 0,
    "AnotherJobActive": 0,
    "FileRequired": 0,
    "WrongFileType": 0,
    "FileTooLarge": 0,
    "NotATextEncoding": 0,
    "UnknownObjectType": 0,
    "NotWave": 0,
    "PermissionDenied": 0,
    "Http404": 0,
    "CommandError": 0,
    "Conflict": 0,
    "fail": -1,  # unit.fail(message) / self.fail(line, name, message)
    "message_user": 1,
    "success": 1,
    "error": 1,
    "warning": 1,
}
MESSAGE_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "violation_error_message", "default_detail"}
PYTHON_SOURCES = ["bulkops", "config_objects", "contactcenter"]


def _is_plain_text(node) -> bool:
    """A literal or an f-string with words in it (not a format like "%s" or a CSV word like "TRUE")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    else:
        return False
    return bool(re.search(r"[a-z]{2,}.*\s|\s.*[a-z]{2,}", text))


def unmarked_python_strings() -> list[str]:
    found = []
    for folder in PYTHON_SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                arguments = []
                if name in MESSAGE_CALLS and node.args:
                    index = MESSAGE_CALLS[name]
                    if index < len(node.args):
                        arguments.append(node.args[index])
                if name == "write" and "std" in ast.unparse(node.func):  # self.stdout.write / self.stderr.write
                    arguments += node.args[:1]
                arguments += [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
                for argument in arguments:
                    if _is_plain_text(argument):
                        where = f"{path.relative_to(ROOT)}:{argument.lineno}"
                        found.append(f"{where}: {ast.unparse(argument)[:90]}")
    return found


def test_messages_in_python_code_are_marked_for_translation():
    assert unmarked_python_strings() == [], "Wrap these in gettext / gettext_lazy / ngettext"


TEMPLATE_NOISE = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|<script.*?</script>|<style.*?</style>"
    r"|{%\s*block bodyclass\s*%}.*?{%\s*endblock\s*%}"
    r"|{%\s*(?:blocktranslate|blocktrans)\b.*?{%\s*end(?:blocktranslate|blocktrans)\s*%}|{%.*?%}|{{.*?}}",
    re.DOTALL,
)
VISIBLE_ATTRIBUTES = re.compile(r"""\b(?:title|placeholder|aria-label|alt)="([^"{]*[A-Za-z]{2,}[^"{]*)\"""")


def unmarked_template_text() -> list[str]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = TEMPLATE_NOISE.sub(" ", path.read_text(encoding="utf-8"))
        for attribute in VISIBLE_ATTRIBUTES.findall(text):
            found.append(f"{path.relative_to(ROOT)}: attribute text '{attribute.strip()}'")
        words = re.sub(r"<[^>]*>", " ", text)
        for line in words.splitlines():
            line = line.strip()
            if re.search(r"[A-Za-z]{2,}", line) and not re.fullmatch(r"[^A-Za-z]*", line):
                found.append(f"{path.relative_to(ROOT)}: '{line[:90]}'")
    return found


def test_text_in_templates_is_marked_for_translation():
    assert unmarked_template_text() == [], "Wrap these in {% translate %} / {% blocktranslate %}"


# -- the product in Serbian ---------------------------------------------------------------------------

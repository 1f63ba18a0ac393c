# Sourced by bin/run and bin/test: make .venv with the given requirements file, once per change of it.
set -euo pipefail
requirements="$1"
python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
fi
"$python_bin" -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$requirements")"
if [ ! -e "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
# The translation catalogues (locale/*/LC_MESSAGES/*.po) compiled to the .mo files Django reads, when
# a .po changed: plain Python, so a fresh clone needs no GNU gettext for this (README, "Languages").
.venv/bin/python bin/compile_messages.py
# The project's modules compiled to bytecode, as an installed package's are: a command then starts
# without compiling them first (0.07 s of every start where PYTHONDONTWRITEBYTECODE keeps Python from
# caching what it compiles). A module changed later is compiled again, in memory, when imported.
.venv/bin/python -m compileall -q bulkops config_objects contactcenter

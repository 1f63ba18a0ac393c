"""The README's Deployment section, followed to the letter on a fresh checkout, gives the whole product:
the Serbian interface, a first admin login, and the dashboard served by gunicorn.

The checkout is a copy of the project's files as git sees them (tracked, and new files not ignored, as
they are in the working tree): no .venv, no data folder, no compiled catalogue. The section's bash
block runs there as one script, with these stand-ins for what a test cannot do on this machine:
- `python3 -m venv .venv` links the project's own virtual environment instead of making one;
- `pip install -r requirements.txt` becomes a dry run with no index, which fails if that environment
  does not satisfy requirements.txt (nothing is downloaded or installed);
- the `export` lines take this test's values: a fresh SQLite file, a random key, DEBUG=false,
  HTTPS=false (no TLS here), 127.0.0.1 as the host;
- gunicorn binds a free port on 127.0.0.1.
Every other line runs as written."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

pytestmark = pytest.mark.slow


def deployment_block() -> list[str]:
    """The lines of the first bash block of the README's Deployment section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, "the Deployment section has no bash block"
    return block.group(1).splitlines()


def fresh_checkout(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def script_of(lines: list[str], environment: dict, port: int) -> str:
    commands = ["set -euo pipefail"]
    for line in lines:
        command = line.split(" #", 1)[0].strip()
        if not command or command.startswith("#"):
            continue
        if command == "python3 -m venv .venv":
            commands.append(f"ln -s {VENV} .venv")
        elif command.startswith("pip install -r requirements.txt"):
            commands.append("python -m pip install --dry-run --no-index --quiet -r requirements.txt")
        elif command.startswith("export "):
            names = [word.split("=", 1)[0] for word in command.split()[1:]]
            missing = [name for name in names if name not in environment]
            assert not missing, f"the test gives no value for {missing} ({line!r})"
        elif command.startswith("gunicorn "):
            assert "--bind " in command, command
            commands.append("exec " + re.sub(r"--bind \S+", f"--bind 127.0.0.1:{port}", command))
        else:
            commands.append(command)
    assert commands[-1].startswith("exec gunicorn "), "the block ends by starting gunicorn"
    return "\n".join(commands) + "\n"


@pytest.fixture
def deployed(tmp_path):
    lines = deployment_block()
    for step in ("pip install -r requirements.txt", "compile_messages", "migrate", "ensure_admin", "gunicorn"):
        assert any(step in line for line in lines), f"the Deployment section has no {step} step"
    checkout = fresh_checkout(tmp_path / "checkout")
    assert not list(checkout.glob("locale/*/LC_MESSAGES/*.mo")), "a fresh checkout has no compiled catalogue"
    assert not (checkout / ".venv").exists() and not (checkout / "data").exists()
    port = free_port()
    environment = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deployed.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
    }
    # A fresh machine's environment: nothing of this test run's (settings module, database, queue), and
    # a home of its own (gunicorn keeps its control socket there).
    kept = {name: os.environ[name] for name in ("LANG", "LC_ALL", "TMPDIR") if name in os.environ}
    (tmp_path / "home").mkdir()
    env = kept | environment | {"HOME": str(tmp_path / "home")}
    env["PATH"] = f"{VENV / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    script = tmp_path / "deployment.sh"
    script.write_text(script_of(lines, environment, port))
    log = tmp_path / "deployment.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", str(script)], cwd=checkout, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"the deployment steps stopped ({process.returncode}):\n{log.read_text()}")
            try:
                requests.get(f"{base}/admin/login/", timeout=30)  # the first request loads the URLs
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log.read_text()}"
                time.sleep(0.3)
        yield base, checkout, log.read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_the_deployment_steps_give_the_serbian_dashboard_to_the_admin_they_create(deployed):
    base, checkout, output = deployed
    assert list(checkout.glob("locale/sr_Latn/LC_MESSAGES/*.mo")), "the steps compiled the Serbian catalogue"
    created = re.search(r"Created admin login '([^']+)' with password (\S+)", output)
    assert created, output
    username, password = created.groups()

    session = requests.Session()
    session.headers["Accept-Language"] = "sr-latn"
    login = session.get(f"{base}/admin/login/", timeout=10)
    assert login.status_code == 200
    logged_in = session.post(
        f"{base}/admin/login/?next=/admin/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        headers={"Referer": f"{base}/admin/login/"},
        timeout=10,
    )
    assert logged_in.status_code == 200 and logged_in.url == f"{base}/admin/", logged_in.text[:2000]

    dashboard = session.get(f"{base}/admin/bulkops/job/", timeout=10)
    assert dashboard.status_code == 200
    assert "Masovne operacije" in dashboard.text
    assert "Nova masovna operacija" in dashboard.text
    # Served by gunicorn with DEBUG off: no debug page anywhere.
    missing = session.get(f"{base}/no-such-page/", timeout=10)
    assert missing.status_code == 404 and "DEBUG = True" not in missing.text

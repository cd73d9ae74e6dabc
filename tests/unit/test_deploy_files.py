"""The files of deploy/ are what systemd and nginx accept: `systemd-analyze verify` on every
unit, `nginx -t` on the site inside a wrapper configuration, and both refuse a broken copy.

The units name /srv/palabre; the test verifies copies that name a folder of its own instead,
where the programs they start exist (verify checks that they do). The site names Let's
Encrypt's certificate and ports 80 and 443; the test gives it a self-signed certificate made
here and free ports on 127.0.0.1, so that nothing needs root. Without systemd-analyze, nginx
or openssl these tests are skipped on a laptop and fail in CI (CI=true).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_db

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer"))
SITE = DEPLOY / "nginx" / "palabre.conf"
HELPER = DEPLOY / "palabre-flask"
APP_HOME = "/srv/palabre"
PROGRAMS = (".venv/bin/gunicorn", ".venv/bin/flask")
CERTIFICATE = "/etc/letsencrypt/live/palabre.example.org/fullchain.pem"
PRIVATE_KEY = "/etc/letsencrypt/live/palabre.example.org/privkey.pem"
NGINX_LOGS = "/var/log/nginx/"


def tool(name: str, package: str, *places: str) -> str:
    """The tool's path; without it, a failure in CI and a skip elsewhere, saying what to install."""
    found = shutil.which(name) or next((p for p in places if os.access(p, os.X_OK)), None)
    if found is None:
        message = f"{name} is not installed: `sudo apt-get install -y {package}`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the deployment files cannot be checked in CI: {message}",
                        pytrace=False)
        pytest.skip(message)
    return found


# -- systemd -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def systemd_analyze():
    return tool("systemd-analyze", "systemd", "/usr/bin/systemd-analyze")


@pytest.fixture
def app_home(tmp_path):
    """A stand-in for /srv/palabre: the programs the units start, and instance/."""
    home = tmp_path / "srv" / "palabre"
    for program in PROGRAMS:
        path = home / program
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\nexit 0\n")
        path.chmod(0o755)
    (home / "instance").mkdir()
    return home


def unit_copies(directory: Path, app_home: Path, change=None) -> list[str]:
    """The units of deploy/ written into `directory`, naming `app_home` for /srv/palabre
    (`change(name, text)` may alter one); their names."""
    directory.mkdir()
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace(APP_HOME, str(app_home))
        if change is not None:
            text = change(unit.name, text)
        copy = directory / unit.name
        copy.write_text(text, encoding="utf-8")
        copy.chmod(0o644)  # systemd warns about a world-writable unit, whatever the umask
    return [unit.name for unit in UNITS]


def verify(systemd_analyze: str, directory: Path, names: list[str]) -> list[str]:
    """What `systemd-analyze verify` says against these units (nothing when it accepts them).

    It exits 0 on a misspelt key or a value it cannot read, with a warning: any line that
    names one of the units is a complaint, whatever the exit status.
    """
    result = subprocess.run(
        [systemd_analyze, "verify", "--man=no", *(str(directory / name) for name in names)],
        capture_output=True, text=True, timeout=120, check=False)
    lines = (result.stdout + result.stderr).splitlines()
    complaints = [line for line in lines
                  if str(directory) in line or any(name in line for name in names)]
    if result.returncode != 0 and not complaints:
        complaints = lines or [f"exit status {result.returncode}"]
    return complaints


def test_the_units_start_what_the_code_has():
    names = {unit.name for unit in UNITS}
    assert {"palabre.service", "palabre-notifications.service", "palabre-notifications.timer",
            "palabre-worker.service", "palabre-backup.service",
            "palabre-backup.timer"} <= names
    commands = {unit.name: re.findall(r"^ExecStart=(.*)$",
                                      re.sub(r"\\\n\s*", "", unit.read_text()), re.M)
                for unit in UNITS if unit.suffix == ".service"}
    assert "wsgi:app" in commands["palabre.service"][0]
    assert commands["palabre-notifications.service"][0].endswith("send-notifications")
    assert "notifications-worker" in commands["palabre-worker.service"][0]
    assert commands["palabre-backup.service"][0].endswith("flask --app wsgi backup")
    for unit in UNITS:
        text = unit.read_text()
        assert APP_HOME in text or unit.suffix == ".timer", unit.name


def test_systemd_accepts_every_unit(systemd_analyze, tmp_path, app_home):
    directory = tmp_path / "units"
    names = unit_copies(directory, app_home)
    complaints = verify(systemd_analyze, directory, names)
    assert not complaints, "systemd-analyze verify:\n" + "\n".join(complaints)


BROKEN_UNITS = {
    "a misspelt key": lambda text: text.replace("Restart=on-failure", "Restrat=on-failure"),
    "a value systemd cannot read": lambda text: text.replace("Type=notify", "Type=notified"),
    "a program that is not there": lambda text: text.replace(".venv/bin/gunicorn",
                                                             ".venv/bin/gunicorn-gone"),
}


@pytest.mark.parametrize("breakage", BROKEN_UNITS)
def test_systemd_refuses_a_broken_unit(systemd_analyze, tmp_path, app_home, breakage):
    def change(name, text):
        if name != "palabre.service":
            return text
        broken = BROKEN_UNITS[breakage](text)
        assert broken != text, f"the breakage '{breakage}' changed nothing"
        return broken

    directory = tmp_path / "units"
    names = unit_copies(directory, app_home, change)
    complaints = verify(systemd_analyze, directory, names)
    assert any("palabre.service" in line for line in complaints), (
        f"systemd-analyze verify accepted a unit with {breakage}")


def test_the_command_helper_is_valid_shell():
    assert os.access(HELPER, os.X_OK), "deploy/palabre-flask must be executable"
    result = subprocess.run(["sh", "-n", str(HELPER)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


# -- nginx ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nginx():
    return tool("nginx", "nginx", "/usr/sbin/nginx")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate and its key, for the site's ssl_certificate lines."""
    openssl = tool("openssl", "openssl", "/usr/bin/openssl")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=palabre.example.org", "-keyout", str(key), "-out", str(cert)],
                   capture_output=True, check=True, timeout=60)
    return cert, key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_for_test(text: str, folder: Path, certificate) -> str:
    """The site with the test's certificate, logs in `folder`, and free ports on 127.0.0.1
    (each `listen [::]:N` twin of a `listen N` dropped: IPv6 may be missing here)."""
    cert, key = certificate
    for path in (CERTIFICATE, PRIVATE_KEY, NGINX_LOGS):
        assert path in text, f"the site no longer names {path}: update this test"
    text = (text.replace(CERTIFICATE, str(cert)).replace(PRIVATE_KEY, str(key))
            .replace(NGINX_LOGS, f"{folder}/logs/"))
    ipv4 = set(re.findall(r"^\s*listen\s+(\d+)\b", text, re.M))
    ipv6 = set(re.findall(r"^\s*listen\s+\[::\]:(\d+)\b", text, re.M))
    assert ipv4 and ipv6 <= ipv4, "each IPv6 listen has its IPv4 twin"
    text = re.sub(r"^\s*listen\s+\[::\]:\d+.*\n", "", text, flags=re.M)
    ports = {port: free_port() for port in ipv4}
    return re.sub(r"^(\s*listen\s+)(\d+)\b", lambda m: f"{m[1]}127.0.0.1:{ports[m[2]]}", text,
                  flags=re.M)


def nginx_test(nginx: str, folder: Path, site_text: str) -> subprocess.CompletedProcess:
    """`nginx -t` on a wrapper configuration that includes the site, all under `folder`."""
    (folder / "logs").mkdir(parents=True)
    (folder / "palabre.conf").write_text(site_text, encoding="utf-8")
    temp_paths = "\n".join(f"    {kind}_temp_path {folder}/{kind};"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    wrapper = folder / "nginx.conf"
    wrapper.write_text(f"""pid {folder}/nginx.pid;
error_log {folder}/logs/error.log;
events {{}}
http {{
{temp_paths}
    access_log {folder}/logs/access.log;
    include {folder}/palabre.conf;
}}
""", encoding="utf-8")
    return subprocess.run([nginx, "-t", "-p", f"{folder}/", "-e", f"{folder}/logs/error.log",
                           "-c", str(wrapper)], capture_output=True, text=True, timeout=60,
                          check=False)


def test_nginx_accepts_the_site(nginx, certificate, tmp_path):
    site = site_for_test(SITE.read_text(encoding="utf-8"), tmp_path, certificate)
    result = nginx_test(nginx, tmp_path, site)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_site_sends_what_palabre_expects():
    text = SITE.read_text(encoding="utf-8")
    assert "proxy_pass http://127.0.0.1:8000;" in text  # deploy/palabre.service binds there
    assert "127.0.0.1:8000" in (DEPLOY / "palabre.service").read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "Host"):
        assert f"proxy_set_header {header} " in text
    size = re.search(r"client_max_body_size\s+(\d+)m;", text)
    assert size and int(size[1]) > 10, "attachments go up to 10 MB plus the form"


BROKEN_SITES = {
    "a missing semicolon": lambda text: text.replace("proxy_http_version 1.1;",
                                                     "proxy_http_version 1.1"),
    "an unknown directive": lambda text: text.replace("client_max_body_size",
                                                      "client_max_body_sise"),
    "an unclosed block": lambda text: text.rstrip().removesuffix("}"),
}


@pytest.mark.parametrize("breakage", BROKEN_SITES)
def test_nginx_refuses_a_broken_site(nginx, certificate, tmp_path, breakage):
    text = SITE.read_text(encoding="utf-8")
    broken = BROKEN_SITES[breakage](text)
    assert broken != text, f"the breakage '{breakage}' changed nothing"
    result = nginx_test(nginx, tmp_path, site_for_test(broken, tmp_path, certificate))
    assert result.returncode != 0, f"nginx -t accepted a site with {breakage}"
    assert "palabre.conf" in result.stderr

"""Palabre under gunicorn on 127.0.0.1, as in production: started, waited for, stopped or killed."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`gunicorn -w 4 wsgi:app` on a database, in its own process group (killed as a whole);
    `env`, more of the app's configuration (e.g. PALABRE_FILE_STORAGE); `graceful`, the seconds
    `stop` leaves the workers before it kills them (they take about four to exit)."""

    def __init__(self, database_url: str, log_path: Path, workers: int = WORKERS,
                 env: dict[str, str] | None = None, graceful: int = 5):
        self.database_url, self.log_path, self.workers = database_url, log_path, workers
        self.env, self.graceful = env or {}, graceful
        self.process: subprocess.Popen | None = None
        self.base_url = ""

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self) -> None:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        env = {key: value for key, value in os.environ.items()
               if key not in ("DATABASE_URL", "PALABRE_TEST_DATABASE")}
        # The test configuration reads its database from TEST_DATABASE_URL; CSRF stays on.
        env.update(PALABRE_ENV="test", TEST_DATABASE_URL=self.database_url,
                   PYTHONUNBUFFERED="1", **self.env)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", str(self.workers),
                 "-b", f"127.0.0.1:{port}", "--timeout", "30",
                 "--graceful-timeout", str(self.graceful),
                 # The app is built once, then forked: four workers start in the time of one.
                 "--preload", "--no-control-socket", "wsgi:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as answer:
                    if answer.status == 200 and b'"database":"ok"' in answer.read():
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not healthy after {START_SECONDS} s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: the arbiter and every worker, mid-request."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGQUIT)  # quick shutdown: the test is done
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

"""`make prod`'s supervisord and HAProxy, started as it starts them (the same generated
configuration) on the test database: an app server's master killed with -9 is restarted alone,
HAProxy answers every request meanwhile, and stopping supervisord leaves no process behind."""

import contextlib
import csv
import io
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.outbox.conftest import database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("haproxy") is None, reason="needs HAProxy"),
]

PORT = int(os.environ.get("SUPERVISED_STACK_PORT", "9240"))  # HAProxy; app servers follow
STATS_PORT = PORT + 9
ROOT = Path(settings.BASE_DIR)
SUPERVISORCTL = str(ROOT / ".venv" / "bin" / "supervisorctl")


def wait_for(condition, *, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def server_states() -> dict[str, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{STATS_PORT}/;csv", timeout=2) as answer:
            rows = csv.DictReader(io.StringIO(answer.read().decode().lstrip("# ")))
            return {row["svname"]: row["status"] for row in rows if row["pxname"] == "app"}
    except OSError:
        return {}


class Probe(threading.Thread):
    """A visitor loading the home page through HAProxy every 0.1 s."""

    def __init__(self):
        super().__init__(daemon=True)
        self.seen: list[int | str] = []
        self.running = True

    def run(self):
        while self.running:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=10) as answer:
                    self.seen.append(answer.status)
            except urllib.error.HTTPError as error:
                self.seen.append(error.code)
            except OSError as error:  # refused, or closed without an answer
                self.seen.append(type(error).__name__)
            time.sleep(0.1)


@pytest.fixture
def stack(tmp_path):
    with (tmp_path / "haproxy.cfg").open("w") as out:
        call_command(
            "haproxy_config", bind=f"127.0.0.1:{PORT}", servers=f"{PORT + 1},{PORT + 2}",
            host="127.0.0.1", stats_port=STATS_PORT, error_dir=str(tmp_path), stdout=out,
        )  # fmt: skip
    config = tmp_path / "supervisord.conf"
    with config.open("w") as out:
        call_command(
            "prod_config", "supervisord", port=PORT, app_servers=2, web_workers=1,
            state_dir=str(tmp_path), stdout=out,
        )  # fmt: skip
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ESCAPE_PRODUCTION", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DATABASE_URL=database_url(), EMAIL_HOST="", MAIL_OUTBOX="1")
    log = (tmp_path / "out.log").open("wb")
    supervisord = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "supervisord"), "-n", "-c", str(config)],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip

    def ctl(*args) -> str:
        return subprocess.run(
            [SUPERVISORCTL, "-c", str(config), *args], capture_output=True, text=True, timeout=30
        ).stdout

    try:
        yield ctl, supervisord
    finally:
        with contextlib.suppress(ProcessLookupError):
            supervisord.send_signal(signal.SIGTERM)  # stops every child, as Ctrl+C does
        try:
            supervisord.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(supervisord.pid, signal.SIGKILL)  # the children die with it (pdeathsig)
            supervisord.wait()
        log.close()


def test_an_app_server_killed_is_restarted_alone_and_the_site_keeps_answering(stack):
    ctl, supervisord = stack
    wait_for(
        lambda: list(server_states().values()) == ["UP", "UP", "UP"],
        seconds=60, what="both app servers up in HAProxy",
    )  # fmt: skip
    pids = {name: ctl("pid", name).strip() for name in ["haproxy", "web1", "web2", "mailer"]}
    probe = Probe()
    probe.start()
    try:
        time.sleep(1)
        os.kill(int(pids["web1"]), signal.SIGKILL)
        restarted = wait_for(
            lambda: (pid := ctl("pid", "web1").strip()) not in {"", "0", pids["web1"]} and pid,
            seconds=20, what="supervisord to restart web1",
        )  # fmt: skip
        # supervisord calls it RUNNING once it has stayed up for startsecs; HAProxy may not
        # even have marked it down yet (benchmarks/faults.py measures that time).
        wait_for(lambda: "RUNNING" in ctl("status", "web1"), seconds=30, what="web1 running")
        wait_for(lambda: server_states().get("web1") == "UP", seconds=30, what="web1 back")
        time.sleep(1)
    finally:
        probe.running = False
        probe.join(timeout=15)
    assert restarted != pids["web1"]
    assert {name: ctl("pid", name).strip() for name in ["haproxy", "web2", "mailer"]} == {
        name: pids[name] for name in ["haproxy", "web2", "mailer"]
    }  # the others untouched
    assert len(probe.seen) >= 5  # a visitor every 0.1 s (each waits its answer), across the kill
    assert set(probe.seen) == {200}, probe.seen  # no refused, no closed, no error page

    supervisord.send_signal(signal.SIGTERM)
    assert supervisord.wait(timeout=40) == 0
    for pid in pids.values():  # every child stopped with it
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)

"""`make prod`'s processes come from one list: supervisord's configuration (parsed by supervisord
itself), the operator's systemd units and the env file are written from it, and scripts/prod
refuses to start without a public address."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from supervisor.datatypes import RestartUnconditionally
from supervisor.options import ServerOptions

from escape_events.core.production import (
    STARTSECS,
    Stack,
    env_file,
    environment_names_read_by_settings,
)

ROOT = Path(settings.BASE_DIR)


def written(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("prod_config", *args, stdout=out)
    return out.getvalue()


def supervisord_options(tmp_path, *args) -> ServerOptions:
    path = tmp_path / "supervisord.conf"
    path.write_text(written("supervisord", "--state-dir", str(tmp_path), *args))
    options = ServerOptions()
    options.realize(args=["-c", str(path)])
    return options


def test_supervisord_runs_each_process_alone_restarted_and_tied_to_its_life(tmp_path):
    options = supervisord_options(tmp_path, "--port", "9200", "--smtp-sink-port", "9225")
    programs = {group.name: group.process_configs[0] for group in options.process_group_configs}
    assert sorted(programs) == ["haproxy", "mailer", "printer", "smtp-sink", "web1", "web2"]
    for name, program in programs.items():
        assert program.autorestart is RestartUnconditionally, name
        assert program.startsecs == STARTSECS
        assert program.startretries >= 10 and program.stopasgroup and program.killasgroup
        # The kernel kills it if supervisord dies (kill -9 included).
        assert program.command.startswith("setpriv --pdeathsig KILL -- "), name
    assert "--bind 127.0.0.1:9201 " in programs["web1"].command
    assert "--bind 127.0.0.1:9202 " in programs["web2"].command
    assert programs["web1"].stopwaitsecs > 20  # gunicorn's graceful timeout
    assert programs["mailer"].command.endswith("manage.py deliver_mail")
    assert f"-f {tmp_path / 'haproxy.cfg'}" in programs["haproxy"].command
    assert options.nodaemon is True
    assert options.serverurl == f"unix://{tmp_path / 'supervisor.sock'}"


def test_with_a_mail_server_given_there_is_no_smtp_sink(tmp_path):
    options = supervisord_options(tmp_path, "--app-servers", "3")
    names = sorted(group.name for group in options.process_group_configs)
    assert names == ["haproxy", "mailer", "printer", "web1", "web2", "web3"]


def test_systemd_gets_one_unit_per_process_from_the_same_list(tmp_path):
    written(
        "systemd", "--out", str(tmp_path), "--state-dir", str(tmp_path), "--env-file", "/srv/env"
    )
    stack = Stack(port=8080, app_servers=2, web_workers=2, state_dir=tmp_path)
    names = [f"escape-{process.name}.service" for process in stack.processes()]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*names, "escape.target"])
    for process in stack.processes():
        unit = (tmp_path / f"escape-{process.name}.service").read_text()
        assert "Restart=always" in unit and "EnvironmentFile=/srv/env" in unit
        assert "StartLimitIntervalSec=0" in unit  # never given up on
        # The same command supervisord runs, without the wrapper systemd does not need.
        assert f"ExecStart={' '.join(process.command)}" in unit
    assert f"Wants={' '.join(names)}" in (tmp_path / "escape.target").read_text()


def test_the_env_file_carries_every_setting_the_stack_sets():
    names = environment_names_read_by_settings()
    assert {"OUTBOX_LEASE_SECONDS", "DB_CONN_MAX_AGE", "SECRET_KEY", "SITE_URL"} <= set(names)
    script = (ROOT / "scripts" / "prod").read_text()
    exported = {
        word.split("=", 1)[0]
        for line in script.splitlines()
        if line.lstrip().startswith("export ")
        for word in line.split()[1:]
        if "=" in word or word.isidentifier()
    }
    read_and_set = {name for name in exported if name in names}
    assert {"OUTBOX_LEASE_SECONDS", "DB_CONN_MAX_AGE", "EMAIL_HOST"} <= read_and_set
    environ = {name: f"value-of-{name}" for name in exported} | {"UNRELATED": "x"}
    lines = env_file(environ).splitlines()
    assert {line.split("=", 1)[0] for line in lines} >= read_and_set
    assert "UNRELATED='x'" not in lines


def test_the_env_file_reads_back_the_same_in_bash(tmp_path):
    environ = {"SECRET_KEY": 'a b$c`d"e', "SITE_URL": "https://events.example.org"}
    path = tmp_path / "env"
    path.write_text(env_file(environ))
    shown = subprocess.run(
        ["bash", "-c", f'set -a; . {path}; printf %s "$SECRET_KEY"'],
        capture_output=True, text=True, check=True, env={"PATH": os.environ["PATH"]},
    ).stdout  # fmt: skip
    assert shown == environ["SECRET_KEY"]


def test_the_env_file_refuses_a_value_it_cannot_carry():
    with pytest.raises(ValueError, match="SECRET_KEY holds a quote"):
        env_file({"SECRET_KEY": "it's"})


def test_make_prod_refuses_to_start_without_site_url(tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "PROD_STATE_DIR": str(tmp_path),
    }
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "prod")], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "set SITE_URL" in result.stderr and "PROD_LOCAL_TRIAL=1" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing started, nothing written

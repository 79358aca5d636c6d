"""The processes of the production stack, listed once: `make prod` runs them under supervisord
(each restarted alone when it dies), and the operator's systemd units for several machines are
written from the same list (`manage.py prod_config`)."""

import ast
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Process:
    name: str
    command: list[str]
    what: str
    # Seconds the process gets to finish its work when stopped (gunicorn's graceful timeout,
    # the mail being sent) before it is killed.
    stop_seconds: int = 10


@dataclass(frozen=True)
class Stack:
    """What `make prod` chose: HAProxy on `port`, app servers on port+1 ... port+N."""

    port: int
    app_servers: int
    web_workers: int
    state_dir: Path
    smtp_sink_port: int | None = None
    root: Path = field(default_factory=lambda: Path(settings.BASE_DIR))

    @property
    def python(self) -> str:
        return str(self.root / ".venv" / "bin" / "python")

    @property
    def app_ports(self) -> list[int]:
        return [self.port + number for number in range(1, self.app_servers + 1)]

    def processes(self) -> list[Process]:
        bin_dir = self.root / ".venv" / "bin"
        processes = [
            Process(
                "haproxy",
                ["haproxy", "-db", "-f", str(self.state_dir / "haproxy.cfg")],
                "HAProxy: the site on PORT, health checks, retries, the 502/503/504 pages",
            )
        ]
        processes += [
            Process(
                f"web{number}",
                [
                    str(bin_dir / "gunicorn"),
                    "escape_events.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(self.web_workers),
                    "--timeout",
                    "30",
                    "--graceful-timeout",
                    "20",
                    "--no-control-socket",
                    "--access-logfile",
                    "-",
                    "--config",
                    "python:escape_events.core.gunicorn_config",
                ],
                f"gunicorn app server on {port}",
                stop_seconds=25,
            )
            for number, port in enumerate(self.app_ports, 1)
        ]
        processes.append(
            Process(
                "mailer",
                [self.python, "manage.py", "deliver_mail"],
                "the mail worker: hands the outbox to SMTP",
                stop_seconds=3 * settings.SMTP_TIMEOUT,
            )
        )
        processes.append(
            Process(
                "printer",
                [self.python, "manage.py", "make_printouts"],
                "the printout worker: builds large PDFs (badges, certificates) off the request",
                stop_seconds=30,
            )
        )
        if self.smtp_sink_port:
            processes.append(
                Process(
                    "smtp-sink",
                    [
                        self.python,
                        "-m",
                        "aiosmtpd",
                        "-n",
                        "-c",
                        "aiosmtpd.handlers.Debugging",
                        "stdout",
                        "-l",
                        f"127.0.0.1:{self.smtp_sink_port}",
                    ],
                    "a local SMTP server printing every mail (no EMAIL_HOST given)",
                )
            )
        return processes


# supervisord restarts a process that ran at least STARTSECS at once, and one that dies sooner
# after 1, 2, 3 ... s (its backoff), START_RETRIES times before giving up on it (FATAL).
STARTSECS = 3
START_RETRIES = 20


def supervisord_config(stack: Stack) -> str:
    state = stack.state_dir.resolve()
    lines = [
        "; Written by `manage.py prod_config supervisord`; change that command, not this file.",
        "[supervisord]",
        "nodaemon=true",
        f"directory={stack.root}",
        f"pidfile={state / 'supervisord.pid'}",
        f"logfile={state / 'supervisord.log'}",
        "logfile_maxbytes=10MB",
        "logfile_backups=3",
        f"childlogdir={state}",
        "",
        "[unix_http_server]",
        f"file={state / 'supervisor.sock'}",
        "chmod=0700",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{state / 'supervisor.sock'}",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
    ]
    for process in stack.processes():
        # setpriv --pdeathsig: the kernel kills the process when supervisord dies, even of
        # kill -9, so no child is left holding its port (gunicorn's workers follow their master
        # the same way).
        command = ["setpriv", "--pdeathsig", "KILL", "--", *process.command]
        lines += [
            "",
            f"[program:{process.name}]",
            f"command={shlex.join(command)}",
            f"directory={stack.root}",
            "autostart=true",
            "autorestart=true",
            f"startsecs={STARTSECS}",
            f"startretries={START_RETRIES}",
            "stopsignal=TERM",
            f"stopwaitsecs={process.stop_seconds}",
            "stopasgroup=true",
            "killasgroup=true",
            # Every line to supervisord's own output: `make prod` shows them as honcho did.
            "stdout_logfile=/dev/stdout",
            "stdout_logfile_maxbytes=0",
            "redirect_stderr=true",
        ]
    return "\n".join(lines) + "\n"


def systemd_units(stack: Stack, *, env_file: Path, prefix: str = "escape") -> dict[str, str]:
    """One unit per process, and a target that starts them all (`systemctl start escape.target`)."""
    units = {}
    names = []
    for process in stack.processes():
        name = f"{prefix}-{process.name}.service"
        names.append(name)
        units[name] = "\n".join(
            [
                "# Written by `manage.py prod_config systemd`; change that command, not this file.",
                "[Unit]",
                f"Description=escape_events: {process.what}",
                "After=network-online.target postgresql.service redis-server.service",
                f"PartOf={prefix}.target",
                # Restarted forever: never given up on after a burst of failures.
                "StartLimitIntervalSec=0",
                "",
                "[Service]",
                f"WorkingDirectory={stack.root}",
                f"EnvironmentFile={env_file}",
                f"ExecStart={shlex.join(process.command)}",
                "Restart=always",
                "RestartSec=2s",
                "KillMode=mixed",
                f"TimeoutStopSec={process.stop_seconds}s",
                "",
                "[Install]",
                f"WantedBy={prefix}.target",
                "",
            ]
        )
    units[f"{prefix}.target"] = "\n".join(
        [
            "[Unit]",
            "Description=escape_events: every process of the site",
            f"Wants={' '.join(names)}",
            "",
            "[Install]",
            "WantedBy=multi-user.target",
            "",
        ]
    )
    return units


def environment_names_read_by_settings() -> list[str]:
    """Every environment variable settings.py reads (os.environ.get/[...], env_bool, env_list):
    the env file is written from this list, so a new setting cannot be left out of it."""
    tree = ast.parse((Path(settings.BASE_DIR) / "escape_events" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func
            called = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", "")
            )
            reads_environ = called in {"env_bool", "env_list"} or (
                called == "get" and ast.unparse(function.value) == "os.environ"
            )
            if reads_environ and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return sorted(names)


# What the stack's own processes read besides the settings (gunicorn's worker count, ...).
STACK_NAMES = ["ESCAPE_PRODUCTION", "WEB_WORKERS", "PYTHONUNBUFFERED"]


class UnquotableValue(ValueError):
    pass


def env_file(environ) -> str:
    """`NAME='value'` lines of every variable the settings or the stack read that is set: both
    `set -a; . env` and systemd's EnvironmentFile read them the same way."""
    lines = []
    for name in sorted({*environment_names_read_by_settings(), *STACK_NAMES}):
        if name not in environ:
            continue
        value = environ[name]
        if "'" in value or "\n" in value or "\\" in value:
            raise UnquotableValue(
                f"{name} holds a quote, backslash or line break, which the env file (read by "
                "both bash and systemd) cannot carry the same way; choose a value without one."
            )
        lines.append(f"{name}='{value}'")
    return "\n".join(lines) + "\n"

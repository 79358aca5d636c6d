"""The production stack's process configuration, from one list (escape_events.core.production):
supervisord's for `make prod`, systemd units for an operator's machines, and the env file every
process (and a shell running manage.py by hand) reads."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from escape_events.core.production import (
    Stack,
    UnquotableValue,
    env_file,
    supervisord_config,
    systemd_units,
)


class Command(BaseCommand):
    help = "Write supervisord's configuration, systemd units or the env file of `make prod`."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["supervisord", "systemd", "env"])
        parser.add_argument("--port", type=int, default=8080, help="HAProxy's; app servers follow")
        parser.add_argument("--app-servers", type=int, default=2)
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--smtp-sink-port", type=int, default=0, help="0: no SMTP sink")
        parser.add_argument("--state-dir", default="var/prod", help="haproxy.cfg, env, sockets")
        parser.add_argument("--out", help="systemd: the folder the unit files are written to")
        parser.add_argument(
            "--env-file", help="systemd: the EnvironmentFile (default: STATE_DIR/env)"
        )

    def handle(self, *, what, port, app_servers, web_workers, smtp_sink_port, state_dir, **options):
        if app_servers < 1 or web_workers < 1:
            raise CommandError("--app-servers and --web-workers must be at least 1.")
        if not 0 < port < 65536 - app_servers:
            raise CommandError("--port must leave room for the app servers' ports after it.")
        state = Path(state_dir).resolve()
        stack = Stack(
            port=port,
            app_servers=app_servers,
            web_workers=web_workers,
            state_dir=state,
            smtp_sink_port=smtp_sink_port or None,
        )
        if what == "supervisord":
            self.stdout.write(supervisord_config(stack), ending="")
        elif what == "env":
            try:
                self.stdout.write(env_file(os.environ), ending="")
            except UnquotableValue as error:
                raise CommandError(str(error)) from None
        else:
            if not options["out"]:
                raise CommandError("systemd needs --out, the folder for the unit files.")
            out = Path(options["out"])
            out.mkdir(parents=True, exist_ok=True)
            units = systemd_units(stack, env_file=Path(options["env_file"] or state / "env"))
            for name, text in units.items():
                (out / name).write_text(text)
                self.stdout.write(str(out / name))

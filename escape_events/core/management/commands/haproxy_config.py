"""HAProxy's configuration for the app servers (written by scripts/prod and the load benchmarks):
health checks on /health/, failed connections retried on another server, the client's address
appended to X-Forwarded-For (the app's rate limits count it), optional TLS."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.template import loader

TEMPLATE = """\
# Written by `manage.py haproxy_config`; change that command, not this file.
global
    log stdout format raw local0 info
    maxconn 4000

defaults
    mode http
    log global
    option httplog
    option forwardfor            # the app counts rate limits per X-Forwarded-For client
    option redispatch            # a request refused by a dead server goes to another one
    retries 3
    retry-on conn-failure        # only requests that never reached a server are retried
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # A busy server answers its health check late (the check waits behind requests); only a dead
    # or hung one (connection refused, no answer in 10 s) is taken out.
    timeout check 10s
    errorfile 503 {error_page}   # every app server down: the site's own "back in a moment"

frontend site
    {bind}
    {forwarded_proto}
    default_backend app

backend app
    balance leastconn
    option httpchk
    http-check send meth GET uri /health/ ver HTTP/1.1 hdr Host {host}
    http-check expect status 200
    default-server inter {check_interval_ms}ms fall 3 rise 2
{servers}
listen stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /
    stats refresh 5s
"""


class Command(BaseCommand):
    help = "Print an HAProxy configuration for the given app server ports."

    def add_arguments(self, parser):
        parser.add_argument("--bind", required=True, help="e.g. 127.0.0.1:8080 or :443")
        parser.add_argument("--servers", required=True, help="app server ports, comma-separated")
        parser.add_argument("--host", required=True, help="Host header of the health check")
        parser.add_argument("--stats-port", type=int, required=True)
        parser.add_argument("--tls-cert", default="", help="PEM file: terminate TLS here")
        parser.add_argument("--check-interval-ms", type=int, default=1000)
        parser.add_argument(
            "--error-page", required=True, help="where to write the 503 page HAProxy serves"
        )

    def handle(
        self, *, bind, servers, host, stats_port, tls_cert, check_interval_ms, error_page, **options
    ):
        body = loader.get_template("503.html").render().encode()
        Path(error_page).write_bytes(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Cache-Control: no-store\r\nRetry-After: 10\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        ports = [int(port) for port in servers.split(",") if port.strip()]
        lines = [
            f"    server web{number} 127.0.0.1:{port} check" for number, port in enumerate(ports, 1)
        ]
        self.stdout.write(
            TEMPLATE.format(
                bind=f"bind {bind} ssl crt {tls_cert}" if tls_cert else f"bind {bind}",
                # Only HAProxy tells whether the client came over TLS; a client's claim is dropped.
                forwarded_proto=(
                    "http-request set-header X-Forwarded-Proto https"
                    if tls_cert
                    else "http-request del-header X-Forwarded-Proto"
                ),
                host=host,
                check_interval_ms=check_interval_ms,
                servers="\n".join(lines),
                stats_port=stats_port,
                error_page=Path(error_page).resolve(),
            ),
            ending="",
        )

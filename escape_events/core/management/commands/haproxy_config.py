"""HAProxy's configuration for the app servers (written by scripts/prod and the benchmarks):
health checks on /health/ that take a dead server out within about a second, requests retried
on another server when sending them twice is safe, the site's own page for every error HAProxy
answers itself (502, 503, 504), the client's address appended to X-Forwarded-For, optional TLS."""

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
    option redispatch 1          # every retry goes to another server
    retries 2
    # A request that never reached a server is retried (any method); one whose server died or
    # hung before answering only where `backend app` allows it (requests safe to send twice).
    retry-on conn-failure empty-response response-timeout
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # A busy server answers its health check late (the check waits behind requests); only a dead
    # one (connection refused: out after two checks) or a hung one (no answer in 10 s) goes.
    timeout check 10s
    # The site's own pages instead of a closed connection or HAProxy's: a server that died while
    # answering (502), every server down (503), a server that did not answer in time (504).
{errorfiles}

frontend site
    {bind}
    {forwarded_proto}
    default_backend app

backend app
    balance leastconn
    # Sent twice only if the answer cannot differ: GET and HEAD change nothing, and registering
    # is idempotent by design (one active registration per person and event, checked under the
    # event's lock and by a unique constraint: the second attempt finds the first's and shows
    # it). Every other POST (cancelling, organiser forms, the API) gets the 502 page instead.
    acl registration_form path_reg ^/events/[^/]+/register/$
    http-request disable-l7-retry unless METH_GET or METH_POST registration_form
    option httpchk
    http-check send meth GET uri /health/ ver HTTP/1.1 hdr Host {host}
    http-check expect status 200
    # Out after 2 failed checks {check_interval_ms} ms apart (sooner once one failed: fastinter);
    # its open connections are cut so their requests are retried or answered now; 10 errors in a
    # row in real answers count as a failed check.
    default-server inter {check_interval_ms}ms fastinter {fast_interval_ms}ms fall 2 rise 2
    default-server on-marked-down shutdown-sessions observe layer7 error-limit 10
{servers}
listen stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /
    stats refresh 5s
"""

PAGES = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def write_error_pages(folder: Path) -> dict[int, Path]:
    """The site's 503 page as HAProxy's raw HTTP answers, one file per status."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for status, reason in PAGES.items():
        body = loader.get_template("503.html").render({"from_proxy": status != 503}).encode()
        paths[status] = folder.resolve() / f"{status}.http"
        paths[status].write_bytes(
            b"HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Cache-Control: no-store\r\nRetry-After: 10\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (status, reason.encode(), len(body), body)
        )
    return paths


class Command(BaseCommand):
    help = "Print an HAProxy configuration for the given app server ports."

    def add_arguments(self, parser):
        parser.add_argument("--bind", required=True, help="e.g. 127.0.0.1:8080 or :443")
        parser.add_argument("--servers", required=True, help="app server ports, comma-separated")
        parser.add_argument("--host", required=True, help="Host header of the health check")
        parser.add_argument("--stats-port", type=int, required=True)
        parser.add_argument("--tls-cert", default="", help="PEM file: terminate TLS here")
        parser.add_argument("--check-interval-ms", type=int, default=500)
        parser.add_argument(
            "--error-dir", required=True, help="where to write the 502/503/504 pages HAProxy serves"
        )

    def handle(
        self, *, bind, servers, host, stats_port, tls_cert, check_interval_ms, error_dir, **options
    ):
        pages = write_error_pages(Path(error_dir))
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
                errorfiles="\n".join(
                    f"    errorfile {status} {path}" for status, path in pages.items()
                ),
                host=host,
                check_interval_ms=check_interval_ms,
                fast_interval_ms=max(check_interval_ms // 2, 100),
                servers="\n".join(lines),
                stats_port=stats_port,
            ),
            ending="",
        )

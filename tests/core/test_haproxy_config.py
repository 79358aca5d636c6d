"""The HAProxy configuration of scripts/prod and the load benchmarks is valid for HAProxy."""

import shutil
import subprocess

import pytest
from django.core.management import call_command

needs_haproxy = pytest.mark.skipif(
    shutil.which("haproxy") is None, reason="needs HAProxy: apt-get install haproxy"
)


def config(tmp_path, **options):
    path = tmp_path / "haproxy.cfg"
    with path.open("w") as out:
        call_command("haproxy_config", stdout=out, error_page=str(tmp_path / "503.http"), **options)
    return path


@needs_haproxy
@pytest.mark.parametrize("tls", [False, True])
def test_haproxy_accepts_the_configuration(tmp_path, tls):
    options = {"bind": "127.0.0.1:8080", "servers": "8081,8082", "host": "events.example.org"}
    if tls:
        certificate = tmp_path / "site.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=events.example.org", "-keyout", certificate, "-out", certificate],
            check=True, capture_output=True,
        )  # fmt: skip
        options = {**options, "bind": ":8443", "tls_cert": str(certificate)}
    path = config(tmp_path, stats_port=8090, **options)
    result = subprocess.run(["haproxy", "-c", "-f", path], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_app_server_is_health_checked(tmp_path):
    text = config(
        tmp_path, bind="127.0.0.1:8080", servers="8081,8082,8083", host="h", stats_port=8090
    ).read_text()
    servers = [line.split() for line in text.splitlines() if line.startswith("    server ")]
    assert [(name, address, check) for _, name, address, check in servers] == [
        ("web1", "127.0.0.1:8081", "check"),
        ("web2", "127.0.0.1:8082", "check"),
        ("web3", "127.0.0.1:8083", "check"),
    ]
    assert "uri /health/" in text
    assert "option forwardfor" in text and "retry-on conn-failure" in text
    page = (tmp_path / "503.http").read_bytes()
    assert page.startswith(b"HTTP/1.1 503 ") and b"Back in a moment" in page

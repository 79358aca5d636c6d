"""The HAProxy configuration of scripts/prod and the benchmarks is valid for HAProxy, answers
every error with the site's page, and retries only what is safe to send twice."""

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

needs_haproxy = pytest.mark.skipif(
    shutil.which("haproxy") is None, reason="needs HAProxy: apt-get install haproxy"
)


def config(tmp_path, **options):
    path = tmp_path / "haproxy.cfg"
    with path.open("w") as out:
        call_command("haproxy_config", stdout=out, error_dir=str(tmp_path), **options)
    return path


def one_server_config(tmp_path) -> str:
    return config(
        tmp_path, bind="127.0.0.1:8080", servers="8081", host="h", stats_port=8090
    ).read_text()


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
    assert "option forwardfor" in text


def test_a_dead_server_is_out_within_about_a_second_and_its_requests_answered(tmp_path):
    text = one_server_config(tmp_path)
    assert "default-server inter 500ms fastinter 250ms fall 2 rise 2\n" in text
    assert "on-marked-down shutdown-sessions observe layer7" in text
    for status in (502, 503, 504):
        assert f"errorfile {status} {tmp_path / f'{status}.http'}" in text
        page = (tmp_path / f"{status}.http").read_bytes()
        assert page.startswith(b"HTTP/1.1 %d " % status) and b"Back in a moment" in page
        head, body = page.split(b"\r\n\r\n", 1)
        assert b"Content-Length: %d" % len(body) in head
    assert b"cannot reach its database" in (tmp_path / "503.http").read_bytes()
    assert b"did not answer this request" in (tmp_path / "502.http").read_bytes()


def test_only_requests_safe_to_send_twice_are_retried_after_reaching_a_server(tmp_path):
    text = one_server_config(tmp_path)
    assert "retry-on conn-failure empty-response response-timeout" in text
    assert "http-request disable-l7-retry unless METH_GET or METH_POST registration_form" in text
    (pattern,) = [
        line.split("path_reg ", 1)[1]
        for line in text.splitlines()
        if "registration_form path_reg" in line
    ]
    assert re.fullmatch(pattern, reverse("site:register", kwargs={"slug": "escape-school-2026"}))
    assert not re.fullmatch(pattern, reverse("site:cancel", kwargs={"pk": 1}))

"""Production serving exactly as docs/deploy.md says: collectstatic, then gunicorn with DEBUG=False
serves the pages, the hashed static files and the fonts; the health endpoint answers."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from ita_portal import health as health_module
from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def test_health_answers_without_a_session(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_health_says_503_when_the_database_is_down(client, db, monkeypatch):
    class Down:
        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr(health_module, "connection", Down())
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a loopback test server
        return response.status, dict(response.headers), response.read()


def test_gunicorn_with_debug_off_serves_pages_static_files_and_fonts(tmp_path):
    require_tool(str(GUNICORN), install="pip install -r requirements.txt")
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        "SECURE_SSL_REDIRECT": "False",  # plain HTTP on loopback; behind the proxy in production
        "SECURE_COOKIES": "False",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "ita_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _, body = _get(base + "/healthz/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer: " + server.stdout.read1().decode(errors="replace"))
        assert status == 200 and b'"ok"' in body
        status, _, page = _get(base + "/accounts/login/")
        assert status == 200
        links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.decode())
        assert links, "the page links no static file"
        for link in links:
            status, headers, _ = _get(base + link)
            assert status == 200, link
            assert re.search(r"\.[0-9a-f]{12}\.", link), f"not a hashed name: {link}"
            assert "max-age=315360000" in headers.get("Cache-Control", ""), link
        fonts = list((tmp_path / "staticfiles" / "vendor" / "fonts").glob("THSarabunNew-webfont.*.ttf"))
        assert fonts, "the font was not collected"
        status, _, font = _get(f"{base}/static/vendor/fonts/{fonts[0].name}")
        assert status == 200 and len(font) > 10_000
    finally:
        server.terminate()
        server.wait(timeout=10)

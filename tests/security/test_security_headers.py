"""Content-Security-Policy on every page, no inline script in any template, production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


def test_every_staff_and_public_page_sends_a_policy_without_inline_script(staff_client, anon_client, assessment_a):
    pages = [
        (staff_client, reverse("dashboard", args=["org-a", 2568])),
        (staff_client, reverse("results", args=["org-a", 2568])),
        (staff_client, reverse("analysis", args=["org-a", 2568])),
        (staff_client, reverse("measure_list", args=["org-a", 2568])),
        (staff_client, reverse("progress", args=["org-a", 2568])),
        (staff_client, reverse("checklist", args=["org-a", 2568])),
        (anon_client, reverse("login")),
        (anon_client, reverse("public_directory")),
        (anon_client, "/no-such-page/"),
    ]
    for client, url in pages:
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy, url
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, url
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy, url
        body = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", body):
            assert "src=" in tag, f"inline script on {url}: {tag}"
        assert not re.search(r"\son[a-z]+\s*=", body), f"inline event handler on {url}"


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in list((ROOT / "templates").rglob("*.html")) + list(ROOT.glob("*/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{path}: {tag}")
        if re.search(r"<[a-z][^>]*\son(click|change|submit|load|input|error)\s*=", text):
            offenders.append(f"{path}: inline event handler")
        if "javascript:" in text.lower():
            offenders.append(f"{path}: javascript: URL")
    assert offenders == []


def _check_deploy(**env):
    # The production environment only: nothing of the test run's (DJANGO_ALLOW_ASYNC_UNSAFE, DEBUG …).
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG", "DATABASE_URL", "DJANGO_"))}
    base.update({"DEBUG": "False", "SECRET_KEY": "x7!Qz" * 10, "ALLOWED_HOSTS": "ita.example.go.th"}, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_the_documented_production_environment():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_https_is_switched_off():
    result = _check_deploy(SECURE_SSL_REDIRECT="False", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "W004" in result.stderr + result.stdout and "W008" in result.stderr + result.stdout

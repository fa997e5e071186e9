"""A test that needs a tool (pdftotext, Chromium, LibreOffice, gunicorn) skips where it is missing
on a developer's machine, and fails under CI=true: in CI a skipped required test is a failure."""

import pytest

from tests.conftest import require_tool

ABSENT = "no-such-tool-ita-portal"


def test_missing_tool_skips_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=ABSENT):
        require_tool(ABSENT, install="apt-get install it")


@pytest.mark.parametrize("value", ["true", "TRUE", "True"])
def test_missing_tool_fails_under_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match=f"required in CI: {ABSENT}"):
        require_tool(ABSENT)


def test_first_tool_found_is_returned_even_in_ci(monkeypatch, tmp_path):
    tool = tmp_path / "fake-pdftotext"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert require_tool(ABSENT, "fake-pdftotext") == str(tool)
    assert require_tool(str(tool)) == str(tool)

"""`manage.py render_report` prints what the browser prints: the year's remembered options and
introductions, unless the command names others; a wrong value is refused in Thai."""

import docx
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports.models import ReportSettings
from tests.conftest import require_tool
from tests.reports.test_pdf_output import pdftotext

pytestmark = pytest.mark.django_db


def _remember(assessment, **values):
    return ReportSettings.objects.create(
        assessment=assessment,
        digits="arabic",
        reporter_name="นางสาวสมศรี ใจดี",
        intro_o35="คำนำที่หน่วยงานเขียนเอง ปี 2568",
        options_saved_at=timezone.now(),
        **values,
    )


def _docx_text(path):
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    # U+200B marks where Thai may wrap (docs/word.md): not part of the text a person reads.
    return "\n".join([p.text for p in document.paragraphs] + cells).replace("\u200b", "")


def _render(tmp_path, *args, kind="o35", suffix="docx"):
    out = tmp_path / f"{kind}.{suffix}"
    fmt = ["--format", "docx"] if suffix == "docx" else []
    call_command("render_report", "--org", "org-a", "--year", "2568", "--kind", kind, "--out", str(out), *fmt, *args)
    return out


def test_the_command_prints_with_the_years_remembered_options_and_introduction(report_year, tmp_path):
    assessment = report_year[0]
    _remember(assessment)
    text = _docx_text(_render(tmp_path))
    assert "คำนำที่หน่วยงานเขียนเอง ปี 2568" in text and "นางสาวสมศรี ใจดี" in text
    assert "2568" in text and "๒๕๖๘" not in text  # remembered Arabic digits


def test_options_named_on_the_command_line_win_over_the_remembered_ones(report_year, tmp_path):
    assessment = report_year[0]
    _remember(assessment)
    text = _docx_text(_render(tmp_path, "--digits", "thai_all", "--reporter", "นายสมชาย รักงาน"))
    assert "คำนำที่หน่วยงานเขียนเอง ปี ๒๕๖๘" in text  # typed text in Thai digits too
    assert "นายสมชาย รักงาน" in text and "นางสาวสมศรี ใจดี" not in text


def test_without_remembered_options_the_defaults_and_the_own_introduction_apply(report_year, tmp_path):
    assessment = report_year[0]
    ReportSettings.objects.create(assessment=assessment, digits="arabic", intro_o35="คำนำอย่างเดียว 2568")
    text = _docx_text(_render(tmp_path))
    assert "คำนำอย่างเดียว 2568" in text  # typed text as typed
    assert "๒๕๖๘" in text  # default Thai digits: an introductions-only row remembers no options


def test_the_pdf_carries_the_same_introduction(report_year, tmp_path):
    require_tool("pdftotext", install="apt-get install poppler-utils")
    assessment = report_year[0]
    _remember(assessment)
    text = pdftotext(_render(tmp_path, suffix="pdf").read_bytes(), [], tmp_path)
    assert "คำนำที่หน่วยงานเขียนเอง ปี 2568" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "31/10/2568"], "วันที่รายงาน “31/10/2568” ไม่ถูกต้อง: ใช้ ค.ศ. แบบ YYYY-MM-DD"),
        (["--round", "2568-13-01"], "วันที่ของรอบรายงาน “2568-13-01” ไม่ถูกต้อง"),
        (["--round", "2020-03-31"], "ไม่มีรอบรายงาน ณ 2020-03-31"),
    ],
)
def test_a_wrong_date_is_refused_in_thai_and_nothing_is_written(report_year, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        _render(tmp_path, *args)
    assert not list(tmp_path.iterdir())


def test_an_unknown_organisation_is_refused_in_thai(tmp_path, assessment_a):
    with pytest.raises(CommandError, match="ไม่พบข้อมูลของ “no-such-org” ปีงบประมาณ 2568"):
        call_command("render_report", "--org", "no-such-org", "--year", "2568", "--kind", "o34", "--out", "x")

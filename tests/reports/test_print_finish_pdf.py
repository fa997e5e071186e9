"""Print finish of the PDF reports (issue #22): what a reader sees on the page.

- No line breaks inside a Thai word, a Latin word, a number or a code (a line end and the next
  line's start in the same cell, checked against the text with pythainlp's dictionary).
- No page but the last ends above half its height; a measure continued on a new page repeats its
  title with "(ต่อ)" at the top of that page; the signature block is never alone on its page.
- Scores with the same two decimals throughout; no placeholder text, no stray U+200B in the text.

The demo organisation and data shaped like real reports (a 16-step measure with per-step results,
long unit names, long addresses, Thai and Arabic digits mixed, one-line and very long measures,
text pasted from Word), for o34, o35 and OIT, in both digit styles, with and without the ลำดับ
column. Each PDF is rendered once per module (a big report takes seconds to lay out).
"""

import datetime
import os
import re
import subprocess

import pytest
from django.core.management import call_command
from django.db import transaction

from assessments.models import Assessment, Unit
from assessments.thai import ZWSP, break_opportunities
from measures.models import MeasureStep, OitChecklistItem, Progress, StepProgress
from reports.data import ReportOptions, build
from reports.render import render_html, render_pdf
from tests.conftest import require_tool
from tests.factories import make_assessment, make_measure, make_org, make_rounds
from tests.reports.pdf_layout import broken_words, underfull_pages, visible_text, wraps

LONG_UNIT = "กองการศึกษา ศาสนาและวัฒนธรรม (งานส่งเสริมการศึกษา ศาสนาและวัฒนธรรม)"
LONG_URL = (
    "https://www.donkaeo.go.th/index.php/ita-2569/O26/report-of-measures-to-promote-integrity-and-transparency.pdf"
)
# As a step looks when pasted from Word: a bullet and a tab, curly quotes, no-break spaces, CR LF.
FROM_WORD = (
    "•\tจัดทำประกาศ “เจตนารมณ์การป้องกันการทุจริต” ของผู้บริหาร\u00a0ประจำปีงบประมาณ\u00a0พ.ศ.\u00a02569\r\nผ่านระบบ E-Service"
)
LONG_TITLE = (
    "มาตรการส่งเสริมการประชาสัมพันธ์ข้อมูลข่าวสารและการเปิดเผยข้อมูลสาธารณะผ่านเว็บไซต์ Facebook "
    "และแอปพลิเคชัน LINE Official Account ของหน่วยงานอย่างต่อเนื่องเพื่อยกระดับคะแนน OIT ข้อ O10 ถึง O33"
)
DATE = datetime.date(2026, 9, 30)

# (fixture, kind, digits, number column): both digit styles and both layouts for each kind.
VARIANTS = [
    ("demo", "o34", "thai", False),
    ("demo", "o35", "arabic", True),
    ("demo", "oit", "thai", False),
    ("real", "o34", "arabic", True),
    ("real", "o35", "thai", True),
    ("real", "o35", "arabic", False),
    ("real", "oit", "arabic", False),
]


def _real_shaped():
    """An organisation whose o35 looks like the real 11-page reports: a 16-step measure with
    per-step periods, units and results, long unit names and addresses, short and long measures."""
    org = make_org("real-shaped", "องค์การบริหารส่วนตำบลหนองบัวทองพัฒนา")
    a = make_assessment(org, year=2568)
    long_unit = Unit.objects.create(organisation=org, name=LONG_UNIT, order=9)
    rounds = make_rounds(a)
    big = make_measure(a, title="มาตรการขับเคลื่อนการประเมิน ITA และการเปิดเผยข้อมูลสาธารณะอย่างต่อเนื่อง", steps=0)
    big.period_text = "ตลอดปีงบประมาณ พ.ศ.2569"
    big.save()
    big.units.set(org.units.all())
    for i in range(1, 17):
        step = MeasureStep.objects.create(
            measure=big, order=i, text=f"ขั้นตอนที่ {i} ประชาสัมพันธ์และรายงานผลการดำเนินงานต่อผู้บริหารท้องถิ่น"
        )
        if i % 4:  # as on real reports: most steps carry their own period, unit and result
            step.period_text = ["๑ มี.ค. – ๓๐ เม.ย. ๖๙", "ตุลาคม 2568 / ม.ค.-เม.ย. 69", "ภายใน 30 วัน"][i % 3]
            step.save()
            step.units.set([long_unit])
            StepProgress.objects.create(
                step=step,
                round=rounds[-1],
                status="done",
                output=f"ดำเนินการแล้ว จัดประชุมชี้แจง ๒ ครั้ง ผู้เข้าร่วม {40 + i} คน ปีงบประมาณ ๒๕๖๙",
                outcome="ร้อยละ ๙๐ ของประชาชนพึงพอใจ จำนวน 1,250 ครั้ง",
                evidence=LONG_URL,
            )
    one_line = make_measure(a, title="มาตรการ No Gift Policy", steps=1, issues=(3,))
    word = make_measure(a, title="มาตรการประกาศเจตนารมณ์", steps=0, issues=(4,))
    word.steps.create(order=1, text=FROM_WORD)
    word.steps.create(order=2, text="ติดประกาศ ณ ที่ทำการ\tและเผยแพร่ทางเว็บไซต์")
    long = make_measure(a, title=LONG_TITLE, steps=0, issues=(2,), units=("สำนักปลัด", "กองคลัง", "กองช่าง"))
    for i in range(1, 7):
        long.steps.create(order=i, text=f"ขั้นตอนที่ {i} ปรับปรุงข้อมูลข่าวสารบนเว็บไซต์ให้เป็นปัจจุบัน " * 2)
    for n in range(5, 10):
        make_measure(a, title=f"มาตรการที่ {n} ส่งเสริมความโปร่งใสในการจัดซื้อจัดจ้าง", steps=n % 4 + 1, issues=(n % 7 + 1,))
    for m in (one_line, word, long, *a.measures.exclude(pk__in=[big.pk, one_line.pk, word.pk, long.pk])):
        Progress.objects.create(
            measure=m,
            round=rounds[-1],
            status="done",
            output="ดำเนินการครบทุกขั้นตอน เผยแพร่ข้อมูลบนเว็บไซต์ของหน่วยงาน และรายงานผู้บริหารทราบ",
            outcome="ประชาชนเข้าถึงข้อมูลได้สะดวก ๑๐๐ เปอร์เซ็นต์ จำนวน 1,250 ครั้ง",
            evidence=LONG_URL,
        )
    for q in a.ita_year.questions.filter(instrument="OIT"):
        OitChecklistItem.objects.create(
            assessment=a,
            question=q,
            status="done",
            unit=long_unit,
            description="เผยแพร่ข้อมูลบนเว็บไซต์ของหน่วยงานแล้ว " * 4,
            evidence_url=LONG_URL,
        )
    return a


def _demo():
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    return Assessment.objects.get(organisation__slug="don-kaeo", ita_year__year=2568)


def _text(pdf, mode="-layout"):
    """`pdftotext -layout` (as printed) or `-raw` (content order), one string per page."""
    out = subprocess.run(["pdftotext", mode, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return out.decode().split("\f")[:-1]


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker):
    """{variant: (report, source text, pdf, pages of `pdftotext -layout`)}, rendered once."""
    require_tool("pdftotext", install="apt-get install poppler-utils")
    out = {}
    with django_db_blocker.unblock(), transaction.atomic():
        assessments = {"demo": _demo(), "real": _real_shaped()}
        for variant in VARIANTS:
            name, kind, digits, number_column = variant
            opts = ReportOptions(digits=digits, number_column=number_column, report_date=DATE)
            report = build(kind, assessments[name], opts)
            pdf = render_pdf(report)
            out[variant] = (report, visible_text(render_html(report, for_pdf=True)), pdf, _text(pdf))
        transaction.set_rollback(True)
    return out


def _ids(variant):
    return "-".join(str(part) for part in variant)


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_no_line_breaks_inside_a_word_a_number_or_a_code(printed, variant):
    _, source, pdf, _ = printed[variant]
    found = wraps(pdf)
    assert len(found) > 20  # the check sees the wraps at all
    broken = broken_words(found, source)
    assert not broken, ", ".join(str(w) for w in broken[:10])


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_no_page_but_the_last_is_left_under_half_full(printed, variant):
    """Exempt: the page before o34's landscape section (a section ends there), and a page left
    just under half by the last rows going over with the signature block."""
    import pymupdf

    _, _, pdf, pages = printed[variant]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        sizes = [tuple(round(x) for x in page.rect[2:]) for page in doc]
    for number, fill in underfull_pages(pdf):
        if sizes[number - 1] != sizes[number]:
            continue
        if number == len(pages) - 1 and "ลงชื่อ" in pages[-1] and fill >= 0.4:
            continue
        pytest.fail(f"page {number} of {len(pages)} ends at {fill:.0%} of its height")


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_no_placeholder_text_and_no_stray_zero_width_space_in_the_text(printed, variant):
    text = "\n".join(printed[variant][3])
    assert ZWSP not in text and "\u00ad" not in text
    for placeholder in ("None", "{{", "}}", "{%", "[]", "nan", "Traceback"):
        assert placeholder not in text, placeholder


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v[1] != "oit"], ids=_ids)
def test_a_measure_continued_on_the_next_page_repeats_its_title_there_and_only_there(printed, variant):
    """ "(ต่อ)" is printed only in the first row under the table header of a page."""
    import pymupdf

    from tests.reports.pdf_layout import _grid

    _, _, pdf, pages = printed[variant]
    again = 0
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            words = [w for w in page.get_text("words") if w[4].endswith("(ต่อ)") or w[4] == "(ต่อ)"]
            if not words:
                continue
            again += len(words)
            rules = sorted({round(y) for y, *_ in _grid(page)[1]})
            # rules: the table's top, under its header, under the first row, ...
            assert len(words) == 1 and len(rules) >= 3 and (words[0][1] + words[0][3]) / 2 < rules[2], f"page {number}"
    if variant[0] == "real" and variant[1] == "o35":
        assert again, "the 16-step measure goes over a page: its title comes again"


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v[1] != "oit"], ids=_ids)
def test_the_signature_block_is_whole_and_not_alone_on_its_page(printed, variant):
    pages = printed[variant][3]
    signing = [n for n, page in enumerate(pages) if "ลงชื่อ" in page]
    assert signing and len(set(signing)) == 1 and signing[0] == len(pages) - 1
    last = pages[-1]
    before = last[: last.index("ลงชื่อ")]
    assert "วิธีปฏิบัติ" in before, "the last rows of the table are printed above the signatures"


def test_long_measures_split_between_steps_and_short_ones_stay_whole(printed):
    """In the real-shaped o35 every step row is whole on one page, and the one-line measure and
    the two-step measure pasted from Word are each on one page."""
    pdf = printed[("real", "o35", "thai", True)][2]
    flat = [re.sub(r"\s+", "", page) for page in _text(pdf, "-raw")]
    for text in ("มาตรการNoGiftPolicy", "ติดประกาศณที่ทำการ"):
        assert sum(text in page for page in flat) == 1
    starts = [n for n, page in enumerate(flat) if "ขั้นตอนที่1ประชาสัมพันธ์" in page]
    ends = [n for n, page in enumerate(flat) if "ขั้นตอนที่16ประชาสัมพันธ์" in page]
    assert starts and ends and ends[0] > starts[0], "the 16-step measure goes over more than one page"


def test_scores_have_two_decimals_throughout(printed):
    report = printed[("demo", "o34", "thai", False)][0]
    scores = [row["score"] for row in report.body["summary"]]
    scores += [row["score"] for issue in report.body["issues"] for row in issue["rows"]]
    assert scores and all(re.fullmatch(r"[๐-๙]+\.[๐-๙]{2}|–", s) for s in scores), scores
    assert "๑๐๐.๐๐" in scores  # a whole score is not printed "๑๐๐" beside "๙๘.๕๐"
    arabic = printed[("real", "o34", "arabic", True)][0]
    assert all(re.fullmatch(r"\d+\.\d\d|–", row["score"]) for row in arabic.body["summary"])


def test_break_opportunities_go_between_thai_words_only():
    assert break_opportunities("ประชาสัมพันธ์ข่าวสารของหน่วยงาน") == ZWSP.join(["ประชาสัมพันธ์", "ข่าวสาร", "ของ", "หน่วยงาน"])
    # never inside a Latin word, a number or a code, nor next to punctuation or a space
    for text in ("O10 O26 E-Service 1,250 ๑,๒๕๐ 12.50", "(ITA)", "พ.ศ. ๒๕๖๙", "ม.ค.-เม.ย. 69"):
        assert ZWSP not in break_opportunities(text), text
    assert break_opportunities("ของITAโดย") == ZWSP.join(["ของ", "ITA", "โดย"])
    assert break_opportunities("ร้อยละ๙๐") == "ร้อยละ" + ZWSP + "๙๐"
    text = "การดำเนินงานของหน่วยงาน E-Service ปีงบประมาณ พ.ศ. ๒๕๖๙"
    assert break_opportunities(text).replace(ZWSP, "") == text


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v[1] != "oit"], ids=_ids)
def test_no_page_ends_with_a_section_heading(printed, variant):
    import pymupdf

    with pymupdf.open(stream=printed[variant][2], filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            words = [w for w in page.get_text("words") if w[1] > 60]
            bottom = max(w[3] for w in words)
            last_line = "".join(w[4] for w in sorted(words, key=lambda w: w[0]) if bottom - w[3] < 2)
            assert not last_line.startswith("ประเด็นที่"), f"page {number} ends with a heading"


def test_a_continued_measure_title_is_cut_between_words():
    from reports.templatetags.report_tags import continued

    title = "๘. มาตรการเปิดเผยรายงานสรุปผลการจัดซื้อจัดจ้างประจำปีงบประมาณ"
    assert continued(title) == "๘. มาตรการเปิดเผยรายงานสรุปผลการ…"  # not "…การจัดซื้อจั…"
    assert continued("มาตรการ No Gift Policy") == "มาตรการ No Gift Policy"


def test_a_date_typed_as_text_is_kept_on_one_line():
    from reports.render import word_breaks

    html = word_breaks("<body><p>ธ.ค. 2567 – ม.ค. 2568 ภายใน 30 วัน ๑ มี.ค. ปี พ.ศ. ๒๕๖๙ ตลอดปี</p></body>")
    for date in ("ธ.ค. 2567", "ม.ค. 2568", "๑ มี.ค.", "พ.ศ. ๒๕๖๙"):
        assert f'<span class="nobr">{date}</span>\u200b' in html
    assert '<span class="nobr">30' not in html  # "30 วัน" is not a date

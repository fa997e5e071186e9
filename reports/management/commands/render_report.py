import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from reports import data
from reports.docx_export import report_to_docx
from reports.models import ReportSettings
from reports.render import FontsMissing, render_pdf


def _date(text, what):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{what} “{text}” ไม่ถูกต้อง: ใช้ ค.ศ. แบบ YYYY-MM-DD เช่น 2026-03-31") from None


class Command(BaseCommand):
    help = (
        "สร้างรายงาน PDF หรือ Word (o34, o35, oit) ของหน่วยงานและปีงบประมาณ ตามตัวเลือกและคำนำที่ปีนั้นจำไว้ ตัวเลือกที่ระบุในคำสั่งใช้แทน"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณ (พ.ศ.)")
        parser.add_argument("--kind", required=True, choices=sorted(data.KINDS))
        parser.add_argument("--out", required=True)
        # Options left out come from what the year remembers (ReportSettings), as in the browser.
        parser.add_argument("--digits", choices=["thai", "thai_all", "arabic"])
        parser.add_argument("--grouping", choices=["issues", "list"], help="o35: แยกตามประเด็น หรือเรียงเป็นลำดับ")
        parser.add_argument("--number-column", action=argparse.BooleanOptionalAction, help="คอลัมน์ลำดับ")
        parser.add_argument("--round", help="วันที่ของรอบรายงาน (YYYY-MM-DD) ค่าเริ่มต้น: รอบแรกที่ยังไม่เผยแพร่รายงานผล")
        parser.add_argument("--date", help="วันที่รายงาน (YYYY-MM-DD)")
        parser.add_argument("--reporter", help="ชื่อผู้รายงาน")
        parser.add_argument("--reporter-position")
        parser.add_argument("--approver", help="ชื่อผู้อนุมัติ")
        parser.add_argument("--approver-position")
        parser.add_argument("--archival", action="store_true", help="PDF/A-3a (tagged, for archiving)")
        parser.add_argument("--format", choices=["pdf", "docx"], default="pdf", help="pdf (ค่าเริ่มต้น) หรือ docx (Word)")

    def handle(self, *args, **o):
        assessment = (
            Assessment.objects.select_related("organisation", "ita_year")
            .filter(organisation__slug=o["org"], ita_year__year=o["year"] - 1)
            .first()
        )
        if assessment is None:
            raise CommandError(f"ไม่พบข้อมูลของ “{o['org']}” ปีงบประมาณ {o['year']}")
        round_id = None
        if o["round"]:
            r = assessment.rounds.filter(as_of=_date(o["round"], "วันที่ของรอบรายงาน")).first()
            if r is None:
                raise CommandError(f"ไม่มีรอบรายงาน ณ {o['round']}")
            round_id = r.id
        saved = ReportSettings.objects.filter(assessment=assessment).first()
        remembered = saved.remembered() if saved else {}
        given = {
            "digits": o["digits"],
            "grouping": o["grouping"],
            "number_column": o["number_column"],
            "reporter_name": o["reporter"],
            "reporter_position": o["reporter_position"],
            "approver_name": o["approver"],
            "approver_position": o["approver_position"],
            "report_date": _date(o["date"], "วันที่รายงาน") if o["date"] else None,
        }
        options = remembered | {name: value for name, value in given.items() if value is not None}
        opts = data.ReportOptions(
            round_id=round_id,
            intro_o34=saved.intro_o34 if saved else "",
            intro_o35=saved.intro_o35 if saved else "",
            **options,
        )
        report = data.build(o["kind"], assessment, opts)
        if o["format"] == "docx":
            pdf = report_to_docx(report)
        else:
            try:
                pdf = render_pdf(report, archival=o["archival"])
            except FontsMissing as exc:
                raise CommandError(str(exc)) from exc
        with open(o["out"], "wb") as fh:
            fh.write(pdf)
        self.stdout.write(f"เขียน {o['out']} ({len(pdf):,} ไบต์)")

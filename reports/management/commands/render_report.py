import datetime

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from reports import data
from reports.docx_export import report_to_docx
from reports.render import FontsMissing, render_pdf


class Command(BaseCommand):
    help = "สร้างรายงาน PDF หรือ Word (o34, o35, oit) ของหน่วยงานและปีงบประมาณ"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณ (พ.ศ.)")
        parser.add_argument("--kind", required=True, choices=sorted(data.KINDS))
        parser.add_argument("--out", required=True)
        parser.add_argument("--digits", choices=["thai", "arabic"], default="thai")
        parser.add_argument("--round", help="วันที่ของรอบรายงาน (YYYY-MM-DD) ค่าเริ่มต้น: รอบล่าสุด")
        parser.add_argument("--date", help="วันที่รายงาน (YYYY-MM-DD)")
        parser.add_argument("--reporter", default="", help="ชื่อผู้รายงาน")
        parser.add_argument("--reporter-position", default="")
        parser.add_argument("--approver", default="", help="ชื่อผู้อนุมัติ")
        parser.add_argument("--approver-position", default="")
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
            r = assessment.rounds.filter(as_of=o["round"]).first()
            if r is None:
                raise CommandError(f"ไม่มีรอบรายงาน ณ {o['round']}")
            round_id = r.id
        opts = data.ReportOptions(
            digits=o["digits"],
            round_id=round_id,
            reporter_name=o["reporter"],
            reporter_position=o["reporter_position"],
            approver_name=o["approver"],
            approver_position=o["approver_position"],
            report_date=datetime.date.fromisoformat(o["date"]) if o["date"] else None,
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

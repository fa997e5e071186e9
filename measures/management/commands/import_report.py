from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from measures.services import ensure_rounds, reporting_round
from measures.word_import import PLAN, RESULTS, WordImportError, apply_plan, plan_import, year_warning


class Command(BaseCommand):
    help = "นำเข้ามาตรการ (และผลการดำเนินการ) จากรายงาน o34/o35 ที่เป็นไฟล์ Word (.docx)"

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์ .docx")
        parser.add_argument("--org", required=True, help="ชื่อใน URL ของหน่วยงาน")
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณ (พ.ศ.) ของมาตรการ")
        parser.add_argument(
            "--as",
            dest="mode",
            choices=[PLAN, RESULTS],
            help="plan: แผนของปีนี้ (ไม่นำเข้าผล ช่วงเวลาเลื่อนเป็นปีนี้) results: ผลของปีนี้ "
            "(เฉพาะเอกสารของปีงบประมาณเดียวกัน) ค่าเริ่มต้น: results เมื่อเอกสารเป็นของปีนี้และมีผล มิฉะนั้น plan",
        )
        parser.add_argument("--round", help="วันที่ของรอบรายงานที่จะบันทึกผล (YYYY-MM-DD) ค่าเริ่มต้น: รอบที่กำลังรายงานอยู่")
        parser.add_argument("--dry-run", action="store_true", help="แสดงสิ่งที่จะนำเข้าโดยไม่บันทึก")

    def handle(self, *args, **o):
        assessment = (
            Assessment.objects.select_related("organisation", "ita_year")
            .filter(organisation__slug=o["org"], ita_year__year=o["year"] - 1)
            .first()
        )
        if assessment is None:
            raise CommandError(f"ไม่พบข้อมูลของ “{o['org']}” ปีงบประมาณ {o['year']} (เริ่มปีงบประมาณก่อน)")
        try:
            raw = Path(o["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"เปิดไฟล์ไม่ได้: {exc.strerror}") from exc
        try:
            plan = plan_import(raw, assessment)
        except WordImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"เอกสารของปีงบประมาณ พ.ศ. {plan.fiscal_year}" if plan.fiscal_year else "ไม่พบปีงบประมาณในหัวเอกสาร"
        )
        warning = year_warning(plan.to_dict())
        if warning:
            self.stdout.write(warning)
        for m in plan.measures:
            mark = "(มีอยู่แล้ว ข้าม) " if m.exists else ""
            self.stdout.write(f"- {mark}{m.title} · ขั้นตอน {len(m.steps)} · {', '.join(m.units)} · {m.period}")
        if plan.new_units:
            self.stdout.write("ส่วนราชการใหม่: " + ", ".join(plan.new_units))
        for where, text in plan.unplaced:
            self.stdout.write(f"วางไม่ได้ ({where}): {text[:80]}")
        if plan.unplaced_more:
            self.stdout.write(f"วางไม่ได้อีก {plan.unplaced_more} รายการ")
        if o["dry_run"]:
            self.stdout.write("ทดลองเท่านั้น ไม่ได้บันทึก")
            return
        rounds = ensure_rounds(assessment)
        round_ = reporting_round(rounds)
        if o["round"]:
            round_ = next((r for r in rounds if r.as_of.isoformat() == o["round"]), None)
            if round_ is None:
                raise CommandError(f"ไม่มีรอบรายงาน ณ {o['round']}")
        results = (o["mode"] or plan.mode) == RESULTS and plan.has_results
        try:
            created = apply_plan(assessment, plan.to_dict(), round_ if results else None)
        except WordImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"นำเข้าแล้ว {created} มาตรการ")

"""Demo data for a fresh install: อบต.ดอนแก้ว through the cycle as it stands in November 2569 —
ITA 2567 → FY 2568 and ITA 2568 → FY 2569 published, ITA 2569 → FY 2570 in progress.

Lives in the reports app because it publishes (layers: assessments ← measures ← reports).
"""

import dataclasses
import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import Assessment, ItaYear, Membership, Organisation, Question, Role
from assessments.services import save_scores
from measures.carryover import carry_over
from measures.models import ChecklistStatus, IssueAnalysis, ProgressStatus
from measures.services import approve, ensure_rounds, save_checklist_item, save_progress
from reports.approval import remembered_options
from reports.models import ReportSettings

DEMO_DIR = Path(__file__).resolve().parents[3] / "assessments" / "demo"
DEMO_PASSWORD = "ita-demo-2568"
SLUG = "don-kaeo"
USERS = [
    # username, first name, last name, role, org slug, position
    ("staff", "สมศรี", "ใจดี", Role.STAFF, SLUG, "นักวิเคราะห์นโยบายและแผน"),
    ("manager", "ประเสริฐ", "มั่นคง", Role.MANAGER, SLUG, "ปลัดองค์การบริหารส่วนตำบล"),
    ("auditor", "วิภา", "ตรวจดี", Role.AUDITOR, None, "ผู้ตรวจประเมิน ITAS"),
]

# Official results as ITAS would announce them. 2568: every instrument ≥ 85 → ผ่านดี.
# 2569: overall 89.05 but OIT 82.86 → ผ่าน (the per-instrument rule at work).
LATER_YEARS = {
    2568: {
        "indicators": {
            1: "98.10",
            2: "95.20",
            3: "97.00",
            4: "94.10",
            5: "97.30",
            6: "93.10",
            7: "90.40",
            8: "80.20",
            9: "85.00",
            10: "100.00",
        },  # fmt: skip
        "instruments": {"IIT": "96.34", "EIT": "87.90", "OIT": "92.50"},
        "overall": "92.27",
        "zeros": {"O5", "O11", "O19"},
    },
    2569: {
        "indicators": {
            1: "98.50",
            2: "96.00",
            3: "97.80",
            4: "95.20",
            5: "97.90",
            6: "94.00",
            7: "91.50",
            8: "82.30",
            9: "80.00",
            10: "85.71",
        },  # fmt: skip
        "instruments": {"IIT": "97.08", "EIT": "89.27", "OIT": "82.86"},
        "overall": "89.05",
        "zeros": {"O11", "O19", "O22"},
    },
}


class Command(BaseCommand):
    help = "สร้างข้อมูลตัวอย่าง (อบต.ดอนแก้ว ปีงบประมาณ 2568–2570) และผู้ใช้ตัวอย่าง รันซ้ำได้ (เฉพาะโหมดพัฒนา)"

    def handle(self, *args, **opts):
        if not settings.ALLOW_DEMO_DATA:
            raise CommandError("seed_demo ใช้ได้เฉพาะโหมดพัฒนา (DEBUG=True) เพื่อไม่ให้มีผู้ใช้ตัวอย่างในระบบจริง")
        from measures.dossier import import_dossier

        call_command("load_catalogue", stdout=self.stdout)
        User = get_user_model()
        with transaction.atomic():
            if not Assessment.objects.filter(organisation__slug=SLUG, ita_year__year=2567).exists():
                for path in sorted(DEMO_DIR.glob("*.json")):
                    self.stdout.write(f"ข้อมูลตัวอย่าง: {import_dossier(path.read_bytes())}")
            created = []
            admin, new = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
            if new:  # an existing account keeps the password its owner chose
                admin.set_password(DEMO_PASSWORD)
                admin.save()
                created.append("admin")
            for username, first, last, role, slug, position in USERS:
                names = {"first_name": first, "last_name": last}
                user, new = User.objects.get_or_create(username=username, defaults=names)
                if new:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                    created.append(username)
                org = Organisation.objects.get(slug=slug) if slug else None
                Membership.objects.update_or_create(
                    user=user, organisation=org, defaults={"role": role, "position": position}
                )
        manager = User.objects.get(username="manager")
        for year in (2568, 2569):
            self._later_year(year, manager)
        self._evidence(manager)
        self._publish(manager, fiscal_years=(2568, 2569))
        self.stdout.write("\nผู้ใช้ตัวอย่าง" + (f" (รหัสผ่านของบัญชีที่สร้างใหม่: {DEMO_PASSWORD})" if created else ""))
        for username, first, last, role, _slug, _ in [("admin", "ผู้ดูแลระบบ", "", "admin", None, "")] + USERS:
            note = "" if username in created else " (มีอยู่แล้ว ไม่ได้เปลี่ยนรหัสผ่าน)"
            self.stdout.write(f"  {username:<8} {first} {last} – {role}{note}")

    @transaction.atomic
    def _later_year(self, year, manager):
        """ITA `year` results and the next fiscal year's work, carried on from the year before."""
        org = Organisation.objects.get(slug=SLUG)
        if Assessment.objects.filter(organisation=org, ita_year__year=year).exists():
            return
        spec = LATER_YEARS[year]
        ita_year = ItaYear.objects.get(year=year)
        assessment = Assessment.objects.create(organisation=org, ita_year=ita_year)
        oit = Question.objects.filter(ita_year=ita_year, instrument="OIT").exclude(confidence="unknown")
        save_scores(
            assessment,
            indicators=spec["indicators"],
            instruments=spec["instruments"],
            overall=spec["overall"],
            overall_given=True,
            questions={q.code: "0" if q.code in spec["zeros"] else "100" for q in oit},
        )
        result = carry_over(assessment)
        for issue in ita_year.issues.order_by("number")[:3]:
            IssueAnalysis.objects.create(
                assessment=assessment,
                issue=issue,
                analysis=f"<p>ผล ITA {year} ในประเด็นนี้อยู่ในระดับดี ยังมีข้อที่ต้องรักษาระดับ</p>",
                improvement="<p>ทบทวนการเผยแพร่ข้อมูลให้ครบทุกองค์ประกอบก่อนช่วงตอบแบบ OIT</p>",
            )
        for item in assessment.checklist.select_related("question"):
            if item.question.code not in spec["zeros"]:
                data = {"unit": item.unit, "status": ChecklistStatus.DONE, "description": "เผยแพร่บนเว็บไซต์แล้ว"}
                save_checklist_item(assessment, item.question, data, item.version)
        rounds = ensure_rounds(assessment)
        today = datetime.date.today()
        for measure in assessment.measures.all():
            for round_ in rounds:
                if round_.as_of > today:
                    continue  # a round not yet reached has no results
                done = round_ == rounds[-1]
                save_progress(
                    measure,
                    round_,
                    {
                        "status": ProgressStatus.DONE if done else ProgressStatus.IN_PROGRESS,
                        "output": f"ดำเนินการตามขั้นตอนของมาตรการ ({round_.name})",
                        "outcome": "บุคลากรและประชาชนได้รับทราบข้อมูล" if done else "",
                        "done_on": round_.as_of if done else None,
                    },
                    None,
                )
        if year == 2568:  # the year before this one: approved, then published by _publish
            _remember_signer(assessment)
            for kind in ("o34", "o35", "oit"):
                approve(assessment, kind, manager)
        self.stdout.write(
            f"ข้อมูลตัวอย่าง: {assessment} — คัดลอกจากปีก่อน {result.measures} มาตรการ, รายการ OIT {result.checklist} รายการ"
        )

    def _evidence(self, user):
        """Evidence files (small PDFs) on the first measure in each round and on the first OIT item
        of each year, so the progress page, the checklist, the file pages and the published reports
        show some."""
        from django.core.files.uploadedfile import SimpleUploadedFile
        from weasyprint import HTML

        from measures import evidence
        from measures.models import EvidenceFile
        from measures.services import approve

        for assessment in Assessment.objects.filter(organisation__slug=SLUG).select_related("ita_year"):
            measure = assessment.measures.order_by("order").first()
            oit = assessment.ita_year.questions.filter(instrument="OIT").order_by("order").first()
            if not measure or EvidenceFile.objects.filter(assessment=assessment).exists():
                continue
            targets = [({"measure": measure, "round": r}, r.name) for r in assessment.rounds.order_by("as_of")]
            targets += [({"oit_code": oit.code}, oit.code)] if oit else []
            for target, label in targets:
                html = f"<h1>รายงานการประชุมคณะทำงาน ITA</h1><p>{measure.title}</p><p>{label}</p>"
                upload = SimpleUploadedFile("รายงานการประชุม.pdf", HTML(string=html).write_pdf())
                evidence.attach(assessment, upload, user, target)
            for kind in ("o35", "oit"):
                if getattr(assessment, f"{kind}_approved_at"):  # the demo's manager approves again, files included
                    approve(assessment, kind, user)

    def _publish(self, manager, fiscal_years):
        """Approve (where the year is over) and publish once, so the public pages have something to show."""
        from django.utils import timezone

        from reports.models import PublishedVersion
        from reports.publication import publish

        years = [fy - 1 for fy in fiscal_years]
        assessments = Assessment.objects.filter(organisation__slug=SLUG, ita_year__year__in=years)
        for assessment in assessments.select_related("ita_year"):
            _remember_signer(assessment)
            for kind in ("o34", "o35", "oit"):
                if PublishedVersion.objects.filter(assessment=assessment, kind=kind).exists():
                    continue
                if not getattr(assessment, f"{kind}_approved_at"):
                    setattr(assessment, f"{kind}_approved_at", timezone.now())
                    setattr(assessment, f"{kind}_approved_by", manager)
                    assessment.save()
                # O26: one version per round, 6 months then 12, as the year reported them
                rounds = list(assessment.rounds.order_by("as_of")) if kind == "o35" else [None]
                for round_ in rounds:
                    opts = dataclasses.replace(remembered_options(assessment), round_id=round_.pk if round_ else None)
                    if round_ is not None:  # each round's O26 is approved as it prints, then published
                        approve(assessment, kind, manager, opts=opts)
                    version = publish(assessment, kind, manager, opts)
                    self.stdout.write(f"เผยแพร่ตัวอย่าง: {version} → /public/{SLUG}/{assessment.fiscal_year}/{kind}/")


def _remember_signer(assessment):
    """The year remembers who signs its reports; they are approved and published with it (an
    approval is of what the report prints, signatures included)."""
    from django.utils import timezone

    ReportSettings.objects.get_or_create(
        assessment=assessment,
        defaults={"digits": "thai", "approver_name": "นายสมชาย รักถิ่น", "options_saved_at": timezone.now()},
    )
    assessment.refresh_from_db()

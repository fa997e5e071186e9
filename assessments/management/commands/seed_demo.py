from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.dossier import import_dossier
from assessments.models import Membership, Organisation, Role

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "ita-demo-2568"
USERS = [
    # username, first name, last name, role, org slug, position
    ("staff", "สมศรี", "ใจดี", Role.STAFF, "don-kaeo", "นักวิเคราะห์นโยบายและแผน"),
    ("manager", "ประเสริฐ", "มั่นคง", Role.MANAGER, "don-kaeo", "ปลัดองค์การบริหารส่วนตำบล"),
    ("auditor", "วิภา", "ตรวจดี", Role.AUDITOR, None, "ผู้ตรวจประเมิน ITAS"),
]


class Command(BaseCommand):
    help = "สร้างข้อมูลตัวอย่าง (อบต.ดอนแก้ว ปีงบประมาณ 2568) และผู้ใช้ตัวอย่าง รันซ้ำได้"

    def handle(self, *args, **opts):
        call_command("load_catalogue", stdout=self.stdout)
        User = get_user_model()
        with transaction.atomic():
            for path in sorted(DEMO_DIR.glob("*.json")):
                assessment = import_dossier(path.read_bytes())
                self.stdout.write(f"ข้อมูลตัวอย่าง: {assessment}")
            admin, _ = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
            admin.set_password(DEMO_PASSWORD)
            admin.save()
            for username, first, last, role, slug, position in USERS:
                user, _ = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.set_password(DEMO_PASSWORD)
                user.save()
                org = Organisation.objects.get(slug=slug) if slug else None
                Membership.objects.update_or_create(
                    user=user, organisation=org, defaults={"role": role, "position": position}
                )
        self._publish_demo(User.objects.get(username="manager"))
        self.stdout.write(f"\nผู้ใช้ตัวอย่าง (รหัสผ่านทุกบัญชี: {DEMO_PASSWORD})")
        for username, first, last, role, _slug, _ in [("admin", "ผู้ดูแลระบบ", "", "admin", None, "")] + USERS:
            self.stdout.write(f"  {username:<8} {first} {last} – {role}")

    def _publish_demo(self, manager):
        """Approve and publish the demo year once, so that the public pages have something to show."""
        from django.utils import timezone

        from reports.data import ReportOptions
        from reports.models import PublishedVersion
        from reports.publication import publish

        for assessment in Organisation.objects.get(slug="don-kaeo").assessments.all():
            for kind in ("o34", "o35", "oit"):
                if PublishedVersion.objects.filter(assessment=assessment, kind=kind).exists():
                    continue
                if not getattr(assessment, f"{kind}_approved_at"):
                    setattr(assessment, f"{kind}_approved_at", timezone.now())
                    setattr(assessment, f"{kind}_approved_by", manager)
                    assessment.save()
                version = publish(assessment, kind, manager, ReportOptions(approver_name="นายสมชาย รักถิ่น"))
                self.stdout.write(f"เผยแพร่ตัวอย่าง: {version} → /public/don-kaeo/{assessment.fiscal_year}/{kind}/")

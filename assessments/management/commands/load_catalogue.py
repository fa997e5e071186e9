from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from assessments.catalogue import CATALOGUE_DIR, CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "โหลดแค็ตตาล็อก ITA รายปีจากไฟล์ YAML (รันซ้ำได้ ไม่เปลี่ยนอะไรถ้าไฟล์ไม่เปลี่ยน)"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(CATALOGUE_DIR))
        parser.add_argument("--year", type=int, action="append", help="โหลดเฉพาะปีนี้ (ใส่ซ้ำได้)")

    def handle(self, *args, **opts):
        try:
            report = load_catalogue(opts["dir"], years=opts["year"])
        except (CatalogueError, ProtectedError) as exc:
            raise CommandError(f"โหลดแค็ตตาล็อกไม่สำเร็จ ไม่มีการเปลี่ยนแปลง: {exc}") from exc
        if not report.changed:
            self.stdout.write("แค็ตตาล็อกเป็นปัจจุบันแล้ว ไม่มีการเปลี่ยนแปลง")
        for line in report.lines():
            self.stdout.write(line)

from django.core.management.base import BaseCommand

from reports.tasks import cleanup_renders


class Command(BaseCommand):
    help = "ลบไฟล์ PDF ฉบับร่างที่เก่า (เกินจำนวน RENDER_KEEP ต่อรายงาน หรือเก่ากว่า RENDER_MAX_AGE_HOURS)"

    def handle(self, *args, **options):
        deleted = cleanup_renders()
        self.stdout.write(f"ลบไฟล์ PDF ฉบับร่างแล้ว {deleted} ไฟล์")

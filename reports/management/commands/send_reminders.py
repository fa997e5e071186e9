import datetime

from django.core.management.base import BaseCommand, CommandError

from reports.reminders import send_reminders


class Command(BaseCommand):
    help = "ส่งอีเมลแจ้งเตือน (ใกล้ครบกำหนดรอบรายงาน มาตรการที่เลยกำหนด ข้อคิดเห็นของผู้ตรวจ) ให้เจ้าหน้าที่และผู้บริหาร"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="วันที่ที่ใช้ตรวจ (YYYY-MM-DD) ค่าเริ่มต้น: วันนี้")
        parser.add_argument("--dry-run", action="store_true", help="นับว่าจะส่งกี่ฉบับโดยไม่ส่ง")

    def handle(self, *args, **o):
        try:
            today = datetime.date.fromisoformat(o["date"]) if o["date"] else None
        except ValueError as exc:
            raise CommandError("วันที่ต้องเป็นรูปแบบ YYYY-MM-DD (ค.ศ.) เช่น 2027-03-24") from exc
        sent = send_reminders(today, dry_run=o["dry_run"])
        self.stdout.write(("จะส่ง" if o["dry_run"] else "ส่งแล้ว") + f" {sent} ฉบับ")

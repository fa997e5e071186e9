from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.dossier import DossierError, import_dossier


class Command(BaseCommand):
    help = "นำเข้าไฟล์ dossier (JSON) ทั้งไฟล์หรือไม่นำเข้าเลย"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        try:
            raw = Path(opts["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"เปิดไฟล์ไม่ได้: {exc}") from exc
        try:
            assessment = import_dossier(raw)
        except DossierError as exc:
            raise CommandError(f"นำเข้า {opts['file']} ไม่สำเร็จ ไม่มีการเปลี่ยนแปลงใด ๆ: {exc}") from exc
        self.stdout.write(f"นำเข้าแล้ว: {assessment}")

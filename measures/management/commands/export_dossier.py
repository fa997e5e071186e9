import sys

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Organisation
from measures.dossier import DossierError, dumps, export_dossier


class Command(BaseCommand):
    help = "ส่งออกข้อมูลหนึ่งหน่วยงาน-ปีงบประมาณเป็น JSON (--year คือปีงบประมาณของมาตรการ)"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="slug ของหน่วยงาน")
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณ (พ.ศ.) เช่น 2568")
        parser.add_argument("--out", help="ไฟล์ปลายทาง (ค่าเริ่มต้น: stdout)")

    def handle(self, *args, **opts):
        org = Organisation.objects.filter(slug=opts["org"]).first()
        if org is None:
            raise CommandError(f"ไม่พบหน่วยงาน “{opts['org']}”")
        try:
            text = dumps(export_dossier(org, opts["year"]))
        except DossierError as exc:
            raise CommandError(str(exc)) from exc
        if opts["out"]:
            with open(opts["out"], "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            sys.stdout.write(text)

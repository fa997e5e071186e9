from django.core.management.base import BaseCommand, CommandError

from assessments.catalogue import dump_yaml
from assessments.models import ItaYear


class Command(BaseCommand):
    help = "เขียนแค็ตตาล็อกของปี ITA หนึ่งปีจากฐานข้อมูลออกเป็น YAML (โหลดกลับด้วย load_catalogue ได้)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="ปี ITA (พ.ศ.) เช่น 2569")

    def handle(self, *args, **opts):
        if not ItaYear.objects.filter(year=opts["year"]).exists():
            raise CommandError(f"ไม่มีแค็ตตาล็อก ITA {opts['year']} ในฐานข้อมูล")
        self.stdout.write(dump_yaml(opts["year"]), ending="")

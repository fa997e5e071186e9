from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.catalogue import CATALOGUE_DIR, CatalogueError, check_file, load_catalogue


class Command(BaseCommand):
    help = "โหลดแค็ตตาล็อก ITA รายปีจากไฟล์ YAML (รันซ้ำได้ ไม่เปลี่ยนอะไรถ้าไฟล์ไม่เปลี่ยน)"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(CATALOGUE_DIR), help="โฟลเดอร์ของไฟล์ <ปี>.yaml")
        parser.add_argument("--year", type=int, action="append", help="โหลดเฉพาะปีนี้ (ใส่ซ้ำได้)")
        parser.add_argument(
            "--check", metavar="FILE", help="ตรวจไฟล์นี้โดยไม่โหลด (ใช้ไฟล์อื่นใน --dir สำหรับ based_on และสายรายการ)"
        )

    def handle(self, *args, **opts):
        if opts["check"]:
            try:
                item = check_file(Path(opts["check"]), opts["dir"])
            except CatalogueError as exc:
                raise CommandError(f"ไฟล์มีข้อผิดพลาด:\n{exc}") from exc
            data = item.data
            self.stdout.write(
                f"{Path(opts['check']).name}: ถูกต้อง — ITA {item.year}, ตัวชี้วัด {len(data['indicators'])}, "
                f"ข้อ {len(data['questions'])}, ระดับ {len(data['levels'])}"
            )
            return
        try:
            report = load_catalogue(opts["dir"], years=opts["year"])
        except CatalogueError as exc:
            raise CommandError(f"โหลดแค็ตตาล็อกไม่สำเร็จ ไม่มีการเปลี่ยนแปลง:\n{exc}") from exc
        if not report.changed:
            self.stdout.write("แค็ตตาล็อกเป็นปัจจุบันแล้ว ไม่มีการเปลี่ยนแปลง")
        for line in report.lines():
            self.stdout.write(line)

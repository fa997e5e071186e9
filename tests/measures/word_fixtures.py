"""Word files shaped like real municipal reports, built with python-docx (no binary fixtures)."""

import io

from docx import Document

O35_HEADERS = [
    "มาตรการ/โครงการ/กิจกรรม",
    "ขั้นตอน/วิธีปฏิบัติ",
    "ช่วงระยะเวลาการดำเนินการ",
    "ผู้รับผิดชอบ",
    "ผลการดำเนินการ",
    "ผลลัพธ์/ผลสัมฤทธิ์",
]


def _bytes(doc):
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc, headers, rows):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            if text:
                cell.text = text
    return table


def merged_o35():
    """Issue headings between tables; a title merged over its three step rows; Thai digits;
    web leftovers (<p>, &amp;) in the results; units one per line."""
    doc = Document()
    doc.add_paragraph("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
    doc.add_paragraph("ประเด็น ๑ กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ")
    t = _table(
        doc,
        O35_HEADERS,
        [
            [
                "๑. มาตรการเปิดเผยข้อมูลการปฏิบัติงาน",
                "๑. จัดทำคู่มือการปฏิบัติงาน",
                "๑ ต.ค. ๖๗ – ๓๐ ก.ย. ๖๘",
                "สำนักปลัด\nกองคลัง",
                "<p>ดำเนินการแล้ว &amp; เผยแพร่</p>",
                "ประชาชนเข้าถึงข้อมูลได้",
            ],
            ["", "๒. ประชุมชี้แจงเจ้าหน้าที่", "", "", "", ""],
            ["", "๓. เผยแพร่บนเว็บไซต์", "", "", "", ""],
        ],
    )
    for col in (0, 2, 3, 4, 5):  # the measure's own cells are written once over its step rows
        t.cell(1, col).merge(t.cell(3, col))
    doc.add_paragraph("ประเด็น ๒ การให้บริการและระบบ E-Service")
    _table(
        doc,
        O35_HEADERS,
        [
            [
                "๒. กิจกรรมพัฒนาระบบ E-Service",
                "๑. พัฒนาแบบฟอร์มออนไลน์\n๒. ประชาสัมพันธ์ช่องทาง",
                "ตลอดปีงบประมาณ พ.ศ.๒๕๖๘",
                "งานประชาสัมพันธ์ กองช่างสุขาภิบาลและสิ่งแวดล้อม",
                "มีผู้ใช้บริการ ๑๒๐ ราย\nhttps://example.go.th/e-service/report-2568",
                "",
            ]
        ],
    )
    return _bytes(doc)


def numbered_seven_columns():
    """A ลำดับ column; a title continued in the next row (ลำดับ empty); Arabic digits."""
    doc = Document()
    _table(
        doc,
        ["ลำดับ", *O35_HEADERS],
        [
            ["1", "มาตรการส่งเสริมความโปร่งใส", "1. ประกาศเจตนารมณ์", "1 ม.ค. 68 - 30 เม.ย. 68", "สำนักปลัด", "ประกาศ", ""],
            ["", "ในการจัดซื้อจัดจ้าง", "2. เผยแพร่ประกาศ", "", "", "", ""],
            ["2", "โครงการอบรมคุณธรรม", "1. จัดอบรม", "มิ.ย.-ก.ค. 68", "กองการศึกษา ศาสนาและวัฒนธรรม", "", ""],
        ],
    )
    return _bytes(doc)


def o34_with_follow_up():
    """A five-column o34 table with การติดตามผล; several numbered steps inline in one cell."""
    doc = Document()
    doc.add_paragraph("ประเด็นที่ 3 ช่องทางและรูปแบบการประชาสัมพันธ์เผยแพร่ข้อมูลข่าวสารภาครัฐ")
    _table(
        doc,
        ["มาตรการ/โครงการ/กิจกรรม", "ขั้นตอนหรือวิธีการปฏิบัติ", "หน่วยงานผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การติดตามผล"],
        [
            [
                "มาตรการพัฒนาช่องทางประชาสัมพันธ์",
                "1. สำรวจช่องทาง 2. จัดทำเพจ 3. ประเมินผล",
                "สำนักปลัด, งานประชาสัมพันธ์",
                "1 ตุลาคม 2567 - 30 กันยายน 2568",
                "รายงานผู้บริหารทุกไตรมาส",
            ]
        ],
    )
    return _bytes(doc)


def step_rows(steps=16):
    """One measure whose every step has its own period, unit, output and outcome."""
    doc = Document()
    rows = []
    for i in range(1, steps + 1):
        rows.append(
            [
                "๑. มาตรการขับเคลื่อนการประเมิน ITA" if i == 1 else "",
                f"{i}. ขั้นตอนที่ {i} ของการดำเนินงาน",
                f"เดือนที่ {i} ของปีงบประมาณ",
                "สำนักปลัด" if i % 2 else "กองคลัง",
                f"ผลของขั้นตอนที่ {i}",
                f"ผลลัพธ์ของขั้นตอนที่ {i}",
            ]
        )
    t = _table(doc, O35_HEADERS, rows)
    t.cell(1, 0).merge(t.cell(steps, 0))
    return _bytes(doc)


def no_measures_table():
    doc = Document()
    doc.add_paragraph("บันทึกข้อความ")
    _table(doc, ["ข้อ", "คะแนน"], [["i1", "98.70"]])
    return _bytes(doc)

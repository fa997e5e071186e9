"""Word files shaped like real municipal reports, built with python-docx (no binary fixtures)."""

import io
import zipfile

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


# --- hostile packages, written as raw XML (python-docx would take minutes to merge 600 rows) ---

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="{target}"/></Relationships>'
)
DOC_START = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'
DOC_END = "</w:body></w:document>"


def package(document_xml, chunks=(), name="word/document.xml", target=None):
    """A .docx: content types, relationships (naming `target`, else `name`) and the document;
    `chunks` (str) are streamed in after `document_xml`, so a 100 MB part never sits in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS.format(target=target or name))
        with zf.open(name, "w", force_zip64=True) as part:  # deflated at the archive's level 9
            part.write(document_xml.encode())
            for chunk in chunks:
                part.write(chunk.encode())
    return buffer.getvalue()


def _tc(text="", vmerge=None, span=1):
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else ""
    )
    run = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{run}</w:p></w:tc>" if props else f"<w:tc><w:p>{run}</w:p></w:tc>"


def _tr(cells):
    return "<w:tr>" + "".join(cells) + "</w:tr>"


def merged_rows(steps):
    """One measure whose own cells (title, period, units, results) are merged down `steps` rows,
    as a tester built it: 39 KB for 300 rows."""
    rows = [_tr([_tc(h) for h in O35_HEADERS])]
    for i in range(steps):
        first = i == 0
        mark = "restart" if first else "continue"
        rows.append(
            _tr(
                [
                    _tc("๑. มาตรการขับเคลื่อนการประเมิน ITA" if first else "", mark),
                    _tc(f"{i + 1}. ขั้นตอนที่ {i + 1}"),
                    _tc("ตลอดปีงบประมาณ" if first else "", mark),
                    _tc("สำนักปลัด" if first else "", mark),
                    _tc("ดำเนินการแล้ว" if first else "", mark),
                    _tc("" if first else "", mark),
                ]
            )
        )
    return package(DOC_START + "<w:tbl>" + "".join(rows) + "</w:tbl>" + DOC_END)


def many_rows(rows, tables=1, steps=1):
    """`tables` tables of `rows` rows each, one step a row, a new measure every `steps` rows."""
    body = []
    for t in range(tables):
        body.append("<w:tbl>" + _tr([_tc(h) for h in O35_HEADERS]))
        for i in range(rows):
            title = f"มาตรการที่ {t}-{i // steps + 1}" if i % steps == 0 else ""  # unnumbered: 300 measures
            row = [_tc(title), _tc(f"{i % steps + 1}. ขั้นตอนที่ {i % steps + 1}"), _tc("ตลอดปี"), _tc("สำนักปลัด")]
            body.append(_tr([*row, _tc("ดำเนินการแล้ว"), _tc("ได้ผล")]))
        body.append("</w:tbl>")
    return package(DOC_START + "".join(body) + DOC_END)


def inflating(megabytes):
    """A package whose document inflates to `megabytes` MB of one repeated paragraph."""
    paragraph = "<w:p><w:r><w:t>ข้อความซ้ำ ข้อความซ้ำ ข้อความซ้ำ</w:t></w:r></w:p>"
    chunk = paragraph * (1024 * 1024 // len(paragraph.encode()))
    return package(DOC_START, [chunk] * megabytes + [DOC_END])


def wide_span():
    """A row whose cell claims to span a million grid columns."""
    row = _tr([_tc("มาตรการ"), _tc("x", span=1_000_000)])
    return package(DOC_START + "<w:tbl>" + _tr([_tc(h) for h in O35_HEADERS[:2]]) + row + "</w:tbl>" + DOC_END)


# --- last year's O26, header wordings, continuation rows (issue #24) ---


def last_year_o26(digits="thai"):
    """An O26 (round results) of fiscal year 2570, as a tester imported it into 2571."""
    year = "๒๕๗๐" if digits == "thai" else "2570"
    doc = Document()
    doc.add_paragraph("แบบรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    doc.add_paragraph(f"ประจำปีงบประมาณ พ.ศ. {year} องค์การบริหารส่วนตำบลดอนแก้ว")
    doc.add_paragraph("ประเด็นที่ ๑ การเปิดเผยข้อมูล")
    _table(
        doc,
        O35_HEADERS,
        [
            [
                "๑. มาตรการเผยแพร่ข้อมูล ประจำปีงบประมาณ ๒๕๗๐",
                "๑. จัดทำแผนเผยแพร่\n๒. เผยแพร่บนเว็บไซต์",
                "๑ ต.ค. ๖๙ – ๓๐ ก.ย. ๗๐",
                "สำนักปลัด",
                "ดำเนินการแล้ว เผยแพร่ครบ ๑๒ เดือน",
                "ประชาชนเข้าถึงข้อมูล",
            ],
            [
                "๒. โครงการอบรมคุณธรรม",
                "๑. จัดอบรมเจ้าหน้าที่",
                "ธ.ค. 2569 – ม.ค. 2570",
                "กองคลัง",
                "อบรมแล้ว ๔๐ คน",
                "",
            ],
        ],
    )
    return _bytes(doc)


def worded_headers(headers):
    """Two unnumbered measures under headers worded as an organisation wrote them."""
    doc = Document()
    _table(
        doc,
        headers,
        [
            ["มาตรการเปิดเผยข้อมูล", "1. จัดทำประกาศ\n2. เผยแพร่ประกาศ", "ต.ค. 2569", "สำนักปลัด", "เผยแพร่แล้ว", ""],
            ["โครงการอบรมคุณธรรม", "1. จัดอบรม", "ธ.ค. 2569", "กองคลัง", "", ""],
        ],
    )
    return _bytes(doc)


def continued_title_beside_step_two():
    """Unnumbered titles, one continuing in the next row beside its step 2."""
    doc = Document()
    _table(
        doc,
        O35_HEADERS,
        [
            ["มาตรการส่งเสริมความโปร่งใส", "1. ประกาศเจตนารมณ์", "ต.ค. 2569", "สำนักปลัด", "", ""],
            ["ในการจัดซื้อจัดจ้าง", "2. เผยแพร่ประกาศ", "พ.ย. 2569", "กองคลัง", "", ""],
            ["โครงการอบรมคุณธรรม", "1. จัดอบรม", "ธ.ค. 2569", "กองคลัง", "", ""],
        ],
    )
    return _bytes(doc)


def result_only_row():
    """Step rows with their own results; the result of step 2 runs on into a row of its own."""
    doc = Document()
    _table(
        doc,
        O35_HEADERS,
        [
            ["๑. มาตรการเปิดเผยข้อมูล", "1. จัดทำประกาศ", "ต.ค. 2569", "สำนักปลัด", "ประกาศแล้ว", ""],
            ["", "2. เผยแพร่ประกาศ", "พ.ย. 2569", "กองคลัง", "เผยแพร่บนเว็บไซต์", ""],
            ["", "", "", "", "และบอร์ดประชาสัมพันธ์", "ประชาชนรับทราบ"],
        ],
    )
    return _bytes(doc)


def o26_with_links(links):
    """An O26 of fiscal year 2570 whose result cell ends with the evidence addresses `links`."""
    doc = Document()
    doc.add_paragraph("รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. 2570")
    _table(
        doc,
        O35_HEADERS,
        [["๑. มาตรการเผยแพร่ข้อมูล", "๑. เผยแพร่บนเว็บไซต์", "ตลอดปี", "สำนักปลัด", "\n".join(["เผยแพร่แล้ว", *links]), ""]],
    )
    return _bytes(doc)


def o34_with_analysis():
    """An o34 of fiscal year 2568 as the reference report has it: issue 1's analysis in a table of
    scores (one cell of <p> paragraphs), issue 2's in paragraphs, then the measures."""
    doc = Document()
    doc.add_paragraph("การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2568")
    _table(
        doc,
        ["เครื่องมือการประเมิน", "ข้อคำถาม", "คะแนน"],
        [
            ["ประเด็นที่ 1 กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ", "", ""],
            ["OIT", "ข้อ o9 รายงานผลการดำเนินงานประจำปี", "0"],
            ["วิเคราะห์ข้อบกพร่อง/ข้อปรับปรุง ข้อที่ต้องพัฒนา หรือรักษาระดับ", "", ""],
            [
                "<p>ข้อคำถาม : o9 รายงานผลการดำเนินงานประจำปี</p> <p>วิเคราะห์ : ไม่ระบุวันเริ่มและสิ้นสุด</p> "
                "<p>ข้อปรับปรุง: ควรระบุวันเริ่มและสิ้นสุดของทุกโครงการ</p>",
                "",
                "",
            ],
        ],
    )
    for text in (
        "ประเด็นที่ 2 การให้บริการและระบบ E-Service",
        "วิเคราะห์ข้อบกพร่อง/ข้อปรับปรุง ข้อที่ต้องพัฒนา หรือรักษาระดับ",
        "วิเคราะห์: ประชาชนไม่ได้ใช้บริการออนไลน์",
        "เพราะยังไม่รู้จักช่องทาง",
        "■ **ข้อปรับปรุง:** ประชาสัมพันธ์ระบบ E-Service",
        "4. วิธีการนำผลการวิเคราะห์แต่ละประเด็นไปสู่การปฏิบัติ ในปีงบประมาณ พ.ศ. 2568",
    ):
        doc.add_paragraph(text)
    _table(
        doc,
        ["มาตรการ/โครงการ/กิจกรรม", "ขั้นตอน/วิธีปฏิบัติ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ"],
        [["1. มาตรการเปิดเผยรายงานผลการดำเนินงานประจำปี", "1. ประชุม 2. เผยแพร่", "ทุกสำนัก/กอง", "ตลอดปี"]],
    )
    return _bytes(doc)

"""Evidence files: what a file is, read from its content; attaching and removing them.

A name says nothing: an executable renamed "รายงาน.pdf" is still an executable. The type comes
from the first bytes (and, for Office files, the parts inside the zip); the stored name gets the
extension of what the file really is."""

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse

from assessments.models import Organisation
from assessments.services import DomainError, lock_assessment_id
from assessments.storage import sha256_of

from .models import EvidenceFile

MAX_FILES_PER_TARGET = 20


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "application/pdf", "PDF")
PNG = FileType("png", "image/png", "รูปภาพ PNG")
JPEG = FileType("jpg", "image/jpeg", "รูปภาพ JPEG")
GIF = FileType("gif", "image/gif", "รูปภาพ GIF")
WEBP = FileType("webp", "image/webp", "รูปภาพ WebP")
OOXML = {
    "word/document.xml": FileType(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"
    ),
    "xl/workbook.xml": FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "ppt/presentation.xml": FileType(
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"
    ),
}
ODF = {
    b"application/vnd.oasis.opendocument.text": FileType("odt", "application/vnd.oasis.opendocument.text", "ODT"),
    b"application/vnd.oasis.opendocument.spreadsheet": FileType(
        "ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS"
    ),
}
# Word 97–2003, Excel 97–2003 and PowerPoint 97–2003 share one container; its name decides which.
OLE = {
    "doc": FileType("doc", "application/msword", "Word 97–2003"),
    "xls": FileType("xls", "application/vnd.ms-excel", "Excel 97–2003"),
    "ppt": FileType("ppt", "application/vnd.ms-powerpoint", "PowerPoint 97–2003"),
}
ACCEPTED = "PDF, รูปภาพ (JPG, PNG, GIF, WebP), Word, Excel, PowerPoint หรือ ODT/ODS"
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce")


def detect(upload) -> FileType:
    """The type of an uploaded file, from its content; DomainError (Thai) when it is not one we keep."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        ext = _extension(upload.name)
        if ext in OLE:
            return OLE[ext]
        raise DomainError("ไฟล์นี้เป็นเอกสาร Office รุ่นเก่า แต่ชื่อไฟล์ไม่ได้ลงท้ายด้วย .doc .xls หรือ .ppt")
    if head.startswith(EXECUTABLE_MAGIC):
        raise DomainError(f"ไฟล์ “{_clean_name(upload.name)}” เป็นโปรแกรม ไม่ใช่เอกสาร จึงแนบไม่ได้ แม้ชื่อไฟล์จะดูเหมือนเอกสาร")
    raise DomainError(f"แนบได้เฉพาะ {ACCEPTED}: เนื้อไฟล์ “{_clean_name(upload.name)}” ไม่ใช่ชนิดเหล่านี้")


# What an Office file must hold to be what it claims: its main part, and [Content_Types].xml declaring
# that part with the type of a document without macros.
OOXML_MAIN = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
# Parts that run code: VBA projects, and programs or scripts carried inside (any folder, any case).
EXECUTABLE_PARTS = re.compile(
    r"(^|/)vbaProject\.bin$|\.(exe|dll|js|jse|bat|cmd|ps1|vbs|vbe|wsf|sh|jar|com|scr|msi|hta|lnk)$", re.IGNORECASE
)
MACRO_TYPES = ("macroEnabled", "vbaProject", "vnd.ms-office.activeX", "vnd.ms-excel.intl-macrosheet")
ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")
MAX_ZIP_ENTRIES = 5000


def _refuse_zip(upload, why) -> DomainError:
    return DomainError(f"ไฟล์ “{_clean_name(upload.name)}” แนบไม่ได้: {why}")


def _zip_type(upload) -> FileType:
    """An OOXML or ODF document, checked inside: the parts it needs, nothing that runs, a bounded size."""
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mains = [part for part in OOXML if part in names]
            if not mains and "mimetype" not in names:  # a plain zip: not a document at all
                raise DomainError(f"ไฟล์ ZIP แนบไม่ได้: แนบได้เฉพาะ {ACCEPTED}")
            if len(infos) > MAX_ZIP_ENTRIES:
                raise _refuse_zip(upload, f"มีไฟล์ย่อยข้างในมากเกิน {MAX_ZIP_ENTRIES} ไฟล์")
            unpacked, limit = sum(info.file_size for info in infos), settings.EVIDENCE_MAX_UNPACKED_BYTES
            if unpacked > limit:
                raise _refuse_zip(upload, f"เมื่อแตกไฟล์แล้วใหญ่ {unpacked / 2**20:.0f} MB เกินที่รับได้ {limit / 2**20:.0f} MB")
            runnable = sorted(name for name in names if EXECUTABLE_PARTS.search(name))
            if runnable:
                raise _refuse_zip(upload, f"มีโปรแกรมหรือแมโครอยู่ข้างใน ({', '.join(runnable[:3])})")
            if mains:
                return _ooxml_type(upload, archive, mains)
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    kind = ODF.get(part.read(100).strip())  # a few bytes: never inflate a bomb
                if kind:
                    if any(name.startswith(ODF_MACRO_FOLDERS) for name in names):
                        raise _refuse_zip(upload, "มีแมโครอยู่ข้างใน")
                    return kind
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        pass
    finally:
        upload.seek(0)
    raise DomainError(f"ไฟล์ ZIP แนบไม่ได้: แนบได้เฉพาะ {ACCEPTED}")


def _ooxml_type(upload, archive, mains) -> FileType:
    if len(mains) > 1:
        raise _refuse_zip(upload, "เป็นเอกสาร Office หลายชนิดปนกัน")
    if "[Content_Types].xml" not in archive.namelist():
        raise _refuse_zip(upload, "ไม่ใช่เอกสาร Office ที่สมบูรณ์ (ไม่มี [Content_Types].xml)")
    with archive.open("[Content_Types].xml") as part:
        declared = part.read(2**20).decode("utf-8", "replace")  # at most 1 MB: never inflate a bomb
    if any(marker.lower() in declared.lower() for marker in MACRO_TYPES):
        raise _refuse_zip(upload, "เป็นเอกสารที่มีแมโคร (macro-enabled) ให้บันทึกเป็น .docx .xlsx หรือ .pptx ธรรมดาก่อน")
    if OOXML_MAIN[mains[0]] not in declared:
        raise _refuse_zip(upload, "ส่วนประกอบภายในไม่ตรงกับชนิดเอกสาร Office ที่อ้าง")
    return OOXML[mains[0]]


def _extension(name) -> str:
    return os.path.splitext(name or "")[1].lstrip(".").lower()


def _clean_name(name) -> str:
    """The name a person gave the file, without a path or control characters, at most 150 characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return re.sub(r"\s+", " ", name).strip()[:150] or "ไฟล์"


def check(upload) -> FileType:
    """Size and type of one upload, before anything is stored; DomainError (Thai) if refused."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise DomainError(
            f"ไฟล์ “{_clean_name(upload.name)}” ใหญ่ {upload.size / 2**20:.1f} MB เกินขนาดที่แนบได้ "
            f"{limit / 2**20:.0f} MB: ลดขนาดไฟล์ หรือใส่เป็นลิงก์แทน"
        )
    if upload.size == 0:
        raise DomainError(f"ไฟล์ “{_clean_name(upload.name)}” ว่างเปล่า")
    return detect(upload)


def attach_all(assessment, uploads, user, target: dict) -> list[EvidenceFile]:
    """Keep every upload as evidence of `target`: {"measure", "round"} (a measure's result in a
    round) or {"oit_code"} (an OIT item). All are checked before any is stored: all or none."""
    kinds = [check(upload) for upload in uploads]
    total, limit = sum(upload.size for upload in uploads), settings.EVIDENCE_MAX_REQUEST_BYTES
    if total > limit:
        raise DomainError(
            f"ไฟล์ที่เลือกรวมกัน {total / 2**20:.1f} MB เกินที่ส่งได้ในครั้งเดียว {limit / 2**20:.0f} MB: แนบทีละน้อยไฟล์"
        )
    if EvidenceFile.objects.filter(assessment=assessment, **target).count() + len(uploads) > MAX_FILES_PER_TARGET:
        raise DomainError(f"แนบได้ไม่เกิน {MAX_FILES_PER_TARGET} ไฟล์ต่อรายการ: รวมไฟล์ หรือใส่เป็นลิงก์แทน")
    kept = []
    try:
        with transaction.atomic():
            lock_assessment_id(assessment.pk)  # the assessment lock (assessments.services)
            _check_quota(assessment.organisation_id, total)
            for upload, kind in zip(uploads, kinds, strict=True):
                kept.append(_store(assessment, upload, kind, user, target))
    except BaseException:
        for evidence in kept:  # their rows were rolled back: their stored files go too
            evidence.file.delete(save=False)
        raise
    return kept


def used_bytes(organisation_id) -> int:
    return EvidenceFile.objects.filter(assessment__organisation_id=organisation_id).aggregate(n=Sum("size"))["n"] or 0


def _check_quota(organisation_id, adding: int) -> None:
    """Each organisation stores at most EVIDENCE_QUOTA_BYTES of evidence; its row lock makes two
    uploads at once count one after the other."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    used, quota = used_bytes(organisation_id), settings.EVIDENCE_QUOTA_BYTES
    if used + adding > quota:
        raise DomainError(
            f"พื้นที่เก็บไฟล์หลักฐานของหน่วยงานใช้ไปแล้ว {used / 2**20:,.1f} MB จาก {quota / 2**20:,.0f} MB "
            f"ไฟล์ที่เลือก ({adding / 2**20:,.1f} MB) จึงเกินพื้นที่ที่เหลือ: ลบไฟล์ที่ไม่ใช้แล้ว ลดขนาดไฟล์ "
            "หรือใส่เป็นลิงก์แทน"
        )


def verify(evidence: EvidenceFile) -> bool:
    """Whether the stored bytes are still those uploaded (their SHA-256); OSError when the file is gone."""
    return sha256_of(evidence.file) == evidence.sha256


def attach(assessment, upload, user, target: dict) -> EvidenceFile:
    return attach_all(assessment, [upload], user, target)[0]


def _store(assessment, upload, kind, user, target) -> EvidenceFile:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stem = os.path.splitext(_clean_name(upload.name))[0] or "ไฟล์"
    evidence = EvidenceFile(
        assessment=assessment,
        name=f"{stem}.{kind.extension}",
        extension=kind.extension,
        content_type=kind.content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user if user and user.is_authenticated else None,
        **target,
    )
    evidence.file.save(evidence.name, upload, save=False)
    try:
        evidence.save()
    except BaseException:
        evidence.file.delete(save=False)  # no file left behind without its row
        raise
    return evidence


@transaction.atomic
def remove(evidence: EvidenceFile) -> None:
    # One conditional DELETE: a publish marking the file at the same moment wins, so a published
    # report never points to a deleted file.
    lock_assessment_id(evidence.assessment_id)
    deleted, _ = EvidenceFile.objects.filter(pk=evidence.pk, published=False).delete()
    if not deleted:
        raise DomainError(f"ลบ “{evidence.name}” ไม่ได้: ไฟล์นี้อยู่ในรายงานที่เผยแพร่แล้ว (ฉบับที่เผยแพร่แก้ไขไม่ได้)")
    storage, path = evidence.file.storage, evidence.file.name
    transaction.on_commit(lambda: storage.delete(path))


def url(evidence: EvidenceFile) -> str:
    """The address printed in reports: absolute, as a PDF link leaves the site."""
    path = reverse("evidence_download", args=[evidence.pk, slug_name(evidence)])
    return settings.SITE_URL.rstrip("/") + unquote(path)


_OWN_PATH = re.compile(r"^/evidence/(\d+)/")


def own_file_id(address: str) -> int | None:
    """The id of this portal's evidence file an address names ("/evidence/12/…", with or without
    SITE_URL in front); None for any other address."""
    site = settings.SITE_URL.rstrip("/")
    path = address[len(site) :] if address.startswith(site + "/") else address
    match = _OWN_PATH.match(path)
    return int(match.group(1)) if match else None


def copy_files(assessment, pairs) -> list[EvidenceFile]:
    """Files attached again, each to its target: `pairs` are (file, {"measure", "round"}). Each copy
    has stored bytes of its own, so that removing one never removes the other's. Called last in the
    caller's transaction; if a copy fails the copies already stored are removed."""
    pairs = list(pairs)
    if not pairs:
        return []
    _check_quota(assessment.organisation_id, sum(f.size for f, _ in pairs))
    kept = []
    try:
        for f, target in pairs:
            copy = EvidenceFile(
                assessment=assessment,
                name=f.name,
                extension=f.extension,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                uploaded_by=f.uploaded_by,
                **target,
            )
            with f.file.open("rb") as stored:
                copy.file.save(f.name, stored, save=False)
            kept.append(copy)
            copy.save()
    except BaseException:
        for copy in kept:
            copy.file.delete(save=False)
        raise
    return kept


def slug_name(evidence: EvidenceFile) -> str:
    """The file's name as the last part of its address: readable Thai, no spaces to break a copied link."""
    return re.sub(r"[\s/?#%]+", "_", evidence.name)


def grouped(queryset, key: str, value=lambda f: f) -> dict:
    """Files grouped by "measure_id" or "oit_code", in upload order: one query for a whole page."""
    out = {}
    for f in queryset:
        out.setdefault(getattr(f, key), []).append(value(f))
    return out


def mark_published(ids) -> int:
    """Files now in a published version; returns how many of them still exist."""
    return EvidenceFile.objects.filter(pk__in=list(ids)).update(published=True)


def size_label(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{max(1, round(size / 1024))} KB"

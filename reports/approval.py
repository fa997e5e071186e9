"""Approving a report: the manager approves the fingerprint of the preview they saw.

The preview page carries the fingerprint of the report it shows (reports/fingerprint.py). At the
click, under the assessment lock, the report is built again from what is stored: a different
fingerprint means someone saved since the page was shown, and the approval is refused (the page
shows the new preview). Gaps (reports/checklist.py) need the manager's explicit confirmation.
"""

from django.db import transaction

from assessments.concurrency import lock_assessment
from assessments.models import Assessment
from assessments.services import DomainError
from measures import approval as measures_approval
from measures.services import approval_label, check_approvable
from measures.services import approve as record_approval

from . import data
from .checklist import CONFIRM_REQUIRED, missing_before_approval
from .fingerprint import approval_fingerprint

STALE = "ข้อมูลของรายงานมีการแก้ไขหลังจากที่เปิดหน้าตัวอย่างนี้ ระบบยังไม่ได้อนุมัติ กรุณาตรวจตัวอย่างฉบับล่าสุดด้านล่างแล้วกดอนุมัติอีกครั้ง"
NOT_SEEN = "กรุณาเปิดดูตัวอย่างรายงานก่อนอนุมัติ"


class StaleApproval(DomainError):
    """What the manager saw is not what is stored now."""


def remembered_options(assessment: Assessment) -> data.ReportOptions:
    from .forms import ReportOptionsForm  # forms import data; kept local to stay a plain service

    return ReportOptionsForm(assessment, None).options()


def fingerprint(assessment: Assessment, kind: str, opts: data.ReportOptions | None = None) -> str:
    """The fingerprint of the report as it prints now (with the remembered options by default)."""
    report = data.build(kind, assessment, opts if opts is not None else remembered_options(assessment))
    return approval_fingerprint(report)


def approve(
    assessment: Assessment, kind: str, user, opts: data.ReportOptions, seen: str, *, confirmed: bool = False
) -> str:
    """Approve the report the manager saw (`seen`: its fingerprint); returns the fingerprint recorded."""
    check_approvable(assessment, kind)
    if not seen:
        raise StaleApproval(NOT_SEEN)
    with transaction.atomic():
        locked = lock_assessment(assessment)  # every save takes it too: nothing changes until recorded
        if missing_before_approval(locked, kind, opts) and not confirmed:
            raise DomainError(CONFIRM_REQUIRED)
        current = fingerprint(locked, kind, opts)
        if current != seen:
            raise StaleApproval(STALE)
        record_approval(locked, kind, user, fingerprint=current)
    for name in (f"{kind}_approved_by_id", f"{kind}_approved_at", f"{kind}_approved_hash"):
        setattr(assessment, name, getattr(locked, name))
    return current


def check_publishable(assessment: Assessment, kind: str, opts: data.ReportOptions, current: str | None = None):
    """The report, as it prints with `opts`, is the one approved; else a Thai DomainError."""
    if kind not in data.KINDS:
        raise DomainError("ไม่รู้จักรายงานนี้")
    if not getattr(assessment, f"{kind}_approved_at"):
        raise DomainError(f"ต้องอนุมัติ{approval_label(assessment, kind)}ก่อนเผยแพร่")
    if current is None:
        current = fingerprint(assessment, kind, opts)
    if measures_approval.state(assessment, kind, current=current) == measures_approval.ApprovalState.CHANGED:
        raise DomainError(f"{approval_label(assessment, kind)}มีการแก้ไขหลังอนุมัติ ต้องอนุมัติอีกครั้งก่อนเผยแพร่")

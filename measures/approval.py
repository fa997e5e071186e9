"""Approval tied to content: an approval records a SHA-256 of what the report prints.

The fingerprint is taken from the built report (reports/data.build and reports/fingerprint.py):
scores, introductions, names, measures, steps, periods, results, files and the options' effect.
Measures cannot build reports itself (the layers point one way), so the reports app registers
how a report is fingerprinted in FINGERPRINTERS (reports/apps.py).

Any edit after the approval changes the fingerprint: the pages say "มีการแก้ไขหลังอนุมัติ" and
publishing is refused until a manager approves again.
"""

from django.db import models

from assessments.models import Assessment

KINDS = ("o34", "o35", "oit")
# fingerprint(assessment, kind, opts=None) -> SHA-256 of the report as printed with `opts`
# (None: the options the fiscal year remembers). Registered by reports/apps.py.
FINGERPRINTERS: list = []


class ApprovalState(models.TextChoices):
    NONE = "none", "ยังไม่อนุมัติ"
    APPROVED = "approved", "อนุมัติแล้ว"
    CHANGED = "changed", "มีการแก้ไขหลังอนุมัติ"


def digest(assessment: Assessment, kind: str, opts=None) -> str:
    """The fingerprint of the report as it would print now."""
    if kind not in KINDS:
        raise ValueError(kind)
    return FINGERPRINTERS[-1](assessment, kind, opts)


def state(assessment: Assessment, kind: str, opts=None, current: str | None = None) -> ApprovalState:
    """Approved, changed since, or never approved; `current` spares building the report again."""
    if not getattr(assessment, f"{kind}_approved_at"):
        return ApprovalState.NONE
    recorded = getattr(assessment, f"{kind}_approved_hash")
    if not recorded:  # approved before approvals recorded their content
        return ApprovalState.APPROVED
    now = current if current is not None else digest(assessment, kind, opts)
    return ApprovalState.APPROVED if now == recorded else ApprovalState.CHANGED


def states(assessment: Assessment) -> dict:
    return {kind: state(assessment, kind) for kind in KINDS}

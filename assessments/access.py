"""One access helper per view: 404 to outsiders, 403 to read-only users.

Staff write their own organisation's data; managers also approve and publish;
auditors read every organisation and never write.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Assessment, Membership, Organisation, Role


@dataclass
class Access:
    organisation: Organisation
    role: str
    assessment: Assessment | None = None

    @property
    def role_label(self):
        return Role(self.role).label

    @property
    def can_write(self):
        return self.role in (Role.STAFF, Role.MANAGER)

    @property
    def can_approve(self):
        return self.role == Role.MANAGER

    @property
    def read_only(self):
        return not self.can_write


def role_for(user, organisation) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.MANAGER
    memberships = list(Membership.objects.filter(user=user).only("role", "organisation_id"))
    for m in memberships:
        if m.organisation_id == organisation.id and m.role != Role.AUDITOR:
            return m.role
    if any(m.role == Role.AUDITOR for m in memberships):
        return Role.AUDITOR
    return None


def get_access(request, slug, fiscal_year=None, *, write=False, approve=False) -> Access:
    """Resolve organisation (and the assessment of a fiscal year) for this user.

    Outsiders get 404 (we do not confirm that an organisation's drafts exist);
    auditors asking to write, and staff asking to approve, get 403.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    role = role_for(request.user, organisation)
    if role is None:
        raise Http404("ไม่พบหน่วยงาน")
    if (write or approve) and role == Role.AUDITOR:
        raise PermissionDenied("ผู้ตรวจประเมินดูข้อมูลได้อย่างเดียว")
    if approve and role != Role.MANAGER:
        raise PermissionDenied("เฉพาะผู้บริหาร/ผู้อนุมัติเท่านั้น")
    access = Access(organisation, role)
    if fiscal_year is not None:
        access.assessment = get_object_or_404(
            Assessment.objects.select_related("ita_year", "organisation"),
            organisation=organisation,
            ita_year__year=int(fiscal_year) - 1,
        )
    return access

import pytest
from django.utils import timezone

from measures.models import OitChecklistItem
from tests.factories import make_measure, make_progress, make_rounds


@pytest.fixture
def approved_year(assessment_a, manager_a):
    a = assessment_a
    rounds = make_rounds(a)
    # the 6-month O26 was published long ago: the 12-month round, where the results are, is reported now
    rounds[0].published_at = timezone.now()
    rounds[0].save()
    for i in range(3):
        m = make_measure(a, title=f"มาตรการที่ {i + 1} E-Service", issues=(i + 1,))
        make_progress(m, rounds[1], status="done", output="ได้ดำเนินการแล้ว", outcome="ประชาชนพึงพอใจ")
    unit = a.organisation.units.first()
    for q in a.ita_year.questions.filter(instrument="OIT")[:5]:
        OitChecklistItem.objects.create(assessment=a, question=q, unit=unit, status="done", description="เผยแพร่แล้ว")
    now = timezone.now()
    for kind in ("o34", "o35", "oit"):
        setattr(a, f"{kind}_approved_at", now)
        setattr(a, f"{kind}_approved_by", manager_a)
    a.save()
    return a

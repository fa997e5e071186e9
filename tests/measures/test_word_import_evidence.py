"""Issue #24: links to the portal's own evidence files in an imported report bring the files
(of the same organisation) to the new measure's result, not their addresses as text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures import evidence
from measures.models import EvidenceFile, Measure, Progress
from measures.services import ensure_rounds
from measures.word_import import apply_plan, plan_import
from tests.factories import make_assessment, make_measure
from tests.measures import word_fixtures as wf

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% a meeting report\n"


def _file(assessment, name):
    rounds = ensure_rounds(assessment)
    measure = make_measure(assessment, title=f"มาตรการเดิม {name}")
    upload = SimpleUploadedFile(name, PDF)
    return evidence.attach(assessment, upload, None, {"measure": measure, "round": rounds[0]})


def test_own_evidence_links_relink_the_files_and_others_stay_links(org_a, assessment_b, media_root, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    this_year = make_assessment(org_a, year=2569, scores=False)
    earlier = make_assessment(org_a, year=2568, scores=False)
    ours, ours_relative = _file(earlier, "ภาพกิจกรรม.pdf"), _file(earlier, "รายงาน.pdf")
    theirs = _file(assessment_b, "x.pdf")
    links = [
        evidence.url(ours),
        f"/evidence/{ours_relative.pk}/รายงาน.pdf",
        f"https://ita.example.go.th/evidence/{theirs.pk}/x.pdf",  # another organisation's: a link only
        "https://www.facebook.com/donkaeo/posts/1",
    ]
    rounds = ensure_rounds(this_year)
    plan = plan_import(wf.o26_with_links(links), this_year).to_dict()
    apply_plan(this_year, plan, rounds[0])
    measure = Measure.objects.get(assessment=this_year)
    progress = Progress.objects.get(measure=measure, round=rounds[0])
    assert progress.output == "เผยแพร่แล้ว"
    assert progress.evidence.splitlines() == [links[2], links[3]]
    copies = list(EvidenceFile.objects.filter(measure=measure, round=rounds[0]).order_by("name"))
    assert [(f.name, f.sha256, f.assessment_id) for f in copies] == [
        ("ภาพกิจกรรม.pdf", ours.sha256, this_year.pk),
        ("รายงาน.pdf", ours_relative.sha256, this_year.pk),
    ]
    assert copies[0].file.read() == PDF
    # Each copy has its own bytes: removing the copy leaves last year's file whole.
    evidence.remove(copies[0])
    ours.refresh_from_db()
    assert ours.file.read() == PDF

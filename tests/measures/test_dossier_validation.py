"""Every wrong value in a dossier gets a Thai message naming where, and nothing is saved."""

import json

import pytest

from assessments.models import Organisation
from measures.dossier import DossierError, export_dossier, import_dossier
from measures.models import Measure
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def good(assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a)
    make_progress(m, rounds[0], status="done", output="ทำแล้ว")
    data = export_dossier(assessment_a.organisation, 2568)
    data["organisation"]["slug"] = "new-org"
    return data


def _refused(data, message):
    before = (Organisation.objects.count(), Measure.objects.count())
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False)
    with pytest.raises(DossierError, match=message):
        import_dossier(raw)
    assert (Organisation.objects.count(), Measure.objects.count()) == before


def test_a_bad_slug_is_refused(good):
    good["organisation"]["slug"] = "bad slug/ไทย"
    _refused(good, r"organisation.slug: ใช้ได้เฉพาะ")


@pytest.mark.parametrize("url", ["javascript:alert(1)//http://x.go.th", "data:text/html,hi", "ftp://x"])
def test_only_http_links(good, url):
    good["organisation"]["website"] = url
    _refused(good, "organisation.website")
    good["organisation"]["website"] = ""
    good["measures"][0]["progress"][0]["evidence"] = [url]
    _refused(good, r"measures\[0\].progress\[0\].evidence\[0\]")


def test_latin1_bytes_deep_nesting_and_non_objects(good):
    _refused("ไทย".encode("tis-620") + b"{}", "UTF-8")
    _refused(b"[" * 100_000 + b"]" * 100_000, "ลึกเกินไป|JSON")
    _refused(b"[1, 2]", "ชุดข้อมูล JSON")


def test_over_long_values_and_duplicates(good):
    good["measures"][0]["progress"][0]["output"] = "ก" * 100_001
    _refused(good, r"measures\[0\].progress\[0\].output: ยาวเกิน 20,000")
    good["measures"][0]["progress"][0]["output"] = ""
    good["measures"][0]["title"] = "ม" * 600
    _refused(good, r"measures\[0\].title: ยาวเกิน 500")
    good["measures"][0]["title"] = "มาตรการ"
    good["units"] = good["units"] + good["units"][:1]
    _refused(good, "ซ้ำ")

import pytest

from assessments.models import Organisation, OrgType
from assessments.search import local_name, parse_query, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    data = [
        ("a", "องค์การบริหารส่วนตำบลสระใหญ่", OrgType.SAO, "เมือง", "ขอนแก่น"),
        ("b", "องค์การบริหารส่วนตำบลหนองบัว", OrgType.SAO, "เมืองสระแก้ว", "สระแก้ว"),
        ("c", "เทศบาลตำบลสระแก้ว", OrgType.SUBDISTRICT_MUNICIPALITY, "เมือง", "สระแก้ว"),
        ("d", "องค์การบริหารส่วนตำบลกุดชุม", OrgType.SAO, "กุดชุม", "ยโสธร"),
        ("e", "องค์การบริหารส่วนตำบลเกาะคา", OrgType.SAO, "เกาะคา", "ลำปาง"),
        ("f", "องค์การบริหารส่วนตำบลไก่คำ", OrgType.SAO, "เมือง", "อำนาจเจริญ"),
    ]
    return [Organisation(slug=s, name=n, org_type=t, district=d, province=p) for s, n, t, d, p in data]


def names(found):
    return [local_name(o) for o in found]


def test_abbreviation_and_name_prefix(orgs):
    assert parse_query("อบต. สระ") == (OrgType.SAO, "สระ")
    assert names(search(orgs, "อบต.สระ")) == ["สระใหญ่"]  # not the อบต. in จังหวัดสระแก้ว


def test_province_only_when_asked(orgs):
    assert names(search(orgs, "อบต.สระ", everywhere=True)) == ["สระใหญ่", "หนองบัว"]
    assert names(search(orgs, "", province="สระแก้ว")) == ["สระแก้ว", "หนองบัว"]


def test_type_words_in_full(orgs):
    assert names(search(orgs, "เทศบาลตำบลสระ")) == ["สระแก้ว"]


def test_sorted_in_thai_dictionary_order(orgs):
    # เกาะคา and ไก่คำ sort under ก, after กุดชุม? Thai order: ก+vowel: กุด < เกาะ (ก-เ) < ไก่ (ก-ไ)
    assert names(search(orgs, "อบต.")) == ["กุดชุม", "เกาะคา", "ไก่คำ", "สระใหญ่", "หนองบัว"]

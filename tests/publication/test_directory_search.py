"""The public directory: found the way Thai users type, sorted in Thai order by the database,
with the same few queries for 50 or 500 organisations."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Organisation, OrgType
from assessments.search import local_name, normalise, parse_query, search
from reports.models import PublishedVersion
from tests.factories import make_assessment, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(catalogue):
    data = [
        ("a", "องค์การบริหารส่วนตำบลสระใหญ่", OrgType.SAO, "เมือง", "ขอนแก่น"),
        ("b", "องค์การบริหารส่วนตำบลหนองบัว", OrgType.SAO, "เมืองสระแก้ว", "สระแก้ว"),
        ("c", "เทศบาลตำบลสระแก้ว", OrgType.SUBDISTRICT_MUNICIPALITY, "เมือง", "สระแก้ว"),
        ("d", "องค์การบริหารส่วนตำบลกุดชุม", OrgType.SAO, "กุดชุม", "ยโสธร"),
        ("e", "องค์การบริหารส่วนตำบลเกาะคา", OrgType.SAO, "เกาะคา", "ลำปาง"),
        ("f", "องค์การบริหารส่วนตำบลไก่คำ", OrgType.SAO, "เมือง", "อำนาจเจริญ"),
        ("g", "องค์การบริหารส่วนตำบลดอนแก้ว", OrgType.SAO, "พิบูลมังสาหาร", "อุบลราชธานี"),
    ]
    for slug, name, org_type, district, province in data:
        Organisation.objects.create(slug=slug, name=name, org_type=org_type, district=district, province=province)
    return Organisation.objects.all()


def names(found):
    return [local_name(o) for o in found]


def test_abbreviation_and_own_name(orgs):
    assert parse_query("อบต. สระ") == (OrgType.SAO, "สระ")
    assert names(search(orgs, "อบต.สระ")) == ["สระใหญ่"]  # not the อบต. in จังหวัดสระแก้ว
    assert names(search(orgs, "อบต.สระ", everywhere=True)) == ["สระใหญ่", "หนองบัว"]


def test_any_part_of_the_name_district_or_province_without_a_checkbox(orgs):
    assert names(search(orgs, "ตำบลดอนแก้ว")) == ["ดอนแก้ว"]
    assert names(search(orgs, "อุบล")) == ["ดอนแก้ว"]  # a province
    assert names(search(orgs, "พิบูล")) == ["ดอนแก้ว"]  # a district
    assert names(search(orgs, "แก้ว")) == ["ดอนแก้ว", "สระแก้ว", "หนองบัว"]
    assert names(search(orgs, "", province="สระแก้ว")) == ["สระแก้ว", "หนองบัว"]


def test_common_typing_variants_are_equal(orgs):
    assert normalise("ดอนเเก้ว") == normalise("ดอนแก้ว")  # เ+เ typed for แ
    assert names(search(orgs, "ดอนเเก้ว")) == ["ดอนแก้ว"]
    assert names(search(orgs, "  ดอน แก้ว ")) == ["ดอนแก้ว"]
    assert names(search(orgs, "ไก\u0e48ค\u0e4d\u0e32")) == ["ไก่คำ"]  # ํ + า typed for ำ


def test_type_words_in_full(orgs):
    assert names(search(orgs, "เทศบาลตำบลสระ")) == ["สระแก้ว"]


def test_sorted_in_thai_dictionary_order_by_the_database(orgs):
    # Thai order: ก+vowel: กุด < เกาะ (ก-เ) < ไก่ (ก-ไ)
    assert names(search(orgs, "อบต.")) == ["กุดชุม", "เกาะคา", "ไก่คำ", "ดอนแก้ว", "สระใหญ่", "หนองบัว"]


def test_a_rename_updates_the_keys(orgs):
    org = Organisation.objects.get(slug="d")
    org.name = "องค์การบริหารส่วนตำบลยางเครือ"
    org.save(update_fields=["name"])
    assert names(search(orgs, "ยางเครือ")) == ["ยางเครือ"]
    assert not search(orgs, "อบต.กุดชุม").exists()  # the district is still กุดชุม; the name is not


def _publish_many(start, stop, manager=None):
    from tests.factories import make_user

    for i in range(start, stop):
        org = make_org(f"dir-{i}", f"องค์การบริหารส่วนตำบลทดสอบ{i:04d}", province=f"จังหวัด{i % 76}")
        manager = manager or make_user("manager", org, "dir-manager")
        PublishedVersion.objects.create(
            assessment=make_assessment(org, scores=False),
            organisation=org,
            kind="o34",
            number=1,
            title="ร",
            published_by=manager,
            published_by_name="ผ",
            published_at=timezone.now(),
            sha256={},
        )
    return manager


@pytest.mark.parametrize("query", ["", "?q=อบต.ทดสอบ", "?q=จังหวัด7", "?province=จังหวัด3"])
def test_directory_queries_do_not_grow_with_organisations(client, catalogue, django_assert_max_num_queries, query):
    manager = _publish_many(0, 50)
    url = reverse("public_directory") + query
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    _publish_many(50, 500, manager)
    with django_assert_max_num_queries(4):
        large = client.get(url)
    assert large.status_code == 200
    page = large.content.decode()
    if not query:
        assert "พบ 500 หน่วยงาน" in page and page.count('href="/public/dir-') == 50  # one page of 50


def test_province_list_has_each_province_once(client, catalogue):
    _publish_many(0, 80)
    page = client.get(reverse("public_directory")).content.decode()
    assert page.count('<option value="จังหวัด3"') == 1
    assert page.count("<option value=") == 77  # 76 provinces and "ทุกจังหวัด"

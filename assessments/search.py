"""Finding organisations the way Thai users type them: "อบต.สระ", "ทต.บ้าน", "เทศบาลนคร…".

A query's type abbreviation selects the type; the rest must begin the organisation's own
name (so "อบต.สระ" finds อบต.สระใหญ่ but not an อบต. in จังหวัดสระแก้ว). Matching the
district or province too is asked for explicitly (`everywhere`).
"""

from .models import OrgType
from .thai import thai_sort_key

TYPE_WORDS = [
    ("องค์การบริหารส่วนตำบล", OrgType.SAO),
    ("องค์การบริหารส่วนจังหวัด", OrgType.PAO),
    ("เทศบาลตำบล", OrgType.SUBDISTRICT_MUNICIPALITY),
    ("เทศบาลเมือง", OrgType.TOWN_MUNICIPALITY),
    ("เทศบาลนคร", OrgType.CITY_MUNICIPALITY),
    ("อบต.", OrgType.SAO),
    ("อบต", OrgType.SAO),
    ("อบจ.", OrgType.PAO),
    ("อบจ", OrgType.PAO),
    ("ทต.", OrgType.SUBDISTRICT_MUNICIPALITY),
    ("ทม.", OrgType.TOWN_MUNICIPALITY),
    ("ทน.", OrgType.CITY_MUNICIPALITY),
]


def parse_query(query: str):
    text = "".join((query or "").split())
    for word, org_type in TYPE_WORDS:
        if text.startswith(word):
            return org_type, text[len(word) :]
    return None, text


def local_name(org) -> str:
    """The organisation's own name, without its type: 'องค์การบริหารส่วนตำบลระเว' -> 'ระเว'."""
    label = OrgType(org.org_type).label
    return org.name[len(label) :] if org.name.startswith(label) else org.name


def search(organisations, query="", province="", everywhere=False):
    org_type, rest = parse_query(query)
    found = []
    for org in organisations:
        if province and org.province != province:
            continue
        if org_type and org.org_type != org_type:
            continue
        if rest:
            hit = local_name(org).startswith(rest) or org.name.startswith(rest)
            if everywhere and not hit:
                hit = org.district.startswith(rest) or org.province.startswith(rest)
            if not hit:
                continue
        found.append(org)
    return sorted(found, key=lambda o: (thai_sort_key(local_name(o)), o.org_type))

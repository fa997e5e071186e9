"""Finding organisations the way Thai users type them: "อบต.สระ", "ทต.บ้าน", "เทศบาลนคร…",
"ตำบลดอนแก้ว", a district or a province ("อุบล"), with common typing variants ("ดอนเเก้ว" with
two เ) made equal. The filtering, Thai-order sorting and paging happen in the database, on keys
that Organisation.save() keeps (search_fields).

A query that starts with a type ("อบต.สระ") selects the type and looks in the organisation's own
name only (so it does not find an อบต. in จังหวัดสระแก้ว); any other query looks in the full name,
the district and the province.
"""

import re
import unicodedata

from django.db.models import Q

from .models import OrgType
from .thai import thai_sort_key, to_arabic

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
# Typing habits that look the same on screen: เ+เ for แ, ํ+า for ำ, invisible spaces.
_VARIANTS = [("เเ", "แ"), ("\u0e4d\u0e32", "\u0e33")]
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", to_arabic(text or "")).lower()
    for typed, meant in _VARIANTS:
        text = text.replace(typed, meant)
    return _INVISIBLE.sub("", text)


def parse_query(query: str):
    text = normalise(query)
    for word, org_type in TYPE_WORDS:
        if text.startswith(normalise(word)):
            return org_type, text[len(normalise(word)) :]
    return None, text


def local_name(org) -> str:
    """The organisation's own name, without its type: 'องค์การบริหารส่วนตำบลระเว' -> 'ระเว'."""
    label = OrgType(org.org_type).label
    return org.name[len(label) :] if org.name.startswith(label) else org.name


def search_fields(org):
    """(sort key, searchable own name, searchable name + district + province) of an organisation."""
    own = local_name(org)
    text = "\n".join(normalise(part) for part in (org.name, org.district, org.province))
    return thai_sort_key(own)[:400], normalise(own)[:200], text[:500]


def search(queryset, query="", province="", everywhere=False):
    """The organisations of `queryset` that match, in Thai dictionary order (a queryset)."""
    org_type, rest = parse_query(query)
    if province:
        queryset = queryset.filter(province=province)
    if org_type:
        queryset = queryset.filter(org_type=org_type)
    if rest:
        if org_type and not everywhere:
            queryset = queryset.filter(search_name__contains=rest)
        else:
            queryset = queryset.filter(Q(search_name__contains=rest) | Q(search_text__contains=rest))
    return queryset.thai_ordered()

"""Is this measure already in the year? One rule for "copy from last year" and the Word import:
the same title, whatever its spacing or digits (๑ or 1)."""

from assessments.models import Assessment
from assessments.thai import to_arabic


def title_key(title: str) -> str:
    """'มาตรการ ๑  เปิดเผยข้อมูล' and 'มาตรการ 1 เปิดเผย ข้อมูล' give the same key."""
    return "".join(to_arabic(title or "").split()).casefold()


def measures_by_title(assessment: Assessment) -> dict[str, int]:
    """{title key: id} of the year's measures (the first, where a title is there twice)."""
    found = {}
    for pk, title in assessment.measures.order_by("order", "id").values_list("pk", "title"):
        found.setdefault(title_key(title), pk)
    return found

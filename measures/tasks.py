"""The Word import read in the background (the Django Tasks API, as report PDFs are): the upload
page stores the file and answers at once; `read_word_plan` reads it on a worker (`manage.py
db_worker`) and leaves the plan, or the Thai reason it could not, for the page to show."""

import logging

from django_tasks import task

from .models import WordImportPlan
from .word_import import WordImportError, plan_import

logger = logging.getLogger(__name__)
Status = WordImportPlan.Status
FAILED = "อ่านไฟล์ไม่สำเร็จเพราะระบบขัดข้อง กรุณาลองอีกครั้ง"


@task()
def read_word_plan(plan_id: int) -> str:
    stored = (
        WordImportPlan.objects.select_related("assessment__organisation", "assessment__ita_year")
        .filter(pk=plan_id, status=Status.QUEUED)
        .first()
    )
    if stored is None:  # confirmed, replaced or expired meanwhile
        return "gone"
    try:
        plan = plan_import(bytes(stored.upload or b""), stored.assessment)
    except WordImportError as exc:
        stored.status, stored.error = Status.FAILED, str(exc)
    except Exception:
        logger.exception("reading Word import %s failed", plan_id)
        stored.status, stored.error = Status.FAILED, FAILED
    else:
        stored.status, stored.data = Status.READY, plan.to_dict()
    stored.upload = None  # the file is not kept once read
    stored.save(update_fields=["status", "data", "error", "upload"])
    return stored.status

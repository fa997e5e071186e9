"""Fiscal-year work on an assessment: analysis (o34 part 1), measures (o34 part 2),
progress (o35) and the OIT checklist. All of it hangs on an Assessment of ITA year N
and belongs to fiscal year N + 1."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Issue, Question, Unit
from assessments.thai import shorten
from assessments.validators import validate_safe_url


class IssueAnalysis(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="analyses")
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT)
    analysis = models.TextField("วิเคราะห์", blank=True)
    improvement = models.TextField("ข้อปรับปรุง/การพัฒนา", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "issue_id"]
        verbose_name = "การวิเคราะห์รายประเด็น"
        verbose_name_plural = "การวิเคราะห์รายประเด็น"
        constraints = [models.UniqueConstraint(fields=["assessment", "issue"], name="analysis_unique_issue")]

    def __str__(self):
        return f"{self.assessment} – ประเด็นที่ {self.issue.number}"


class MeasureQuerySet(models.QuerySet):
    def for_report(self):
        return self.prefetch_related("steps", "units", "issues", "questions").order_by("order", "id")


def numbered(measures) -> dict:
    """A measure's one number, the same in O25, O26, their Word files, open data and the progress
    page: its place in the year's own order of all its measures (order, id), whatever a report
    groups them by. `measures` is all the year's measures."""
    return {m.pk: n for n, m in enumerate(sorted(measures, key=lambda m: (m.order, m.id)), start=1)}


class Measure(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveIntegerField("ลำดับ", default=0)
    title = models.CharField("มาตรการ/โครงการ/กิจกรรม", max_length=500)
    issues = models.ManyToManyField(Issue, blank=True, verbose_name="ประเด็น")
    questions = models.ManyToManyField(Question, blank=True, verbose_name="ข้อคำถามที่แก้ไข")
    units = models.ManyToManyField(Unit, blank=True, verbose_name="ผู้รับผิดชอบ")
    period_start = models.DateField("เริ่ม", null=True, blank=True)
    period_end = models.DateField("สิ้นสุด", null=True, blank=True)
    period_text = models.CharField(
        "ระยะเวลา (ข้อความ)", max_length=200, blank=True, help_text="เช่น ตลอดปีงบประมาณ หรือ ม.ค.-เม.ย. 68"
    )
    follow_up = models.TextField("การติดตามผล", blank=True)
    # Who answers for it and by when (for the organisation's own follow-up; not printed).
    responsible_person = models.CharField("ผู้รับผิดชอบ (ชื่อ-ตำแหน่ง)", max_length=200, blank=True)
    due_date = models.DateField("กำหนดเสร็จ", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[units, issues, questions])

    class Meta:
        ordering = ["assessment_id", "order", "id"]
        verbose_name = "มาตรการ"
        verbose_name_plural = "มาตรการ"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="measure_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title


class MeasureStep(models.Model):
    """A step of a measure. Real o35 reports give a step its own period and responsible units
    (and, per round, its own result: StepProgress); a step without them is printed bare."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField("ขั้นตอน/วิธีปฏิบัติ")
    period_start = models.DateField("เริ่ม", null=True, blank=True)
    period_end = models.DateField("สิ้นสุด", null=True, blank=True)
    period_text = models.CharField("ช่วงเวลา (ข้อความ)", max_length=300, blank=True)
    units = models.ManyToManyField(Unit, blank=True, related_name="steps", verbose_name="ผู้รับผิดชอบ")
    responsible_person = models.CharField("ผู้รับผิดชอบ (ชื่อ-ตำแหน่ง)", max_length=200, blank=True)
    due_date = models.DateField("กำหนดเสร็จ", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        ordering = ["measure_id", "order", "id"]
        verbose_name = "ขั้นตอน"
        verbose_name_plural = "ขั้นตอน"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="step_period_ordered",
            ),
        ]

    def __str__(self):
        return shorten(self.text, 60)


class ReportingRound(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField("ชื่อรอบ", max_length=100)
    as_of = models.DateField("ข้อมูล ณ วันที่")
    # When this round's progress report (O26) was first published: the round then stops being
    # the one reported now (measures.services.reporting_round).
    published_at = models.DateTimeField("เผยแพร่รายงานผลรอบนี้เมื่อ", null=True, blank=True)

    class Meta:
        ordering = ["assessment_id", "as_of"]
        verbose_name = "รอบรายงาน"
        verbose_name_plural = "รอบรายงาน"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "as_of"], name="round_unique_date"),
        ]

    def __str__(self):
        return self.name


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "ยังไม่ดำเนินการ"
    IN_PROGRESS = "in_progress", "อยู่ระหว่างดำเนินการ"
    DONE = "done", "ดำเนินการแล้ว"


# How an O26 report prints a result's status: a mark before what was typed, explained in a legend
# (reports.data); and the first row that carries a measure's own result above its steps' results.
# The Word import (measures.word_import) reads both back.
STATUS_MARKS = {ProgressStatus.DONE: "☑", ProgressStatus.IN_PROGRESS: "◐", ProgressStatus.NOT_STARTED: "☐"}
OVERVIEW_STEP = "ภาพรวมของมาตรการ"


class RoundResult(models.Model):
    """What a measure or one of its steps achieved by a reporting round (an o35 row's cells)."""

    status = models.CharField(
        "สถานะ", max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    output = models.TextField("ผลการดำเนินการ", blank=True)
    outcome = models.TextField("ผลลัพธ์/ผลสัมฤทธิ์", blank=True)
    done_on = models.DateField("วันที่ดำเนินการ", null=True, blank=True)
    evidence = models.TextField("ลิงก์หลักฐาน (บรรทัดละลิงก์)", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    FIELDS = ("status", "output", "outcome", "done_on", "evidence")  # what a result says

    class Meta:
        abstract = True

    @property
    def evidence_links(self):
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


class Progress(RoundResult):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="progress")
    history = HistoricalRecords()

    class Meta:
        ordering = ["round_id", "measure_id"]
        verbose_name = "ผลการดำเนินการ"
        verbose_name_plural = "ผลการดำเนินการ"
        constraints = [models.UniqueConstraint(fields=["measure", "round"], name="progress_unique_round")]

    def __str__(self):
        return f"{self.measure} – {self.round}"


class StepProgress(RoundResult):
    """One step's result in one reporting round: the o35 row of that step."""

    step = models.ForeignKey(MeasureStep, on_delete=models.CASCADE, related_name="progress")
    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="step_progress")
    history = HistoricalRecords()

    class Meta:
        ordering = ["round_id", "step_id"]
        verbose_name = "ผลการดำเนินการรายขั้นตอน"
        verbose_name_plural = "ผลการดำเนินการรายขั้นตอน"
        constraints = [
            models.UniqueConstraint(fields=["step", "round"], name="step_progress_unique_round"),
            models.CheckConstraint(condition=Q(status__in=ProgressStatus.values), name="step_progress_status_valid"),
        ]

    def __str__(self):
        return f"{self.step} – {self.round}"


class ChecklistStatus(models.TextChoices):
    NOT_DONE = "not_done", "ยังไม่ได้ดำเนินการ"
    DONE = "done", "ดำเนินการ"


class OitChecklistItem(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="checklist")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, limit_choices_to={"instrument": "OIT"})
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="ผู้รับผิดชอบ")
    status = models.CharField("สถานะ", max_length=10, choices=ChecklistStatus.choices, default=ChecklistStatus.NOT_DONE)
    description = models.TextField("สิ่งที่ดำเนินการ", blank=True)
    evidence_url = models.URLField("URL หลักฐาน", blank=True, max_length=500, validators=[validate_safe_url])
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = "รายการตรวจ OIT"
        verbose_name_plural = "รายการตรวจ OIT"
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="checklist_unique_item")]

    def __str__(self):
        return f"{self.question.code} – {self.get_status_display()}"


class ItemTitle(models.Model):
    """The title an organisation uses for an OIT item whose title the year's catalogue does not
    know (confidence "unknown", e.g. 2569 O2, O6, O7): kept with the fiscal year and printed in
    its reports instead of a placeholder (reports/data.py)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="item_titles")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, limit_choices_to={"instrument": "OIT"})
    title = models.CharField("ชื่อรายการที่หน่วยงานใช้", max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = "ชื่อรายการที่หน่วยงานระบุ"
        verbose_name_plural = "ชื่อรายการที่หน่วยงานระบุ"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="item_title_unique_item"),
            models.CheckConstraint(condition=~Q(title=""), name="item_title_not_blank"),
        ]

    def __str__(self):
        return f"{self.question.code} {self.title}"


class DeletedMeasure(models.Model):
    """A deleted measure in the year's trash (ถังขยะ), whole: its steps, links and every result,
    so that "กู้คืน" brings it back as it was (measures/trash.py)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="trash")
    title = models.CharField("มาตรการ", max_length=500)
    payload = models.JSONField("ข้อมูลมาตรการ")
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="ผู้ลบ"
    )
    deleted_at = models.DateTimeField("ลบเมื่อ", auto_now_add=True)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        verbose_name = "มาตรการในถังขยะ"
        verbose_name_plural = "มาตรการในถังขยะ"

    def __str__(self):
        return f"{self.title} (ถังขยะ)"


def _evidence_upload_to(instance, filename):
    a = instance.assessment
    return f"evidence/{a.organisation.slug}/{a.fiscal_year}/{uuid.uuid4().hex}.{instance.extension}"


class EvidenceFileQuerySet(models.QuerySet):
    def of_measures(self, assessment):
        """Files on measures' results, not on OIT items."""
        return self.filter(assessment=assessment, measure__isnull=False)

    def in_round(self, assessment, round_):
        return self.of_measures(assessment).filter(round=round_)

    def of_oit(self, assessment):
        return self.filter(assessment=assessment).exclude(oit_code="")


class EvidenceFile(models.Model):
    """A file attached as evidence to a measure's result in a round, or to an OIT item.

    The type is read from the content (measures/evidence.py), never trusted from the name. Once a
    published version links to it, it is `published`: anyone may download it and nobody may
    delete it, so a published report never points to a missing file."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence_files")
    # SET_NULL: a deleted measure's files wait in the trash with it, and a published report's links
    # keep working whatever happens to the draft.
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="files")
    round = models.ForeignKey(ReportingRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    oit_code = models.CharField("รายการ OIT", max_length=8, blank=True)
    file = models.FileField(upload_to=_evidence_upload_to, max_length=300)
    name = models.CharField("ชื่อไฟล์", max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("ขนาด (ไบต์)")
    sha256 = models.CharField(max_length=64)
    published = models.BooleanField("อยู่ในฉบับที่เผยแพร่แล้ว", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="ผู้แนบ"
    )
    uploaded_at = models.DateTimeField("แนบเมื่อ", auto_now_add=True)

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        ordering = ["assessment_id", "uploaded_at", "id"]
        verbose_name = "ไฟล์หลักฐาน"
        verbose_name_plural = "ไฟล์หลักฐาน"
        constraints = [
            models.CheckConstraint(
                name="evidence_one_target",
                # a measure's result in a round, or an OIT item: never both
                condition=models.Q(oit_code="") | models.Q(measure__isnull=True, round__isnull=True),
            )
        ]

    def __str__(self):
        return self.name


class WordImportPlan(models.Model):
    """A Word report uploaded for import: read by a background task (measures/tasks.py), then
    shown to its uploader, waiting for "ยืนยันนำเข้า". Kept here, not in the session: a plan can
    run to many rows, and the session is read on every request. Deleted once confirmed; a plan
    over a day old has expired (measures/word_views.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "รออ่านไฟล์"
        READY = "ready", "อ่านแล้ว"
        FAILED = "failed", "อ่านไม่ได้"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(ReportingRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField("อัปโหลดเมื่อ", auto_now_add=True, db_index=True)
    status = models.CharField("สถานะ", max_length=10, choices=Status.choices, default=Status.QUEUED)
    upload = models.BinaryField("ไฟล์ที่อัปโหลด", null=True, editable=False)  # until it is read
    data = models.JSONField("สิ่งที่จะนำเข้า", default=dict, blank=True)
    error = models.TextField("เหตุที่อ่านไม่ได้", blank=True)

    class Meta:
        verbose_name = "การนำเข้าจาก Word"
        verbose_name_plural = "การนำเข้าจาก Word"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["queued", "ready", "failed"]), name="word_plan_status_valid")
        ]

    def __str__(self):
        return f"นำเข้า Word ของ {self.user} ({self.assessment}) {self.get_status_display()}"

"""Published versions: frozen HTML, PDF, JSON and CSV of one report kind of a fiscal year.

A version never changes after it is written; publishing again creates the next number.
"""

from django.conf import settings
from django.db import models

from assessments.models import Assessment, Organisation
from assessments.thai import shorten


class Kind(models.TextChoices):
    O34 = "o34", "o34 การวิเคราะห์ผลการประเมินและมาตรการ"
    O35 = "o35", "o35 รายงานผลการดำเนินการตามมาตรการ"
    OIT = "oit", "รายงานความก้าวหน้า OIT"


class PublishedQuerySet(models.QuerySet):
    def latest_per_kind(self):
        """The newest version of each (assessment, kind)."""
        newer = PublishedVersion.objects.filter(
            assessment=models.OuterRef("assessment"), kind=models.OuterRef("kind"), number__gt=models.OuterRef("number")
        )
        return self.filter(~models.Exists(newer))


def kind_label(ita_year, kind) -> str:
    return Kind(kind).label if kind == Kind.OIT else ita_year.report_name(kind)


def _upload_to(instance, filename):
    a = instance.assessment
    return f"published/{a.organisation.slug}/{a.fiscal_year}/{instance.kind}/v{instance.number}/{filename}"


class PublishedVersion(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="published")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="published")
    kind = models.CharField("รายงาน", max_length=3, choices=Kind.choices)
    number = models.PositiveIntegerField("ฉบับที่")
    title = models.CharField("ชื่อรายงาน", max_length=500)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_by_name = models.CharField("ผู้เผยแพร่", max_length=200)
    published_at = models.DateTimeField("วันที่เผยแพร่")
    html = models.FileField(upload_to=_upload_to)
    pdf = models.FileField(upload_to=_upload_to)
    json = models.FileField(upload_to=_upload_to)
    csv = models.FileField(upload_to=_upload_to)
    sha256 = models.JSONField("ลายนิ้วมือไฟล์ (SHA-256)", default=dict)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["assessment_id", "kind", "-number"]
        verbose_name = "ฉบับที่เผยแพร่"
        verbose_name_plural = "ฉบับที่เผยแพร่"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind", "number"], name="published_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="published_number_positive"),
        ]
        # The public pages' ETag reads the newest publication of the country from this index.
        indexes = [models.Index(fields=["published_at"], name="published_at_idx")]

    def __str__(self):
        return f"{self.organisation} {self.assessment.fiscal_year} {self.kind_label} ฉบับที่ {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("ฉบับที่เผยแพร่แล้วแก้ไขไม่ได้ ให้เผยแพร่ฉบับใหม่")
        super().save(*args, **kwargs)

    @property
    def kind_label(self):
        """The report's name with the year's own item code (O25 in 2569), none where unknown."""
        return kind_label(self.assessment.ita_year, self.kind)

    @property
    def fiscal_year(self):
        return self.assessment.fiscal_year


class ReminderLog(models.Model):
    """What a user has been reminded of, so that each reminder is sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)  # "round:12", "overdue:345", "comment:6"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "การแจ้งเตือนที่ส่งแล้ว"
        verbose_name_plural = "การแจ้งเตือนที่ส่งแล้ว"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminderlog_unique_user_key")]

    def __str__(self):
        return f"{self.user} {self.key}"


class ReviewComment(models.Model):
    """An auditor's note on a published version, for the organisation's staff to read."""

    version = models.ForeignKey(PublishedVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    text = models.TextField("ข้อคิดเห็น")
    created_at = models.DateTimeField(auto_now_add=True)
    # Waiting until someone of the organisation marks it read (รับทราบ); the year's path counts these.
    read_at = models.DateTimeField("รับทราบเมื่อ", null=True, blank=True)
    read_by_name = models.CharField("ผู้รับทราบ", max_length=200, blank=True)

    class Meta:
        ordering = ["version_id", "created_at"]
        verbose_name = "ข้อคิดเห็นของผู้ตรวจ"
        verbose_name_plural = "ข้อคิดเห็นของผู้ตรวจ"

    def __str__(self):
        return f"{self.author_name}: {shorten(self.text, 40)}"


def _render_upload_to(instance, filename):
    a = instance.assessment
    return f"renders/{a.organisation.slug}/{a.fiscal_year}/{instance.kind}/{instance.content_hash}.pdf"


class RenderedReport(models.Model):
    """A draft PDF rendered in the background, kept while the report's data and options are unchanged.

    `content_hash` is the SHA-256 of the report data with its options (reports/tasks.py): the same
    data gives the same hash, so the stored bytes are served again without rendering.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "รอคิว"
        RUNNING = "running", "กำลังจัดทำ"
        DONE = "done", "เสร็จแล้ว"
        FAILED = "failed", "ไม่สำเร็จ"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="renders")
    kind = models.CharField("รายงาน", max_length=3, choices=Kind.choices)
    options = models.JSONField("ตัวเลือก", default=dict)
    content_hash = models.CharField("ลายนิ้วมือข้อมูล (SHA-256)", max_length=64)
    status = models.CharField("สถานะ", max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=_render_upload_to, blank=True)
    error = models.TextField("ข้อผิดพลาด", blank=True)
    # Who asked for it last: renders waiting are bounded per user (reports/tasks.py, RENDER_MAX_PENDING).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ไฟล์ PDF ฉบับร่าง"
        verbose_name_plural = "ไฟล์ PDF ฉบับร่าง"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind", "content_hash"], name="rendered_unique_content"),
        ]
        indexes = [models.Index(fields=["requested_by", "status"], name="rendered_pending_idx")]

    def __str__(self):
        return f"{self.assessment} {self.kind} {self.content_hash[:12]} {self.status}"


class PublishJob(models.Model):
    """A publication asked for by a manager and done by the background worker (reports/tasks.py)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="publish_jobs")
    kind = models.CharField("รายงาน", max_length=3, choices=Kind.choices)
    options = models.JSONField("ตัวเลือก", default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        "สถานะ", max_length=10, choices=RenderedReport.Status.choices, default=RenderedReport.Status.QUEUED
    )
    version = models.ForeignKey(PublishedVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField("ข้อผิดพลาด", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "งานเผยแพร่"
        verbose_name_plural = "งานเผยแพร่"

    def __str__(self):
        return f"{self.assessment} {self.kind} {self.status}"


DIGIT_CHOICES = [
    ("thai", "เลขไทย (๑๒๓)"),
    ("thai_all", "เลขไทยทั้งหมด รวมที่พิมพ์เอง"),
    ("arabic", "เลขอารบิก (123)"),
]
GROUPING_CHOICES = [("issues", "แยกตามประเด็น"), ("list", "เรียงเป็นลำดับ ไม่แยกประเด็น")]


class ReportSettings(models.Model):
    """The report options an organisation-year keeps: digits and who signs. Every print, preview
    and publication of that year starts from them until someone changes them."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="report_settings")
    digits = models.CharField("ตัวเลข", max_length=10, choices=DIGIT_CHOICES)
    grouping = models.CharField("การจัดกลุ่มมาตรการ", max_length=10, choices=GROUPING_CHOICES, default="issues")
    number_column = models.BooleanField("คอลัมน์ลำดับ", default=False)
    # The organisation's own introduction per report; blank: the report writes one from its data.
    intro_o34 = models.TextField("คำนำรายงานการวิเคราะห์และมาตรการ", blank=True)
    intro_o35 = models.TextField("คำนำรายงานผลการดำเนินการ", blank=True)
    reporter_name = models.CharField("ชื่อผู้รายงาน", max_length=200, blank=True)
    reporter_position = models.CharField("ตำแหน่งผู้รายงาน", max_length=200, blank=True)
    approver_name = models.CharField("ชื่อผู้อนุมัติ", max_length=200, blank=True)
    approver_position = models.CharField("ตำแหน่งผู้อนุมัติ", max_length=200, blank=True)
    # The date the reports are signed on; empty: the day of printing.
    report_date = models.DateField("วันที่รายงาน", null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # When the options were last remembered ("จำไว้"); empty while the row holds introductions only.
    options_saved_at = models.DateTimeField("จำตัวเลือกเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "ตัวเลือกรายงานของปี"
        verbose_name_plural = "ตัวเลือกรายงานของปี"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digits__in=["thai", "thai_all", "arabic"]), name="report_settings_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(grouping__in=["issues", "list"]), name="report_settings_grouping"
            ),
        ]

    def __str__(self):
        return f"ตัวเลือกรายงาน {self.assessment}"

    FIELDS = (
        "digits",
        "grouping",
        "number_column",
        "reporter_name",
        "reporter_position",
        "approver_name",
        "approver_position",
        "report_date",
    )

    def as_data(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def remembered(self) -> dict:
        """The options to start from: none while the row holds introductions only."""
        return self.as_data() if self.options_saved_at else {}

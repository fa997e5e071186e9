"""Catalogue (per ITA year), organisations and roles, scored assessments.

Two years are always in play: an Assessment holds the results of ITA year N, and the
analysis, measures and progress that hang on it belong to fiscal year N + 1.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .validators import validate_safe_url

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(**kwargs):
    return models.DecimalField(max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs)


class Instrument(models.TextChoices):
    IIT = "IIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)"
    EIT = "EIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)"
    OIT = "OIT", "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)"


class Confidence(models.TextChoices):
    """How sure the catalogue is of a fact (shared/research marks: ✅ C2, ◐ S1, ◌ INF)."""

    CONFIRMED = "confirmed", "ยืนยันแล้ว (คู่มือ/เอกสารจริงสองแหล่งขึ้นไป)"
    SINGLE = "single", "แหล่งเดียว"
    INFERRED = "inferred", "อนุมาน (ยังไม่ยืนยัน)"
    UNKNOWN = "unknown", "ไม่ทราบ"


class ReportKind(models.TextChoices):
    """The portal's report kinds; each year says which OIT item each one answers."""

    ANALYSIS = "o34", "การวิเคราะห์ผลการประเมินและมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
    PROGRESS = "o35", "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส"


class ItaYear(models.Model):
    """One year's catalogue and rules. Everything that changes between years lives here."""

    year = models.PositiveSmallIntegerField("ปี ITA (พ.ศ.)", unique=True)
    confirmed = models.BooleanField("ยืนยันจากคู่มือ ป.ป.ช. แล้ว", default=False)
    source = models.TextField("แหล่งที่มาของข้อมูล", blank=True)
    notes = models.TextField("หมายเหตุ", blank=True)
    weight_iit = models.DecimalField("น้ำหนัก IIT", max_digits=4, decimal_places=3, default=Decimal("0.3"))
    weight_eit = models.DecimalField("น้ำหนัก EIT", max_digits=4, decimal_places=3, default=Decimal("0.3"))
    weight_oit = models.DecimalField("น้ำหนัก OIT", max_digits=4, decimal_places=3, default=Decimal("0.4"))
    computes_overall = models.BooleanField("คำนวณคะแนนภาพรวมได้", default=True)
    weak_threshold = score_field(verbose_name="เกณฑ์ข้อที่ต้องพัฒนา (ต่ำกว่า)", default=Decimal("85"))
    # The OIT items that the reports built on this year's results answer (o34/o35 in 2567,
    # O25/O26 in 2569); blank where no source says which item it is.
    report_o34 = models.CharField("ข้อ OIT ของรายงานการวิเคราะห์และมาตรการ", max_length=8, blank=True)
    report_o35 = models.CharField("ข้อ OIT ของรายงานผลการดำเนินการ", max_length=8, blank=True)
    # When this year's OIT is answered in ITAS (the year home's path shows it to fiscal year `year`).
    oit_opens = models.DateField("เปิดให้ตอบ OIT", null=True, blank=True)
    oit_closes = models.DateField("ปิดการตอบ OIT", null=True, blank=True)
    calendar_source = models.CharField("แหล่งที่มาของกำหนดการ", max_length=300, blank=True)
    lineage_from = models.PositiveSmallIntegerField(
        "ปี ITA ที่รายการสืบต่อมา", null=True, blank=True, help_text="ปีที่รหัสใน “สืบต่อจาก” อ้างถึง"
    )
    issues_derived = models.BooleanField(
        "การจัดกลุ่มประเด็นได้จากการอนุมาน",
        default=False,
        help_text="ไม่พบการจัดกลุ่มของปีนี้ จึงอนุมานจากปีก่อนตามสายรายการ ผู้ดูแลระบบแก้ไขได้",
    )

    class Meta:
        ordering = ["year"]
        verbose_name = "ปีการประเมิน ITA"
        verbose_name_plural = "ปีการประเมิน ITA"

    def __str__(self):
        return f"ITA {self.year}" + ("" if self.confirmed else " (ยังไม่ยืนยัน)")

    @property
    def fiscal_year(self):
        """The fiscal year whose measures analyse this ITA year's results."""
        return self.year + 1

    @property
    def unconfirmed_note(self) -> str:
        """The line every report, approval and publication of an unconfirmed year carries
        (never inside the printed document); "" once the NACC manual confirms the year."""
        if self.confirmed:
            return ""
        return f"รายการข้อประเมินของ ITA {self.year} ยังไม่ยืนยันจากคู่มือ ป.ป.ช. รหัสและชื่อรายการอาจเปลี่ยนเมื่อคู่มือประกาศ"

    def report_code(self, kind: str) -> str:
        """The year's own item code of a report kind ("O25"), or "" where it is not known."""
        return {"o34": self.report_o34, "o35": self.report_o35}.get(kind, "")

    def report_file_stem(self, kind: str) -> str:
        """The start of a report's file name: the year's item code, or a plain word where unknown."""
        fallback = {"o34": "analysis-measures", "o35": "progress", "oit": "oit-progress"}
        return self.report_code(kind) or fallback.get(kind, kind)

    def report_name(self, kind: str) -> str:
        """A report's name with the year's item code, e.g. "… (O25)"; no code where unknown."""
        code = self.report_code(kind)
        label = ReportKind(kind).label if kind in ReportKind.values else kind
        return f"{label} ({code})" if code else label


class Indicator(models.Model):
    class Method(models.TextChoices):
        MEAN_QUESTIONS = "mean_questions", "ค่าเฉลี่ยของข้อคำถาม"
        MEAN_SUBINDICATORS = "mean_subindicators", "ค่าเฉลี่ยของตัวชี้วัดย่อย"
        ENTERED = "entered", "กรอกคะแนนทางการ (คำนวณไม่ได้)"

    ita_year = models.ForeignKey(ItaYear, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField("ตัวชี้วัดที่")
    name = models.CharField("ชื่อตัวชี้วัด", max_length=200)
    instrument = models.CharField("เครื่องมือ", max_length=3, choices=Instrument.choices)
    method = models.CharField("วิธีคำนวณ", max_length=20, choices=Method.choices)

    class Meta:
        ordering = ["ita_year_id", "number"]
        verbose_name = "ตัวชี้วัด"
        verbose_name_plural = "ตัวชี้วัด"
        constraints = [
            models.UniqueConstraint(fields=["ita_year", "number"], name="indicator_unique_number_per_year"),
        ]

    def __str__(self):
        return f"{self.ita_year.year} ตัวชี้วัดที่ {self.number} {self.name}"


class SubIndicator(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="subindicators")
    code = models.CharField("รหัส", max_length=8)
    name = models.CharField("ชื่อตัวชี้วัดย่อย", max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator_id", "order"]
        verbose_name = "ตัวชี้วัดย่อย"
        verbose_name_plural = "ตัวชี้วัดย่อย"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="subindicator_unique_code"),
        ]

    def __str__(self):
        return f"ตัวชี้วัดย่อยที่ {self.code} {self.name}"


class Question(models.Model):
    """A question (i…, e…) or an OIT item (o…) of one year."""

    ita_year = models.ForeignKey(ItaYear, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField("รหัส", max_length=8)
    instrument = models.CharField("เครื่องมือ", max_length=3, choices=Instrument.choices)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="questions")
    subindicator = models.ForeignKey(
        SubIndicator, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("ข้อคำถาม/ชื่อรายการ")
    components = models.TextField("องค์ประกอบด้านข้อมูล", blank=True)
    notes = models.TextField("หมายเหตุ", blank=True)
    confidence = models.CharField(
        "ความเชื่อมั่นของข้อมูล", max_length=10, choices=Confidence.choices, default=Confidence.CONFIRMED
    )
    source = models.CharField("แหล่งที่มา", max_length=200, blank=True)
    continues = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="continued_by",
        verbose_name="สืบต่อจากรายการของปีก่อน",
    )

    class Meta:
        ordering = ["ita_year_id", "order"]
        verbose_name = "ข้อคำถาม"
        verbose_name_plural = "ข้อคำถาม"
        constraints = [
            models.UniqueConstraint(fields=["ita_year", "code"], name="question_unique_code_per_year"),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def is_oit(self):
        return self.instrument == Instrument.OIT

    @property
    def is_provisional(self):
        return self.confidence in (Confidence.INFERRED, Confidence.UNKNOWN)

    @property
    def title_known(self):
        """False where no source gives the item's title ("unknown"): its text is then only a
        note for staff, never printed (reports print the organisation's own title or the code)."""
        return self.confidence != Confidence.UNKNOWN

    @property
    def group_heading(self):
        """The heading an OIT item sits under: its sub-indicator, or its indicator in a year whose
        sub-indicators are not known (2569). Needs `subindicator` and `indicator` loaded."""
        if self.subindicator_id:
            return f"ตัวชี้วัดย่อยที่ {self.subindicator.code} {self.subindicator.name}"
        return f"ตัวชี้วัดที่ {self.indicator.number} {self.indicator.name}"


class Issue(models.Model):
    """One of the seven issues (ประเด็น) that group questions for the o34 analysis."""

    ita_year = models.ForeignKey(ItaYear, on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveSmallIntegerField("ประเด็นที่")
    name = models.CharField("ชื่อประเด็น", max_length=300)
    questions = models.ManyToManyField(Question, through="IssueQuestion", related_name="issues")

    class Meta:
        ordering = ["ita_year_id", "number"]
        verbose_name = "ประเด็นการวิเคราะห์"
        verbose_name_plural = "ประเด็นการวิเคราะห์"
        constraints = [
            models.UniqueConstraint(fields=["ita_year", "number"], name="issue_unique_number_per_year"),
        ]

    def __str__(self):
        return f"ประเด็นที่ {self.number} {self.name}"


class IssueQuestion(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE)
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["issue_id", "order"]
        verbose_name = "ข้อคำถามในประเด็น"
        verbose_name_plural = "ข้อคำถามในประเด็น"
        constraints = [
            models.UniqueConstraint(fields=["issue", "question"], name="issuequestion_unique"),
        ]

    def __str__(self):
        return f"{self.issue.number}: {self.question.code}"


class LevelRule(models.Model):
    """One level of a year's Rating Score, tried in order: the first rule whose every minimum
    is reached gives the level. A rule may also require a minimum for each instrument
    (2568: ผ่านดี needs the overall ≥ 85 and IIT, EIT, OIT each ≥ 85)."""

    ita_year = models.ForeignKey(ItaYear, on_delete=models.CASCADE, related_name="level_rules")
    order = models.PositiveSmallIntegerField("ลำดับการตรวจ", default=0)
    label = models.CharField("ระดับ", max_length=50)
    min_overall = score_field(verbose_name="คะแนนรวมขั้นต่ำ")
    min_iit = score_field(verbose_name="IIT ขั้นต่ำ", null=True, blank=True)
    min_eit = score_field(verbose_name="EIT ขั้นต่ำ", null=True, blank=True)
    min_oit = score_field(verbose_name="OIT ขั้นต่ำ", null=True, blank=True)
    source = models.CharField("แหล่งที่มา", max_length=200, blank=True)

    class Meta:
        ordering = ["ita_year_id", "order"]
        verbose_name = "เกณฑ์ระดับผลการประเมิน"
        verbose_name_plural = "เกณฑ์ระดับผลการประเมิน"
        constraints = [
            models.UniqueConstraint(fields=["ita_year", "label"], name="levelrule_unique_label_per_year"),
            models.UniqueConstraint(fields=["ita_year", "order"], name="levelrule_unique_order_per_year"),
        ]

    def __str__(self):
        parts = [f"รวม ≥ {self.min_overall}"]
        parts += [f"{name} ≥ {v}" for name, v in self.instrument_minimums().items()]
        return f"{self.ita_year.year}: {self.label} ({', '.join(parts)})"

    def instrument_minimums(self) -> dict:
        pairs = ((Instrument.IIT, self.min_iit), (Instrument.EIT, self.min_eit), (Instrument.OIT, self.min_oit))
        return {name: value for name, value in pairs if value is not None}


# --- Organisations and roles -------------------------------------------------------------


class OrgType(models.TextChoices):
    SAO = "sao", "องค์การบริหารส่วนตำบล"
    SUBDISTRICT_MUNICIPALITY = "tambon_muni", "เทศบาลตำบล"
    TOWN_MUNICIPALITY = "town_muni", "เทศบาลเมือง"
    CITY_MUNICIPALITY = "city_muni", "เทศบาลนคร"
    PAO = "pao", "องค์การบริหารส่วนจังหวัด"


ORG_SHORT_PREFIX = {
    OrgType.SAO: "อบต.",
    OrgType.SUBDISTRICT_MUNICIPALITY: "ทต.",
    OrgType.TOWN_MUNICIPALITY: "ทม.",
    OrgType.CITY_MUNICIPALITY: "ทน.",
    OrgType.PAO: "อบจ.",
}


class OrganisationQuerySet(models.QuerySet):
    def thai_ordered(self):
        """Thai dictionary order, by the database: the stored key compares by code point."""
        from django.db import connection
        from django.db.models.functions import Collate

        key = Collate("sort_key", "C") if connection.vendor == "postgresql" else models.F("sort_key")
        return self.order_by(key, "org_type", "pk")

    def for_user(self, user):
        """Organisations the user may read: their own, or every one for an auditor."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.memberships.filter(role=Role.AUDITOR).exists():
            return self
        return self.filter(memberships__user=user).distinct()


class Organisation(models.Model):
    org_type = models.CharField("ประเภท", max_length=20, choices=OrgType.choices)
    name = models.CharField("ชื่อเต็ม", max_length=200, help_text="เช่น องค์การบริหารส่วนตำบลระเว")
    slug = models.SlugField("ชื่อใน URL", unique=True)
    district = models.CharField("อำเภอ", max_length=100)
    province = models.CharField("จังหวัด", max_length=100)
    website = models.URLField("เว็บไซต์", blank=True, validators=[validate_safe_url])
    # The DLA's organisation code (รหัส อปท. ของกรมส่งเสริมการปกครองท้องถิ่น): the key of the national list
    # (people's import_organisations) and of duplicate checks when an organisation applies to join.
    dla_code = models.CharField("รหัสองค์กรปกครองส่วนท้องถิ่น (สถ.)", max_length=20, blank=True, default="")
    executive_title = models.CharField(
        "ตำแหน่งผู้บริหารสูงสุด", max_length=200, blank=True, help_text="เช่น นายกองค์การบริหารส่วนตำบลระเว"
    )
    # Kept by save() so that the public directory filters and sorts ~7,850 rows in the database.
    sort_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    search_name = models.CharField(max_length=200, blank=True, editable=False)
    search_text = models.CharField(max_length=500, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["sort_key", "search_name", "search_text"])

    class Meta:
        ordering = ["province", "name"]
        verbose_name = "หน่วยงาน"
        verbose_name_plural = "หน่วยงาน"
        constraints = [
            models.UniqueConstraint(
                fields=["dla_code"], condition=~Q(dla_code=""), name="organisation_unique_dla_code"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .search import search_fields

        self.sort_key, self.search_name, self.search_text = search_fields(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key", "search_name", "search_text"}
        super().save(*args, **kwargs)

    @property
    def short_name(self):
        prefix = ORG_SHORT_PREFIX.get(self.org_type, "")
        long = OrgType(self.org_type).label
        return prefix + self.name.removeprefix(long) if self.name.startswith(long) else self.name

    @property
    def full_title(self):
        """'องค์การบริหารส่วนตำบลระเว อำเภอพิบูลมังสาหาร จังหวัดอุบลราชธานี'; a blank part is left out."""
        parts = [self.name]
        if self.district.strip():
            parts.append(f"อำเภอ{self.district.strip()}")
        if self.province.strip():
            parts.append(f"จังหวัด{self.province.strip()}")
        return " ".join(parts)


class Unit(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    name = models.CharField("ชื่อส่วนราชการ", max_length=200)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "order", "id"]
        verbose_name = "ส่วนราชการ"
        verbose_name_plural = "ส่วนราชการ"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name_per_org"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", "เจ้าหน้าที่"
    MANAGER = "manager", "ผู้บริหาร/ผู้อนุมัติ"
    AUDITOR = "auditor", "ผู้ตรวจประเมิน"


class Membership(models.Model):
    """Staff and managers belong to one organisation; auditors read across all of them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField("บทบาท", max_length=10, choices=Role.choices)
    position = models.CharField("ตำแหน่ง", max_length=200, blank=True)
    reminders = models.BooleanField(
        "รับอีเมลแจ้งเตือน", default=True, help_text="ก่อนครบกำหนดรอบรายงาน มาตรการที่เลยกำหนด ข้อคิดเห็นของผู้ตรวจ"
    )

    class Meta:
        verbose_name = "สมาชิก"
        verbose_name_plural = "สมาชิก"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org"),
            models.CheckConstraint(
                condition=Q(role="auditor") | Q(organisation__isnull=False),
                name="membership_staff_needs_org",
            ),
        ]

    def __str__(self):
        where = self.organisation or "ทุกหน่วยงาน"
        return f"{self.user} – {self.get_role_display()} – {where}"


class AccountEvent(models.Model):
    """Who did what to accounts and memberships: sign-ins, factors, invitations, roles.

    Kept here, at the bottom layer, so that the apps above (people, API) write to it and the audit
    trail of reports reads it without importing them. Never edited: a later event says what changed.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "เข้าสู่ระบบ"
        LOGIN_FAILED = "login_failed", "เข้าสู่ระบบไม่สำเร็จ"
        LOCKED_OUT = "locked_out", "ถูกระงับการเข้าสู่ระบบชั่วคราว"
        LOGOUT = "logout", "ออกจากระบบ"
        PASSWORD_CHANGED = "password_changed", "เปลี่ยนรหัสผ่าน"
        PASSWORD_RESET = "password_reset", "ตั้งรหัสผ่านใหม่ผ่านอีเมล"
        EMAIL_CHANGED = "email_changed", "เปลี่ยนอีเมล"
        MFA_ADDED = "mfa_added", "เพิ่มการยืนยันตัวตนชั้นที่สอง"
        MFA_REMOVED = "mfa_removed", "ยกเลิกการยืนยันตัวตนชั้นที่สอง"
        SESSION_ENDED = "session_ended", "ยุติเซสชัน"
        SSO_LINKED = "sso_linked", "เชื่อมบัญชีกับผู้ให้บริการยืนยันตัวตน"
        INVITED = "invited", "เชิญเข้าร่วมหน่วยงาน"
        INVITATION_CANCELLED = "invitation_cancelled", "ยกเลิกคำเชิญ"
        INVITATION_ACCEPTED = "invitation_accepted", "ตอบรับคำเชิญ"
        ROLE_CHANGED = "role_changed", "เปลี่ยนบทบาท"
        MEMBER_REMOVED = "member_removed", "นำสมาชิกออกจากหน่วยงาน"
        ORGANISATION_JOINED = "organisation_joined", "อนุมัติหน่วยงานเข้าร่วม"
        TOKEN_CREATED = "token_created", "สร้างโทเคน API"
        TOKEN_REVOKED = "token_revoked", "เพิกถอนโทเคน API"

    created_at = models.DateTimeField("เวลา", auto_now_add=True, db_index=True)
    kind = models.CharField("เหตุการณ์", max_length=30, choices=Kind.choices)
    # The account the event is about, and who caused it (the same person, a manager, or nobody).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="account_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="account_events"
    )
    detail = models.CharField("รายละเอียด", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "เหตุการณ์ของบัญชี"
        verbose_name_plural = "เหตุการณ์ของบัญชี"
        indexes = [
            models.Index(fields=["user", "-created_at"], name="accountevent_user_recent"),
            models.Index(fields=["organisation", "-created_at"], name="accountevent_org_recent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.user or '-'}"


# --- Assessments -------------------------------------------------------------------------


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(organisation__in=Organisation.objects.for_user(user))

    def for_fiscal_year(self, fiscal_year):
        return self.filter(ita_year__year=fiscal_year - 1)


class Assessment(models.Model):
    """ITA results of one organisation for one ITA year; the base of the next fiscal year's work."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    ita_year = models.ForeignKey(ItaYear, on_delete=models.PROTECT, related_name="assessments")
    overall_score = score_field(verbose_name="คะแนนภาพรวม (ทางการ)", null=True, blank=True)
    iit_score = score_field(verbose_name="คะแนน IIT (ทางการ)", null=True, blank=True)
    eit_score = score_field(verbose_name="คะแนน EIT (ทางการ)", null=True, blank=True)
    oit_score = score_field(verbose_name="คะแนน OIT (ทางการ)", null=True, blank=True)
    level = models.CharField("ระดับ", max_length=50, blank=True)
    limitations = models.TextField("การวิเคราะห์ข้อจำกัดของหน่วยงาน", blank=True)
    o34_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    o34_approved_at = models.DateTimeField(null=True, blank=True)
    o35_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    o35_approved_at = models.DateTimeField(null=True, blank=True)
    oit_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    oit_approved_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of what each approval covered (measures.approval); an edit after it shows
    # "มีการแก้ไขหลังอนุมัติ" and blocks publishing until approved again. Blank: approved before hashes.
    o34_approved_hash = models.CharField("ลายนิ้วมือเนื้อหาที่อนุมัติ o34", max_length=64, blank=True)
    o35_approved_hash = models.CharField("ลายนิ้วมือเนื้อหาที่อนุมัติ o35", max_length=64, blank=True)
    oit_approved_hash = models.CharField("ลายนิ้วมือเนื้อหาที่อนุมัติ OIT", max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "ita_year"]
        verbose_name = "ผลการประเมิน"
        verbose_name_plural = "ผลการประเมิน"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "ita_year"], name="assessment_unique_org_year"),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | Q(overall_score__gte=0, overall_score__lte=100),
                name="assessment_overall_0_100",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 0, f"{f}__lte": 100}),
                    name=f"assessment_{f}_0_100",
                )
                for f in ("iit_score", "eit_score", "oit_score")
            ],
        ]

    def __str__(self):
        return f"{self.organisation} – ITA {self.ita_year.year} (ปีงบประมาณ {self.fiscal_year})"

    @property
    def fiscal_year(self):
        return self.ita_year.year + 1

    def official_instruments(self) -> dict:
        """{"IIT": Decimal | None, …}: the official instrument scores as entered."""
        return {Instrument.IIT: self.iit_score, Instrument.EIT: self.eit_score, Instrument.OIT: self.oit_score}


class IndicatorScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="indicator_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    score = score_field(verbose_name="คะแนน (ทางการ)")
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "indicator_id"]
        verbose_name = "คะแนนตัวชี้วัด"
        verbose_name_plural = "คะแนนตัวชี้วัด"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="indicatorscore_unique"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="indicatorscore_0_100"),
        ]

    def __str__(self):
        return f"{self.indicator.number}: {self.score}"


class QuestionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="question_scores")
    question = models.ForeignKey(Question, on_delete=models.PROTECT)
    score = score_field(verbose_name="คะแนน")
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = "คะแนนข้อคำถาม"
        verbose_name_plural = "คะแนนข้อคำถาม"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="questionscore_unique"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="questionscore_0_100"),
        ]

    def __str__(self):
        return f"{self.question.code}: {self.score}"

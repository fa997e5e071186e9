from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class SubIndicatorInline(admin.TabularInline):
    model = models.SubIndicator
    extra = 0


class IssueQuestionInline(admin.TabularInline):
    model = models.IssueQuestion
    extra = 0
    autocomplete_fields = ["question"]


class LevelRuleInline(admin.TabularInline):
    model = models.LevelRule
    extra = 0


@admin.register(models.ItaYear)
class ItaYearAdmin(admin.ModelAdmin):
    list_display = ["year", "confirmed", "report_o34", "report_o35", "issues_derived", "weak_threshold"]
    inlines = [LevelRuleInline]


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "instrument", "method", "ita_year"]
    list_filter = ["ita_year", "instrument"]
    inlines = [SubIndicatorInline]


@admin.register(models.Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "instrument", "indicator", "confidence", "ita_year"]
    list_filter = ["ita_year", "instrument", "confidence"]
    search_fields = ["code", "text"]
    filter_horizontal = ["continues"]


@admin.register(models.Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "ita_year"]
    list_filter = ["ita_year"]
    inlines = [IssueQuestionInline]


@admin.register(models.LevelRule)
class LevelRuleAdmin(admin.ModelAdmin):
    list_display = ["ita_year", "order", "label", "min_overall", "min_iit", "min_eit", "min_oit"]
    list_filter = ["ita_year"]


class UnitInline(admin.TabularInline):
    model = models.Unit
    extra = 1


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_type", "district", "province", "dla_code", "slug"]
    list_filter = ["org_type", "province"]
    search_fields = ["name", "slug", "province", "district", "dla_code"]
    prepopulated_fields = {}
    inlines = [UnitInline, MembershipInline]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "order"]
    list_filter = ["organisation"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "position"]
    list_filter = ["role", "organisation"]
    autocomplete_fields = ["user", "organisation"]


class QuestionScoreInline(admin.TabularInline):
    model = models.QuestionScore
    extra = 0


class IndicatorScoreInline(admin.TabularInline):
    model = models.IndicatorScore
    extra = 0


@admin.register(models.Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "ita_year", "overall_score", "level"]
    list_filter = ["ita_year", "level"]
    search_fields = ["organisation__name"]
    readonly_fields = ["level"]
    inlines = [IndicatorScoreInline, QuestionScoreInline]


@admin.register(models.QuestionScore)
class QuestionScoreAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "question", "score"]


@admin.register(models.IndicatorScore)
class IndicatorScoreAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "indicator", "score"]


@admin.register(models.IssueQuestion)
class IssueQuestionAdmin(admin.ModelAdmin):
    list_display = ["issue", "question", "order"]


@admin.register(models.SubIndicator)
class SubIndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "indicator"]


admin.site.site_header = "ระบบ ITA – ผู้ดูแลระบบ"
admin.site.site_title = "ระบบ ITA"
admin.site.index_title = "การจัดการข้อมูล"


@admin.register(models.AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, never edited."""

    list_display = ("created_at", "kind", "user", "actor", "organisation", "ip_address")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email", "detail")
    list_select_related = ("user", "actor", "organisation")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

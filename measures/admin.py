from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class StepInline(admin.TabularInline):
    model = models.MeasureStep
    extra = 0


@admin.register(models.Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "assessment", "order"]
    list_filter = ["assessment__ita_year"]
    search_fields = ["title"]
    inlines = [StepInline]


@admin.register(models.IssueAnalysis)
class IssueAnalysisAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "issue"]


@admin.register(models.ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "assessment", "as_of"]


@admin.register(models.Progress)
class ProgressAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "round", "status"]
    list_filter = ["status"]


@admin.register(models.OitChecklistItem)
class OitChecklistItemAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "question", "status", "unit"]
    list_filter = ["status"]


@admin.register(models.ItemTitle)
class ItemTitleAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "question", "title"]


@admin.register(models.MeasureStep)
class MeasureStepAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "order", "text"]


@admin.register(models.StepProgress)
class StepProgressAdmin(SimpleHistoryAdmin):
    list_display = ["step", "round", "status"]
    list_filter = ["status"]


@admin.register(models.DeletedMeasure)
class DeletedMeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "assessment", "deleted_by", "deleted_at"]
    readonly_fields = ["payload"]

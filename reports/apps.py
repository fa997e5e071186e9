from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "รายงาน"

    def ready(self):
        # The exact Thai text layer for every PDF this process writes; a WeasyPrint version it
        # was not written against is refused with a warning (reports/pdf_text.py).
        from measures import approval as measures_approval
        from measures import dashboard

        from . import approval, pdf_text
        from .models import ReviewComment

        pdf_text.install()
        # An approval is of what the report prints (reports/approval.py); measures cannot build reports.
        measures_approval.FINGERPRINTERS.append(approval.fingerprint)
        # The year home's guided path shows what is published; measures cannot ask reports itself.
        dashboard.PUBLISHED_KINDS.append(lambda assessment: set(assessment.published.values_list("kind", flat=True)))
        # ...and how many auditor comments wait to be acknowledged (รับทราบ).
        dashboard.COMMENTS_WAITING.append(
            lambda assessment: ReviewComment.objects.filter(version__assessment=assessment, read_at=None).count()
        )

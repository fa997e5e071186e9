import datetime
import json

from django.db import migrations, models


def mark_published_rounds(apps, schema_editor):
    """Rounds whose O26 was published before rounds recorded it: read from each version's open data."""
    PublishedVersion = apps.get_model("reports", "PublishedVersion")
    ReportingRound = apps.get_model("measures", "ReportingRound")
    for version in PublishedVersion.objects.filter(kind="o35").order_by("published_at"):
        try:
            with version.json.open("rb") as f:
                as_of = datetime.date.fromisoformat(json.load(f)["round"]["as_of"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a file missing or without a round: that version says nothing about rounds
        ReportingRound.objects.filter(
            assessment_id=version.assessment_id, as_of=as_of, published_at__isnull=True
        ).update(published_at=version.published_at)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_report_options_saved_at"),
        ("measures", "0011_round_published_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportsettings",
            name="report_date",
            field=models.DateField(blank=True, null=True, verbose_name="วันที่รายงาน"),
        ),
        migrations.RunPython(mark_published_rounds, migrations.RunPython.noop),
    ]

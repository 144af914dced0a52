"""The moved table takes governance's name, and each deadline records when it was met (the
SLL's sign-off of a report for it), filled in here from reports already signed. Reminders and
audit entries about a due date follow it to its new label, so none is sent twice."""

from django.db import migrations, models


def fill_met_on(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportDueDate = apps.get_model("governance", "ReportDueDate")
    signed = (
        Report.objects.filter(status__in=["issued", "sent"], due_date__isnull=False)
        .exclude(signed_at=None)
        .order_by("signed_at")
    )
    for report in signed:
        ReportDueDate.objects.filter(pk=report.due_date_id, met_on=None).update(
            met_on=report.signed_at.date(), met_by=report.title[:200]
        )
    for name in ("ReminderLog", "AuditEvent"):
        apps.get_model("hubops", name).objects.filter(object_type="reports.reportduedate").update(
            object_type="governance.reportduedate"
        )


def unfill(apps, schema_editor):
    for name in ("ReminderLog", "AuditEvent"):
        apps.get_model("hubops", name).objects.filter(
            object_type="governance.reportduedate"
        ).update(object_type="reports.reportduedate")


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0002_report_due_dates"),
        ("reports", "0002_due_dates_to_governance"),
    ]

    operations = [
        migrations.AlterModelTable(name="reportduedate", table=None),
        migrations.AddField(
            model_name="reportduedate",
            name="met_on",
            field=models.DateField(blank=True, help_text="The day a report for it was signed off by the SLL.", null=True),
        ),
        migrations.AddField(
            model_name="reportduedate",
            name="met_by",
            field=models.CharField(blank=True, help_text="The report that met it, as signed.", max_length=200),
        ),
        migrations.RunPython(fill_met_on, unfill),
    ]

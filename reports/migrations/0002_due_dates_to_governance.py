"""Reports' due dates now live in governance (governance 0002 took the model over, on the
same table): point Report.due_date there and drop the model from reports' state. No rows move."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_reports"),
        ("governance", "0002_report_due_dates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="report",
                    name="due_date",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="reports", to="governance.reportduedate"),
                ),
                migrations.DeleteModel(name="ReportDueDate"),
            ],
            database_operations=[],
        ),
    ]

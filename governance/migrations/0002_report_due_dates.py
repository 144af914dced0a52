"""Reporting deadlines become governance's records (they are Grant Offer Letter obligations):
the model moves from reports to governance without touching its rows. This step only adds it
to governance's state, on the table reports created; 0003 renames the table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_governance_records"),
        ("hubops", "0002_school_import"),
        ("reports", "0001_reports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportDueDate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[('progress', 'Termly progress report'), ('annual', 'Annual report'), ('financial', 'Financial report'), ('evaluation', 'Work Group evaluation report'), ('complaints', 'Complaints annual figures')], max_length=16)),
                        ("due_on", models.DateField(db_index=True)),
                        ("label", models.CharField(blank=True, help_text='For example "Spring term".', max_length=100)),
                        ("academic_year", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="hubops.academicyear")),
                    ],
                    options={
                        "ordering": ["due_on"],
                        "db_table": "reports_reportduedate",
                        "constraints": [
                            models.UniqueConstraint(fields=("kind", "academic_year", "due_on"), name="reports_due_once"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""Reminders get an indexed key for the one person they went to, so an access export or an
erasure finds that person's reminders by exact address instead of scanning every row's
recipients for a substring."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    ReminderLog = apps.get_model("hubops", "ReminderLog")
    for row in ReminderLog.objects.exclude(recipients="").only("pk", "recipients").iterator():
        addresses = [a.strip() for a in row.recipients.split(",") if a.strip()]
        if len(addresses) == 1:
            ReminderLog.objects.filter(pk=row.pk).update(email=addresses[0].lower())


class Migration(migrations.Migration):
    dependencies = [
        ("hubops", "0004_staff_flag_follows_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminderlog",
            name="email",
            field=models.CharField(blank=True, db_index=True, max_length=254),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

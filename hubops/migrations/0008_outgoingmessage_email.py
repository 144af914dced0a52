"""The outbox's indexed recipient key, filled in for the mail already queued or sent: an access
export or an erasure finds a person's mail by their whole address, never by a substring."""

from django.db import migrations, models


def fill_email(apps, schema_editor):
    message = apps.get_model("hubops", "OutgoingMessage")
    for row in message.objects.only("pk", "to").iterator(chunk_size=2000):
        addresses = [a.strip() for a in row.to.split(",") if a.strip()]
        if len(addresses) == 1:
            message.objects.filter(pk=row.pk).update(email=addresses[0].lower())


class Migration(migrations.Migration):
    dependencies = [
        ("hubops", "0007_auditevent_subject_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingmessage",
            name="email",
            field=models.CharField(blank=True, db_index=True, max_length=254),
        ),
        migrations.RunPython(fill_email, migrations.RunPython.noop),
    ]

"""An attached file's bytes live in OutgoingFile, stored once for all the messages queued
together that carry it (a session's calendar file went into the outbox once per participant;
the mail already queued shares one file per distinct content), and the outbox and reminder log
drop the ``LIKE`` indexes PostgreSQL adds beside ``db_index`` and ``unique`` on text: nothing
searches those columns by prefix, and every row a sweep writes paid for them."""

import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def files_once(apps, schema_editor):
    """Move every attachment's bytes into one OutgoingFile per distinct content."""
    attachment = apps.get_model("hubops", "OutgoingAttachment")
    outgoing_file = apps.get_model("hubops", "OutgoingFile")
    ids: dict[str, int] = {}
    rows = attachment.objects.only("pk", "content").order_by("pk")
    for row in rows.iterator(chunk_size=500):
        content = bytes(row.content)
        digest = hashlib.sha256(content).hexdigest()
        if digest not in ids:
            ids[digest] = outgoing_file.objects.create(
                sha256=digest, size=len(content), content=content
            ).pk
        attachment.objects.filter(pk=row.pk).update(file_id=ids[digest])


def files_back(apps, schema_editor):
    attachment = apps.get_model("hubops", "OutgoingAttachment")
    for row in attachment.objects.select_related("file").iterator(chunk_size=500):
        attachment.objects.filter(pk=row.pk).update(content=row.file.content)


class Migration(migrations.Migration):
    dependencies = [
        ("hubops", "0008_outgoingmessage_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reminderlog",
            name="email",
            field=models.CharField(blank=True, max_length=254),
        ),
        migrations.AddIndex(
            model_name="reminderlog",
            index=models.Index(fields=["email"], name="hubops_reminderlog_email"),
        ),
        migrations.AlterField(
            model_name="outgoingmessage",
            name="email",
            field=models.CharField(blank=True, max_length=254),
        ),
        migrations.AddIndex(
            model_name="outgoingmessage",
            index=models.Index(fields=["email"], name="hubops_outgoing_email"),
        ),
        migrations.AlterField(
            model_name="outgoingmessage",
            name="message_id",
            field=models.CharField(max_length=255, verbose_name="Message-ID"),
        ),
        migrations.AddConstraint(
            model_name="outgoingmessage",
            constraint=models.UniqueConstraint(
                fields=("message_id",), name="hubops_outgoing_message_id"
            ),
        ),
        migrations.CreateModel(
            name="OutgoingFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sha256", models.CharField(max_length=64)),
                ("size", models.PositiveIntegerField()),
                ("content", models.BinaryField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name="outgoingattachment",
            name="file",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachments",
                to="hubops.outgoingfile",
            ),
        ),
        # Nullable while the bytes move, so the migration can also be undone.
        migrations.AlterField(
            model_name="outgoingattachment",
            name="content",
            field=models.BinaryField(null=True),
        ),
        migrations.RunPython(files_once, files_back),
        migrations.RemoveField(model_name="outgoingattachment", name="content"),
        migrations.AlterField(
            model_name="outgoingattachment",
            name="file",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachments",
                to="hubops.outgoingfile",
            ),
        ),
    ]

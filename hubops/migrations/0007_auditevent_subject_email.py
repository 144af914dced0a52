"""Audit events get an indexed key for the person their record is about (its ``email``), so an
access export finds them by exact address instead of scanning labels for substrings. Existing
events are filled in from their records where the record has an ``email`` field."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Lower


def backfill(apps, schema_editor):
    AuditEvent = apps.get_model("hubops", "AuditEvent")
    labels = AuditEvent.objects.exclude(object_type="").values_list("object_type", flat=True)
    for label in set(labels.distinct()):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if "email" not in {f.name for f in model._meta.get_fields()}:
            continue
        pk_field = model._meta.pk
        if pk_field.get_internal_type() not in ("AutoField", "BigAutoField", "IntegerField"):
            continue
        email = model.objects.filter(
            pk=Cast(OuterRef("object_id"), output_field=models.BigIntegerField())
        ).values("email")[:1]
        events = AuditEvent.objects.filter(object_type=label, object_id__regex=r"^[0-9]+$")
        events.update(subject_email=Coalesce(Lower(Subquery(email)), Value("")))


class Migration(migrations.Migration):
    dependencies = [
        ("hubops", "0006_outgoingmessage_headers"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="subject_email",
            field=models.CharField(blank=True, db_index=True, max_length=254),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

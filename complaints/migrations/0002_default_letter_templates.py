"""The default letter templates (staff edit them in the staff pages or the admin)."""

from django.db import migrations


def create(apps, schema_editor):
    from complaints.letters import DEFAULTS

    LetterTemplate = apps.get_model("complaints", "LetterTemplate")
    for kind, (subject, body) in DEFAULTS.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

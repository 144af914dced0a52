"""``python manage.py key_contacts``: write the encrypted key-contacts file now (beat does it
three times a day); prints its path."""

from django.core.management.base import BaseCommand, CommandError

from continuity import services, storage


class Command(BaseCommand):
    help = "Write the encrypted key-contacts file for a day when the hub is down."

    def handle(self, *args, **options):
        try:
            run = services.key_contacts_export(trigger="command")
        except services.ContinuityError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{run.rows} contact rows written, encrypted.")
        self.stdout.write(storage.reference(storage.backups(), run.archive_name))

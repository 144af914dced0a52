"""``python manage.py restore PATH``: restore a backup archive (a file here, or an archive's
name or ``s3://`` reference in the backups storage) into an empty database and media storage
(this install's DATABASE_URL and HUBOPS_MEDIA_ROOT or media bucket)."""

import os

from django.core.management.base import BaseCommand, CommandError

from continuity import restore_services as services


class Command(BaseCommand):
    help = "Restore a backup archive into this install's (empty) database and media folder."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help="The .tar.gz.enc archive written by `backup`: a file, or its name in the "
            "backups storage (`backup --list`).",
        )

    def handle(self, *args, path, **options):
        try:
            result = services.backup_restore(path=path)
        except services.ContinuityError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        self.stdout.write(
            f"Restored {os.path.basename(path)} (made {m['created_at']} by hubops "
            f"{m['code_version']}): {result.tables} tables, {result.rows} rows and "
            f"{result.files} media files, every count and hash as in the manifest."
        )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))

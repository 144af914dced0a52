"""``python manage.py handover_import PATH --fingerprint FINGERPRINT``: load a handover
package into this fresh hubops."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from continuity import handover_services as services


class Command(BaseCommand):
    help = "Load a handover package from the outgoing Lead School into this fresh hubops."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--fingerprint",
            required=True,
            help="The signer fingerprint the outgoing hub read to you (spaces optional).",
        )
        parser.add_argument(
            "--lead-school-urn",
            type=int,
            default=None,
            help="Your school's URN: it becomes the hub's Lead School.",
        )

    def handle(self, *args, path, fingerprint, lead_school_urn, **options):
        try:
            result = services.handover_import(
                path=Path(path), fingerprint=fingerprint, lead_school_urn=lead_school_urn
            )
        except services.ContinuityError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        self.stdout.write(
            f"Loaded {(m.get('hub') or {}).get('name', 'the hub')}: {result.rows} rows and "
            f"{result.files} files, every count and hash as in the signed manifest."
        )
        self.stdout.write(
            f"{result.staff_disabled} staff accounts are disabled with no password: re-invite "
            "each person (admin, Users: tick Active; they set a password with 'Forgot "
            "password' and set up MFA again)."
        )
        self.stdout.write(
            f"{result.slas_flagged} SLAs are flagged for renewal: see /staff/continuity/."
        )

"""``python manage.py handover_export PATH --to NAME --basis TEXT``: the signed, encrypted
package of this hub for a successor Lead School. Prints the signer's fingerprint (read it to
the successor by phone) and, last, the package's path."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from continuity import handover_services as services


class Command(BaseCommand):
    help = "Write a signed, encrypted package of the whole hub for a successor Lead School."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the package.")
        parser.add_argument("--to", required=True, help="The successor Lead School.")
        parser.add_argument(
            "--basis",
            required=True,
            help='The lawful basis, e.g. "UK GDPR Art. 6(1)(e) public task; DfE instruction '
            'of <date> (the DfE is the controller)".',
        )
        parser.add_argument("--purpose", default="", help="Why (a default is written).")

    def handle(self, *args, path, to, basis, purpose, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists already: choose a new file name.")
        try:
            result = services.handover_export(path=target, to=to, basis=basis, purpose=purpose)
        except services.ContinuityError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        self.stdout.write(
            f"Packed {sum(m['counts'].values())} rows of {len(m['counts'])} models and "
            f"{len(m['files']) - 1} files for {to}; recorded in the sharing log "
            f"({m['people']} people; {', '.join(m['data_categories'])})."
        )
        self.stdout.write(
            "Give the successor the package, the HUBOPS_HANDOVER_KEY passphrase and, by another "
            "channel (read it aloud by phone), this fingerprint:"
        )
        self.stdout.write(f"Signer fingerprint: {result.fingerprint}")
        self.stdout.write(str(target))

"""``python manage.py backup``: one encrypted archive of the database and media; its path is
the last line printed. ``--verify PATH`` restores PATH into a scratch database and compares it
with its manifest (exit status 1 when anything differs)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from continuity import services


class Command(BaseCommand):
    help = "Back up the database and media files into one encrypted archive (or verify one)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify",
            metavar="PATH",
            help="Restore this archive into a scratch database and compare it with its manifest.",
        )
        parser.add_argument(
            "--no-prune",
            action="store_true",
            help="Keep every archive (do not apply the retention policy after backing up).",
        )

    def handle(self, *args, verify=None, no_prune=False, **options):
        if verify:
            return self._verify(Path(verify))
        try:
            result = services.backup_create(trigger="command")
        except services.ContinuityError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Backed up {len(tables)} tables ({sum(tables.values())} rows) and "
            f"{manifest['media']['count']} media files ({manifest['media']['bytes']} bytes) "
            f"in {result.run.seconds:.1f} s; archive {result.run.archive_bytes} bytes, "
            f"SHA-256 {result.run.archive_sha256}."
        )
        if not no_prune:
            for path in services.backup_prune(keep_also=result.path):
                self.stdout.write(f"Removed by the retention policy: {path.name}")
        self.stdout.write(str(result.path))

    def _verify(self, path: Path):
        result = services.backup_verify(path=path, trigger="command")
        if result.ok:
            m = result.manifest
            tables = m["database"]["tables"]
            self.stdout.write(
                f"Verified {path.name}: restored into a scratch {m['database']['engine']} "
                f"database in {result.seconds:.1f} s; {len(tables)} tables, "
                f"{sum(tables.values())} rows and {m['media']['count']} files match the "
                f"manifest (made {m['created_at']} by hubops {m['code_version']})."
            )
            return
        self.stderr.write(f"VERIFICATION FAILED for {path}:")
        for line in result.differences:
            self.stderr.write(f"  - {line}")
        raise CommandError(f"{path.name} did not verify ({len(result.differences)} problem(s)).")

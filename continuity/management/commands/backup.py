"""``python manage.py backup``: one encrypted archive of the database and media, into
``STORAGES["backups"]`` (a folder or a bucket); its path (or ``s3://`` reference) is the last
line printed. ``--verify PATH`` restores PATH (a file here, or an archive's name in the backups
storage) into a scratch database and compares it with its manifest (exit status 1 when anything
differs). ``--list`` names the archives kept, newest first."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from continuity import services, storage


class Command(BaseCommand):
    help = "Back up the database and media files into one encrypted archive (or verify one)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--verify",
            metavar="PATH",
            help="Restore this archive (a file, or a name in the backups storage) into a "
            "scratch database and compare it with its manifest.",
        )
        parser.add_argument(
            "--no-prune",
            action="store_true",
            help="Keep every archive (do not apply the retention policy after backing up).",
        )
        parser.add_argument(
            "--list", action="store_true", help="List the archives kept, newest first."
        )

    def handle(
        self, *args: Any, verify: str | None = None, no_prune: bool = False, **options: Any
    ) -> None:
        if options.get("list"):
            return self._list()
        if verify:
            return self._verify(verify)
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
            for name in services.backup_prune(keep_also=result.name):
                self.stdout.write(f"Removed by the retention policy: {name}")
        self.stdout.write(result.reference)

    def _list(self) -> None:
        backups = storage.backups()
        self.stdout.write(f"Archives in {storage.label(backups)}, newest first:")
        for name in services.archives():
            self.stdout.write(f"  {name}  {backups.size(name)} bytes")

    def _verify(self, path: str) -> None:
        result = services.backup_verify(path=path, trigger="command")
        if result.ok and result.manifest:
            m = result.manifest
            tables = m["database"]["tables"]
            self.stdout.write(
                f"Verified {result.name}: restored into a scratch {m['database']['engine']} "
                f"database in {result.seconds:.1f} s; {len(tables)} tables, "
                f"{sum(tables.values())} rows and {m['media']['count']} files match the "
                f"manifest (made {m['created_at']} by hubops {m['code_version']})."
            )
            return
        self.stderr.write(f"VERIFICATION FAILED for {path}:")
        for line in result.differences:
            self.stderr.write(f"  - {line}")
        raise CommandError(f"{result.name} did not verify ({len(result.differences)} problem(s)).")

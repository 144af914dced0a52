"""python manage.py import_gias PATH [--la CODE ...]: import or refresh schools from GIAS."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hubops.gias import GiasFileError, import_bytes


class Command(BaseCommand):
    help = (
        "Import or refresh schools from a GIAS 'edubasealldata' CSV extract (Windows-1252 or "
        "UTF-8). Upserts by URN; closed schools are marked closed, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file downloaded from GIAS.")
        parser.add_argument(
            "--la",
            action="append",
            default=[],
            metavar="CODE",
            help="Only schools in this local authority (DfE LA code, e.g. 307). Repeatable.",
        )

    def handle(self, *args, path: str, la: list[str], **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"There is no file at {path}.")
        show_progress = options["verbosity"] >= 1 and sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stderr.write(f"\r  {done:,} of {total:,}…", ending="")

        try:
            result = import_bytes(file.read_bytes(), la_codes=la, progress=progress)
        except GiasFileError as error:
            raise CommandError(f"{file.name}: {error} Nothing was changed.") from error
        if show_progress:
            self.stderr.write("")
        for line in result.summary_lines():
            self.stdout.write(line)

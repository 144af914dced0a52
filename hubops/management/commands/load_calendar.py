"""python manage.py load_calendar PATH [--year 2025/26] [--source NAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hubops.calendar_io import CalendarFileError, load_plans, parse_calendar


class Command(BaseCommand):
    help = "Load school term dates (JSON) into the school calendar, replacing those years."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--year", help="Only this academic year, e.g. 2025/26.")
        parser.add_argument("--source", help="The authority (name or LA code) to take.")

    def handle(self, *args, path, year, source, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            plans = parse_calendar(file.read_bytes(), year=year, source=source)
        except CalendarFileError as error:
            raise CommandError(f"{file.name}: {error} Nothing was changed.") from error
        for academic_year in load_plans(plans):
            counts = academic_year.periods.count()
            self.stdout.write(
                f"{academic_year.name}: {counts} periods (terms, holidays and closures)."
            )

from pathlib import Path

from django.core.management.base import BaseCommand

from units.exchange import export_folder, export_xlsx


class Command(BaseCommand):
    help = (
        "Export every sheet in the import format: to PATH.xlsx as one workbook, or to a "
        "folder of CSV files. Importing the export changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.suffix.lower() == ".xlsx":
            with target.open("wb") as fh:
                export_xlsx(fh)
            self.stdout.write(f"{target}")
        else:
            for file in export_folder(target):
                self.stdout.write(f"{file}")

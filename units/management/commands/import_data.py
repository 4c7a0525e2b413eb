from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.exchange import import_data


class Command(BaseCommand):
    help = (
        "Import a folder of CSV files or one .xlsx workbook (format: shared/domain/codes.md). "
        "All or nothing: any faulty row is reported (file, row, column, reason) and nothing "
        "is written; the command then exits non-zero. Re-importing changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, path, dry_run, **options):
        result = import_data(None, path, dry_run=dry_run)
        for sheet, counts in result.counts.items():
            self.stdout.write(
                _("%(sheet)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                % {"sheet": sheet, **counts}
            )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s error(s); nothing was written.") % {"n": len(result.errors)}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import done.")))

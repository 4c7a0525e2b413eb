"""``manage.py yearly_figures --year Y [--unit CODE] --format json``: the figures the summary
report and the statistical forms are built from, exactly as ``shared/domain/codes.md``
("Yearly figures on the command line") defines them."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from awards.reports import figures


class Command(BaseCommand):
    help = "Print the figures of a year (awards, individual awards, staff, units) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True)
        parser.add_argument("--unit", help="a unit code: that unit and its sub-units")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **opts):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            year = figures.check_year(opts["year"])
            unit = figures.resolve_unit(opts["unit"])
            result = figures.compute(year, unit).as_json()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

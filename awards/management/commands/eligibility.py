"""``manage.py eligibility --year Y [--subject person:CODE|unit:CODE] [--award CODE]
--format json|text``: the engine's verdicts, as ``shared/domain/codes.md`` specifies.

JSON is streamed as one array (one object per subject and award type the rule set in force
has a rule for), so a whole population never sits in memory.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from awards import eligibility
from awards.models import AwardType
from units.models import Person, Unit


class Command(BaseCommand):
    help = "Judge eligibility for a year and print the verdicts with their reasons."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--subject", help="person:CODE or unit:CODE")
        parser.add_argument("--award", help="an award code, e.g. CSTD_CS")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the reasons (default: the site's, Vietnamese)",
        )
        parser.add_argument("--eligible-only", action="store_true")

    def handle(self, *args, **opts):
        translation.activate(opts["language"] or settings.LANGUAGE_CODE)
        kwargs = {}
        if opts["subject"]:
            kind, _sep, code = opts["subject"].partition(":")
            model = {"person": Person, "unit": Unit}.get(kind)
            if model is None or not code:
                raise CommandError("--subject must be person:CODE or unit:CODE")
            obj = model.objects.filter(code=code).first()
            if obj is None:
                raise CommandError(f"no {kind} with code {code}")
            kwargs.update(subject_type=kind, subject_ids=[obj.pk])
        if opts["award"]:
            if not AwardType.objects.filter(code=opts["award"]).exists():
                raise CommandError(f"unknown award code {opts['award']}")
            kwargs["award_codes"] = [opts["award"]]
        try:
            verdicts = eligibility.judge(opts["year"], **kwargs)
            if opts["eligible_only"]:
                verdicts = (v for v in verdicts if v.eligible)
            if opts["format"] == "json":
                self._json(verdicts)
            else:
                self._text(verdicts)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _json(self, verdicts):
        out = self.stdout
        out.write("[", ending="")
        first = True
        for v in verdicts:
            out.write(
                ("\n" if first else ",\n") + json.dumps(v.as_dict(), ensure_ascii=False), ending=""
            )
            first = False
        out.write("\n]" if not first else "]")

    def _text(self, verdicts):
        yes, no = translation.gettext("eligible"), translation.gettext("not eligible")
        header = (
            translation.gettext("Code"),
            translation.gettext("Name"),
            translation.gettext("Award"),
            translation.gettext("Verdict"),
            translation.gettext("Reasons"),
        )
        self.stdout.write(
            f"{header[0]:<12} {header[1]:<28} {header[2]:<9} {header[3]:<14} {header[4]}"
        )
        for v in verdicts:
            reasons = " ".join(r.render() for r in v.reasons if r.ok is not True or v.eligible)
            self.stdout.write(
                f"{v.subject_code:<12} {v.subject_name[:28]:<28} "
                f"{v.award_code:<9} {(yes if v.eligible else no):<14} {reasons}"
            )

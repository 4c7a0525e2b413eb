"""The XLSX of “who is eligible for X in year Y”, written row by row (openpyxl write-only
mode) from the verdict stream, so memory stays flat."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from awards import selectors
from emulation_portal import cells as inert


def eligibility_xlsx(
    user,
    *,
    year: int,
    award: str = "",
    subject: str = "",
    eligible_only: bool = False,
    progress=None,
) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Eligibility %(year)s") % {"year": year})
    ws.append(
        [_("Subject"), _("Code"), _("Name"), _("Award"), _("Eligible"), _("Rule set"), _("Reasons")]
    )
    yes, no = _("yes"), _("no")
    stream = selectors.population_verdicts(
        user,
        year=year,
        award_code=award or None,
        subject_type=subject or None,
        eligible_only=eligible_only,
    )
    for n, v in enumerate(stream, 1):
        ws.append(
            inert.xlsx_row(
                ws,
                [
                    _("person") if v.subject_type == "person" else _("unit"),
                    v.subject_code,
                    v.subject_name,
                    v.award_code,
                    yes if v.eligible else no,
                    v.rule_set,
                    "\n".join(r.render() for r in v.reasons),
                ],
            )
        )
        if progress and n % 5000 == 0:
            progress(n)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

"""The yearly summary's tables, all counted from :mod:`awards.reports.figures`: by award and
category, by kind, by unit and bloc (membership of the year), the comparison with earlier
years, the shares of individual awards to frontline workers and women against their share
of the staff, and each unit's LDTT and CSTD_CS rates against the ministry's (the inflation
indicator). A rate of 0/0 is shown as "—", never computed.

The inflation threshold is data (settings): ``REPORTS_INFLATION_FACTOR`` (a unit is listed
when its rate exceeds the ministry's times this factor; default 1.5) and
``REPORTS_INFLATION_MIN_STAFF`` (units with fewer people are not judged: a unit of two
people with one LDTT is 50% by chance; default 5).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.utils.translation import gettext as _
from openpyxl import Workbook

from awards.models import AwardCategory, AwardKind, AwardRecord
from awards.reports import figures
from emulation_portal.cells import xlsx_row
from units.models import BlocMembership, PersonYear, PositionLevel, Unit

DASH = "—"
RATE_AWARDS = ("LDTT", "CSTD_CS")
SPAN_DEFAULT = 4  # earlier years compared by default


def inflation_factor() -> Decimal:
    return Decimal(str(getattr(settings, "REPORTS_INFLATION_FACTOR", "1.5")))


def inflation_min_staff() -> int:
    return int(getattr(settings, "REPORTS_INFLATION_MIN_STAFF", 5))


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a fraction rounded to 4 places; None for 0/0 (shown "—")."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def shown(value):
    return DASH if value is None else value


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Summary:
    year: int
    unit: Unit | None
    first_year: int
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _bloc_of(path: str, members: list[tuple[str, str, str]]) -> tuple[str, str]:
    """The bloc (code, name) of the deepest member unit whose subtree holds ``path``."""
    best = ("", "")
    depth = -1
    for member_path, code, name in members:
        if path.startswith(member_path) and len(member_path) > depth:
            best, depth = (code, name), len(member_path)
    return best


def build(
    year,
    unit: Unit | None = None,
    first_year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Every table of the summary of ``year`` for the ministry or ``unit`` (with its
    sub-units), compared with the years from ``first_year``. Reads only; the number of
    queries grows with the span, never with units or people."""
    year = figures.check_year(year)
    first_year = figures.check_year(first_year if first_year is not None else year - SPAN_DEFAULT)
    if first_year > year:
        raise ValidationError(_("The comparison must start before the year reported on."))
    steps = (year - first_year + 1) + 2
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress:
            progress(done, steps)

    fig = figures.compute(year, unit)
    ministry = fig if unit is None else figures.compute(year)
    step()
    tables = [
        _by_award(fig),
        _by_kind(fig),
        *_by_unit_and_bloc(fig),
        _shares(fig),
        *_rates(fig, ministry),
    ]
    step()
    tables.insert(2, _comparison(year, unit, first_year, fig, step))
    return Summary(year, unit, first_year, tables)


def _by_award(fig: figures.YearFigures) -> Table:
    t = Table(
        "by_award",
        _("Awards by title and form"),
        [_("Code"), _("Award"), _("Category"), _("Individuals"), _("Collectives"), _("Total")],
    )
    persons: dict[str, int] = {}
    units: dict[str, int] = {}
    for (code, _k, _g, _l), n in fig.person_awards.items():
        persons[code] = persons.get(code, 0) + n
    for (code, _k), n in fig.unit_awards.items():
        units[code] = units.get(code, 0) + n
    for category in (AwardCategory.TITLE, AwardCategory.FORM):
        for at in sorted(fig.award_types.values(), key=lambda a: (a.order, a.code)):
            if at.category != category:
                continue
            p, u = persons.get(at.code, 0), units.get(at.code, 0)
            t.rows.append([at.code, at.name, at.get_category_display(), p, u, p + u])
    return t


def _by_kind(fig: figures.YearFigures) -> Table:
    t = Table(
        "by_kind",
        _("Awards by kind"),
        [_("Kind"), _("Individuals"), _("Collectives"), _("Total")],
    )
    for kind in AwardKind:
        p = sum(n for (_c, k, _g, _l), n in fig.person_awards.items() if k == kind)
        u = sum(n for (_c, k), n in fig.unit_awards.items() if k == kind)
        t.rows.append([str(kind.label), p, u, p + u])
    return t


def _by_unit_and_bloc(fig: figures.YearFigures) -> list[Table]:
    members = [
        (path, code, name)
        for path, code, name in BlocMembership.objects.filter(year=fig.year).values_list(
            "unit__path", "bloc__code", "bloc__name"
        )
    ]
    by_unit = Table(
        "by_unit",
        _("Awards by unit"),
        [
            _("Unit code"),
            _("Unit"),
            _("Bloc or cluster"),
            _("Staff"),
            _("Women"),
            "LDTT",
            "CSTD_CS",
            _("Other individual awards"),
            _("Collective awards"),
        ],
    )
    blocs: dict[str, list] = {}
    for u in fig.units:
        bloc_code, bloc_name = _bloc_of(u.path, members)
        ldtt = u.person_awards.get("LDTT", 0)
        cstd = u.person_awards.get("CSTD_CS", 0)
        other = sum(u.person_awards.values()) - ldtt - cstd
        collective = sum(u.unit_awards.values())
        by_unit.rows.append(
            [u.code, u.name, bloc_code or DASH, u.staff, u.women, ldtt, cstd, other, collective]
        )
        key = bloc_code or ""
        row = blocs.setdefault(key, [bloc_code or DASH, bloc_name or _("In no bloc"), 0, 0, 0, 0])
        row[2] += 1
        row[3] += u.staff
        row[4] += sum(u.person_awards.values())
        row[5] += collective
    by_bloc = Table(
        "by_bloc",
        _("Awards by bloc and cluster"),
        [
            _("Bloc code"),
            _("Bloc or cluster"),
            _("Units with staff or awards"),
            _("Staff"),
            _("Individual awards"),
            _("Collective awards"),
        ],
        rows=[blocs[k] for k in sorted(blocs, key=lambda k: (k == "", k))],
        notes=[_("A unit counts in the bloc it (or the unit above it) belonged to that year.")],
    )
    return [by_unit, by_bloc]


def _comparison(year, unit, first_year, fig, step) -> Table:
    t = Table(
        "comparison",
        _("Comparison with earlier years"),
        [
            _("Year"),
            _("Staff"),
            _("Individual awards"),
            _("Collective awards"),
            "LDTT",
            "CSTD_CS",
            _("Total"),
        ],
    )
    bounds = PersonYear.objects.aggregate(lo=Min("year"), hi=Max("year"))
    arec = AwardRecord.objects.live().aggregate(lo=Min("year"))
    oldest = min([y for y in (bounds["lo"], arec["lo"]) if y is not None], default=None)
    for y in range(first_year, year + 1):
        f = fig if y == year else figures.compute(y, unit)
        step()
        if oldest is None or y < oldest:
            t.rows.append([y, DASH, DASH, DASH, DASH, DASH, DASH])
            continue
        ind = f.individual()["total"]
        col = sum(f.unit_awards.values())
        ldtt = sum(n for (c, *_r), n in f.person_awards.items() if c == "LDTT")
        cstd = sum(n for (c, *_r), n in f.person_awards.items() if c == "CSTD_CS")
        t.rows.append([y, f.staff_figures()["total"], ind, col, ldtt, cstd, ind + col])
    if oldest is None or first_year < oldest:
        t.notes.append(
            _("—: no data for that year (the oldest data is of %(year)s).")
            % {"year": oldest or DASH}
        )
    return t


def _shares(fig: figures.YearFigures) -> Table:
    ind, staff = fig.individual(), fig.staff_figures()
    t = Table(
        "shares",
        _("Frontline workers and women: share of individual awards and of staff"),
        [
            _("Group"),
            _("Individual awards"),
            _("Share of individual awards"),
            _("Staff"),
            _("Share of staff"),
        ],
    )
    front_a = ind["by_position_level"][PositionLevel.TRUC_TIEP]
    front_s = staff["by_position_level"][PositionLevel.TRUC_TIEP]
    for label, a, s in (
        (_("Frontline workers"), front_a, front_s),
        (_("Women"), ind["women"], staff["women"]),
        (_("Everyone"), ind["total"], staff["total"]),
    ):
        t.rows.append([label, a, shown(rate(a, ind["total"])), s, shown(rate(s, staff["total"]))])
    for level in PositionLevel:
        a = ind["by_position_level"][level]
        s = staff["by_position_level"][level]
        t.rows.append(
            [str(level.label), a, shown(rate(a, ind["total"])), s, shown(rate(s, staff["total"]))]
        )
    t.notes.append(
        _("Shares are fractions (0.25 = 25%); — where there is nothing to divide by (0/0).")
    )
    return t


def _rates(fig: figures.YearFigures, ministry: figures.YearFigures) -> list[Table]:
    factor, min_staff = inflation_factor(), inflation_min_staff()
    m_staff = ministry.staff_figures()["total"]
    m_rate = {}
    for code in RATE_AWARDS:
        n = sum(c == code and v or 0 for (c, *_r), v in ministry.person_awards.items())
        m_rate[code] = rate(n, m_staff)
    columns = [_("Unit code"), _("Unit"), _("Staff")]
    for code in RATE_AWARDS:
        columns += [
            _("%(code)s rate") % {"code": code},
            _("Ministry's %(code)s rate") % {"code": code},
        ]
    columns.append(_("Far above the ministry's rate"))
    rates = Table("rates", _("Award rates against the ministry's"), columns)
    flagged = Table(
        "inflation",
        _("Units whose LDTT or CSTD_CS rate is far above the ministry's"),
        list(columns),
        notes=[
            _(
                "Listed when the unit's rate exceeds the ministry's times %(factor)s, for "
                "units of at least %(min)s people (REPORTS_INFLATION_FACTOR, "
                "REPORTS_INFLATION_MIN_STAFF)."
            )
            % {"factor": factor, "min": min_staff}
        ],
    )
    for u in fig.units:
        row = [u.code, u.name, u.staff]
        high = []
        for code in RATE_AWARDS:
            r = rate(u.person_awards.get(code, 0), u.staff)
            row += [shown(r), shown(m_rate[code])]
            if (
                r is not None
                and m_rate[code] is not None
                and u.staff >= min_staff
                and r > m_rate[code] * factor
            ):
                high.append(code)
        row.append(", ".join(high))
        rates.rows.append(row)
        if high:
            flagged.rows.append(list(row))
    return [rates, flagged]


def render_xlsx(summary: Summary) -> bytes:
    """One sheet per table; every cell through ``emulation_portal.cells`` (inert)."""
    wb = Workbook(write_only=True)
    scope = summary.unit.name if summary.unit else _("The whole ministry")
    for table in summary.tables:
        ws = wb.create_sheet(table.key[:31])
        ws.append(xlsx_row(ws, [table.title]))
        ws.append(xlsx_row(ws, [f"{scope} - {_('year')} {summary.year}"]))
        ws.append([])
        ws.append(xlsx_row(ws, table.columns))
        for row in table.rows:
            ws.append(xlsx_row(ws, row))
        if table.notes:
            ws.append([])
            for note in table.notes:
                ws.append(xlsx_row(ws, [note]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

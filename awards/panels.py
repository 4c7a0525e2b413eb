"""Panels on the person's and the unit's pages (contract 2): award history, and the "why /
why not" eligibility panel. Each panel runs a fixed number of queries."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from awards import eligibility, selectors


def _year(request) -> int:
    raw = request.GET.get("eligibility_year", "") if request is not None else ""
    return int(raw) if raw.isdigit() and 1945 <= int(raw) <= 2100 else selectors.default_year()


def person_history(request, person):
    if not request.user.has_perm("awards.view_person_awards", person):
        return None
    return "awards/panels/history.html", {"records": list(selectors.award_history(person))}


def unit_history(request, unit):
    if not request.user.has_perm("awards.view_unit_awards", unit):
        return None
    return "awards/panels/history.html", {"records": list(selectors.award_history(unit))}


def _may_propose(user, subject) -> bool:
    """The office, or an officer of the person's (current) unit or of the unit."""
    from awards.models import Nomination

    unit = getattr(subject, "unit", None) if subject.__class__.__name__ == "Person" else subject
    return unit is not None and user.has_perm("nominations.submit", Nomination(proposing_unit=unit))


def _why(request, subject):
    """Verdicts of one subject for a year: the standing ones (one query, reasons fetched
    when asked for) once a pass stored the year, else judged now with their reasons."""
    if not request.user.has_perm("awards.view_eligibility", subject):
        return None
    year = _year(request)
    stored, verdicts, problem = False, [], ""
    try:
        standing = selectors.standing(year)
        if standing.done is not None:
            verdicts = selectors.stored_for_subject(subject, year, standing.rule_set.pk)
            stored = True
        else:
            verdicts = eligibility.judge_subject(year, subject)
        verdicts = selectors.with_status(verdicts, year)
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    return "awards/panels/why.html", {
        "can_propose": _may_propose(request.user, subject),
        "verdicts": verdicts,
        "stored": stored,
        "subject_type": "unit" if subject.__class__.__name__ == "Unit" else "person",
        "code": subject.code,
        "year": year,
        "years": selectors.judgeable_years(),
        "problem": problem,
        "path": request.path,
    }


def person_why(request, person):
    return _why(request, person)


def unit_why(request, unit):
    return _why(request, unit)


def register() -> None:
    from units.panels import register_person_panel, register_unit_panel

    register_person_panel("awards.history", 40, person_history)
    register_person_panel("awards.eligibility", 50, person_why)
    register_unit_panel("awards.history", 40, unit_history)
    register_unit_panel("awards.eligibility", 50, unit_why)

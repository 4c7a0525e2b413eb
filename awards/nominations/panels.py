"""A panel on the person's and the unit's pages (contract 2): the nominations of that
nominee the reader may see, newest first. One query."""

from awards.nominations import selectors


def _panel(request, **nominee):
    user = getattr(request, "user", None)
    if not (user and user.has_perm("nominations.browse")):
        return None
    rows = list(
        selectors.visible(user)
        .filter(**nominee)
        .select_related("award_type", "proposing_unit")
        .order_by("-year", "award_type__order", "-id")[:20]
    )
    if not rows:
        return None
    return "awards/nominations/_panel.html", {"nominations": rows}


def person_nominations(request, person):
    return _panel(request, person=person)


def unit_nominations(request, unit):
    return _panel(request, unit=unit)


def register() -> None:
    from units.panels import register_person_panel, register_unit_panel

    register_person_panel("nominations", 60, person_nominations)
    register_unit_panel("nominations", 60, unit_nominations)

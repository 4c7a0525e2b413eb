"""A person's initiatives and accepted projects: add, edit, delete."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.text import nfc
from emulation_portal.validators import TITLE_MAX, check_name
from units.models import Initiative, InitiativeKind, InitiativeScope, Person
from units.services.common import _check_choice, _stored, check_year

# -- initiatives ---------------------------------------------------------------------------
INITIATIVE_FIELDS = ["year", "title", "kind", "scope", "recognized_on", "recognized_by"]


def _check_initiative(i: Initiative, stored: dict | None = None) -> None:
    stored = stored or {}
    i.year = check_year(i.year)
    i.title = " ".join(nfc(i.title).split())
    if not i.title:
        raise ValidationError({"title": _("The title is required.")})
    check_name(i.title, "title", TITLE_MAX, unchanged_from=stored.get("title"))
    i.recognized_by = nfc(i.recognized_by).strip()
    check_name(i.recognized_by, "recognized_by", 300, unchanged_from=stored.get("recognized_by"))
    _check_choice(i.kind, InitiativeKind, "kind")
    _check_choice(i.scope, InitiativeScope, "scope")
    if i.recognized_on and not (i.year - 1 <= i.recognized_on.year <= i.year + 3):
        raise ValidationError(
            {"recognized_on": _("The recognition date is far from the initiative's year.")}
        )
    if i.recognized_on and i.recognized_on > timezone.localdate():
        raise ValidationError({"recognized_on": _("The recognition date is in the future.")})
    clash = Initiative.objects.filter(person=i.person, year=i.year, title=i.title)
    if i.pk:
        clash = clash.exclude(pk=i.pk)
    if clash.exists():
        raise ValidationError(_("This initiative is already recorded for that year."))


@transaction.atomic
def add_initiative(
    actor,
    *,
    person: Person,
    year: int,
    title: str,
    scope: str,
    kind: str = InitiativeKind.INITIATIVE,
    recognized_on: dt.date | None = None,
    recognized_by: str = "",
) -> Initiative:
    """Record an initiative or scientific project of ``person``."""
    i = Initiative(
        person=person,
        year=year,
        title=title,
        scope=scope,
        kind=kind,
        recognized_on=recognized_on,
        recognized_by=recognized_by or "",
    )
    _check_initiative(i)
    i.save()
    audit.record(actor, "person.initiative_add", i, after=audit.snapshot(i, INITIATIVE_FIELDS))
    return i


@transaction.atomic
def update_initiative(actor, initiative: Initiative, **changes) -> Initiative:
    """Change an initiative's details."""
    i = Initiative.objects.select_for_update().get(pk=initiative.pk)
    stored = _stored(i, ["title", "recognized_by"])
    audit.apply_changes(
        actor,
        "person.initiative_update",
        i,
        INITIATIVE_FIELDS,
        changes,
        check=lambda i: _check_initiative(i, stored),
    )
    return i


@transaction.atomic
def delete_initiative(actor, initiative: Initiative) -> None:
    """Delete an initiative entered by mistake."""
    i = Initiative.objects.select_for_update().get(pk=initiative.pk)
    audit.record(actor, "person.initiative_delete", i, before=audit.snapshot(i, INITIATIVE_FIELDS))
    i.delete()

"""Public disclosure (công khai) of nominees, objections raised and answered."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Disclosure,
    Nomination,
    Objection,
)
from awards.nominations import tasks
from awards.nominations.services.common import (
    S,
    _clean_text,
    _lock,
    _require,
)
from awards.nominations.services.duties import require_independent
from emulation_portal import audit
from emulation_portal.jobs import enqueue

# --------------------------------------------------------------------------- disclosure


@transaction.atomic
def publish_disclosure(
    actor, *, title: str, year: int, starts_on: dt.date, ends_on: dt.date, nominations
) -> Disclosure:
    """Publish nominees for comment (công khai) over a period. Only nominations submitted or
    under review can be published."""
    _require(actor, "nominations.disclose")
    title = _clean_text(title)
    if not title:
        raise ValidationError({"title": _("Give the disclosure a title.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    ids = [n.pk for n in nominations]
    if not ids:
        raise ValidationError(_("Choose at least one nomination to publish."))
    rows = list(Nomination.objects.select_for_update().filter(pk__in=ids))
    wrong = [n for n in rows if n.state not in (S.SUBMITTED, S.UNDER_REVIEW)]
    if wrong or len(rows) != len(set(ids)):
        raise ValidationError(
            _("Only submitted nominations or nominations under review can be published.")
        )
    disclosure = Disclosure.objects.create(
        title=title, year=year, starts_on=starts_on, ends_on=ends_on, published_by=actor
    )
    disclosure.nominations.set(rows)
    audit.record(
        actor,
        "disclosure.publish",
        disclosure,
        after={"from": starts_on, "until": ends_on, "nominations": sorted(ids)},
    )
    return disclosure


@transaction.atomic
def raise_objection(actor, nomination: Nomination, *, text: str) -> Objection:
    """A staff member objects to a nominee while a disclosure listing it is open."""
    n = _lock(nomination)
    _require(actor, "nominations.object", n)
    text = _clean_text(text)
    if not text:
        raise ValidationError({"text": _("Write your objection.")})
    today = timezone.localdate()
    disclosure = (
        n.disclosures.filter(starts_on__lte=today, ends_on__gte=today).order_by("-id").first()
    )
    if disclosure is None:
        raise ValidationError(_("No disclosure listing this nomination is open today."))
    objection = Objection.objects.create(
        disclosure=disclosure, nomination=n, text=text, author=actor
    )
    audit.record(actor, "objection.raise", n, after={"objection": objection.pk, "text": text})
    enqueue(tasks.notify_nomination, n.pk, "objection")
    return objection


@transaction.atomic
def answer_objection(actor, objection: Objection, *, answer: str) -> Objection:
    """The office answers an objection (once; the answer is on record)."""
    require_independent(actor, objection.nomination)
    _require(actor, "nominations.answer_objection", objection.nomination)
    answer = _clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    updated = Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
        answer=answer, answered_by=actor, answered_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This objection has already been answered."))
    objection.refresh_from_db()
    audit.record(
        actor,
        "objection.answer",
        objection.nomination,
        after={"objection": objection.pk, "answer": answer},
    )
    return objection

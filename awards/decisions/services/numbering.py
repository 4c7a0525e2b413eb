"""Decision numbers (NĐ 30/2020 art. 15): from 01 on 1 January, per issuer, symbol and
year, given at signing. A counter row per (issuer, symbol, year) is created if missing
(INSERT ... ON CONFLICT DO NOTHING, so two first signings of a year cannot both create it)
and then locked: the number is taken inside the signing transaction, so a signing that
fails gives its number back with its rollback, and two signings wait for each other."""

from __future__ import annotations

from django.db.models import F

from awards.models import DecisionCounter, DecisionIssuer


def next_number(issuer: DecisionIssuer, symbol: str, year: int) -> int:
    """Take the next number for (issuer, symbol, year); call inside the signing
    transaction."""
    DecisionCounter.objects.bulk_create(
        [DecisionCounter(issuer=issuer, symbol=symbol, year=year, last_number=0)],
        ignore_conflicts=True,
    )
    counter = DecisionCounter.objects.select_for_update().get(
        issuer=issuer, symbol=symbol, year=year
    )
    DecisionCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return counter.last_number + 1

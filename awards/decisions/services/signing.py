"""The decision's one transition function and its table: draft -> signed -> published,
and signed/published -> replaced when a replacing decision is signed.

Signing, in one transaction: lock the decision, the nominations of its list (by id, so two
signings never deadlock) and the number counter; check every nomination is still approved
(on a replacing decision, or conferred by the decision it replaces); give the number;
compute the prize money on the decision's date; supersede the replaced decision's award
records and create the new ones; move the nominations to ``decided``; audit; render the
PDF after commit. Anything refused leaves nothing behind, the number included."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.decisions import tasks
from awards.decisions.services.common import clean, conflict, issuer_may_confer, lock, require
from awards.decisions.services.numbering import next_number
from awards.decisions.services.prizes import PrizeTable
from awards.models import (
    AwardRecord,
    Decision,
    DecisionItem,
    DecisionState,
    InitiativeUse,
    Nomination,
    NominationState,
    RecordSource,
)
from awards.nominations import services as nomination_services
from emulation_portal import audit
from emulation_portal.jobs import enqueue

D = DecisionState
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Move:
    sources: frozenset
    target: str
    perm: str
    internal: bool = False


MOVES: dict[str, Move] = {
    "sign": Move(frozenset({D.DRAFT}), D.SIGNED, "decisions.manage"),
    "publish": Move(frozenset({D.SIGNED}), D.PUBLISHED, "decisions.manage"),
    # Taken only by signing the replacing decision.
    "replace": Move(frozenset({D.SIGNED, D.PUBLISHED}), D.REPLACED, "decisions.manage", True),
}


@transaction.atomic
def transition(
    actor,
    decision: Decision,
    move: str,
    *,
    date: dt.date | None = None,
    signature_reference: str = "",
    signed_file_sha256: str = "",
    version: int | None = None,
    replaced_by: Decision | None = None,
) -> Decision:
    """The one way a decision changes state: looks ``move`` up in ``MOVES``, locks the
    row, checks the permission and the state, does the move's work, records
    ``decision.<move>`` in the audit log and starts the rendering after commit.
    ``version`` (optional) refuses a stale page."""
    spec = MOVES.get(move)
    if spec is None:
        raise ValidationError(_("Unknown step: %(move)s.") % {"move": move}, code="unknown_move")
    if spec.internal and replaced_by is None:
        raise ValidationError(
            _("A decision is replaced by signing its replacing decision."), code="internal"
        )
    d = lock(decision)
    require(actor, spec.perm, d)
    if version is not None and int(version) != d.version:
        raise conflict()
    if d.state not in spec.sources:
        raise ValidationError(
            _("This step is not possible while the decision is “%(state)s”.")
            % {"state": d.get_state_display()},
            code="bad_state",
        )
    before = {"state": d.state, "version": d.version}
    now = timezone.now()
    updates: dict = {"state": spec.target, "version": d.version + 1}
    extra: dict = {}
    if move == "sign":
        extra = _sign(actor, d, date, signature_reference, signed_file_sha256, now, updates)
    elif move == "publish":
        updates["published_at"] = now
    elif move == "replace":
        superseded = (
            AwardRecord.objects.live()
            .filter(decision=d)
            .update(superseded_at=now, superseded_by=replaced_by)
        )
        extra = {"replaced_by": replaced_by.pk, "records_superseded": superseded}
    changed = Decision.objects.filter(pk=d.pk, state=d.state).update(**updates)
    if changed != 1:  # the lock makes this impossible; kept as a guard
        raise conflict()
    d.refresh_from_db()
    audit.record(actor, f"decision.{move}", d, before=before, after={"state": d.state, **extra})
    if move == "sign":
        enqueue(tasks.render_decision, d.pk)
    return d


def _sign(actor, d: Decision, date, signature_reference, signed_file_sha256, now, updates):
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise ValidationError(_("A decision cannot be signed with a date in the future."))
    old = d.replaces
    if old is not None:
        if old.state not in (D.SIGNED, D.PUBLISHED):
            raise ValidationError(
                _("The decision this one replaces is “%(state)s”: it can no longer be replaced.")
                % {"state": old.get_state_display()},
                code="bad_state",
            )
        if date < old.date:
            raise ValidationError(
                _("A replacing decision cannot be dated before the decision it replaces.")
            )
    signature_reference = clean(signature_reference)[:300]
    signed_file_sha256 = clean(signed_file_sha256).lower()
    if signed_file_sha256 and not SHA256.match(signed_file_sha256):
        raise ValidationError(_("The SHA-256 of the signed file is 64 hexadecimal characters."))
    items = list(d.items.order_by("order"))
    if not items:
        raise ValidationError(_("The decision's list is empty."), code="empty")
    nominations = {
        n.pk: n
        for n in Nomination.objects.select_for_update(of=("self",))
        .select_related("award_type", "proposing_unit", "person", "unit")
        .filter(pk__in=[i.nomination_id for i in items])
        .order_by("pk")
    }
    carried = set(old.items.values_list("nomination_id", flat=True)) if old is not None else set()
    problems = []
    for item in items:
        n = nominations[item.nomination_id]
        ok_state = n.state == NominationState.APPROVED or (
            n.pk in carried and n.state == NominationState.DECIDED
        )
        if not ok_state:
            problems.append(
                _("%(who)s (%(award)s %(year)s) is “%(state)s”, no longer approved.")
                % {
                    "who": n.nominee,
                    "award": n.award_type.code,
                    "year": n.year,
                    "state": n.get_state_display(),
                }
            )
        elif not issuer_may_confer(d.issuer, n) and n.pk not in carried:
            problems.append(
                _("%(who)s: %(issuer)s does not confer %(award)s.")
                % {"who": n.nominee, "issuer": d.issuer.name, "award": n.award_type.code}
            )
    if problems:
        raise ValidationError(
            [_("The decision cannot be signed: remove these from its list first.")] + problems,
            code="not_approved",
        )
    number = next_number(d.issuer, d.symbol, date.year)
    reference = f"{number:02d}/{d.symbol}"
    table = PrizeTable(date)
    total = 0
    for item in items:
        n = nominations[item.nomination_id]
        prize = table.prize(n.award_type, n.subject_type)
        values = (
            {"multiple": prize.multiple, "base_salary": prize.base_salary, "amount": prize.amount}
            if prize
            else {"multiple": None, "base_salary": None, "amount": None}
        )
        DecisionItem.objects.filter(pk=item.pk).update(**values)
        total += values["amount"] or 0
    if old is not None:
        transition(actor, old, "replace", replaced_by=d)
    created = _create_records(actor, d, items, nominations, reference, date, now)
    for item in items:
        n = nominations[item.nomination_id]
        if n.state == NominationState.APPROVED:
            nomination_services.transition(actor, n, "decide", internal=True, note=reference)
    if old is not None:
        kept = {i.nomination_id for i in items}
        for nomination_id in sorted(carried - kept):
            n = Nomination.objects.get(pk=nomination_id)
            if n.state == NominationState.DECIDED:
                nomination_services.transition(actor, n, "undecide", internal=True, note=reference)
    updates.update(
        number=number,
        year=date.year,
        date=date,
        signed_at=now,
        signed_by=actor,
        signature_reference=signature_reference,
        signed_file_sha256=signed_file_sha256,
    )
    return {
        "number": reference,
        "date": date.isoformat(),
        "records": created,
        "prize_total": total,
        "replaces": old.pk if old else None,
    }


def _create_records(actor, d, items, nominations, reference, date, now) -> list[int]:
    records = []
    for item in items:
        n = nominations[item.nomination_id]
        subject = {"person": n.person} if n.person_id else {"unit": n.unit}
        clash = (
            AwardRecord.objects.live()
            .filter(**subject, award_type=n.award_type, year=n.year, kind=n.kind)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _(
                    "%(who)s already holds %(award)s %(year)s (record %(ref)s): remove them "
                    "from the list or correct that record first."
                )
                % {
                    "who": n.nominee,
                    "award": n.award_type.code,
                    "year": n.year,
                    "ref": clash.decision_number or clash.get_source_display(),
                },
                code="already_held",
            )
        try:
            with transaction.atomic():
                record = AwardRecord.objects.create(
                    **subject,
                    award_type=n.award_type,
                    year=n.year,
                    kind=n.kind,
                    decision=d,
                    decision_number=reference,
                    decision_date=date,
                    source=RecordSource.DECISION,
                    created_by=actor,
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("%(who)s already holds %(award)s %(year)s.")
                % {"who": n.nominee, "award": n.award_type.code, "year": n.year}
            ) from exc
        records.append(record.pk)
        if n.initiative_id:
            _use_initiative(n, record)
    return records


def _use_initiative(n: Nomination, record: AwardRecord) -> None:
    """One initiative, one reward (principle 6): the decision's record takes the
    initiative's use; a replacing decision's record takes it over from the replaced one."""
    use = InitiativeUse.objects.select_for_update().filter(initiative_id=n.initiative_id).first()
    if use is None:
        InitiativeUse.objects.create(
            initiative_id=n.initiative_id, award_type=n.award_type, year=n.year, award_record=record
        )
        return
    previous = use.award_record
    superseded = previous is not None and previous.superseded_at is not None
    if not superseded and (use.award_type_id, use.year) != (n.award_type_id, n.year):
        raise ValidationError(
            _(
                "The initiative of %(who)s already supports %(award)s %(year)s; one "
                "initiative may support only one reward."
            )
            % {"who": n.nominee, "award": use.award_type.code, "year": use.year}
        )
    InitiativeUse.objects.filter(pk=use.pk).update(
        award_record=record, award_type=n.award_type, year=n.year
    )


def sign(actor, decision: Decision, **kwargs) -> Decision:
    return transition(actor, decision, "sign", **kwargs)


def publish(actor, decision: Decision, **kwargs) -> Decision:
    return transition(actor, decision, "publish", **kwargs)


def total_prize(decision: Decision) -> int:
    return sum(decision.items.exclude(amount=None).values_list("amount", flat=True))

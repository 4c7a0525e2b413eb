"""Submission letters (tờ trình) built from the engine's eligible people, submitted in one
step, and a bloc's acclamation proposals turned into nominations."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awards import eligibility, selectors
from awards.models import (
    AwardKind,
    AwardRecord,
    AwardType,
    Batch,
    Nomination,
)
from awards.models.nominations import DEAD_STATES, EDITABLE_STATES
from awards.nominations.services.common import (
    _clean_text,
    _require,
    level_for,
)
from awards.nominations.services.drafting import (
    _check_new,
    _held,
    _live_exists,
    create_nomination,
)
from awards.nominations.services.duties import note_proposer
from awards.nominations.services.transitions import BulkResult, bulk_transition
from emulation_portal import audit
from units.models import BlocMembership, BlocRole, Unit

# --------------------------------------------------------------------------- batches


@dataclass
class BuildResult:
    batch: Batch
    created: int
    skipped: int


@transaction.atomic
def build_batch(
    actor,
    *,
    proposing_unit: Unit,
    award_type: AwardType,
    year: int,
    campaign=None,
    title: str = "",
    number: str = "",
    person_ids: list[int] | None = None,
) -> BuildResult:
    """Make a submission letter for ``award_type`` and fill it in one step with a draft
    nomination for every person of the unit's subtree the engine finds eligible (people who
    already have a live nomination, or already received the award for the year, are
    skipped). With ``person_ids`` (the rows selected on the eligibility list) only those
    people are taken; the selected ones not eligible or outside the subtree count as
    skipped. The officer then trims the list."""
    _require(actor, "nominations.submit", Nomination(proposing_unit=proposing_unit))
    if not award_type.applies_to("person"):
        raise ValidationError({"award_type": _("Batches are built for people's awards.")})
    _check_new(
        person=True,
        unit=None,
        award_type=award_type,
        year=year,
        proposing_unit=proposing_unit,
        kind=AwardKind.CONG_TRANG,
    )
    unit_ids = list(
        Unit.objects.filter(path__startswith=proposing_unit.path).values_list("pk", flat=True)
    )
    batch = Batch.objects.create(
        proposing_unit=proposing_unit,
        year=year,
        award_type=award_type,
        campaign=campaign,
        number=_clean_text(number)[:60],
        title=_clean_text(title)
        or _("Nominations for %(award)s %(year)s") % {"award": award_type.name_vi, "year": year},
        created_by=actor,
    )
    # The standing verdicts once a pass stored the year (one query); the engine until then.
    eligible_ids = selectors.stored_eligible_people(year, award_type, unit_ids)
    if eligible_ids is None:
        eligible_ids = [
            v.subject_id
            for v in eligibility.judge(
                year, subject_type="person", award_codes=[award_type.code], unit_ids=unit_ids
            )
            if v.eligible
        ]
    left_out = 0
    if person_ids is not None:
        selected = set(person_ids)
        eligible_ids = [pid for pid in eligible_ids if pid in selected]
        left_out = len(selected) - len(eligible_ids)
    taken = set(
        Nomination.objects.filter(award_type=award_type, year=year, person_id__in=eligible_ids)
        .exclude(state__in=DEAD_STATES)
        .values_list("person_id", flat=True)
    ) | set(
        AwardRecord.objects.live()
        .filter(
            award_type=award_type,
            year=year,
            kind=AwardKind.CONG_TRANG,
            person_id__in=eligible_ids,
        )
        .values_list("person_id", flat=True)
    )
    history: dict[int, list[str]] = {}
    for pid, y, name, ref in (
        AwardRecord.objects.live()
        .filter(person_id__in=eligible_ids, year__lt=year)
        .order_by("year", "award_type__order")
        .values_list("person_id", "year", "award_type__name_vi", "decision_number")
    ):
        history.setdefault(pid, []).append(f"{y}: {name}" + (f" ({ref})" if ref else ""))
    level = level_for(award_type)
    who = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        Nomination(
            person_id=pid,
            award_type=award_type,
            kind=AwardKind.CONG_TRANG,
            year=year,
            campaign=campaign,
            proposing_unit=proposing_unit,
            level=level,
            batch=batch,
            created_by=who,
            rewards_received="\n".join(history.get(pid, [])),
        )
        for pid in eligible_ids
        if pid not in taken
    ]
    try:
        with transaction.atomic():
            Nomination.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        raise ValidationError(
            _("Another nomination for one of these people was created meanwhile; try again.")
        ) from None
    note_proposer(actor, batch.nominations.values_list("pk", flat=True))
    audit.record(
        actor,
        "batch.build",
        batch,
        after={
            "award": award_type.code,
            "year": year,
            "unit": proposing_unit.code,
            "created": len(rows),
            "skipped": len(taken) + left_out,
        },
    )
    return BuildResult(batch, len(rows), len(taken) + left_out)


def submit_batch(actor, batch: Batch) -> BulkResult:
    """Submit every draft or returned nomination of the letter; each one is checked on
    its own and refusals are reported."""
    nominations = list(batch.nominations.filter(state__in=EDITABLE_STATES).order_by("id"))
    return bulk_transition(actor, nominations, "submit")


@dataclass
class ProposalResult:
    created: list[Nomination]
    skipped: int


@transaction.atomic
def nominations_from_proposals(actor, *, bloc, year: int, campaign=None) -> ProposalResult:
    """Turn the bloc's acclamation proposals for ``year`` into draft nominations in one
    step, proposed by the unit leading the bloc that year. A proposal already turned into a
    live nomination is skipped; so is a unit that already received the award for the year,
    and an award code the catalogue lacks."""
    from campaigns.models import AcclamationProposal

    _require(actor, "nominations.from_proposals")
    leader = (
        BlocMembership.objects.filter(bloc=bloc, year=year, role=BlocRole.LEADER)
        .select_related("unit")
        .first()
    )
    if leader is None:
        raise ValidationError(
            _("%(bloc)s has no leader recorded for %(year)s.") % {"bloc": bloc, "year": year}
        )
    types = {t.code: t for t in AwardType.objects.all()}
    created, skipped = [], 0
    for proposal in AcclamationProposal.objects.filter(bloc=bloc, year=year).select_related("unit"):
        award_type = types.get(proposal.award_code)
        if (
            award_type is None
            or _live_exists(person=None, unit=proposal.unit, award_type=award_type, year=year)
            or _held(
                person=None,
                unit=proposal.unit,
                award_type=award_type,
                year=year,
                kind=AwardKind.CONG_TRANG,
            )
        ):
            skipped += 1
            continue
        created.append(
            create_nomination(
                actor,
                award_type=award_type,
                year=year,
                proposing_unit=leader.unit,
                unit=proposal.unit,
                campaign=campaign,
                acclamation=proposal,
            )
        )
    audit.record(
        actor,
        "nomination.from_proposals",
        bloc,
        after={"year": year, "created": [n.pk for n in created], "skipped": skipped},
    )
    return ProposalResult(created, skipped)

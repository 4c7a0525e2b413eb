"""The year-end meeting's votes (acclamation, election) and its recorded result."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import (
    AcclamationProposal,
    AcclamationVote,
    AwardCode,
    BlocMeeting,
    ElectionVote,
    MeetingKind,
    RankingEntry,
)
from campaigns.services.common import _members, _require, _when
from emulation_portal import audit
from units.models import BlocMembership, BlocRole, Unit


def _voting_checks(actor, meeting: BlocMeeting, voting_unit: Unit, candidate: Unit):
    _require(actor, "campaigns.vote", meeting)
    if not selectors.covers_unit(actor, voting_unit):
        raise PermissionDenied(_("You can only vote for your own unit."))
    meeting = BlocMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.kind != MeetingKind.YEAR_END:
        raise ValidationError(_("Votes are cast at the year-end meeting."))
    if meeting.result_recorded_at:
        raise ValidationError(_("The result of this meeting is recorded; voting is closed."))
    members = {m.unit_id for m in _members(meeting.bloc_id, meeting.year)}
    if voting_unit.pk not in members:
        raise ValidationError(
            _("%(unit)s is not a member of this bloc and cannot vote.") % {"unit": voting_unit}
        )
    if candidate.pk not in members:
        raise ValidationError(
            {"candidate": _("%(unit)s is not a member of this bloc.") % {"unit": candidate}}
        )
    return meeting


@transaction.atomic
def cast_acclamation_vote(
    actor, meeting: BlocMeeting, *, voting_unit: Unit, award_code: str, candidate: Unit
) -> AcclamationVote:
    """``voting_unit`` puts ``candidate`` forward for ``award_code`` (one vote per unit and
    award; a second vote is refused by the database)."""
    if award_code not in AwardCode.values:
        raise ValidationError({"award_code": _("Unknown award.")})
    meeting = _voting_checks(actor, meeting, voting_unit, candidate)
    try:
        with transaction.atomic():
            vote = AcclamationVote.objects.create(
                meeting=meeting,
                voting_unit=voting_unit,
                award_code=award_code,
                candidate=candidate,
                cast_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s has already voted for this award.") % {"unit": voting_unit}
        ) from None
    audit.record(
        actor,
        "meeting.acclamation_vote",
        vote,
        after={"voting_unit": voting_unit.code, "award": award_code, "candidate": candidate.code},
    )
    return vote


@transaction.atomic
def cast_election_vote(
    actor, meeting: BlocMeeting, *, voting_unit: Unit, office: str, candidate: Unit
) -> ElectionVote:
    """``voting_unit`` votes for next year's leader or deputy (one vote each)."""
    if office not in (BlocRole.LEADER, BlocRole.DEPUTY):
        raise ValidationError({"office": _("Vote for the leader or the deputy.")})
    meeting = _voting_checks(actor, meeting, voting_unit, candidate)
    try:
        with transaction.atomic():
            vote = ElectionVote.objects.create(
                meeting=meeting,
                voting_unit=voting_unit,
                office=office,
                candidate=candidate,
                cast_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s has already voted for this office.") % {"unit": voting_unit}
        ) from None
    audit.record(
        actor,
        "meeting.election_vote",
        vote,
        after={"voting_unit": voting_unit.code, "office": office, "candidate": candidate.code},
    )
    return vote


def tally(votes, rank_of: dict[int, int]) -> list[tuple[int, int]]:
    """(candidate id, votes) by votes desc, ties by the bloc's ranking, then id."""
    counts: dict[int, int] = {}
    for candidate_id in votes:
        counts[candidate_id] = counts.get(candidate_id, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], rank_of.get(kv[0], 10**6), kv[0]))


@dataclass
class MeetingResult:
    proposals: list[AcclamationProposal]
    leader: Unit | None
    deputy: Unit | None
    next_year: list[BlocMembership]


@transaction.atomic
def record_meeting_result(actor, meeting: BlocMeeting, *, at=None) -> MeetingResult:
    """Close the year-end vote and record its result:

    - each unit has one vote per award. Candidates are put forward by votes, best first, up
      to the meeting's slots (``flag_slots`` for CO_BO, ``bk_slots`` for BK_BO); ties in
      votes go to the better rank in the bloc's ranking; a CO_BO candidate also needs more
      than half of the votes cast for the flag;
    - next year's leader and deputy are the candidates with most votes (same tie-break;
      the deputy cannot be the leader); next year's memberships are created through the
      registry's bloc services (members carried forward, then the two roles).
    Leaves ``AcclamationProposal`` rows for the nominations workflow."""
    _require(actor, "campaigns.run_bloc", meeting)
    from units import services as unit_services

    meeting = BlocMeeting.objects.select_for_update().select_related("bloc").get(pk=meeting.pk)
    if meeting.kind != MeetingKind.YEAR_END:
        raise ValidationError(_("Only a year-end meeting has a vote result."))
    if meeting.result_recorded_at:
        raise ValidationError(_("The result of this meeting is already recorded."))
    rank_of = dict(
        RankingEntry.objects.filter(
            ranking__bloc_id=meeting.bloc_id, ranking__year=meeting.year
        ).values_list("unit_id", "rank")
    )
    units = {m.unit_id: m.unit for m in _members(meeting.bloc_id, meeting.year)}
    proposals = []
    votes = list(meeting.votes.values_list("award_code", "candidate_id"))
    election = list(meeting.election_votes.values_list("office", "candidate_id"))
    # A unit removed from the bloc after votes named it: the office must settle those votes
    # (a proposal or an office for a non-member would be wrong either way).
    strays = {c for _a, c in votes + election} - set(units)
    if strays:
        names = ", ".join(sorted(u.code for u in Unit.objects.filter(pk__in=strays)))
        raise ValidationError(
            _("Votes name units that are no longer members of the bloc this year: %(units)s.")
            % {"units": names}
        )
    for code, slots in ((AwardCode.CO_BO, meeting.flag_slots), (AwardCode.BK_BO, meeting.bk_slots)):
        cast = [c for a, c in votes if a == code]
        ranked = tally(cast, rank_of)
        if code == AwardCode.CO_BO:  # the flag needs a majority of the votes cast
            ranked = [(c, n) for c, n in ranked if 2 * n > len(cast)]
        chosen = ranked[:slots]
        for candidate_id, n in chosen:
            proposals.append(
                AcclamationProposal.objects.create(
                    bloc_id=meeting.bloc_id,
                    year=meeting.year,
                    unit=units[candidate_id],
                    award_code=code,
                    votes=n,
                    voters=len(cast),
                    meeting=meeting,
                )
            )
    leader_tally = tally([c for o, c in election if o == BlocRole.LEADER], rank_of)
    leader_id = leader_tally[0][0] if leader_tally else None
    deputy_tally = [
        row
        for row in tally([c for o, c in election if o == BlocRole.DEPUTY], rank_of)
        if row[0] != leader_id
    ]
    deputy_id = deputy_tally[0][0] if deputy_tally else None
    next_year = meeting.year + 1
    bloc = meeting.bloc
    unit_services.carry_bloc_forward(actor, bloc=bloc, year=meeting.year)
    for office, unit_id in ((BlocRole.LEADER, leader_id), (BlocRole.DEPUTY, deputy_id)):
        if not unit_id:
            continue
        # a holder already named for next year (e.g. by decision) steps down to member
        for holder in (
            BlocMembership.objects.filter(bloc=bloc, year=next_year, role=office)
            .exclude(unit_id=unit_id)
            .select_related("unit")
        ):
            unit_services.set_bloc_role(
                actor, bloc=bloc, year=next_year, unit=holder.unit, role=BlocRole.MEMBER
            )
        if not BlocMembership.objects.filter(bloc=bloc, year=next_year, unit_id=unit_id).exists():
            unit_services.add_bloc_member(
                actor, bloc=bloc, year=next_year, unit=units[unit_id], role=BlocRole.MEMBER
            )
        unit_services.set_bloc_role(
            actor, bloc=bloc, year=next_year, unit=units[unit_id], role=office
        )
    meeting.result_recorded_at = _when(at)
    meeting.save(update_fields=["result_recorded_at"])
    audit.record(
        actor,
        "meeting.record_result",
        meeting,
        after={
            "proposals": [(p.award_code, p.unit.code, p.votes, p.voters) for p in proposals],
            "leader": leader_id and units[leader_id].code,
            "deputy": deputy_id and units[deputy_id].code,
            "next_year": next_year,
        },
    )
    next_members = list(
        BlocMembership.objects.filter(bloc=bloc, year=next_year).select_related("unit")
    )
    return MeetingResult(
        proposals=proposals,
        leader=units.get(leader_id),
        deputy=units.get(deputy_id),
        next_year=next_members,
    )

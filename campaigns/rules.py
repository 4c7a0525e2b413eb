"""Who may do what in campaigns.

- The office oversees everything: campaigns, registrations, every bloc's pledge, scores,
  rankings and meetings (read), launching and closing campaigns, reminders, extensions.
- Only the bloc leader's officer (an officer covering the unit that leads the bloc that
  year) runs the bloc: pledge text and criteria, signing, score review, ranking, meetings,
  and recording the year-end result.
- Separation of duties: the leader's officer adjusts the other members' scores, never
  those of a unit they serve (their own unit's self-assessment); the leading unit's own
  scores are adjusted by the emulation office.
- A member unit's officer signs, scores and votes only for its own unit (the services check
  the unit; the predicates here check that the user serves some member of the bloc).
- Every staff member sees campaigns and published rankings.
"""

import rules

from campaigns import selectors
from emulation_portal.permissions import is_office, is_staff_member, is_unit_officer


def _by(obj):
    return selectors.bloc_year_of(obj)


@rules.predicate
def is_bloc_leader_officer(user, obj) -> bool:
    """``user`` serves the unit leading ``obj``'s bloc in ``obj``'s year."""
    key = _by(obj)
    return bool(key) and selectors.is_leader_officer(user, *key)


@rules.predicate
def is_bloc_member_officer(user, obj) -> bool:
    """``user`` serves a member unit of ``obj``'s bloc in ``obj``'s year."""
    key = _by(obj)
    return bool(key) and selectors.is_member_officer(user, *key)


@rules.predicate
def covers_registration_unit(user, obj) -> bool:
    """``obj`` is a Registration or a Unit in the user's scope."""
    unit = getattr(obj, "unit", obj)
    return bool(unit is not None and hasattr(unit, "path")) and selectors.covers_unit(user, unit)


@rules.predicate
def serves_scored_unit(user, score) -> bool:
    """``user`` serves the unit whose score this is (its officers enter it)."""
    unit = getattr(score, "unit", None)
    return bool(unit is not None and hasattr(unit, "path")) and selectors.covers_unit(user, unit)


@rules.predicate
def is_leading_units_score(user, score) -> bool:
    """The score is the one of the unit leading the bloc that year (one query)."""
    from units.models import BlocMembership, BlocRole

    key = _by(score)
    unit_id = getattr(score, "unit_id", None)
    return (
        bool(key and unit_id)
        and BlocMembership.objects.filter(
            bloc_id=key[0], year=key[1], unit_id=unit_id, role=BlocRole.LEADER
        ).exists()
    )


@rules.predicate
def is_published_ranking(user, obj) -> bool:
    return bool(obj is not None and getattr(obj, "published_at", None))


is_bloc_participant = is_bloc_leader_officer | is_bloc_member_officer

rules.add_perm("campaigns.browse", is_staff_member)
rules.add_perm("campaigns.manage_campaign", is_office)
rules.add_perm("campaigns.view_all", is_office)
rules.add_perm("campaigns.remind", is_office)
rules.add_perm("campaigns.extend_deadline", is_office)
rules.add_perm("campaigns.register", is_unit_officer)
rules.add_perm("campaigns.edit_registration", is_unit_officer & covers_registration_unit)
rules.add_perm("campaigns.see_registration", is_office | covers_registration_unit)
rules.add_perm("campaigns.my_blocs", is_unit_officer)
rules.add_perm("campaigns.view_bloc_year", is_office | is_bloc_participant)
rules.add_perm("campaigns.run_bloc", is_bloc_leader_officer)
rules.add_perm("campaigns.sign_pledge", is_bloc_member_officer)
rules.add_perm("campaigns.score", is_bloc_member_officer)
rules.add_perm(
    "campaigns.adjust_score",
    (is_bloc_leader_officer & ~serves_scored_unit) | (is_office & is_leading_units_score),
)
rules.add_perm("campaigns.vote", is_bloc_member_officer)
rules.add_perm("campaigns.see_ranking", is_office | is_bloc_participant | is_published_ranking)

# Django admin: office staff browse (admin actions go through services).
rules.add_perm("campaigns", is_office)
for _model in (
    "campaign",
    "phase",
    "phaseextension",
    "registration",
    "registrationentry",
    "pledge",
    "criterion",
    "signature",
    "score",
    "ranking",
    "rankingentry",
    "blocmeeting",
    "meetingphoto",
    "acclamationvote",
    "electionvote",
    "acclamationproposal",
):
    rules.add_perm(f"campaigns.view_{_model}", is_office)

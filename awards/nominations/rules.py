"""Who may do what with nominations (django-rules). Pages, the API and the admin ask the
same permission names; the services check them again on the locked row.

- A **unit officer** prepares nominations for the units in their scope (the unit served and
  its sub-units): creates, edits while draft or returned, uploads, submits, withdraws.
- **Review** is by level. Titles the unit head confers (LDTT, CSTD_CS, GK; level "unit")
  are reviewed inside the unit by the officers covering the proposing unit; everything
  else (level "ministry") by the emulation office. The office may always review.
- The **office** overrides an ineligible verdict (with a reason), publishes disclosures,
  answers objections, reopens deadlines, and makes the council moves until the council
  service takes them over.
- **Separation of duties**: whoever proposed a nomination (created it, edited its dossier,
  attached its files or its letter's, built its letter, submitted it; an office user who
  created it on a unit's behalf included) never reviews, comments as reviewer, accepts,
  returns, overrides, answers its objections or makes its council moves: someone else at
  the same level must. The services refuse it with their own message; the predicates below
  keep pages and the API from offering it.
- **Council members** read nominations accepted for the council and later; **every staff
  member** reads the nominees of a published disclosure and may object to them.
"""

import rules

from awards.models.nominations import EDITABLE_STATES, NominationLevel, NominationState
from emulation_portal.permissions import (
    is_council_member,
    is_office,
    is_staff_member,
    is_unit_officer,
)
from units.rules import officer_paths

COUNCIL_STATES = (
    NominationState.ACCEPTED,
    NominationState.IN_SESSION,
    NominationState.APPROVED,
    NominationState.REJECTED,
    NominationState.DECIDED,
)


def covers_path(user, path: str) -> bool:
    """The unit with materialised ``path`` is in the user's officer scope (no query once
    the user's scope is cached)."""
    return bool(path) and any(path.startswith(p) for p in officer_paths(user) if p)


@rules.predicate
def covers_proposing_unit(user, nomination) -> bool:
    """The user is an officer of the proposing unit (or of a unit above it)."""
    if nomination is None:
        return False
    unit = getattr(nomination, "proposing_unit", None)
    return bool(is_unit_officer(user) and unit is not None and covers_path(user, unit.path))


@rules.predicate
def is_editable(user, nomination) -> bool:
    return bool(nomination is not None and nomination.state in EDITABLE_STATES)


@rules.predicate
def is_unit_level(user, nomination) -> bool:
    return bool(nomination is not None and nomination.level == NominationLevel.UNIT)


@rules.predicate
def before_council(user, nomination) -> bool:
    return bool(nomination is not None and nomination.state not in COUNCIL_STATES)


@rules.predicate
def at_council(user, nomination) -> bool:
    return bool(nomination is not None and nomination.state in COUNCIL_STATES)


@rules.predicate
def is_disclosed(user, nomination) -> bool:
    """The nomination is on a published disclosure (one query)."""
    return bool(nomination is not None and nomination.disclosures.exists())


_PROPOSERS_ATTR = "_proposer_ids"


def proposer_ids(nomination) -> frozenset[int]:
    """Ids of the users who proposed ``nomination`` (one query, cached on the instance)."""
    cached = getattr(nomination, _PROPOSERS_ATTR, None)
    if cached is None:
        from awards.models import NominationProposer

        cached = frozenset(
            NominationProposer.objects.filter(nomination_id=nomination.pk).values_list(
                "user_id", flat=True
            )
        )
        setattr(nomination, _PROPOSERS_ATTR, cached)
    return cached


def forget_proposers(nomination) -> None:
    """Drop the cached proposers (after recording a new one)."""
    if hasattr(nomination, _PROPOSERS_ATTR):
        delattr(nomination, _PROPOSERS_ATTR)


@rules.predicate
def is_proposer(user, nomination) -> bool:
    """``user`` proposed this nomination (see the module's note on separation of duties)."""
    if nomination is None or nomination.pk is None or not getattr(user, "pk", None):
        return False
    return user.pk in proposer_ids(nomination)


@rules.predicate
def may_prepare(user) -> bool:
    """The office, or a unit officer with a scope."""
    return bool(is_office(user) or (is_unit_officer(user) and officer_paths(user)))


proposer = is_office | covers_proposing_unit
reviewer = is_office | (is_unit_level & covers_proposing_unit)
independent = ~is_proposer

rules.add_perm("nominations.browse", is_staff_member)
rules.add_perm("nominations.create", may_prepare)
rules.add_perm(
    "nominations.view",
    proposer | (is_council_member & at_council) | (is_staff_member & is_disclosed),
)
rules.add_perm("nominations.edit", proposer & is_editable)
rules.add_perm("nominations.submit", proposer)
rules.add_perm("nominations.withdraw", proposer)
rules.add_perm("nominations.review", reviewer & independent)
rules.add_perm("nominations.comment", reviewer & independent)
rules.add_perm("nominations.override", is_office & independent)
rules.add_perm("nominations.council", is_office & independent)
rules.add_perm("nominations.disclose", is_office)
rules.add_perm("nominations.object", is_staff_member & is_disclosed & before_council)
rules.add_perm("nominations.answer_objection", is_office & independent)
rules.add_perm("nominations.reopen_deadline", is_office)
rules.add_perm("nominations.view_disclosures", is_staff_member)
rules.add_perm("nominations.from_proposals", is_office)

# Django admin: the office corrects data through the services (admin actions).
if not rules.perm_exists("awards"):
    rules.add_perm("awards", is_office)
for _model in ("nomination", "attachment", "reviewcomment", "disclosure", "objection", "batch"):
    for _action in ("view", "change"):
        _name = f"awards.{_action}_{_model}"
        if not rules.perm_exists(_name):
            rules.add_perm(_name, is_office)

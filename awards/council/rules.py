"""Who may do what with councils and sessions (django-rules). Pages, the API and the admin
ask these names; the services check them again on the locked row.

- The **office** keeps councils, terms and members, creates sessions and builds agendas,
  records attendance, opens, closes and publishes.
- The **chair** and the **secretary** of the session's term run the session with the
  office (attendance, open, close); the secretary enters written opinions; the chair
  settles a final tie and may publish.
- **Members** of the term read the session and, after closing, its results and receipts;
  whether one may cast is decided by the service (present, substitute, not yet voted).
- A **substitute** authorised in writing for a member reads what a member reads of the
  session they stand in at (and sees the councils' page listing it), nothing more.
"""

import rules

from awards.models import Attendance, AttendanceStatus, CouncilMember, MemberRole, SessionState
from emulation_portal.permissions import is_council_member, is_office, is_staff_member


def _role_in(user, session):
    """The user's role in the session's term, or None (one query, cached on the user)."""
    if session is None or not getattr(user, "pk", None):
        return None
    cache = user.__dict__.setdefault("_council_roles", {})
    if session.term_id not in cache:
        cache[session.term_id] = (
            CouncilMember.objects.filter(term_id=session.term_id, user_id=user.pk)
            .values_list("role", flat=True)
            .first()
        )
    return cache[session.term_id]


@rules.predicate
def sits_on_session(user, session) -> bool:
    return _role_in(user, session) is not None


def _stands_in(user) -> frozenset:
    """Ids of the sessions ``user`` is the authorised substitute at (one query, cached on
    the user object for the request)."""
    if not getattr(user, "pk", None):
        return frozenset()
    if "_council_stands_in" not in user.__dict__:
        user.__dict__["_council_stands_in"] = frozenset(
            Attendance.objects.filter(
                substitute_id=user.pk, status=AttendanceStatus.SUBSTITUTE
            ).values_list("session_id", flat=True)
        )
    return user.__dict__["_council_stands_in"]


@rules.predicate
def stands_in_at(user, session) -> bool:
    return session is not None and session.pk in _stands_in(user)


@rules.predicate
def stands_in_somewhere(user) -> bool:
    return bool(_stands_in(user))


@rules.predicate
def chairs_session(user, session) -> bool:
    return _role_in(user, session) == MemberRole.CHAIR


@rules.predicate
def keeps_minutes(user, session) -> bool:
    return _role_in(user, session) == MemberRole.SECRETARY


@rules.predicate
def is_counted(user, session) -> bool:
    return bool(
        session is not None and session.state in (SessionState.CLOSED, SessionState.PUBLISHED)
    )


@rules.predicate
def may_create_session(user, council) -> bool:
    return bool(is_office(user))


runs = is_office | chairs_session | keeps_minutes

rules.add_perm("council.browse", is_office | is_council_member)
# The councils' page also lists a substitute's session; the menu entry stays on
# ``council.browse`` so that no page of every other user pays the substitute query.
rules.add_perm("council.index", is_office | is_council_member | stands_in_somewhere)
rules.add_perm("council.manage", is_office)
rules.add_perm("council.create_session", may_create_session)
rules.add_perm("council.view_session", is_office | sits_on_session | stands_in_at)
rules.add_perm("council.run_session", runs)
rules.add_perm("council.progress", runs)
rules.add_perm("council.view_conflicts", runs)
rules.add_perm("council.publish", is_office)
rules.add_perm("council.casting", chairs_session)
rules.add_perm("council.enter_written", is_office | keeps_minutes)
rules.add_perm("council.results", (is_office | sits_on_session | stands_in_at) & is_counted)
rules.add_perm("council.vote", is_staff_member)

# Django admin: the office keeps councils and terms; sessions and ballots are read-only.
for _model in (
    "council",
    "councilterm",
    "councilmember",
    "councilsession",
    "ballot",
    "ballotchoice",
    "voterroll",
):
    for _action in ("view", "change", "add"):
        _name = f"awards.{_action}_{_model}"
        if not rules.perm_exists(_name):
            rules.add_perm(_name, is_office)

"""Every write of the council: councils, terms and members (``councils``); sessions, agenda,
attendance, substitutes, recusals and the one session transition function (``sessions``);
casting (``ballots``); the tally, the chair's casting decision and its proof (``tally``);
the minutes (``minutes``). Callers import from this package.

Each function takes the acting user first, runs in one transaction, locks the session row
(``select_for_update``; a cast takes it shared, so casts run side by side), checks the permission on the locked row, records an audit event,
and starts background work after commit. Refusals raise ``ValidationError`` or
``PermissionDenied`` with a message for the user; a refused call changes nothing.
"""

from awards.council.services.ballots import (
    cast,
    enter_written_opinion,
    has_voted,
    new_receipt,
    principal_for,
)
from awards.council.services.common import (
    council_for,
    passes,
    percent,
    quorum_met,
    rule_set_on,
)
from awards.council.services.councils import (
    add_member,
    create_council,
    create_term,
    member_units,
)
from awards.council.services.sessions import (
    MOVES,
    AgendaResult,
    authorise_substitute,
    build_agenda,
    candidates,
    create_session,
    quorum_needed,
    recuse,
    set_attendance,
    set_places,
    transition,
)
from awards.council.services.tally import compute, settle_tie, verify

__all__ = [
    "MOVES",
    "AgendaResult",
    "add_member",
    "authorise_substitute",
    "build_agenda",
    "candidates",
    "cast",
    "compute",
    "council_for",
    "create_council",
    "create_session",
    "create_term",
    "enter_written_opinion",
    "has_voted",
    "member_units",
    "new_receipt",
    "passes",
    "percent",
    "principal_for",
    "quorum_met",
    "quorum_needed",
    "recuse",
    "rule_set_on",
    "set_attendance",
    "set_places",
    "settle_tie",
    "transition",
    "verify",
]

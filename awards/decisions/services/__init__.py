"""Every write on decisions, one module per workflow: ``drafting`` (create a draft with its
list, edit it, a replacing draft, discard), ``signing`` (the transition table and the one
transition function: sign, publish, replace), ``numbering`` (the counter), ``prizes`` (prize
money), ``documents`` (the decision PDF and certificates, keyed by content),
``submissions`` (titles conferred higher up and the external decisions answering them);
``common`` holds what they share. Callers import from this package.

Each function takes the acting user first, runs in one transaction, locks the row it
changes, checks the permission on it, records an audit event and starts rendering after
commit. Refusals raise ``ValidationError`` or ``PermissionDenied`` with a message for the
user; a refused call changes nothing.
"""

from awards.decisions.services.common import vn_date, vnd
from awards.decisions.services.drafting import (
    create_draft,
    create_replacement,
    default_texts,
    discard_draft,
    set_list,
    update_draft,
)
from awards.decisions.services.prizes import Prize, PrizeTable, prize_for, round_up
from awards.decisions.services.signing import MOVES, publish, sign, total_prize, transition
from awards.decisions.services.submissions import (
    create_submission,
    record_external_decision,
    send_submission,
)

__all__ = [
    "MOVES",
    "Prize",
    "PrizeTable",
    "create_draft",
    "create_replacement",
    "create_submission",
    "default_texts",
    "discard_draft",
    "prize_for",
    "publish",
    "record_external_decision",
    "round_up",
    "send_submission",
    "set_list",
    "sign",
    "total_prize",
    "transition",
    "update_draft",
    "vn_date",
    "vnd",
]

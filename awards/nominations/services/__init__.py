"""Every write on nominations: creating and editing dossiers, the one transition function,
submission checks, uploads, comments, batches (tờ trình), disclosure and objections.

One module per workflow: ``drafting`` (create, edit the dossier), ``checks`` (what a
complete dossier holds, the verdict, the submission checks), ``transitions`` (the state
table and ``transition``), ``review`` (comments, verdicts, override), ``files``
(attachments), ``lists`` (submission letters, bloc proposals), ``disclosure`` (công khai,
objections), ``deadlines``; ``common`` holds what they share. Callers import from this
package.

Each function takes the acting user first, runs in one transaction, locks the nomination
row it moves (``select_for_update``) or saves it with a conditional UPDATE on ``version``
(no lost update), records an audit event, and sends e-mail after commit through
``jobs.enqueue``. Refusals raise ``ValidationError`` (bad input, a move the table does not
allow, an incomplete or ineligible dossier) or ``PermissionDenied`` (not the actor's
business) with messages for the user; a refused call changes nothing.
"""

from awards.nominations.services.checks import (
    Requirements,
    dossier_problems,
    requirements_for,
    verdict_reasons,
)
from awards.nominations.services.common import (
    CSTD_CODES,
    DOSSIER_FIELDS,
    SHORT_FORM_CODES,
    level_for,
    rewards_history,
)
from awards.nominations.services.deadlines import deadline_for, reopen_deadline
from awards.nominations.services.disclosure import (
    answer_objection,
    publish_disclosure,
    raise_objection,
)
from awards.nominations.services.drafting import create_nomination, update_dossier
from awards.nominations.services.files import (
    add_attachment,
    add_batch_attachment,
    remove_attachment,
)
from awards.nominations.services.lists import (
    BuildResult,
    ProposalResult,
    build_batch,
    nominations_from_proposals,
    submit_batch,
)
from awards.nominations.services.review import add_comment, override_verdict, record_verdict
from awards.nominations.services.transitions import (
    MOVE_LABELS,
    MOVES,
    BulkResult,
    Move,
    bulk_transition,
    transition,
)

__all__ = [
    "CSTD_CODES",
    "DOSSIER_FIELDS",
    "MOVES",
    "MOVE_LABELS",
    "SHORT_FORM_CODES",
    "BuildResult",
    "BulkResult",
    "Move",
    "ProposalResult",
    "Requirements",
    "add_attachment",
    "add_batch_attachment",
    "add_comment",
    "answer_objection",
    "build_batch",
    "bulk_transition",
    "create_nomination",
    "deadline_for",
    "dossier_problems",
    "level_for",
    "nominations_from_proposals",
    "override_verdict",
    "publish_disclosure",
    "raise_objection",
    "record_verdict",
    "remove_attachment",
    "reopen_deadline",
    "requirements_for",
    "rewards_history",
    "submit_batch",
    "transition",
    "update_dossier",
    "verdict_reasons",
]

"""Who may do what with decisions (django-rules). Pages, the API and the admin ask the
same names; the services check them again on the locked row.

- The **emulation office** drafts, signs (records the signing), publishes and replaces
  decisions for every issuer, prepares submissions to a higher level and records the
  decisions that answer them. Whoever proposed a nomination never decides it: signing
  moves each nomination through the nominations' ``decide`` step, which refuses a
  proposer (separation of duties).
- **Every staff member** reads published decisions, their lists and documents; drafts and
  signed but unpublished decisions stay with the office.
"""

import rules

from awards.models import DecisionState
from emulation_portal.permissions import is_office, is_staff_member


@rules.predicate
def is_published(user, decision) -> bool:
    return bool(
        decision is not None
        and getattr(decision, "state", None) in (DecisionState.PUBLISHED, DecisionState.REPLACED)
        and decision.published_at is not None
    )


rules.add_perm("decisions.browse", is_staff_member)
rules.add_perm("decisions.view", is_office | (is_staff_member & is_published))
rules.add_perm("decisions.manage", is_office)

# Django admin: the office reads decisions there; every change goes through the services.
for _model in (
    "decisionissuer",
    "decision",
    "decisionitem",
    "decisioncounter",
    "prizemultiple",
    "decisiondocument",
    "submission",
    "submissionitem",
    "externaldecision",
):
    _name = f"awards.view_{_model}"
    if not rules.perm_exists(_name):
        rules.add_perm(_name, is_office)
# Issuers (symbols, titles) and prize multiples are configuration data, kept in the admin.
for _model in ("decisionissuer", "prizemultiple"):
    for _action in ("add", "change"):
        _name = f"awards.{_action}_{_model}"
        if not rules.perm_exists(_name):
            rules.add_perm(_name, is_office)
# A draft's texts may be corrected in the admin; the model refuses a signed one.
if not rules.perm_exists("awards.change_decision"):
    rules.add_perm("awards.change_decision", is_office)

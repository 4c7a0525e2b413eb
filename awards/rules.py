"""Who may read and change awards data.

- Award history (titles and rewards received) is read by whoever may read the person or
  unit (``units.rules``).
- Eligibility verdicts are internal working data: the emulation office, and unit officers
  for the people and units in their scope.
- The office records award history and verdicts; rule sets and the catalogue are kept by
  administrators (Django admin).
"""

import rules

from emulation_portal.permissions import is_admin, is_office, is_unit_officer
from units.rules import can_manage_person, can_manage_unit, can_view_person, can_view_unit


@rules.predicate
def can_judge_subject(user, subject) -> bool:
    """The office, or a unit officer whose scope holds the person (current unit) or unit."""
    if is_office(user):
        return True
    if subject is None:
        return bool(is_unit_officer(user))
    if hasattr(subject, "full_name"):
        return bool(can_manage_person(user, subject))
    return bool(can_manage_unit(user, subject))


rules.add_perm("awards.view_person_awards", can_view_person)
rules.add_perm("awards.view_unit_awards", can_view_unit)
rules.add_perm("awards.view_eligibility", can_judge_subject)
rules.add_perm("awards.eligibility_list", is_office | is_unit_officer)
rules.add_perm("awards.export_eligibility", is_office | is_unit_officer)
rules.add_perm("awards.record_verdict", is_office)
rules.add_perm("awards.recompute_eligibility", is_office)
rules.add_perm("awards.view_catalogue", rules.is_authenticated)
# Award records: any account; the list itself holds only the people and units it may read.
rules.add_perm("awards.browse_records", rules.is_authenticated)

# Django admin: the office reads everything and keeps award records; administrators keep
# the catalogue, the base salary and the rule sets.
rules.add_perm("awards", is_office)
_OFFICE_EDITS = {"awardrecord", "initiativeuse"}
for _model in (
    "awardtype",
    "basesalary",
    "ruleset",
    "rule",
    "awardrecord",
    "initiativeuse",
    "eligibilityverdict",
):
    for _action in ("add", "change", "delete", "view"):
        _name = f"awards.{_action}_{_model}"
        if rules.perm_exists(_name):
            continue
        if _action == "view":
            rules.add_perm(_name, is_office)
        elif _model == "eligibilityverdict":
            rules.add_perm(_name, rules.always_deny)  # recorded verdicts never change
        elif _model in _OFFICE_EDITS:
            rules.add_perm(_name, is_office)
        else:
            rules.add_perm(_name, is_admin)

"""Who may read the yearly figures, forms and summary: the office and administrators for
the ministry (and any unit); a unit officer for the units of their scope (each with its
sub-units)."""

import rules

from emulation_portal.permissions import is_office, is_unit_officer
from units.rules import officer_units


@rules.predicate
def can_view_figures(user, unit=None) -> bool:
    if is_office(user):
        return True
    if unit is None or not is_unit_officer(user):
        return False
    return unit.pk in officer_units(user)


rules.add_perm("reports.view_figures", can_view_figures)
rules.add_perm("reports.browse", is_office | is_unit_officer)
rules.add_perm("reports.new_edition", is_office)
# Django admin: layouts and the office's statistics are the office's; editions are filed
# by the rendering job only.
for _model in ("reportlayout", "officestatistics", "summaryedition"):
    for _action in ("add", "change", "delete", "view"):
        _name = f"awards.{_action}_{_model}"
        if rules.perm_exists(_name):
            continue
        if _model == "summaryedition" and _action != "view":
            rules.add_perm(_name, rules.always_deny)
        else:
            rules.add_perm(_name, is_office)

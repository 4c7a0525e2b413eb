"""Who may read a nomination's papers and start the bulk jobs (django-rules).

- A nomination's dossier, report and letter: whoever may view the nomination
  (``nominations.view``: its proposers' units, the reviewers, the office).
- The bulk ZIPs (a session's dossiers, a decision's certificates): the office.
- The honour roll is public and needs no permission."""

import rules

from emulation_portal.permissions import is_office


@rules.predicate
def may_view_nomination(user, nomination) -> bool:
    return nomination is not None and user.has_perm("nominations.view", nomination)


rules.add_perm("dossiers.view", may_view_nomination)
rules.add_perm("dossiers.bulk", is_office)

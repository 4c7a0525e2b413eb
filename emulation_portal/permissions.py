"""Role predicates (django-rules), the base every app's ``rules.py`` builds on.

Global roles live on the user; scoped ones (which unit an officer serves, which council a
member sits on) are predicates the owning app adds on top of these.
"""

import rules
from rest_framework import permissions

from emulation_portal.models import Role


def _has_role(user, *roles) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


@rules.predicate
def has_office_role(user) -> bool:
    return _has_role(user, Role.OFFICE)


is_office = is_admin | has_office_role


@rules.predicate
def is_unit_officer(user) -> bool:
    return _has_role(user, Role.UNIT_OFFICER)


@rules.predicate
def is_council_member(user) -> bool:
    return _has_role(user, Role.COUNCIL)


@rules.predicate
def is_viewer(user) -> bool:
    return _has_role(user, Role.VIEWER)


@rules.predicate
def is_staff_member(user) -> bool:
    """Any active account: every role may read what is published to staff."""
    return bool(user and user.is_authenticated and user.is_active)


rules.add_perm("portal.view_audit", is_office)
rules.add_perm("portal.export_audit", is_office)
rules.add_perm("portal.view_job", is_staff_member)
# Django admin: the office reads the audit log and jobs there; accounts are the admin's.
rules.add_perm("emulation_portal", is_office)
rules.add_perm("emulation_portal.view_auditevent", is_office)
rules.add_perm("emulation_portal.view_job", is_office)


class RulesPermission(permissions.BasePermission):
    """DRF permission reading ``view.rules`` = {action: perm, "object:<action>": perm}.

    Object checks use the same rule names as the pages, so the API and the browser can
    never disagree about who may do what. An action with no rule is refused to everyone:
    a route someone forgot to name a rule for must not fall back to "any logged-in user".
    ``OPTIONS`` (metadata) asks the view's read rule. Object rules are optional: querysets
    are already scoped to the caller, the object rule narrows further where writes need it.
    """

    def _action(self, request, view) -> str:
        action = getattr(view, "action", None)
        if action in (None, "metadata") and request.method == "OPTIONS":
            rules_ = getattr(view, "rules", {})
            return "list" if "list" in rules_ else "retrieve"
        return action or request.method

    def has_permission(self, request, view):
        if getattr(view, "action", None) is None and not hasattr(view, request.method.lower()):
            return True  # no handler for this method: let the view answer 405
        perm = getattr(view, "rules", {}).get(self._action(request, view))
        if perm is None:
            return False
        return request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = getattr(view, "rules", {}).get(f"object:{self._action(request, view)}")
        if perm is None:
            return True
        return request.user.has_perm(perm, obj)


def require(user, perm: str, obj=None) -> None:
    """Refuse (``PermissionDenied``) unless ``user`` holds ``perm`` on ``obj``: the check every
    service makes before a write, whatever the page or API that called it."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    if not (user and user.has_perm(perm, obj)):
        raise PermissionDenied(_("You are not allowed to do this."))

"""Writes owned by the portal itself: demo accounts, audit extracts."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.models import AuditEvent, Job, Role
from emulation_portal.pdf import render_pdf


@transaction.atomic
def ensure_user(
    username: str, *, role: str, full_name: str, password: str, actor=None, is_demo=False
):
    """Create the account ``username`` with ``role`` if it does not exist; return it.

    An existing account is left as it is (its password and role are not reset)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user:
        return user
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        is_staff=role in (Role.ADMIN, Role.OFFICE),
        is_superuser=role == Role.ADMIN,
        is_demo=is_demo,
    )
    user.set_password(password)
    user.save()
    audit.record(actor, "user.create", user, after={"username": username, "role": role})
    return user


@transaction.atomic
def set_role(actor, user, role: str):
    """Change ``user``'s global role, with an audit event."""
    before = {"role": user.role}
    user.role = role
    user.is_staff = role in (Role.ADMIN, Role.OFFICE)
    user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    audit.record(actor, "user.set_role", user, before=before, after={"role": role})
    return user


def render_audit_extract(job: Job, reporter) -> tuple[str, bytes]:
    """Render the audit events between ``params.start`` and ``params.end`` to a PDF, with
    the chain's current end as an anchor to keep."""
    start = date.fromisoformat(job.params["start"])
    end = date.fromisoformat(job.params["end"])
    events = list(
        AuditEvent.objects.filter(at__date__gte=start, at__date__lte=end)
        .order_by("seq")
        .values("seq", "at", "actor_label", "action", "object_label")[:5000]
    )
    # The chain's end, printed on paper that is filed: an anchor out of the database's
    # reach, for ``verify_audit --expect`` to check later.
    end_of_chain = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    # Three steps the user can follow: read the events, lay out the pages (most of the
    # time), write the PDF. WeasyPrint reports nothing finer from inside one document.
    reporter.progress(
        1,
        total=3,
        message=_("Laying out %(count)s events on pages") % {"count": len(events)},
    )

    def laid_out(pages: int) -> None:
        reporter.progress(2, message=_("Writing the PDF (%(pages)s pages)") % {"pages": pages})

    pdf = render_pdf(
        "pdf/audit_extract.html",
        {
            "events": events,
            "start": start,
            "end": end,
            "generated": timezone.now(),
            "anchor": audit.Anchor(*end_of_chain) if end_of_chain else None,
        },
        on_laid_out=laid_out,
    )
    reporter.progress(3, message=_("Ready to download"))
    return f"audit-{start:%Y%m%d}-{end:%Y%m%d}.pdf", pdf


@transaction.atomic
def rotate_api_token(user):
    """Replace ``user``'s API token with a new one; the old token stops working at once."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit.record(user, "user.rotate_api_token", user)
    return token

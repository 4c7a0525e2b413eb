"""The minutes of a session (biên bản họp hội đồng), rendered to PDF by the
``council.render_minutes`` task when the session closes.

A minimal renderer: attendance, quorum, and per item the figures and the result, with the
chair's and secretary's signature blocks. The administrative layout of Mẫu 03 (TT 62/2025)
is to be completed with the session pages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from awards.models import Attendance, CouncilSession, MemberRole
from emulation_portal.pdf import render_pdf

from .common import percent


def context(session: CouncilSession) -> dict:
    s = CouncilSession.objects.select_related("council__unit", "term").get(pk=session.pk)
    items = list(
        s.items.select_related("award_type", "nomination__person", "nomination__unit").order_by(
            "order"
        )
    )
    thresholds = {r.award_type_id: r for r in s.rules.select_related("award_type")}
    rows = [
        {
            "item": i,
            "nominee": i.nomination.nominee,
            "percent": percent(i.approvals or 0, s.members_count or 0),
            "threshold": thresholds[i.award_type_id].threshold * 100,
        }
        for i in items
    ]
    members = list(s.term.members.select_related("user").order_by("order", "id"))
    return {
        "session": s,
        "issuing_body": s.council.unit.name,
        "attendance": list(
            Attendance.objects.filter(session=s).select_related("member__user", "substitute")
        ),
        "rows": rows,
        "rules": list(thresholds.values()),
        "chair": next((m for m in members if m.role == MemberRole.CHAIR), None),
        "secretary": next((m for m in members if m.role == MemberRole.SECRETARY), None),
    }


def render(job, reporter) -> tuple[str, bytes]:
    session = CouncilSession.objects.get(pk=job.params["session"])
    reporter.progress(0, total=2, message=_("Rendering"))
    pdf = render_pdf("awards/council/minutes.html", context(session))
    reporter.progress(2)
    return f"bien-ban-hoi-dong-{session.pk}.pdf", pdf

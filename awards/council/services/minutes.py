"""The minutes of a session (biên bản họp hội đồng, Mẫu 03 of TT 62/2025), rendered to PDF
by the ``council.render_minutes`` task when the session closes (``run_job`` with progress).

The minutes record what the session applied and counted: the members (the base), who was
present, absent with a written opinion or represented by an authorised substitute, the
quorum, and per agenda item (grouped by award type) the approvals over all members, the
percentage, the threshold and the result, with the chair's and secretary's signature
blocks. They read only stored rows: rendering twice gives the same document.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from itertools import groupby

from django.utils import translation
from django.utils.translation import gettext as _

from awards.models import Attendance, AttendanceStatus, CouncilSession, MemberRole
from emulation_portal.pdf import render_pdf

from .common import percent, quorum_met
from .sessions import quorum_needed

TEMPLATE = "pdf/council_minutes.html"


def _threshold_pct(threshold: Decimal) -> str:
    return format((Decimal(threshold) * 100).quantize(Decimal("0.1")).normalize(), "f")


def context(session: CouncilSession) -> dict:
    """Everything the minutes print, in a fixed number of queries (independent of the
    number of items and members)."""
    s = CouncilSession.objects.select_related("council__unit", "term").get(pk=session.pk)
    members = s.members_count or 0
    rules = {r.award_type_id: r for r in s.rules.select_related("award_type")}
    items = list(
        s.items.select_related(
            "award_type", "nomination__person__unit", "nomination__unit"
        ).order_by("order", "id")
    )
    groups = []
    for award, group in groupby(items, key=lambda i: i.award_type):
        rule = rules[award.pk]
        rows = [
            {
                "item": i,
                "nominee": i.nomination.nominee,
                "unit": (i.nomination.person.unit.name if i.nomination.person_id else ""),
                "percent": percent(i.approvals or 0, members),
            }
            for i in group
        ]
        groups.append(
            {
                "award": award,
                "rule": rule,
                "threshold": _threshold_pct(rule.threshold),
                "rows": rows,
                "approved": sum(1 for r in rows if r["item"].approved),
            }
        )
    attendance = list(
        Attendance.objects.filter(session=s)
        .select_related("member__user", "substitute")
        .order_by("member__order", "member_id")
    )
    by_status = Counter(a.status for a in attendance if a.member.votes)
    roster = list(s.term.members.select_related("user").order_by("order", "id"))
    recorded = {a.member_id for a in attendance}
    return {
        "session": s,
        "issuing_body": s.council.unit.name,
        "council_name": s.council.name,
        "attendance": attendance,
        "unrecorded": [m for m in roster if m.pk not in recorded],
        "members": members,
        "present": s.present_count or 0,
        "present_in_person": by_status[AttendanceStatus.PRESENT],
        "substitutes": by_status[AttendanceStatus.SUBSTITUTE],
        "written": by_status[AttendanceStatus.WRITTEN],
        "absent": max(
            members
            - by_status[AttendanceStatus.PRESENT]
            - by_status[AttendanceStatus.SUBSTITUTE]
            - by_status[AttendanceStatus.WRITTEN],
            0,
        ),
        "quorum_needed": quorum_needed(members, s.quorum_numerator, s.quorum_denominator),
        "quorum_met": quorum_met(
            s.present_count or 0, members, s.quorum_numerator, s.quorum_denominator
        ),
        "ballots": s.ballots.count(),
        "written_ballots": s.ballots.filter(written=True).count(),
        "groups": groups,
        "chair": next((m for m in roster if m.role == MemberRole.CHAIR), None),
        "secretary": next((m for m in roster if m.role == MemberRole.SECRETARY), None),
    }


def render_minutes_pdf(session: CouncilSession, ctx: dict | None = None) -> bytes:
    """The minutes as PDF bytes (writes nothing). Always in Vietnamese, with Vietnamese
    number formats (86,7%), whatever language the request or worker runs in: it is the
    document filed."""
    with translation.override("vi"):
        return render_pdf(TEMPLATE, ctx if ctx is not None else context(session))


def render(job, reporter) -> tuple[str, bytes]:
    """The ``council.render_minutes`` job's work: reads the closed session named in the
    job's parameters and returns the PDF that becomes the job's result file."""
    session = CouncilSession.objects.get(pk=job.params["session"])
    reporter.progress(0, total=2, message=_("Collecting the attendance and the figures"))
    ctx = context(session)
    reporter.progress(1, message=_("Rendering the minutes"))
    pdf = render_minutes_pdf(session, ctx)
    reporter.progress(2)
    return f"bien-ban-hoi-dong-{session.pk}.pdf", pdf

"""``{% council_result nomination %}``: the council's result on a nomination's page (one
query). Shown once the session is published; before that, only to those who may see the
session (the office, the council's members)."""

from django import template

from awards.council import selectors
from awards.council.services import percent
from awards.models import SessionState

register = template.Library()


@register.inclusion_tag("council/_nomination_result.html", takes_context=True)
def council_result(context, nomination):
    user = context["request"].user
    item = selectors.council_result(nomination)
    if item is not None and not (
        item.session.state == SessionState.PUBLISHED
        or user.has_perm("council.view_session", item.session)
    ):
        item = None
    if item is None:
        return {"item": None}
    members = item.session.members_count or 0
    rule = item.session.rules.filter(award_type_id=item.award_type_id).first()
    return {
        "item": item,
        "members": members,
        "percent": percent(item.approvals or 0, members),
        "threshold": format((rule.threshold * 100).normalize(), "f") if rule else "",
        "can_open": user.has_perm("council.view_session", item.session),
    }

"""Template filters for showing values in the user's language."""

import math
from datetime import timedelta

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A duration in words in the active language ("15 phút", "1 giờ 30 phút"), rounded
    up to the minute; never the ISO 8601 form (``PT15M``) a library hands over."""
    if value is None:
        return ""
    minutes = max(1, math.ceil(value.total_seconds() / 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        ngettext("%(num)d day", "%(num)d days", days) % {"num": days} if days else "",
        ngettext("%(num)d hour", "%(num)d hours", hours) % {"num": hours} if hours else "",
        ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes}
        if minutes
        else "",
    ]
    return " ".join(part for part in parts if part)


@register.filter
def audit_action(action: str) -> str:
    """An audit action code in words ("unit.create" -> "Đơn vị: tạo mới")."""
    from emulation_portal.audit_labels import action_label

    return action_label(action)


@register.filter
def seeded_text(value: str) -> str:
    """A text seeded in English (a rule's description), in the user's language when the
    catalogue has it, else as written. ``{% trans variable %}`` doubles every "%" before
    looking the text up, so a text like "at least 70% of members" was never found."""
    return gettext(value) if value else value

"""Template filters for jobs."""

from django import template

from emulation_portal.jobs import kind_label

register = template.Library()


@register.filter
def job_kind_label(kind: str):
    """The job's name in the user's language (``audit_pdf`` -> "Trích xuất nhật ký...")."""
    return kind_label(kind)

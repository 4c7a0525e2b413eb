"""Input bounds shared by every entry point (model fields, forms, API serializers, the
spreadsheet import and the services behind them).

- Names, codes and titles that appear in exports refuse formula-like text
  (:func:`refuse_formula_like`): a legitimate name never starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a line break. Free text (a dossier's achievements, a reason, minutes) may
  start with a dash list, so it is only bounded in length; the exports make it inert
  (:mod:`emulation_portal.cells`).
- Lengths: the limits below, used as ``max_length`` of the model fields and of the plain
  form and serializer fields that feed them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation_portal.cells import is_formula_like

# A ministry's records: a person's full name (with a religious or ethnic name) stays far
# below 200 characters, a unit's official name below 300, a title or subject below 500.
PERSON_NAME_MAX = 200
UNIT_NAME_MAX = 300
TITLE_MAX = 500
# Free text typed in a form: a dossier section, a reason, minutes, a pledge's text. 20,000
# characters is about eight printed pages; longer material belongs in an attached file.
LONG_TEXT_MAX = 20_000

FORMULA_LIKE_MESSAGE = gettext_lazy(
    "Must not start with =, +, -, @, a tab or a line break (a spreadsheet would run it as a "
    "formula)."
)


def refuse_formula_like(value) -> None:
    """Django validator: refuse a name, code or title a spreadsheet would take for a
    formula. Changes nothing."""
    if isinstance(value, str) and is_formula_like(value):
        raise ValidationError(FORMULA_LIKE_MESSAGE, code="formula_like")


def check_name(
    value: str, field: str, max_length: int, *, unchanged_from: str | None = None
) -> str:
    """Check a name, code or title for a service: at most ``max_length`` characters and not
    formula-like. A value equal to ``unchanged_from`` (what is already stored) is accepted
    as it is, so a record saved before these checks can still be kept, edited in its other
    fields and re-imported from its own export. Raises ``ValidationError({field: ...})``;
    returns the value unchanged."""
    if unchanged_from is not None and value == unchanged_from:
        return value
    if len(value) > max_length:
        raise ValidationError({field: too_long_message(len(value), max_length)})
    if is_formula_like(value):
        raise ValidationError({field: str(FORMULA_LIKE_MESSAGE)})
    return value


def check_length(value: str, field: str, max_length: int) -> str:
    """Refuse text longer than ``max_length`` characters (``ValidationError({field: ...})``)."""
    if value and len(value) > max_length:
        raise ValidationError({field: too_long_message(len(value), max_length)})
    return value


def too_long_message(length: int, max_length: int) -> str:
    return _("Too long: %(n)s characters; at most %(max)s.") % {"n": length, "max": max_length}

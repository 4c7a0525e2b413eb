"""A verdict's lines of explanation: an English message id with parameters, rendered
in the active language."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of explanation: an English message id with parameters, rendered in the
    active language by ``str()``. ``ok``: True met, False not met, None information."""

    msg: str
    params: tuple = ()
    ok: bool | None = None

    def render(self) -> str:
        params = {k: _fmt(v) for k, v in self.params}
        text = gettext(self.msg)
        return text % params if params else text

    __str__ = render

    def as_json(self) -> dict:
        return {"msg": self.msg, "params": {k: _fmt(v) for k, v in self.params}, "ok": self.ok}

    @classmethod
    def from_json(cls, data: dict) -> Reason:
        return cls(data["msg"], tuple(sorted(data.get("params", {}).items())), data.get("ok"))


def _fmt(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value) if value else "-"
    if isinstance(value, float):
        return f"{value * 100:g}%"
    if isinstance(value, Fraction):
        return f"{float(value) * 100:.1f}%".replace(".0%", "%")
    return str(value)


def R(msg: str, ok: bool | None = None, **params) -> Reason:  # noqa: N802 - short on purpose
    return Reason(msg, tuple(sorted(params.items())), ok)

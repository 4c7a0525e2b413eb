"""Page panels: higher apps (awards, campaigns) add sections to the person's and the unit's
page without the units app knowing them.

``func(request, obj) -> (template_name, context) | None``; None shows nothing. Register in
``AppConfig.ready``; keep each panel to a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

PanelFunc = Callable[[object, object], "tuple[str, dict] | None"]


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    func: PanelFunc


_PERSON: dict[str, Panel] = {}
_UNIT: dict[str, Panel] = {}


def register_person_panel(key: str, order: int, func: PanelFunc) -> None:
    _PERSON[key] = Panel(key, order, func)


def register_unit_panel(key: str, order: int, func: PanelFunc) -> None:
    _UNIT[key] = Panel(key, order, func)


def _render(registry: dict[str, Panel], request, obj) -> list[dict]:
    out = []
    for panel in sorted(registry.values(), key=lambda p: (p.order, p.key)):
        result = panel.func(request, obj)
        if result is None:
            continue
        template, context = result
        html = render_to_string(template, context, request=request)
        out.append({"key": panel.key, "template": template, "html": html})
    return out


def person_panels(request, person) -> list[dict]:
    """The panels of ``person``'s page, in order, each rendered (``html``) with its own
    context plus the request."""
    return _render(_PERSON, request, person)


def unit_panels(request, unit) -> list[dict]:
    """The panels to include on ``unit``'s page, in order."""
    return _render(_UNIT, request, unit)

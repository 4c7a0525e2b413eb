"""The reports' charts: one code path for the pages and the PDF.

A chart is an SVG drawn on the server by pygal, then made self-contained: pygal's
stylesheet is applied to the elements as SVG presentation attributes (``fill``,
``font-size``...) and its ``<style>``, ``<script>``, tooltips and comments are removed. The
result needs no script and no inline style, so it sits in a page under the site's strict
CSP (``style-src 'self'``, ``script-src 'self'``) exactly as WeasyPrint draws it in the PDF.

Readable without colour: every bar carries its value as text, and a second series is
hatched (a pattern, not only another colour). Every chart comes with the numbers it draws
(``columns``/``rows``), shown as a table right after it. Text is set in Liberation Serif,
the font shipped in ``static/fonts`` for the PDF (the page loads it from ``charts.css``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import cssselect2
import pygal
import tinycss2
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from lxml import etree
from pygal.style import Style

FONT = "Liberation Serif, serif"
SOLID = "#1f4e79"
# attributes SVG accepts in place of the CSS properties pygal's stylesheet sets
PRESENTATION = {
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-opacity",
    "stroke-width",
    "stroke-dasharray",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "opacity",
    "text-decoration",
    "display",
    "visibility",
}
SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass
class Chart:
    key: str
    title: str
    svg: SafeString
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def _hatch(pattern_id: str) -> str:
    return format_html(
        '<pattern id="{}" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        '<rect width="3" height="8" fill="#555555"/></pattern>',
        pattern_id,
    )


def _inline_styles(root) -> None:
    """Apply the ``<style>`` rules of ``root`` as presentation attributes, then drop them.
    Rules with pseudo-classes (``:hover``) cannot match a static drawing and are skipped."""
    matcher = cssselect2.Matcher()
    for style in root.iter(f"{SVG_NS}style"):
        for rule in tinycss2.parse_stylesheet(
            style.text or "", skip_whitespace=True, skip_comments=True
        ):
            if rule.type != "qualified-rule":
                continue
            decls = [
                (d.lower_name, tinycss2.serialize(d.value).strip(), d.important)
                for d in tinycss2.parse_declaration_list(
                    rule.content, skip_whitespace=True, skip_comments=True
                )
                if d.type == "declaration" and d.lower_name in PRESENTATION
            ]
            if not decls:
                continue
            for part in tinycss2.serialize(rule.prelude).split(","):
                if ":" in part:  # :hover, :visited: states a drawing never has
                    continue
                try:
                    selectors = cssselect2.compile_selector_list(part)
                except cssselect2.SelectorError:
                    continue
                for selector in selectors:
                    matcher.add_selector(selector, decls)
    wrapper = cssselect2.ElementWrapper.from_xml_root(root)
    for element in wrapper.iter_subtree():
        matches = matcher.match(element)
        if not matches:
            continue
        normal, important = {}, {}
        for _spec, _order, _pseudo, decls in sorted(matches, key=lambda m: (m[0], m[1])):
            for name, value, is_important in decls:
                (important if is_important else normal)[name] = value
        for name, value in {**normal, **important}.items():
            element.etree_element.set(name, value.replace("!important", "").strip())
    for tag in ("style", "script"):
        for el in list(root.iter(f"{SVG_NS}{tag}")):
            el.getparent().remove(el)
    for el in list(root.iter(etree.Comment)):
        el.getparent().remove(el)
    for el in list(root.iter()):
        if "tooltip" in (el.get("class") or "").split():
            el.getparent().remove(el)
        el.attrib.pop("style", None)


def _render(chart, key: str) -> SafeString:
    root = etree.fromstring(chart.render())
    _inline_styles(root)
    # pygal names each chart with a random id; a stable one keeps renderings identical
    root.set("id", f"chart-{key}")
    root.set("class", "chart")
    root.set("role", "img")
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    return mark_safe(etree.tostring(root, encoding="unicode"))  # noqa: S308 (built here)


def bar(
    key: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list]],
    *,
    horizontal: bool = False,
    percent: bool = False,
) -> Chart:
    """A bar chart of ``series`` (name, values per label) with direct value labels; the
    second series is hatched. ``percent``: values are fractions (0.25) drawn as 25%."""
    hatch_id = f"hatch-{key}"
    style = Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        colors=(SOLID, f"url(#{hatch_id})", "#7f7f7f"),
        opacity="1",
        opacity_hover="1",
        value_font_size=14,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        title_font_size=18,
        foreground="#000000",
        foreground_strong="#000000",
        foreground_subtle="#333333",
        value_colors=("#000000",) * 3,
    )
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(300, 60 + 36 * len(labels) * max(1, len(series))) if horizontal else 420
    chart = kind(
        style=style,
        js=[],
        defs=[_hatch(hatch_id)],
        width=800,
        height=height,
        print_values=True,
        print_values_position="top",
        print_zeroes=True,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        truncate_label=48,
        truncate_legend=60,
        disable_xml_declaration=True,
        no_data_text=_("No data"),
        value_formatter=(lambda v: f"{v * 100:.1f}%") if percent else (lambda v: f"{v:g}"),
        stroke_style={"width": 1},
    )
    chart.title = title
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, [float(v) if isinstance(v, Decimal) else v for v in values])
    rows = [[label, *(s[1][i] for s in series)] for i, label in enumerate(labels)]
    if percent:
        rows = [[r[0], *(_percent(v) for v in r[1:])] for r in rows]
    return Chart(key, title, _render(chart, key), [_("Item"), *(s[0] for s in series)], rows)


def _percent(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.1f}%"


def _number(value):
    """A table cell as a number for the chart ("—" where the table has no figure)."""
    return value if isinstance(value, (int, Decimal)) else None


def for_summary(summary) -> list[Chart]:
    """The summary's charts, each drawn from one of its tables (so from the figures)."""
    out = []
    awards = [r for r in summary.table("by_award").rows if r[5]]
    if awards:
        out.append(
            bar(
                "by-award",
                _("Awards by title and form"),
                [r[1] for r in awards],
                [
                    (_("Individuals"), [r[3] for r in awards]),
                    (_("Collectives"), [r[4] for r in awards]),
                ],
                horizontal=True,
            )
        )
    comparison = summary.table("comparison").rows
    out.append(
        bar(
            "comparison",
            _("Comparison with earlier years"),
            [str(r[0]) for r in comparison],
            [
                (_("Individual awards"), [_number(r[2]) for r in comparison]),
                (_("Collective awards"), [_number(r[3]) for r in comparison]),
            ],
        )
    )
    shares = summary.table("shares").rows[:2]
    out.append(
        bar(
            "shares",
            _("Frontline workers and women: share of individual awards and of staff"),
            [r[0] for r in shares],
            [
                (_("Share of individual awards"), [_number(r[2]) for r in shares]),
                (_("Share of staff"), [_number(r[4]) for r in shares]),
            ],
            percent=True,
        )
    )
    blocs = summary.table("by_bloc").rows
    if blocs:
        out.append(
            bar(
                "by-bloc",
                _("Awards by bloc and cluster"),
                [r[1] for r in blocs],
                [
                    (_("Individual awards"), [r[4] for r in blocs]),
                    (_("Collective awards"), [r[5] for r in blocs]),
                ],
                horizontal=True,
            )
        )
    return out

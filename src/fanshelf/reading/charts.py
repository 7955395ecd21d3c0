"""Bar charts as SVG, drawn on the server: readable without JavaScript.

``bar_chart`` draws one panel per series (hits and kudos differ by orders of
magnitude, so each gets its own scale) over a shared time axis. The SVG has
``role="img"``, an ``aria-label``, a ``<title>`` and a ``<desc>``, and each bar its
own ``<title>`` (a tooltip in browsers); pages show the same numbers in a table
beside it for screen readers. Built with ElementTree, so the markup is well-formed
and every label escaped.
"""

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
PANEL_HEIGHT = 110
PANEL_GAP = 44
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 24, 36
MAX_AXIS_LABELS = 8
MAX_BAR_WIDTH = 40


@dataclass(frozen=True)
class Series:
    """One row of bars: a name ("Hits"), a value per period, a CSS class and colour."""

    name: str
    values: list[int]
    css_class: str
    colour: str


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (at least 1): a tidy axis top."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _label_indexes(count: int) -> list[int]:
    if count <= MAX_AXIS_LABELS:
        return list(range(count))
    step = math.ceil(count / MAX_AXIS_LABELS)
    return list(range(0, count, step))


def _text(parent, x, y, content: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, "text", x=f"{x:g}", y=f"{y:g}", **attributes)
    element.text = content
    return element


def _panel(svg, series: Series, labels: list[str], short_labels: list[str], top: float) -> None:
    plot_width = WIDTH - LEFT - RIGHT
    ceiling = nice_ceiling(max(series.values, default=0))
    bottom = top + PANEL_HEIGHT
    group = ET.SubElement(svg, "g", {"class": f"chart-panel {series.css_class}"})
    total = number_format(sum(series.values), force_grouping=True)
    _text(group, LEFT, top - 8, f"{series.name} ({total})", **{"class": "chart-heading"})
    for value in (0, ceiling // 2, ceiling) if ceiling > 1 else (0, ceiling):
        y = bottom - PANEL_HEIGHT * value / ceiling
        ET.SubElement(
            group,
            "line",
            {"class": "chart-grid", "x1": f"{LEFT}", "x2": f"{WIDTH - RIGHT}"},
            y1=f"{y:g}",
            y2=f"{y:g}",
            stroke="#8884",
        )
        _text(
            group,
            LEFT - 6,
            y + 4,
            number_format(value, force_grouping=True),
            **{"text-anchor": "end"},
        )
    slot = plot_width / max(len(series.values), 1)
    bar_width = min(max(slot * 0.8, 1), MAX_BAR_WIDTH)
    for index, value in enumerate(series.values):
        height = PANEL_HEIGHT * value / ceiling
        bar = ET.SubElement(
            group,
            "rect",
            {"class": "chart-bar"},
            x=f"{LEFT + index * slot + (slot - bar_width) / 2:.2f}",
            y=f"{bottom - height:.2f}",
            width=f"{bar_width:.2f}",
            height=f"{height:.2f}",
            fill=series.colour,
        )
        ET.SubElement(bar, "title").text = f"{labels[index]}: {value} {series.name.lower()}"
    for index in _label_indexes(len(short_labels)):
        x = LEFT + index * slot + slot / 2
        _text(group, x, bottom + 14, short_labels[index], **{"text-anchor": "middle"})


def bar_chart(
    *,
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    short_labels: list[str] | None = None,
    chart_id: str = "chart",
) -> SafeString:
    """An SVG bar chart with a panel per series; ``labels`` name the periods (x axis).

    ``short_labels`` (same length) are printed under the axis, ``labels`` in the
    tooltips. ``title`` and ``description`` become ``<title>``, ``<desc>`` and the
    ``aria-label``.
    """
    short_labels = short_labels or labels
    height = TOP + len(series) * (PANEL_HEIGHT + PANEL_GAP) - PANEL_GAP + BOTTOM
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart",
            "role": "img",
            "aria-label": f"{title}. {description}",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": str(height),
            "font-family": "system-ui, sans-serif",
            "font-size": "11",
            "fill": "currentColor",
        },
    )
    ET.SubElement(svg, "title", id=f"{chart_id}-title").text = title
    ET.SubElement(svg, "desc", id=f"{chart_id}-desc").text = description
    for number, one in enumerate(series):
        _panel(svg, one, labels, short_labels, TOP + number * (PANEL_HEIGHT + PANEL_GAP))
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 - built by ElementTree

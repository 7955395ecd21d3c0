# ruff: noqa: S314 - parsing markup our own code just made
import xml.etree.ElementTree as ET

from fanshelf.reading import charts

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**overrides):
    arguments = {
        "title": "Hits and kudos by day",
        "description": "12 hits and 3 kudos.",
        "labels": ["2025-03-01", "2025-03-02", "2025-03-03"],
        "series": [
            charts.Series("Hits", [5, 0, 7], "chart-hits", "#2f6690"),
            charts.Series("Kudos", [1, 2, 0], "chart-kudos", "#b23a48"),
        ],
    }
    return charts.bar_chart(**{**arguments, **overrides})


def test_the_chart_is_well_formed_accessible_svg():
    svg = ET.fromstring(_chart())
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Hits and kudos by day. 12 hits and 3 kudos."
    assert svg.find(f"{SVG}title").text == "Hits and kudos by day"
    assert svg.find(f"{SVG}desc").text == "12 hits and 3 kudos."


def test_each_value_is_a_bar_with_its_own_tooltip():
    svg = ET.fromstring(_chart())
    bars = svg.findall(f".//{SVG}rect")
    assert len(bars) == 6
    tooltips = [bar.find(f"{SVG}title").text for bar in bars]
    assert "2025-03-03: 7 hits" in tooltips
    assert "2025-03-02: 2 kudos" in tooltips
    heights = [float(bar.get("height")) for bar in bars[:3]]
    assert heights[1] == 0
    assert heights[2] > heights[0] > 0


def test_labels_are_escaped():
    svg = _chart(title='<script>alert("x")</script> & more', labels=["a<b", "c&d", "e"])
    assert "<script>" not in svg
    parsed = ET.fromstring(svg)
    assert parsed.find(f"{SVG}title").text == '<script>alert("x")</script> & more'


def test_an_empty_chart_is_still_well_formed():
    svg = ET.fromstring(
        _chart(labels=["2025-03-01"], series=[charts.Series("Hits", [0], "chart-hits", "#000")])
    )
    assert len(svg.findall(f".//{SVG}rect")) == 1


def test_long_axes_print_a_few_labels_only():
    labels = [f"day {n}" for n in range(60)]
    svg = ET.fromstring(
        _chart(labels=labels, series=[charts.Series("Hits", [1] * 60, "chart-hits", "#000")])
    )
    axis_labels = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("day")]
    assert 2 <= len(axis_labels) <= charts.MAX_AXIS_LABELS


def test_nice_ceiling():
    assert [charts.nice_ceiling(n) for n in (0, 1, 3, 7, 10, 11, 240, 999)] == [
        1, 1, 5, 10, 10, 20, 500, 1000,
    ]  # fmt: skip

"""The coverage chart: the register indicator by month as bars, the target as a dashed line.

Built from app.drawing.charts' primitives, so it is drawn as escaped inline SVG (no JS) and,
for the PDF, as a reportlab drawing.
"""

from __future__ import annotations

from analysis.coverage import CoverageGroup
from app.drawing.charts import GRID, MUTED, POST_COLOUR, Chart, Line, Rect, Text, to_svg, y_axis

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
TARGET_COLOUR = "#a4161a"


def coverage_layout(
    series: list[tuple[str, CoverageGroup]], target: float | None, target_label: str
) -> Chart:
    """Bars of k/n per month (no bar without babies), labelled with the percent and n."""
    width, height = 520, 230
    left, right, top, bottom = 40, width - 10, 24, height - 30
    shapes: list = []
    y_axis(shapes, left, right, top, bottom, 100, "%")
    slot = (right - left) / max(len(series), 1)
    bar = min(26.0, slot * 0.6)
    for i, (period, group) in enumerate(series):
        centre = left + slot * (i + 0.5)
        reg = group.register
        if reg.proportion is not None:
            h = (bottom - top) * reg.proportion
            shapes.append(Rect(centre - bar / 2, bottom - h, bar, h, POST_COLOUR))
            shapes.append(Text(centre, bottom - h - 3, f"{100 * reg.proportion:.0f}%", 7, "middle"))
        shapes.append(Text(centre, bottom + 11, MONTHS[int(period[5:7]) - 1], 7.5, "middle"))
        shapes.append(Text(centre, bottom + 21, f"n={reg.n}", 6.5, "middle", MUTED))
    if target is not None:
        y = bottom - (bottom - top) * target / 100
        shapes.append(Line(left, y, right, y, TARGET_COLOUR, 1.2, (4, 3)))
        shapes.append(Text(right, y - 4, f"{target_label} {target:g}%", 7.5, "end", TARGET_COLOUR, True))
    shapes.append(Line(left, top, left, bottom, GRID, 0.6))
    return Chart(width, height, shapes)


def coverage_chart(series, target, title: str, target_label: str):
    return to_svg(coverage_layout(series, target, target_label), title)

"""The report's charts, laid out once and drawn three times: reportlab graphics (PDF), inline SVG (HTML), PNG (Word).

A chart is a list of primitives in a top-left coordinate system (as SVG's);
`to_drawing` flips it for reportlab. Text is always escaped for SVG and drawn
as plain strings (never markup) in reportlab.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

PRE_COLOUR = "#8fa9c9"
POST_COLOUR = "#0b6e4f"
INK = "#1a1a1a"
MUTED = "#5c5c5c"
GRID = "#d5ddd9"
UP, DOWN, SAME = "#0b6e4f", "#a4161a", "#8c8c8c"
FONT = "DejaVuSans"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = INK
    width: float = 0.8
    dash: tuple[float, ...] | None = None
    opacity: float = 1.0


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    opacity: float = 1.0


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 8.0
    anchor: str = "start"  # start | middle | end
    fill: str = INK
    bold: bool = False


@dataclass
class Chart:
    width: float
    height: float
    shapes: list
    title: str = ""


def _legend(shapes: list, x: float, y: float, series: list[str], colours: list[str]) -> None:
    for name, colour in zip(series, colours, strict=False):
        shapes.append(Rect(x, y - 8, 10, 10, colour))
        shapes.append(Text(x + 14, y, name, 8.5))
        x += 14 + 6.2 * len(name) + 18


def y_axis(
    shapes: list,
    left: float,
    right: float,
    top: float,
    bottom: float,
    maximum: float,
    suffix: str,
    steps: int = 5,
) -> None:
    for i in range(steps + 1):
        value = maximum * i / steps
        y = bottom - (bottom - top) * i / steps
        shapes.append(Line(left, y, right, y, GRID, 0.6))
        text = f"{value:g}{suffix}"
        shapes.append(Text(left - 4, y + 3, text, 7.5, "end", MUTED))
    shapes.append(Line(left, bottom, right, bottom, INK, 0.8))


def grouped_bars(data: dict, width: float = 460, height: float = 220) -> Chart:
    """Bars per category and series (percent), value labels above, significance stars when given."""
    categories, series, values = data["categories"], data["series"], data["values"]
    labels = data.get("labels")
    significant = data.get("significant")
    shapes: list = []
    left, right, top, bottom = 40, width - 10, 30, height - 26 - (12 if data.get("axis_title") else 0)
    _legend(shapes, left, 14, series, [PRE_COLOUR, POST_COLOUR])
    y_axis(shapes, left, right, top, bottom, 100, "%")
    n = max(len(categories), 1)
    group = (right - left) / n
    bar = min(34.0, group * 0.36)
    for i, name in enumerate(categories):
        centre = left + group * (i + 0.5)
        for s, colour in enumerate((PRE_COLOUR, POST_COLOUR)):
            value = values[s][i]
            x = centre - bar + s * bar
            if value is not None:
                h = (bottom - top) * max(0.0, min(100.0, value)) / 100
                shapes.append(Rect(x, bottom - h, bar, h, colour))
                if labels:
                    shapes.append(Text(x + bar / 2, bottom - h - 3, labels[s][i], 7.5, "middle"))
        size = 8 if n <= 12 and len(name) * 4.6 < group else 7 if len(name) * 4 < group else 6
        shapes.append(Text(centre, bottom + 11, name, size, "middle"))
        if significant and significant[i]:
            top_value = max(v for v in (values[0][i], values[1][i], 0) if v is not None)
            h = (bottom - top) * min(100.0, top_value) / 100
            shapes.append(Text(centre, bottom - h - 4, "*", 10, "middle", INK, True))
    if data.get("axis_title"):
        shapes.append(Text((left + right) / 2, height - 4, data["axis_title"], 8, "middle", MUTED))
    return Chart(width, height, shapes)


def slope(data: dict, width: float = 460, height: float = 240) -> Chart:
    """Each participant's pre -> post as a line; identical pairs share one thicker line."""
    maximum = float(data.get("max") or 100)
    shapes: list = []
    left, right, top, bottom = 60, width - 60, 24, height - 24
    x_pre, x_post = left + 60, right - 60
    y_axis(shapes, left, right, top, bottom, maximum, "")
    counts = Counter((float(a), float(b)) for a, b in data["pairs"])

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / maximum

    biggest = max(counts.values(), default=1)
    for (pre, post), count in sorted(counts.items(), key=lambda kv: kv[1]):
        colour = UP if post > pre else DOWN if post < pre else SAME
        w = 0.8 + 3.2 * (count - 1) / max(biggest - 1, 1)
        shapes.append(Line(x_pre, y(pre), x_post, y(post), colour, w, opacity=0.55))
    for pre, post in counts:
        shapes.append(Circle(x_pre, y(pre), 2.2, PRE_COLOUR))
        shapes.append(Circle(x_post, y(post), 2.2, POST_COLOUR))
    means = data.get("means")
    if means and None not in means:
        shapes.append(Line(x_pre, y(means[0]), x_post, y(means[1]), INK, 2.2, dash=(4, 2)))
        shapes.append(Text(x_post + 6, y(means[1]) + 3, data.get("mean_label", ""), 7.5, "start", INK, True))
    shapes.append(Text(x_pre, bottom + 14, data["series"][0], 8.5, "middle"))
    shapes.append(Text(x_post, bottom + 14, data["series"][1], 8.5, "middle"))
    return Chart(width, height, shapes)


def layout(kind: str, data: dict, width: float = 460) -> Chart:
    if kind == "slope":
        return slope(data, width)
    if kind == "topics":  # percent correct per topic tag: the tags under the bars, smaller when many
        return grouped_bars(data, width, 240)
    return grouped_bars(data, width, 220 if kind == "categories" else 230)


# ------------------------------------------------------------------------------------------ SVG


def _attr(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def to_svg(chart: Chart, title: str = "") -> Markup:
    """Inline SVG (no style attributes, so a strict CSP allows it); every text escaped."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_attr(chart.width)} {_attr(chart.height)}" '
        f'class="chart" role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, Verdana, sans-serif">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for s in chart.shapes:
        if isinstance(s, Rect):
            stroke = f' stroke="{s.stroke}"' if s.stroke else ""
            out.append(
                f'<rect x="{_attr(s.x)}" y="{_attr(s.y)}" width="{_attr(s.w)}" height="{_attr(s.h)}" '
                f'fill="{s.fill}"{stroke}/>'
            )
        elif isinstance(s, Line):
            dash = f' stroke-dasharray="{" ".join(_attr(d) for d in s.dash)}"' if s.dash else ""
            op = f' stroke-opacity="{s.opacity:g}"' if s.opacity < 1 else ""
            out.append(
                f'<line x1="{_attr(s.x1)}" y1="{_attr(s.y1)}" x2="{_attr(s.x2)}" y2="{_attr(s.y2)}" '
                f'stroke="{s.stroke}" stroke-width="{_attr(s.width)}"{dash}{op}/>'
            )
        elif isinstance(s, Circle):
            out.append(f'<circle cx="{_attr(s.cx)}" cy="{_attr(s.cy)}" r="{_attr(s.r)}" fill="{s.fill}"/>')
        elif isinstance(s, Text):
            weight = ' font-weight="bold"' if s.bold else ""
            out.append(
                f'<text x="{_attr(s.x)}" y="{_attr(s.y)}" font-size="{_attr(s.size)}" '
                f'text-anchor="{s.anchor}" fill="{s.fill}"{weight}>{escape(s.text)}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every value above went through escape() or _attr()


# ------------------------------------------------------------------------------------------ PDF


def to_drawing(chart: Chart):
    """A reportlab Drawing of the chart (fonts must be registered: see pdf.register_fonts)."""
    from reportlab.graphics.shapes import Circle as RCircle
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.graphics.shapes import Line as RLine
    from reportlab.graphics.shapes import Rect as RRect
    from reportlab.lib.colors import HexColor

    h = chart.height
    drawing = Drawing(chart.width, chart.height)
    colours: dict[str, object] = {}

    def colour(value):
        if value is None:
            return None
        if value not in colours:
            colours[value] = HexColor(value)
        return colours[value]

    for s in chart.shapes:
        if isinstance(s, Rect):
            drawing.add(
                RRect(
                    s.x,
                    h - s.y - s.h,
                    s.w,
                    s.h,
                    fillColor=colour(s.fill),
                    strokeColor=colour(s.stroke),
                    strokeWidth=0.5 if s.stroke else 0,
                )
            )
        elif isinstance(s, Line):
            drawing.add(
                RLine(
                    s.x1,
                    h - s.y1,
                    s.x2,
                    h - s.y2,
                    strokeColor=colour(s.stroke),
                    strokeWidth=s.width,
                    strokeDashArray=list(s.dash) if s.dash else None,
                    strokeOpacity=s.opacity,
                )
            )
        elif isinstance(s, Circle):
            drawing.add(
                RCircle(
                    s.cx, h - s.cy, s.r, fillColor=colour(s.fill), strokeColor=None, fillOpacity=s.opacity
                )
            )
        elif isinstance(s, Text):
            drawing.add(
                String(
                    s.x,
                    h - s.y,
                    s.text,
                    fontName=FONT + ("-Bold" if s.bold else ""),
                    fontSize=s.size,
                    fillColor=colour(s.fill),
                    textAnchor=s.anchor,
                )
            )
    return drawing


# ------------------------------------------------------------------------------------------ PNG

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"


def to_png(chart: Chart, scale: float = 4.0) -> bytes:
    """The chart as a PNG (Pillow), for Word, which cannot show SVG or reportlab drawings.

    ``scale`` pixels per point: 4 gives about 290 dpi at the chart's size in the PDF.
    Text is drawn as plain strings with the shipped DejaVu faces.
    """
    from PIL import Image, ImageColor, ImageDraw, ImageFont

    width, height = round(chart.width * scale), round(chart.height * scale)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    fonts: dict[tuple[bool, float], ImageFont.FreeTypeFont] = {}

    def font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
        key = (bold, size)
        if key not in fonts:
            file = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            fonts[key] = ImageFont.truetype(str(FONT_DIR / file), round(size * scale))
        return fonts[key]

    def rgba(value: str, opacity: float = 1.0) -> tuple[int, int, int, int]:
        r, g, b = ImageColor.getrgb(value)[:3]
        return (r, g, b, round(255 * opacity))

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x * scale, y * scale)

    for s in chart.shapes:
        # translucent shapes go through a layer, so overlapping lines darken as in the PDF and SVG
        opacity = getattr(s, "opacity", 1.0)
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0)) if opacity < 1 else image
        draw = ImageDraw.Draw(layer)
        if isinstance(s, Rect):
            if s.h > 0 and s.w > 0:
                draw.rectangle(
                    [xy(s.x, s.y), xy(s.x + s.w, s.y + s.h)],
                    fill=rgba(s.fill),
                    outline=rgba(s.stroke) if s.stroke else None,
                )
        elif isinstance(s, Line):
            w = max(1, round(s.width * scale))
            colour = rgba(s.stroke, 1.0 if layer is not image else s.opacity)
            if s.dash:
                _dashed(draw, s, scale, colour, w)
            else:
                draw.line([xy(s.x1, s.y1), xy(s.x2, s.y2)], fill=colour, width=w)
        elif isinstance(s, Circle):
            (cx, cy), r = xy(s.cx, s.cy), s.r * scale
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgba(s.fill))
        elif isinstance(s, Text):
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
            draw.text(xy(s.x, s.y), s.text, fill=rgba(s.fill), font=font(s.bold, s.size), anchor=anchor)
        if layer is not image:
            alpha = layer.getchannel("A").point(lambda v, o=opacity: round(v * o))
            layer.putalpha(alpha)
            image = Image.alpha_composite(image, layer)
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", dpi=(72 * scale, 72 * scale))
    return out.getvalue()


def _dashed(draw, s: Line, scale: float, colour, width: int) -> None:
    """A dashed line as its visible segments (Pillow draws solid lines only)."""
    length = math.hypot(s.x2 - s.x1, s.y2 - s.y1)
    if length == 0:
        return
    ux, uy = (s.x2 - s.x1) / length, (s.y2 - s.y1) / length
    pattern = list(s.dash or ()) * (1 if len(s.dash or ()) % 2 == 0 else 2)
    pos, i = 0.0, 0
    while pos < length:
        step = pattern[i % len(pattern)]
        if i % 2 == 0:
            end = min(length, pos + step)
            draw.line(
                [
                    ((s.x1 + ux * pos) * scale, (s.y1 + uy * pos) * scale),
                    ((s.x1 + ux * end) * scale, (s.y1 + uy * end) * scale),
                ],
                fill=colour,
                width=width,
            )
        pos += step
        i += 1

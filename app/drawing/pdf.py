"""PDF building blocks shared by every document the app draws: the shipped fonts, safe text, certificates' marks.

The DejaVu faces ship in app/fonts, so a PDF looks the same on every system. Participant text
reaches reportlab only escaped (`text`, for Paragraph markup) or as plain strings on the canvas.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVuSans"
FACES = {
    FONT: "DejaVuSans.ttf",
    FONT + "-Bold": "DejaVuSans-Bold.ttf",
    FONT + "-Oblique": "DejaVuSans-Oblique.ttf",
    FONT + "-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
_registered = False


def register_fonts() -> None:
    """Register the shipped DejaVu faces once per process (Paragraph <b>/<i> map to them)."""
    global _registered
    if _registered:
        return
    for name, file in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Oblique", boldItalic=FONT + "-BoldOblique"
    )
    _registered = True


def text(value) -> str:
    """Plain text made safe for Paragraph markup (the only way participant text enters a Paragraph)."""
    return escape("" if value is None else str(value))


GREEN = colors.HexColor("#0b6e4f")
GOLD = colors.HexColor("#b8860b")
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")


def fit_size(text: str, font: str, size: float, width: float, smallest: float = 12) -> float:
    """The largest font size, from `size` down to `smallest`, at which `text` fits in `width` points."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 1
    return size


def qr_code(c, url: str, x: float, y: float, size: float) -> None:
    """A QR code of `url`, its lower-left corner at (x, y), `size` points wide (quiet zone included)."""
    qr = segno.make(url, error="m")
    matrix = qr.matrix
    n = len(matrix) + 4  # two modules of quiet zone on each side
    m = size / n
    path = c.beginPath()
    for r, row in enumerate(matrix):
        start = None
        for col, on in enumerate([*list(row), 0]):
            if on and start is None:
                start = col
            elif not on and start is not None:
                path.rect(x + (start + 2) * m, y + size - (r + 3) * m, (col - start) * m, m)
                start = None
    c.setFillColor(colors.black)
    c.drawPath(path, fill=1, stroke=0)


def certificate_frame(c, width: float, height: float) -> None:
    """The certificates' border: a wide green frame with a thin gold one inside it."""
    c.setStrokeColor(GREEN)
    c.setLineWidth(6)
    c.rect(1 * cm, 1 * cm, width - 2 * cm, height - 2 * cm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(1.4 * cm, 1.4 * cm, width - 2.8 * cm, height - 2.8 * cm)


def verification_mark(c, width: float, url: str, code: str, code_word: str, verify_word: str) -> None:
    """The certificates' verification, bottom right: the QR code of `url`, left of it the code and the address.

    `width` is the page's; `code` is printed as given (codes.display), under `code_word`.
    """
    q = 3.4 * cm
    qx = width - 2.2 * cm - q
    qr_code(c, url, qx, 1.9 * cm, q)
    c.setFont(FONT, 8)
    c.setFillColor(MUTED)
    c.drawRightString(qx - 0.3 * cm, 3.9 * cm, code_word)
    c.setFont(FONT + "-Bold", 12)
    c.setFillColor(INK)
    c.drawRightString(qx - 0.3 * cm, 3.35 * cm, code)
    c.setFont(FONT, 7.5)
    c.setFillColor(MUTED)
    c.drawRightString(qx - 0.3 * cm, 2.8 * cm, verify_word)
    c.drawRightString(qx - 0.3 * cm, 2.4 * cm, url[:70])

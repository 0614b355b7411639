"""The "lulus ASI eksklusif" certificate: one A4 landscape page per mother and baby, in the frame and
with the QR verification of the participation certificates (app/reports/certpdf.py).

Names are drawn as plain strings (no markup), shrunk to fit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas

from app.drawing.pdf import (
    FONT,
    GOLD,
    GREEN,
    INK,
    MUTED,
    certificate_frame,
    fit_size,
    register_fonts,
    verification_mark,
)
from app.i18n import long_date
from app.services.codes import display


@dataclass(frozen=True)
class GraduationView:
    code: str
    number: str
    mother: str
    baby: str
    birth_date: date
    posyandu: str
    puskesmas: str
    head_name: str
    issued_on: date


def render(items: list[GraduationView], verify_url) -> bytes:
    """One page per certificate; `verify_url(code)` is the address in the QR code."""
    register_fonts()
    bold = FONT + "-Bold"
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = rl_canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    c.setTitle("Sertifikat lulus ASI eksklusif")
    c.setAuthor("Edu-ASI")
    for item in items:
        certificate_frame(c, width, height)
        centre = width / 2
        c.setFillColor(GREEN)
        c.setFont(bold, 34)
        c.drawCentredString(centre, height - 4.0 * cm, _("CERTIFICATE"))
        c.setFillColor(INK)
        c.setFont(bold, 18)
        c.drawCentredString(centre, height - 5.1 * cm, _("Graduated in exclusive breastfeeding"))
        c.setFont(FONT, 10)
        c.setFillColor(MUTED)
        c.drawCentredString(centre, height - 5.9 * cm, f"{_('No.')} {item.number}")
        c.setFillColor(INK)
        c.setFont(FONT, 13)
        c.drawCentredString(centre, height - 7.2 * cm, _("is awarded to"))
        mother = item.mother.strip() or "–"
        c.setFont(bold, fit_size(mother, bold, 28, width - 6 * cm))
        c.drawCentredString(centre, height - 8.7 * cm, mother)
        c.setFont(FONT, 13)
        c.drawCentredString(centre, height - 9.6 * cm, _("and her baby"))
        baby = item.baby.strip() or "–"
        c.setFont(bold, fit_size(baby, bold, 22, width - 6 * cm))
        c.drawCentredString(centre, height - 10.7 * cm, baby)
        c.setStrokeColor(GOLD)
        c.setLineWidth(0.8)
        c.line(centre - 9 * cm, height - 11.2 * cm, centre + 9 * cm, height - 11.2 * cm)
        c.setFont(FONT, 12)
        line = _(
            "for giving breast milk only for the first six months (born %(date)s).",
            date=long_date(item.birth_date, "id"),
        )
        c.drawCentredString(centre, height - 12.1 * cm, line[:130])
        c.drawCentredString(centre, height - 12.8 * cm, f"Posyandu {item.posyandu}, {item.puskesmas}"[:130])
        sx = 4.5 * cm
        c.setFont(FONT, 11)
        c.drawString(sx, 5.0 * cm, long_date(item.issued_on, "id"))
        c.drawString(sx, 4.5 * cm, _("Head of Puskesmas"))
        c.setStrokeColor(INK)
        c.line(sx, 3.0 * cm, sx + 7.5 * cm, 3.0 * cm)
        head = item.head_name or ""
        c.setFont(bold, fit_size(head, bold, 11, 7.5 * cm, 7))
        c.drawString(sx, 2.5 * cm, head)
        verification_mark(
            c, width, verify_url(item.code), display(item.code), _("Verification code"), _("Verify at")
        )
        c.showPage()
    if not items:
        c.setFont(FONT, 14)
        c.drawCentredString(width / 2, height / 2, _("No certificate to print."))
        c.showPage()
    c.save()
    return buffer.getvalue()

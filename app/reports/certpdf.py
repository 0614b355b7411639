"""Certificates of participation as one PDF, a page each, A4 landscape, drawn straight on the canvas.

Names are drawn as plain strings (no markup), shrunk to fit; the QR code is drawn
from segno's module matrix as vector rectangles, so nothing is rasterised.
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas as rl_canvas

from analysis.format import format_number
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
from app.services.certificates import CertificateView
from app.services.codes import display


def render_certificates(
    items: list[CertificateView], verify_url, *, lang: str = "id", with_score: bool = False
) -> bytes:
    """One page per certificate; `verify_url(code)` gives the address printed in the QR code."""
    register_fonts()
    bold = FONT + "-Bold"
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = rl_canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    with force_locale(lang):
        words = {
            "title": _("CERTIFICATE"),
            "sub": _("of participation"),
            "given": _("is awarded to"),
            "as": _("for taking part in"),
            "number": _("No."),
            "score": _("Post-test score"),
            "educator": _("Educator"),
            "verify": _("Verify at"),
            "code": _("Verification code"),
        }
        c.setTitle(_("Certificates"))
    c.setAuthor("Edu-ASI")
    for item in items:
        certificate_frame(c, width, height)
        centre = width / 2
        c.setFillColor(GREEN)
        c.setFont(bold, 36)
        c.drawCentredString(centre, height - 4.2 * cm, words["title"])
        c.setFillColor(INK)
        c.setFont(FONT, 15)
        c.drawCentredString(centre, height - 5.2 * cm, words["sub"])
        c.setFont(FONT, 10)
        c.setFillColor(MUTED)
        c.drawCentredString(centre, height - 6.0 * cm, f"{words['number']} {item.number}")
        c.setFillColor(INK)
        c.setFont(FONT, 13)
        c.drawCentredString(centre, height - 7.4 * cm, words["given"])
        name = item.name.strip() or "–"
        size = fit_size(name, bold, 30, width - 6 * cm)
        c.setFont(bold, size)
        c.drawCentredString(centre, height - 9.0 * cm, name)
        c.setStrokeColor(GOLD)
        c.setLineWidth(0.8)
        c.line(centre - 9 * cm, height - 9.5 * cm, centre + 9 * cm, height - 9.5 * cm)
        c.setFont(FONT, 13)
        c.drawCentredString(centre, height - 10.6 * cm, words["as"])
        lines = simpleSplit(item.session_title, bold, 17, width - 8 * cm)[:2]
        c.setFont(bold, 17)
        y = height - 11.6 * cm
        for line in lines:
            c.drawCentredString(centre, y, line)
            y -= 0.75 * cm
        c.setFont(FONT, 13)
        c.drawCentredString(centre, y - 0.1 * cm, f"{item.place}, {long_date(item.held_on, lang)}"[:120])
        if with_score and item.score is not None:
            c.drawCentredString(
                centre, y - 0.9 * cm, f"{words['score']}: {format_number(item.score, 1, lang)}"
            )
        if item.signers:
            signatures(c, item.signers, bold)
        else:
            # signature block (bottom left of centre)
            sx = 4.5 * cm
            c.setFont(FONT, 11)
            c.drawString(sx, 4.6 * cm, words["educator"])
            c.setStrokeColor(INK)
            c.line(sx, 3.2 * cm, sx + 7.5 * cm, 3.2 * cm)
            c.setFont(bold, fit_size(item.educator, bold, 11, 7.5 * cm, 7))
            c.drawString(sx, 2.7 * cm, item.educator)
            c.setFont(FONT, fit_size(item.institution, FONT, 10, 9 * cm, 6))
            c.drawString(sx, 2.2 * cm, item.institution)
        verification_mark(c, width, verify_url(item.code), display(item.code), words["code"], words["verify"])
        c.showPage()
    if not items:
        c.setFont(FONT, 14)
        with force_locale(lang):
            c.drawCentredString(width / 2, height / 2, _("No participant has finished the post-test yet."))
        c.showPage()
    c.save()
    return buffer.getvalue()


def signatures(c, signers, bold: str) -> None:
    """Up to two signatories side by side, left of the QR code: role, line to sign on, name, NIP/NIDN."""
    box = 6.5 * cm
    for i, (role, name, id_line) in enumerate(signers[:2]):
        sx = 3.0 * cm + i * (box + 0.7 * cm)
        c.setFillColor(INK)
        c.setFont(FONT, fit_size(role, FONT, 11, box, 7))
        c.drawString(sx, 4.6 * cm, role)
        c.setStrokeColor(INK)
        c.line(sx, 3.2 * cm, sx + box, 3.2 * cm)
        c.setFont(bold, fit_size(name, bold, 11, box, 7))
        c.drawString(sx, 2.7 * cm, name)
        if id_line:
            c.setFont(FONT, fit_size(id_line, FONT, 9.5, box, 6))
            c.drawString(sx, 2.2 * cm, id_line)

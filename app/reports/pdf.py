"""The PDF laporan (A4, numbered pages, DejaVu fonts shipped in app/fonts), drawn with reportlab.

Participant text reaches reportlab only escaped (Paragraph markup) or as plain
strings (table cells, canvas text), so a name such as ``<b>Siti & "Ani"</b>``
prints as typed.
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from app.drawing import charts
from app.drawing.pdf import FONT, register_fonts, text
from app.reports.document import Approval, Figure, Heading, KeyValues, Para, Report, Table, foreign_spans


def marked(value, lang: str) -> str:
    """Report text made safe for Paragraph markup, its foreign terms in italics (DejaVu Oblique)."""
    return "".join(
        f"<i>{text(piece)}</i>" if italic else text(piece)
        for piece, italic in foreign_spans("" if value is None else str(value), lang)
    )


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=13.5, alignment=TA_JUSTIFY, spaceAfter=6
    )
    bold = FONT + "-Bold"

    def style(name: str, **changes) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    # the section headings and the tables' and figures' captions: bold, kept with what follows
    heading = {"fontName": bold, "alignment": TA_LEFT, "keepWithNext": 1}
    # every table cell, header cells too: 8 pt on 10, no space after
    cell = {"fontSize": 8, "leading": 10, "spaceAfter": 0}
    return {
        "title": style("title", fontName=bold, fontSize=16, leading=20, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": style("subtitle", fontSize=11.5, leading=15, alignment=TA_CENTER, spaceAfter=14),
        "h1": style(
            "h1",
            **heading,
            fontSize=12,
            leading=16,
            spaceBefore=10,
            spaceAfter=6,
            textColor=colors.HexColor("#084c37"),
        ),
        "body": base,
        "lead": style("lead", fontName=bold, fontSize=9.5, leading=13.5),
        "note": style(
            "note",
            fontSize=8,
            leading=10.5,
            textColor=colors.HexColor("#444444"),
            spaceBefore=2,
            spaceAfter=8,
            alignment=TA_LEFT,
        ),
        "caption": style("caption", **heading, fontSize=9, leading=12, spaceBefore=8, spaceAfter=4),
        "cell": style("cell", **cell, alignment=TA_LEFT),
        "cell_bold": style("cell_bold", fontName=bold, **cell, alignment=TA_LEFT),
        "head": style("head", fontName=bold, **cell, alignment=TA_LEFT),
        "head_r": style("head_r", fontName=bold, **cell, alignment=TA_RIGHT),
        "kv": style("kv", fontSize=9.5, leading=12.5, spaceAfter=0, alignment=TA_LEFT),
    }


def numbered_canvas(footer: str, page_word: str, of_word: str):
    """A canvas class that writes 'Page x of y' and the footer on every page (needs the page count)."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 7.5)
                self.setFillColor(colors.HexColor("#555555"))
                width, _height = self._pagesize
                self.drawString(2 * cm, 1.2 * cm, footer[:95])
                self.drawRightString(
                    width - 2 * cm, 1.2 * cm, f"{page_word} {self._pageNumber} {of_word} {total}"
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def cell_markup(value, lang: str) -> str:
    """A table cell as Paragraph markup: escaped, foreign terms in italics, its line breaks kept."""
    return marked(value, lang).replace("\n", "<br/>")


def _table_flowable(t: Table, st: dict, width: float, lang: str = "id"):
    total = sum(t.widths)
    col_widths = [width * w / total for w in t.widths]
    data = [
        [
            Paragraph(cell_markup(h, lang), st["head_r"] if a == "r" else st["head"])
            for h, a in zip(t.header, t.align, strict=False)
        ]
    ]
    for r, row in enumerate(t.rows):
        style = st["cell_bold"] if r in t.bold_rows else st["cell"]
        data.append(
            [
                Paragraph(cell_markup(cell, lang), style) if align == "l" else str(cell)
                for cell, align in zip(row, t.align, strict=False)
            ]
        )
    heights = [None] + [22] * len(t.rows) if t.tall_rows else None
    table = RLTable(data, colWidths=col_widths, rowHeights=heights, repeatRows=1, hAlign="LEFT")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3ece7")),
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, colors.black),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if any("\n" in cell for row in t.rows for cell in row):  # a question with its options: read from the top
        commands.append(("VALIGN", (0, 1), (-1, -1), "TOP"))
    for c, align in enumerate(t.align):
        if align == "r":
            commands.append(("ALIGN", (c, 1), (c, -1), "RIGHT"))
    for r in t.bold_rows:
        commands.append(("FONTNAME", (0, r + 1), (-1, r + 1), FONT + "-Bold"))
        commands.append(("BACKGROUND", (0, r + 1), (-1, r + 1), colors.HexColor("#f3f6f4")))
    if len(t.rows) > 3:
        for r in range(1, len(t.rows) + 1):
            if r % 2 == 0 and (r - 1) not in t.bold_rows:
                commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f8faf9")))
    table.setStyle(TableStyle(commands))
    return table


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    register_fonts()
    st = styles()
    buffer = io.BytesIO()
    margin = 2 * cm
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=1.8 * cm,
        bottomMargin=2 * cm,
        title=report.title,
        subject=report.subtitle,
        author="Edu-ASI",
        creator="Edu-ASI",
    )
    width = A4[0] - 2 * margin
    story: list = [
        Paragraph(text(report.title), st["title"]),
        Paragraph(text(report.subtitle), st["subtitle"]),
    ]
    for block in report.blocks:
        if isinstance(block, Heading):
            # never a heading alone at the foot of a page: start a new page when less than 5 cm is left
            story.append(CondPageBreak(5 * cm))
            story.append(Paragraph(text(block.text), st["h1"]))
        elif isinstance(block, Para):
            story.append(Paragraph(marked(block.text, report.lang), st[block.style]))
        elif isinstance(block, KeyValues):
            rows = [[Paragraph(text(k), st["kv"]), Paragraph(text(v), st["kv"])] for k, v in block.rows]
            kv = RLTable(rows, colWidths=[4.2 * cm, width - 4.2 * cm], hAlign="LEFT")
            kv.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                        ("LINEBELOW", (0, -1), (-1, -1), 0.6, colors.HexColor("#999999")),
                    ]
                )
            )
            story += [kv, Spacer(1, 8)]
        elif isinstance(block, Table):
            caption = Paragraph(marked(block.caption, report.lang), st["caption"])
            flow = _table_flowable(block, st, width, report.lang)
            parts = [caption, flow] + (
                [Paragraph(marked(block.note, report.lang), st["note"])] if block.note else [Spacer(1, 6)]
            )
            if len(block.rows) <= 12:  # a short table moves whole; a long one may start under its heading
                story.append(KeepTogether(parts))
            else:  # a long table splits across pages, its header row repeated
                # the caption stays with the table's first rows, not with the whole table (which would
                # push a table longer than the space left to the next page and leave that space empty)
                caption.keepWithNext = 0
                story.append(CondPageBreak(4 * cm))
                story.extend(parts)
        elif isinstance(block, Figure):
            data = dict(block.data)
            drawing = charts.to_drawing(charts.layout(block.kind, data, width=min(width, 460)))
            parts = [drawing, Paragraph(marked(block.caption, report.lang), st["caption"])]
            if block.note:
                parts.append(Paragraph(marked(block.note, report.lang), st["note"]))
            story.append(KeepTogether(parts))
        elif isinstance(block, Approval):
            story.append(approval_flowable(block, st, width))
    with force_locale(report.lang):
        canvasmaker = numbered_canvas(f"Edu-ASI · {report.subtitle}", _("Page"), _("of"))
    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def approval_flowable(block: Approval, st: dict, width: float):
    """The approval block (Approval.layout): line above, role, space to sign, name, NIP/NIDN; on one page."""
    centre = ParagraphStyle("approval", parent=st["kv"], alignment=TA_CENTER)
    name_style = ParagraphStyle("approval_name", parent=centre, fontName=FONT + "-Bold")
    data, heights, commands = [], [], [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for row in block.layout():
        start = len(data)
        cells = [row[0], row[0]] if len(row) == 1 else row
        lines = [[], [], [], [], []]
        for cell in cells:
            above, role, name, id_line = cell or ("", "", "", "")
            lines[0].append(Paragraph(text(above), centre))
            lines[1].append(Paragraph(text(role), centre))
            lines[2].append("")
            lines[3].append(Paragraph(f"<u>{text(name)}</u>" if name else "", name_style))
            lines[4].append(Paragraph(text(id_line), centre))
        data += lines
        heights += [None, None, 1.8 * cm, None, 0.9 * cm]
        if len(row) == 1:
            for r in range(start, start + 5):
                commands.append(("SPAN", (0, r), (1, r)))
    table = RLTable(data, colWidths=[width / 2] * 2, rowHeights=heights, hAlign="LEFT")
    commands += [("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    table.setStyle(TableStyle(commands))
    return KeepTogether([Spacer(1, 14), table, Spacer(1, 10)])

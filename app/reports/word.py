"""The report's tables (and its method and interpretation paragraphs) as a Word document.

A lecturer pastes these tables into her own laporan, so they use Word's plain
"Table Grid" style, Times New Roman and captions above the tables, as
Indonesian reports do. python-docx escapes text itself.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from app.reports.document import Figure, Heading, KeyValues, Para, Report, Table

FONT = "Times New Roman"


def _clean(value) -> str:
    """Text as typed, minus the control characters XML cannot hold."""
    s = "" if value is None else str(value)
    return "".join(ch for ch in s if ch in "\t\n" or ord(ch) >= 32)


def render_docx(report: Report) -> bytes:
    """The report as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_clean(report.title))
    run.bold = True
    run.font.size = Pt(14)
    sub = doc.add_paragraph(_clean(report.subtitle))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for block in report.blocks:
        if isinstance(block, Heading):
            p = doc.add_paragraph()
            r = p.add_run(_clean(block.text))
            r.bold = True
            r.font.size = Pt(12)
        elif isinstance(block, Para):
            p = doc.add_paragraph(_clean(block.text))
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if block.style == "note":
                for r in p.runs:
                    r.font.size = Pt(9)
        elif isinstance(block, KeyValues):
            t = doc.add_table(rows=0, cols=2)
            for key, value in block.rows:
                cells = t.add_row().cells
                cells[0].text, cells[1].text = _clean(key), _clean(value)
            doc.add_paragraph()
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Figure):
            continue  # the figures are in the PDF; Word gets the tables
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc, block: Table) -> None:
    caption = doc.add_paragraph()
    run = caption.add_run(_clean(block.caption))
    run.bold = True
    caption.paragraph_format.keep_with_next = True
    t = doc.add_table(rows=1, cols=len(block.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text, align in zip(t.rows[0].cells, block.header, block.align, strict=False):
        cell.text = _clean(text)
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "r" else WD_ALIGN_PARAGRAPH.LEFT
        for r in para.runs:
            r.bold = True
            r.font.size = Pt(10)
    for i, row in enumerate(block.rows):
        cells = t.add_row().cells
        for cell, text, align in zip(cells, row, block.align, strict=False):
            cell.text = _clean(text).strip()
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "r" else WD_ALIGN_PARAGRAPH.LEFT
            for r in para.runs:
                r.font.size = Pt(10)
                r.bold = i in block.bold_rows
    if block.note:
        note = doc.add_paragraph()
        r = note.add_run(_clean(block.note))
        r.italic = True
        r.font.size = Pt(9)
    else:
        doc.add_paragraph()

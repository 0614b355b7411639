"""The report as a Word document: the tables, the figures, the method and interpretation paragraphs.

A lecturer pastes these tables and figures into her own laporan, so the file
uses Word's own machinery where Word has one: Heading 1/2 styles (the
navigation pane and a table of contents find them), the Caption style with
SEQ fields (Word renumbers "Tabel 1" after she moves a table; References >
Insert Table of Figures lists them), header rows that repeat on every page,
column widths fitted to the content, page numbers as PAGE/NUMPAGES fields, and
the document language (id-ID or en-US) so the spelling checker checks the
right language. Tables use the plain "Table Grid" style and Times New Roman,
captions above tables and below figures, as Indonesian reports do.
python-docx escapes text itself.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask_babel import force_locale
from flask_babel import gettext as _

from app.drawing import charts
from app.reports.document import (
    Approval,
    Figure,
    Heading,
    KeyValues,
    Para,
    Placeholder,
    Report,
    Table,
    foreign_spans,
)

FONT = "Times New Roman"
#: A4 minus 2.5 cm margins.
TEXT_WIDTH_CM = 16.0
LANGUAGE_TAGS = {"id": "id-ID", "en": "en-US"}


def _clean(value) -> str:
    """Text as typed, minus the control characters XML cannot hold."""
    s = "" if value is None else str(value)
    return "".join(ch for ch in s if ch in "\t\n" or ord(ch) >= 32)


def _marked(paragraph, text: str, lang: str) -> None:
    """The text as runs, the foreign terms of an Indonesian report in italics."""
    for piece, italic in foreign_spans(_clean(text), lang):
        paragraph.add_run(piece).italic = italic or None


def _set_language(doc, tag: str) -> None:
    """The language of every run (docDefaults and the Normal style): Word's proofing follows it."""
    for rpr in (
        doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
        doc.styles["Normal"].element.get_or_add_rPr(),
    ):
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), tag)
        lang.set(qn("w:eastAsia"), tag)
        lang.set(qn("w:bidi"), "ar-SA")
    doc.core_properties.language = tag


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES, SEQ ...) with its current result, so it reads right before F9."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(shown)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for name, size in (("Title", 14), ("Heading 1", 12), ("Heading 2", 11), ("Caption", 10)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Title's bottom border and the headings' blue belong to the template, not to a laporan
    title_ppr = doc.styles["Title"].element.find(qn("w:pPr"))
    if title_ppr is not None and title_ppr.find(qn("w:pBdr")) is not None:
        title_ppr.remove(title_ppr.find(qn("w:pBdr")))
    for name in ("Heading 1", "Heading 2"):
        fmt = doc.styles[name].paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(12), Pt(6), True


def _footer(doc, lang: str) -> None:
    """ "Halaman 2 dari 5" in the footer, from Word's PAGE and NUMPAGES fields."""
    with force_locale(lang):
        page_word, of_word = _("Page"), _("of")
    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para.add_run(f"{page_word} ")
    _field(para, "PAGE", "1")
    para.add_run(f" {of_word} ")
    _field(para, "NUMPAGES", "1")
    for run in para.runs:
        run.font.size = Pt(9)


def _caption(doc, word: str, number: int, title: str, lang: str = "id"):
    """ "Tabel 3. ..." in the Caption style, the number a SEQ field Word renumbers."""
    para = doc.add_paragraph(style="Caption")
    para.add_run(f"{word} ")
    _field(para, f"SEQ {word} \\* ARABIC", str(number))
    _marked(para, f". {title}", lang)
    return para


def render_docx(report: Report) -> bytes:
    """The report as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    _styles(doc)
    _set_language(doc, LANGUAGE_TAGS.get(report.lang, "id-ID"))
    doc.core_properties.title = _clean(report.title)
    _footer(doc, report.lang)
    with force_locale(report.lang):
        table_word, figure_word = _("Table"), _("Figure")

    doc.add_paragraph(_clean(report.title), style="Title")
    sub = doc.add_paragraph(_clean(report.subtitle))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_heading(_clean(block.text), level=min(max(block.level, 1), 2))
        elif isinstance(block, Para):
            p = doc.add_paragraph()
            _marked(p, block.text, report.lang)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if block.style == "note":
                for r in p.runs:
                    r.font.size = Pt(9)
        elif isinstance(block, KeyValues):
            t = doc.add_table(rows=0, cols=2)
            for key, value in block.rows:
                cells = t.add_row().cells
                cells[0].text, cells[1].text = _clean(key), _clean(value)
            _widths(t, [4.5, TEXT_WIDTH_CM - 4.5])
            doc.add_paragraph()
        elif isinstance(block, Table):
            _table(doc, block, table_word, report.lang)
        elif isinstance(block, Figure):
            _figure(doc, block, figure_word, report.lang)
        elif isinstance(block, Approval):
            _approval(doc, block)
        elif isinstance(block, Placeholder):
            _placeholder(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _figure(doc, block: Figure, word: str, lang: str = "id") -> None:
    chart = charts.layout(block.kind, block.data)
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    width_cm = min(TEXT_WIDTH_CM, chart.width / 72 * 2.54 * 1.15)
    picture.add_run().add_picture(io.BytesIO(charts.to_png(chart)), width=Cm(width_cm))
    caption = _caption(doc, word, block.number, block.title, lang)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if block.note:
        caption.paragraph_format.keep_with_next = True
        note = doc.add_paragraph()
        r = note.add_run(_clean(block.note))
        r.italic = True
        r.font.size = Pt(9)


#: Header font sizes tried in turn: a wide table's header gets a smaller one when its words would not fit.
HEADER_SIZES = (10.0, 9.0, 8.0)


def _cm(text: str) -> float:
    """Width in cm at 10 pt Times (generous: about 0.21 cm a letter, 0.18 cm a digit, 0.1 cm a comma, point or space)."""
    return sum(0.18 if ch.isdigit() else 0.1 if ch in ",.:; " else 0.21 for ch in text)


def _needs(block: Table, header_pt: float) -> tuple[list[float], list[float]]:
    """Per column, in cm with the cell's margins: the width wanted and the least width.

    Wanted: a number cell whole on one line, else its longest word. Least: the longest
    word of any cell or of the header (at header_pt), below which a word would break.
    """
    wanted, least = [], []
    for j, align in enumerate(block.align):
        cells = [_clean(row[j]) for row in block.rows if j < len(row)]
        head_words = _clean(block.header[j]).split() if j < len(block.header) else []
        header_word = max((_cm(w) * header_pt / 10 for w in head_words), default=0.0)
        longest_word = max([_cm(w) for c in cells for w in c.split()] + [header_word], default=0.0)
        whole = max([_cm(c) for c in cells] + [longest_word]) if align == "r" else longest_word
        wanted.append(0.5 + whole)  # 0.5 cm: the cell's left and right margins
        least.append(0.5 + longest_word)
    return wanted, least


def header_size(block: Table) -> float:
    """The largest header font size (pt) at which every word of the table fits its column unbroken."""
    for size in HEADER_SIZES:
        if sum(_needs(block, size)[1]) <= TEXT_WIDTH_CM:
            return size
    return HEADER_SIZES[-1]


def _fitted_widths(block: Table, header_pt: float = 10.0) -> list[float]:
    """Column widths in cm: the report's relative widths, widened so no number or word breaks.

    A number column gets at least the width of its longest cell and header word;
    text columns share what is left by their relative widths, so a question stem
    wraps between words. When the wanted widths do not fit, the excess is taken
    from the columns wider than their longest word (a long number cell such as a
    confidence interval then wraps at its spaces), never below it, while that is possible.
    """
    total = sum(block.widths) or 1.0
    widths = [TEXT_WIDTH_CM * w / total for w in block.widths]
    wanted, least = _needs(block, header_pt)
    widths = [max(w, n) for w, n in zip(widths, wanted, strict=True)]
    overflow = sum(widths) - TEXT_WIDTH_CM
    if overflow > 0:
        # take the excess from the columns wider than they need, in proportion to their slack
        slack = [w - n for w, n in zip(widths, wanted, strict=True)]
        if sum(slack) < overflow:  # then from the wanted widths too, down to the longest word
            slack = [w - n for w, n in zip(widths, least, strict=True)]
        spare = sum(slack)
        if spare >= overflow:  # else some column would get a negative width: shrink all in proportion
            widths = [w - overflow * s / spare for w, s in zip(widths, slack, strict=True)]
        else:
            widths = [TEXT_WIDTH_CM * w / sum(widths) for w in widths]
    return widths


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths Word and LibreOffice both honour (grid columns and every cell)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, width in zip(table.columns, widths_cm, strict=False):
        col.width = Cm(width)
        for cell in col.cells:
            cell.width = Cm(width)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _no_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _cell(cell, text: str, lang: str):
    """A cell's text as runs (foreign terms in italics, as in the paragraphs); its paragraph."""
    para = cell.paragraphs[0]
    for run in list(para.runs):
        run._r.getparent().remove(run._r)
    _marked(para, text, lang)
    return para


def _table(doc, block: Table, word: str, lang: str = "id") -> None:
    caption = _caption(doc, word, block.number, block.title, lang)
    caption.paragraph_format.keep_with_next = True
    t = doc.add_table(rows=1, cols=len(block.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(t.rows[0])
    head_pt = header_size(block)
    for cell, text, align in zip(t.rows[0].cells, block.header, block.align, strict=False):
        para = _cell(cell, text, lang)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "r" else WD_ALIGN_PARAGRAPH.LEFT
        para.paragraph_format.keep_with_next = True
        for r in para.runs:
            r.bold = True
            r.font.size = Pt(head_pt)
    for i, row in enumerate(block.rows):
        added = t.add_row()
        _no_split(added)
        if block.tall_rows:
            added.height = Cm(0.9)
        for cell, text, align in zip(added.cells, row, block.align, strict=False):
            para = _cell(cell, text.strip(), lang)
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "r" else WD_ALIGN_PARAGRAPH.LEFT
            if text.startswith("    "):
                para.paragraph_format.left_indent = Cm(0.4)
            for r in para.runs:
                r.font.size = Pt(10)
                r.bold = i in block.bold_rows
    if len(block.rows) <= 12:  # a short table stays on one page with its caption and note, as in the PDF
        for row in t.rows if block.note else t.rows[:-1]:
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True
    _widths(t, _fitted_widths(block, head_pt))
    if block.note:
        note = doc.add_paragraph()
        r = note.add_run(_clean(block.note))
        r.italic = True
        r.font.size = Pt(9)
    else:
        doc.add_paragraph()


def _approval(doc, block: Approval) -> None:
    """The approval block (Approval.layout) as a borderless two-column table, kept on one page."""
    doc.add_paragraph().paragraph_format.keep_with_next = True
    t = doc.add_table(rows=0, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout = block.layout()
    for k, row in enumerate(layout):
        cells = [row[0], row[0]] if len(row) == 1 else row
        for line in range(5):
            added = t.add_row()
            _no_split(added)
            if line == 2:
                added.height = Cm(2.2)
            targets = list(added.cells)
            if len(row) == 1:
                targets = [targets[0].merge(targets[1])]
            for cell, entry in zip(targets, cells, strict=False):
                above, role, name, id_line = entry or ("", "", "", "")
                cell.text = _clean((above, role, "", name, id_line)[line])
                para = cell.paragraphs[0]
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.paragraph_format.keep_with_next = not (k == len(layout) - 1 and line == 4)
                for run in para.runs:
                    run.bold = (line == 3) or None
                    run.underline = (line == 3) or None
    _widths(t, [TEXT_WIDTH_CM / 2] * 2)
    doc.add_paragraph()


def _placeholder(doc, block: Placeholder) -> None:
    """A place the authors fill in, highlighted so that it cannot be missed or sent as it is."""
    para = doc.add_paragraph()
    run = para.add_run(_clean(block.text))
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW

"""The Word report: figures, captions Word renumbers, Heading styles, repeating headers, widths, language."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from app.extensions import db
from app.models import CounselingSession
from app.reports import build
from app.services.reportdata import gather
from tests.conftest import delete_test_data, new_educator
from tests.reports.conftest import build_data
from tests.reports.readback import convert, pdf_pages, pdf_text


@pytest.fixture(scope="module")
def docx_bytes(base_app):
    """The Word report of a 30-participant session, rendered once per backend: every test here only
    reads the file. The session is deleted as soon as the file is made."""
    with base_app.app_context():
        try:
            owner = new_educator()
            built = build_data(owner, 30, drop_pre=(3,), drop_post=(5, 9), seed=4)
            data = gather([db.session.get(CounselingSession, built.session_id)])
            return build.render(data, "docx", lang="id").content
        finally:
            delete_test_data()


def test_word_holds_every_figure_as_an_inline_picture_with_a_seq_caption(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    assert len(doc.inline_shapes) == 4  # scores before/after, categories, per question, per topic
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 4 and all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)
    captions = [p for p in doc.paragraphs if p.style.name == "Caption"]
    instr = [" ".join(p._p.xpath(".//w:instrText/text()")) for p in captions]
    assert sum("SEQ Gambar" in i for i in instr) == 4
    assert sum("SEQ Tabel" in i for i in instr) >= 8
    assert any(p.text.startswith("Tabel 1. Karakteristik Responden") for p in captions)
    assert any(p.text.startswith("Gambar 1. ") for p in captions)


def test_word_uses_heading_styles_repeating_headers_and_the_indonesian_language(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Metode" in headings and "Hasil" in headings
    for table in doc.tables[1:]:  # every numbered table (the first is the activity box)
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    langs = doc.styles.element.xpath("//w:docDefaults//w:lang/@w:val")
    assert langs == ["id-ID"]
    footer = doc.sections[0].footer._element.xpath(".//w:instrText/text()")
    assert any("PAGE" in f for f in footer) and any("NUMPAGES" in f for f in footer)


def test_word_question_column_is_wider_than_the_numbers(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    questions = next(t for t in doc.tables if t.rows[0].cells[1].text == "Soal")
    widths = [c.width for c in questions.columns]
    assert widths[1] > 3 * max(widths[2:])  # the stem column, not equal widths
    assert abs(sum(widths) - 16 * 360000) < 360000  # fills the 16 cm text width


def test_libreoffice_converts_the_word_report_to_pdf(docx_bytes, tmp_path):
    path = tmp_path / "laporan.docx"
    path.write_bytes(docx_bytes)
    pdf = convert(path, "pdf")
    text = pdf_text(pdf)
    assert pdf_pages(pdf) >= 4
    assert "Tabel 1. Karakteristik Responden" in text and "Gambar 1." in text
    assert "Halaman 1 dari" in text  # the PAGE/NUMPAGES fields, computed by LibreOffice


def _wide_table():
    from app.reports.document import Table

    header = [
        "",
        "Rerata Kelompok intervensi",
        "Rerata Kelompok kontrol",
        "Selisih",
        "IK 95%",
        "t",
        "df",
        "p",
    ]
    rows = [
        ["Pre-test", "40,63", "43,75", "−3,13", "−12,40 s.d. 6,15", "−0,706", "18,67", "0,489"],
        [
            "Selisih (post − pre)",
            "44,31",
            "12,96",
            "31,35",
            "−123,45 s.d. −111,02",
            "−10,706",
            "118,67",
            "< 0,001",
        ],
    ]
    return Table(
        "t",
        1,
        "Uji t",
        header,
        rows,
        ["l"] + ["r"] * 7,
        [2, 1.2, 1.2, 1, 1.8, 0.8, 0.7, 0.8],
        caption="Tabel 1.",
    )


def test_word_header_words_fit_their_columns_in_a_wide_table(app):
    """Bold header words at their size fit their column (with Word's 0.19 cm cell margins), so none breaks."""
    from PIL import ImageFont

    from app.reports.word import _fitted_widths, header_size

    block = _wide_table()
    size = header_size(block)
    bold = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf", 1000)
    widths = _fitted_widths(block, size)
    assert abs(sum(widths) - 16.0) < 0.01
    for width, text in zip(widths, block.header, strict=True):
        for word in text.split():
            assert bold.getlength(word) / 1000 * size / 72 * 2.54 + 0.38 <= width, (word, width, size)


def test_libreoffice_breaks_the_wide_table_headers_between_words(app, tmp_path):
    from app.reports.document import Report
    from app.reports.word import render_docx

    path = tmp_path / "lebar.docx"
    path.write_bytes(render_docx(Report("id", "Laporan", "", [_wide_table()], False)))
    pdf = convert(path, "pdf")
    tokens = pdf_text(pdf).split()
    assert tokens.count("Kelompok") == 2, tokens
    assert not {"Kelompo", "Kelomp", "k"} & set(tokens), tokens


def test_word_gives_a_smaller_header_font_when_the_words_would_not_fit_at_10_pt(app):
    from PIL import ImageFont

    from app.reports.document import Report, Table
    from app.reports.word import _fitted_widths, header_size, render_docx

    header = ["Pengetahuan terkoreksi"] * 6
    block = Table("w", 1, "Lebar", header, [["12,34"] * 6], ["r"] * 6, [1] * 6, caption="Tabel 1.")
    assert header_size(block) == 9
    bold = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf", 1000)
    for width in _fitted_widths(block, 9):
        assert bold.getlength("Pengetahuan") / 1000 * 9 / 72 * 2.54 + 0.38 <= width
    doc = Document(io.BytesIO(render_docx(Report("id", "Laporan", "", [block], False))))
    sizes = {r.font.size.pt for c in doc.tables[0].rows[0].cells for p in c.paragraphs for r in p.runs}
    assert sizes == {9.0}
    assert {r.font.size.pt for c in doc.tables[0].rows[1].cells for p in c.paragraphs for r in p.runs} == {
        10.0
    }

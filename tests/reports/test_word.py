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
from app.services.accounts import create_account
from app.services.reportdata import gather
from tests.conftest import delete_data
from tests.reports.conftest import build_data
from tests.reports.readback import convert, pdf_pages, pdf_text


@pytest.fixture(scope="module")
def docx_bytes(base_app):
    """The Word report of a 30-participant session, rendered once per backend: every test here only
    reads the file. The session is deleted as soon as the file is made."""
    with base_app.app_context():
        try:
            owner = create_account(
                None,
                username="bidan",
                full_name="Bidan Sari",
                password="rahasia-123",
                institution="Puskesmas Contoh",
            )
            built = build_data(owner, 30, drop_pre=(3,), drop_post=(5, 9), seed=4)
            data = gather([db.session.get(CounselingSession, built.session_id)])
            return build.render(data, "docx", lang="id").content
        finally:
            delete_data()


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

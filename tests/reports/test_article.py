"""The article draft (.docx): a pengabdian journal article's shape, read back through LibreOffice."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from analysis.format import format_number
from app.reports import build
from app.reports.document import Figure, build_report
from app.services.reportdata import gather
from tests.conftest import EducatorActions
from tests.reports.readback import convert, pdf_text


def test_libreoffice_reads_the_article_with_its_sections_figures_and_n(with_details, tmp_path):
    data = gather([with_details])
    result = data.analyse("id")
    download = build.render(data, "article", lang="id", stem="laporan-1")
    assert download.filename == "laporan-1-draf-artikel.docx"
    path = tmp_path / download.filename
    path.write_bytes(download.content)
    text = pdf_text(convert(path, "pdf"))
    flat = " ".join(text.split())
    at = [flat.index(h) for h in ("Abstrak", "Abstract", "Pendahuluan", "Metode", "Hasil dan Pembahasan")]
    at += [flat.index(h, at[-1]) for h in ("Pembahasan", "Kesimpulan", "Daftar Pustaka")]
    assert at == sorted(at), at  # in the journal's order
    assert flat.startswith("Edukasi Produksi ASI di Posyandu Melati")
    # n and the key figures, in both abstracts
    c, desc = result.counts, result.descriptives
    assert (c.n_participants, c.n_paired) == (30, 27)
    assert "sebanyak 27 dari 30 peserta mengikuti keduanya" in flat
    assert "27 of 30 participants took both" in flat
    pre, post = format_number(desc["pre"].mean, 2, "id"), format_number(desc["post"].mean, 2, "id")
    assert f"naik dari {pre} sebelum menjadi {post}" in flat
    assert f"from {format_number(desc['pre'].mean, 2, 'en')} before to" in flat
    # the method describes the education, not only the evaluation, and cites the methods
    assert "Edukasi diberikan dengan metode ceramah, diskusi dan tanya jawab" in flat
    assert "Edukasi berlangsung selama 90 menit" in flat
    assert "Hake, R. R. (1998). Interactive-engagement versus traditional methods" in flat
    assert "McNemar, Q. (1947)" in flat and "Analisis mengacu pada Cohen (1988), Hake (1998)" in flat
    # the report's tables and figures, numbered from 1 in the article
    assert "Tabel 1. Karakteristik Responden" in flat and "Gambar 1." in flat and "Gambar 3." in flat
    assert f"naik dari {pre} menjadi {post}" in flat  # the conclusion sentence
    assert "Lampiran" not in flat and "Mengetahui" not in flat and "daftar hadir" not in flat
    doc = Document(io.BytesIO(download.content))
    # every figure of the report's results is in the article, each with its caption
    figures = [b for b in build_report(data, result, "id").blocks if isinstance(b, Figure)]
    assert len(figures) >= 3 and len(doc.inline_shapes) == len(figures)
    assert f"Gambar {len(figures)}." in flat and f"Gambar {len(figures) + 1}." not in flat
    marked = [
        r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert any(m.startswith("[Pendahuluan:") for m in marked) and any(
        m.startswith("[Pembahasan:") for m in marked
    )
    assert "Ucapan Terima Kasih" in flat and "Puskesmas Serpong 1 dan LPPM Universitas Contoh" in flat


def test_an_article_of_a_session_without_details_keeps_the_marked_places(app, build_session, session_of):
    session = session_of(build_session(12, seed=2))
    doc = Document(io.BytesIO(build.render(gather([session]), "article", lang="en").content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:5] == ["Abstrak", "Abstract", "Introduction", "Method", "Results and discussion"]
    assert "Conclusion" in headings and "References" in headings and "Acknowledgements" not in headings
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "The team was led by" not in body and "Bidan Sari" in doc.paragraphs[1].text


def test_the_article_is_a_download_on_the_session_page_and_a_cli_format(app, with_details, runner, tmp_path):
    client = EducatorActions(app.test_client())
    client.login()
    page = client.client.get(f"/educator/sessions/{with_details.id}")
    assert f"/reports/sessions/{with_details.id}/download/article" in page.text
    response = client.client.get(f"/reports/sessions/{with_details.id}/download/article")
    assert response.status_code == 200
    assert "draf-artikel.docx" in response.headers["Content-Disposition"]
    assert Document(io.BytesIO(response.data)).paragraphs[0].text == "Edukasi Produksi ASI di Posyandu Melati"
    out = tmp_path / "artikel.docx"
    done = runner.invoke(args=["report", str(with_details.id), "--format", "article", "-o", str(out)])
    assert done.exit_code == 0, done.output
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert "Kesimpulan" in headings and "Daftar Pustaka" in headings

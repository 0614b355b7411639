"""What a reviewer reads in the report: Indonesian wording, minus signs, italics, the gain by characteristic."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from docx import Document

from app.reports import build
from app.services.reportdata import gather
from tests.reports.readback import pdf_text
from tests.reports.test_numbers import activity


def pdf_pages(content: bytes) -> list[str]:
    return pdf_text(content).split("\f")


@pytest.fixture
def thirty(app, build_session, session_of):
    built = build_session(30, names=['<b>Siti & "Ani"</b>'], drop_pre=(3,), drop_post=(5, 9), seed=4)
    return gather([session_of(built)])


def test_the_pdf_shows_the_gain_by_characteristic_and_words_reviewers_expect(thirty):
    pages = pdf_pages(build.render(thirty, "pdf").content)
    text = " ".join(" ".join(pages).split())
    assert "Peningkatan Nilai menurut Karakteristik Responden" in text
    assert re.search(r"Kruskal-Wallis H = \d+,\d{3}; df = \d+; p = \d,\d{3}", text)
    assert "ANCOVA F(" in text
    assert "Ranking" not in text and "ranking" not in text and "Rerata peringkat" in text
    assert "N-Gain Ternormalisasi" not in text
    assert "d_z" not in text and "Cohen's d untuk data berpasangan (dz" in text
    interpretation = text.split("Interpretasi")[1].split("Lampiran")[0]
    assert not re.search(r"[.!?] \d", interpretation)  # no sentence begins with a numeral
    assert "Persentase jawaban benar meningkat secara bermakna pada" in interpretation
    for page in pages:  # the Hasil heading is never alone at the foot of a page
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if "Hasil" in lines:
            assert any(line.startswith("Tabel") for line in lines[lines.index("Hasil") :])


def test_the_pdf_embeds_the_italic_face_and_prints_minus_signs(thirty):
    content = build.render(thirty, "pdf").content
    fonts = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=True).stdout.decode()
    assert "DejaVuSans-Oblique" in fonts  # foreign terms (pre-test, signed-rank ...) in italics
    text = " ".join(" ".join(pdf_pages(content)).split())
    assert re.search(r"−\d+,\d\d", text)  # r_it −0,24: the minus sign, not a hyphen
    assert not re.search(r"(?<![\w−])-\d+,\d\d", text)


def test_word_puts_foreign_terms_in_italics_and_has_the_gain_table(thirty):
    doc = Document(io.BytesIO(build.render(thirty, "docx").content))
    italic = {r.text for p in doc.paragraphs for r in p.runs if r.italic}
    assert {"pre-test", "post-test"} <= italic
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert any("Peningkatan Nilai menurut Karakteristik Responden" in c for c in captions)


def test_with_names_the_attendance_list_has_names_and_the_scores_stay_pseudonymous(thirty):
    doc = Document(io.BytesIO(build.render(thirty, "docx", with_names=True).content))
    by_caption = {}
    tables = iter(doc.tables[1:])
    for p in doc.paragraphs:
        if p.style.name == "Caption" and p.text.startswith("Tabel"):
            by_caption[p.text] = next(tables)
    scores = next(t for c, t in by_caption.items() if "Nilai Setiap Peserta" in c)
    attendance = next(t for c, t in by_caption.items() if "Daftar Hadir" in c)
    assert [r.cells[1].text for r in scores.rows[1:4]] == ["P01", "P02", "P03"]
    assert attendance.rows[1].cells[1].text == '<b>Siti & "Ani"</b>'
    assert len(attendance.rows) - 1 == len(thirty.people)  # everyone registered, with or without a test


def test_the_decision_gives_the_direction_when_knowledge_fell(app, tmp_path):
    path = tmp_path / "turun.csv"
    pre = [80, 90, 85, 70, 75, 95, 88, 92, 78, 84]
    post = [60, 70, 75, 50, 65, 80, 70, 72, 66, 70]
    rows = ["participant,pre,post"] + [
        f"A{i},{a},{b}" for i, (a, b) in enumerate(zip(pre, post, strict=True))
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = " ".join(" ".join(pdf_pages(build.report_from_file(path, activity(), "pdf").content)).split())
    assert "pengetahuan sesudah edukasi lebih rendah secara bermakna daripada sebelumnya" in text
    assert "turun dari" in text

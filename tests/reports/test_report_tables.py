"""The report's tables a reviewer checks, read back from the PDF (pdftotext) and the Word file (LibreOffice).

The answer key, the instrument appendix, item validity against r tabel with Ebel's categories, the
comments on reliability and weak questions, short row labels with units, categories in a fixed order,
italics in table cells and the note when neighbouring tables count different participants.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from docx import Document

from app.models import CounselingSession
from app.reports import build
from app.services.reportdata import gather
from tests.analysis.rlive import r_matrix, run_r
from tests.reports.readback import convert, pdf_text
from tests.reports.test_numbers import activity

FOOTER = re.compile(r"^.*Halaman \d+ dari \d+\s*$|\f", re.MULTILINE)


def flat(text: str) -> str:
    """The words in reading order, without the page footers a table or note may run across."""
    return " ".join(FOOTER.sub("", text).split())


def in_order(text: str, names: list[str]) -> list[str]:
    """The names that begin a row of the text (a name, then a count), in the order the rows come."""
    found = [(m.start(), n) for n in names if (m := re.search(rf"^\s*{re.escape(n)}\s+\d+\s", text, re.M))]
    return [n for _at, n in sorted(found)]


@pytest.fixture
def thirty(app, build_session, session_of):
    built = build_session(30, drop_pre=(3,), drop_post=(5, 9), seed=4)
    return session_of(built)


def expected_keys(session: CounselingSession) -> list[str]:
    """The key of each question as the quiz version stores it: the correct option's letter, or Benar/Salah."""
    keys = []
    for q in session.quiz_version.knowledge_questions:
        right = next(i for i, o in enumerate(q.options) if o.is_correct)
        keys.append(q.options[right].text_id if q.type == "true_false" else "abcdefgh"[right])
    return keys


def section(text: str, start: str, end: str) -> str:
    assert start in text, start
    return text.split(start, 1)[1].split(end, 1)[0]


def test_pdf_has_the_key_the_instrument_validity_and_the_comments(thirty):
    data = gather([thirty])
    text = pdf_text(build.render(data, "pdf").content)
    words = flat(text)

    # the per-question table: a Kunci column with each question's key
    per_question = section(text, "Persentase Jawaban Benar per Soal Sebelum dan Sesudah", "Kunci: jawaban")
    assert "Kunci" in per_question.splitlines()[1]
    keys = expected_keys(thirty)
    rows = [line for line in per_question.splitlines() if re.search(r"\s27\s+\d+,\d%", line)]
    assert len(rows) == len(keys) == 16
    for line, key in zip(rows, keys, strict=True):
        assert re.search(rf"\s{key}\s+27\s", line), (key, line)

    # the instrument appendix: every question, every option with its letter, the key and the source
    appendix = flat(text.split("Lampiran: Kuesioner Produksi ASI (v1.1)", 1)[1])
    for q in thirty.quiz_version.knowledge_questions:
        assert flat(q.stem_id)[:40] in appendix
        if q.type == "single_choice":
            for i, o in enumerate(q.options):
                assert f"{'abcd'[i]}. {flat(o.text_id)}"[:30] in appendix
        else:
            assert "(Benar / Salah)" in appendix
    assert "WHO, Infant and Young Child Feeding" in appendix
    assert "Kemenkes RI, Buku Kesehatan Ibu" in appendix

    # validity against r tabel, named as reviewers name it, with Ebel's categories
    assert "Validitas Butir Soal (r tabel) dan Daya Beda (Ebel)" in words
    assert "r tabel, yaitu r kritis pada df = n − 2 dan α = 0,05 (dua sisi)" in words
    assert "Pre-test (n = 29; df = 27)" in words and "Post-test (n = 28; df = 26)" in words
    assert "0,367" in words and "0,374" in words  # r tabel at df = 27 and df = 26 in any printed table

    # the comments: reliability below 0,70 and the weak questions, in the report's words
    assert re.search(
        r"Reliabilitas kuesioner rendah: KR-20 \(pre-test −?\d,\d{3}; post-test −?\d,\d{3}\)", words
    )
    assert "di bawah 0,70" in words
    assert re.search(
        r"Pada pre-test, \d+ dari 16 soal tidak valid \(r hitung tidak lebih besar dari r tabel", words
    )
    assert "perlu ditulis ulang atau diganti sebelum kuesioner dipakai lagi" in words

    # the item-quality table counts 29 and 28 where the per-question table counts 27: said under it
    assert (
        "(pre-test n = 29, post-test n = 28), bukan hanya 27 peserta yang mengikuti kedua tes pada tabel per soal"
        in words
    )


def test_the_printed_r_and_validity_equal_r(thirty):
    """R: cor(x[, j], rowSums(x[, -j])) per question and qt(0.975, n - 2) for r tabel; valid when r > r tabel."""
    data = gather([thirty])
    text = pdf_text(build.render(data, "pdf").content)
    table = section(text, "Validitas Butir Soal (r tabel) dan Daya Beda (Ebel)", "Tabel ini memakai")
    pre_part, post_part = table.split("Post-test (n =")
    for part, items in ((pre_part, data.items_pre), (post_part, data.items_post)):
        x = items[~np.isnan(items).any(axis=1)]
        r = run_r(
            f"x <- {r_matrix(x)}; n <- nrow(x)\n"
            "r <- sapply(1:ncol(x), function(j) if (var(x[, j]) > 0) cor(x[, j], rowSums(x[, -j])) else NA)\n"
            "t <- qt(0.975, n - 2); out('r', r); out('rtab', t / sqrt(n - 2 + t^2))"
        )
        rows = re.findall(
            r"^\s*(\d+)\s+(−?\d,\d{3}|–)\s+(\d,\d{3})\s+(Valid|Tidak valid|–)\s", part, flags=re.MULTILINE
        )
        assert len(rows) == 16
        for (number, r_hit, r_tab, verdict), r_expected in zip(rows, r["r"], strict=True):
            assert float(r_tab.replace(",", ".")) == pytest.approx(r["rtab"][0], abs=0.0005)
            if np.isnan(r_expected):
                assert r_hit == "–" and verdict == "–"
                continue
            assert float(r_hit.replace(",", ".").replace("−", "-")) == pytest.approx(
                r_expected, abs=0.0005
            ), number
            assert verdict == ("Valid" if r_expected > r["rtab"][0] else "Tidak valid"), number


def test_word_through_libreoffice_has_the_same_tables_and_italics_in_cells(thirty, tmp_path):
    data = gather([thirty])
    content = build.render(data, "docx").content
    path = tmp_path / "laporan.docx"
    path.write_bytes(content)
    words = flat(pdf_text(convert(path, "pdf")))
    assert "Kunci" in words
    assert "Validitas Butir Soal (r tabel) dan Daya Beda (Ebel)" in words
    assert "Lampiran: Kuesioner Produksi ASI (v1.1)" in words
    assert "b. Prolaktin" in words and "WHO, Infant and Young Child" in words
    assert "Reliabilitas kuesioner rendah" in words
    assert "bukan hanya 27 peserta yang mengikuti kedua tes pada tabel per soal" in words

    doc = Document(io.BytesIO(content))
    italic_in_cells = {
        run.text
        for table in doc.tables
        for row in table.rows
        for cell in row.cells
        for para in cell.paragraphs
        for run in para.runs
        if run.italic
    }
    assert {"Pre-test", "Post-test"} <= italic_in_cells  # Tabel 2's rows and the item tables' headers


def test_english_report_comments_in_english(thirty):
    words = flat(pdf_text(build.render(gather([thirty]), "pdf", lang="en").content))
    assert "Item validity (r table) and discrimination (Ebel)" in words
    assert re.search(
        r"The reliability of the questionnaire is low: KR-20 \(pre-test −?\d\.\d{3}; post-test", words
    )
    assert re.search(r"On the pre-test, \d+ of 16 questions are not valid", words)
    assert "Appendix: questionnaire Breast-milk production (v1.1)" in words
    assert "Key" in words


def test_short_row_labels_units_numbers_and_the_registration_order(app, build_session, session_of):
    built = build_session(
        30, seed=7, characteristics=["age", "status", "baby_age_months", "relation", "parity"]
    )
    text = pdf_text(build.render(gather([session_of(built)]), "pdf").content)
    table = section(text, "Karakteristik Responden", "n = 30 peserta")
    words = flat(table)
    assert "Apakah Anda sedang hamil" not in words and "Umur bayi yang paling kecil" not in words
    assert "Status hamil/menyusui" in words and "Paritas" in words and "Hubungan dengan bayi" in words
    assert re.search(r"Umur bayi \(bulan\) rerata ± SD \d+,\d ± \d+,\d \(min–maks \d+–\d+\) 30", words)
    assert re.search(r"Umur \(tahun\) rerata ± SD \d+,\d ± \d+,\d \(min–maks \d+–\d+\) 30", words)
    # the status choices in the order the registration lists them, whichever was seen first
    order = ["Hamil", "Menyusui", "Hamil dan menyusui", "Tidak keduanya"]
    status = section(table, "Status hamil/menyusui", "Umur bayi")
    seen = in_order(status, order)
    assert seen == [c for c in order if c in seen] and len(seen) >= 3
    baby = section(table, "Umur bayi (bulan)", "Hubungan dengan bayi")
    bands = ["0–6", "7–12", "13–24", "> 24"]
    seen = in_order(baby, bands)
    assert seen == [b for b in bands if b in seen] and len(seen) >= 3


def test_a_files_categories_in_a_known_or_sorted_order_not_first_seen(app, tmp_path):
    path = tmp_path / "rekap.csv"
    education = ["SMA", "S1", "SD", "SMP", "SMA", "SD", "S1", "SMP", "SMA", "SD", "SMA", "SMP"]
    work = ["Petani", "IRT", "Buruh", "IRT", "Petani", "Buruh", "IRT", "IRT", "Petani", "Buruh", "IRT", "IRT"]
    pre = [40, 50, 45, 60, 35, 55, 50, 40, 45, 60, 50, 55]
    post = [80, 85, 70, 90, 75, 80, 95, 70, 85, 90, 80, 75]
    lines = ["Nama,Pendidikan,Pekerjaan,Pretest,Posttest"] + [
        f"Ibu {i},{e},{w},{a},{b}"
        for i, (e, w, a, b) in enumerate(zip(education, work, pre, post, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = pdf_text(build.report_from_file(path, activity(), "pdf").content)
    table = section(text, "Karakteristik Responden", "n = 12 peserta")

    assert in_order(table, ["SMA", "S1", "SD", "SMP"]) == ["SD", "SMP", "SMA", "S1"]  # school levels
    assert in_order(table, ["Petani", "IRT", "Buruh"]) == ["Buruh", "IRT", "Petani"]  # others: sorted


def test_results_page_shows_the_new_tables(app, educator_client, build_session):
    built = build_session(12, seed=3)
    page = educator_client.client.get(f"/reports/sessions/{built.session_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="table-validity"' in html and 'id="table-instrument"' in html
    assert "Kunci" in html and "Lampiran: Kuesioner Produksi ASI (v1.1)" in html


def test_the_gain_by_characteristic_names_the_units_as_the_characteristics_table(
    app, build_session, session_of
):
    from app.reports.document import build_report

    built = build_session(30, seed=7, characteristics=["age", "baby_age_months", "parity"])
    data = gather([session_of(built)])
    for lang, baby, age in (
        ("id", "Umur bayi (bulan)", "Umur (tahun)"),
        ("en", "Baby's age (months)", "Age (years)"),
    ):
        report = build_report(data, data.analyse(lang), lang)
        tables = {t.key: t for t in report.tables}
        headings = [
            tables["gain_by_characteristic"].rows[i][0] for i in tables["gain_by_characteristic"].bold_rows
        ]
        assert baby in headings and age in headings, (lang, headings)
        first = [tables["characteristics"].rows[i][0] for i in tables["characteristics"].bold_rows]
        assert baby in first and age in first, (lang, first)  # the same words in both tables
    assert tables["gain_by_characteristic"].caption.startswith("Table 8.")

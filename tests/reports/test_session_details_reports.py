"""The session's report details in the PDF and Word report and on the certificates; none filled: as before."""

from __future__ import annotations

import io

from docx import Document
from flask_babel import force_locale

from app.extensions import db
from app.reports import build
from app.reports.document import Approval, Para, _Builder, build_report
from app.reports.views import verify_url
from app.services import sessioninfo
from app.services.reportdata import gather
from app.services.sessioninfo import Member, SessionInfo
from tests.reports.conftest import NASTY
from tests.reports.readback import pdf_text


def test_the_pdf_has_the_education_in_its_method_and_the_approval_block(with_details):
    text = pdf_text(build.render(gather([with_details]), "pdf", lang="id").content)
    flat = " ".join(text.split())
    assert (
        "Edukasi diberikan dengan metode ceramah, diskusi dan tanya jawab. Media yang digunakan adalah "
        "leaflet, slide presentasi dan video animasi. Edukasi berlangsung selama 90 menit." in flat
    )
    assert "Tim pelaksana diketuai oleh Dr. Rina Marlina, M.Keb (NIDN 0012038101) dengan anggota" in flat
    assert "Budi Santoso (NIP 19800101 200501 1 001) dan " + NASTY in flat  # printed as typed
    assert "Kegiatan dilaksanakan bersama Puskesmas Serpong 1 sebagai mitra." in flat
    assert "Kegiatan didanai oleh LPPM Universitas Contoh." in flat
    assert "Mengetahui," in text and "Tangerang Selatan, 21 November 2026" in text  # one line
    for line in ("Kepala Puskesmas Serpong 1", "Ketua LPPM", "Ketua Pelaksana", "dr. Hendra Wijaya"):
        assert line in text
    assert "NIP. 197501012005011002" in text and "NIDN. 0001016501" in text
    # the approval block closes the report's body: after the interpretation, before the appendices
    assert flat.index("Interpretasi") < flat.index("Mengetahui,") < flat.index("Lampiran")


def test_the_english_report_says_the_same_in_english(with_details):
    report = build_report(gather([with_details]), gather([with_details]).analyse("en"), "en")
    texts = [b.text for b in report.blocks if isinstance(b, Para)]
    assert any(
        t.startswith("The education used lecture, discussion and question-and-answer. The media were")
        for t in texts
    )
    (approval,) = [b for b in report.blocks if isinstance(b, Approval)]
    assert approval.lead == "Approved by," and approval.place_date == "Tangerang Selatan, 21 November 2026"


def test_the_word_report_has_the_approval_block_with_names_and_numbers(with_details):
    doc = Document(io.BytesIO(build.render(gather([with_details]), "docx", lang="id").content))
    block = next(t for t in doc.tables if any("Mengetahui," in c.text for c in t.rows[0].cells))
    cells = [[c.text for c in row.cells] for row in block.rows]
    # the first signatory left under "Mengetahui,", the last right under the place and date
    assert cells[0] == ["Mengetahui,", "Tangerang Selatan, 21 November 2026"]
    assert cells[1] == ["Kepala Puskesmas Serpong 1", "Ketua Pelaksana"]
    assert cells[3] == ["dr. Hendra Wijaya", "Dr. Rina Marlina, M.Keb"]
    assert cells[4] == ["NIP. 197501012005011002", "NIDN. 0012038101"]
    # the one between them centred below, across both columns (a merged cell)
    assert cells[6] == ["Ketua LPPM", "Ketua LPPM"] and cells[8] == ["Prof. Sri Lestari"] * 2
    assert cells[9] == ["NIDN. 0001016501"] * 2
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Edukasi diberikan dengan metode ceramah, diskusi dan tanya jawab." in body


def test_certificates_carry_the_first_two_signatories(app, with_details):
    pdf, count = build.certificates_pdf(with_details, verify_url, lang="id", issue_missing=True)
    text = pdf_text(pdf)
    assert count == 28
    assert text.count("Kepala Puskesmas Serpong 1") == count and text.count("Prof. Sri Lestari") == count
    assert "NIP. 197501012005011002" in text and "Ketua Pelaksana" not in text


def test_without_details_the_report_and_certificates_stay_as_they_were(
    app, build_session, session_of, educator
):
    session = session_of(build_session(12, seed=2))
    data = gather([session])
    result = data.analyse("id")
    report = build_report(data, result, "id")
    assert not [b for b in report.blocks if isinstance(b, Approval)]
    text = pdf_text(build.render(data, "pdf", lang="id").content)
    assert "Mengetahui" not in text and "Edukasi diberikan" not in text and "Tim pelaksana" not in text
    heading = next(b for b in report.blocks if getattr(b, "text", "") == "Metode")
    method = report.blocks[report.blocks.index(heading) + 1]
    with force_locale("id"):  # right under the heading: the evaluation's paragraph, as before
        assert method.text == _Builder(data, result, "id", False).method_text()
    pdf, _count = build.certificates_pdf(session, verify_url, lang="id", issue_missing=True)
    assert "Penyuluh" in pdf_text(pdf) and "Bidan Sari" in pdf_text(pdf)


def test_the_results_page_shows_the_approval_block_escaped(app, with_details):
    from tests.conftest import EducatorActions

    signer = Member("<i>Ibu & Bapak</i>", "NIP", "197501012005011002", "Kepala Puskesmas")
    sessioninfo.update(with_details, SessionInfo(signatories=(signer,)), actor=with_details.educator)
    db.session.commit()
    client = EducatorActions(app.test_client())
    client.login()
    page = client.client.get(f"/reports/sessions/{with_details.id}").text
    block = page[page.index('class="report-approval"') :]
    assert "&lt;i&gt;Ibu &amp; Bapak&lt;/i&gt;" in block and "<i>Ibu" not in block
    assert "Kepala Puskesmas" in block and "NIP. 197501012005011002" in block
    assert "Mengetahui" not in block  # one signatory: no "Mengetahui," above her

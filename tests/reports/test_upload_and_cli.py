"""The same report from a file collected elsewhere (page and command line), and the flask commands."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog
from tests.conftest import csrf_from
from tests.reports.readback import pdf_text

GOOD = "participant;pendidikan;pre;post\nA01;SMA;50;75,5\nA02;SD;40;80\nA03;SMA;60;90\nA04;SMP;55;70\nA05;SD;35;85\n"
BAD = "participant,pre,post\nA01,50,75\nA02,abc,80\n"


def upload(client, content: str, filename: str = "skor.csv", **fields):
    return upload_bytes(client, content.encode(), filename, **fields)


def upload_bytes(client, content: bytes, filename: str, **fields):
    page = client.get("/reports/upload")
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_from(page.text),
        "title": "Penyuluhan ASI di Desa Sukamaju",
        "place": "Balai Desa",
        "held_on": "2026-10-01",
        "educator": "Tim Dosen",
        "institution": "Poltekkes",
        "max_score": "100",
        "lang": "id",
        "fmt": "pdf",
        "data_file": (io.BytesIO(content), filename),
    }
    data.update(fields)
    return client.post("/reports/upload", data=data, content_type="multipart/form-data")


def refused(client, content: str | bytes, filename: str = "skor.csv", **fields) -> str:
    """Upload a file the page refuses (422, not a download); the page's text."""
    response = upload_bytes(
        client, content.encode() if isinstance(content, str) else content, filename, **fields
    )
    assert response.status_code == 422, response.status_code
    return response.text


def test_upload_gives_the_same_report_from_a_file(app, educator_client):
    response = upload(educator_client.client, GOOD)
    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Penyuluhan ASI di Desa Sukamaju" in text and "Balai Desa" in text and "Tabel 1" in text
    assert "75,50" not in text or "P01" in text  # pseudonymised by default
    assert "A01" not in text
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "export.file_pdf"))
    assert entry.detail["participants"] == 5


def test_upload_word_with_names(app, educator_client):
    from docx import Document

    response = upload(educator_client.client, GOOD, fmt="docx", with_names="y")
    assert response.status_code == 200
    cells = {c.text for t in Document(io.BytesIO(response.data)).tables for r in t.rows for c in r.cells}
    assert "A03" in cells


def test_a_bad_file_gets_row_and_column_messages_on_the_page(app, educator_client):
    text = refused(educator_client.client, BAD)
    assert "skor.csv: baris 3, kolom &#39;pre&#39;, nilai &#39;abc&#39;: bukan angka" in text


def test_flask_report_from_file_and_for_a_session(app, runner, build_session, tmp_path):
    data = tmp_path / "skor.csv"
    data.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "r.pdf"
    result = runner.invoke(
        args=["report", "--from-file", str(data), "--format", "pdf", "--title", "Kelas ASI", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Kelas ASI" in pdf_text(out.read_bytes())
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["report", "--from-file", str(bad), "--format", "pdf"])
    assert result.exit_code == 2 and "baris 3, kolom 'pre', nilai 'abc': bukan angka" in result.output

    built = build_session(5)
    for fmt in ("docx", "xlsx", "sav", "csv"):
        target = tmp_path / f"s.{fmt}"
        result = runner.invoke(args=["report", str(built.session_id), "--format", fmt, "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 0
    result = runner.invoke(args=["certificates", str(built.session_id), "-o", str(tmp_path / "c.pdf")])
    assert result.exit_code == 0 and "5 certificate(s)" in result.output
    assert runner.invoke(args=["report", "999999"]).exit_code == 1


def _drop_certificates(session_id: int, keep: int) -> int:
    """Delete all but `keep` certificates of the session, as data from before certificates existed."""
    from app.models import Certificate, Participant

    rows = db.session.scalars(
        select(Certificate)
        .join(Participant)
        .where(Participant.session_id == session_id)
        .order_by(Certificate.id)
    ).all()
    for cert in rows[keep:]:
        db.session.delete(cert)
    db.session.commit()
    return len(rows)


def _n_certificates(session_id: int) -> int:
    from sqlalchemy import func

    from app.models import Certificate, Participant

    db.session.expire_all()
    return db.session.scalar(
        select(func.count(Certificate.id)).join(Participant).where(Participant.session_id == session_id)
    )


def test_a_certificate_download_only_reads_and_the_command_issues_missing_ones(
    app, runner, build_session, educator_client, tmp_path
):
    built = build_session(4)
    assert _drop_certificates(built.session_id, keep=1) == 4
    response = educator_client.client.get(f"/reports/sessions/{built.session_id}/certificates.pdf")
    assert response.status_code == 200  # a GET that issued certificates would raise WriteOnSafeRequest
    assert _n_certificates(built.session_id) == 1
    result = runner.invoke(args=["certificates", str(built.session_id), "-o", str(tmp_path / "c.pdf")])
    assert result.exit_code == 0 and "4 certificate(s)" in result.output
    assert _n_certificates(built.session_id) == 4


def test_closing_the_session_issues_the_missing_certificates(app, build_session, educator_client):
    from tests.conftest import csrf_from

    built = build_session(3)
    _drop_certificates(built.session_id, keep=0)
    page = educator_client.client.get(f"/educator/sessions/{built.session_id}")
    reopen = educator_client.client.post(
        f"/educator/sessions/{built.session_id}/phase",
        data={"target": "post_open", "csrf_token": csrf_from(page.text)},
    )
    assert reopen.status_code == 302
    assert _n_certificates(built.session_id) == 0
    educator_client.move(built.session_id, "closed")
    assert _n_certificates(built.session_id) == 3

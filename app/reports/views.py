"""Report views: each loads, checks access, validates, calls one build function, then renders or sends.

The builders (app/reports/build.py, the document, the report data and exports) are imported by the
views that use them, when they first run: a server start, and the participants' pages, do not need
them (bench/README.md, start-up)."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from analysis.format import explain_file_error
from app.errors import error_response
from app.extensions import limiter
from app.i18n import current_lang
from app.reports import bp
from app.reports.forms import UploadForm
from app.services import certificates, privacy
from app.services import sessions as svc
from app.urls import database_id, public_url

if TYPE_CHECKING:
    from app.reports.build import Download

DOWNLOADS = ("pdf", "docx", "xlsx", "sav", "sav-long", "csv", "article")


def _lang() -> str:
    """The report language: ?lang=en or id, else the language of the interface."""
    lang = request.args.get("lang")
    if lang in ("id", "en"):
        return lang
    return current_lang()


def _semicolon() -> bool:
    """CSV for the Excel of the interface's language: ?sep=semicolon|comma, else semicolons in Indonesian."""
    sep = request.args.get("sep")
    if sep in ("semicolon", "comma"):
        return sep == "semicolon"
    return current_lang() == "id"


def _with_names(sessions) -> bool:
    """Names only when asked for, and only for the sessions' own educator (or an admin)."""
    return request.args.get("names") == "1" and all(privacy.may_identify(current_user, s) for s in sessions)


def _send(download: Download) -> Response:
    response = Response(download.content, mimetype=download.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def verify_url(code: str) -> str:
    """The public address printed in a certificate's QR code (app/urls.py public_base)."""
    return public_url("/c/" + code)  # built by hand: `flask certificates` has no request for url_for


@bp.get("/sessions/<int:session_id>")
@login_required
def session_results(session_id: int):
    """The session's results: the report's tables and charts, before anything is downloaded."""
    from app.reports import build

    target = svc.get_for(current_user, session_id)
    lang = _lang()
    page = build.results([target], lang, with_names=_with_names([target]))
    return render_template(
        "reports/session.html",
        target=target,
        page=page,
        lang_report=lang,
        can_change=svc.can_change(current_user, target),
        formats=DOWNLOADS,
    )


@bp.get("/sessions/<int:session_id>/download/<fmt>")
@login_required
def session_download(session_id: int, fmt: str):
    """The report (PDF, Word) or the data (Excel, SPSS wide or long, CSV) of one session."""
    from app.reports import build

    target = svc.get_for(current_user, session_id)
    if fmt not in DOWNLOADS:
        abort(404)
    download = build.export_sessions(
        [target],
        fmt,
        lang=_lang(),
        with_names=_with_names([target]),
        semicolon=_semicolon(),
        actor_id=current_user.id,
    )
    return _send(download)


@bp.get("/sessions/<int:session_id>/certificates.pdf")
@login_required
def session_certificates(session_id: int):
    """A certificate for every participant who finished the post-test, one PDF, a page each."""
    from app.reports import build

    target = svc.get_for(current_user, session_id, change=True)
    pdf, _count = build.certificates_pdf(
        target,
        verify_url,
        lang=_lang(),
        with_score=request.args.get("score") == "1",
        actor_id=current_user.id,
    )
    return _send(build.Download(pdf, "application/pdf", f"sertifikat-{target.id}.pdf"))


def _ticked_sessions(name: str):
    """The sessions ticked in the query's `name` (?s=1&s=2 on the programme page, ?a=.. and ?b=.. for
    the comparison's two groups), each one readable by this account (403), at most 200.

    A value that cannot be a session's id (not digits, "²", beyond the database's range) is a 404.
    """
    ids = []
    for raw in request.args.getlist(name):
        session_id = database_id(raw)
        if session_id is None:
            abort(404)
        if session_id not in ids:
            ids.append(session_id)
    return [svc.get_for(current_user, i) for i in ids[:200]]


@bp.get("/programme")
@login_required
def programme():
    """A lecturer's page: tick sessions and see (and download) their results pooled."""
    from app.reports import build

    chosen = _ticked_sessions("s")
    lang = _lang()
    page = build.results(chosen, lang, with_names=False) if chosen else None
    return render_template(
        "reports/programme.html",
        sessions=svc.sessions_for(current_user),
        chosen={s.id for s in chosen},
        page=page,
        lang_report=lang,
        formats=DOWNLOADS,
    )


@bp.get("/programme/download/<fmt>")
@login_required
def programme_download(fmt: str):
    """The pooled report or data of the ticked sessions."""
    from app.reports import build

    chosen = _ticked_sessions("s")
    if not chosen or fmt not in DOWNLOADS:
        abort(404)
    download = build.export_sessions(
        chosen,
        fmt,
        lang=_lang(),
        with_names=_with_names(chosen),
        semicolon=_semicolon(),
        actor_id=current_user.id,
    )
    return _send(download)


#: A session's mark (study_group) -> the column of the comparison form it is ticked in by default.
_DEFAULT_SIDE = {"control": "a", "medium_a": "a", "intervention": "b", "medium_b": "b"}


@bp.get("/programme/compare")
@login_required
def compare():
    """Two groups of sessions compared (intervention and control, or medium A and B): the page."""
    from app.reports import build

    sessions = svc.sessions_for(current_user)
    asked = "a" in request.args or "b" in request.args
    kind = request.args.get("kind") or (
        "media"
        if any(s.study_group in ("medium_a", "medium_b") for s in sessions)
        and not any(s.study_group in ("intervention", "control") for s in sessions)
        else "intervention_control"
    )
    if asked:
        group_a, group_b = _ticked_sessions("a"), _ticked_sessions("b")
    else:
        group_a = [s for s in sessions if _DEFAULT_SIDE.get(s.study_group or "") == "a"]
        group_b = [s for s in sessions if _DEFAULT_SIDE.get(s.study_group or "") == "b"]
    lang = _lang()
    page, error = None, None
    if asked:
        try:
            page = build.comparison(build.comparison_data(group_a, group_b, kind), lang)
        except build.ComparisonError as exc:
            error = str(exc)
    status = 422 if error else 200
    return render_template(
        "reports/compare.html",
        sessions=sessions,
        chosen_a={s.id for s in group_a},
        chosen_b={s.id for s in group_b},
        kind=kind if kind in build.COMPARISONS else "intervention_control",
        page=page,
        error=error,
        lang_report=lang,
        formats=build.COMPARISON_FORMATS,
    ), status


@bp.get("/programme/compare/download/<fmt>")
@login_required
def compare_download(fmt: str):
    """The comparison report (PDF, Word) or its data (CSV with a group column)."""
    from app.reports import build

    if fmt not in build.COMPARISON_FORMATS:
        abort(404)
    group_a, group_b = _ticked_sessions("a"), _ticked_sessions("b")
    try:
        download = build.export_comparison(
            group_a,
            group_b,
            request.args.get("kind", "intervention_control"),
            fmt,
            lang=_lang(),
            semicolon=_semicolon(),
            actor_id=current_user.id,
        )
    except build.ComparisonError as exc:
        return error_response(422, str(exc), "comparison")
    return _send(download)


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """The same report for pre/post data collected elsewhere (Google Forms, Excel)."""
    from analysis.io import DataFileError
    from app.reports import build
    from app.services.reportdata import Activity

    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("reports/upload.html", form=form, mapping=False), 400 if form.errors else 200
    storage = form.data_file.data
    if storage:
        name = Path(storage.filename or "data.csv").name
        content = storage.read()
    else:  # the second step: the same file, its columns now mapped
        name = Path(form.kept_name.data or "data.csv").name
        try:
            content = base64.b64decode(form.kept_file.data, validate=True)
        except (binascii.Error, ValueError):
            form.data_file.errors = [_("Please choose a file.")]
            return render_template("reports/upload.html", form=form, mapping=False), 400
    activity = Activity(
        title=form.title.data.strip(),
        place=(form.place.data or "").strip(),
        held_on=form.held_on.data,
        educator=(form.educator.data or "").strip(),
        team="",
        institution=(form.institution.data or "").strip(),
        quiz_title_id=(form.instrument.data or "").strip(),
        quiz_title_en=(form.instrument.data or "").strip(),
        n_questions=form.n_questions.data,
    )
    columns = {
        role: value
        for role, value in (
            ("participant", form.col_participant.data),
            ("pre", form.col_pre.data),
            ("post", form.col_post.data),
        )
        if value
    }
    fd, path = tempfile.mkstemp(suffix=Path(name).suffix.lower())
    os.close(fd)
    try:
        with open(path, "wb") as f:
            f.write(content)
        download = build.report_from_file(
            path,
            activity,
            form.fmt.data,
            lang=form.lang.data,
            max_score=float(form.max_score.data),
            with_names=form.with_names.data,
            actor_id=current_user.id,
            filename=name,
            columns=columns or None,
            fractions="rescale" if form.rescale_fractions.data else "refuse",
            semicolon=_semicolon(),
        )
    except (DataFileError, ValueError) as exc:
        # The same row-and-column message `python -m analysis report` prints, in the page's language.
        message = explain_file_error(exc, current_lang()) if isinstance(exc, DataFileError) else str(exc)
        form.data_file.errors = [f"{name}: {message}"]
        header = getattr(exc, "header", None)
        if header:  # a column could not be found: let her say which one it is
            choices = [("", _("(choose)"))] + [(h, h) for h in header if h]
            for select in (form.col_participant, form.col_pre, form.col_post):
                select.choices = choices
            form.kept_file.data = base64.b64encode(content).decode()
            form.kept_name.data = name
        return render_template("reports/upload.html", form=form, mapping=bool(header)), 422
    finally:
        os.unlink(path)
    return _send(download)


@bp.get("/upload/template.csv")
@login_required
def upload_template():
    """A file to fill in: the columns the upload page reads, with two example rows."""
    indonesian = current_lang() == "id"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if indonesian else ",", lineterminator="\r\n")
    if indonesian:
        writer.writerow(["Nama", "Umur", "Pendidikan", "Pretest", "Posttest"])
        writer.writerows([["Ibu A", "27", "SMA", "50", "80"], ["Ibu B", "31", "SMP", "40", "70"]])
    else:
        writer.writerow(["Name", "Age", "Education", "Pretest", "Posttest"])
        writer.writerows(
            [["Mother A", "27", "High school", "50", "80"], ["Mother B", "31", "Junior high", "40", "70"]]
        )
    response = Response(("\ufeff" + out.getvalue()).encode(), mimetype="text/csv")
    name = "templat-nilai.csv" if indonesian else "score-template.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@limiter.limit("30 per minute")
def verify(code: str):
    """Public: confirm that a certificate with this code was issued, and to whom."""
    found = certificates.find(code)
    return render_template("reports/verify.html", cert=found, code=code), 200 if found else 404


@bp.record_once
def _public_routes(state) -> None:
    # A short address outside /reports, so the QR code stays small: /c/<code>.
    state.app.add_url_rule("/c/<code>", endpoint="reports.verify", view_func=verify)


@bp.app_context_processor
def report_helpers():
    return {
        "report_formats": {
            "pdf": _("PDF report"),
            "docx": _("Word tables"),
            "xlsx": _("Excel"),
            "sav": _("SPSS (wide)"),
            "sav-long": _("SPSS (long)"),
            "csv": _("CSV"),
            "article": _("Article draft (Word)"),
        }
    }

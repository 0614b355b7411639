"""Quiz-bank views: each loads, checks access, validates, calls one service function, then renders or redirects."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select, union_all

from app.bank import bp, service
from app.bank.forms import CopyForm
from app.extensions import db
from app.models import CounselingSession

AUDIENCES = ("mothers", "family", "cadres", "health_workers")


def audience_label(audience: str) -> str:
    return {
        "mothers": _("Mothers and pregnant women"),
        "family": _("Husbands and grandparents"),
        "cadres": _("Posyandu cadres and KP-ASI"),
        "health_workers": _("Health workers"),
    }.get(audience, audience)


def type_label(kind: str) -> str:
    return {
        "single_choice": _("Single choice"),
        "true_false": _("True / false"),
        "likert": _("Attitude (Likert)"),
    }.get(kind, kind)


@bp.app_context_processor
def bank_helpers():
    return {"audience_label": audience_label, "type_label": type_label}


def _min_n() -> int:
    return int(current_app.config.get("ITEM_STATS_MIN_N", service.DEFAULT_MIN_N))


@bp.get("/")
@login_required
def index():
    """Every quiz (its newest version): audience, item counts, parallel forms."""
    return render_template("bank/index.html", entries=service.bank_overview(), audiences=AUDIENCES)


def sessions_per_version(version_ids: list[int]) -> dict[int, int]:
    """How many sessions use each quiz version, for the pre-test or the post-test (a session counts once)."""
    used = union_all(
        select(CounselingSession.id.label("sid"), CounselingSession.quiz_version_id.label("vid")),
        select(CounselingSession.id, CounselingSession.post_quiz_version_id).where(
            CounselingSession.post_quiz_version_id.is_not(None)
        ),
    ).subquery()
    rows = db.session.execute(
        select(used.c.vid, func.count(func.distinct(used.c.sid)))
        .where(used.c.vid.in_(version_ids))
        .group_by(used.c.vid)
    )
    return {int(vid): int(n) for vid, n in rows.tuples()}


@bp.get("/<quiz_key>")
@login_required
def quiz_detail(quiz_key: str):
    """One quiz with every question, its answer, explanation and source, and item statistics beside it."""
    version_id = request.args.get("version", type=int)
    page = service.quiz_page(quiz_key, version_id, _min_n(), current_app.config.get("QUIZ_DIR"))
    if page is None:
        abort(404)
    return render_template(
        "bank/quiz.html",
        page=page,
        v=page.version,
        form=CopyForm(),
        used=sessions_per_version([o.id for o in page.versions]),
    )


@bp.post("/<quiz_key>/copy")
@login_required
def copy(quiz_key: str):
    """Copy the version shown into a new quiz file and load it as a new quiz."""
    version_id = request.form.get("version", type=int)
    page = service.quiz_page(quiz_key, version_id, _min_n(), current_app.config.get("QUIZ_DIR"))
    if page is None:
        abort(404)
    form = CopyForm()
    if not form.validate_on_submit():
        return render_template("bank/quiz.html", page=page, v=page.version, form=form), 400
    try:
        created = service.copy_quiz(
            page.version,
            current_app.config["QUIZ_DIR"],
            title_id=(form.title_id.data or "").strip(),
            title_en=(form.title_en.data or "").strip(),
            copied_by=current_user.username,
        )
    except service.CopyError as exc:
        db.session.rollback()
        flash(_("The copy could not be made: %(reason)s", reason=str(exc)))
        return render_template("bank/quiz.html", page=page, v=page.version, form=form), 409
    db.session.commit()
    flash(
        _(
            "Copied into the file %(file)s. Edit that file to adapt the quiz, then load it again: "
            "each change becomes a new version.",
            file=created.source_file,
        )
    )
    return redirect(url_for("bank.quiz_detail", quiz_key=created.quiz_key))


@bp.app_template_filter("stat")
def stat_filter(index: service.Index, decimals: int = 2) -> str:
    """An index with the decimal convention of the language, or a dash when withheld."""
    from analysis.format import format_number
    from app import current_lang

    if index is None or not index.shown:
        return "–"
    return format_number(index.value, decimals, current_lang())


@bp.app_template_filter("flag_label")
def flag_label_filter(flag: str) -> str:
    from analysis.format import label
    from app import current_lang

    return label(flag, current_lang())

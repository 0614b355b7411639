"""Quiz-bank views: each loads, checks access, validates, calls one service function, then renders or redirects."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.bank import bp, service
from app.bank.forms import CopyForm
from app.i18n import current_lang
from app.services import quizbank

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


def _page_or_404(quiz_key: str, version_id: int | None) -> service.QuizPage:
    """The quiz page of this version (the newest when None), with the configured minimum n; 404 if none."""
    min_n = int(current_app.config.get("ITEM_STATS_MIN_N", service.DEFAULT_MIN_N))
    page = service.quiz_page(quiz_key, version_id, min_n, current_app.config.get("QUIZ_DIR"))
    if page is None:
        abort(404)
    return page


@bp.get("/")
@login_required
def index():
    """Every quiz (its newest version): audience, item counts, parallel forms."""
    return render_template("bank/index.html", entries=service.bank_overview(), audiences=AUDIENCES)


@bp.get("/<quiz_key>")
@login_required
def quiz_detail(quiz_key: str):
    """One quiz with every question, its answer, explanation and source, and item statistics beside it."""
    page = _page_or_404(quiz_key, request.args.get("version", type=int))
    return _quiz_page(page, CopyForm())


def _quiz_page(page: service.QuizPage, form: CopyForm, status: int = 200):
    """The quiz page with its versions and how many sessions use each."""
    used = service.sessions_per_version([o.id for o in page.versions])
    return render_template("bank/quiz.html", page=page, v=page.version, form=form, used=used), status


@bp.post("/<quiz_key>/copy")
@login_required
def copy(quiz_key: str):
    """Copy the version shown into a new quiz file and load it as a new quiz."""
    page = _page_or_404(quiz_key, request.form.get("version", type=int))
    form = CopyForm()
    if not form.validate_on_submit():
        return _quiz_page(page, form, 400)
    try:
        created = quizbank.copy_quiz(
            page.version,
            current_app.config["QUIZ_DIR"],
            title_id=(form.title_id.data or "").strip(),
            title_en=(form.title_en.data or "").strip(),
            copied_by=current_user.username,
        )
    except quizbank.CopyError as exc:
        flash(_("The copy could not be made: %(reason)s", reason=str(exc)))
        return _quiz_page(page, form, 409)
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

    if index is None or not index.shown:
        return "–"
    return format_number(index.value, decimals, current_lang())


@bp.app_template_filter("flag_label")
def flag_label_filter(flag: str) -> str:
    from analysis.format import label

    return label(flag, current_lang())

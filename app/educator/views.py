"""Educator views: each loads, checks access, validates, calls one service, then redirects or renders."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.educator import bp
from app.educator.forms import PhaseForm, SessionDetailsForm, SessionForm, StudyGroupForm
from app.errors import error_response
from app.extensions import db
from app.i18n import clock, current_lang
from app.models import CounselingSession, Phase, PhaseError, QuizVersion
from app.services import codes, privacy, quizbank, sessioninfo
from app.services import live as live_svc
from app.services import sessions as svc
from app.urls import PublicBase, public_base


def phase_label(phase: Phase) -> str:
    return {
        Phase.DRAFT: _("Draft"),
        Phase.PRE_OPEN: _("Pre-test open"),
        Phase.PRE_CLOSED: _("Pre-test closed"),
        Phase.POST_OPEN: _("Post-test open"),
        Phase.CLOSED: _("Closed"),
        Phase.FOLLOWUP_OPEN: _("Follow-up test open"),
        Phase.FOLLOWUP_CLOSED: _("Follow-up test closed"),
    }[phase]


def state_label(state: str) -> str:
    return {
        "joined": _("Joined, not started"),
        "pre_answering": _("Answering the pre-test"),
        "pre_done": _("Pre-test done"),
        "post_answering": _("Answering the post-test"),
        "post_done": _("Post-test done"),
        "followup_answering": _("Answering the follow-up test"),
        "followup_done": _("Follow-up test done"),
    }[state]


def action_label(target: Phase, current: Phase) -> str:
    if target == Phase.PRE_OPEN:
        return _("Reopen the pre-test") if current == Phase.PRE_CLOSED else _("Open the pre-test")
    if target == Phase.POST_OPEN:
        return _("Reopen the post-test") if current == Phase.CLOSED else _("Open the post-test")
    if target == Phase.FOLLOWUP_OPEN:
        return (
            _("Reopen the follow-up test") if current == Phase.FOLLOWUP_CLOSED else _("Open a follow-up test")
        )
    return {
        Phase.PRE_CLOSED: _("Close the pre-test"),
        Phase.CLOSED: _("Close the post-test and the session"),
        Phase.FOLLOWUP_CLOSED: _("Close the follow-up test"),
    }[target]


def phase_refusal(reason: str | None, current: Phase) -> str:
    """Why a phase change was refused (PhaseError.reason), in the educator's language."""
    if reason == "post_only_followup":
        return _("A follow-up test needs a pre-test: this session has a post-test only.")
    if reason == "followup_quiz":
        return _(
            "The follow-up test uses the session's quiz or its parallel form, chosen when it is first opened."
        )
    return _(
        "The session is now in phase “%(phase)s”; this step is not possible from there.",
        phase=phase_label(current),
    )


@bp.app_context_processor
def phase_helpers():
    return {"phase_label": phase_label, "action_label": action_label, "state_label": state_label}


def format_score(value: float | None, digits: int = 1) -> str:
    """A score as the page shows it, in the chosen locale (the template filter)."""
    return current_app.jinja_env.filters["score"](value, digits)


def format_signed(value: float | None) -> str:
    return current_app.jinja_env.filters["signed"](value)


def join_url(target: CounselingSession, base: PublicBase | None = None) -> str:
    """The address in the join QR code and under it: the app's public address (app/urls.py)."""
    return (base or public_base()).join(url_for("participant.join_link", code=target.join_code))


@bp.get("/")
@login_required
def dashboard():
    """The sessions this account runs or may read."""
    return render_template("educator/dashboard.html", sessions=svc.sessions_for(current_user))


def quiz_label(version: QuizVersion, lang: str) -> str:
    """A quiz in the picker: its title in the page's language, its form unless the title names it."""
    title = version.title(lang)
    if version.form:
        form = _("form %(form)s", form=version.form)
        if form.casefold() not in title.casefold():
            title = f"{title} ({form})"
    return f"{title} · v{version.version_label}"


def _quiz_choices() -> list[tuple[int, str]]:
    lang = current_lang()
    return [(v.id, quiz_label(v, lang)) for v in quizbank.latest_versions()]


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
def new_session():
    """Create a session: title, place, date, quiz and what to ask participants."""
    form = SessionForm()
    choices = _quiz_choices()
    form.quiz.choices = choices
    form.post_quiz.choices = [(0, _("Same quiz as the pre-test")), *choices]
    if not choices:
        flash(_("No quiz is loaded yet. Run: flask quizzes load"))
    if form.validate_on_submit():
        quiz = db.session.get(QuizVersion, form.quiz.data)
        post_quiz = db.session.get(QuizVersion, form.post_quiz.data) if form.post_quiz.data else None
        created = svc.create_session(
            current_user,
            title=form.title.data.strip(),
            place=form.place.data.strip(),
            held_on=form.held_on.data,
            quiz_version=quiz,
            post_quiz_version=post_quiz,
            post_only=form.post_only.data,
            characteristics=form.characteristics.data or [],
            team=(form.team.data or "").strip(),
            institution=(form.institution.data or "").strip(),
            consent_text_id=(form.consent_text_id.data or "").strip(),
            consent_text_en=(form.consent_text_en.data or "").strip(),
            study_group=form.study_group.data or None,
        )
        return redirect(url_for("educator.session_detail", session_id=created.id))
    return render_template(
        "educator/new_session.html", form=form, default_consent=_default_consent()
    ), 400 if form.errors else 200


def _default_consent() -> dict[str, Markup]:
    """The standard consent statement in each language, as participants read it (one template)."""
    texts = {}
    for lang in ("id", "en"):
        with force_locale(lang):
            texts[lang] = Markup(render_template("_consent_default.html"))  # noqa: S704 - a template of ours, autoescaped
    return texts


@bp.route("/sessions/<int:session_id>/details", methods=["GET", "POST"])
@login_required
def session_details(session_id: int):
    """Team, partner, funding, method, media, duration and signatories, for the report and certificates."""
    target = svc.get_for(current_user, session_id, change=True)
    if request.method == "POST":
        form = SessionDetailsForm()
    else:
        form = SessionDetailsForm(data=SessionDetailsForm.data_for(sessioninfo.for_session(target)))
    if form.validate_on_submit():
        sessioninfo.update(target, form.to_info(), actor=current_user, as_defaults=form.as_defaults.data)
        flash(_("The report details are saved."))
        return redirect(url_for("educator.session_detail", session_id=target.id))
    return render_template(
        "educator/session_details.html", target=target, form=form
    ), 400 if form.errors else 200


@bp.get("/sessions/<int:session_id>")
@login_required
def session_detail(session_id: int):
    """Run the session: phase buttons, join code, live counts and the score table."""
    target = svc.get_for(current_user, session_id)
    identified = privacy.may_identify(current_user, target)
    table = live_svc.shown_score_table(target, identified)
    counts = table.counts()
    public = public_base()
    return render_template(
        "educator/session.html",
        target=target,
        counts=counts,
        table=table,
        identified=identified,
        progress=live_svc.progress(target),
        items=live_svc.item_results(target),
        phase_form=_phase_form(target),
        group_form=StudyGroupForm(study_group=target.study_group or ""),
        can_change=svc.can_change(current_user, target),
        join_url=join_url(target, public),
        public=public,
        unfinished={
            kind: max(counts.joined - getattr(counts, f"{kind}_done"), 0)
            for kind in ("pre", "post", "followup")
        },
    )


def _phase_form(target: CounselingSession) -> PhaseForm:
    form = PhaseForm()
    lang = current_lang()  # each choice as in the session picker: its form named once
    form.followup_quiz.choices = [(v.id, quiz_label(v, lang)) for v in svc.followup_quiz_choices(target)]
    return form


@bp.post("/sessions/<int:session_id>/phase")
@login_required
def change_phase(session_id: int):
    """Open or close the pre-, post- or follow-up test."""
    target = svc.get_for(current_user, session_id, change=True)
    form = PhaseForm()
    if not form.validate_on_submit():
        return error_response(400)
    try:
        wanted = Phase(form.target.data)
        chosen = db.session.get(QuizVersion, form.followup_quiz.data) if form.followup_quiz.data else None
        if form.followup_quiz.data and chosen is None:
            raise PhaseError(target.phase, wanted, "followup_quiz")
        svc.move_phase(target, wanted, actor_id=current_user.id, followup_quiz=chosen)
    except ValueError:
        return error_response(409, phase_refusal(None, target.phase), "phase")
    except PhaseError as exc:
        return error_response(409, phase_refusal(exc.reason, target.phase), "phase")
    flash(_("The session is now: %(phase)s.", phase=phase_label(target.phase)))
    return redirect(url_for("educator.session_detail", session_id=target.id))


@bp.post("/sessions/<int:session_id>/study-group")
@login_required
def change_study_group(session_id: int):
    """Mark the session as intervention or control (or medium A / B) for the two-group comparison."""
    target = svc.get_for(current_user, session_id, change=True)
    form = StudyGroupForm()
    if not form.validate_on_submit():
        return error_response(400, _("Please choose one of the groups in the list."), "study_group")
    svc.set_study_group(target, form.study_group.data or None, actor_id=current_user.id)
    flash(_("The session's group is saved."))
    return redirect(url_for("educator.session_detail", session_id=target.id))


@bp.get("/sessions/<int:session_id>/live.json")
@login_required
def live(session_id: int):
    """Counts, where each participant is, the score table and per-question results, for the page to refresh itself."""
    target = svc.get_for(current_user, session_id)
    identified = privacy.may_identify(current_user, target)
    table = live_svc.shown_score_table(target, identified)
    progress = live_svc.progress(target)
    items = live_svc.item_results(target)
    lang = "en" if (get_locale() and get_locale().language == "en") else "id"
    rows = []
    for r in table.rows:
        p = progress.get(r.participant_id)
        hidden = ("participant_id",) if identified else ("participant_id", "personal_code")
        row = {k: v for k, v in r.to_dict().items() if k not in hidden}
        if identified:
            row["code"] = codes.display(r.personal_code)
        row |= {
            "pre_text": format_score(r.pre),
            "post_text": format_score(r.post),
            "gain_text": format_signed(r.gain),
            "normalized_gain_text": format_score(r.normalized_gain, 2),
        }
        if table.has_followup:
            row["followup_text"] = format_score(r.followup)
        if p is not None:
            row |= {k: v for k, v in p.to_dict().items() if k != "participant_id"} | {
                "state_label": state_label(p.state)
            }
        rows.append(row)
    return jsonify(
        ok=True,
        phase=target.phase.value,
        phase_label=phase_label(target.phase),
        # The server's clock in the app's zone, as the audit log shows times (not the browser's zone).
        updated_text=clock(datetime.now(UTC), "HH:mm:ss"),
        counts=table.counts().to_dict(),
        stuck=sum(1 for p in progress.values() if p.stuck),
        mean_pre=table.mean_pre,
        mean_post=table.mean_post,
        mean_gain=table.mean_gain,
        mean_followup=table.mean_followup,
        means_text={
            "mean_pre": format_score(table.mean_pre),
            "mean_post": format_score(table.mean_post),
            "mean_gain": format_signed(table.mean_gain),
            "mean_followup": format_score(table.mean_followup),
        },
        rows=rows,
        items={
            "n_pre": items.n_pre,
            "n_post": items.n_post,
            "rows": [
                {
                    "position": i.position,
                    "stem": (i.pre_question or i.post_question).stem(lang),
                    "post_stem": i.post_question.stem(lang) if items.parallel and i.post_question else None,
                    "pre_percent": i.pre_percent,
                    "post_percent": i.post_percent,
                    "pre_text": format_score(i.pre_percent, 0),
                    "post_text": format_score(i.post_percent, 0),
                    "wrong_option": i.wrong_option_key,
                    "wrong_text": next(
                        o.text(lang) for o in i.wrong_question.options if o.key == i.wrong_option_key
                    )
                    if i.wrong_question
                    else None,
                    "wrong_count": i.wrong_count,
                }
                for i in items.items
            ],
        },
    )


@bp.get("/sessions/<int:session_id>/qr.svg")
@login_required
def qr(session_id: int):
    """A QR code of the join address, to show on the projector."""
    import segno  # here: only this page draws a QR code (a server start does not need it)

    target = svc.get_for(current_user, session_id)
    buffer = io.BytesIO()
    segno.make(join_url(target), error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.get("/sessions/<int:session_id>/projector")
@login_required
def projector(session_id: int):
    """The join code in huge type and the QR code, for the wall."""
    target = svc.get_for(current_user, session_id)
    public = public_base()
    return render_template(
        "educator/projector.html",
        target=target,
        join_url=join_url(target, public),
        public=public,
        counts=svc.live_counts(target),
    )

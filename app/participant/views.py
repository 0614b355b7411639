"""Participant views. Every answer is stored the moment it is chosen."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import abort, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.errors import error_response
from app.extensions import db, limiter, login_manager
from app.models import CounselingSession, Participant
from app.models._time import utcnow
from app.participant import bp
from app.participant.forms import (
    AnswerForm,
    JoinForm,
    LeaveForm,
    ResumeForm,
    SubmitForm,
    registration_form,
)
from app.services import codes, quizbank
from app.services import participants as svc
from app.services.participants import MAX_SEQ, ParticipantError
from app.urls import safe_next

KINDS = ("pre", "post", "followup")
#: Throttles against guessing codes, per address. Only unknown codes count, so a whole room behind
#: one address (a Puskesmas on one mobile router) can still join in the same minute. Every page
#: that takes a join code shares one counter, so no page is an unthrottled way to test codes.
JOIN_LIMIT = "30 per minute;300 per hour"
RESUME_LIMIT = "10 per minute;50 per hour"


def _code_not_found(response) -> bool:
    return response.status_code in (403, 404)


join_code_limit = limiter.shared_limit(JOIN_LIMIT, scope="join-code", deduct_when=_code_not_found)


def error_message(code: str) -> str:
    return {
        "unknown_join_code": _(
            "We could not find a session with this code. Check the code on the educator's screen."
        ),
        "session_not_joinable": _(
            "This session is not open for joining now. Please wait until the educator opens the test."
        ),
        "session_ended": _("This session has ended. Thank you for coming."),
        "unknown_personal_code": _(
            "This personal code is not known. Check the code on your slip or ask the educator."
        ),
        "personal_code_other_session": _(
            "This personal code belongs to another session. Check the code on your slip."
        ),
        "phase_not_open": _("This test is not open now. Please wait for the educator."),
        "attempt_submitted": _("You have already submitted this test. Your answers are saved."),
        "unknown_question": _("This question is not part of the quiz."),
        "unknown_option": _("This answer is not one of the options."),
        "not_joined": _("Please join the session first."),
        "unknown_kind": _("This page does not exist. Check the address or the code."),
    }.get(code, _("This cannot be done now."))


@bp.before_request
def no_account_here():
    """Participant pages are for people without an account: never load one.

    Flask-Login's template context processor loads the logged-in account for every page it
    draws (a query on each participant page opened in the educator's browser). Setting the
    request's user to anonymous up front, as Flask-Login itself caches the loaded user in `g`,
    skips that.
    """
    g._login_user = login_manager.anonymous_user()


@bp.errorhandler(ParticipantError)
def participant_error(exc: ParticipantError):
    """A refused participant action: its status and message (the unit of work rolls back)."""
    return error_response(exc.status, error_message(exc.code), exc.code)


def current_participant() -> Participant | None:
    """The participant of this browser, with her session and attempts loaded in one query."""
    pid = session.get("pid")
    if not pid:
        return None
    return (
        db.session.scalars(
            select(Participant)
            .where(Participant.id == pid)
            .options(joinedload(Participant.session), joinedload(Participant.attempts))
        )
        .unique()
        .first()
    )


def require_participant() -> Participant:
    participant = current_participant()
    if participant is None:
        abort(401)
    return participant


def _session_by_code_or_error(code: str) -> CounselingSession:
    target = svc.find_session_by_join_code(code)
    if target is None:
        raise ParticipantError("unknown_join_code", 404)
    return target


class BadClientTime(ValueError):
    """A device time that is no readable instant (unreadable, or beyond the datetime range in UTC)."""


def parse_client_time(raw) -> datetime | None:
    """An ISO time or epoch milliseconds from the tablet, in UTC; None when absent.

    Only kept with the answer (the tablet's clock decides nothing), but a time that cannot be
    one (text, a year beyond 9999 once in UTC) makes the request unreadable: BadClientTime.
    """
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise BadClientTime(repr(raw))
    raw = raw.strip()
    try:
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise BadClientTime(raw) from exc


def _joinable_session_or_error(code: str) -> CounselingSession:
    target = _session_by_code_or_error(code)
    if target.ended:
        raise ParticipantError("session_ended")
    if not target.joinable:
        raise ParticipantError("session_not_joinable")
    return target


@bp.app_errorhandler(401)
def not_joined(exc):
    if request.path.startswith("/api/") or request.is_json:
        return error_response(401, error_message("not_joined"), "not_joined")
    return redirect(url_for("participant.join"))


@bp.route("/", methods=["GET", "POST"])
@join_code_limit
def join():
    """The first screen on a tablet: type the session code, then "I am new" or "I have a code".

    "I am new" goes straight to the consent and registration screen of a session open for
    joining; anything else goes to the session's start page (continue with a personal code).
    """
    form = JoinForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        target = svc.find_session_by_join_code(form.code.data)
        if target is None:
            form.code.errors.append(error_message("unknown_join_code"))
            return render_template("participant/join.html", form=form), 404
        if form.then.data == "new" and target.joinable:
            return redirect(url_for("participant.consent", code=target.join_code))
        return redirect(url_for("participant.landing", code=target.join_code))
    status = 400 if form.errors else 200
    return render_template("participant/join.html", form=form), status


@bp.get("/j/<code>")
@join_code_limit
def join_link(code: str):
    """Where the QR code points."""
    target = _session_by_code_or_error(code)
    return redirect(url_for("participant.landing", code=target.join_code))


def _landing(target: CounselingSession, form: ResumeForm, current: Participant | None = None):
    return render_template(
        "participant/landing.html", target=target, form=form, current=current, leave_form=LeaveForm()
    )


@bp.route("/s/<code>")
@join_code_limit
def landing(code: str):
    """A session's start: new participant, or continue with a personal code."""
    target = _session_by_code_or_error(code)
    current = current_participant()
    if current is not None and current.session_id != target.id:
        current = None
    return _landing(target, ResumeForm(), current)


@bp.post("/s/<code>/resume")
@join_code_limit
@limiter.limit(RESUME_LIMIT, deduct_when=_code_not_found)
def resume(code: str):
    """Continue on any tablet with the personal code."""
    target = _session_by_code_or_error(code)
    form = ResumeForm()
    if not form.validate_on_submit():
        return _landing(target, form), 400
    try:
        participant = svc.find_participant(target, form.personal_code.data)
    except ParticipantError as exc:
        form.personal_code.errors.append(error_message(exc.code))  # shown beside the field
        return _landing(target, form), exc.status
    svc.resumed(participant)
    session.clear()
    session["pid"] = participant.id
    session["lang"] = participant.lang
    return redirect(url_for("participant.me"))


@bp.route("/s/<code>/consent", methods=["GET", "POST"])
@join_code_limit
def consent(code: str):
    """Consent and registration on one screen; the button under the consent text agrees and registers.

    The one-time consent token is made when the screen is drawn and kept in this browser's
    session, so the same registration sent twice (a double tap, two posts at once) adds one
    participant; her consent time is the moment she taps "I agree and start".
    """
    target = _joinable_session_or_error(code)
    state = session.get("consent") or {}
    if state.get("session") != target.id:
        if request.method == "POST":
            current = current_participant()
            if current is not None and current.session_id == target.id:
                return redirect(url_for("participant.me"))  # resent after she was registered
        state = {"session": target.id, "token": uuid.uuid4().hex}
        session["consent"] = state
    form = registration_form(target.characteristics)()
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in target.characteristics if hasattr(form, key)}
        values = {k: v for k, v in values.items() if v not in (None, "")}
        participant = svc.register(
            target,
            name=form.name.data,
            characteristics=values,
            consent_at=utcnow(),
            lang=session.get("lang", "id"),
            consent_token=state["token"],
        )
        session.pop("consent", None)
        session["pid"] = participant.id
        flash(
            _(
                "Your personal code is %(code)s. Write it down or remember it: with it you can "
                "continue on any tablet, also for the post-test.",
                code=codes.display(participant.personal_code),
            )
        )
        return redirect(url_for("participant.me"))
    return render_template("participant/consent.html", target=target, form=form), 400 if form.errors else 200


@bp.get("/me")
def me():
    """Send the participant to where she belongs now: in an open test, her first unanswered question
    (the review when every question is answered), on this tablet or another one."""
    participant = require_participant()
    step = svc.next_step(participant)
    if step in KINDS:
        n = svc.first_unanswered(participant, step)
        if n is None:
            return redirect(url_for("participant.review", kind=step))
        return redirect(url_for("participant.question", kind=step, n=n))
    return redirect(
        url_for({"wait": "participant.wait", "result": "participant.result"}.get(step, "participant.result"))
    )


@bp.get("/me/code")
def my_code():
    """The personal code, large, to note down or read aloud (the code in the quiz pages' header)."""
    participant = require_participant()
    return render_template("participant/code.html", participant=participant)


def _open_test(participant: Participant, kind: str):
    """The quiz version of the open test of this kind (404 for an unknown kind).

    ParticipantError when the test is not open or her attempt of it is submitted. Nothing is
    started here: her attempt starts with her first answer (or her submit), never on a GET.
    """
    if kind not in KINDS:
        abort(404)
    if participant.session.open_kind() != kind:
        raise ParticipantError("phase_not_open")
    attempt = participant.attempt(kind)
    if attempt is not None and attempt.submitted:
        raise ParticipantError("attempt_submitted")
    return attempt.quiz_version if attempt is not None else participant.session.quiz_for(kind)


def _storage_key(participant: Participant, kind: str) -> str:
    """The name of this attempt's retry queue on the tablet (quiz.js)."""
    return f"{participant.id}-{kind}"


@bp.route("/quiz/<kind>/<int:n>", methods=["GET", "POST"])
def question(kind: str, n: int):
    """One question per screen; posting the form saves the answer (works without JavaScript).

    `?from=review`: she came from the review, so the page offers a way straight back to it.
    """
    participant = require_participant()
    from_review = request.args.get("from") == "review"
    here = {"from": "review"} if from_review else {}
    if request.method == "GET":
        try:
            quiz = _open_test(participant, kind)
        except ParticipantError:
            return redirect(url_for("participant.me"))
    else:
        quiz = _open_test(participant, kind)
    # Every question with its options: the page carries the whole quiz for quiz.js.
    questions = quizbank.questions_with_options(quiz.id)
    if not 1 <= n <= len(questions):
        abort(404)
    q = questions[n - 1]
    lang = session.get("lang", "id")
    form = AnswerForm()
    form.option.choices = [(o.key, o.text(lang)) for o in q.options]
    if request.method == "POST":
        if not form.validate_on_submit():
            return error_response(400, _("Please choose one of the answers."), "invalid_answer")
        if form.option.data:
            try:
                chosen_at = parse_client_time(form.chosen_at.data)
            except BadClientTime:
                return error_response(400, _("Please choose one of the answers."), "invalid_answer")
            svc.record_answer(
                participant.id,
                kind,
                q.key,
                form.option.data,
                form.client_key.data or uuid.uuid4().hex,
                form.seq.data or 0,
                chosen_at,
            )
        if form.direction.data == "back" and n > 1:
            return redirect(url_for("participant.question", kind=kind, n=n - 1, **here))
        if form.direction.data == "review" or n == len(questions):
            return redirect(url_for("participant.review", kind=kind))
        return redirect(url_for("participant.question", kind=kind, n=n + 1, **here))
    chosen, last_seq = svc.attempt_state(participant, kind)
    form.option.data = chosen.get(q.key)
    form.client_key.data = uuid.uuid4().hex
    form.seq.data = last_seq + 1  # a form post comes after every choice stored so far
    return render_template(
        "participant/question.html",
        quiz_data=_quiz_data(participant, kind, questions, chosen, last_seq, lang),
        participant=participant,
        kind=kind,
        question=q,
        n=n,
        total=len(questions),
        answered=len(chosen),
        form=form,
        lang=lang,
        from_review=from_review,
    )


def _quiz_data(participant: Participant, kind: str, questions, chosen: dict[str, str], seq: int, lang: str):
    """The whole attempt for quiz.js, so the tablet can move between questions while the wifi is down."""
    return {
        "attempt": _storage_key(participant, kind),
        "kind": kind,
        "seq": seq,
        "questions": [
            {
                "key": q.key,
                "stem": q.stem(lang),
                "options": [{"key": o.key, "text": o.text(lang)} for o in q.options],
            }
            for q in questions
        ],
        "answers": chosen,
        "urls": {
            "answer": url_for("participant.api_answer"),
            "submit": url_for("participant.submit", kind=kind),
            "question": url_for("participant.question", kind=kind, n=0)[:-1],
            "review": url_for("participant.review", kind=kind),
            "me": url_for("participant.me"),
            "status": url_for("participant.api_status"),
        },
    }


@bp.get("/quiz/<kind>/review")
def review(kind: str):
    """Before submitting: which questions are still unanswered.

    With unanswered questions the submit asks first (a dialog; without JavaScript `?confirm=1`
    draws the same question in the page), with answering them as the main way on.
    """
    participant = require_participant()
    try:
        quiz = _open_test(participant, kind)
    except ParticipantError:
        return redirect(url_for("participant.me"))
    chosen, _seq = svc.attempt_state(participant, kind)
    form = SubmitForm(submit_key=uuid.uuid4().hex)
    missing = [n for n, q in enumerate(quiz.questions, start=1) if q.key not in chosen]
    return render_template(
        "participant/review.html",
        participant=participant,
        storage_key=_storage_key(participant, kind),
        kind=kind,
        questions=quiz.questions,
        chosen=chosen,
        missing=missing,
        confirm=bool(missing) and request.args.get("confirm") == "1",
        form=form,
        lang=session.get("lang", "id"),
    )


@bp.post("/quiz/<kind>/submit")
def submit(kind: str):
    """Hand in the test; a second identical submit is recognised and stored once."""
    participant = require_participant()
    form = SubmitForm()
    if not form.validate_on_submit():
        return error_response(
            400, _("The form could not be read. Please go back and try again."), "invalid_submit"
        )
    if kind not in KINDS:
        abort(404)
    # A submit resent after the test closed must still be recognised as already stored.
    attempt = participant.attempt(kind)
    if attempt is None:
        _open_test(participant, kind)
        attempt = svc.get_or_start_attempt(participant, kind)
    svc.submit_attempt(attempt, form.submit_key.data)
    svc.remember_language(participant, session.get("lang", "id"))
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(ok=True, next=url_for("participant.me"))
    return redirect(url_for("participant.me"))


@bp.get("/wait")
def wait():
    """Between the tests: moves on by itself when the post-test opens."""
    participant = require_participant()
    step = svc.next_step(participant)
    if step != "wait":
        return redirect(url_for("participant.me"))
    return render_template(
        "participant/wait.html",
        participant=participant,
        pre=participant.attempt("pre"),
        handed_in=any(a.submitted for a in participant.attempts),
        not_handed_in=svc.not_handed_in(participant),
    )


@bp.get("/result")
def result():
    """The score; after the post-test, also the correct answers with explanations."""
    participant = require_participant()
    pre, post = participant.attempt("pre"), participant.attempt("post")
    followup = participant.attempt("followup")
    followup = followup if followup is not None and followup.submitted else None
    # The correct answers of her latest test; none while a follow-up is open that she has not handed in.
    reviewed = followup or (None if participant.session.open_kind() == "followup" else post)
    review_items = []
    if reviewed is not None and reviewed.submitted:
        chosen = svc.answers_of(reviewed)
        for q in reviewed.quiz_version.questions:
            if not q.scored:
                continue
            picked = next((o for o in q.options if o.key == chosen.get(q.key)), None)
            review_items.append({"question": q, "picked": picked, "correct": q.correct_option})
    return render_template(
        "participant/result.html",
        participant=participant,
        pre=pre if pre is not None and pre.submitted else None,
        post=post if post is not None and post.submitted else None,
        followup=followup,
        review_items=review_items,
        not_handed_in=svc.not_handed_in(participant),
        leave_form=LeaveForm(),
        lang=session.get("lang", "id"),
    )


@bp.post("/me/leave")
def leave():
    """Finish on a shared tablet: forget this participant here (her answers stay on the server)."""
    form = LeaveForm()
    if not form.validate_on_submit():
        return error_response(400)
    code = None
    participant = current_participant()
    if participant is not None:
        code = participant.session.join_code
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    if code:
        return redirect(url_for("participant.landing", code=code))
    return redirect(url_for("participant.join"))


def _text(value) -> bool:
    """A short string that can be stored (no lone UTF-16 surrogate, which no database takes)."""
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def answer_fields(data) -> tuple[str, str, str, str, int, datetime | None] | None:
    """(kind, question, option, key, seq, chosen_at) of an autosave's JSON body; None when it is not one."""
    if not isinstance(data, dict):
        return None
    values = tuple(data.get(name) for name in ("kind", "question", "option", "key"))
    if not all(_text(v) for v in values):
        return None
    seq = data.get("seq", 0)
    if type(seq) is not int or not 0 <= seq <= MAX_SEQ:
        return None
    try:
        chosen_at = parse_client_time(data.get("chosen_at"))
    except BadClientTime:
        return None
    kind, question, option, key = values
    return kind, question, option, key, seq, chosen_at


@bp.post("/api/answer")
def api_answer():
    """Autosave of one choice (JSON): {kind, question, option, key, seq, chosen_at}.

    `seq` is the attempt's sequence number the tablet counts up with each choice; the highest
    is kept. The reply's `option` and `seq` are those of the choice now stored for the question:
    on "superseded" not the one sent; the tablet shows that one, and numbers its next choice
    after it.
    """
    pid = session.get("pid")
    if not pid:
        abort(401)
    fields = answer_fields(request.get_json(silent=True))
    if fields is None:
        return error_response(400, _("The answer could not be read."), "bad_json")
    kind, qkey, okey, key, seq, chosen_at = fields
    result = svc.record_answer(pid, kind, qkey, okey, key, seq, chosen_at)
    return jsonify(
        ok=True, status=result.outcome.value, question=qkey, option=result.option_key, seq=result.seq
    )


@bp.get("/api/status")
def api_status():
    """Where the participant should be now, for the waiting screen and the open question page
    (`handed_in`: the tests she has handed in, so a page can tell "closed" from "handed in elsewhere")."""
    participant = require_participant()
    step = svc.next_step(participant)
    return jsonify(
        ok=True,
        step=step,
        phase=participant.session.phase.value,
        handed_in=sorted(a.kind for a in participant.attempts if a.submitted),
        next=url_for("participant.me"),
    )


@bp.get("/lang/<code>")
def set_language(code: str):
    """Switch between Bahasa Indonesia and English with one tap (kept in this browser's session)."""
    if code in ("id", "en"):
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("participant.join")))

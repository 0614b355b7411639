"""Personal data in a session: delete a participant or the whole session, and read its audit log.

Registered on the `educator` blueprint. Only the session's educator or an admin may use
these pages (a lecturer with read access may not). Every deletion asks for confirmation
on its own page, is a CSRF-protected POST, and leaves an audit entry.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.educator import bp
from app.extensions import db
from app.forms import CODE_INPUT
from app.models import CounselingSession, Participant
from app.services import codes, privacy
from app.services import sessions as svc


class DeleteParticipantForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, delete this participant and all her answers"),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )


class DeleteSessionForm(FlaskForm):
    join_code = StringField(
        _l("Type the session code to confirm"),
        validators=[DataRequired(_l("Please type the session code.")), Length(max=20)],
        description=_l("The code participants used to join, shown above."),
        render_kw=CODE_INPUT,
    )

    def __init__(self, target: CounselingSession, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target

    def validate_join_code(self, field):
        if codes.normalize(field.data) != self.target.join_code:
            raise ValidationError(_l("This is not the code of this session."))


def get_participant_or_404(target: CounselingSession, participant_id: int) -> Participant:
    """A participant of this session; 404 for one of another session."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.session_id != target.id:
        abort(404)
    return participant


@bp.get("/sessions/<int:session_id>/participants")
@login_required
def manage_participants(session_id: int):
    """Participants of a session, each with a delete button; links to deleting the session and its log."""
    target = svc.get_for(current_user, session_id, change=True)
    return render_template(
        "educator/manage_participants.html", target=target, participants=target.participants
    )


@bp.route("/sessions/<int:session_id>/participants/<int:participant_id>/delete", methods=["GET", "POST"])
@login_required
def delete_participant(session_id: int, participant_id: int):
    """Delete one participant and everything she answered, after a confirmation."""
    target = svc.get_for(current_user, session_id, change=True)
    participant = get_participant_or_404(target, participant_id)
    form = DeleteParticipantForm()
    if form.validate_on_submit():
        privacy.delete_participant(target, participant, current_user)
        flash(_("The participant and her answers are deleted."))
        return redirect(url_for("educator.manage_participants", session_id=target.id))
    return render_template(
        "educator/manage_delete_participant.html", target=target, participant=participant, form=form
    ), 400 if form.errors else 200


@bp.route("/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@login_required
def delete_session(session_id: int):
    """Delete a whole session with all participants and answers, after typing its code."""
    target = svc.get_for(current_user, session_id, change=True)
    form = DeleteSessionForm(target)
    if form.validate_on_submit():
        privacy.delete_session(target, current_user)
        flash(_("The session and all its data are deleted."))
        return redirect(url_for("educator.dashboard"))
    return render_template(
        "educator/manage_delete_session.html",
        target=target,
        form=form,
        n_participants=len(target.participants),
    ), 400 if form.errors else 200


@bp.get("/sessions/<int:session_id>/audit")
@login_required
def audit_log(session_id: int):
    """Who opened or closed tests, exported or deleted data in this session."""
    target = svc.get_for(current_user, session_id, change=True)
    return render_template("educator/audit.html", target=target, entries=privacy.audit_entries(target.id))

"""Admin views: only an account with the admin role may open them (403 otherwise)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.admin.forms import AccountForm, ActiveForm, GrantForm, RoleForm
from app.errors import error_response
from app.extensions import db
from app.models import CounselingSession, Educator, SessionAccess
from app.security import admin_required
from app.services import accounts as svc
from app.services import privacy
from app.services.accounts import AccountError


def account_error_message(code: str) -> str:
    return {
        "username_taken": _("This username is taken."),
        "self": _("You cannot deactivate your own account."),
        "last_admin": _("This is the last admin account; give another account the admin role first."),
        "not_lecturer": _("Read access can only be given to a lecturer account."),
        "unknown_role": _("Unknown role."),
        "password_length": _(
            "Use %(min)s to %(max)s characters.", min=svc.PASSWORD_MIN_LENGTH, max=svc.PASSWORD_MAX_LENGTH
        ),
    }.get(code, _("This cannot be done now."))


def get_account_or_404(account_id: int) -> Educator:
    user = db.session.get(Educator, account_id)
    if user is None:
        abort(404)
    return user


@bp.get("/")
@admin_required
def accounts():
    """Every account with its role and state."""
    return render_template(
        "admin/accounts.html", accounts=svc.all_accounts(), role_form=RoleForm(), active_form=ActiveForm()
    )


@bp.route("/accounts/new", methods=["GET", "POST"])
@admin_required
def new_account():
    """Create an account for an educator, a lecturer or another admin."""
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = svc.create_account(
                current_user,
                username=form.username.data,
                full_name=form.full_name.data,
                password=form.password.data,
                role=form.role.data,
                institution=form.institution.data or "",
            )
        except AccountError as exc:
            form.username.errors.append(account_error_message(exc.code))
            return render_template("admin/new_account.html", form=form), 409
        flash(_("Account %(username)s created.", username=user.username))
        return redirect(url_for("admin.accounts"))
    return render_template("admin/new_account.html", form=form), 400 if form.errors else 200


@bp.post("/accounts/<int:account_id>/active")
@admin_required
def toggle_active(account_id: int):
    """Deactivate an account (login blocked, sessions kept) or activate it again."""
    user = get_account_or_404(account_id)
    if not ActiveForm().validate_on_submit():
        return error_response(400)
    try:
        svc.set_active(current_user, user, not user.active)
    except AccountError as exc:
        return error_response(409, account_error_message(exc.code), exc.code)
    flash(
        _("Account %(username)s is now active.", username=user.username)
        if user.active
        else _("Account %(username)s is now deactivated.", username=user.username)
    )
    return redirect(url_for("admin.accounts"))


@bp.post("/accounts/<int:account_id>/role")
@admin_required
def change_role(account_id: int):
    """Make an account an educator, a lecturer or an admin."""
    user = get_account_or_404(account_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return error_response(400)
    try:
        svc.set_role(current_user, user, form.role.data)
    except AccountError as exc:
        return error_response(409, account_error_message(exc.code), exc.code)
    flash(_("The role of %(username)s is saved.", username=user.username))
    return redirect(url_for("admin.accounts"))


def _grant_form() -> GrantForm:
    form = GrantForm()
    form.session.choices = [
        (s.id, f"{s.held_on.isoformat()} · {s.title} · {s.place}") for s in svc.all_sessions()
    ]
    form.lecturer.choices = [
        (u.id, f"{u.full_name} ({u.username})")
        for u in svc.all_accounts()
        if u.role == "lecturer" and u.active
    ]
    return form


@bp.route("/access", methods=["GET", "POST"])
@admin_required
def access():
    """Give a lecturer read access to a session's results and reports, or take it back."""
    form = _grant_form()
    if form.validate_on_submit():
        session = db.session.get(CounselingSession, form.session.data)
        lecturer = db.session.get(Educator, form.lecturer.data)
        if session is None or lecturer is None:
            abort(404)
        try:
            svc.grant(current_user, session, lecturer)
        except AccountError as exc:
            return error_response(409, account_error_message(exc.code), exc.code)
        flash(_("%(username)s may now read this session.", username=lecturer.username))
        return redirect(url_for("admin.access"))
    return render_template(
        "admin/access.html", form=form, grants=svc.all_grants(), revoke_form=ActiveForm()
    ), 400 if form.errors else 200


@bp.post("/access/<int:access_id>/revoke")
@admin_required
def revoke(access_id: int):
    """Take back a lecturer's read access."""
    grant = db.session.get(SessionAccess, access_id)
    if grant is None:
        abort(404)
    if not ActiveForm().validate_on_submit():
        return error_response(400)
    svc.revoke(current_user, grant)
    flash(_("Read access taken back."))
    return redirect(url_for("admin.access"))


@bp.get("/audit")
@admin_required
def audit_log():
    """The latest entries of the whole audit log."""
    return render_template("admin/audit.html", entries=privacy.audit_entries())

"""Login, logout and "change my password" for educators, lecturers and admins."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import unit_of_work
from app.auth import bp
from app.auth.forms import LoginForm, PasswordForm
from app.extensions import limiter, login_manager
from app.security import COHORT_ONLY_ROLES
from app.services import accounts
from app.services.accounts import AccountError
from app.urls import safe_next


@login_manager.user_loader
def load_user(login_id: str):
    """The account of a session or remember-me cookie, while its login token is the account's own."""
    return accounts.user_for_login_id(login_id)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Log in; `next` may only point inside this app. Every try leaves an audit entry."""
    if current_user.is_authenticated:
        return redirect(url_for("educator.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            unit_of_work.keep_on_error()  # the refusal's audit entry is the point of it
            form.password.errors.append(_("Wrong username or password."))
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        return redirect(safe_next(request.args.get("next"), url_for("educator.dashboard")))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Log out on every device: each session and remembered login of this account ends."""
    accounts.end_logins(current_user)
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"))


def _home_and_layout() -> tuple[str, str]:
    """Where this account belongs and the layout whose menu it sees: a cadre's or nutrition officer's
    is the cohort's (/cohort/), anyone else's the educator's."""
    if current_user.role in COHORT_ONLY_ROLES:
        return url_for("cohort.register"), "cohort/_base.html"
    return url_for("educator.dashboard"), "educator/_base.html"


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change my password; every other device logged in to this account is logged out."""
    home, layout = _home_and_layout()
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_own_password(user, form.current.data, form.new.data)
        except AccountError:
            form.current.errors.append(_("This is not your current password."))
            return render_template("auth/password.html", form=form, layout=layout), 400
        # This browser stays logged in (and remembered, if it was), with the account's new token.
        remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
        login_user(user, remember=remembered)
        flash(_("Your password is changed."))
        return redirect(home)
    return render_template("auth/password.html", form=form, layout=layout), 400 if form.errors else 200

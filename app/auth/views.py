"""Login and logout for educators, lecturers and admins."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.auth import bp
from app.auth.forms import LoginForm
from app.extensions import db, limiter, login_manager
from app.models import Educator


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(Educator, int(user_id)) if user_id.isdigit() else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Log in; `next` may only point inside this app."""
    if current_user.is_authenticated:
        return redirect(url_for("educator.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            select(Educator).where(Educator.username == form.username.data.strip().lower())
        )
        if user is None or not user.check_password(form.password.data) or not user.active:
            form.password.errors.append(_("Wrong username or password."))
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        target = request.args.get("next", "")
        if not target or urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
            target = url_for("educator.dashboard")
        return redirect(target)
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"))

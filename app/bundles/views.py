"""Views of the bundles: load, check access, call app.services.bundles, render or redirect."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.bundles import bp
from app.csrf import csrf
from app.errors import error_response
from app.extensions import db, limiter
from app.models import BundleConflict, Educator, Laptop
from app.security import admin_required
from app.services import accounts, bundles, privacy
from app.services import sessions as svc


@bp.get("/sessions/<int:session_id>/bundle.zip")
@login_required
def download(session_id: int):
    """The session as a bundle: pseudonymised unless the account may identify and asks for names."""
    target = svc.get_for(current_user, session_id)
    names = request.args.get("names") == "1"
    if names and not privacy.may_identify(current_user, target):
        abort(403)
    data = bundles.export_bundle([target], identified=names, actor_id=current_user.id)
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="bundle-{target.id}.zip"'
    return response


@bp.post("/sessions/<int:session_id>/push")
@login_required
def push(session_id: int):
    """Send the session to the server (SYNC_SERVER_URL) now; safe to press again."""
    target = svc.get_for(current_user, session_id, change=True)
    if not current_app.config.get("SYNC_SERVER_URL"):
        abort(404)
    data = bundles.export_bundle([target], identified=False, actor_id=current_user.id)
    try:
        answer = bundles.push(data)
    except bundles.PushError:
        flash(_("The server could not be reached. Nothing was lost: press the button again later."))
        return redirect(url_for("educator.session_detail", session_id=target.id))
    if not answer.get("ok"):
        flash(_("The server refused the bundle: %(message)s", message=answer.get("message", "")))
    elif answer.get("changed_nothing"):
        flash(_("The server already has everything of this session."))
    else:
        flash(_("Sent to the server."))
    return redirect(url_for("educator.session_detail", session_id=target.id))


def _report_payload(report: bundles.ImportReport) -> dict:
    return {
        "ok": True,
        "already": report.already is not None,
        "changed_nothing": report.changed_nothing,
        "counts": report.counts,
        "conflicts": len(report.conflicts),
    }


@bp.post("/api/bundles")
@csrf.exempt
@limiter.limit("30/minute")
def api_import():
    """The push API: the body is a bundle; its Ed25519 signature by a registered laptop is the login.

    Exactly once: a bundle sent again (the connection dropped after the server committed) is
    recognised by its checksum and changes nothing; one not committed is imported as new. The
    laptop simply sends the whole bundle again until it gets an answer.
    """
    request.max_content_length = current_app.config["BUNDLE_MAX_BYTES"]
    try:
        report = bundles.import_bundle(request.get_data(cache=False))
    except bundles.BundleError as exc:
        return jsonify(ok=False, error=exc.code, message=exc.message()), 400
    return jsonify(_report_payload(report))


@bp.route("/admin/bundles", methods=["GET", "POST"])
@admin_required
def upload():
    """An admin imports a bundle file brought from a laptop."""
    report = None
    if request.method == "POST":
        request.max_content_length = current_app.config["BUNDLE_MAX_BYTES"]
        storage = request.files.get("bundle")
        if storage is None or not storage.filename:
            return error_response(400, _("Choose a bundle file."))
        try:
            report = bundles.import_bundle(storage.read(), actor_id=current_user.id)
        except bundles.BundleError as exc:
            return render_template("bundles/upload.html", error=exc.message(), report=None), 400
    return render_template("bundles/upload.html", error=None, report=report)


@bp.route("/admin/laptops", methods=["GET", "POST"])
@admin_required
def laptops():
    """The laptops whose bundles this server accepts; an admin registers one by its key."""
    if request.method == "POST":
        owner = accounts.find(request.form.get("owner", ""))
        name = request.form.get("name", "").strip()[:120]
        if owner is None or not name:
            return error_response(400, _("Give the laptop a name and the username of an account."))
        try:
            bundles.register_laptop(
                instance_id=request.form.get("instance_id", "")[:36],
                public_key=request.form.get("public_key", "")[:64],
                name=name,
                owner=owner,
            )
        except bundles.LaptopError:
            return error_response(400, _("That is not a laptop's public key (64 hexadecimal characters)."))
        flash(_("Laptop registered."))
        return redirect(url_for("bundles.laptops"))
    rows = db.session.execute(select(Laptop, Educator.username).join(Educator).order_by(Laptop.name)).all()
    return render_template("bundles/laptops.html", laptops=rows)


@bp.route("/admin/conflicts", methods=["GET", "POST"])
@admin_required
def conflicts():
    """Records changed both here and on a laptop: the admin keeps this server's or takes the laptop's."""
    if request.method == "POST":
        conflict = db.session.get(BundleConflict, request.form.get("conflict", type=int) or 0)
        choice = request.form.get("choice", "")
        if conflict is None or conflict.status != "open" or choice not in ("mine", "theirs"):
            abort(404)
        bundles.resolve(conflict, choice, current_user.id)
        flash(_("Conflict resolved."))
        return redirect(url_for("bundles.conflicts"))
    return render_template("bundles/conflicts.html", conflicts=bundles.open_conflicts())

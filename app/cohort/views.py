"""Cohort pages: the register, a new pair, the monthly visit, the worklist and the coverage.

Each view loads what the URL names (404 when the account may not see it), checks the role
(403), validates the form, calls one service function and redirects or renders.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.cohort import bp
from app.cohort.forms import (
    ConfirmForm,
    ConsultationForm,
    DesaForm,
    ImportForm,
    LinkParticipantForm,
    MeetingForm,
    MemberForm,
    MergeForm,
    PairForm,
    PostForm,
    PosyanduForm,
    PuskesmasForm,
    ReferralOutcomeForm,
    TargetForm,
    VisitForm,
    category_choices,
    labels,
    yes_no_value,
)
from app.errors import error_response
from app.extensions import db, limiter
from app.models import Educator
from app.models.cohort import CohortMembership, CohortPair, Desa, Posyandu, Puskesmas
from app.services import cohort as svc
from app.services.cohort import CohortError, PairData, VisitData
from app.urls import public_url


def cohort_required(view):
    """Logged in (else to the login page) as a cadre, a nutrition officer or an admin (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not svc.can_use_cohort(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def error_message(code: str) -> str:
    """The person's words for a CohortError code."""
    return {
        "posyandu_not_yours": _("This posyandu is not one of yours."),
        "pair_not_yours": _("This mother and baby are followed by another posyandu."),
        "mother_name_required": _("Please fill in the mother's name."),
        "birth_in_future": _("The date of birth cannot be in the future."),
        "birth_too_old": _("The baby is more than two years old: the cohort follows babies to six months."),
        "bad_sex": _("Choose the baby's sex."),
        "bad_birth_place": _("Choose a place of birth from the list."),
        "bad_birth_weight": _("The birth weight must be between 300 and 7000 grams."),
        "consent_required": _("Without her consent the pair cannot be registered."),
        "bad_phone": _("The phone number does not look right: write it as 0812 3456 7890."),
        "whatsapp_needs_phone": _("WhatsApp contact needs her phone number."),
        "cadre_not_of_posyandu": _("That cadre does not belong to this posyandu."),
        "likely_duplicate": _("This mother may already be registered. Check the list below."),
        "merge_same_pair": _("A pair cannot be merged with itself."),
        "merge_different_birth": _("Only pairs with the same baby's date of birth can be merged."),
        "bad_client_key": _("The visit could not be identified. Reload the page and try again."),
        "visit_before_birth": _("The visit date is before the baby's date of birth."),
        "visit_in_future": _("The visit date cannot be in the future."),
        "next_before_visit": _("The next visit cannot be before this one."),
        "bad_place": _("Choose where the visit took place."),
        "bad_problem": _("Choose problems from the list."),
        "breastfed_required": _("Answer whether the baby had breast milk in the last 24 hours."),
        "bad_recall_item": _("Choose what the baby had from the list."),
        "client_key_used": _("This visit was already stored for another mother."),
        "no_whatsapp_consent": _("She has not agreed to WhatsApp contact."),
        "target_out_of_range": _("The target must be between 0 and 100%."),
        "bad_year": _("Choose a year between 2000 and 2100."),
        "not_six_months_yet": _("The baby is not six months old yet."),
        "completion_not_met": _(
            "The certificate needs breast milk only in every month 0-5, with a visit in month 5 and no month left unconfirmed."
        ),
        "certificate_revoked": _("This certificate was revoked."),
        "reason_required": _("Please give the reason."),
        "no_referral": _("This visit has no referral."),
        "wrong_role_for_place": _("This account cannot be placed there."),
        "meeting_in_future": _("The meeting date cannot be in the future."),
        "consultation_in_future": _("The consultation date cannot be in the future."),
        "topic_required": _("Please fill in the topic."),
        "bad_count": _("The number cannot be negative."),
        "bad_choice": _("Choose from the list."),
        "outcome_required": _("Please describe what came of the referral."),
        "outcome_too_long": _("Please keep it to 300 characters."),
        "personal_code_required": _("Please type her personal code."),
        "no_such_participant": _("No participant has this personal code. Check it on her card or screen."),
        "participant_linked_elsewhere": _("This session record is already linked to another mother."),
        "place_name_required": _("Please fill in the name."),
        "place_name_too_long": _("The name is too long (at most 120 characters)."),
        "place_exists": _("A place of this name is already there."),
        "already_member": _("This account is already placed there."),
    }.get(code, _("This cannot be done now."))


def refused(exc: CohortError):
    """The cohort service's refusal as an error page (or JSON), in the person's words."""
    return error_response(exc.status, error_message(exc.code), exc.code)


def carry_out(action: Callable[[], object], done: str, then: str):
    """Run a cohort service's action; when it is done, say `done` and go to `then`, else show its refusal."""
    try:
        action()
    except CohortError as exc:
        return refused(exc)
    flash(done)
    return redirect(then)


def invalid_form(form):
    """A form that did not validate: 400 for a failed CSRF check, else 422 with its first error."""
    if form.csrf_token.errors:
        return error_response(400)
    return error_response(422, next(iter(form.errors.values()))[0], "invalid")


def load_pair(pair_id: int) -> CohortPair:
    """The pair, if the account may see it. :raise 404: deleted, or of another posyandu."""
    pair = svc.get_pair(current_user, pair_id)
    if pair is None:
        abort(404)
    return pair


def admin_required(view):
    """Logged in as an admin (else the login page, or 403): the places and who belongs where."""

    @wraps(view)
    @cohort_required
    def wrapped(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def posyandu_choices() -> list[tuple[int, str]]:
    return [(p.id, f"{p.name} ({p.desa.name})") for p in svc.visible_posyandu(current_user)]


# ------------------------------------------------------------------ register


@bp.get("/")
@cohort_required
def register():
    """The register: every pair the account sees, with √ / X / A by age month 0-5."""
    posyandu = svc.visible_posyandu(current_user)
    chosen = request.args.get("posyandu", type=int)
    ids = [chosen] if chosen and any(p.id == chosen for p in posyandu) else None
    pairs = svc.pairs_for(current_user, ids)
    today = date.today()
    rows = [(p, svc.register_row(p), p.age_months(today)) for p in pairs]
    return render_template("cohort/register.html", rows=rows, posyandu=posyandu, chosen=chosen)


@bp.route("/pairs/new", methods=["GET", "POST"])
@cohort_required
def new_pair():
    """Register a mother and her baby; likely duplicates are shown first."""
    form = PairForm()
    form.posyandu.choices = posyandu_choices()
    if not form.posyandu.choices:
        flash(_("You do not belong to a posyandu yet. Ask the admin to place your account."))
        return redirect(url_for("cohort.register"))
    cadres = svc.cadres_of_any([p for p, _label in form.posyandu.choices])
    form.cadre.choices = [(0, _("Not assigned"))] + [(c.id, c.full_name) for c in cadres]
    if request.method == "GET":
        form.posyandu.data = form.posyandu.choices[0][0]
        if current_user.role == "kader":
            form.cadre.data = current_user.id
    duplicates = []
    if form.validate_on_submit():
        data = PairData(
            posyandu_id=form.posyandu.data,
            mother_name=form.mother_name.data,
            baby_sex=form.baby_sex.data,
            birth_date=form.birth_date.data,
            consent_followup=form.consent_followup.data,
            mother_phone=form.mother_phone.data or "",
            rt_rw=form.rt_rw.data or "",
            baby_name=form.baby_name.data or "",
            birth_weight_g=form.birth_weight_g.data,
            preterm=yes_no_value(form.preterm.data),
            early_initiation=yes_no_value(form.early_initiation.data),
            rooming_in=yes_no_value(form.rooming_in.data),
            birth_place=form.birth_place.data or "",
            consent_whatsapp=form.consent_whatsapp.data,
            cadre_id=form.cadre.data or None,
        )
        try:
            pair = svc.create_pair(current_user, data, allow_duplicate=form.confirm_new.data)
        except CohortError as exc:
            duplicates = exc.params.get("duplicates", [])
            form.mother_name.errors.append(error_message(exc.code))
            return render_template("cohort/new_pair.html", form=form, duplicates=duplicates), exc.status
        flash(_("The pair is registered."))
        return redirect(url_for("cohort.pair_detail", pair_id=pair.id))
    status = 422 if form.is_submitted() else 200
    return render_template("cohort/new_pair.html", form=form, duplicates=duplicates), status


@bp.get("/pairs/<int:pair_id>")
@cohort_required
def pair_detail(pair_id: int):
    """A pair: details, register row, visits and the duplicates it may have."""
    pair = load_pair(pair_id)
    duplicates = svc.find_duplicates(pair.posyandu, pair.mother_name, pair.birth_date, exclude_id=pair.id)
    duplicates = [d for d in duplicates if svc.can_see_posyandu(current_user, d.posyandu_id)]
    return render_template(
        "cohort/pair.html",
        pair=pair,
        marks=svc.register_row(pair),
        age=pair.age_months(date.today()),
        duplicates=duplicates,
        form=PostForm(),
        link=svc.whatsapp_link(pair, current_user.full_name),
        referral_form=ReferralOutcomeForm(),
        link_form=LinkParticipantForm(),
        participant=svc.linked_participant(pair),
    )


@bp.post("/visits/<int:visit_id>/referral")
@cohort_required
def referral_outcome(visit_id: int):
    """Record what came of a visit's referral (later, when the cadre hears of it)."""
    visit = svc.get_visit(current_user, visit_id)
    if visit is None:
        abort(404)
    form = ReferralOutcomeForm()
    if not form.validate_on_submit():
        return invalid_form(form)
    return carry_out(
        lambda: svc.set_referral_outcome(current_user, visit, form.outcome.data),
        _("The outcome of the referral is saved."),
        url_for("cohort.pair_detail", pair_id=visit.pair_id),
    )


@bp.post("/pairs/<int:pair_id>/participant")
@cohort_required
@limiter.limit("10 per minute")  # a personal code is guessable: as on the participant's own page
def link_participant(pair_id: int):
    """Link the mother to her record in a counseling session, by her personal code."""
    pair = load_pair(pair_id)
    form = LinkParticipantForm()
    if not form.validate_on_submit():
        return invalid_form(form)
    return carry_out(
        lambda: svc.link_participant(current_user, pair, form.personal_code.data),
        _("She is linked to her session record."),
        url_for("cohort.pair_detail", pair_id=pair.id),
    )


@bp.post("/pairs/<int:pair_id>/participant/unlink")
@cohort_required
def unlink_participant(pair_id: int):
    """Remove the link to her session record (the record stays)."""
    pair = load_pair(pair_id)
    if not PostForm().validate_on_submit():
        return error_response(400)
    svc.unlink_participant(current_user, pair)
    flash(_("The link to her session record is removed."))
    return redirect(url_for("cohort.pair_detail", pair_id=pair.id))


@bp.post("/pairs/<int:pair_id>/merge")
@cohort_required
def merge_pair(pair_id: int):
    """Merge a duplicate into this pair (its visits move here), with an audit entry."""
    pair = load_pair(pair_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return error_response(400)
    duplicate = svc.get_pair(current_user, form.duplicate.data)
    if duplicate is None:
        abort(404)
    return carry_out(
        lambda: svc.merge_pairs(current_user, pair, duplicate),
        _("The two records are merged."),
        url_for("cohort.pair_detail", pair_id=pair.id),
    )


@bp.route("/pairs/<int:pair_id>/delete", methods=["GET", "POST"])
@cohort_required
def delete_pair(pair_id: int):
    """Delete a pair and all its visits on the mother's request (kept in the audit log by number only)."""
    pair = load_pair(pair_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        svc.delete_pair(current_user, pair)
        flash(_("The pair and all its visits are deleted."))
        return redirect(url_for("cohort.register"))
    status = 422 if form.is_submitted() else 200
    return render_template("cohort/delete_pair.html", pair=pair, form=form), status


# ------------------------------------------------------------------ visits


def visit_data(form: VisitForm) -> VisitData:
    came = form.came.data == "yes"
    return VisitData(
        client_key=form.client_key.data,
        visit_date=form.visit_date.data,
        came=came,
        place=form.place.data or "",
        other_since_last=yes_no_value(form.other_since_last.data),
        breastfed_24h=yes_no_value(form.breastfed_24h.data) if came else None,
        recall_24h=list(form.recall_24h.data or []),
        problems=list(form.problems.data or []),
        counseling=form.counseling.data or "",
        referral_to=form.referral_to.data or "",
        next_visit_on=form.next_visit_on.data,
    )


@bp.route("/pairs/<int:pair_id>/visit", methods=["GET", "POST"])
@cohort_required
def visit(pair_id: int):
    """The monthly visit on a phone, with the previous visit's answers beside it."""
    pair = load_pair(pair_id)
    form = VisitForm()
    if request.method == "GET":
        form.client_key.data = svc.codes.new_code(20)
        form.visit_date.data = date.today()
    if form.validate_on_submit():
        try:
            _visit, created = svc.record_visit(current_user, pair, visit_data(form))
        except CohortError as exc:
            form.visit_date.errors.append(error_message(exc.code))
            return render_template(
                "cohort/visit.html", pair=pair, form=form, previous=svc.previous_visit(pair), labels=labels()
            ), exc.status
        flash(_("The visit is saved.") if created else _("This visit was already saved."))
        return redirect(url_for("cohort.pair_detail", pair_id=pair.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "cohort/visit.html", pair=pair, form=form, previous=svc.previous_visit(pair), labels=labels()
    ), status


def json_to_form(payload: dict) -> MultiDict:
    """A phone's JSON visit as the form data the visit form validates (one set of checks)."""
    data: MultiDict = MultiDict()
    for key, value in payload.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                item = "yes" if item else "no"
            if isinstance(item, (str, int, float)):
                data.add(str(key), str(item))
    return data


@bp.post("/pairs/<int:pair_id>/visits.json")
@cohort_required
def visit_json(pair_id: int):
    """A visit from the phone's offline queue; the same client key stores it once (200 both times)."""
    pair = svc.get_pair(current_user, pair_id)
    if pair is None:
        return jsonify(
            ok=False,
            error="pair_not_found",
            message=_("This mother and baby are no longer in your register."),
        ), 404
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return error_response(400)
    form = VisitForm(formdata=json_to_form(payload), meta={"csrf": False})
    if not form.validate():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        return jsonify(
            ok=False, error="invalid", message=_("Some of what was sent is not valid."), fields=fields
        ), 422
    try:
        stored, created = svc.record_visit(current_user, pair, visit_data(form))
    except CohortError as exc:
        return jsonify(ok=False, error=exc.code, message=error_message(exc.code)), exc.status
    return jsonify(ok=True, created=created, visit_id=stored.id, status=stored.status)


# ------------------------------------------------------------------ worklist


@bp.get("/worklist")
@cohort_required
def worklist():
    """Pairs due and overdue this month, with a WhatsApp button where she agreed to it."""
    posyandu = svc.visible_posyandu(current_user)
    chosen = request.args.get("posyandu", type=int)
    ids = [chosen] if chosen and any(p.id == chosen for p in posyandu) else None
    items = svc.worklist(current_user, date.today(), ids)
    opened = svc.last_whatsapp([i.pair.id for i in items])
    return render_template(
        "cohort/worklist.html", items=items, opened=opened, posyandu=posyandu, chosen=chosen, form=PostForm()
    )


@bp.post("/pairs/<int:pair_id>/whatsapp")
@cohort_required
def open_whatsapp(pair_id: int):
    """Record "WhatsApp opened" and go to wa.me with the prefilled message."""
    pair = load_pair(pair_id)
    form = PostForm()
    if not form.validate_on_submit():
        return error_response(400)
    link = svc.whatsapp_link(pair, current_user.full_name)
    if link is None:
        return error_response(409, error_message("no_whatsapp_consent"), "no_whatsapp_consent")
    svc.whatsapp_opened(current_user, pair)
    return redirect(link, 303)


# ------------------------------------------------------------------ coverage


def chosen_puskesmas() -> Puskesmas | None:
    puskesmas = svc.visible_puskesmas(current_user)
    wanted = request.args.get("puskesmas", type=int)
    return next((p for p in puskesmas if p.id == wanted), puskesmas[0] if puskesmas else None)


@bp.get("/coverage")
@cohort_required
def coverage():
    """Coverage per posyandu, desa and Puskesmas for a month or a semester, against the target."""
    puskesmas = chosen_puskesmas()
    today = date.today()
    period = request.args.get("period", f"{today.year}-{today.month:02d}")
    semester = request.args.get("semester") == "1"
    if puskesmas is None:
        return render_template("cohort/coverage.html", puskesmas=None, all_puskesmas=[])
    try:
        result, names = svc.coverage_for(current_user, puskesmas, period, semester)
    except ValueError:
        flash(_("Choose a month; a semester ends in February or August."))
        return redirect(url_for("cohort.coverage", puskesmas=puskesmas.id))
    year = int(result.end[:4])
    series = svc.monthly_series(current_user, puskesmas, year)
    from app.cohort.charts import coverage_chart  # here: only this page draws a chart (not needed at start)

    chart = coverage_chart(series, result.target_percent, _("Register indicator by month"), _("target"))
    form = TargetForm(year=year, percent=result.target_percent)
    return render_template(
        "cohort/coverage.html",
        puskesmas=puskesmas,
        all_puskesmas=svc.visible_puskesmas(current_user),
        result=result,
        names=names,
        period=period,
        semester=semester,
        chart=chart,
        form=form,
        can_set_target=current_user.role in ("tpg", "admin"),
    )


@bp.post("/puskesmas/<int:puskesmas_id>/target")
@cohort_required
def set_target(puskesmas_id: int):
    """Set the Puskesmas's target for a year (nutrition officer or admin)."""
    puskesmas = next((p for p in svc.visible_puskesmas(current_user) if p.id == puskesmas_id), None)
    if puskesmas is None:
        abort(404)
    if current_user.role not in ("tpg", "admin"):
        abort(403)
    form = TargetForm()
    if not form.validate_on_submit():
        return error_response(422, _("The target must be between 0 and 100%."))
    return carry_out(
        lambda: svc.set_target(current_user, puskesmas, form.year.data, float(form.percent.data)),
        _("The target is saved."),
        url_for("cohort.coverage", puskesmas=puskesmas.id, period=f"{form.year.data}-08"),
    )


# ------------------------------------------------------------------ report to the Puskesmas


@bp.get("/report.<fmt>")
@cohort_required
def report(fmt: str):
    """The register and recap for the Puskesmas, as PDF or Excel; names only when asked for (audited)."""
    from app.cohort import report as rep
    from app.services import audit

    if fmt not in ("pdf", "xlsx"):
        abort(404)
    puskesmas = chosen_puskesmas()
    if puskesmas is None:
        abort(404)
    today = date.today()
    period = request.args.get("period", f"{today.year}-{today.month:02d}")
    semester = request.args.get("semester") == "1"
    with_names = request.args.get("names") == "1"
    try:
        built = rep.build(
            current_user, puskesmas, period, semester, with_names, request.args.get("posyandu", type=int)
        )
    except ValueError:
        return error_response(400, _("Choose a month; a semester ends in February or August."))
    audit.record(
        f"cohort.report_{fmt}", puskesmas_id=puskesmas.id, period=period, semester=semester, names=with_names
    )
    body = rep.to_pdf(built) if fmt == "pdf" else rep.to_xlsx(built)
    mimetype = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"register-asi-{period}{'-semester' if semester else ''}.{fmt}"
    return body, 200, {"Content-Type": mimetype, "Content-Disposition": f'attachment; filename="{name}"'}


# ------------------------------------------------------------------ certificates


def verify_url(code: str) -> str:
    """The public address printed in the certificate's QR code (app/urls.py public_base)."""
    return public_url(url_for("cohort.verify", code=code))


def graduation_view(cert):
    from app.cohort.certificate import GraduationView

    pair = cert.pair
    puskesmas = pair.posyandu.desa.puskesmas
    return GraduationView(
        cert.code,
        svc.display_number(cert, puskesmas.id),
        pair.mother_name,
        pair.baby_name,
        pair.birth_date,
        pair.posyandu.name,
        puskesmas.name,
        puskesmas.head_name,
        cert.issued_at.date(),
    )


@bp.post("/pairs/<int:pair_id>/certificate")
@cohort_required
def issue_certificate(pair_id: int):
    """Issue the "lulus ASI eksklusif" certificate; refused (409) unless the completion rule is met."""
    pair = load_pair(pair_id)
    if not PostForm().validate_on_submit():
        return error_response(400)
    return carry_out(
        lambda: svc.issue_certificate(current_user, pair),
        _("The certificate is issued."),
        url_for("cohort.certificates"),
    )


@bp.get("/certificates")
@cohort_required
def certificates():
    """Every certificate of the account's pairs, with revocation and the batch print."""
    items = [(c, graduation_view(c)) for c in svc.certificates_for(current_user)]
    return render_template("cohort/certificates.html", items=items, form=PostForm())


@bp.get("/certificates.pdf")
@cohort_required
def certificates_pdf():
    """Every valid certificate (or those ticked, ?id=..) as one PDF for a graduation."""
    from app.cohort import certificate as cert_pdf

    wanted = set(request.args.getlist("id", type=int))
    items = [
        graduation_view(c)
        for c in svc.certificates_for(current_user, include_revoked=False)
        if not wanted or c.id in wanted
    ]
    body = cert_pdf.render(items, verify_url)
    return (
        body,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": 'attachment; filename="sertifikat-asi.pdf"',
        },
    )


@bp.post("/certificates/<int:cert_id>/revoke")
@cohort_required
def revoke_certificate(cert_id: int):
    """Revoke a certificate with a reason (kept with it and in the audit log)."""
    cert = svc.get_certificate(current_user, cert_id)
    if cert is None:
        abort(404)
    if not PostForm().validate_on_submit():
        return error_response(400)
    return carry_out(
        lambda: svc.revoke_certificate(current_user, cert, request.form.get("reason", "")),
        _("The certificate is revoked."),
        url_for("cohort.certificates"),
    )


@bp.get("/c/<code>")
def verify(code: str):
    """Public check of a certificate's code: valid or revoked, its number and Puskesmas (no names)."""
    cert = svc.find_certificate(code)
    view = graduation_view(cert) if cert else None
    return render_template("cohort/verify.html", cert=cert, view=view), 200 if cert else 404


# ------------------------------------------------------------------ import


def import_message(problem) -> str:
    words = {
        "missing_column": _("the column is missing"),
        "posyandu_not_yours": _("not one of your posyandu"),
        "mother_name_required": _("the mother's name is empty"),
        "bad_sex": _("write L or P"),
        "bad_date": _("is not a date (write 2026-08-15 or 15/08/2026)"),
        "birth_in_future": _("the date of birth is in the future"),
        "bad_mark": _("write √, X, A or leave empty"),
        "month_in_future": _("this month of age has not come yet"),
        "likely_duplicate": _("this mother may already be registered"),
    }
    where = _("row %(row)d, column '%(column)s'", row=problem.row, column=problem.column)
    if problem.value:
        where += ", " + _("value '%(value)s'", value=problem.value)
    return f"{where}: {words.get(problem.code, problem.code)}"


@bp.route("/import", methods=["GET", "POST"])
@cohort_required
def import_register():
    """Import a re-keyed paper register (CSV/XLSX); with any problem nothing is written."""
    import os
    import tempfile
    from pathlib import Path

    from analysis.io import DataFileError

    form = ImportForm()
    if not form.validate_on_submit():
        return render_template(
            "cohort/import.html", form=form, problems=[]
        ), 422 if form.is_submitted() else 200
    storage = form.data_file.data
    name = Path(storage.filename or "register.csv").name
    fd, path = tempfile.mkstemp(suffix=Path(name).suffix.lower())
    os.close(fd)
    try:
        storage.save(path)
        header, rows = svc.read_register_rows(path)
        created, problems = svc.import_register(current_user, header, rows)
    except DataFileError as exc:
        form.data_file.errors = [f"{name}: {exc}"]
        return render_template("cohort/import.html", form=form, problems=[]), 422
    finally:
        os.unlink(path)
    if problems:
        messages = [f"{name}: {import_message(p)}" for p in problems]
        return render_template("cohort/import.html", form=form, problems=messages), 422
    flash(_("%(n)d mothers and babies imported.", n=created))
    return redirect(url_for("cohort.register"))


# ------------------------------------------------------------------ KP-ASI


@bp.route("/kp-asi", methods=["GET", "POST"])
@cohort_required
def kpasi():
    """KP-ASI meetings and consultations of the month, with the numbers for the monthly report."""
    choices = posyandu_choices()
    meeting, consultation = MeetingForm(prefix="m"), ConsultationForm(prefix="c")
    meeting.posyandu.choices = consultation.posyandu.choices = choices
    meeting.mothers.choices = [(p.id, p.mother_name) for p in svc.pairs_for(current_user)]
    today = date.today()
    status = 200
    try:
        if request.method == "POST" and request.form.get("kind") == "meeting":
            if meeting.validate_on_submit():
                svc.record_meeting(
                    current_user,
                    meeting.posyandu.data,
                    meeting.held_on.data,
                    meeting.topic.data,
                    list(meeting.mothers.data or []),
                    meeting.others.data,
                )
                flash(_("The meeting is saved."))
                return redirect(url_for("cohort.kpasi"))
            status = 422
        elif request.method == "POST" and request.form.get("kind") == "consultation":
            if consultation.validate_on_submit():
                svc.record_consultation(
                    current_user,
                    consultation.posyandu.data,
                    consultation.asked_on.data,
                    consultation.channel.data,
                    consultation.category.data,
                    consultation.outcome.data,
                )
                flash(_("The consultation is saved."))
                return redirect(url_for("cohort.kpasi"))
            status = 422
        elif request.method == "POST":
            return error_response(400)
    except CohortError as exc:
        flash(error_message(exc.code))
        status = exc.status
    month = svc.kpasi_month(current_user, today.year, today.month)
    categories = dict(category_choices())
    return render_template(
        "cohort/kpasi.html", meeting=meeting, consultation=consultation, month=month, categories=categories
    ), status


# ------------------------------------------------------------------ places and memberships (admin)


def _places_forms() -> dict:
    tree = svc.places_tree()
    desa_form, posyandu_form, member_form = (
        DesaForm(prefix="desa"),
        PosyanduForm(prefix="pos"),
        MemberForm(prefix="m"),
    )
    desa_form.puskesmas.choices = [(p.id, p.name) for p in tree]
    posyandu_form.desa.choices = [(d.id, f"{d.name} ({p.name})") for p in tree for d in p.desa]
    member_form.account.choices = [
        (a.id, f"{a.full_name} ({a.username}, {a.role})") for a in svc.cohort_accounts()
    ]
    member_form.place.choices = [(f"puskesmas:{p.id}", p.name) for p in tree] + [
        (f"posyandu:{y.id}", f"{y.name} ({d.name}, {p.name})")
        for p in tree
        for d in p.desa
        for y in d.posyandu
    ]
    return {
        "tree": tree,
        "puskesmas_form": PuskesmasForm(prefix="pkm"),
        "desa_form": desa_form,
        "posyandu_form": posyandu_form,
        "member_form": member_form,
        "memberships": svc.memberships(),
        "remove_form": PostForm(),
    }


def _places_page(forms: dict, status: int = 200):
    return render_template("cohort/places.html", **forms), status


def _refuse_on(forms: dict, form, field, message: str, status: int):
    field.errors = [*field.errors, message]
    return _places_page(forms, status)


@bp.get("/places")
@admin_required
def places():
    """Puskesmas, desa and posyandu, and which cadre or nutrition officer belongs where."""
    return _places_page(_places_forms())


def _add_place(key: str, add):
    """One of the places page's forms: `add(form)` calls the service; a refusal is shown beside the name."""
    forms = _places_forms()
    form = forms[key]
    if not form.validate_on_submit():
        return _places_page(forms, 400 if form.csrf_token.errors else 422)
    try:
        add(form)
    except CohortError as exc:
        return _refuse_on(
            forms, form, form.name, error_message(exc.code), exc.status if exc.status != 400 else 422
        )
    flash(_("The place is added."))
    return redirect(url_for("cohort.places"))


@bp.post("/places/puskesmas")
@admin_required
def add_puskesmas():
    """Add a Puskesmas."""
    return _add_place(
        "puskesmas_form",
        lambda f: svc.add_puskesmas(f.name.data, f.head_name.data or "", f.nutrition_officer_name.data or ""),
    )


@bp.post("/places/desa")
@admin_required
def add_desa():
    """Add a desa to a Puskesmas."""
    return _add_place(
        "desa_form", lambda f: svc.add_desa(db.get_or_404(Puskesmas, f.puskesmas.data), f.name.data)
    )


@bp.post("/places/posyandu")
@admin_required
def add_posyandu():
    """Add a posyandu to a desa."""
    return _add_place(
        "posyandu_form", lambda f: svc.add_posyandu(db.get_or_404(Desa, f.desa.data), f.name.data)
    )


@bp.post("/members")
@admin_required
def add_member():
    """Place a cadre at a posyandu or a nutrition officer at a Puskesmas."""
    forms = _places_forms()
    form = forms["member_form"]
    if not form.validate_on_submit():
        return _places_page(forms, 400 if form.csrf_token.errors else 422)
    account = db.get_or_404(Educator, form.account.data)
    kind, _sep, raw_id = form.place.data.partition(":")
    place_id = int(raw_id)
    try:
        if kind == "posyandu":
            svc.add_member(account, posyandu=db.get_or_404(Posyandu, place_id))
        else:
            svc.add_member(account, puskesmas=db.get_or_404(Puskesmas, place_id))
    except CohortError as exc:
        return _refuse_on(
            forms, form, form.place, error_message(exc.code), exc.status if exc.status != 400 else 422
        )
    flash(_("The account is placed."))
    return redirect(url_for("cohort.places"))


@bp.post("/members/<int:membership_id>/remove")
@admin_required
def remove_member(membership_id: int):
    """Take an account off a posyandu or Puskesmas (her pairs stay with the posyandu)."""
    membership = db.get_or_404(CohortMembership, membership_id)
    if not PostForm().validate_on_submit():
        return error_response(400)
    svc.remove_member(current_user, membership)
    flash(_("The account is taken off that place."))
    return redirect(url_for("cohort.places"))

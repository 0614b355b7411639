"""`flask report SESSION_ID... --format pdf|docx|xlsx|sav|sav-long|csv`, `flask report --from-file FILE`,
and `flask certificates SESSION_ID`. Thin: each calls one build function, echoes what it wrote, and exits
non-zero with the problem. Registered in create_app (COMMANDS), imported when one of them runs."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from analysis.format import explain_file_error
from analysis.io import DataFileError
from app import unit_of_work
from app.extensions import db
from app.models import CounselingSession
from app.reports import build
from app.reports.views import verify_url
from app.services.reportdata import Activity
from app.urls import public_base


def _sessions(ids: tuple[int, ...]) -> list[CounselingSession]:
    found = []
    for i in ids:
        s = db.session.get(CounselingSession, i)
        if s is None:
            click.echo(f"No session with id {i}.", err=True)
            sys.exit(1)
        found.append(s)
    return found


@click.command("report")
@with_appcontext
@click.argument("session_ids", nargs=-1, type=int)
@click.option("--format", "fmt", type=click.Choice(list(build.FORMATS)), default="pdf", show_default=True)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--with-names", is_flag=True, help="Print names instead of P01, P02, ...")
@click.option(
    "--semicolon/--comma",
    default=None,
    help="CSV with semicolons and decimal commas (Excel in Indonesian) or commas and points; default: by --lang.",
)
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(dir_okay=False),
    help="A CSV/XLSX file as `python -m analysis report` reads, instead of sessions.",
)
@click.option("--title", default="", help="--from-file: title of the activity.")
@click.option("--place", default="", help="--from-file: place.")
@click.option("--date", "held_on", default="", help="--from-file: date, YYYY-MM-DD.")
@click.option("--educator", default="", help="--from-file: educator or team.")
@click.option("--institution", default="", help="--from-file: institution.")
@click.option("--instrument", default="", help="--from-file: name of the questionnaire.")
@click.option("--max-score", type=float, default=100.0, show_default=True, help="--from-file: highest score.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Where to write (default: a name in .)")
@unit_of_work.command
def report(
    session_ids,
    fmt,
    lang,
    with_names,
    semicolon,
    from_file,
    title,
    place,
    held_on,
    educator,
    institution,
    instrument,
    max_score,
    output,
):
    """Write the report or an export of one session, several pooled, or a data file."""
    if from_file:
        if session_ids:
            click.echo("Give session ids or --from-file, not both.", err=True)
            sys.exit(2)
        try:
            day = date.fromisoformat(held_on) if held_on else None
        except ValueError:
            click.echo(f"--date must be YYYY-MM-DD, got {held_on!r}", err=True)
            sys.exit(2)
        activity = Activity(
            title=title or Path(from_file).stem,
            place=place,
            held_on=day,
            educator=educator,
            team="",
            institution=institution,
            quiz_title_id=instrument,
            quiz_title_en=instrument,
        )
        try:
            download = build.report_from_file(
                from_file,
                activity,
                fmt,
                lang=lang,
                max_score=max_score,
                with_names=with_names,
                via="cli",
                semicolon=semicolon,
            )
        except (DataFileError, ValueError) as exc:
            message = explain_file_error(exc, lang) if isinstance(exc, DataFileError) else exc
            click.echo(f"{from_file}: {message}", err=True)
            sys.exit(2)
    else:
        if not session_ids:
            click.echo("Give one or more session ids, or --from-file FILE.", err=True)
            sys.exit(2)
        download = build.export_sessions(
            _sessions(session_ids),
            fmt,
            lang=lang,
            with_names=with_names,
            semicolon=lang == "id" if semicolon is None else semicolon,
            via="cli",
        )
    path = Path(output or download.filename)
    path.write_bytes(download.content)
    click.echo(f"Wrote {path} ({len(download.content):,} bytes).")


@click.command("certificates")
@with_appcontext
@click.argument("session_id", type=int)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--with-score", is_flag=True, help="Print the post-test score.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Where to write (default sertifikat-ID.pdf)"
)
@unit_of_work.command
def certificates_command(session_id, lang, with_score, output):
    """Write every certificate of a session (issuing any that are missing) as one PDF.

    Each certificate's QR code links to PUBLIC_BASE_URL/c/CODE when PUBLIC_BASE_URL is set
    (for example http://192.168.43.10:5000 or https://asi.example.ac.id); otherwise to this
    computer's network address on port 5000, which other devices reach only while it serves
    there. Set PUBLIC_BASE_URL for certificates that are checked later or elsewhere.
    """
    base = public_base()
    if not base.reachable:
        click.echo(
            f"Warning: this computer is on no network, so the QR codes link to {base.url}, which only "
            "this computer can open. Set PUBLIC_BASE_URL to the address others use.",
            err=True,
        )
    (target,) = _sessions((session_id,))
    pdf, count = build.certificates_pdf(
        target, verify_url, lang=lang, with_score=with_score, via="cli", issue_missing=True
    )
    path = Path(output or f"sertifikat-{session_id}.pdf")
    path.write_bytes(pdf)
    click.echo(f"Wrote {path}: {count} certificate(s).")

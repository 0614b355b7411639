"""What the report views and commands call: gather, analyse, render, audit, in one function each."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from analysis.io import read_session_file
from app.drawing import charts
from app.models import CounselingSession
from app.reports.document import Report, build_article, build_comparison, build_report
from app.services import audit, certificates, exports
from app.services.reportdata import Activity, ReportData, from_session_file, gather, with_groups

#: format -> (MIME type, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "sav": ("application/x-spss-sav", "sav"),
    "sav-long": ("application/x-spss-sav", "sav"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    #: a pengabdian journal article's draft (document.build_article), Word like the report
    "article": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}
#: Formats a report from an uploaded file can take: all of them.
FILE_FORMATS = tuple(FORMATS)


@dataclass(frozen=True)
class Download:
    content: bytes
    mimetype: str
    filename: str


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "laporan"


def _drawn(report: Report, fmt: str) -> bytes:
    """The report's blocks as a PDF (fmt "pdf") or a Word document (any other)."""
    if fmt == "pdf":
        from app.reports.pdf import render_pdf

        return render_pdf(report)
    from app.reports.word import render_docx

    return render_docx(report)


def render(
    data: ReportData,
    fmt: str,
    *,
    lang: str = "id",
    with_names: bool = False,
    semicolon: bool = False,
    stem: str = "laporan",
) -> Download:
    """The data in one format (pdf, docx, xlsx, sav, sav-long, csv, article)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    mimetype, ext = FORMATS[fmt]
    if fmt == "article":
        content = _drawn(build_article(data, data.analyse(lang), lang), "docx")
    elif fmt in ("pdf", "docx", "xlsx"):
        result = data.analyse(lang)
        if fmt == "xlsx":
            content = exports.to_xlsx(data, result, with_names=with_names, lang=lang)
        else:
            content = _drawn(build_report(data, result, lang, with_names=with_names), fmt)
    elif fmt == "csv":
        content = exports.to_csv(data, with_names=with_names, lang=lang, semicolon=semicolon)
    else:
        content = exports.to_sav(data, with_names=with_names, lang=lang, long=fmt == "sav-long")
    suffix = {"sav-long": "-long", "article": "-article-draft" if lang == "en" else "-draf-artikel"}.get(
        fmt, ""
    )
    if with_names:  # never the same name as the pseudonymised file: the two must not be mixed up
        suffix += "-with-names" if lang == "en" else "-dengan-nama"
    return Download(content, mimetype, f"{stem}{suffix}.{ext}")


def export_sessions(
    sessions: Sequence[CounselingSession],
    fmt: str,
    *,
    lang: str = "id",
    with_names: bool = False,
    semicolon: bool = False,
    actor_id: int | None = None,
    via: str = "web",
) -> Download:
    """A report or export of one session or several pooled; writes one audit entry per session."""
    data = gather(sessions)
    if len(sessions) == 1:
        stem = f"{'report' if lang == 'en' else 'laporan'}-{sessions[0].id}-{_slug(sessions[0].title)}"
    else:
        stem = f"{'report' if lang == 'en' else 'laporan'}-{len(sessions)}-sessions"
    download = render(data, fmt, lang=lang, with_names=with_names, semicolon=semicolon, stem=stem)
    for s in sessions:
        audit.record(
            f"export.{fmt}",
            s.id,
            actor_id=actor_id,
            lang=lang,
            with_names=with_names,
            via=via,
            pooled=[x.id for x in sessions] if len(sessions) > 1 else None,
        )
    return download


@dataclass(frozen=True)
class ResultsPage:
    report: Report
    svgs: dict[int, object]
    data: ReportData


def results(sessions: Sequence[CounselingSession], lang: str, *, with_names: bool = False) -> ResultsPage:
    """The report's blocks and their charts as inline SVG, for the results page."""
    data = gather(sessions)
    return page_for(data, lang, with_names=with_names)


def page_for(data: ReportData, lang: str, *, with_names: bool = False) -> ResultsPage:
    report = build_report(data, data.analyse(lang), lang, with_names=with_names)
    svgs = {f.number: charts.to_svg(charts.layout(f.kind, f.data), f.caption) for f in report.figures}
    return ResultsPage(report, svgs, data)


def certificates_pdf(
    session: CounselingSession,
    verify_url: Callable[[str], str],
    *,
    lang: str = "id",
    with_score: bool = False,
    actor_id: int | None = None,
    via: str = "web",
    issue_missing: bool = False,
) -> tuple[bytes, int]:
    """Every certificate of the session as one PDF; returns (pdf, count).

    With `issue_missing` (the CLI command, which may write) the certificates a finished
    post-test lacks are issued first; a download over the web only reads (closing the
    session issues them: services.sessions.move_phase).
    """
    from app.reports.certpdf import render_certificates

    if issue_missing:
        certificates.issue_missing(session)
    items = certificates.for_session(session)
    pdf = render_certificates(items, verify_url, lang=lang, with_score=with_score)
    audit.record(
        "export.certificates", session.id, actor_id=actor_id, count=len(items), with_score=with_score, via=via
    )
    return pdf, len(items)


def report_from_file(
    path: str | Path,
    activity: Activity,
    fmt: str,
    *,
    lang: str = "id",
    max_score: float = 100.0,
    with_names: bool = False,
    actor_id: int | None = None,
    via: str = "web",
    filename: str | None = None,
    columns: dict[str, str] | None = None,
    fractions: str = "refuse",
    semicolon: bool | None = None,
) -> Download:
    """The same report or export from a CSV/XLSX file `python -m analysis report` reads; DataFileError when bad.

    ``columns`` maps roles to the file's headers (the upload page's mapping
    step); ``fractions="rescale"`` multiplies fraction-of-one scores by
    max_score instead of refusing them.
    """
    if fmt not in FILE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(FILE_FORMATS)}, got {fmt!r}")
    data = from_session_file(
        read_session_file(path, max_score=max_score, columns=columns, fractions=fractions),
        activity,
        max_score=max_score,
    )
    download = render(
        data,
        fmt,
        lang=lang,
        with_names=with_names,
        semicolon=lang == "id" if semicolon is None else semicolon,
        stem=f"{'report' if lang == 'en' else 'laporan'}-{_slug(activity.title)}",
    )
    audit.record(
        f"export.file_{fmt}",
        None,
        actor_id=actor_id,
        lang=lang,
        via=via,
        file=filename or Path(path).name,
        participants=len(data.people),
    )
    return download


#: The two kinds of comparison: (reference group, other group), keys of app.models.session.STUDY_GROUPS.
COMPARISONS: dict[str, tuple[str, str]] = {
    "intervention_control": ("control", "intervention"),
    "media": ("medium_a", "medium_b"),
}
#: Formats of the comparison report.
COMPARISON_FORMATS = ("pdf", "docx", "csv")
#: Each group needs at least this many participants with both tests.
MIN_GROUP_PAIRS = 2


class ComparisonError(ValueError):
    """Groups that cannot be compared; the message is in the person's language."""


def comparison_data(
    sessions_a: Sequence[CounselingSession], sessions_b: Sequence[CounselingSession], kind: str
) -> ReportData:
    """The data of both groups, each person in her session's group; ComparisonError when they cannot be compared."""
    if kind not in COMPARISONS:
        raise ComparisonError(_("Please choose what is compared."))
    if not sessions_a or not sessions_b:
        raise ComparisonError(_("Please choose at least one session for each group."))
    both = {s.id for s in sessions_a} & {s.id for s in sessions_b}
    if both:
        titles = ", ".join(s.title for s in sessions_a if s.id in both)
        raise ComparisonError(_("A session cannot be in both groups: %(titles)s.", titles=titles))
    reference, other = COMPARISONS[kind]
    group_of = {s.id: reference for s in sessions_a} | {s.id: other for s in sessions_b}
    data = with_groups(gather([*sessions_a, *sessions_b]), group_of, reference)
    groups = data.groups or []
    for key in (other, reference):
        n = sum(
            1
            for p, g in zip(data.people, groups, strict=True)
            if g == key and p.pre is not None and p.post is not None
        )
        if n < MIN_GROUP_PAIRS:
            raise ComparisonError(
                _(
                    "Each group needs at least %(min)d participants who took both tests; %(group)s has %(n)d.",
                    min=MIN_GROUP_PAIRS,
                    group=group_label(key),
                    n=n,
                )
            )
    return data


def group_label(key: str) -> str:
    return {
        "intervention": _("Intervention group"),
        "control": _("Control group"),
        "medium_a": _("Medium A"),
        "medium_b": _("Medium B"),
    }.get(key, key)


def comparison(data: ReportData, lang: str) -> ResultsPage:
    """The comparison report's blocks and charts, for the page."""
    report = build_comparison(data, data.analyse(lang), lang)
    svgs = {f.number: charts.to_svg(charts.layout(f.kind, f.data), f.caption) for f in report.figures}
    return ResultsPage(report, svgs, data)


def export_comparison(
    sessions_a: Sequence[CounselingSession],
    sessions_b: Sequence[CounselingSession],
    kind: str,
    fmt: str,
    *,
    lang: str = "id",
    semicolon: bool = False,
    actor_id: int | None = None,
    via: str = "web",
) -> Download:
    """The comparison as PDF or Word, or its data as CSV (with a `group` column); one audit entry per session."""
    if fmt not in COMPARISON_FORMATS:
        raise ValueError(f"format must be one of {', '.join(COMPARISON_FORMATS)}, got {fmt!r}")
    data = comparison_data(sessions_a, sessions_b, kind)
    mimetype, ext = FORMATS[fmt]
    stem = f"{'comparison' if lang == 'en' else 'perbandingan'}-{len(sessions_b)}-{len(sessions_a)}"
    if fmt == "csv":
        content = exports.to_csv(data, lang=lang, semicolon=semicolon)
    else:
        content = _drawn(build_comparison(data, data.analyse(lang), lang), fmt)
    every = [*sessions_a, *sessions_b]
    for s in every:
        audit.record(
            f"export.comparison_{fmt}",
            s.id,
            actor_id=actor_id,
            lang=lang,
            via=via,
            group_a=[x.id for x in sessions_a],
            group_b=[x.id for x in sessions_b],
        )
    return Download(content, mimetype, f"{stem}.{ext}")

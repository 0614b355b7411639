"""The report to the Puskesmas: the posyandu register (√ / X / A by age month 0-5) and its recap,
in the paper layout with the signature blocks, as PDF (reportlab) and Excel (openpyxl).

Names are left out unless asked for (pseudonymised by default: the pair's register number).
Text reaches reportlab only as escaped Paragraph text or plain table strings, and Excel only
through exports.neutralise, so a name such as ``=HYPERLINK(...)`` or ``<b>`` prints as typed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from analysis.coverage import Coverage, CoverageGroup, Period
from app.drawing.pdf import FONT, register_fonts, text
from app.i18n import MONTHS_ID
from app.models.cohort import CohortPair, Puskesmas
from app.services import cohort as svc
from app.services.exports import neutralise


@dataclass(frozen=True)
class RegisterRow:
    number: str
    baby: str
    mother: str
    sex: str
    birth_date: date
    posyandu: str
    desa: str
    marks: list[str]
    note: str


@dataclass(frozen=True)
class RegisterReport:
    puskesmas: Puskesmas
    period: Period
    rows: list[RegisterRow]
    coverage: Coverage
    names: dict[str, str]
    with_names: bool

    def place(self, g: CoverageGroup) -> str:
        if g.level == "overall":
            return self.puskesmas.name
        label = _("Desa") if g.level == "desa" else _("Posyandu")
        return f"{label} {self.names[g.name]}"


def pair_number(pair: CohortPair) -> str:
    """The pseudonym printed instead of names: the register number."""
    return f"K-{pair.id:05d}"


def build(
    user, puskesmas: Puskesmas, period: str, semester: bool, with_names: bool, posyandu_id: int | None = None
) -> RegisterReport:
    """Register rows (babies 0-5 months at some day of the period) and the coverage recap."""
    result, names = svc.coverage_for(user, puskesmas, period, semester)
    parsed = svc.cov.parse_period(period, semester)
    visible = [p.id for p in svc.visible_posyandu(user) if p.desa.puskesmas_id == puskesmas.id]
    if posyandu_id is not None:
        visible = [p for p in visible if p == posyandu_id]
    rows = []
    for pair in sorted(
        svc.pairs_for(user, visible),
        key=lambda p: (p.posyandu.desa.name, p.posyandu.name, p.birth_date, p.id),
    ):
        if pair.birth_date > parsed.end or svc.six_months_on(pair) < parsed.start:
            continue
        marks = svc.register_row(pair, parsed.end)
        outcome = svc.cov.completion_outcome(svc.analysis_visits([pair]))
        reached = parsed.start <= svc.six_months_on(pair) <= parsed.end
        note = {
            "completed": _("ASI eksklusif 6 bulan"),
            "not_exclusive": _("not exclusive"),
            "gaps": _("gaps"),
        }[outcome]
        rows.append(
            RegisterRow(
                pair_number(pair),
                pair.baby_name if with_names else "",
                pair.mother_name if with_names else "",
                pair.baby_sex,
                pair.birth_date,
                pair.posyandu.name,
                pair.posyandu.desa.name,
                marks,
                note if reached else "",
            )
        )
    return RegisterReport(puskesmas, parsed, rows, result, names, with_names)


def period_words(report: RegisterReport) -> str:
    p = report.period
    if p.semester:
        return f"{MONTHS_ID[p.start.month - 1]} {p.start.year} – {MONTHS_ID[p.end.month - 1]} {p.end.year}"
    return f"{MONTHS_ID[p.end.month - 1]} {p.end.year}"


def _pct(k: int, n: int) -> str:
    return "–" if n == 0 else f"{100 * k / n:.1f}".replace(".", ",") + "%"


def _ci(r) -> str:
    if r.ci_low is None:
        return "–"
    return f"{100 * r.ci_low:.1f}–{100 * r.ci_high:.1f}%".replace(".", ",")


def recap_rows(report: RegisterReport) -> list[list[str]]:
    out = []
    for g in [*report.coverage.by_posyandu, *report.coverage.by_desa, report.coverage.overall]:
        r, c = g.register, g.completion
        out.append(
            [
                report.place(g),
                str(r.n),
                str(r.k),
                _pct(r.k, r.n),
                _ci(r),
                str(r.absent),
                str(c.reached),
                str(c.k),
                _pct(c.k, c.n),
                str(c.gaps),
            ]
        )
    return out


def recap_header() -> list[str]:
    return [
        _("Place"),
        _("Came, 0–5 months"),
        _("Breast milk only"),
        "%",
        "95% CI",
        "A",
        _("Reached 5 months 29 days"),
        _("Exclusive 6 months"),
        "%",
        _("Gaps"),
    ]


def to_pdf(report: RegisterReport) -> bytes:
    """A4 landscape: the register, the recap and the signature blocks."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    body = ParagraphStyle("b", fontName=FONT, fontSize=8.5, leading=11)
    title = ParagraphStyle("t", parent=body, fontName=FONT + "-Bold", fontSize=12, leading=15, alignment=1)
    sub = ParagraphStyle("s", parent=body, alignment=1)
    head = ParagraphStyle("h", parent=body, fontName=FONT + "-Bold", fontSize=10, leading=13, spaceBefore=8)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.3 * cm,
        bottomMargin=1.3 * cm,
        title="Pencatatan pemberian ASI eksklusif",
    )
    story: list = [
        Paragraph("PENCATATAN PEMBERIAN ASI EKSKLUSIF PADA BAYI 0–6 BULAN", title),
        Paragraph(text(f"{report.puskesmas.name} · {_('Period')}: {period_words(report)}"), sub),
        Spacer(1, 8),
    ]
    grid_style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("FONTNAME", (0, 0), (-1, 1), FONT + "-Bold"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (5, 0), (10, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#e7f4ee")),
    ]
    header1 = [
        _("No"),
        _("Baby's name"),
        _("Mother's name"),
        "L/P",
        _("Date of birth"),
        _("Age (completed months)"),
    ]
    header1 += ["", "", "", "", "", _("Remarks")]
    header2 = ["", "", "", "", "", "0", "1", "2", "3", "4", "5", ""]
    data = [header1, header2]
    group = None
    number = 0
    for row in report.rows:
        if (row.desa, row.posyandu) != group:
            group = (row.desa, row.posyandu)
            number = 0
            data.append([f"Posyandu {row.posyandu} · Desa {row.desa}", *[""] * 11])
            r = len(data) - 1
            grid_style += [
                ("SPAN", (0, r), (-1, r)),
                ("FONTNAME", (0, r), (-1, r), FONT + "-Bold"),
                ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f4f7f5")),
            ]
        number += 1
        data.append(
            [
                str(number),
                row.baby or row.number,
                row.mother or "–",
                row.sex,
                row.birth_date.strftime("%d/%m/%Y"),
                *row.marks,
                row.note,
            ]
        )
    if not report.rows:
        data.append([_("No baby 0–6 months in this period."), *[""] * 11])
        grid_style.append(("SPAN", (0, 2), (-1, 2)))
    grid_style += [
        ("SPAN", (5, 0), (10, 0)),
        *[("SPAN", (c, 0), (c, 1)) for c in (0, 1, 2, 3, 4, 11)],
    ]
    widths = [1.0, 5.0, 5.0, 1.1, 2.4] + [1.0] * 6 + [4.6]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=2)
    table.setStyle(TableStyle(grid_style))
    story += [table, Spacer(1, 4)]
    story.append(
        Paragraph(
            text(_("√ breast milk only · X something else given · A did not come · empty: not recorded")),
            body,
        )
    )
    story.append(Paragraph(text(_("Recap")), head))
    recap = Table([recap_header(), *recap_rows(report)], repeatRows=1)
    recap.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("FONTNAME", (0, 0), (-1, 0), FONT + "-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), FONT + "-Bold"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7f4ee")),
            ]
        )
    )
    story.append(recap)
    note = _(
        "Coverage = babies 0–6 months given breast milk only ÷ babies 0–6 months who came and were recorded × 100; "
        "A is left out of the denominator. Wilson interval at 95 percent."
    )
    story += [Spacer(1, 4), Paragraph(text(note), body), Spacer(1, 14)]
    today = date.today()
    place_date = f"……………, {today.day} {MONTHS_ID[today.month - 1]} {today.year}"
    sign = [
        [Paragraph(text(_("Approved by")), body), Paragraph(text(place_date), body)],
        [
            Paragraph(text(_("Head of Puskesmas")), body),
            Paragraph(text(_("Nutrition officer (Pengelola Gizi)")), body),
        ],
        [Spacer(1, 40), Spacer(1, 40)],
        [
            Paragraph(text(report.puskesmas.head_name or "(…………………………)"), body),
            Paragraph(text(report.puskesmas.nutrition_officer_name or "(…………………………)"), body),
        ],
        [Paragraph("NIP. ……………………", body), Paragraph("NIP. ……………………", body)],
    ]
    blocks = Table(sign, colWidths=[12 * cm, 12 * cm])
    blocks.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 40)]))
    story.append(KeepTogether(blocks))
    doc.build(story)
    return buf.getvalue()


def to_xlsx(report: RegisterReport) -> bytes:
    """Two sheets, Register and Rekap, every text cell neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    bold = Font(bold=True)

    def txt(value: str) -> str:
        return neutralise(value)

    ws.append([txt("PENCATATAN PEMBERIAN ASI EKSKLUSIF PADA BAYI 0–6 BULAN")])
    ws.append([txt(f"{report.puskesmas.name} · {period_words(report)}")])
    ws.append([])
    ws.append(
        [
            _("No"),
            _("Register number"),
            _("Baby's name"),
            _("Mother's name"),
            "L/P",
            _("Date of birth"),
            _("Posyandu"),
            _("Desa"),
            "0",
            "1",
            "2",
            "3",
            "4",
            "5",
            _("Remarks"),
        ]
    )
    for cell in ws[4]:
        cell.font = bold
    for i, row in enumerate(report.rows, 1):
        ws.append(
            [
                i,
                row.number,
                txt(row.baby),
                txt(row.mother),
                row.sex,
                row.birth_date,
                txt(row.posyandu),
                txt(row.desa),
                *row.marks,
                txt(row.note),
            ]
        )
        ws.cell(row=ws.max_row, column=6).number_format = "DD/MM/YYYY"
    for col in range(9, 15):
        for (cell,) in ws.iter_rows(min_row=4, min_col=col, max_col=col):
            cell.alignment = Alignment(horizontal="center")
    recap = wb.create_sheet("Rekap")
    recap.append(recap_header())
    for cell in recap[1]:
        cell.font = bold
    for row in recap_rows(report):
        recap.append([txt(row[0]), *[int(v) if v.isdigit() else v for v in row[1:]]])
    recap.append([])
    recap.append([_("Head of Puskesmas"), "", "", "", "", _("Nutrition officer (Pengelola Gizi)")])
    recap.append(
        [txt(report.puskesmas.head_name), "", "", "", "", txt(report.puskesmas.nutrition_officer_name)]
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

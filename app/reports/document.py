"""The report as a list of blocks (headings, paragraphs, numbered tables and figures).

Built once from `ReportData` and the `FullAnalysis` of analysis/, then drawn by
the PDF (pdf.py), Word (word.py) and HTML (the results page) renderers, so the
three show the same numbers in the same order. Statistics are never computed
here: every figure is read from the analysis result; numbers are formatted with
analysis.format in the report's language (decimal comma in Indonesian).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from flask_babel import force_locale
from flask_babel import gettext as _

from analysis.descriptives import describe
from analysis.format import (
    LILLIEFORS_LOWER_BOUND,
    explain_reason,
    format_number,
    format_p,
    format_p_phrase,
    format_percent,
    label,
)
from app.i18n import long_date
from app.services.gains import person_gains
from app.services.reportdata import ReportData
from app.services.sessioninfo import SessionInfo

if TYPE_CHECKING:  # numpy and the statistics (scipy, statsmodels) load when a report is built
    from analysis import FullAnalysis


#: English terms an Indonesian text keeps, printed in italics as Indonesian style guides ask.
FOREIGN_TERMS = re.compile(
    r"(?<![\w-])(one-group pretest-posttest|pre-test|post-test|pretest|posttest|signed-rank|rank-biserial"
    r"|ties|N-gain|asymptotic|effect size|Corrected Item-Total Correlation|follow-up)(?![\w-])",
    re.IGNORECASE,
)


def foreign_spans(text: str, lang: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, italic) spans: the foreign terms of an Indonesian report in italics."""
    if lang != "id" or not text:
        return [(text, False)]
    spans, at = [], 0
    for match in FOREIGN_TERMS.finditer(text):
        if match.start() > at:
            spans.append((text[at : match.start()], False))
        spans.append((match.group(0), True))
        at = match.end()
    if at < len(text):
        spans.append((text[at:], False))
    return spans or [("", False)]


def minus_sign(text: str) -> str:
    """A negative number printed with the minus sign (U+2212), not a hyphen: '−6,25 – 75,00'."""
    return "−" + text[1:] if text.startswith("-") else text


def mid_sentence(name: str) -> str:
    """A test's name inside a sentence: 'uji t berpasangan', 'paired t-test' (names of people stay capital)."""
    return name[0].lower() + name[1:] if name.startswith(("Uji ", "Paired ", "One-way ")) else name


@dataclass
class Heading:
    block: ClassVar[str] = "heading"
    text: str
    level: int = 1


@dataclass
class Para:
    block: ClassVar[str] = "para"
    text: str
    style: str = "body"  # body | note | lead


@dataclass
class Table:
    """A numbered table; cells are text already formatted for the report's language."""

    block: ClassVar[str] = "table"
    key: str
    number: int
    title: str
    header: list[str]
    rows: list[list[str]]
    #: "l" (text, may wrap) or "r" (numbers) per column.
    align: list[str]
    #: Relative column widths.
    widths: list[float]
    note: str = ""
    #: Rows drawn in bold (e.g. group headings inside the characteristics table).
    bold_rows: set[int] = field(default_factory=set)
    #: "Tabel 3. ..." in the report's language.
    caption: str = ""
    #: Rows tall enough to sign in (the attendance list).
    tall_rows: bool = False


@dataclass
class Figure:
    """A numbered chart; `data` holds what charts.py draws."""

    block: ClassVar[str] = "figure"
    key: str
    number: int
    title: str
    kind: str  # categories | slope | items
    data: dict
    note: str = ""
    #: "Gambar 1. ..." in the report's language.
    caption: str = ""


@dataclass
class KeyValues:
    """The activity box: label / value lines."""

    block: ClassVar[str] = "keyvalues"
    rows: list[tuple[str, str]]


@dataclass
class Report:
    lang: str
    title: str
    subtitle: str
    blocks: list
    with_names: bool

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


class _Numbers:
    def __init__(self):
        self.table = 0
        self.figure = 0

    def next_table(self) -> int:
        self.table += 1
        return self.table

    def next_figure(self) -> int:
        self.figure += 1
        return self.figure


def build_comparison(data: ReportData, result: FullAnalysis, lang: str = "id") -> Report:
    """The two-group comparison report (the data carry each person's group: reportdata.with_groups)."""
    with force_locale(lang):
        return _Builder(data, result, lang, False).build_comparison()


def build_report(
    data: ReportData,
    result: FullAnalysis,
    lang: str = "id",
    *,
    with_names: bool = False,
    appendix: bool = True,
) -> Report:
    """The whole report in Indonesian (default) or English."""
    with force_locale(lang):
        return _Builder(data, result, lang, with_names).build(appendix)


class _Builder:
    def __init__(self, data: ReportData, result: FullAnalysis, lang: str, with_names: bool):
        self.d, self.a, self.lang, self.with_names = data, result, lang, with_names
        self.numbers = _Numbers()
        self.blocks: list = []
        #: n of the per-question table (participants with both tests), once it is built.
        self.questions_n: int | None = None

    # formatting shortcuts, always in the report's language
    def n(self, v, decimals: int = 2) -> str:
        return minus_sign(format_number(v, decimals, self.lang))

    def p(self, v) -> str:
        return format_p(v, self.lang)

    def peq(self, v, lower_bound: float | None = None) -> str:
        """'p = 0,013', 'p < 0,001' or 'p > 0,200' (never 'p = < 0,001')."""
        return format_p_phrase(v, self.lang, lower_bound=lower_bound)

    @staticmethod
    def bound(test: str | None) -> float | None:
        """SPSS prints Lilliefors' p above 0,200 as a lower bound; other tests' p as computed."""
        return LILLIEFORS_LOWER_BOUND if test == "lilliefors" else None

    def pct(self, v, decimals: int = 1) -> str:
        return minus_sign(format_percent(v, decimals, self.lang))

    def lbl(self, key: str | None) -> str:
        return "–" if not key else label(key, self.lang)

    def table(self, key, title, header, rows, align, widths, note="", bold_rows=None) -> Table:
        number = self.numbers.next_table()
        word = _("Table")
        t = Table(
            key,
            number,
            title,
            header,
            rows,
            align,
            widths,
            note,
            bold_rows or set(),
            f"{word} {number}. {title}",
        )
        self.blocks.append(t)
        return t

    def figure(self, key, title, kind, data, note="") -> Figure:
        number = self.numbers.next_figure()
        word = _("Figure")
        f = Figure(key, number, title, kind, data, note, f"{word} {number}. {title}")
        self.blocks.append(f)
        return f

    def build(self, appendix: bool) -> Report:
        d = self.d
        first = d.activities[0] if d.activities else None
        if d.pooled:
            subtitle = _("%(n)d sessions pooled", n=len(d.activities))
        else:
            subtitle = first.title if first else ""
        self.activity()
        self.blocks.append(Heading(_("Method")))
        self.education()
        self.blocks.append(Para(self.method_text()))
        self.blocks.append(Heading(_("Results")))
        if self.a.reason:
            self.blocks.append(Para(explain_reason(self.a.reason, self.lang)))
            for o in self.a.out_of_range:
                self.blocks.append(Para(f"{o.participant} ({self.lbl(o.test)}): {self.n(o.value)}", "note"))
        else:
            self.characteristics()
            self.descriptives()
            self.normality()
            self.tests()
            self.categories()
            self.gain()
            self.gain_by_characteristic()
            self.understood()
            self.items()
            self.validity()
            self.instrument_review()
            self.topics()
            self.attitude()
            self.followup()
            self.blocks.append(Heading(_("Interpretation")))
            self.blocks.append(Para(self.interpretation()))
        self.approval()
        if appendix:
            self.blocks.append(Heading(_("Appendices")))
            self.scores_appendix()
            self.attendance()
            self.instrument_appendix()
        title = _("Report of the pre-test and post-test results")
        return Report(self.lang, title, subtitle, self.blocks, self.with_names)

    # ---------------------------------------------------------------- activity and method
    def activity(self) -> None:
        d = self.d
        if not d.pooled:
            act = d.activities[0]
            quiz = act.quiz_title(self.lang) + (f" (v{act.quiz_version})" if act.quiz_version else "")
            if act.post_quiz_title(self.lang):
                quiz += "; " + _("post-test: %(title)s", title=act.post_quiz_title(self.lang))
            rows = [
                (_("Activity"), act.title),
                (_("Place"), act.place),
                (_("Date"), long_date(act.held_on, self.lang)),
                (_("Educator"), act.educator),
            ]
            if act.team:
                rows.append((_("Team"), act.team))
            rows += [
                (_("Institution"), act.institution or "–"),
                (_("Questionnaire"), quiz or "–"),
                (_("Number of questions"), str(act.n_questions) if act.n_questions else "–"),
            ]
            self.blocks.append(KeyValues(rows))
            return
        counts: dict[int | None, int] = {}
        for person in d.people:
            counts[person.session_id] = counts.get(person.session_id, 0) + 1
        rows = [
            [
                str(i + 1),
                act.title,
                act.place,
                long_date(act.held_on, self.lang),
                act.educator,
                act.quiz_title(self.lang),
                str(counts.get(act.session_id, 0)),
            ]
            for i, act in enumerate(d.activities)
        ]
        self.table(
            "sessions",
            _("Sessions in this report"),
            [_("No"), _("Activity"), _("Place"), _("Date"), _("Educator"), _("Questionnaire"), "n"],
            rows,
            ["r", "l", "l", "l", "l", "l", "r"],
            [0.5, 3, 2.2, 1.8, 1.8, 2.2, 0.6],
        )

    def method_text(self) -> str:
        d, c, _lang = self.d, self.a.counts, self.lang
        act = d.activities[0] if d.activities else None
        n_q = act.n_questions if act else None
        parts = []
        if d.pooled:
            parts.append(
                _("The data come from %(n)d counseling sessions analysed together.", n=len(d.activities))
            )
        parts.append(
            _(
                "The design is a one-group pre-test and post-test: %(n)d participants registered, %(paired)d took "
                "both tests and were analysed, %(pre_only)d took only the pre-test and %(post_only)d only the "
                "post-test; those with one test only are counted but left out of the paired tests.",
                n=c.n_participants,
                paired=c.n_paired,
                pre_only=c.n_pre_only,
                post_only=c.n_post_only,
            )
        )
        if n_q:
            parts.append(
                _(
                    "The instrument is a knowledge questionnaire of %(n)d questions scored right (1) or wrong (0); "
                    "the score is the number right divided by the number of questions, times 100.",
                    n=n_q,
                )
            )
        else:
            parts.append(
                _("The scores were recorded on a scale of 0 to %(max)s.", max=self.n(d.max_score, 0))
            )
        if d.items_note == "parallel_forms":
            parts.append(_("The post-test used a parallel form, so questions are not compared one by one."))
        cut = d.cutoffs
        parts.append(
            _(
                "Knowledge is categorised as good (%(baik)s–100%%), fair (%(cukup)s–%(top)s%%) and poor (below "
                "%(cukup)s%%).",
                baik=self.n(cut["baik"], 0),
                cukup=self.n(cut["cukup"], 0),
                top=self.n(cut["baik"] - 1, 0),
            )
        )
        parts.append(
            _(
                "Every difference is post-test minus pre-test (post − pre), so a positive difference is a gain; "
                "SPSS prints pre − post for the same pairs, with the opposite sign."
            )
        )
        parts.append(
            _(
                "Normality of the paired differences was checked with Shapiro-Wilk and Kolmogorov-Smirnov "
                "(Lilliefors); the paired t-test leads when the differences look normal, otherwise the Wilcoxon "
                "signed-rank test, and both are reported. Effect sizes are Cohen's d for paired data (dz, the "
                "mean difference divided by its SD) and r. The normalized gain (Hake) is reported as the mean "
                "of individual gains and as the class-average gain."
            )
        )
        if self.a.items is not None:
            parts.append(
                _(
                    "Per question, McNemar's test with Holm's correction compares answers before and after "
                    "(exact binomial when fewer than 25 participants changed their answer, as SPSS does); "
                    "reliability is KR-20."
                )
            )
        parts.append(_("The significance level is %(alpha)s.", alpha=self.n(self.a.settings.alpha, 2)))
        return " ".join(parts)

    # ---------------------------------------------------------------- result tables
    def characteristics(self) -> None:
        """Tabel 1: categories with f and %, in their natural order; numbers also as mean ± SD (min–max)."""
        import numpy as np

        d = self.d
        by_name = {ch.characteristic: ch for ch in self.a.characteristics or []}
        rows, bold = [], set()
        for key in d.characteristic_keys:
            name = d.characteristic_name(key, self.lang)
            unit = d.characteristic_unit(key, self.lang)
            numbers = d.numeric_values(key)
            ch = by_name.get(name)
            if ch is None and numbers is None:
                continue
            bold.add(len(rows))
            rows.append([f"{name} ({unit})" if unit else name, "", ""])
            if numbers is not None:
                stats = describe([np.nan if v is None else v for v in numbers])
                if stats.n:
                    rows.append(
                        [
                            "    "
                            + _(
                                "mean ± SD %(mean)s ± %(sd)s (min–max %(min)s–%(max)s)",
                                mean=self.n(stats.mean, 1),
                                sd=self.n(stats.sd, 1),
                                min=self.n(stats.min, 0),
                                max=self.n(stats.max, 0),
                            ),
                            str(stats.n),
                            "",
                        ]
                    )
            if ch is None:
                continue
            order = d.characteristic_order(key, self.lang)
            freq = sorted(
                ch.frequencies,
                key=lambda r, order=order: (
                    not r.category,
                    order.index(r.category) if r.category in order else len(order),
                ),
            )
            for r in freq:
                rows.append(["    " + (r.category or _("(not answered)")), str(r.count), self.pct(r.percent)])
        if not rows:
            return
        self.table(
            "characteristics",
            _("Characteristics of the respondents"),
            [_("Characteristic"), "f", "%"],
            rows,
            ["l", "r", "r"],
            [5, 1, 1.2],
            bold_rows=bold,
            note=_("n = %(n)d participants (everyone who registered).", n=self.a.counts.n_participants),
        )

    def descriptives(self) -> None:
        d = self.a.descriptives or {}
        rows = [
            [
                self.lbl(k),
                str(v.n),
                self.n(v.mean),
                self.n(v.sd),
                self.n(v.median),
                f"{self.n(v.min)} – {self.n(v.max)}",
            ]
            for k, v in d.items()
        ]
        self.table(
            "descriptives",
            _("Knowledge scores before and after the education"),
            ["", "n", _("Mean"), "SD", _("Median"), _("Min – max")],
            rows,
            ["l", "r", "r", "r", "r", "r"],
            [2.6, 0.6, 1, 1, 1, 1.6],
            note=_("Participants who took both tests; scores 0–%(max)s.", max=self.n(self.d.max_score, 0)),
        )
        self.figure(
            "slope",
            _("Each participant's score before and after"),
            "slope",
            {
                "pairs": [(p.pre, p.post) for p in self.d.people if p.pre is not None and p.post is not None],
                "series": [label("pre", self.lang), label("post", self.lang)],
                "max": self.d.max_score,
                "means": [d["pre"].mean, d["post"].mean] if "pre" in d else None,
                "mean_label": _("Mean"),
            },
            note=_(
                "One line per participant who took both tests; green: higher after, red: lower, grey: same."
            ),
        )

    def normality(self) -> None:
        norm = self.a.normality or {}
        rows, bounded = [], False
        for k, v in norm.items():
            if v.p_value is None:
                verdict = explain_reason(v.reason, self.lang) or "–"
            else:
                verdict = _("normal") if v.p_value > self.a.settings.alpha else _("not normal")
            shown = format_p(v.p_value, self.lang, lower_bound=self.bound(k))
            bounded = bounded or shown.endswith("*")
            rows.append([self.lbl(k), self.n(v.statistic, 3), str(v.n), shown, verdict])
        self.table(
            "normality",
            _("Normality of the differences (post − pre)"),
            [_("Test"), _("Statistic"), "df", "p", _("Conclusion")],
            rows,
            ["l", "r", "r", "r", "l"],
            [2.6, 1, 0.6, 0.9, 2.6],
            note=_("* This is a lower bound of the true significance (as SPSS prints it).")
            if bounded
            else "",
        )

    def tests(self) -> None:
        lt = self.a.leading_test
        order = ["paired_t_test", "wilcoxon_signed_rank"]
        if lt is not None and lt.test == "wilcoxon_signed_rank":
            order.reverse()
        for i, test in enumerate(order):
            role = _("leading test") if i == 0 else _("for comparison")
            if test == "paired_t_test":
                self.t_test(role)
            else:
                self.wilcoxon(role)
        if lt is not None:
            self.blocks.append(Para(self.decision(), "lead"))

    def t_test(self, role: str) -> None:
        tt = self.a.paired_t_test
        if tt is None:
            return
        to = _("to")
        ci = f"{self.n(tt.ci_low)} {to} {self.n(tt.ci_high)}"
        self.table(
            "t_test",
            f"{label('paired_t_test', self.lang)} ({role})",
            [_("Mean difference"), "SD", _("95% CI"), "t", "df", "p", "dz"],
            [
                [
                    self.n(tt.mean_difference),
                    self.n(tt.sd_difference),
                    ci,
                    self.n(tt.t, 3),
                    str(tt.df) if tt.df is not None else "–",
                    self.p(tt.p_value),
                    self.n(tt.cohens_dz),
                ]
            ],
            ["r"] * 7,
            [1.3, 0.9, 1.9, 0.9, 0.6, 0.9, 0.8],
            note=explain_reason(tt.reason, self.lang),
        )

    def wilcoxon(self, role: str) -> None:
        w = self.a.wilcoxon
        if w is None:
            return
        stats_line = _(
            "Z = %(z)s, %(p)s (SPSS, asymptotic); V = %(v)s, %(pr)s (R, %(method)s); effect size r = "
            "%(r)s, rank-biserial = %(rb)s.",
            z=self.n(w.z, 3),
            p=self.peq(w.p_value_asymptotic),
            v=self.n(w.v, 1),
            pr=self.peq(w.p_value),
            method=self.lbl(w.method),
            r=self.n(w.effect_size_r),
            rb=self.n(w.rank_biserial),
        )
        note = stats_line + (" " + explain_reason(w.reason, self.lang) if w.reason else "")
        self.table(
            "wilcoxon",
            f"{label('wilcoxon_signed_rank', self.lang)} ({role})",
            ["", "n", _("Mean rank"), _("Sum of ranks")],
            [
                [
                    self.lbl("negative_ranks"),
                    str(w.n_negative),
                    self.n(w.mean_rank_negative),
                    self.n(w.sum_ranks_negative),
                ],
                [
                    self.lbl("positive_ranks"),
                    str(w.n_positive),
                    self.n(w.mean_rank_positive),
                    self.n(w.sum_ranks_positive),
                ],
                [self.lbl("ties"), str(w.n_zero), "", ""],
                [_("Total"), str(w.n_pairs), "", ""],
            ],
            ["l", "r", "r", "r"],
            [2.6, 0.8, 1.3, 1.3],
            note=note,
        )

    def decision(self) -> str:
        lt = self.a.leading_test
        alpha = self.n(self.a.settings.alpha, 2)
        name = label(lt.test, self.lang)
        if lt.basis == "normality_not_testable":
            why = _("normality could not be tested")
        elif lt.differences_normal:
            why = _(
                "the differences look normal (%(test)s, %(p)s)",
                test=label(lt.basis, self.lang),
                p=self.peq(lt.normality_p_value, self.bound(lt.basis)),
            )
        else:
            why = _(
                "the differences do not look normal (%(test)s, %(p)s)",
                test=label(lt.basis, self.lang),
                p=self.peq(lt.normality_p_value, self.bound(lt.basis)),
            )
        head = _("The report leads with the %(test)s because %(why)s.", test=mid_sentence(name), why=why)
        if lt.p_value is None:
            return head + " " + explain_reason(lt.reason, self.lang)
        diff = (self.a.descriptives or {}).get("difference")
        fell = diff is not None and diff.mean is not None and diff.mean < 0
        if lt.significant and fell:
            body = _(
                "With %(p)s, below α = %(alpha)s, H0 is rejected: knowledge was significantly lower after "
                "the education than before.",
                p=self.peq(lt.p_value),
                alpha=alpha,
            )
        elif lt.significant:
            body = _(
                "With %(p)s, below α = %(alpha)s, H0 is rejected: knowledge was significantly higher after "
                "the education than before.",
                p=self.peq(lt.p_value),
                alpha=alpha,
            )
        else:
            body = _(
                "With %(p)s, not below α = %(alpha)s, H0 is not rejected: there is no significant difference "
                "in knowledge before and after the education.",
                p=self.peq(lt.p_value),
                alpha=alpha,
            )
        return head + " " + body

    def category_rows(self, pre, post) -> list[list[str]]:
        """Category, f and % before and after, and the total row (knowledge and attitude alike)."""
        rows = [
            [self.lbl(x.category), str(x.count), self.pct(x.percent), str(y.count), self.pct(y.percent)]
            for x, y in zip(pre.categories, post.categories, strict=False)
        ]
        rows.append(
            [
                _("Total"),
                str(pre.n),
                self.pct(100.0 if pre.n else None),
                str(post.n),
                self.pct(100.0 if post.n else None),
            ]
        )
        return rows

    def categories(self) -> None:
        cats = self.a.knowledge_categories
        if not cats:
            return
        pre, post = cats["pre"], cats["post"]
        rows = self.category_rows(pre, post)
        self.table(
            "categories",
            _("Knowledge before and after the education"),
            [_("Category"), _("Pre-test f"), _("Pre-test %"), _("Post-test f"), _("Post-test %")],
            rows,
            ["l", "r", "r", "r", "r"],
            [2, 1, 1, 1, 1],
        )
        self.figure(
            "categories",
            _("Knowledge categories before and after the education"),
            "categories",
            {
                "categories": [self.lbl(x.category) for x in pre.categories],
                "series": [label("pre", self.lang), label("post", self.lang)],
                "values": [[x.percent for x in pre.categories], [y.percent for y in post.categories]],
                "labels": [
                    [self.pct(x.percent) for x in pre.categories],
                    [self.pct(y.percent) for y in post.categories],
                ],
                "axis": "%",
            },
        )

    def gain(self) -> None:
        g = self.a.normalized_gain
        if g is None:
            return
        rows = [
            [
                _("Mean of individual N-gains"),
                self.n(g.mean_individual_gain),
                self.lbl(g.mean_individual_gain_category),
            ],
            [
                _("Class-average N-gain <g>"),
                self.n(g.class_average_gain),
                self.lbl(g.class_average_gain_category),
            ],
            [
                _("N-gain (%) for effectiveness"),
                self.pct(g.effectiveness_percent),
                self.lbl(g.effectiveness_category),
            ],
        ]
        note = _(
            "Individual gains: %(high)d high, %(medium)d medium, %(low)d low (n = %(n)d).",
            high=g.n_high,
            medium=g.n_medium,
            low=g.n_low,
            n=g.n_included,
        )
        if g.n_excluded_pre_at_max:
            note += " " + _(
                "%(n)d participants with the maximum pre-test score have no individual N-gain.",
                n=g.n_excluded_pre_at_max,
            )
        if g.reason:
            note += " " + explain_reason(g.reason, self.lang)
        self.table(
            "gain",
            _("Normalized gain (N-gain)"),
            ["", _("Value"), _("Category")],
            rows,
            ["l", "r", "l"],
            [3.4, 1, 1.6],
            note=note,
        )

    def gain_by_characteristic(self) -> None:
        """Who gained more: the gain (post − pre) by group of each characteristic, with the three tests."""
        rows, bold = [], set()
        keys = {self.d.characteristic_name(k, self.lang): k for k in self.d.characteristic_keys}
        for ch in self.a.characteristics or []:
            if ch.reason or len(ch.groups) < 2:
                continue
            bold.add(len(rows))
            key = keys.get(ch.characteristic, "")
            unit = self.d.characteristic_unit(key, self.lang)  # as in Tabel 1: "Umur bayi (bulan)"
            rows.append([f"{ch.characteristic} ({unit})" if unit else ch.characteristic, "", "", ""])
            order = self.d.characteristic_order(key, self.lang)
            groups = sorted(
                ch.groups,
                key=lambda g, order=order: (
                    not g.group,
                    order.index(g.group) if g.group in order else len(order),
                    g.group,
                ),
            )
            for g in groups:
                rows.append(
                    ["    " + (g.group or _("(not answered)")), str(g.n), self.n(g.mean), self.n(g.sd)]
                )
            for test in (ch.kruskal_wallis, ch.one_way_anova):
                if test is None:
                    continue
                if test.p_value is None:
                    line = f"{label(test.test, self.lang)}: {explain_reason(test.reason, self.lang)}"
                elif test.test == "kruskal_wallis":
                    line = f"Kruskal-Wallis H = {self.n(test.statistic, 3)}; df = {test.df}; {self.peq(test.p_value)}"
                else:
                    line = (
                        f"{label(test.test, self.lang)} F({test.df}, {test.df_resid}) = "
                        f"{self.n(test.statistic, 3)}; {self.peq(test.p_value)}"
                    )
                rows.append(["    " + line, "", "", ""])
            an = ch.ancova
            if an is not None:
                if an.p_value is None:
                    line = f"ANCOVA: {explain_reason(an.reason, self.lang)}"
                else:
                    line = (
                        f"ANCOVA F({an.df}, {an.df_resid}) = {self.n(an.f, 3)}; {self.peq(an.p_value)}; "
                        f"η²p = {self.n(an.partial_eta_squared, 3)}"
                    )
                rows.append(["    " + line, "", "", ""])
        if not rows:
            return
        self.table(
            "gain_by_characteristic",
            _("Gain by characteristic of the respondents"),
            [_("Characteristic"), "n", _("Mean difference"), "SD"],
            rows,
            ["l", "r", "r", "r"],
            [5, 0.7, 1.3, 1],
            bold_rows=bold,
            note=_(
                "Difference = post − pre of the participants who took both tests. ANCOVA: post-test by "
                "group with the pre-test as covariate (type III F, as SPSS UNIANOVA)."
            ),
        )

    def understood(self) -> None:
        pu = self.a.proportion_understood
        if pu is None:
            return
        prop = None if pu.proportion is None else 100 * pu.proportion
        low = None if pu.ci_low is None else 100 * pu.ci_low
        high = None if pu.ci_high is None else 100 * pu.ci_high
        self.table(
            "understood",
            _("Participants who understood (post-test score ≥ %(t)s)", t=self.pct(pu.threshold_percent, 0)),
            [_("Reached the threshold"), "n", "%", _("95% CI (Wilson)")],
            [[str(pu.k), str(pu.n), self.pct(prop), f"{self.pct(low)} – {self.pct(high)}"]],
            ["r", "r", "r", "r"],
            [1.6, 0.8, 1, 2],
            note=explain_reason(pu.reason, self.lang),
        )

    def items(self) -> None:
        it = self.a.items
        if it is None:
            if self.d.items_note == "parallel_forms":
                self.blocks.append(
                    Para(
                        _(
                            "The pre-test and the post-test used parallel forms with different "
                            "questions, so questions are not compared one by one."
                        ),
                        "note",
                    )
                )
            return
        stems = {q.key: q.stem(self.lang) for q in self.d.questions}
        keys = {q.key: q.answer_key(self.lang) for q in self.d.questions}
        with_key = any(keys.values())
        rows = []
        for i, q in enumerate(it.changes, start=1):
            rows.append(
                [
                    str(i),
                    stems.get(q.question, q.question),
                    *([keys.get(q.question, "")] if with_key else []),
                    str(q.n),
                    self.pct(q.percent_correct_pre),
                    self.pct(q.percent_correct_post),
                    self.p(q.p_value),
                    self.p(q.p_value_holm),
                    "*" if q.significant else "",
                ]
            )
        n_both = max((q.n for q in it.changes), default=0)
        note = _(
            "n: participants who took both tests. p: McNemar's test as SPSS computes it (exact binomial "
            "when fewer than 25 participants changed their answer, otherwise the chi-square with continuity "
            "correction); p (Holm): corrected for the number of questions; * significant after correction."
        )
        if with_key:
            note = (
                _("Key: the correct answer (the options are in the appendix with the questionnaire).")
                + " "
                + note
            )
        key_head = [_("Key")] if with_key else []
        self.table(
            "questions",
            _("Percent correct per question before and after"),
            [_("No"), _("Question"), *key_head, "n", _("Pre %"), _("Post %"), "p", _("p (Holm)"), ""],
            rows,
            ["r", "l", *(["l"] if with_key else []), "r", "r", "r", "r", "r", "l"],
            [0.5, 5.1, *([0.9] if with_key else []), 0.55, 0.95, 0.95, 0.85, 1.25, 0.3],
            note=note,
        )
        self.questions_n = n_both
        self.figure(
            "items",
            _("Percent correct per question before and after"),
            "items",
            {
                "categories": [str(i) for i in range(1, len(it.changes) + 1)],
                "series": [label("pre", self.lang), label("post", self.lang)],
                "values": [
                    [q.percent_correct_pre for q in it.changes],
                    [q.percent_correct_post for q in it.changes],
                ],
                "significant": [bool(q.significant) for q in it.changes],
                "axis": "%",
                "axis_title": _("Question number"),
            },
            note=_("* significant after Holm's correction."),
        )

        qp, qq = it.quality_pre, it.quality_post
        post_by = {i.question: i for i in qq.items}
        rows = []
        for i, ip in enumerate(qp.items, start=1):
            io = post_by.get(ip.question)
            flags = []
            for which, stat in (("pre", ip), ("post", io)):
                if stat is not None and stat.flags:
                    flags.append(
                        f"{label(which, self.lang)}: " + ", ".join(label(f, self.lang) for f in stat.flags)
                    )
            rows.append(
                [
                    str(i),
                    self.n(ip.difficulty),
                    self.lbl(ip.difficulty_category),
                    self.n(ip.corrected_item_total),
                    self.n(ip.upper_lower_index),
                    self.n(io.difficulty if io else None),
                    self.n(io.corrected_item_total if io else None),
                    "; ".join(flags),
                ]
            )
        rel_pre, rel_post = qp.reliability, qq.reliability
        note = self.n_differs_note(qp.n_complete, qq.n_complete) + _(
            "p: difficulty (share "
            "correct); r_it: corrected item-total correlation; D: upper-lower 27%% discrimination. KR-20: "
            "pre-test %(pre)s (n = %(npre)d), post-test %(post)s (n = %(npost)d).",
            pre=self.n(rel_pre.coefficient, 3),
            npre=rel_pre.n,
            post=self.n(rel_post.coefficient, 3),
            npost=rel_post.n,
        )
        for r in (rel_pre, rel_post):
            if r.reason:
                note += " " + explain_reason(r.reason, self.lang)
                break
        self.table(
            "quality",
            _("Item quality and reliability (KR-20)"),
            [
                _("No"),
                _("p pre"),
                _("Category"),
                _("r_it pre"),
                _("D pre"),
                _("p post"),
                _("r_it post"),
                _("Flags"),
            ],
            rows,
            ["r", "r", "l", "r", "r", "r", "r", "l"],
            [0.5, 0.8, 1.1, 0.9, 0.8, 0.8, 0.9, 3.2],
            note=note,
        )

    def n_differs_note(self, n_pre: int, n_post: int) -> str:
        """'n differs from the previous table' said in words, when it does (24 paired against 27)."""
        n_both = self.questions_n
        if n_both is None or (n_pre == n_both and n_post == n_both):
            return ""
        return (
            _(
                "This table uses everyone who answered every question of that test (pre-test n = %(pre)d, "
                "post-test n = %(post)d), not only the %(both)d who took both tests in the per-question table.",
                pre=n_pre,
                post=n_post,
                both=n_both,
            )
            + " "
        )

    def and_list(self, numbers: list[int]) -> str:
        """'3, 5 dan 9' / '3, 5 and 9'."""
        items = [str(x) for x in numbers]
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + " " + _("and") + " " + items[-1]

    def validity(self) -> None:
        """Item validity as Indonesian reviewers read it (r hitung against r tabel) and Ebel's categories."""
        it = self.a.items
        if it is None:
            return
        rows, bold = [], set()
        alpha = self.n(it.quality_pre.validity_alpha, 2)
        for which, quality in (("pre", it.quality_pre), ("post", it.quality_post)):
            n = quality.n_complete
            bold.add(len(rows))
            r_table = self.n(quality.r_table, 3)
            rows.append(
                [
                    _(
                        "%(test)s (n = %(n)d; df = %(df)s)",
                        test=label(which, self.lang),
                        n=n,
                        df=str(n - 2) if n >= 3 else "–",
                    ),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
            for i, item in enumerate(quality.items, start=1):
                rows.append(
                    [
                        "    " + str(i),
                        self.n(item.corrected_item_total, 3),
                        r_table,
                        "–" if item.valid is None else self.lbl("valid" if item.valid else "not_valid"),
                        self.n(item.upper_lower_index),
                        self.lbl(item.discrimination_category),
                        self.n(item.alpha_if_deleted, 3),
                    ]
                )
        self.table(
            "validity",
            _("Item validity (r table) and discrimination (Ebel)"),
            [
                _("No"),
                _("r (item-total)"),
                _("r table"),
                _("Validity"),
                "D",
                _("Discrimination (Ebel)"),
                _("KR-20 if deleted"),
            ],
            rows,
            ["l", "r", "r", "l", "r", "l", "r"],
            [2.6, 1, 0.9, 1.2, 0.7, 2.0, 1.4],
            bold_rows=bold,
            note=self.n_differs_note(it.quality_pre.n_complete, it.quality_post.n_complete)
            + _(
                "Validity: the corrected item-total correlation (r, SPSS's Corrected Item-Total Correlation) "
                "against r table, the critical r at df = n − 2 and α = %(alpha)s (two-sided); valid when r is "
                "above r table. D: upper-lower 27%% discrimination, read as Ebel does: 0.40 or more very good, "
                "0.30–0.39 good, 0.20–0.29 marginal (revise), below 0.20 poor (drop or rewrite). A question "
                "everyone answered alike has no r (–).",
                alpha=alpha,
            ),
        )

    def instrument_review(self) -> None:
        """What the item analysis says about the questionnaire: low reliability and weak questions."""
        it = self.a.items
        if it is None:
            return
        minimum = self.d.reliability_minimum
        parts = []
        coefficients = [
            (which, q.reliability.coefficient)
            for which, q in (("pre", it.quality_pre), ("post", it.quality_post))
            if q.reliability.coefficient is not None
        ]
        low = [(w, c) for w, c in coefficients if c < minimum]
        values = "; ".join(f"{label(w, self.lang).lower()} {self.n(c, 3)}" for w, c in coefficients)
        if low:
            parts.append(
                _(
                    "The reliability of the questionnaire is low: KR-20 (%(values)s) is below %(min)s, so the "
                    "questions do not yet measure knowledge consistently and a single participant's score "
                    "should be read with care.",
                    values=values,
                    min=self.n(minimum, 2),
                )
            )
        elif coefficients:
            parts.append(
                _(
                    "The questionnaire is reliable: KR-20 (%(values)s) reaches %(min)s.",
                    values=values,
                    min=self.n(minimum, 2),
                )
            )
        weak = False
        for which, quality in (("pre", it.quality_pre), ("post", it.quality_post)):
            invalid = [i for i, x in enumerate(quality.items, start=1) if x.valid is False]
            poor = [i for i, x in enumerate(quality.items, start=1) if x.discrimination_category == "poor"]
            if invalid:
                weak = True
                parts.append(
                    _(
                        "On the %(test)s, %(k)d of %(n)d questions are not valid (r at or below r table "
                        "%(r)s): no. %(list)s.",
                        test=label(which, self.lang).lower(),
                        k=len(invalid),
                        n=len(quality.items),
                        r=self.n(quality.r_table, 3),
                        list=self.and_list(invalid),
                    )
                )
            if poor:
                weak = True
                parts.append(
                    _(
                        "On the %(test)s, %(k)d of %(n)d questions discriminate poorly (D below 0.20): "
                        "no. %(list)s.",
                        test=label(which, self.lang).lower(),
                        k=len(poor),
                        n=len(quality.items),
                        list=self.and_list(poor),
                    )
                )
        if weak:
            parts.append(
                _(
                    "These questions should be rewritten or replaced before the questionnaire is used again "
                    "(Table %(table)d shows each one's r, D and KR-20 if deleted).",
                    table=self.numbers.table,
                )
            )
            if min(it.quality_pre.n_complete, it.quality_post.n_complete) < 30:
                parts.append(
                    _(
                        "With fewer than 30 participants r table is high and these judgements are tentative; "
                        "a try-out with a larger group settles them."
                    )
                )
        if parts:
            self.blocks.append(Para(" ".join(parts)))

    # ---------------------------------------------------------------- attitude, topics, two groups
    #: Column heads of the Likert answers, 5 (Sangat setuju) first, as Indonesian reports print them.
    LIKERT_HEADS: ClassVar[dict[str, tuple[str, ...]]] = {
        "id": ("SS", "S", "RR", "TS", "STS"),
        "en": ("SA", "A", "N", "D", "SD"),
    }

    def attitude_rule_text(self) -> str:
        """The attitude category rule in words (a setting: ATTITUDE_RULE, ATTITUDE_CUTOFFS)."""
        att = self.a.attitude
        if att is None:
            return ""
        cats = att.categories_pre
        if cats.rule == "mean":
            return _(
                "Attitude categories follow the mean rule (Azwar): positive when the total reaches the mean "
                "pre-test total (%(mean)s, T-score ≥ 50), otherwise negative.",
                mean=self.n(cats.reference),
            )
        cut = cats.cutoffs or {"baik": 76.0, "cukup": 56.0}
        return _(
            "Attitude categories follow the percent rule: the total as a percentage of the highest possible "
            "total (%(max)d), good from %(baik)s%%, fair from %(cukup)s%%, poor below.",
            max=att.max_total,
            baik=self.n(cut["baik"], 0),
            cukup=self.n(cut["cukup"], 0),
        )

    def attitude(self) -> None:
        """The attitude (Likert) scale: totals and their tests, reliability, statements, categories, Spearman."""
        att = self.a.attitude
        if att is None:
            if self.d.attitude_note == "not_five_points":
                self.blocks.append(
                    Para(_("The attitude scale is not analysed: it does not have five points."), "note")
                )
            return
        self.blocks.append(Heading(_("Attitude"), 2))
        n_rev = len(att.reverse)
        self.blocks.append(
            Para(
                _(
                    "The attitude scale has %(k)d statements answered from Strongly agree (5) to Strongly "
                    "disagree (1); %(rev)d unfavourable statements are reverse-scored (6 − answer), so a higher "
                    "total is a better attitude (highest total %(max)d). %(n)d participants answered every "
                    "statement in both tests. %(rule)s",
                    k=len(att.statements),
                    rev=n_rev,
                    max=att.max_total,
                    n=att.n_paired,
                    rule=self.attitude_rule_text(),
                )
            )
        )
        rows = []
        for key in ("pre", "post", "difference"):
            t = att.totals[key]
            rows.append([self.lbl(key), str(t["n"]), self.n(t["mean"]), self.n(t["sd"]), self.n(t["median"])])
        tt, w = att.paired_t_test, att.wilcoxon
        tests = []
        if tt.p_value is not None:
            tests.append(
                _(
                    "Paired t-test: t(%(df)s) = %(t)s, %(p)s, dz = %(dz)s.",
                    df=str(tt.df),
                    t=self.n(tt.t, 3),
                    p=self.peq(tt.p_value),
                    dz=self.n(tt.cohens_dz),
                )
            )
        else:
            tests.append(f"{label('paired_t_test', self.lang)}: {explain_reason(tt.reason, self.lang)}")
        if w.p_value is not None:
            tests.append(
                _(
                    "Wilcoxon signed-rank test: Z = %(z)s, %(p)s (R: V = %(v)s, %(pr)s); r = %(r)s.",
                    z=self.n(w.z, 3),
                    p=self.peq(w.p_value_asymptotic),
                    v=self.n(w.v, 1),
                    pr=self.peq(w.p_value),
                    r=self.n(w.effect_size_r),
                )
            )
        else:
            tests.append(f"{label('wilcoxon_signed_rank', self.lang)}: {explain_reason(w.reason, self.lang)}")
        rel = []
        for which, r in (("pre", att.reliability_pre), ("post", att.reliability_post)):
            shown = (
                self.n(r.coefficient, 3) if r.coefficient is not None else explain_reason(r.reason, self.lang)
            )
            rel.append(f"{self.lbl(which)} {shown} (n = {r.n})")
        tests.append(_("Cronbach's alpha (every statement kept): %(values)s.", values="; ".join(rel)))
        self.table(
            "attitude_totals",
            _("Attitude score before and after the education"),
            ["", "n", _("Mean"), "SD", _("Median")],
            rows,
            ["l", "r", "r", "r", "r"],
            [2.6, 0.6, 1, 1, 1],
            note=" ".join(tests),
        )
        stems = {q.key: q.stem(self.lang) for q in self.d.attitude_statements}
        rows, bold = [], set()
        untested: list[str] = []
        for i, item in enumerate(att.items, start=1):
            bold.add(len(rows))
            rev = " (R)" if item.reverse else ""
            rows.append(
                [str(i), stems.get(item.statement, item.statement) + rev, "", "", "", "", "", "", "", ""]
            )
            wi = item.wilcoxon
            for which, dist, mean in (
                ("pre", item.distribution_pre, item.mean_pre),
                ("post", item.distribution_post, item.mean_post),
            ):
                cells = (
                    ["", "    " + self.lbl(which)] + [self.pct(c.percent, 0) for c in dist] + [self.n(mean)]
                )
                if which == "post" and wi.p_value is not None:
                    cells += [
                        self.p(wi.p_value),
                        self.p(item.p_value_adjusted) + (" *" if item.significant else ""),
                    ]
                elif which == "post":  # the reason goes in the note: a number column stays short
                    cells += ["–", ""]
                    untested.append(f"{i}: {explain_reason(wi.reason, self.lang)}")
                else:
                    cells += ["", ""]
                rows.append(cells)
        self.table(
            "attitude_items",
            _("Answers to each attitude statement before and after"),
            [
                _("No"),
                _("Statement"),
                *self.LIKERT_HEADS[self.lang],
                _("Mean score"),
                "p",
                f"p ({label(self.a.settings.p_adjust, self.lang)})",
            ],
            rows,
            ["r", "l", "r", "r", "r", "r", "r", "r", "r", "r"],
            [0.45, 4.2, 0.6, 0.6, 0.6, 0.6, 0.6, 0.85, 0.8, 0.9],
            bold_rows=bold,
            note=_(
                "SA: strongly agree, A: agree, N: not sure, D: disagree, SD: strongly disagree (percent of "
                "those who answered, as answered). (R): reverse-scored; mean score after reverse scoring. p: "
                "Wilcoxon signed-rank test of the scored answers (R's p); * significant after %(adjust)s's "
                "correction over the statements.",
                adjust=label(self.a.settings.p_adjust, self.lang),
            )
            + "".join(" " + u for u in untested),
        )
        rows = self.category_rows(att.categories_pre, att.categories_post)
        self.table(
            "attitude_categories",
            _("Attitude categories before and after"),
            [_("Category"), f"{_('Pre-test')} n", "%", f"{_('Post-test')} n", "%"],
            rows,
            ["l", "r", "r", "r", "r"],
            [2.2, 1, 1, 1, 1],
            note=self.attitude_rule_text(),
        )
        rho = att.knowledge_attitude_spearman
        if rho is not None:
            if rho.rho is None:
                line = explain_reason(rho.reason, self.lang)
            else:
                line = _(
                    "Spearman's correlation between the knowledge gain and the attitude gain: rho = %(rho)s, "
                    "%(p)s (n = %(n)d).",
                    rho=self.n(rho.rho, 3),
                    p=self.peq(rho.p_value),
                    n=rho.n,
                )
            self.blocks.append(Para(line))

    def topics(self) -> None:
        """Knowledge per topic tag: items, percent correct, class N-gain, Wilcoxon with Holm, and a chart."""
        rows_in = self.a.topics
        if not rows_in:
            return
        rows: list[list[str]] = []
        reasons: list[str] = []
        for t in rows_in:
            w = t.wilcoxon
            if w is None or w.p_value is None:  # the reason goes in the note: a number column stays short
                z, p, p_adj = "–", "–", ""
                reasons.append(
                    f"{t.topic}: {explain_reason(t.reason or (w.reason if w else None), self.lang)}"
                )
            else:
                z = self.n(w.z, 3)
                p = self.p(w.p_value)
                p_adj = self.p(t.p_value_adjusted) + (" *" if t.significant else "")
            rows.append(
                [
                    t.topic,
                    str(t.n_items),
                    str(t.n),
                    self.pct(t.percent_correct_pre),
                    self.pct(t.percent_correct_post),
                    self.n(t.class_average_gain),
                    z,
                    p,
                    p_adj,
                ]
            )
        adjust = label(self.a.settings.p_adjust, self.lang)
        self.table(
            "topics",
            _("Knowledge per topic before and after"),
            [
                _("Topic"),
                _("Questions"),
                "n",
                _("Pre %"),
                _("Post %"),
                "N-gain <g>",
                "Z",
                "p",
                f"p ({adjust})",
            ],
            rows,
            ["l", "r", "r", "r", "r", "r", "r", "r", "r"],
            [2.2, 0.9, 0.5, 0.8, 0.8, 1, 0.8, 0.9, 1.1],
            note=_(
                "Percent correct: the mean topic sub-score (questions right ÷ questions of the topic × 100) of "
                "the participants who took both tests. N-gain <g>: class-average gain of the sub-scores. Z and "
                "p: Wilcoxon signed-rank test of the sub-scores (SPSS's Z, R's p), for topics of at least three "
                "questions; * significant after %(adjust)s's correction over the topics tested.",
                adjust=adjust,
            )
            + "".join(" " + r for r in reasons),
        )
        self.figure(
            "topics",
            _("Percent correct per topic before and after"),
            "topics",
            {
                "categories": [t.topic for t in rows_in],
                "series": [label("pre", self.lang), label("post", self.lang)],
                "values": [
                    [t.percent_correct_pre for t in rows_in],
                    [t.percent_correct_post for t in rows_in],
                ],
                "significant": [bool(t.significant) for t in rows_in],
                "axis": "%",
                "axis_title": _("Topic"),
            },
            note=_("* significant after %(adjust)s's correction.", adjust=adjust),
        )

    # ---------------------------------------------------------------- the two-group comparison
    def group_name(self, key: str | None) -> str:
        names = {
            "intervention": _("Intervention group"),
            "control": _("Control group"),
            "medium_a": _("Medium A"),
            "medium_b": _("Medium B"),
        }
        return names.get(key or "", key or "–")

    def build_comparison(self) -> Report:
        """The report comparing two groups of sessions (intervention and control, or medium A and B)."""
        two = self.a.two_groups
        self.comparison_sessions()
        self.blocks.append(Heading(_("Method")))
        self.blocks.append(Para(self.comparison_method_text()))
        self.blocks.append(Heading(_("Results")))
        if self.a.reason:
            self.blocks.append(Para(explain_reason(self.a.reason, self.lang)))
        elif two is None or two.reason:
            self.blocks.append(
                Para(explain_reason(two.reason if two else "fewer_than_two_groups", self.lang))
            )
        else:
            self.group_descriptives()
            self.group_baseline()
            self.group_gains()
            self.group_ancova()
            self.group_categories()
            self.blocks.append(Heading(_("Interpretation")))
            self.blocks.append(Para(self.comparison_interpretation()))
        title = _("Comparison of two groups: pre-test and post-test")
        a = self.group_name(two.group_a if two else None)
        b = self.group_name(two.group_b if two else None)
        return Report(self.lang, title, f"{b} – {a}", self.blocks, self.with_names)

    def _group_of(self) -> dict[int, str]:
        groups = self.d.groups or []
        return {p.session_id: g for p, g in zip(self.d.people, groups, strict=False) if p.session_id and g}

    def comparison_sessions(self) -> None:
        counts: dict[int | None, int] = {}
        for person in self.d.people:
            counts[person.session_id] = counts.get(person.session_id, 0) + 1
        group_of = self._group_of()
        rows = [
            [
                str(i + 1),
                self.group_name(group_of.get(act.session_id or 0)),
                act.title,
                act.place,
                long_date(act.held_on, self.lang),
                act.quiz_title(self.lang),
                str(counts.get(act.session_id, 0)),
            ]
            for i, act in enumerate(self.d.activities)
        ]
        self.table(
            "comparison_sessions",
            _("Sessions in each group"),
            [_("No"), _("Group"), _("Activity"), _("Place"), _("Date"), _("Questionnaire"), "n"],
            rows,
            ["r", "l", "l", "l", "l", "l", "r"],
            [0.7, 1.9, 2.8, 2, 1.8, 2, 0.6],
        )

    def comparison_method_text(self) -> str:
        two = self.a.two_groups

        def inside(key: str | None) -> str:  # a group's name inside a sentence: "kelompok kontrol"
            name = self.group_name(key)
            return name[0].lower() + name[1:]

        parts = [
            _(
                "The design compares two groups, each tested before and after: %(b)s and %(a)s (the "
                "reference). Participants who took both tests are analysed; %(none)d without a group are left "
                "out.",
                b=inside(two.group_b if two else None),
                a=inside(two.group_a if two else None),
                none=two.n_unlabelled if two else 0,
            ),
            _(
                "Baseline equivalence: Mann-Whitney and Welch's t-test on the pre-test scores. The gains "
                "(post − pre) are compared with Mann-Whitney (effect size r = |Z|/√N), Student's and Welch's "
                "t-tests. The leading comparison is the ANCOVA of the post-test with the pre-test as covariate "
                "(type III F, as SPSS UNIANOVA), with the adjusted means at the mean pre-test. Post-test "
                "knowledge categories are compared with the chi-square test, or Fisher's exact test when an "
                "expected count is below 5. Differences are %(b)s minus %(a)s.",
                b=inside(two.group_b if two else None),
                a=inside(two.group_a if two else None),
            ),
            _("The significance level is %(alpha)s.", alpha=self.n(self.a.settings.alpha, 2)),
        ]
        return " ".join(parts)

    def _group_values(self, which: str) -> tuple[list[float], list[float], list[float]]:
        """Pre, post and gain of the group's participants who took both tests."""
        pre, post, gain = [], [], []
        for p, g in zip(self.d.people, self.d.groups or [], strict=False):
            if g == which and p.pre is not None and p.post is not None:
                pre.append(p.pre)
                post.append(p.post)
                gain.append(p.post - p.pre)
        return pre, post, gain

    def group_descriptives(self) -> None:
        import numpy as np

        two = self.a.two_groups
        rows, bold = [], set()
        for key in (two.group_b, two.group_a):
            pre, post, gain = self._group_values(key)
            bold.add(len(rows))
            rows.append([self.group_name(key), "", "", "", ""])
            for which, values in (("pre", pre), ("post", post), ("difference", gain)):
                s = describe(values)
                rows.append(
                    ["    " + self.lbl(which), str(s.n), self.n(s.mean), self.n(s.sd), self.n(s.median)]
                )
        self.table(
            "group_descriptives",
            _("Knowledge scores of each group"),
            [_("Group"), "n", _("Mean"), "SD", _("Median")],
            rows,
            ["l", "r", "r", "r", "r"],
            [2.8, 0.6, 1, 1, 1],
            bold_rows=bold,
            note=_("Participants who took both tests; scores 0–%(max)s.", max=self.n(self.d.max_score, 0)),
        )
        top = self.d.max_score or 100
        b_vals, a_vals = self._group_values(two.group_b), self._group_values(two.group_a)

        def mean_pct(values: list[float]) -> float | None:
            import numpy as np

            return 100 * float(np.mean(values)) / top if values else None

        self.figure(
            "group_means",
            _("Mean score of each group before and after"),
            "items",
            {
                "categories": [self.group_name(two.group_b), self.group_name(two.group_a)],
                "series": [label("pre", self.lang), label("post", self.lang)],
                "values": [
                    [mean_pct(b_vals[0]), mean_pct(a_vals[0])],
                    [mean_pct(b_vals[1]), mean_pct(a_vals[1])],
                ],
                "labels": [
                    [
                        self.n(np.mean(b_vals[0]) if b_vals[0] else None, 1),
                        self.n(np.mean(a_vals[0]) if a_vals[0] else None, 1),
                    ],
                    [
                        self.n(np.mean(b_vals[1]) if b_vals[1] else None, 1),
                        self.n(np.mean(a_vals[1]) if a_vals[1] else None, 1),
                    ],
                ],
                "axis": "%",
            },
            note=_("Bars: mean score as a percentage of the highest score; the mean score above each bar."),
        )

    def _mw_row(self, name: str, mw) -> list[str]:
        if mw.p_value is None:
            return [name, explain_reason(mw.reason, self.lang), "", "", "", "", ""]
        return [
            name,
            self.n(mw.mean_rank_b),
            self.n(mw.mean_rank_a),
            self.n(mw.u, 1),
            self.n(mw.z, 3),
            self.p(mw.p_value_asymptotic),
            self.n(mw.effect_size_r),
        ]

    def _t_row(self, name: str, t) -> list[str]:
        if t.p_value is None:
            return [
                name,
                self.n(t.mean_b),
                self.n(t.mean_a),
                self.n(t.mean_difference),
                explain_reason(t.reason, self.lang),
                "",
                "",
                "",
            ]
        to = _("to")
        return [
            name,
            self.n(t.mean_b),
            self.n(t.mean_a),
            self.n(t.mean_difference),
            f"{self.n(t.ci_low)} {to} {self.n(t.ci_high)}",
            self.n(t.t, 3),
            self.n(t.df, 2) if t.welch else self.n(t.df, 0),
            self.p(t.p_value),
        ]

    def _mw_table(self, key: str, title: str, rows: list[list[str]], note: str) -> None:
        two = self.a.two_groups
        self.table(
            key,
            title,
            [
                "",
                _("Mean rank %(g)s", g=self.group_name(two.group_b)),
                _("Mean rank %(g)s", g=self.group_name(two.group_a)),
                "U",
                "Z",
                "p",
                "r",
            ],
            rows,
            ["l", "r", "r", "r", "r", "r", "r"],
            [2, 1.4, 1.4, 0.9, 0.9, 0.8, 0.7],
            note=note,
        )

    def _t_table(self, key: str, title: str, rows: list[list[str]], note: str) -> None:
        two = self.a.two_groups
        self.table(
            key,
            title,
            [
                "",
                _("Mean %(g)s", g=self.group_name(two.group_b)),
                _("Mean %(g)s", g=self.group_name(two.group_a)),
                _("Difference"),
                _("95% CI"),
                "t",
                "df",
                "p",
            ],
            rows,
            ["l", "r", "r", "r", "r", "r", "r", "r"],
            [2, 1.2, 1.2, 1, 1.8, 0.8, 0.7, 0.8],
            note=note,
        )

    def group_baseline(self) -> None:
        two = self.a.two_groups
        self.blocks.append(Heading(_("Baseline equivalence"), 2))
        self._mw_table(
            "baseline_mann_whitney",
            _("Pre-test scores of the two groups: Mann-Whitney test"),
            [self._mw_row(_("Pre-test"), two.baseline_mann_whitney)],
            _(
                "Z and p as SPSS prints them (asymptotic, tie-corrected); r = |Z|/√N. R's p: %(p)s (%(method)s).",
                p=self.p(two.baseline_mann_whitney.p_value),
                method=self.lbl(two.baseline_mann_whitney.method),
            ),
        )
        self._t_table(
            "baseline_welch",
            _("Pre-test scores of the two groups: Welch's t-test"),
            [self._t_row(_("Pre-test"), two.baseline_welch)],
            _(
                "A p-value below α means the groups differed before the education; the ANCOVA below accounts for it."
            ),
        )

    def group_gains(self) -> None:
        two = self.a.two_groups
        self.blocks.append(Heading(_("Gains compared"), 2))
        self._mw_table(
            "gain_mann_whitney",
            _("Gain (post − pre) of the two groups: Mann-Whitney test"),
            [self._mw_row(_("Difference (post − pre)"), two.gain_mann_whitney)],
            _(
                "Z and p as SPSS prints them (asymptotic, tie-corrected); r = |Z|/√N. R's p: %(p)s (%(method)s).",
                p=self.p(two.gain_mann_whitney.p_value),
                method=self.lbl(two.gain_mann_whitney.method),
            ),
        )
        self._t_table(
            "gain_t_tests",
            _("Gain (post − pre) of the two groups: t-tests"),
            [
                self._t_row(_("Student (equal variances)"), two.gain_student),
                self._t_row(_("Welch (unequal variances)"), two.gain_welch),
            ],
            "",
        )

    def group_ancova(self) -> None:
        two = self.a.two_groups
        an = two.ancova
        self.blocks.append(Heading(_("ANCOVA (leading comparison)"), 2))
        if an.p_value is None:
            self.blocks.append(Para("ANCOVA: " + explain_reason(an.reason, self.lang)))
            return
        to = _("to")
        self.table(
            "ancova",
            _("Post-test by group, adjusted for the pre-test (ANCOVA)"),
            [
                "F",
                "df",
                "p",
                "η²p",
                _("Adjusted mean %(g)s", g=self.group_name(two.group_b)),
                _("Adjusted mean %(g)s", g=self.group_name(two.group_a)),
                _("Adjusted difference"),
                _("95% CI"),
            ],
            [
                [
                    self.n(an.f, 3),
                    f"{an.df}, {an.df_resid}",
                    self.p(an.p_value),
                    self.n(an.partial_eta_squared, 3),
                    self.n(an.adjusted_mean_b),
                    self.n(an.adjusted_mean_a),
                    self.n(an.adjusted_difference),
                    f"{self.n(an.ci_low)} {to} {self.n(an.ci_high)}",
                ]
            ],
            ["r"] * 8,
            [0.9, 0.8, 0.8, 0.7, 1.3, 1.3, 1.2, 1.8],
            note=_(
                "post ~ pre + group (type III F, as SPSS UNIANOVA); adjusted means at the mean pre-test score "
                "%(pre)s; pre-test coefficient %(b)s.",
                pre=self.n(an.pre_mean),
                b=self.n(an.pre_coefficient, 3),
            ),
        )

    def group_categories(self) -> None:
        two = self.a.two_groups
        pc = two.post_categories
        if pc is None:
            return
        n_b, n_a = sum(pc.counts_b), sum(pc.counts_a)
        rows = [
            [
                self.lbl(cat),
                str(b),
                self.pct(100 * b / n_b if n_b else None),
                str(a),
                self.pct(100 * a / n_a if n_a else None),
            ]
            for cat, a, b in zip(pc.categories, pc.counts_a, pc.counts_b, strict=False)
        ]
        rows.append(
            [
                _("Total"),
                str(n_b),
                self.pct(100.0 if n_b else None),
                str(n_a),
                self.pct(100.0 if n_a else None),
            ]
        )
        if pc.p_value is None:
            note = explain_reason(pc.reason, self.lang)
        else:
            chi = _(
                "Chi-square = %(chi)s, df = %(df)d, %(p)s%(yates)s.",
                chi=self.n(pc.chi_square, 3),
                df=pc.df,
                p=self.peq(pc.p_value_chi_square),
                yates=_(" (with Yates' continuity correction)") if pc.yates else "",
            )
            if pc.test == "fisher_exact":
                note = (
                    chi
                    + " "
                    + _(
                        "An expected count is below 5 (smallest %(e)s): Fisher's exact test leads, %(p)s.",
                        e=self.n(pc.expected_min),
                        p=self.peq(pc.p_value_fisher),
                    )
                )
            else:
                note = chi
        self.table(
            "group_categories",
            _("Post-test knowledge categories by group"),
            [
                _("Category"),
                f"{self.group_name(two.group_b)} n",
                "%",
                f"{self.group_name(two.group_a)} n",
                "%",
            ],
            rows,
            ["l", "r", "r", "r", "r"],
            [2, 1.4, 0.9, 1.4, 0.9],
            note=note,
        )

    def comparison_interpretation(self) -> str:
        two = self.a.two_groups
        an = two.ancova
        b, a = self.group_name(two.group_b), self.group_name(two.group_a)
        parts = []
        base = two.baseline_mann_whitney
        if base.p_value_asymptotic is not None:
            if base.p_value_asymptotic < self.a.settings.alpha:
                parts.append(
                    _(
                        "Before the education the groups differed (Mann-Whitney %(p)s).",
                        p=self.peq(base.p_value_asymptotic),
                    )
                )
            else:
                parts.append(
                    _(
                        "Before the education the groups did not differ significantly (Mann-Whitney %(p)s).",
                        p=self.peq(base.p_value_asymptotic),
                    )
                )
        if an.p_value is not None:
            if an.p_value < self.a.settings.alpha:
                higher = an.adjusted_difference is not None and an.adjusted_difference > 0
                parts.append(
                    _(
                        "With the pre-test accounted for, the post-test of the %(b)s was significantly %(dir)s than "
                        "that of the %(a)s: adjusted difference %(d)s points (ANCOVA %(p)s, η²p = %(eta)s).",
                        b=b[0].lower() + b[1:],
                        a=a[0].lower() + a[1:],
                        dir=_("higher") if higher else _("lower"),
                        d=self.n(an.adjusted_difference),
                        p=self.peq(an.p_value),
                        eta=self.n(an.partial_eta_squared, 3),
                    )
                )
            else:
                parts.append(
                    _(
                        "With the pre-test accounted for, the post-tests of the two groups did not differ "
                        "significantly: adjusted difference %(d)s points (ANCOVA %(p)s).",
                        d=self.n(an.adjusted_difference),
                        p=self.peq(an.p_value),
                    )
                )
        else:
            parts.append("ANCOVA: " + explain_reason(an.reason, self.lang))
        return " ".join(parts)

    # ---------------------------------------------------------------- interpretation
    def interpretation(self) -> str:
        a, parts = self.a, []
        d = a.descriptives or {}
        if "pre" in d and "post" in d and d["pre"].mean is not None:
            parts.append(
                _(
                    "The mean knowledge score rose from %(pre)s before to %(post)s after the education "
                    "(n = %(n)d).",
                    pre=self.n(d["pre"].mean),
                    post=self.n(d["post"].mean),
                    n=d["pre"].n,
                )
                if (d["post"].mean or 0) >= d["pre"].mean
                else _(
                    "The mean knowledge score fell from %(pre)s before to %(post)s after the education "
                    "(n = %(n)d).",
                    pre=self.n(d["pre"].mean),
                    post=self.n(d["post"].mean),
                    n=d["pre"].n,
                )
            )
        cats = a.knowledge_categories
        if cats and not cats["pre"].reason:
            good_pre = next((c.percent for c in cats["pre"].categories if c.category == "baik"), None)
            good_post = next((c.percent for c in cats["post"].categories if c.category == "baik"), None)
            parts.append(
                _(
                    "The share with good knowledge went from %(pre)s to %(post)s.",
                    pre=self.pct(good_pre),
                    post=self.pct(good_post),
                )
            )
        lt = a.leading_test
        if lt is not None and lt.p_value is not None:
            if lt.significant:
                parts.append(
                    _(
                        "The %(test)s shows a significant difference in knowledge before and after the "
                        "education (%(p)s).",
                        test=label(lt.test, self.lang)
                        if self.lang == "id"
                        else mid_sentence(label(lt.test, "en")),
                        p=self.peq(lt.p_value),
                    )
                )
            else:
                parts.append(
                    _(
                        "The %(test)s shows no significant difference in knowledge before and after the "
                        "education (%(p)s).",
                        test=label(lt.test, self.lang)
                        if self.lang == "id"
                        else mid_sentence(label(lt.test, "en")),
                        p=self.peq(lt.p_value),
                    )
                )
        elif lt is not None:
            parts.append(explain_reason(lt.reason, self.lang))
        g = a.normalized_gain
        if g is not None and g.mean_individual_gain is not None:
            parts.append(
                _(
                    "The mean N-gain of %(g)s is %(cat)s; as a percentage (%(pct)s) the education was "
                    "%(eff)s.",
                    g=self.n(g.mean_individual_gain),
                    cat=self.lbl(g.mean_individual_gain_category).lower(),
                    pct=self.pct(g.effectiveness_percent),
                    eff=self.lbl(g.effectiveness_category).lower(),
                )
            )
        pu = a.proportion_understood
        if pu is not None and pu.proportion is not None:
            parts.append(
                _(
                    "%(k)d of %(n)d participants (%(pct)s) reached a post-test score of at least %(t)s.",
                    k=pu.k,
                    n=pu.n,
                    pct=self.pct(100 * pu.proportion),
                    t=self.n(pu.threshold_percent, 0),
                )
            )
        if a.items is not None:
            sig = sum(1 for q in a.items.changes if q.significant)
            parts.append(_("%(k)d of %(n)d questions improved significantly.", k=sig, n=len(a.items.changes)))
            flagged = sum(1 for i in a.items.quality_pre.items if "negative_discrimination" in i.flags)
            if flagged:
                parts.append(_("%(n)d questions discriminate negatively and should be reviewed.", n=flagged))
        return " ".join(parts)

    # ---------------------------------------------------------------- appendices
    def scores_appendix(self) -> None:
        # A session's scores stay pseudonymous even "with names": the names go in the attendance list
        # (daftar hadir), which has no scores; a file's own participant column is printed when asked.
        names = self.with_names and self.d.source == "file"
        rows = []
        for person in self.d.people:
            gain, normalized = person_gains(person.pre, person.post, self.d.max_score)
            rows.append(
                [
                    str(person.index + 1),
                    person.shown_name(names),
                    self.n(person.pre) if person.pre is not None else "–",
                    self.n(person.post) if person.post is not None else "–",
                    self.n(gain) if gain is not None else "–",
                    self.n(normalized) if normalized is not None else "–",
                ]
            )
            if self.d.has_followup:
                rows[-1].append(self.n(person.followup) if person.followup is not None else "–")
        who = _("Participant") if not names else _("Name")
        followup = [_("Follow-up test")] if self.d.has_followup else []
        self.table(
            "scores",
            _("Appendix: scores of each participant"),
            [
                _("No"),
                who,
                _("Pre-test"),
                _("Post-test"),
                _("Difference (post − pre)"),
                _("N-gain"),
                *followup,
            ],
            rows,
            ["r", "l", "r", "r", "r", "r"] + ["r"] * len(followup),
            [0.5, 3.4, 1, 1, 1, 1] + [1] * len(followup),
            note="" if names else _("Participants are shown by pseudonym (P01, P02, ...)."),
        )

    def instrument_appendix(self) -> None:
        """Every questionnaire used: each question with its options, the key and its source."""
        for form in self.d.instrument:
            if not form.questions:
                continue
            rows = []
            for i, q in enumerate(form.questions, start=1):
                if q.type == "true_false":
                    lines = [q.stem(self.lang), "(" + " / ".join(o.text(self.lang) for o in q.options) + ")"]
                else:
                    lines = [q.stem(self.lang)] + [
                        f"{q.option_mark(j, self.lang)}. {o.text(self.lang)}" for j, o in enumerate(q.options)
                    ]
                rows.append([str(i), "\n".join(lines), q.answer_key(self.lang), q.source or "–"])
            title = form.title(self.lang) + (f" (v{form.version})" if form.version else "")
            self.table(
                "instrument",
                _("Appendix: questionnaire %(title)s", title=title),
                [_("No"), _("Question and options"), _("Key"), _("Source")],
                rows,
                ["r", "l", "l", "l"],
                [0.5, 5, 0.8, 3.2],
                note=_(
                    "Options in the order the participants saw them. Source: the publication each question "
                    "rests on, as the questionnaire cites it."
                ),
            )

    def attendance(self) -> None:
        if self.d.source == "file":
            return
        rows = []
        for person in self.d.people:
            rows.append(
                [
                    str(person.index + 1),
                    person.shown_name(self.with_names),
                    "✓" if person.pre_status == "done" else "–",
                    "✓" if person.post_status == "done" else "–",
                    *(["✓" if person.followup_status == "done" else "–"] if self.d.has_followup else []),
                    "",
                ]
            )
        self.table(
            "attendance",
            _("Appendix: attendance list (daftar hadir)"),
            [
                _("No"),
                _("Name") if self.with_names else _("Participant"),
                _("Pre-test"),
                _("Post-test"),
                *([_("Follow-up test")] if self.d.has_followup else []),
                _("Signature"),
            ],
            rows,
            ["r", "l", "l", "l", "l"] + (["l"] if self.d.has_followup else []),
            [0.5, 3.6, 1, 1, 2.4] if not self.d.has_followup else [0.5, 3.2, 1, 1, 1, 2],
        ).tall_rows = True

    # ---------------------------------------------------------------- the education, approval, article
    def details(self):
        """The session's team, method, media and signatories; empty for pooled sessions and files."""
        d = self.d
        if d.pooled or not d.activities:
            return SessionInfo()
        return d.activities[0].details

    def education_sentences(self, *, team: bool = True) -> list[str]:
        """How the education was given (method, media, duration), by whom, with whom, funded by whom."""
        info, parts = self.details(), []
        methods, media = info.method_names(), info.media_names()
        if methods:
            parts.append(_("The education used %(methods)s.", methods=join_words(methods, self.lang)))
        if media:
            parts.append(_("The media were %(media)s.", media=join_words(media, self.lang)))
        if info.duration_minutes:
            parts.append(_("The education lasted %(n)d minutes.", n=info.duration_minutes))
        if not team:
            return parts
        members = join_words([m.with_id() for m in info.members], self.lang)
        if info.leader and members:
            parts.append(
                _(
                    "The team was led by %(leader)s, with %(members)s.",
                    leader=info.leader.with_id(),
                    members=members,
                )
            )
        elif info.leader:
            parts.append(_("The team was led by %(leader)s.", leader=info.leader.with_id()))
        elif members:
            parts.append(_("The team members were %(members)s.", members=members))
        if info.partner:
            parts.append(_("The activity was carried out with %(partner)s as partner.", partner=info.partner))
        if info.funding:
            parts.append(_("The activity was funded by %(funding)s.", funding=info.funding))
        return parts

    def education(self) -> None:
        """The method section's first paragraph: the education itself (nothing when not filled in)."""
        parts = self.education_sentences()
        if parts:
            self.blocks.append(Para(" ".join(parts)))

    def approval(self) -> None:
        """ "Mengetahui, ..." with place and date, each signatory's role, signature space, name and NIP/NIDN."""
        info = self.details()
        if not info.signatories:
            return
        when = ", ".join(
            x
            for x in (info.signed_place, long_date(info.signed_on, self.lang) if info.signed_on else "")
            if x
        )
        self.blocks.append(
            Approval(
                lead=_("Approved by,") if len(info.signatories) > 1 else "",
                place_date=when,
                signers=[(m.role, m.name, m.id_line) for m in info.signatories],
            )
        )

    def abstract_text(self) -> str:
        """The abstract in this builder's language: aim, place and date, method, measurement, key figures."""
        d, c = self.d, self.a.counts
        act = d.activities[0] if d.activities else None
        parts = []
        if act is not None:
            parts.append(
                _(
                    "This community service activity aimed to improve the participants' knowledge through "
                    "%(title)s.",
                    title=act.title,
                )
            )
            if not d.pooled and (act.place or act.held_on):
                parts.append(self.place_date_sentence(act))
        parts += self.education_sentences(team=False)
        n_q = act.n_questions if act else None
        if n_q:
            parts.append(
                _(
                    "Knowledge was measured with a pre-test and a post-test of %(q)d questions; %(paired)d of "
                    "%(n)d participants took both.",
                    q=n_q,
                    paired=c.n_paired,
                    n=c.n_participants,
                )
            )
        else:
            parts.append(
                _(
                    "Knowledge was measured with a pre-test and a post-test; %(paired)d of %(n)d participants "
                    "took both.",
                    paired=c.n_paired,
                    n=c.n_participants,
                )
            )
        if not self.a.reason:
            parts.append(self.interpretation())
        return " ".join(p for p in parts if p)

    def place_date_sentence(self, act) -> str:
        if act.place and act.held_on:
            return _(
                "The activity took place at %(place)s on %(date)s.",
                place=act.place,
                date=long_date(act.held_on, self.lang),
            )
        if act.place:
            return _("The activity took place at %(place)s.", place=act.place)
        return _("The activity took place on %(date)s.", date=long_date(act.held_on, self.lang))

    def conclusion(self) -> str:
        """One sentence: did the education change knowledge, and by how much."""
        a = self.a
        desc = a.descriptives or {}
        lt = a.leading_test
        if a.reason or lt is None or lt.p_value is None or "pre" not in desc or desc["pre"].mean is None:
            return _("The data do not allow a conclusion on the change in knowledge.")
        pre, post = desc["pre"].mean, desc["post"].mean or 0
        figures = {"pre": self.n(pre), "post": self.n(post), "p": self.peq(lt.p_value)}
        if lt.significant and post >= pre:
            return _(
                "The education improved the participants' knowledge significantly: the mean score rose from "
                "%(pre)s to %(post)s (%(p)s).",
                **figures,
            )
        if lt.significant:
            return _(
                "The participants' knowledge fell significantly after the education: the mean score went from "
                "%(pre)s to %(post)s (%(p)s).",
                **figures,
            )
        return _(
            "The education brought no significant change in the participants' knowledge: the mean score "
            "went from %(pre)s to %(post)s (%(p)s).",
            **figures,
        )

    def references(self, blocks: list) -> list[tuple[str, str]]:
        """(in-text citation, reference) of the methods the results used, in alphabetical order."""
        keys = {"student", "wilcoxon", "shapiro", "lilliefors", "cohen", "hake"}
        if self.a.items is not None:
            keys |= {"mcnemar", "holm", "kr20"}
        if self.a.proportion_understood is not None:
            keys.add("wilson")
        if any(isinstance(b, Table) and b.key == "gain_by_characteristic" for b in blocks):
            keys.add("kruskal")
        return sorted((METHOD_REFERENCES[k] for k in keys), key=lambda ref: ref[1])

    def article(self) -> Report:
        """The article draft: the report's blocks arranged as a pengabdian journal article."""
        d = self.d
        act = d.activities[0] if d.activities else None
        info = self.details()
        report_blocks = self.build(appendix=False).blocks
        self.blocks = []
        authors = [m.name for m in ([info.leader] if info.leader else []) + list(info.members)]
        if not authors and act is not None and act.educator:
            authors = [act.educator]
        institution = act.institution if act is not None else ""
        subtitle = " · ".join(x for x in (", ".join(authors), institution) if x)
        title = act.title if act is not None else ""
        if act is not None and act.place and not d.pooled:
            title = _("%(title)s at %(place)s", title=act.title, place=act.place)

        add = self.blocks.append
        add(
            Placeholder(
                _(
                    "Draft written from the session's data. Fill in the marked places, choose the keywords "
                    "and check every figure against the report before sending it to a journal."
                )
            )
        )
        # The two abstracts are in their own languages whatever the article's language.
        for lang, heading, keywords in (
            ("id", "Abstrak", "Kata kunci: [3–5 kata kunci]"),
            ("en", "Abstract", "Keywords: [3–5 keywords]"),
        ):
            add(Heading(heading))
            with force_locale(lang):
                add(Para(_Builder(d, self.a, lang, False).abstract_text()))
            add(Placeholder(keywords))

        add(Heading(_("Introduction")))
        add(
            Placeholder(
                _(
                    "[Introduction: the problem at the partner (for example the coverage of exclusive "
                    "breastfeeding), its causes, the solution offered and the aim of the activity, with "
                    "references.]"
                )
            )
        )

        add(Heading(_("Method")))
        first = []
        if act is not None and not d.pooled and (act.place or act.held_on):
            first.append(self.place_date_sentence(act))
        first += self.education_sentences()
        if first:
            add(Para(" ".join(first)))
        refs = self.references(report_blocks)
        add(
            Para(
                self.method_text()
                + " "
                + _("The analysis follows %(refs)s.", refs=join_words([r[0] for r in refs], self.lang))
            )
        )

        add(Heading(_("Results and discussion")))
        add(Heading(_("Results"), 2))
        add(Para(self.abstract_results()))
        add_results(self.blocks, report_blocks, self.lang)
        add(Heading(_("Discussion"), 2))
        add(
            Placeholder(
                _(
                    "[Discussion: compare these results with earlier community service and studies, explain "
                    "why knowledge changed, and name the limits: one group without a control group, the "
                    "number of participants, the reliability of the questionnaire.]"
                )
            )
        )

        add(Heading(_("Conclusion")))
        add(Para(self.conclusion()))
        thanks = [x for x in (info.partner, info.funding) if x]
        if thanks:
            add(Heading(_("Acknowledgements")))
            add(Para(_("We thank %(who)s.", who=join_words(thanks, self.lang))))
        add(Heading(_("References")))
        for _cite, reference in refs:
            add(Para(reference))
        add(Placeholder(_("[Add the references of the introduction and the discussion.]")))
        return Report(self.lang, title, subtitle, self.blocks, False)

    def abstract_results(self) -> str:
        """The results paragraph of the article: the key figures, or why there are none."""
        if self.a.reason:
            return explain_reason(self.a.reason, self.lang)
        return self.interpretation()

    # ---------------------------------------------------------------- follow-up (delayed post-) test
    def followup(self) -> None:
        """The follow-up section (analysis/followup.py): did the knowledge last?"""
        f = self.a.followup
        if f is None:
            return
        self.blocks.append(Heading(_("Follow-up test: did the knowledge last?")))
        self.blocks.append(Para(self.followup_method_text()))
        self.followup_counts()
        self.followup_descriptives()
        self.followup_tests()
        self.followup_posthoc()
        self.blocks.append(Para(self.followup_decision(), "lead"))
        self.followup_questions()

    def _time_label(self, key: str) -> str:
        return {"pre": _("Pre-test"), "post": _("Post-test"), "followup": _("Follow-up test")}[key]

    def followup_method_text(self) -> str:
        f = self.a.followup
        assert f is not None
        parts = []
        act = self.d.activities[0] if self.d.activities and not self.d.pooled else None
        if act is not None and act.followup_opened_at is not None and act.held_on is not None:
            days = (act.followup_opened_at.date() - act.held_on).days
            parts.append(
                _(
                    "The follow-up test was opened on %(date)s, %(days)d days after the session.",
                    date=long_date(act.followup_opened_at.date(), self.lang),
                    days=days,
                )
            )
            if act.followup_quiz_title(self.lang):
                parts.append(
                    _("It used the parallel form %(title)s.", title=act.followup_quiz_title(self.lang))
                )
        adj = label(self.a.settings.p_adjust, self.lang)
        parts.append(
            _(
                "The three time points are compared on the %(n)d participants who took all three tests. The "
                "Friedman test (with Kendall's W) and the repeated-measures ANOVA (with Mauchly's test of "
                "sphericity and the Greenhouse-Geisser and Huynh-Feldt corrections) are both computed; the "
                "ANOVA leads when the differences of every pair of time points look normal, otherwise "
                "Friedman. The pairs are compared with Wilcoxon signed-rank tests, %(adj)s-adjusted.",
                n=f.counts.n_complete,
                adj=adj,
            )
        )
        return " ".join(parts)

    def followup_counts(self) -> None:
        c = self.a.followup.counts if self.a.followup else None
        assert c is not None
        rows = [
            [_("Pre-test, post-test and follow-up (analysed)"), str(c.n_complete)],
            [_("Pre-test and post-test only"), str(c.n_pre_post)],
            [_("Pre-test and follow-up only"), str(c.n_pre_followup)],
            [_("Post-test and follow-up only"), str(c.n_post_followup)],
            [_("Pre-test only"), str(c.n_pre_only)],
            [_("Post-test only"), str(c.n_post_only)],
            [_("Follow-up only"), str(c.n_followup_only)],
            [_("No test handed in"), str(c.n_none)],
            [_("Total"), str(c.n_participants)],
        ]
        self.table(
            "followup_counts",
            _("Who took which test"),
            [_("Tests taken"), "n"],
            rows,
            ["l", "r"],
            [4, 0.8],
            bold_rows={0},
        )

    def followup_descriptives(self) -> None:
        f = self.a.followup
        assert f is not None
        rows = [
            [
                self._time_label(k),
                str(v.n),
                self.n(v.mean),
                self.n(v.sd),
                self.n(v.median),
                f"{self.n(v.min)} – {self.n(v.max)}",
                self.n(f.friedman.mean_ranks[i]) if f.friedman.mean_ranks else "–",
            ]
            for i, (k, v) in enumerate(f.descriptives.items())
        ]
        self.table(
            "followup_descriptives",
            _("Knowledge scores at the three time points"),
            ["", "n", _("Mean"), "SD", _("Median"), _("Min – max"), _("Mean rank")],
            rows,
            ["l", "r", "r", "r", "r", "r", "r"],
            [2.2, 0.6, 1, 1, 1, 1.6, 1],
            note=_(
                "Participants who took all three tests; scores 0–%(max)s. Mean rank: Friedman's, within "
                "each participant.",
                max=self.n(self.d.max_score, 0),
            ),
        )

    def followup_tests(self) -> None:
        f = self.a.followup
        assert f is not None
        fr, aov = f.friedman, f.rm_anova
        lt = f.leading_test
        lead, other = _("leading test"), _("for comparison")
        hf_capped = aov.epsilon_hf is not None and aov.epsilon_hf > 1
        rows = [
            [
                f"Friedman ({lead if lt.test == 'friedman' else other})",
                f"χ² = {self.n(fr.statistic, 3)}",
                str(fr.df) if fr.df is not None else "–",
                self.p(fr.p_value),
                f"W = {self.n(fr.kendalls_w, 3)}",
            ],
            [
                f"{_('Repeated-measures ANOVA')} ({lead if lt.test == 'rm_anova' else other})",
                f"F = {self.n(aov.f, 3)}",
                f"{aov.df_time}; {aov.df_error}" if aov.df_time is not None else "–",
                self.p(aov.p_value),
                f"η²p = {self.n(aov.partial_eta_squared, 3)}",
            ],
            [
                _("Mauchly's test of sphericity"),
                f"W = {self.n(aov.mauchly_w, 3)}; χ² = {self.n(aov.mauchly_chi_square, 3)}",
                str(aov.mauchly_df) if aov.mauchly_df is not None else "–",
                self.p(aov.mauchly_p_value),
                "",
            ],
            [
                "Greenhouse-Geisser",
                f"ε = {self.n(aov.epsilon_gg, 3)}",
                self._corrected_df(aov.epsilon_gg),
                self.p(aov.p_value_gg),
                "",
            ],
            [
                "Huynh-Feldt",
                f"ε = {self.n(aov.epsilon_hf, 3)}" + (" *" if hf_capped else ""),
                self._corrected_df(None if aov.epsilon_hf is None else min(1.0, aov.epsilon_hf)),
                self.p(aov.p_value_hf),
                "",
            ],
        ]
        notes = [
            reason
            for reason in (
                "Friedman: " + explain_reason(fr.reason, self.lang) if fr.reason else "",
                _("Repeated-measures ANOVA") + ": " + explain_reason(aov.reason, self.lang)
                if aov.reason
                else "",
            )
            if reason
        ]
        if hf_capped:
            notes.append(_("* Huynh-Feldt ε above 1 is printed as computed and taken as 1 for its p."))
        notes.append(
            _(
                "Friedman as R friedman.test and SPSS (tie-corrected); ANOVA as R aov(score ~ time + "
                "Error(id/time)) and SPSS GLM repeated measures."
            )
        )
        self.table(
            "followup_tests",
            _("Pre-test, post-test and follow-up compared"),
            [_("Test"), _("Statistic"), "df", "p", _("Effect size")],
            rows,
            ["l", "r", "r", "r", "r"],
            [3, 2.2, 1.1, 0.9, 1.3],
            note=" ".join(notes),
        )

    def _corrected_df(self, epsilon: float | None) -> str:
        aov = self.a.followup.rm_anova if self.a.followup else None
        if epsilon is None or aov is None or aov.df_time is None or aov.df_error is None:
            return "–"
        return f"{self.n(epsilon * aov.df_time)}; {self.n(epsilon * aov.df_error)}"

    def followup_posthoc(self) -> None:
        f = self.a.followup
        assert f is not None
        adj = label(self.a.settings.p_adjust, self.lang)
        rows = []
        for pw in f.pairwise_wilcoxon:
            w = pw.wilcoxon
            if pw.significant is None:
                verdict = explain_reason(w.reason, self.lang) or "–"
            else:
                verdict = _("significant") if pw.significant else _("not significant")
            rows.append(
                [
                    f"{self._time_label(pw.later)} – {self._time_label(pw.earlier)}",
                    str(w.n_pairs),
                    f"{w.n_negative} / {w.n_positive} / {w.n_zero}",
                    self.n(w.z, 3),
                    self.p(w.p_value),
                    self.p(pw.p_value_adjusted),
                    verdict,
                ]
            )
        self.table(
            "followup_posthoc",
            _("Post-hoc comparisons of the time points (Wilcoxon signed-rank, %(adj)s)", adj=adj),
            [
                _("Pair (later – earlier)"),
                "n",
                _("Lower / higher / same"),
                "Z",
                "p",
                _("p (%(adj)s)", adj=adj),
                _("Conclusion"),
            ],
            rows,
            ["l", "r", "r", "r", "r", "r", "l"],
            [2.6, 0.5, 1.3, 0.8, 0.8, 0.9, 1.8],
            note=_(
                "Lower / higher / same: participants whose later score is lower, higher or the same. p as R "
                "pairwise.wilcox.test(paired = TRUE), adjusted over the pairs that can be tested."
            ),
        )

    def followup_decision(self) -> str:
        f = self.a.followup
        assert f is not None
        lt = f.leading_test
        name = _("the repeated-measures ANOVA") if lt.test == "rm_anova" else _("the Friedman test")
        shown = ", ".join(
            f"{self._pair_label(pair)}: {self.peq(p, self.bound(lt.basis))}"
            for pair, p in lt.normality_p_values.items()
        )
        if lt.basis == "normality_not_testable":
            why = _("normality of the differences could not be tested")
        elif lt.differences_normal:
            why = _(
                "the differences of every pair look normal (%(test)s; %(p)s)",
                test=label(lt.basis, self.lang),
                p=shown,
            )
        else:
            why = _(
                "the differences of at least one pair do not look normal (%(test)s; %(p)s)",
                test=label(lt.basis, self.lang),
                p=shown,
            )
        head = _("The follow-up section leads with %(test)s because %(why)s.", test=name, why=why)
        if lt.correction:
            head += " " + _(
                "Sphericity: %(correction)s, by Mauchly's test and Girden's rule (ε < %(cut)s: "
                "Greenhouse-Geisser, else Huynh-Feldt).",
                correction=label(lt.correction, self.lang),
                cut=self.n(0.75),
            )
        if lt.p_value is None:
            why_not = explain_reason(lt.reason, self.lang)
            if not why_not.lower().startswith(("cannot be tested", "tidak dapat diuji")):
                why_not = _("Cannot be tested: %(reason)s", reason=why_not)
            return head + " " + why_not
        alpha = self.n(self.a.settings.alpha, 2)
        if not lt.significant:
            return (
                head
                + " "
                + _(
                    "With %(p)s, not below α = %(alpha)s, the scores do not differ significantly between the "
                    "three time points.",
                    p=self.peq(lt.p_value),
                    alpha=alpha,
                )
            )
        by_pair = {pw.pair: pw for pw in f.pairwise_wilcoxon}
        lasting = by_pair.get("followup_vs_post")
        d = f.descriptives
        if lasting is not None and lasting.significant and d["followup"].mean < d["post"].mean:
            how = _("knowledge fell significantly between the post-test and the follow-up")
        elif lasting is not None and lasting.significant:
            how = _("knowledge rose further between the post-test and the follow-up")
        else:
            how = _("the follow-up score does not differ significantly from the post-test score")
        return (
            head
            + " "
            + _(
                "With %(p)s, below α = %(alpha)s, the scores differ between the three time points; by the "
                "post-hoc tests, %(how)s.",
                p=self.peq(lt.p_value),
                alpha=alpha,
                how=how,
            )
        )

    def _pair_label(self, pair: str) -> str:
        later, earlier = pair.split("_vs_")
        return f"{self._time_label(later)} – {self._time_label(earlier)}"

    def followup_questions(self) -> None:
        f = self.a.followup
        assert f is not None
        if f.questions is None:
            why = (
                _("The follow-up used a parallel form: its questions are not compared one by one.")
                if self.d.has_followup and self.d.items_pre is not None
                else _(
                    "The answers cannot be compared question by question (parallel forms or several quizzes)."
                )
            )
            self.blocks.append(Para(why, "note"))
            return
        adj = label(self.a.settings.p_adjust, self.lang)
        numbered = next((t for t in self.blocks if isinstance(t, Table) and t.key == "questions"), None)
        rows = []
        for j, q in enumerate(f.questions, start=1):
            pct = q.cochran.percent_correct or [None, None, None]
            rows.append(
                [
                    str(j),
                    *(self.pct(v, 0) for v in pct),
                    self.n(q.cochran.q, 2)
                    if q.cochran.q is not None
                    else explain_reason(q.cochran.reason, self.lang),
                    self.p(q.p_value_adjusted),
                    *(self.p(pair.p_value_adjusted) for pair in q.pairs),
                ]
            )
        self.table(
            "followup_questions",
            _("Correct answers per question at the three time points (Cochran's Q)"),
            [
                _("No"),
                "Pre %",
                "Post %",
                "FU %",
                "Q",
                _("p (%(adj)s)", adj=adj),
                "p post–pre",
                "p FU–pre",
                "p FU–post",
            ],
            rows,
            ["r"] * 9,
            [0.8, 0.9, 0.9, 0.9, 1.1, 1.1, 1.1, 1.1, 1.1],
            note=(
                _("Questions numbered as in Table %(n)d.", n=numbered.number) + " "
                if numbered is not None
                else ""
            )
            + _(
                "Cochran's Q (df = 2) on the participants with all three tests, %(adj)s-adjusted over the "
                "questions that can be tested; the pairs: exact McNemar tests, %(adj)s-adjusted over each "
                "question's three pairs. FU: follow-up.",
                adj=adj,
            ),
        )


@dataclass
class Approval:
    """The approval block: 'Mengetahui,', place and date, and per signatory (role, name, NIP/NIDN line)."""

    block: ClassVar[str] = "approval"
    lead: str
    place_date: str
    signers: list[tuple[str, str, str]]

    def layout(self) -> list[list[tuple[str, str, str, str] | None]]:
        """Rows of (line above, role, name, NIP/NIDN line), as Indonesian letters place them.

        The first signatory on the left under "Mengetahui,", the last on the right under the place
        and date; any between them centred below (a row of one entry spans both columns). One
        signatory alone signs on the right.
        """
        cols = [(role, name, id_line) for role, name, id_line in self.signers]
        if len(cols) == 1:
            return [[None, (self.place_date, *cols[0])]]
        rows: list[list[tuple[str, str, str, str] | None]] = [
            [(self.lead, *cols[0]), (self.place_date, *cols[-1])]
        ]
        rows += [[("", *c)] for c in cols[1:-1]]
        return rows


@dataclass
class Placeholder:
    """A marked place the authors fill in (article draft): highlighted in Word."""

    block: ClassVar[str] = "placeholder"
    text: str


def join_words(items: list[str], lang: str) -> str:
    """'a, b dan c' / 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    word = "and" if lang == "en" else "dan"
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def add_results(blocks: list, report_blocks: list, lang: str) -> None:
    """The report's result blocks (between its Results heading and the appendices), renumbered from 1.

    The interpretation paragraph and the approval block are left out (the article has its own);
    a section heading becomes a second-level heading under "Results".
    """
    results, interpretation, appendices = _("Results"), _("Interpretation"), _("Appendices")
    inside, skip_next = False, False
    numbers = _Numbers()
    table_word, figure_word = _("Table"), _("Figure")
    for b in report_blocks:
        if isinstance(b, Heading) and b.text == results:
            inside = True
            continue
        if not inside:
            continue
        if isinstance(b, Heading) and b.text == appendices:
            break
        if isinstance(b, Heading) and b.text == interpretation:
            skip_next = True
            continue
        if skip_next and isinstance(b, Para):
            skip_next = False
            continue
        if isinstance(b, Approval):
            continue
        if isinstance(b, Table):
            k = numbers.next_table()
            b = dataclasses.replace(b, number=k, caption=f"{table_word} {k}. {b.title}")
        elif isinstance(b, Figure):
            k = numbers.next_figure()
            b = dataclasses.replace(b, number=k, caption=f"{figure_word} {k}. {b.title}")
        elif isinstance(b, Heading):
            b = Heading(b.text, 2)
        blocks.append(b)


def build_article(data: ReportData, result: FullAnalysis, lang: str = "id") -> Report:
    """The article draft (title, both abstracts, Metode, Hasil, Kesimpulan, references, marked places)."""
    with force_locale(lang):
        return _Builder(data, result, lang, False).article()


#: The methods the report uses, cited by author, title and year (APA style).
METHOD_REFERENCES = {
    "cohen": (
        "Cohen (1988)",
        "Cohen, J. (1988). Statistical power analysis for the behavioral sciences (2nd ed.). "
        "Lawrence Erlbaum Associates.",
    ),
    "hake": (
        "Hake (1998)",
        "Hake, R. R. (1998). Interactive-engagement versus traditional methods: A six-thousand-student "
        "survey of mechanics test data for introductory physics courses. American Journal of Physics, "
        "66(1), 64–74.",
    ),
    "holm": (
        "Holm (1979)",
        "Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian Journal "
        "of Statistics, 6(2), 65–70.",
    ),
    "kruskal": (
        "Kruskal & Wallis (1952)",
        "Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis. "
        "Journal of the American Statistical Association, 47(260), 583–621.",
    ),
    "kr20": (
        "Kuder & Richardson (1937)",
        "Kuder, G. F., & Richardson, M. W. (1937). The theory of the estimation of test reliability. "
        "Psychometrika, 2(3), 151–160.",
    ),
    "lilliefors": (
        "Lilliefors (1967)",
        "Lilliefors, H. W. (1967). On the Kolmogorov-Smirnov test for normality with mean and variance "
        "unknown. Journal of the American Statistical Association, 62(318), 399–402.",
    ),
    "mcnemar": (
        "McNemar (1947)",
        "McNemar, Q. (1947). Note on the sampling error of the difference between correlated proportions "
        "or percentages. Psychometrika, 12(2), 153–157.",
    ),
    "shapiro": (
        "Shapiro & Wilk (1965)",
        "Shapiro, S. S., & Wilk, M. B. (1965). An analysis of variance test for normality (complete "
        "samples). Biometrika, 52(3–4), 591–611.",
    ),
    "student": (
        "Student (1908)",
        "Student. (1908). The probable error of a mean. Biometrika, 6(1), 1–25.",
    ),
    "wilcoxon": (
        "Wilcoxon (1945)",
        "Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics Bulletin, 1(6), 80–83.",
    ),
    "wilson": (
        "Wilson (1927)",
        "Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. "
        "Journal of the American Statistical Association, 22(158), 209–212.",
    ),
}

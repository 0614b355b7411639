"""The report as a list of blocks (headings, paragraphs, numbered tables and figures).

Built once from `ReportData` and the `FullAnalysis` of analysis/, then drawn by
the PDF (pdf.py), Word (word.py) and HTML (the results page) renderers, so the
three show the same numbers in the same order. Statistics are never computed
here: every figure is read from the analysis result; numbers are formatted with
analysis.format in the report's language (decimal comma in Indonesian).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
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

if TYPE_CHECKING:  # the statistics (scipy, statsmodels) load when a report is built
    from analysis import FullAnalysis


#: English terms an Indonesian text keeps, printed in italics as Indonesian style guides ask.
FOREIGN_TERMS = re.compile(
    r"(?<![\w-])(one-group pretest-posttest|pre-test|post-test|pretest|posttest|signed-rank|rank-biserial"
    r"|ties|N-gain|asymptotic|effect size|follow-up)(?![\w-])",
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
            self.followup()
            self.blocks.append(Heading(_("Interpretation")))
            self.blocks.append(Para(self.interpretation()))
        if appendix:
            self.blocks.append(Heading(_("Appendices")))
            self.scores_appendix()
            self.attendance()
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

    def categories(self) -> None:
        cats = self.a.knowledge_categories
        if not cats:
            return
        pre, post = cats["pre"], cats["post"]
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
            rows.append([ch.characteristic, "", "", ""])
            order = self.d.characteristic_order(keys.get(ch.characteristic, ""), self.lang)
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
        rows = []
        for i, q in enumerate(it.changes, start=1):
            rows.append(
                [
                    str(i),
                    stems.get(q.question, q.question),
                    str(q.n),
                    self.pct(q.percent_correct_pre),
                    self.pct(q.percent_correct_post),
                    self.p(q.p_value),
                    self.p(q.p_value_holm),
                    "*" if q.significant else "",
                ]
            )
        self.table(
            "questions",
            _("Percent correct per question before and after"),
            [_("No"), _("Question"), "n", _("Pre %"), _("Post %"), "p", _("p (Holm)"), ""],
            rows,
            ["r", "l", "r", "r", "r", "r", "r", "l"],
            [0.5, 5.1, 0.55, 0.95, 0.95, 0.85, 1.25, 0.3],
            note=_(
                "n: participants who took both tests. p: McNemar's test as SPSS computes it (exact binomial "
                "when fewer than 25 participants changed their answer, otherwise the chi-square with continuity "
                "correction); p (Holm): corrected for the number of questions; * significant after correction."
            ),
        )
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
        note = _(
            "Everyone who took that test, so n may differ from the table of both tests. p: difficulty (share "
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

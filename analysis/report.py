"""Text tables of a ``FullAnalysis`` in Indonesian or English (used by ``python -m analysis``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .format import (
    LILLIEFORS_LOWER_BOUND,
    explain_reason,
    format_number,
    format_p,
    format_p_phrase,
    format_percent,
    label,
)
from .summary import FullAnalysis

__all__ = ["render_text"]


def _table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = (
        [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
        if rows
        else [len(h) for h in header]
    )

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        )

    rule = "-" * len(line(header))
    return "\n".join([title, rule, line(header), rule, *(line(r) for r in rows), rule])


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def render_text(a: FullAnalysis, lang: str = "id") -> str:
    """The tables of a pre/post report as plain text, numbered as in a laporan.

    Examples
    --------
    >>> from analysis import analyse
    >>> text = render_text(analyse([60, 70, 50, 80], [80, 90, 70, 85]), "en")
    >>> "Paired t-test" in text and "Wilcoxon" in text
    True
    """
    n = lambda v, d=2: format_number(v, d, lang)  # noqa: E731
    p = lambda v: format_p(v, lang)  # noqa: E731
    pct = lambda v: format_percent(v, 1, lang)  # noqa: E731
    out: list[str] = []
    number = iter(range(1, 100))
    title = lambda id_t, en_t: f"{_t(lang, 'Tabel', 'Table')} {next(number)}. {_t(lang, id_t, en_t)}"  # noqa: E731

    c = a.counts
    out.append(
        _table(
            title("Jumlah Peserta", "Participants"),
            [_t(lang, "Kelompok", "Group"), "n"],
            [
                [_t(lang, "Seluruh peserta", "All participants"), str(c.n_participants)],
                [
                    _t(lang, "Mengikuti pre-test dan post-test (dianalisis)", "Took both tests (analysed)"),
                    str(c.n_paired),
                ],
                [
                    _t(lang, "Hanya pre-test (tidak dianalisis)", "Pre-test only (not analysed)"),
                    str(c.n_pre_only),
                ],
                [
                    _t(lang, "Hanya post-test (tidak dianalisis)", "Post-test only (not analysed)"),
                    str(c.n_post_only),
                ],
            ],
        )
    )
    if a.reason:
        out.append(explain_reason(a.reason, lang))
        out += [f"  {o.participant} ({o.test}): {n(o.value)}" for o in a.out_of_range]
        return "\n\n".join(out) + "\n"

    for ch in a.characteristics:
        out.append(
            _table(
                title(
                    f"Karakteristik Responden: {ch.characteristic}",
                    f"Participant characteristics: {ch.characteristic}",
                ),
                [ch.characteristic, "f", "%"],
                [
                    [label(r.category, lang) if not r.category else r.category, str(r.count), pct(r.percent)]
                    for r in ch.frequencies
                ],
            )
        )

    d = a.descriptives or {}
    out.append(
        _table(
            title("Statistik Deskriptif", "Descriptive statistics"),
            [
                "",
                "n",
                _t(lang, "Rerata", "Mean"),
                "SD",
                "Median",
                "Q1",
                "Q3",
                "Min",
                "Maks" if lang == "id" else "Max",
            ],
            [
                [
                    label(k, lang),
                    str(v.n),
                    n(v.mean),
                    n(v.sd),
                    n(v.median),
                    n(v.q1),
                    n(v.q3),
                    n(v.min),
                    n(v.max),
                ]
                for k, v in d.items()
            ],
        )
    )

    cats = a.knowledge_categories or {}
    if cats:
        pre_c, post_c = cats["pre"], cats["post"]
        out.append(
            _table(
                title("Distribusi Pengetahuan Sebelum dan Sesudah", "Knowledge before and after"),
                [_t(lang, "Kategori", "Category"), "Pre f", "Pre %", "Post f", "Post %"],
                [
                    [label(x.category, lang), str(x.count), pct(x.percent), str(y.count), pct(y.percent)]
                    for x, y in zip(pre_c.categories, post_c.categories, strict=False)
                ],
            )
        )

    norm = a.normality or {}
    out.append(
        _table(
            title("Uji Normalitas Selisih (post − pre)", "Normality of the differences (post − pre)"),
            [
                _t(lang, "Uji", "Test"),
                _t(lang, "Statistik", "Statistic"),
                "n",
                "p",
                _t(lang, "Keterangan", "Note"),
            ],
            [
                [
                    label(k, lang),
                    n(v.statistic, 3),
                    str(v.n),
                    format_p(
                        v.p_value, lang, lower_bound=LILLIEFORS_LOWER_BOUND if k == "lilliefors" else None
                    ),
                    explain_reason(v.reason, lang)
                    or (
                        _t(lang, "normal", "normal")
                        if v.p_value is not None and v.p_value > a.settings.alpha
                        else _t(lang, "tidak normal", "not normal")
                    ),
                ]
                for k, v in norm.items()
            ],
        )
    )

    tt = a.paired_t_test
    if tt is not None:
        ci = f"{n(tt.ci_low)} {_t(lang, 's.d.', 'to')} {n(tt.ci_high)}"
        out.append(
            _table(
                title("Hasil Uji t Berpasangan", "Paired t-test"),
                [
                    _t(lang, "Selisih rerata", "Mean difference"),
                    "SD",
                    "IK 95%" if lang == "id" else "95% CI",
                    "t",
                    "df",
                    "p",
                    "d_z",
                ],
                [
                    [
                        n(tt.mean_difference),
                        n(tt.sd_difference),
                        ci,
                        n(tt.t, 3),
                        str(tt.df or "–"),
                        p(tt.p_value),
                        n(tt.cohens_dz),
                    ]
                ],
            )
        )
        if tt.reason:
            out.append(explain_reason(tt.reason, lang))

    w = a.wilcoxon
    if w is not None:
        out.append(
            _table(
                title("Hasil Uji Wilcoxon (Ranks)", "Wilcoxon signed-rank test (Ranks)"),
                [
                    "",
                    "n",
                    _t(lang, "Rerata ranking", "Mean rank"),
                    _t(lang, "Jumlah ranking", "Sum of ranks"),
                ],
                [
                    [
                        label("negative_ranks", lang),
                        str(w.n_negative),
                        n(w.mean_rank_negative),
                        n(w.sum_ranks_negative),
                    ],
                    [
                        label("positive_ranks", lang),
                        str(w.n_positive),
                        n(w.mean_rank_positive),
                        n(w.sum_ranks_positive),
                    ],
                    [label("ties", lang), str(w.n_zero), "", ""],
                    ["Total", str(w.n_pairs), "", ""],
                ],
            )
        )
        out.append(
            _table(
                _t(lang, "Statistik uji Wilcoxon", "Wilcoxon test statistics"),
                [
                    "Z (SPSS)",
                    "p (SPSS, asimptotik)" if lang == "id" else "p (SPSS, asymptotic)",
                    "V (R)",
                    "p (R)",
                    _t(lang, "metode R", "R method"),
                    "r",
                    "r_rb",
                ],
                [
                    [
                        n(w.z, 3),
                        p(w.p_value_asymptotic),
                        n(w.v, 1),
                        p(w.p_value),
                        label(w.method or "", lang) if w.method else "–",
                        n(w.effect_size_r),
                        n(w.rank_biserial),
                    ]
                ],
            )
        )
        if w.z_based_on is not None:
            out.append(
                _t(lang, "Z: ", "Z: ")
                + (
                    label("equal_sums", lang)
                    if w.z_based_on == "equal_sums"
                    else _t(lang, "berdasarkan ", "based on ") + label(w.z_based_on, lang).lower()
                )
            )
        if w.reason:
            out.append(explain_reason(w.reason, lang))
        if w.digits_rank is not None:
            out.append(_tie_rule(w.digits_rank, lang))

    hl = a.hodges_lehmann
    if hl is not None:
        level = hl.confidence_achieved if hl.confidence_achieved is not None else hl.confidence
        out.append(
            _table(
                title("Median Selisih (Hodges-Lehmann)", "Median difference (Hodges-Lehmann)"),
                [
                    _t(lang, "Estimasi", "Estimate"),
                    f"IK {pct(100 * level)}" if lang == "id" else f"{pct(100 * level)} CI",
                    _t(lang, "metode R", "R method"),
                ],
                [
                    [
                        n(hl.estimate),
                        f"{n(hl.ci_low)} {_t(lang, 's.d.', 'to')} {n(hl.ci_high)}",
                        label(hl.method, lang) if hl.method else "–",
                    ]
                ],
            )
        )
        if hl.reason:
            out.append(explain_reason(hl.reason, lang))

    lt = a.leading_test
    if lt is not None:
        out.append(_decision(a, lang))

    g = a.normalized_gain
    if g is not None:
        out.append(
            _table(
                title("N-Gain", "Normalized gain"),
                ["", _t(lang, "Nilai", "Value"), _t(lang, "Kategori", "Category")],
                [
                    [
                        _t(lang, "Rerata N-gain individu", "Mean of individual gains"),
                        n(g.mean_individual_gain),
                        label(g.mean_individual_gain_category or "", lang)
                        if g.mean_individual_gain_category
                        else "–",
                    ],
                    [
                        _t(lang, "N-gain rerata kelas <g>", "Class-average gain <g>"),
                        n(g.class_average_gain),
                        label(g.class_average_gain_category or "", lang)
                        if g.class_average_gain_category
                        else "–",
                    ],
                    [
                        _t(lang, "N-gain (%)", "N-gain (%)"),
                        pct(g.effectiveness_percent),
                        label(g.effectiveness_category or "", lang) if g.effectiveness_category else "–",
                    ],
                ],
            )
        )
        if g.n_excluded_pre_at_max:
            out.append(
                _t(
                    lang,
                    f"{g.n_excluded_pre_at_max} peserta dengan pre-test = nilai maksimal tidak memiliki N-gain individu.",
                    f"{g.n_excluded_pre_at_max} participants with pre = maximum have no individual gain.",
                )
            )

    pu = a.proportion_understood
    if pu is not None:
        out.append(
            _table(
                title("Proporsi Peserta yang Memahami", "Proportion who understood"),
                [
                    _t(lang, "Ambang", "Threshold"),
                    "k",
                    "n",
                    "%",
                    "IK 95% (Wilson)" if lang == "id" else "95% CI (Wilson)",
                ],
                [
                    [
                        pct(pu.threshold_percent),
                        str(pu.k),
                        str(pu.n),
                        pct(None if pu.proportion is None else 100 * pu.proportion),
                        f"{pct(None if pu.ci_low is None else 100 * pu.ci_low)} – "
                        f"{pct(None if pu.ci_high is None else 100 * pu.ci_high)}",
                    ]
                ],
            )
        )

    if a.items is not None:
        out.append(
            _table(
                title(
                    "Jawaban Benar per Soal Sebelum dan Sesudah",
                    "Percent correct per question before and after",
                ),
                [
                    _t(lang, "Soal", "Question"),
                    "n",
                    "Pre %",
                    "Post %",
                    "p (McNemar)",
                    f"p ({label(a.settings.p_adjust, lang)})",
                    "",
                ],
                [
                    [
                        q.question,
                        str(q.n),
                        pct(q.percent_correct_pre),
                        pct(q.percent_correct_post),
                        p(q.p_value),
                        p(q.p_value_adjusted),
                        "*" if q.significant else "",
                    ]
                    for q in a.items.changes
                ],
            )
        )
        for key, quality in (("pre", a.items.quality_pre), ("post", a.items.quality_post)):
            out.append(
                _table(
                    title(f"Kualitas Soal ({label(key, lang)})", f"Item quality ({label(key, lang)})"),
                    [
                        _t(lang, "Soal", "Question"),
                        "p",
                        _t(lang, "Kategori", "Category"),
                        "r_it",
                        _t(lang, "Validitas", "Validity"),
                        "D (27%)",
                        _t(lang, "Daya beda (Ebel)", "Discrimination (Ebel)"),
                        _t(lang, "KR-20 jika dihapus", "KR-20 if deleted"),
                        _t(lang, "Catatan", "Flags"),
                    ],
                    [
                        [
                            i.question,
                            n(i.difficulty),
                            label(i.difficulty_category, lang) if i.difficulty_category else "–",
                            n(i.corrected_item_total, 3),
                            "–" if i.valid is None else label("valid" if i.valid else "not_valid", lang),
                            n(i.upper_lower_index),
                            label(i.discrimination_category, lang) if i.discrimination_category else "–",
                            n(i.alpha_if_deleted, 3),
                            ", ".join(label(f, lang) for f in i.flags),
                        ]
                        for i in quality.items
                    ],
                )
            )
            r = quality.reliability
            out.append(
                f"KR-20 ({label(key, lang)}): {n(r.coefficient, 3)} (n = {r.n}) {explain_reason(r.reason, lang)}"
            )
            if quality.r_table is not None:
                df = quality.n_complete - 2
                alpha_txt = format_number(quality.validity_alpha, 2, lang)
                out.append(
                    _t(
                        lang,
                        f"Validitas butir: r item-total terkoreksi dibandingkan dengan r tabel = "
                        f"{n(quality.r_table, 3)} (df = n − 2 = {df}, α = {alpha_txt}, dua sisi); "
                        "valid bila r > r tabel.",
                        f"Item validity: corrected item-total r against r table = {n(quality.r_table, 3)} "
                        f"(df = n − 2 = {df}, α = {alpha_txt}, two-sided); valid when r > r table.",
                    )
                )

    if a.followup is not None:
        out += _followup_tables(a, lang, title)
    if a.attitude is not None:
        out += _attitude_tables(a, lang, title)
    if a.two_groups is not None:
        out += _two_group_tables(a, lang, title)
    if a.topics:
        adj = label(a.settings.p_adjust, lang)
        out.append(
            _table(
                title("Pengetahuan per Topik", "Knowledge per topic"),
                [
                    _t(lang, "Topik", "Topic"),
                    _t(lang, "Soal", "Items"),
                    "n",
                    "Pre %",
                    "Post %",
                    "<g>",
                    "p (Wilcoxon)",
                    f"p ({adj})",
                    "",
                ],
                [
                    [
                        t.topic,
                        str(t.n_items),
                        str(t.n),
                        pct(t.percent_correct_pre),
                        pct(t.percent_correct_post),
                        n(t.class_average_gain),
                        p(t.wilcoxon.p_value) if t.wilcoxon else "–",
                        p(t.p_value_adjusted),
                        "*" if t.significant else "",
                    ]
                    for t in a.topics
                ],
            )
        )
        out.append(
            _t(lang, f"Topik dengan kurang dari 3 soal hanya dideskripsikan; koreksi {adj} atas topik yang diuji.",
               f"Topics of fewer than 3 questions are described, not tested; {adj} over the topics tested.")
        )  # fmt: skip

    for ch in a.characteristics:
        if ch.reason:
            continue
        rows = [[gr.group, str(gr.n), n(gr.mean), n(gr.sd), n(gr.median)] for gr in ch.groups]
        out.append(
            _table(
                title(f"Peningkatan Nilai menurut {ch.characteristic}", f"Gain by {ch.characteristic}"),
                [ch.characteristic, "n", _t(lang, "Rerata", "Mean"), "SD", "Median"],
                rows,
            )
        )
        lines = []
        for test in (ch.kruskal_wallis, ch.one_way_anova):
            if test is not None:
                lines.append(
                    f"{label(test.test, lang)}: {n(test.statistic, 3)}, df = {test.df if test.df is not None else '–'}"
                    f", p = {p(test.p_value)} {explain_reason(test.reason, lang)}"
                )
        if ch.ancova is not None:
            lines.append(
                f"ANCOVA (post ~ pre + {ch.characteristic}): F = {n(ch.ancova.f, 3)}, p = {p(ch.ancova.p_value)} "
                f"{explain_reason(ch.ancova.reason, lang)}"
            )
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _followup_tables(a: FullAnalysis, lang: str, title: Callable[[str, str], str]) -> list[str]:
    """Pre, post and follow-up: dropout patterns, descriptives, Friedman, post-hoc, RM ANOVA, questions."""
    f = a.followup
    assert f is not None  # only called when present
    n = lambda v, d=2: format_number(v, d, lang)  # noqa: E731
    p = lambda v: format_p(v, lang)  # noqa: E731
    adj = label(a.settings.p_adjust, lang)
    c = f.counts
    out = [
        _table(
            title("Keikutsertaan Pre-test, Post-test dan Follow-up", "Who took pre, post and follow-up"),
            [_t(lang, "Pola", "Pattern"), "n"],
            [
                [
                    _t(lang, "Pre + post + follow-up (dianalisis)", "Pre + post + follow-up (analysed)"),
                    str(c.n_complete),
                ],
                [_t(lang, "Pre + post saja", "Pre + post only"), str(c.n_pre_post)],
                [_t(lang, "Pre + follow-up saja", "Pre + follow-up only"), str(c.n_pre_followup)],
                [_t(lang, "Post + follow-up saja", "Post + follow-up only"), str(c.n_post_followup)],
                [
                    _t(lang, "Hanya satu tes", "One test only"),
                    str(c.n_pre_only + c.n_post_only + c.n_followup_only),
                ],
                [_t(lang, "Tidak ada nilai", "No score"), str(c.n_none)],
            ],
        )
    ]
    out.append(
        _table(
            title("Statistik Deskriptif per Waktu Pengukuran", "Descriptive statistics per time point"),
            ["", "n", _t(lang, "Rerata", "Mean"), "SD", "Median", "Min", "Maks" if lang == "id" else "Max"],
            [
                [label(k, lang), str(v.n), n(v.mean), n(v.sd), n(v.median), n(v.min), n(v.max)]
                for k, v in f.descriptives.items()
            ],
        )
    )
    fr, aov = f.friedman, f.rm_anova
    lines = [
        f"Friedman: χ² = {n(fr.statistic, 3)}, df = {fr.df if fr.df is not None else '–'}, {format_p_phrase(fr.p_value, lang)}, "
        f"Kendall's W = {n(fr.kendalls_w, 3)} {explain_reason(fr.reason, lang)}".rstrip(),
        f"{_t(lang, 'ANOVA pengukuran berulang', 'Repeated-measures ANOVA')}: F({aov.df_time}, {aov.df_error}) = "
        f"{n(aov.f, 3)}, {format_p_phrase(aov.p_value, lang)}, {_t(lang, 'eta kuadrat parsial', 'partial eta squared')} = "
        f"{n(aov.partial_eta_squared, 3)} {explain_reason(aov.reason, lang)}".rstrip(),
        f"Mauchly W = {n(aov.mauchly_w, 3)}, {format_p_phrase(aov.mauchly_p_value, lang)}; Greenhouse-Geisser ε = "
        f"{n(aov.epsilon_gg, 3)}, {format_p_phrase(aov.p_value_gg, lang)}; Huynh-Feldt ε = {n(aov.epsilon_hf, 3)}, "
        f"{format_p_phrase(aov.p_value_hf, lang)}"
        + (_t(lang, " (ε > 1 dipakai sebagai 1 untuk p)", " (ε > 1 taken as 1 for p)")
           if aov.epsilon_hf is not None and aov.epsilon_hf > 1 else ""),
    ]  # fmt: skip
    out.append("\n".join([title("Uji Pengukuran Berulang", "Repeated-measures tests"), *lines]))
    out.append(
        _table(
            title(
                f"Uji Lanjut Wilcoxon Berpasangan (koreksi {adj})", f"Post-hoc paired Wilcoxon tests ({adj})"
            ),
            [_t(lang, "Pasangan", "Pair"), "n", "Z (SPSS)", "V (R)", "p (R)", f"p ({adj})", ""],
            [
                [
                    f"{label(pw.later, lang)} – {label(pw.earlier, lang)}",
                    str(pw.wilcoxon.n_pairs),
                    n(pw.wilcoxon.z, 3),
                    n(pw.wilcoxon.v, 1),
                    p(pw.wilcoxon.p_value),
                    p(pw.p_value_adjusted),
                    "*" if pw.significant else explain_reason(pw.wilcoxon.reason, lang),
                ]
                for pw in f.pairwise_wilcoxon
            ],
        )
    )
    lt = f.leading_test
    test_name = (
        _t(lang, "ANOVA pengukuran berulang", "repeated-measures ANOVA")
        if lt.test == "rm_anova"
        else "Friedman"
    )
    why = (
        _t(lang, "selisih setiap pasangan berdistribusi normal", "the differences of every pair look normal")
        if lt.differences_normal
        else _t(lang, "normalitas tidak terpenuhi atau tidak dapat diuji",
                "normality does not hold or cannot be tested")
    )  # fmt: skip
    sentence = _t(lang, f"Uji utama: {test_name}, karena {why} ({label(lt.basis, lang)}).",
                  f"Leading test: {test_name}, because {why} ({label(lt.basis, lang)}).")  # fmt: skip
    if lt.correction:
        sentence += f" {_t(lang, 'Koreksi', 'Correction')}: {label(lt.correction, lang)}."
    if lt.p_value is not None:
        sentence += " " + (
            _t(lang, f"Terdapat perbedaan bermakna antar waktu pengukuran ({format_p_phrase(lt.p_value, lang)}).",
               f"The scores differ significantly between the time points ({format_p_phrase(lt.p_value, lang)}).")
            if lt.significant
            else _t(lang, f"Tidak terdapat perbedaan bermakna antar waktu pengukuran ({format_p_phrase(lt.p_value, lang)}).",
                    f"The scores do not differ significantly between the time points ({format_p_phrase(lt.p_value, lang)}).")
        )  # fmt: skip
    else:
        sentence += " " + explain_reason(lt.reason, lang)
    out.append(sentence)
    if f.questions:
        out.append(
            _table(
                title(
                    "Jawaban Benar per Soal pada Tiga Waktu",
                    "Percent correct per question at three time points",
                ),
                [
                    _t(lang, "Soal", "Question"),
                    "n",
                    "Pre %",
                    "Post %",
                    "Follow-up %",
                    "Cochran Q",
                    "p",
                    f"p ({adj})",
                    "p post–pre",
                    "p FU–pre",
                    "p FU–post",
                ],
                [
                    [
                        q.question,
                        str(q.cochran.n),
                        *(
                            [format_percent(v, 1, lang) for v in q.cochran.percent_correct]
                            if q.cochran.percent_correct
                            else ["–"] * 3
                        ),
                        n(q.cochran.q, 3),
                        p(q.cochran.p_value),
                        p(q.p_value_adjusted),
                        *(p(pair.p_value_adjusted) for pair in q.pairs),
                    ]
                    for q in f.questions
                ],
            )
        )
        out.append(
            _t(
                lang,
                f"p pasangan: McNemar eksak, koreksi {adj} atas tiga pasangan setiap soal.",
                f"Pair p: exact McNemar, {adj}-adjusted over each question's three pairs.",
            )
        )
    return out


_LIKERT = {
    "5": ("SS", "Sangat setuju", "SA", "Strongly agree"),
    "4": ("S", "Setuju", "A", "Agree"),
    "3": ("R", "Ragu-ragu", "U", "Undecided"),
    "2": ("TS", "Tidak setuju", "D", "Disagree"),
    "1": ("STS", "Sangat tidak setuju", "SD", "Strongly disagree"),
}


def _attitude_tables(a: FullAnalysis, lang: str, title: Callable[[str, str], str]) -> list[str]:
    """The attitude scale: totals and tests, reliability, categories, statements, Spearman."""
    at = a.attitude
    assert at is not None  # only called when present
    n = lambda v, d=2: format_number(v, d, lang)  # noqa: E731
    p = lambda v: format_p(v, lang)  # noqa: E731
    pct = lambda v: format_percent(v, 1, lang)  # noqa: E731
    adj = label(a.settings.p_adjust, lang)
    rows = [
        [label(key, lang), str(v["n"]), n(v["mean"]), n(v["sd"]), n(v["median"])]
        for key, v in at.totals.items()
    ]
    out = [
        _table(
            title(
                f"Skor Total Sikap ({len(at.statements)} pernyataan, maksimal {at.max_total})",
                f"Attitude total ({len(at.statements)} statements, maximum {at.max_total})",
            ),
            ["", "n", _t(lang, "Rerata", "Mean"), "SD", "Median"],
            rows,
        )
    ]
    tt, w = at.paired_t_test, at.wilcoxon
    reverse = ", ".join(at.reverse) or "–"
    out.append(
        "\n".join(
            [
                _t(
                    lang,
                    f"Pernyataan yang diskor terbalik (6 − x): {reverse}.",
                    f"Reverse-scored statements (6 − x): {reverse}.",
                ),
                f"{label('paired_t_test', lang)}: t = {n(tt.t, 3)}, df = {tt.df if tt.df is not None else '–'}, "
                f"{format_p_phrase(tt.p_value, lang)} {explain_reason(tt.reason, lang)}".rstrip(),
                f"{label('wilcoxon_signed_rank', lang)}: Z = {n(w.z, 3)}, V = {n(w.v, 1)}, "
                f"{format_p_phrase(w.p_value, lang)} {explain_reason(w.reason, lang)}".rstrip(),
                "Cronbach's α: pre = "
                f"{n(at.reliability_pre.coefficient, 3)} (n = {at.reliability_pre.n}), post = "
                f"{n(at.reliability_post.coefficient, 3)} (n = {at.reliability_post.n}); "
                + _t(lang, "semua pernyataan dipertahankan.", "every statement kept."),
            ]
        )
    )
    cp, cq = at.categories_pre, at.categories_post
    rule = (
        _t(lang, f"persen dari skor maksimal (baik ≥ {n(cp.cutoffs['baik'], 0)}%, cukup ≥ {n(cp.cutoffs['cukup'], 0)}%)",
           f"percent of the maximum (good ≥ {n(cp.cutoffs['baik'], 0)}%, fair ≥ {n(cp.cutoffs['cukup'], 0)}%)")
        if cp.rule == "percent" and cp.cutoffs
        else _t(lang, f"skor T ≥ 50, yaitu total ≥ rerata pre-test ({n(cp.reference)})",
                f"T score ≥ 50, i.e. total ≥ the pre-test mean ({n(cp.reference)})")
    )  # fmt: skip
    out.append(
        _table(
            title("Kategori Sikap Sebelum dan Sesudah", "Attitude categories before and after"),
            [_t(lang, "Kategori", "Category"), "Pre f", "Pre %", "Post f", "Post %"],
            [
                [label(x.category, lang), str(x.count), pct(x.percent), str(y.count), pct(y.percent)]
                for x, y in zip(cp.categories, cq.categories, strict=True)
            ],
        )
        + "\n"
        + _t(lang, f"Aturan kategori: {rule}.", f"Category rule: {rule}.")
    )
    header = [_t(lang, "Pernyataan", "Statement"), ""]
    short = 0 if lang == "id" else 2
    header += [f"{_LIKERT[str(v)][short]} %" for v in (5, 4, 3, 2, 1)]
    header += [_t(lang, "Rerata pre", "Mean pre"), _t(lang, "Rerata post", "Mean post"), "p", f"p ({adj})"]
    out.append(
        _table(
            title("Sebaran Jawaban per Pernyataan", "Answers per statement"),
            header,
            [
                [
                    item.statement,
                    "(−)" if item.reverse else "",
                    *(
                        f"{format_number(x.percent, 0, lang)}/{format_number(y.percent, 0, lang)}"
                        for x, y in zip(item.distribution_pre, item.distribution_post, strict=True)
                    ),
                    n(item.mean_pre),
                    n(item.mean_post),
                    p(item.wilcoxon.p_value),
                    p(item.p_value_adjusted),
                ]
                for item in at.items
            ],
        )
        + "\n"
        + _t(lang, "Persen pre/post. ", "Percent pre/post. ")
        + ", ".join(f"{v[short]} = {v[short + 1]}" for v in _LIKERT.values())
        + _t(
            lang,
            "; (−) diskor terbalik; rerata dan p pada skor setelah pembalikan.",
            "; (−) reverse-scored; means and p on the scored answers.",
        )
    )
    rho = at.knowledge_attitude_spearman
    if rho is not None:
        out.append(
            _t(lang, "Korelasi Spearman peningkatan pengetahuan dan peningkatan sikap",
               "Spearman correlation of the knowledge gain and the attitude gain")
            + f": rho = {n(rho.rho, 3)}, n = {rho.n}, {format_p_phrase(rho.p_value, lang)} {explain_reason(rho.reason, lang)}".rstrip()
        )  # fmt: skip
    return out


def _two_group_tables(a: FullAnalysis, lang: str, title: Callable[[str, str], str]) -> list[str]:
    """Two groups: baseline equivalence, gains, ANCOVA, post categories."""
    tg = a.two_groups
    assert tg is not None  # only called when present
    n = lambda v, d=2: format_number(v, d, lang)  # noqa: E731
    if tg.reason:
        return [explain_reason(tg.reason, lang)]
    assert tg.baseline_mann_whitney and tg.baseline_welch and tg.gain_mann_whitney and tg.gain_student
    assert tg.gain_welch and tg.ancova and tg.post_categories
    ga, gb = tg.group_a or "", tg.group_b or ""

    def mw_row(name: str, m: Any) -> list[str]:
        return [
            name,
            "Mann-Whitney",
            f"U = {n(m.u, 1)}, Z = {n(m.z, 3)}, r = {n(m.effect_size_r)}",
            format_p_phrase(m.p_value, lang),
        ]

    def t_row(name: str, t: Any, kind: str) -> list[str]:
        return [name, kind, f"{_t(lang, 'selisih', 'difference')} = {n(t.mean_difference)}, t = {n(t.t, 3)}, "
                f"df = {n(t.df, 1)}", format_p_phrase(t.p_value, lang)]  # fmt: skip

    pre_name, gain_name = _t(lang, "Pre-test", "Pre-test"), _t(lang, "Peningkatan", "Gain")
    out = [
        _table(
            title(f"Perbandingan Dua Kelompok: {gb} dan {ga}", f"Two groups compared: {gb} and {ga}"),
            [
                _t(lang, "Variabel", "Variable"),
                _t(lang, "Uji", "Test"),
                _t(lang, "Statistik", "Statistic"),
                "p",
            ],
            [
                mw_row(pre_name, tg.baseline_mann_whitney),
                t_row(pre_name, tg.baseline_welch, "Welch t"),
                mw_row(gain_name, tg.gain_mann_whitney),
                t_row(gain_name, tg.gain_student, "Student t"),
                t_row(gain_name, tg.gain_welch, "Welch t"),
            ],
        )
        + "\n"
        + _t(
            lang,
            f"n: {ga} = {tg.n_a}, {gb} = {tg.n_b}; selisih = {gb} − {ga}.",
            f"n: {ga} = {tg.n_a}, {gb} = {tg.n_b}; difference = {gb} − {ga}.",
        )
    ]
    an = tg.ancova
    out.append(
        _t(
            lang,
            f"ANCOVA (post ~ pre + kelompok, uji utama): F({an.df}, {an.df_resid}) = {n(an.f, 3)}, "
            f"{format_p_phrase(an.p_value, lang)}, eta kuadrat parsial = {n(an.partial_eta_squared, 3)}; rerata "
            f"terkoreksi (pada pre = {n(an.pre_mean)}): {ga} = {n(an.adjusted_mean_a)}, {gb} = "
            f"{n(an.adjusted_mean_b)}, selisih = {n(an.adjusted_difference)} (IK 95% {n(an.ci_low)} s.d. "
            f"{n(an.ci_high)}). {explain_reason(an.reason, lang)}",
            f"ANCOVA (post ~ pre + group, leading): F({an.df}, {an.df_resid}) = {n(an.f, 3)}, "
            f"{format_p_phrase(an.p_value, lang)}, partial eta squared = {n(an.partial_eta_squared, 3)}; adjusted means "
            f"(at pre = {n(an.pre_mean)}): {ga} = {n(an.adjusted_mean_a)}, {gb} = {n(an.adjusted_mean_b)}, "
            f"difference = {n(an.adjusted_difference)} (95% CI {n(an.ci_low)} to {n(an.ci_high)}). "
            f"{explain_reason(an.reason, lang)}",
        ).rstrip()
    )
    pc = tg.post_categories
    test = (
        _t(
            lang,
            "uji eksak Fisher (ada frekuensi harapan < 5)",
            "Fisher's exact test (an expected count < 5)",
        )
        if pc.test == "fisher_exact"
        else "chi-square" + (" (Yates)" if pc.yates else "")
    )
    out.append(
        _table(
            title("Kategori Pengetahuan Post-test per Kelompok", "Post-test knowledge categories by group"),
            [_t(lang, "Kategori", "Category"), ga, gb],
            [
                [label(c, lang), str(x), str(y)]
                for c, x, y in zip(pc.categories, pc.counts_a, pc.counts_b, strict=True)
            ],
        )
        + "\n"
        + f"{test}: χ² = {n(pc.chi_square, 3)}, df = {pc.df if pc.df is not None else '–'}, "
        f"{format_p_phrase(pc.p_value, lang)} {explain_reason(pc.reason, lang)}".rstrip()
    )
    return out


def _tie_rule(digits: int, lang: str) -> str:
    """The method note on ties, so that a reviewer rerunning R gets the same p."""
    return _t(
        lang,
        f"Aturan ties: selisih dibulatkan ke {digits} angka penting sebelum nol dan ties ditentukan "
        f"(R: wilcox.test(post, pre, paired = TRUE, digits.rank = {digits})); wilcox.test dengan "
        "bawaan R (digits.rank = Inf) dapat memberi p lain bila selisih sama di atas kertas tetapi "
        "berbeda di digit terakhir.",
        f"Tie rule: differences are rounded to {digits} significant digits before zeros and ties are "
        f"found (R: wilcox.test(post, pre, paired = TRUE, digits.rank = {digits})); plain wilcox.test "
        "(digits.rank = Inf) can give another p when differences equal on paper differ in the last digit.",
    )


def _decision(a: FullAnalysis, lang: str) -> str:
    lt = a.leading_test
    assert lt is not None  # only called when present
    alpha = format_number(a.settings.alpha, 2, lang)
    if lt.basis == "normality_not_testable":
        why = _t(
            lang,
            "normalitas tidak dapat diuji, maka dipakai uji yang tidak mengasumsikan normalitas",
            "normality could not be tested, so the test that does not assume it leads",
        )
    else:
        verdict = (
            _t(lang, "berdistribusi normal", "look normal")
            if lt.differences_normal
            else _t(lang, "tidak berdistribusi normal", "do not look normal")
        )
        bound = LILLIEFORS_LOWER_BOUND if lt.basis == "lilliefors" else None
        norm_p = format_p_phrase(lt.normality_p_value, lang, lower_bound=bound)
        why = _t(
            lang,
            f"selisih {verdict} ({label(lt.basis, lang)}, {norm_p})",
            f"the differences {verdict} ({label(lt.basis, lang)}, {norm_p})",
        )
    rule = _t(
        lang,
        f"Aturan normalitas: {label(lt.normality_rule, lang)}.",
        f"Normality rule: {label(lt.normality_rule, lang)}.",
    )
    head = _t(
        lang,
        f"Uji utama: {label(lt.test, lang)}, karena {why}. {rule}",
        f"Leading test: {label(lt.test, lang)}, because {why}. {rule}",
    )
    if lt.p_value is None:
        return head + " " + explain_reason(lt.reason, lang)
    phrase = format_p_phrase(lt.p_value, lang)
    if lt.significant and lt.direction == "decrease":
        body = _t(
            lang,
            f"Terdapat penurunan pengetahuan yang bermakna sesudah edukasi dibandingkan sebelumnya ({phrase}; α = {alpha}).",
            f"Knowledge fell significantly after the education compared with before ({phrase}; α = {alpha}).",
        )
    elif lt.significant:
        body = _t(
            lang,
            f"Terdapat peningkatan pengetahuan yang bermakna sesudah edukasi dibandingkan sebelumnya ({phrase}; α = {alpha}).",
            f"Knowledge rose significantly after the education compared with before ({phrase}; α = {alpha}).",
        )
    else:
        body = _t(
            lang,
            f"Tidak terdapat perbedaan pengetahuan yang bermakna sebelum dan sesudah edukasi ({phrase}; α = {alpha}).",
            f"There is no significant difference in knowledge before and after the education ({phrase}; α = {alpha}).",
        )
    return head + " " + body

"""Text tables of a ``FullAnalysis`` in Indonesian or English (used by ``python -m analysis``)."""

from __future__ import annotations

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
        if w.reason:
            out.append(explain_reason(w.reason, lang))

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
                [_t(lang, "Soal", "Question"), "n", "Pre %", "Post %", "p (McNemar)", "p (Holm)", ""],
                [
                    [
                        q.question,
                        str(q.n),
                        pct(q.percent_correct_pre),
                        pct(q.percent_correct_post),
                        p(q.p_value),
                        p(q.p_value_holm),
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
                        "D (27%)",
                        _t(lang, "Catatan", "Flags"),
                    ],
                    [
                        [
                            i.question,
                            n(i.difficulty),
                            label(i.difficulty_category, lang) if i.difficulty_category else "–",
                            n(i.corrected_item_total),
                            n(i.upper_lower_index),
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
    head = _t(
        lang,
        f"Uji utama: {label(lt.test, lang)}, karena {why}.",
        f"Leading test: {label(lt.test, lang)}, because {why}.",
    )
    if lt.p_value is None:
        return head + " " + explain_reason(lt.reason, lang)
    phrase = format_p_phrase(lt.p_value, lang)
    if lt.significant:
        body = _t(
            lang,
            f"Terdapat perbedaan pengetahuan yang bermakna sebelum dan sesudah edukasi ({phrase}; α = {alpha}).",
            f"There is a significant difference in knowledge before and after the education ({phrase}; α = {alpha}).",
        )
    else:
        body = _t(
            lang,
            f"Tidak terdapat perbedaan pengetahuan yang bermakna sebelum dan sesudah edukasi ({phrase}; α = {alpha}).",
            f"There is no significant difference in knowledge before and after the education ({phrase}; α = {alpha}).",
        )
    return head + " " + body

"""Knowledge per topic (issue 18, part 3) against R run live: topic sub-scores, wilcox.test and p.adjust."""

import numpy as np
import pytest

from analysis.topics import topic_knowledge

from .rlive import r_matrix, r_str, run_r

TAGS = ["produksi"] * 5 + ["posisi"] * 4 + ["asi_perah"] * 3 + ["mitos"] * 2 + [None]


def answers(n=45, seed=3):
    rng = np.random.default_rng(seed)
    k = len(TAGS)
    pre = (rng.random((n, k)) < 0.45).astype(float)
    post = np.maximum(pre, (rng.random((n, k)) < 0.45).astype(float))
    pre[rng.random((n, k)) < 0.05] = np.nan  # blank = wrong
    post[:, 9:12] = pre[:, 9:12]  # nothing learnt on asi_perah: its sub-scores never change
    return pre, post


def test_topics_equal_r():
    """R: per topic, sub <- 100 * rowSums(x[, cols], na.rm = TRUE) / length(cols); mean; Hake's <g>;
    wilcox.test(post_sub, pre_sub, paired = TRUE, digits.rank = 7) for topics of >= 3 items; p.adjust('holm')."""
    pre, post = answers()
    tags = ["" if t is None else t for t in TAGS]
    r = run_r(
        f"pre <- {r_matrix(pre)}; post <- {r_matrix(post)}; tags <- {r_str(tags)}; ps <- c()\n"
        "for (t in c('produksi', 'posisi', 'asi_perah', 'mitos')) { cols <- which(tags == t)\n"
        "  a <- 100 * rowSums(pre[, cols, drop = FALSE], na.rm = TRUE) / length(cols)\n"
        "  b <- 100 * rowSums(post[, cols, drop = FALSE], na.rm = TRUE) / length(cols)\n"
        "  out(paste0('m_', t), c(mean(a), mean(b), (mean(b) - mean(a)) / (100 - mean(a))))\n"
        "  p <- NA; if (length(cols) >= 3) { w <- suppressWarnings(wilcox.test(b, a, paired = TRUE, digits.rank = 7))\n"
        "    p <- if (is.finite(w$p.value)) w$p.value else NA }\n"
        "  ps <- c(ps, p) }\n"
        "out('p', ps); out('padj', p.adjust(ps, 'holm'))"
    )
    res = topic_knowledge(pre, post, TAGS)
    assert [t.topic for t in res] == ["produksi", "posisi", "asi_perah", "mitos"]  # untagged left out
    for i, t in enumerate(res):
        m_pre, m_post, g = r[f"m_{t.topic}"]
        assert (t.percent_correct_pre, t.percent_correct_post, t.class_average_gain) == pytest.approx(
            (m_pre, m_post, g), rel=1e-12
        )
        if np.isnan(r["p"][i]):
            assert t.p_value_adjusted is None
        else:
            assert t.wilcoxon.p_value == pytest.approx(r["p"][i], rel=1e-12)
            assert t.p_value_adjusted == pytest.approx(r["padj"][i], rel=1e-12)
    assert res[2].wilcoxon.reason == "all_differences_zero"  # asi_perah: R cannot test, leaves the family
    assert res[3].reason == "fewer_than_three_items" and res[3].wilcoxon is None


def test_analyse_carries_topics_of_the_paired_participants():
    from analysis.report import render_text
    from analysis.summary import analyse

    pre, post = answers(n=30)
    score_pre, score_post = 100 * np.nansum(pre, 1) / 15, 100 * np.nansum(post, 1) / 15
    score_post[0] = np.nan  # a dropout: not in the topic figures
    a = analyse(score_pre, score_post, items_pre=pre, items_post=post, topics=TAGS)
    assert a.topics[0].n == 29
    assert a.topics[0].percent_correct_pre == pytest.approx(
        topic_knowledge(pre[1:], post[1:], TAGS)[0].percent_correct_pre
    )
    assert "Knowledge per topic" in render_text(a, "en")
    with pytest.raises(ValueError, match="topics"):
        topic_knowledge(pre, post, TAGS[:-1])

"""Corner cases get a reason in plain words instead of a number or a crash."""

import math

import numpy as np
import pytest

from analysis import (
    analyse,
    describe,
    gain_by_characteristic,
    kr20,
    lilliefors,
    mcnemar_exact,
    normalized_gain,
    paired_t_test,
    question_changes,
    shapiro_wilk,
    wilcoxon_signed_rank,
    wilson_ci,
)
from analysis.format import explain_reason, format_p


def test_fewer_than_two_pairs_is_not_tested():
    assert paired_t_test([50], [60]).reason == "fewer_than_two_pairs"
    assert wilcoxon_signed_rank([50, np.nan], [60, 70]).reason == "fewer_than_two_pairs"


def test_all_differences_zero_is_not_tested():
    """scipy's Wilcoxon says p = 1 here; R refuses; we give the reason."""
    w = wilcoxon_signed_rank([50, 60, 70], [50, 60, 70])
    assert w.reason == "all_differences_zero" and w.p_value is None and w.n_zero == 3
    assert paired_t_test([50, 60, 70], [50, 60, 70]).reason == "constant_differences"


def test_equal_nonzero_differences_are_not_a_t_test():
    """scipy gives t = inf, p = 0; R says 'data are essentially constant'."""
    pre = np.array([1, 4, 7, 10]) * 100 / 15
    r = paired_t_test(pre, pre + 100 / 15)
    assert r.reason == "constant_differences" and r.t is None
    assert r.mean_difference == pytest.approx(100 / 15)


def test_quiz_differences_are_ties_after_rounding():
    """100*k/15 differences that are equal on paper are ties, not 'almost equal' values."""
    pre = np.array([1, 2, 3, 4, 5, 6]) * 100 / 15
    post = np.array([3, 4, 5, 6, 7, 9]) * 100 / 15
    r = wilcoxon_signed_rank(pre, post)
    assert r.has_ties and r.method == "normal"


def test_identical_values_refused_by_normality_tests():
    assert shapiro_wilk([5.0] * 10).reason == "identical_values"
    assert lilliefors([5.0] * 10).reason == "identical_values"
    assert shapiro_wilk([1.0, 2.0]).reason == "too_few_values"
    assert lilliefors([1.0, 2.0, 3.0, 4.0]).reason == "too_few_values"


def test_shapiro_wilk_refuses_more_than_5000_values_as_r_does():
    x = np.random.default_rng(1).normal(size=5001)
    assert shapiro_wilk(x).reason == "too_many_values"


def test_mcnemar_without_changed_participants_cannot_be_tested():
    r = mcnemar_exact([1, 0, 1], [1, 0, 1])
    assert r.reason == "no_changes" and r.p_value is None


def test_question_nobody_changed_on_does_not_count_for_holm():
    pre = [[0, 1]] * 6
    post = [[1, 1]] * 6
    a, b = question_changes(pre, post, ["a", "b"])
    assert b.reason == "no_changes" and b.p_value_holm is None
    assert a.p_value_holm == a.p_value == pytest.approx(0.03125)


def test_missing_values_are_left_out_and_counted():
    d = describe([1.0, np.nan, 3.0])
    assert (d.n, d.n_missing, d.mean) == (2, 1, 2.0)
    r = analyse([50, 60, np.nan, 70, np.nan], [70, np.nan, 80, 90, np.nan])
    c = r.counts
    assert (c.n_paired, c.n_pre_only, c.n_post_only, c.n_no_scores) == (2, 1, 1, 1)
    assert r.paired_t_test.n == 2


def test_scores_outside_range_give_reason_and_name_the_participant():
    r = analyse([50, 120, 60], [70, 80, -1], participant_ids=["A", "B", "C"])
    assert r.reason == "scores_out_of_range"
    assert [(o.participant, o.test, o.value) for o in r.out_of_range] == [
        ("B", "pre", 120.0),
        ("C", "post", -1.0),
    ]
    assert r.paired_t_test is None
    assert "outside" in explain_reason(r.reason, "en")


def test_pre_at_max_is_counted_and_excluded_from_individual_gain():
    g = normalized_gain([100, 100], [100, 90])
    assert g.reason == "all_pre_at_max" and g.n_excluded_pre_at_max == 2
    assert g.class_average_gain is None


def test_constant_scores_do_not_crash_the_whole_analysis():
    r = analyse([60] * 5, [60] * 5, items_pre=[[1, 0]] * 5, items_post=[[1, 0]] * 5)
    assert r.wilcoxon.reason == "all_differences_zero"
    assert r.leading_test.p_value is None and r.leading_test.significant is None
    assert r.items.quality_pre.reliability.reason == "no_variance"
    assert kr20([[1, 0]] * 5).reason == "no_variance"
    assert r.normalized_gain.mean_individual_gain == 0


def test_one_group_cannot_be_compared():
    r = gain_by_characteristic([50, 60], [70, 80], ["SMA", "SMA"], "education")
    assert r.kruskal_wallis.reason == "fewer_than_two_groups"
    assert r.ancova.reason == "fewer_than_two_groups"


def test_wilson_with_no_participants():
    assert wilson_ci(0, 0).reason == "no_values"


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: paired_t_test([1, 2], [1, 2, 3]), "pre and post"),
        (lambda: paired_t_test([1, 2], [1, math.inf]), "post"),
        (lambda: paired_t_test([1, 2], [1, 2], alternative="bigger"), "alternative"),
        (lambda: wilcoxon_signed_rank([1, 2], [1, 2], digits_rank=0), "digits_rank"),
        (lambda: kr20([[1, 2], [0, 1]]), "items"),
        (lambda: wilson_ci(5, 3), "k"),
        (lambda: normalized_gain([1], [2], max_score=0), "max_score"),
        (lambda: analyse([1], [2], items_pre=[[1]]), "items_pre"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


def test_p_values_print_as_reviewers_expect():
    assert format_p(0.0004) == "< 0,001"
    assert format_p(0.0004, "en") == "< 0.001"
    assert format_p(0.05) == "0,050"

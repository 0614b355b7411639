"""Invariants that must hold on any data (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import analyse, paired_t_test, wilcoxon_signed_rank

# Quiz-like scores: 100 * correct / questions, the values the app produces.
QUESTIONS = st.sampled_from([5, 10, 15, 20, 40])


@st.composite
def quiz_pairs(draw, min_size=0, max_size=40):
    k = draw(QUESTIONS)
    n = draw(st.integers(min_size, max_size))
    pre = draw(st.lists(st.integers(0, k), min_size=n, max_size=n))
    post = draw(st.lists(st.integers(0, k), min_size=n, max_size=n))
    return np.array(pre) * 100.0 / k, np.array(post) * 100.0 / k


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
maybe_missing = st.one_of(finite, st.just(float("nan")))


@settings(max_examples=150, deadline=None)
@given(quiz_pairs())
def test_swapping_pre_and_post_flips_signs_and_keeps_p(data):
    pre, post = data
    t1, t2 = paired_t_test(pre, post), paired_t_test(post, pre)
    assert t1.reason == t2.reason
    if t1.t is not None:
        assert np.isclose(t1.t, -t2.t) and np.isclose(t1.p_value, t2.p_value, rtol=1e-9)
        assert np.isclose(t1.cohens_dz, -t2.cohens_dz)
    w1, w2 = wilcoxon_signed_rank(pre, post), wilcoxon_signed_rank(post, pre)
    assert w1.reason == w2.reason
    if w1.p_value is not None:
        assert np.isclose(w1.p_value, w2.p_value, rtol=1e-9)
        assert w1.v == w2.sum_ranks_negative and w1.n_positive == w2.n_negative
        assert np.isclose(w1.z, w2.z) and np.isclose(w1.rank_biserial, -w2.rank_biserial)


@settings(max_examples=150, deadline=None)
@given(quiz_pairs(), st.integers(-50, 50))
def test_adding_a_constant_to_both_changes_nothing(data, c):
    pre, post = data
    t1, t2 = paired_t_test(pre, post), paired_t_test(pre + c, post + c)
    assert t1.reason == t2.reason
    if t1.t is not None:
        assert np.isclose(t1.t, t2.t, rtol=1e-7) and np.isclose(t1.p_value, t2.p_value, rtol=1e-6, atol=1e-12)
    w1, w2 = wilcoxon_signed_rank(pre, post), wilcoxon_signed_rank(pre + c, post + c)
    assert (w1.reason, w1.v, w1.n_zero, w1.method) == (w2.reason, w2.v, w2.n_zero, w2.method)
    if w1.p_value is not None:
        assert np.isclose(w1.p_value, w2.p_value, rtol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(maybe_missing, maybe_missing), max_size=60))
def test_any_finite_input_gives_p_in_0_1_and_no_exception(rows):
    pre = np.array([r[0] for r in rows], dtype=float)
    post = np.array([r[1] for r in rows], dtype=float)
    for res in (paired_t_test(pre, post), wilcoxon_signed_rank(pre, post)):
        for p in (res.p_value, getattr(res, "p_value_asymptotic", None)):
            assert p is None or 0.0 <= p <= 1.0


@settings(max_examples=60, deadline=None)
@given(quiz_pairs(max_size=30), st.integers(0, 2**32 - 1))
def test_full_analysis_never_crashes_and_keeps_p_in_range(data, seed):
    pre, post = data
    rng = np.random.default_rng(seed)
    n = pre.size
    pre = np.where(rng.random(n) < 0.1, np.nan, pre)
    items_pre = rng.integers(0, 2, (n, 4)).astype(float)
    items_post = rng.integers(0, 2, (n, 4)).astype(float)
    labels = rng.choice(["a", "b", "c"], n).tolist()
    r = analyse(pre, post, items_pre=items_pre, items_post=items_post, characteristics={"g": labels})
    d = r.to_dict()
    ps = [d["paired_t_test"]["p_value"], d["wilcoxon"]["p_value"], d["normality"]["shapiro_wilk"]["p_value"]]
    ps += [q["p_value_holm"] for q in d["items"]["changes"]]
    assert all(p is None or 0 <= p <= 1 for p in ps)

"""Published R and SPSS output for McNemar (exact), KR-20/alpha and the Wilson interval."""

# --- Case 11: McNemar exact = binomial on the discordant pairs, R ---------------------------
# Source: scipy/stats/tests/test_morestats.py, TestBinomTest.test_two_sided_pvalues2,
# "Expected results here are from R binom.test":
# > binom.test(3, 10, 0.5)$p.value        # 3 became wrong, 7 became right
# [1] 0.34375
BINOM_3_OF_10_P = 0.34375
# Same class, test_edge_cases: binom.test(7, 13, 0.5) and binom.test(6, 11, 0.5) give p = 1.
BINOM_EDGE = [(7, 13), (6, 11)]

# --- Case 12: McNemar exact, SPSS CROSSTABS /STATISTICS=MCNEMAR --------------------------------
# Source: tutoraspire.com "McNemar's Test in SPSS" (a copy of Statology's tutorial):
# 25 people; before/after table Do Not Support/Support: 7, 5 / 3, 10 (after rows x before cols).
# SPSS "McNemar Test ... Exact Sig. (2-sided)" = .727  ("Binomial distribution used.")
SPSS_SUPPORT_TABLE = {"both_no": 7, "no_to_yes": 3, "yes_to_no": 5, "both_yes": 10}
SPSS_SUPPORT_P = 0.727

# --- Case 13: McNemar exact, SPSS, pre-test/post-test ------------------------------------------
# Source: Dr. Grande, "Using the McNemar test in SPSS" (lecture notes, coconote.app):
# 90 participants, 70 using substances before; 15 switched to no use, 2 switched to use.
# SPSS McNemar "Exact Sig. (2-tailed)" = .002 (both CROSSTABS and NPAR TESTS /MCNEMAR).
SPSS_SUBSTANCE = {"to_no_use": 15, "to_use": 2, "n": 90, "using_before": 70}
SPSS_SUBSTANCE_P = 0.002

# --- Case 14: KR-20 / Cronbach's alpha on 0/1 items --------------------------------------------
# Source: pingouin tests/test_reliability.py (raphaelvallat/pingouin), dataset
# datasets/cronbach_wide_missing.csv; R:
# > psych::alpha(data[complete.cases(data), ])     # raw_alpha
#   0.801695   (pingouin asserts round(alpha, 6) == 0.801695)
# 12 participants x 11 questions, blanks = missing; 9 complete rows.
NAN = float("nan")
KR20_DATA = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
    [NAN, 0, 1, 1, NAN, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0],
    [0, 1, NAN, 0, 1, 1, 1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
    [1, 0, 0, 1, 0, 1, 0, 0, NAN, 0, 0],
    [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
]
KR20_COMPLETE_CASES = 0.801695

# --- Case 15: Wilson interval --------------------------------------------------------------
# Source: scipy/stats/tests/test_morestats.py, TestBinomTest.test_ci_wilson_method,
# "Expected results are from the prop.test function in R 3.6.2":
# > prop.test(3, 10, correct = FALSE)$conf.int     ->  0.1077913 0.6032219
# > prop.test(0, 10, correct = FALSE)$conf.int     ->  0.0000000 0.2775328
# > prop.test(10, 10, correct = FALSE)$conf.int    ->  0.7224672 1.0000000
WILSON = [(3, 10, 0.1077913, 0.6032219), (0, 10, 0.0, 0.2775328), (10, 10, 0.7224672, 1.0)]

# --- Case 16: McNemar as SPSS chooses it: exact below 25 changes, chi-square from 25 ---------------
# SPSS NPAR TESTS /MCNEMAR (IBM SPSS Statistics 24 Command Syntax Reference, MCNEMAR subcommand):
# "If fewer than 25 cases change values ..., the binomial distribution is used to compute the
# probability"; otherwise the chi-square with continuity correction. R 4.2 (Debian r-base-core):
# > r <- mcnemar.test(matrix(c(3, 18, 7, 2), 2))   # 7 wrong->right... 18 right->wrong: 25 changes
# > r$statistic; r$p.value     ->  4          0.0455002638963585
# > binom.test(7, 24)$p.value   ->  0.0639146566390992      (24 changes: exact)
MCNEMAR_25 = (3, 7, 18, 2)  # both right, became right, became wrong, both wrong
MCNEMAR_25_CHI2 = 4.0
MCNEMAR_25_P = 0.0455002638963585
MCNEMAR_24_P = 0.0639146566390992

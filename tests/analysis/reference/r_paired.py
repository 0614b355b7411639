"""Published R output for the paired tests. Each number sits under the R call that printed it.

Tolerance in the tests = the digits published here.
"""

# --- Case 1: paired t-test on R's sleep data -------------------------------------------------
# Source: R documentation example ?t.test / ?sleep; output as printed in
# J. Meys & A. de Vries, "R For Dummies", "How to compare paired data with R"
# (dummies.com), and quoted in the project issue.
# > t.test(extra ~ group, data = sleep, paired = TRUE)
#   t = -4.0621, df = 9, p-value = 0.002833
#   95 percent confidence interval: -2.4598858 -0.7001142
#   mean of the differences -1.58
# The printed call is group 1 - group 2; our post = group 2, pre = group 1 flips the signs.
SLEEP_GROUP1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
SLEEP_T = 4.0621
SLEEP_DF = 9
SLEEP_P = 0.002833
SLEEP_CI = (0.7001142, 2.4598858)
SLEEP_MEAN_DIFF = 1.58

# --- Case 2: Wilcoxon, exact distribution (no ties, no zeros), n = 10 ------------------------
# Source: scipy/stats/tests/test_morestats.py, TestWilcoxon.test_exact_pval,
# "expected values computed with R version 4.0.3 (2020-10-10)":
# > x <- c(1.81, 0.82, 1.56, -0.48, 0.81, 1.28, -1.04, 0.23, -0.75, 0.14)
# > y <- c(0.71, 0.65, -0.2, 0.85, -1.1, -0.45, -0.84, -0.24, -0.68, -0.76)
# > wilcox.test(x - y, exact=TRUE, alternative=...)$p.value
EXACT_X = [1.81, 0.82, 1.56, -0.48, 0.81, 1.28, -1.04, 0.23, -0.75, 0.14]
EXACT_Y = [0.71, 0.65, -0.2, 0.85, -1.1, -0.45, -0.84, -0.24, -0.68, -0.76]
EXACT_P = {"two-sided": 0.10546875, "less": 0.95800781256, "greater": 0.052734375}

# --- Case 3: Wilcoxon, exact distribution, n = 20 ----------------------------------------------
# Same source and R version:
# > x <- 0:19 + 0.5; y <- 20:1
# > wilcox.test(x, y, paired=TRUE, exact=TRUE, alternative=...)$p.value
EXACT20_X = [i + 0.5 for i in range(20)]
EXACT20_Y = [20.0 - i for i in range(20)]
EXACT20_P = {"two-sided": 0.8694877624511719, "less": 0.4347438812255859, "greater": 0.5795888900756836}

# --- Case 4: Wilcoxon, normal approximation with ties AND a zero ------------------------------
# Source: scipy/stats/tests/test_morestats.py, TestWilcoxon.test_onesided,
# "tested against R version 4.0.3 (2020-10-10)":
# > x <- c(125, 115, 130, 140, 140, 115, 140, 125, 140, 135)
# > y <- c(110, 122, 125, 120, 140, 124, 123, 137, 135, 145)
# > cfg <- list(x = x, y = y, paired = TRUE, exact = FALSE)
# > do.call(wilcox.test, c(cfg, list(alternative = "less", correct = FALSE)))    # V = 27
# x - y has one zero (140 - 140) and ties (5, 5), so R's default is this normal approximation.
TIES_X = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135]
TIES_Y = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145]
TIES_V = 27
TIES_P = {
    ("less", False): 0.7031847042787,
    ("less", True): 0.72336564289,
    ("greater", False): 0.2968152957213,
    ("greater", True): 0.3176446594176,
}

# --- Case 5: Wilcoxon, all differences tied -------------------------------------------------
# Source: scipy/stats/tests/test_morestats.py, TestWilcoxon.test_wilcoxon_tie (gh-2391):
# > result = wilcox.test(rep(0.1, 10), exact=FALSE, correct=FALSE); result$p.value
# [1] 0.001565402258002551
# > result = wilcox.test(rep(0.1, 10), exact=FALSE, correct=TRUE); result$p.value
# [1] 0.00190419504300439
# correct=FALSE is SPSS's asymptotic significance (tie-corrected, no continuity correction).
ALL_TIED_P_CORRECTED = 0.00190419504300439
ALL_TIED_P_UNCORRECTED = 0.001565402258002551

# --- Case 6: Wilcoxon, normal approximation without ties, n = 12 ------------------------------
# Source: scipy/stats/tests/test_morestats.py, TestWilcoxon.test_accuracy_wilcoxon:
# > options(digits=16)
# > wilcox.test(x, y, paired=TRUE, exact=FALSE, correct={FALSE,TRUE})   # V = 34
NOTIES_X = [120, 114, 181, 188, 180, 146, 121, 191, 132, 113, 127, 112]
NOTIES_Y = [133, 143, 119, 189, 112, 199, 198, 113, 115, 121, 142, 187]
NOTIES_V = 34
NOTIES_P_UNCORRECTED = 0.6948866023724735
NOTIES_P_CORRECTED = 0.7240816609153895

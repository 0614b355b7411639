"""Published R output for Shapiro-Wilk and Lilliefors, each under its R call."""

# --- Case 7: Shapiro-Wilk, three values -------------------------------------------------------
# Source: scipy/stats/tests/test_morestats.py, TestShapiro.test_length_3_gh18322:
# > options(digits=16)
# > x = c(-0.7746653110021126, -0.4344432067942129, 1.8157053280290931)
# > shapiro.test(x)
SW3_X = [-0.7746653110021126, -0.4344432067942129, 1.8157053280290931]
SW3_W = 0.84658770645509
SW3_P = 0.2313666489882

# --- Case 8: Shapiro-Wilk, values close together (gh-14462) -----------------------------------
# Source: scipy/stats/tests/test_morestats.py, TestShapiro.test_gh14462, "Reference from R":
# > options(digits=16)
# > x = c(0.00000000e+00, 3.39996924e-08, -6.35166875e-09)
# > shapiro.test(x)
SW_SMALL_X = [0.00000000e00, 3.39996924e-08, -6.35166875e-09]
SW_SMALL = (0.86468431705371, 0.2805581751566)  # W, p; scipy compares with rtol=1e-5

# --- Case 9: Shapiro-Wilk, n = 100 ---------------------------------------------------------
# Source: scipy/stats/tests/test_morestats.py, TestShapiro.test_basic, "Verified against R":
# x3 = stats.norm.rvs(loc=5, scale=3, size=100, random_state=12345678)
# W = 0.9772805571556091 (6 decimals), p = 0.08144091814756393 (3 decimals)
SW100_SEED = 12345678
SW100_W = 0.9772805571556091
SW100_P = 0.08144091814756393

# --- Case 10: Lilliefors, n = 500 -------------------------------------------------------------
# Source: statsmodels/stats/tests/test_lilliefors.py, TestLilliefors.test_normal / test_expon:
# rs = np.random.RandomState(3975); x_n = stats.norm.rvs(size=500, random_state=rs)
# > require(nortest)
# > lillie.test(x_n)
#   D = 0.025957 (statsmodels checks 3 decimals)
# The p-value statsmodels stores beside it (0.64175) does not follow from D = 0.025957 and
# n = 500 through nortest's published formula (which gives 0.569), so only D is used here.
# rs = np.random.RandomState(3975); x_e = stats.expon.rvs(size=500, random_state=rs)
# > lillie.test(x_e)
#   D = 0.15581, p-value < 2.2e-16
LILLIE_SEED = 3975
LILLIE_NORMAL_D = 0.025957
LILLIE_EXPON_D = 0.15581
LILLIE_EXPON_P_BELOW = 2.2e-16

"""Small pure pieces of the exports: formula neutralising and SPSS-safe names."""

from app.services.exports import neutralise, spss_name


def test_neutralise_quotes_every_formula_prefix_and_nothing_else():
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(prefix + "SUM(A1)") == "'" + prefix + "SUM(A1)"
    assert neutralise("Siti") == "Siti" and neutralise("") == "" and neutralise("a=b") == "a=b"


def test_spss_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [spss_name(t, taken) for t in ("pre_hormon-pembuat-asi", "_age", "1st", "age", "AGE", "x" * 80)]
    assert names[:5] == ["pre_hormon_pembuat_asi", "age", "v_1st", "age_2", "AGE_3"]
    assert all(n[0].isalpha() and len(n) <= 64 for n in names)

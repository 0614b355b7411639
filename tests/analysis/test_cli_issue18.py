"""The command line reads the follow-up, attitude and group columns and prints every new figure as JSON."""

import json

import numpy as np
import pytest

from analysis.__main__ import main
from analysis.io import DataFileError, read_session_file

from .rlive import r_matrix, run_r


def cadre_file(tmp_path, n=36, seed=4, sep=";"):
    """A semicolon CSV as Indonesian Excel writes it: items 0/1 for three tests, eight attitude statements, groups."""
    rng = np.random.default_rng(seed)
    k = 6
    head = ["participant", "group", "pendidikan"]
    head += [f"pre_q{j}" for j in range(1, k + 1)] + [f"post_q{j}" for j in range(1, k + 1)]
    head += [f"followup_q{j}" for j in range(1, k + 1)]
    head += [f"att_pre_s{j}" for j in range(1, 9)] + [f"att_post_s{j}" for j in range(1, 9)]
    lines = [sep.join(head)]
    for i in range(n):
        pre = (rng.random(k) < 0.4).astype(int)
        post = np.maximum(pre, (rng.random(k) < 0.5).astype(int))
        fu = np.where(rng.random(k) < 0.2, 1 - post, post)
        ap = rng.integers(1, 6, 8)
        aq = np.clip(ap + rng.integers(0, 2, 8), 1, 5)
        cells = [f"P{i:03d}", "intervensi" if i % 2 else "kontrol", "SMA" if i % 3 else "SD"]
        pre_cells = [str(v) for v in pre]
        if i == 0:
            pre_cells = [""] * k  # did not take the pre-test
        fu_cells = [str(v) for v in fu] if i != 1 else [""] * k  # did not come back
        cells += pre_cells + [str(v) for v in post] + fu_cells
        att_pre = [str(v) for v in ap]
        if i == 2:
            att_pre[3] = ""  # one statement unanswered: no total
        cells += att_pre + [str(v) for v in aq]
        lines.append(sep.join(cells))
    path = tmp_path / "kader.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_new_columns_are_read(tmp_path):
    data = read_session_file(cadre_file(tmp_path))
    assert data.questions == [f"q{j}" for j in range(1, 7)]
    assert data.items_followup.shape == (36, 6) and np.isnan(data.followup[1]) and np.isnan(data.pre[0])
    assert data.attitude_statements == [f"s{j}" for j in range(1, 9)]
    assert data.attitude_pre.shape == (36, 8) and np.isnan(data.attitude_pre[2, 3])
    assert data.groups[:2] == ["kontrol", "intervensi"]
    assert list(data.characteristics) == ["pendidikan"]  # group and the new columns are not characteristics


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("participant,pre_q1,post_q1,att_pre_s1,att_post_s1\nA,1,1,6,3\n", "att_pre_s1", "1, 2, 3, 4, 5"),
        ("participant,pre_q1,post_q1,followup_q1\nA,1,1,2\n", "followup_q1", r"0 \(wrong\)"),
        ("participant,pre_q1,post_q1,att_pre_s1\nA,1,1,3\n", "att_pre_s1", "att_post_s1"),
        ("participant,pre_q1,pre_q2,post_q1,post_q2,followup_q1\nA,1,1,1,1,1\n", "pre_q2", "followup_q2"),
        ("participant,pre,post,followup\nA,50,60,170\n", "followup", "between 0 and 100"),
    ],
)
def test_bad_new_columns_name_the_column(tmp_path, text, column, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as err:
        read_session_file(path)
    assert err.value.column == column


def test_json_prints_every_new_section_and_friedman_equals_r(tmp_path, capsys):
    """R: friedman.test on the complete cases of the three scores read from the file."""
    path = cadre_file(tmp_path)
    argv = ["report", str(path), "--format", "json", "--attitude-reverse", "s2,s5",
            "--topic", "laktasi=q1,q2,q3", "--topic", "gizi=q4,q5", "--p-adjust", "bonferroni"]  # fmt: skip
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("hodges_lehmann", "followup", "attitude", "topics", "two_groups"):
        assert out[key] is not None, key
    assert out["settings"]["p_adjust"] == "bonferroni"
    assert out["attitude"]["reverse"] == ["s2", "s5"] and out["attitude"]["n_paired"] == 35
    assert [t["topic"] for t in out["topics"]] == ["laktasi", "gizi"]
    assert out["topics"][1]["reason"] == "fewer_than_three_items"
    assert out["two_groups"]["group_a"] == "kontrol"
    assert out["followup"]["counts"]["n_complete"] == 34
    q = out["items"]["quality_pre"]["items"][0]
    assert {"alpha_if_deleted", "valid", "discrimination_category"} <= set(q)
    data = read_session_file(path)
    y = np.column_stack([data.pre, data.post, data.followup])
    r = run_r(
        f"f <- friedman.test({r_matrix(y[~np.isnan(y).any(axis=1)])}); out('f', c(f$statistic, f$p.value))"
    )
    fr = out["followup"]["friedman"]
    assert (fr["statistic"], fr["p_value"]) == pytest.approx(tuple(r["f"]), rel=1e-12)


def test_text_report_has_the_new_tables(tmp_path, capsys):
    assert main(["report", str(cadre_file(tmp_path)), "--attitude-reverse", "s2,s5", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    for words in ("Friedman", "Cronbach", "ANCOVA", "Hodges-Lehmann", "Tie rule", "Normality rule"):
        assert words in text, words


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--attitude-reverse", "s9"], "not on the scale"),
        (["--topic", "x=q99"], "q99"),
    ],
)
def test_bad_options_exit_2_with_a_message(tmp_path, capsys, extra, message):
    assert main(["report", str(cadre_file(tmp_path)), *extra]) == 2
    assert message in capsys.readouterr().err


def test_attitude_reverse_without_attitude_columns_is_an_error(tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_text("participant,pre,post\nA,40,60\nB,50,70\n", encoding="utf-8")
    assert main(["report", str(path), "--attitude-reverse", "s2"]) == 2
    assert "att_pre_" in capsys.readouterr().err


def test_every_documented_reason_code_has_words_in_both_languages():
    import re
    from pathlib import Path

    from analysis.format import explain_reason

    readme = (Path(__file__).resolve().parents[2] / "analysis" / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Reason codes") : readme.index("## Conventions")]
    codes = re.findall(r"`([a-z_]+)`", section.split("Texts:")[0])
    assert "fewer_than_three_items" in codes and "more_than_two_groups" in codes
    for code in codes:
        for lang in ("id", "en"):
            assert explain_reason(code, lang) not in ("", code), (code, lang)

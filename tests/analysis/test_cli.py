"""Files from outside the app: CSV/XLSX reading and ``python -m analysis report``."""

import json

import numpy as np
import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.io import DataFileError, read_session_file


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_csv_with_bom_and_decimal_comma_is_read(tmp_path):
    path = write(tmp_path, "skor.csv", "\ufeffparticipant;pre;post;pendidikan\nA;55,5;80;SMA\nB;60;;SD\n")
    data = read_session_file(path)
    assert data.participants == ["A", "B"]
    assert data.pre.tolist() == [55.5, 60.0]
    assert data.post[0] == 80.0 and np.isnan(data.post[1])
    assert data.characteristics == {"pendidikan": ["SMA", "SD"]}


def test_item_columns_give_scores_and_answers(tmp_path):
    path = write(tmp_path, "items.csv", "participant,pre_q1,pre_q2,post_q1,post_q2\nA,1,0,1,1\nB,,,1,0\n")
    data = read_session_file(path)
    assert data.questions == ["q1", "q2"]
    assert data.pre[0] == 50.0 and np.isnan(data.pre[1])
    assert data.post.tolist() == [100.0, 50.0]


def test_xlsx_is_read(tmp_path):
    path = tmp_path / "skor.xlsx"
    pd.DataFrame({"participant": ["A", "B"], "pre": [40, 60], "post": [80, 90]}).to_excel(path, index=False)
    data = read_session_file(path)
    assert data.pre.tolist() == [40.0, 60.0]


@pytest.mark.parametrize(
    ("text", "row", "column", "value"),
    [
        ("participant,pre,post\nA,60,80\nB,abc,70\n", 3, "pre", "abc"),
        ("participant,pre,post\nA,60,180\n", 2, "post", "180"),
        ("participant,pre_q1,post_q1\nA,1,2\n", 2, "post_q1", "2"),
        ("participant,pre,post\nA,60,80\nA,50,70\n", 3, "participant", "A"),
    ],
)
def test_bad_file_names_row_column_and_value(tmp_path, text, row, column, value):
    with pytest.raises(DataFileError) as err:
        read_session_file(write(tmp_path, "bad.csv", text))
    assert (err.value.row, err.value.column, err.value.value) == (row, column, value)


def test_missing_participant_column_is_named(tmp_path):
    with pytest.raises(DataFileError, match="participant"):
        read_session_file(write(tmp_path, "bad.csv", "kelas,pre,post\n1,2,3\n"))  # "id" is an alias now


def test_cli_bad_file_exits_2_with_row_column_value(tmp_path, capsys):
    path = write(tmp_path, "bad.csv", "participant,pre,post\nA,60,80\nB,6O,70\n")
    assert main(["report", str(path)]) == 2
    err = capsys.readouterr().err
    assert "baris 3, kolom 'pre', nilai '6O': bukan angka" in err  # in the language of --lang (id)
    assert main(["report", str(path), "--lang", "en"]) == 2
    assert "row 3, column 'pre', value '6O': is not a number" in capsys.readouterr().err


def test_cli_json_carries_documented_top_level_keys(tmp_path, capsys):
    rows = "\n".join(f"P{i},{40 + i % 30},{60 + i % 40},{'SMA' if i % 2 else 'SD'}" for i in range(30))
    path = write(tmp_path, "ok.csv", "participant,pre,post,education\n" + rows + "\n")
    assert main(["report", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == [
        "settings", "counts", "descriptives", "normality", "paired_t_test", "wilcoxon", "hodges_lehmann",
        "leading_test",
        "normalized_gain", "knowledge_categories", "proportion_understood", "items", "characteristics", "followup", "attitude", "topics", "two_groups",
        "out_of_range", "reason",
    ]  # fmt: skip
    assert out["counts"]["n_paired"] == 30
    assert out["characteristics"][0]["characteristic"] == "education"


@pytest.mark.parametrize(
    ("lang", "words"), [("id", ["Tabel 1", "Uji t berpasangan"]), ("en", ["Table 1", "Paired t-test"])]
)
def test_cli_text_tables_in_both_languages(tmp_path, capsys, lang, words):
    path = write(tmp_path, "ok.csv", "participant;pre;post\nA;40;80\nB;50,5;70\nC;60;90\nD;30;75\n")
    assert main(["report", str(path), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert all(w in out for w in words)
    if lang == "id":
        assert "50,0%" in out  # decimal comma

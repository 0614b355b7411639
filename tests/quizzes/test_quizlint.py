"""The quiz linter: the bank passes, and each rule catches its purpose-broken file."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from app.services import quizlint
from app.services.quizfile import OptionSpec, QuestionSpec, QuizSpec, load_bank, parse_quiz_file
from app.services.quizlint import RULES, check_bank, check_files, lint_quiz, lint_specs, rule_of

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "quizzes"
BROKEN = Path(__file__).resolve().parent / "broken"
BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))

#: Where each purpose-broken file must be reported: (rule code, question key, field).
#: duplicate-key is caught by the loader itself (its repeated-key check), so it comes as a schema problem.
EXPECTED = {
    "schema": ("schema", None, "audience"),
    "one-correct": ("one-correct", "hormon-pembuat-asi", "options.c.text.id"),
    "both-languages": ("both-languages", "kolostrum-cukup", "stem.en"),
    "explanation-source": ("explanation-source", "menyusu-malam", "source"),
    "duplicate-key": ("schema", "kolostrum", "key"),
    "duplicate-stem": ("duplicate-stem", "kolostrum-kotor", "stem.id"),
    "stem-length": ("stem-length", "frekuensi-panjang", "stem.id"),
    "option-length": ("option-length", "cara-tambah-asi", "options.b.text.id"),
    "forbidden-option": ("forbidden-option", "manfaat-asi", "options.d.text.id"),
    "answer-pattern": ("answer-pattern", None, "answer"),
    "likert-balance": ("likert-balance", None, "reverse"),
    "parallel-forms": ("parallel-forms", None, "parallel_group"),
    "sentence-length": ("sentence-length", "tanda-cukup-asi", "stem.id"),
    "abbreviation": ("abbreviation", "bayi-kecil-perah", "stem.id"),
    "single-claim": ("single-claim", "madu-dan-air", "stem.id"),
}


def _specs_by_id() -> dict[str, QuizSpec]:
    specs, problems = load_bank(BANK)
    assert problems == []
    return {s.id: s for s in specs}


def _question(
    key="q",
    type_="single_choice",
    topic="t",
    stem=("Soal apa ini?", "What is this?"),
    options=(("a", "Satu", "One"), ("b", "Dua", "Two")),
    answer="a",
    **extra,
) -> QuestionSpec:
    opts = tuple(OptionSpec(k, {"id": i, "en": e}, is_correct=(k == answer)) for k, i, e in options)
    fields = dict(
        key=key,
        type=type_,
        topic=topic,
        stem={"id": stem[0], "en": stem[1]},
        options=opts,
        answer=answer,
        explanation={"id": "Penjelasan.", "en": "Explanation."},
        source="WHO, Infant and young child feeding, fact sheet (2023)",
    )
    fields.update(extra)
    return QuestionSpec(**fields)


def _quiz(*questions: QuestionSpec, **extra) -> QuizSpec:
    fields = dict(
        id="uji",
        version="1",
        title={"id": "Uji", "en": "Test"},
        audience="mothers",
        description=None,
        form=None,
        parallel_group=None,
        questions=tuple(questions),
        file="uji.yaml",
    )
    fields.update(extra)
    return QuizSpec(**fields)


# -- the bank -------------------------------------------------------------------------------------


def test_the_whole_bank_passes_the_linter():
    problems = check_bank(BANK)
    assert problems == [], "\n".join(str(p) for p in problems)


def test_the_bank_has_the_quizzes_the_issues_ask_for():
    specs = _specs_by_id()
    assert {
        "produksi-asi",
        "produksi-asi-b",
        "asi-eksklusif",
        "asi-eksklusif-b",
        "dukungan-keluarga",
        "kader-konseling",
        "tenaga-kesehatan",
    } <= set(specs)
    assert specs["produksi-asi"].title["id"] == "Produksi ASI"
    assert specs["asi-eksklusif"].title["id"] == "ASI Eksklusif"
    assert {s.audience for s in specs.values()} == {"mothers", "family", "cadres", "health_workers"}
    for key in ("produksi-asi", "produksi-asi-b", "asi-eksklusif", "asi-eksklusif-b"):
        spec = specs[key]
        assert sum(q.scored for q in spec.questions) >= 15, key
        assert {q.type for q in spec.questions} >= {"single_choice", "true_false"}, key
    assert (specs["produksi-asi"].form, specs["produksi-asi-b"].form) == ("A", "B")
    assert specs["produksi-asi-b"].parallel_group == "produksi-asi"
    assert specs["asi-eksklusif-b"].parallel_group == "asi-eksklusif"


def test_the_cadre_attitude_scale_has_reverse_scored_items():
    likert = [q for q in _specs_by_id()["kader-konseling"].questions if q.type == "likert"]
    assert len(likert) >= 6
    assert 0 < sum(q.reverse for q in likert) < len(likert)


def test_flask_quizzes_check_passes_on_the_bank_and_fails_on_broken_files(runner):
    result = runner.invoke(args=["quizzes", "check", "--dir", str(BANK)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["quizzes", "check", "--dir", str(BROKEN)])
    assert result.exit_code == 1
    for path in BROKEN_FILES:
        assert path.name in result.output


# -- one purpose-broken file per rule -------------------------------------------------------------


def test_every_rule_has_a_purpose_broken_file():
    assert {p.stem for p in BROKEN_FILES} == set(RULES) == set(EXPECTED)


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_each_broken_file_is_caught_by_its_rule_and_no_other(path):
    problems = check_files([path])
    rule, question, field = EXPECTED[path.stem]
    assert problems, f"{path.name} passed the linter"
    assert {rule_of(p) for p in problems} == {rule}, "\n".join(map(str, problems))
    assert (path.name, question, field) in {(p.file, p.question, p.field) for p in problems}, "\n".join(
        map(str, problems)
    )


def test_a_broken_file_does_not_hide_problems_in_the_others():
    problems = check_files(BROKEN_FILES)
    assert {p.file for p in problems} == {p.name for p in BROKEN_FILES}


# -- problems the loader's schema reports come through the linter ---------------------------------

GOOD_QUESTION = """\
id: {id}
version: "1.0"
title: {{id: "Uji", en: "Test"}}
audience: mothers
questions:
  - key: hormon
    type: single_choice
    topic: hormon
    stem: {{id: "Hormon apa yang membuat ASI?", en: "Which hormone makes milk?"}}
    options:
      - {{key: a, text: {{id: "Prolaktin", en: "Prolactin"}}}}
      - {{key: b, text: {{id: "Insulin", en: "Insulin"}}}}
    answer: {answer}
{explanation}    source: "WHO, Infant and young child feeding, fact sheet (2023)"
"""
EXPLANATION = '    explanation: {id: "Prolaktin membuat ASI.", en: "Prolactin makes milk."}\n'


@pytest.mark.parametrize(
    ("answer", "explanation", "replace", "field"),
    [
        ("c", EXPLANATION, None, "answer"),  # the answer names no option
        ("a", "", None, "explanation"),  # no explanation
        ("a", EXPLANATION, ('en: "Which hormone makes milk?"', 'en: ""'), "stem.en"),  # English missing
    ],
    ids=["answer-not-an-option", "explanation-missing", "language-missing"],
)
def test_schema_problems_are_reported_with_question_and_field(tmp_path, answer, explanation, replace, field):
    text = GOOD_QUESTION.format(id="uji", answer=answer, explanation=explanation)
    if replace:
        text = text.replace(*replace)
    path = tmp_path / "uji.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check_files([path])
    assert [(p.question, p.field) for p in problems] == [("hormon", field)], "\n".join(map(str, problems))


def test_the_good_template_itself_passes(tmp_path):
    path = tmp_path / "uji.yaml"
    path.write_text(GOOD_QUESTION.format(id="uji", answer="a", explanation=EXPLANATION), encoding="utf-8")
    assert check_files([path]) == []


def test_the_same_quiz_id_in_two_files_is_a_duplicate_key(tmp_path):
    for sub in ("satu", "dua"):
        (tmp_path / sub).mkdir()
        shutil.copy(BANK / "produksi-asi.yaml", tmp_path / sub / "produksi-asi.yaml")
        shutil.copy(BANK / "produksi-asi-b.yaml", tmp_path / sub / "produksi-asi-b.yaml")
    problems = check_files([tmp_path / "satu" / "produksi-asi.yaml", tmp_path / "dua" / "produksi-asi.yaml"])
    assert any(rule_of(p) == "duplicate-key" and p.field == "id" for p in problems), "\n".join(
        map(str, problems)
    )


def test_duplicate_question_and_option_keys_in_a_spec_are_caught():
    q = _question(options=(("a", "Satu", "One"), ("a", "Dua", "Two")))
    problems = lint_quiz(_quiz(q, dataclasses.replace(q, stem={"id": "Soal lain?", "en": "Another?"})))
    fields = {(p.question, p.field) for p in problems if rule_of(p) == "duplicate-key"}
    assert ("q", "key") in fields and ("q", "options") in fields


# -- thresholds -----------------------------------------------------------------------------------


def test_stem_length_counts_words_against_the_limit():
    # Sentences of at most 11 words, so only the stem's total length is at stake.
    half = quizlint.MAX_STEM_WORDS // 2
    at_limit = " ".join(["kata"] * half) + ". " + " ".join(["Kata"] * (quizlint.MAX_STEM_WORDS - half))
    over = at_limit + " lagi"
    assert half <= quizlint.MAX_SENTENCE_WORDS
    assert not lint_quiz(_quiz(_question(stem=(at_limit, "Short English stem?"))))
    problems = lint_quiz(_quiz(_question(stem=(over, "Short English stem?"))))
    assert [(rule_of(p), p.field) for p in problems] == [("stem-length", "stem.id")]


@pytest.mark.parametrize(
    ("correct", "distractor", "flagged"),
    [
        ("x" * 32, "x" * 20, False),  # 1.6x but only 12 characters longer: a short question may do that
        ("x" * 40, "x" * 30, False),  # 10 characters longer, 1.33x
        ("x" * 48, "x" * 30, True),  # exactly 1.6x and 18 characters longer: at the threshold is a giveaway
        ("x" * 50, "x" * 30, True),  # 1.67x and 20 characters longer
        ("x" * 60, "x" * 10, True),
    ],
)
def test_option_length_flags_only_a_long_and_much_longer_correct_option(correct, distractor, flagged):
    q = _question(
        options=(("a", correct, "One"), ("b", distractor, "Two"), ("c", distractor[:-1] + "y", "Three"))
    )
    problems = [p for p in lint_quiz(_quiz(q)) if rule_of(p) == "option-length"]
    assert bool(problems) is flagged


@pytest.mark.parametrize(
    "text",
    [
        "Semua jawaban benar",
        "Semua benar",
        "semua di atas benar",
        "Jawaban a dan b benar",
        "Tidak ada yang benar",
        "All of the above",
        "None of the above",
        "Both a and c",
    ],
)
def test_forbidden_options_are_caught(text):
    q = _question(options=(("a", "Prolaktin", "Prolactin"), ("b", text, "Something")))
    assert [rule_of(p) for p in lint_quiz(_quiz(q))] == ["forbidden-option"]


@pytest.mark.parametrize(
    "text", ["Semua bayi memang begitu", "Semua saran yang kader ketahui", "Hanya dokter"]
)
def test_ordinary_options_with_semua_are_allowed(text):
    q = _question(options=(("a", "Prolaktin", "Prolactin"), ("b", text, "Something")))
    assert lint_quiz(_quiz(q)) == []


def test_true_false_answers_that_are_almost_all_true_are_a_pattern():
    qs = [
        _question(
            key=f"q{i}",
            type_="true_false",
            stem=(f"Pernyataan {i}.", f"Statement {i}."),
            options=(),
            answer="true",
        )
        for i in range(5)
    ]
    qs = [
        dataclasses.replace(
            q,
            options=(
                OptionSpec("true", {"id": "Benar", "en": "True"}, True),
                OptionSpec("false", {"id": "Salah", "en": "False"}, False),
            ),
        )
        for q in qs
    ]
    assert [rule_of(p) for p in lint_quiz(_quiz(*qs))] == ["answer-pattern"]


# -- parallel forms -------------------------------------------------------------------------------


def test_parallel_forms_with_a_missing_topic_are_flagged():
    specs = _specs_by_id()
    a, b = specs["produksi-asi"], specs["produksi-asi-b"]
    b = dataclasses.replace(
        b,
        questions=tuple(
            dataclasses.replace(q, topic="lain") if q.topic == "kecukupan" else q for q in b.questions
        ),
    )
    problems = lint_specs([a, b])
    messages = [p.message for p in problems if rule_of(p) == "parallel-forms"]
    assert any("missing topics kecukupan" in m and "extra topics lain" in m for m in messages), messages


def test_parallel_forms_with_uneven_topics_or_lengths_are_flagged():
    specs = _specs_by_id()
    a, b = specs["asi-eksklusif"], specs["asi-eksklusif-b"]
    fewer = dataclasses.replace(
        b,
        questions=tuple(q for q in b.questions if q.topic != "mitos")
        + tuple(q for q in b.questions if q.topic == "mitos")[:1],
    )
    fields = {p.field for p in lint_specs([a, fewer]) if rule_of(p) == "parallel-forms"}
    assert fields == {"topic", "questions"}


def test_a_stem_repeated_in_the_other_form_is_flagged():
    specs = _specs_by_id()
    a, b = specs["produksi-asi"], specs["produksi-asi-b"]
    copied = dataclasses.replace(b.questions[0], stem=a.questions[0].stem)
    b = dataclasses.replace(b, questions=(copied, *b.questions[1:]))
    problems = [p for p in lint_specs([a, b]) if rule_of(p) == "duplicate-stem"]
    assert problems and all(p.file == "produksi-asi-b.yaml" for p in problems)


def test_forms_of_a_group_must_differ_and_share_the_audience():
    specs = _specs_by_id()
    a, b = specs["produksi-asi"], specs["produksi-asi-b"]
    b = dataclasses.replace(b, form="A", audience="family")
    fields = {p.field for p in lint_specs([a, b]) if rule_of(p) == "parallel-forms"}
    assert {"form", "audience"} <= fields


def test_a_form_without_a_group_is_flagged():
    spec = dataclasses.replace(_specs_by_id()["dukungan-keluarga"], form="A")
    assert [(rule_of(p), p.field) for p in lint_specs([spec])] == [("parallel-forms", "parallel_group")]


def test_copying_a_quiz_without_its_form_keeps_the_bank_clean(tmp_path):
    """An educator's copy repeats every stem of the original: allowed, unless it claims the same parallel form."""
    spec, _ = parse_quiz_file(BANK / "produksi-asi.yaml")
    copy = dataclasses.replace(
        spec, id="produksi-asi-salinan-1", file="produksi-asi-salinan-1.yaml", form=None, parallel_group=None
    )
    b, _ = parse_quiz_file(BANK / "produksi-asi-b.yaml")
    assert lint_specs([spec, b, copy]) == []


# -- readability ----------------------------------------------------------------------------------


def test_sentence_length_counts_each_sentence_of_stems_and_options():
    at_limit = " ".join(["kata"] * quizlint.MAX_SENTENCE_WORDS) + "."
    over = " ".join(["kata"] * (quizlint.MAX_SENTENCE_WORDS + 1)) + "."
    two_short = at_limit + " " + "Ini kalimat kedua yang pendek?"
    assert not lint_quiz(_quiz(_question(stem=(two_short, "Short English stem?"))))
    problems = lint_quiz(_quiz(_question(stem=(over, "Short English stem?"))))
    assert [(rule_of(p), p.field) for p in problems] == [("sentence-length", "stem.id")]
    long_option = _question(options=(("a", over, "One"), ("b", "Dua", "Two")))
    problems = [p for p in lint_quiz(_quiz(long_option)) if rule_of(p) == "sentence-length"]
    assert [p.field for p in problems] == ["options.a.text.id"]


def test_sentences_are_not_cut_inside_numbers_or_article_numbers():
    assert quizlint.sentences("Minum 1.5 liter. Lalu istirahat!") == ["Minum 1.5 liter.", "Lalu istirahat!"]
    assert len(quizlint.sentences("Menurut PP No. 28 Tahun 2024 Pasal 4.")) == 1


@pytest.mark.parametrize(
    ("text", "unexplained"),
    [
        ("ASI, MP-ASI, IMD dan KB sudah dikenal.", []),
        ("Ibu ingin ber-KB setelah melahirkan.", []),
        ("Bayi BBLR perlu dibantu.", ["BBLR"]),
        ("Bayi dengan berat badan lahir rendah (BBLR) perlu dibantu.", []),
        ("Bayi BBLR (berat badan lahir rendah) perlu dibantu.", []),
        ("Bayi tidak BAB dua hari; BAB jarang bisa normal.", ["BAB"]),
        ("Kelompok KP-ASI bertemu tiap bulan.", ["KP-ASI"]),
        ("Beri ORS when the baby has diarrhoea.", ["ORS"]),
        ("Kader memberi nilai A atau B.", []),  # single letters are not abbreviations
    ],
)
def test_unexplained_abbreviations(text, unexplained):
    assert quizlint.unexplained_abbreviations(text) == unexplained


def test_an_unexplained_abbreviation_in_an_explanation_is_reported():
    q = _question(
        explanation={"id": "Bayi BBLR perlu sering menyusu.", "en": "Small babies need frequent feeds."}
    )
    assert [(rule_of(p), p.field) for p in lint_quiz(_quiz(q))] == [("abbreviation", "explanation.id")]


@pytest.mark.parametrize(
    ("stem", "joined"),
    [
        ("Bayi baru lahir boleh diberi madu dan perlu minum air putih.", True),
        ("Payudara yang lembek berarti ASI sudah habis dan tidak dibuat lagi.", True),
        ("Ibu bisa kontak kulit serta menyusui dini setelah sesar.", True),
        ("Kolostrum terlihat kuning; bayi perlu diberi susu formula.", True),
        ("Merokok mengurangi ASI, sedangkan kopi membuat ASI basi.", True),
        ("Ibu yang tenang dan merasa didukung lebih mudah mengeluarkan ASI.", False),
        ("Bayi yang lemas dan malas menyusu perlu segera diperiksa.", False),
        ("Ibu dan bayi sebaiknya dirawat dalam satu kamar.", False),
        ("Kolostrum jumlahnya sedikit, tetapi cukup untuk bayi baru lahir.", False),
        ("Air putih dan teh tidak perlu diberikan sebelum 6 bulan.", False),
        ("Bayi umur 4 bulan diare. Ia tetap disusui lebih sering.", False),  # a scene, then one claim
    ],
)
def test_single_claim_heuristic(stem, joined):
    assert quizlint.joined_claims(stem) is joined


def test_single_claim_applies_to_true_false_items_only():
    two_claims = ("Bayi boleh diberi madu dan perlu minum air?", "Two claims?")
    choice = _question(stem=two_claims)
    assert lint_quiz(_quiz(choice)) == []
    tf = dataclasses.replace(
        _question(
            stem=two_claims, answer="true", options=(("true", "Benar", "True"), ("false", "Salah", "False"))
        ),
        type="true_false",
    )
    assert [(rule_of(p), p.field) for p in lint_quiz(_quiz(tf))] == [("single-claim", "stem.id")]

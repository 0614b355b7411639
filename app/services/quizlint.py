"""Content lint for the quiz bank: what the schema cannot see.

`app.services.quizfile` checks that a file has the right shape (fields, types, an
answer that names an option). This module checks whether a reviewer would trust
the questions: one unambiguous correct option, both languages really written,
an explanation and a source, no repeated keys or stems, short stems, no option
that gives itself away by its length, no "all of the above", answer keys that
do not follow a pattern, attitude scales with reverse-scored items, parallel
forms that cover the same topics, and texts that a reader with little practice
can follow: short sentences, no unexplained abbreviations, one claim per
true/false statement.

Every problem is a `quizfile.Problem` whose message starts with the rule code in
brackets, e.g. ``[stem-length]``; schema problems from the loader carry no code.
The rules and their thresholds are described in quizzes/README.md ("Linter"),
and tests/quizzes/broken/ holds one purpose-broken file per rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from app.services.quizfile import Problem, QuestionSpec, QuizSpec, parse_quiz_file, quiz_files

__all__ = [
    "ALLOWED_ABBREVIATIONS",
    "GIVEAWAY_MIN_EXTRA_CHARS",
    "GIVEAWAY_RATIO",
    "MAX_SENTENCE_WORDS",
    "MAX_STEM_WORDS",
    "MIN_SOURCE_CHARS",
    "RULES",
    "check_bank",
    "check_files",
    "lint_quiz",
    "lint_specs",
    "rule_of",
]

#: Rule code -> what it checks. Each code has a purpose-broken file in tests/quizzes/broken/.
RULES: dict[str, str] = {
    "schema": "the file follows the format in quizzes/README.md (reported by the loader, no code)",
    "one-correct": "a single-choice question has exactly one correct option and no two options alike",
    "both-languages": "titles, stems, options and explanations are written in Indonesian and English",
    "explanation-source": "knowledge questions have an explanation; every question names its source",
    "duplicate-key": "quiz ids, question keys and option keys are unique",
    "duplicate-stem": "no stem is repeated within a quiz or across the forms of a parallel group",
    "stem-length": "a stem has at most the word limit (see MAX_STEM_WORDS) in each language",
    "option-length": "the correct option is not much longer than the distractors",
    "forbidden-option": "no 'all of the above' / 'semua benar' style options",
    "answer-pattern": "correct answers do not pile up on one option key or one truth value",
    "likert-balance": "an attitude scale mixes positively and reverse-scored items",
    "parallel-forms": "forms of a parallel group share audience, topics and per-topic counts",
    "sentence-length": "every sentence of a stem or option has at most MAX_SENTENCE_WORDS words",
    "abbreviation": "stems, options and explanations use no abbreviation outside ALLOWED_ABBREVIATIONS "
    "unless it is explained in the same text",
    "single-claim": "a true/false statement makes one claim, not two joined by 'dan', 'serta', ...",
}

#: A stem for readers with primary schooling: about 20 words at most.
MAX_STEM_WORDS = 22
#: The correct option gives itself away when it is at least this many times the
#: mean length of the distractors ...
GIVEAWAY_RATIO = 1.6
#: ... and at least this many characters longer than that mean.
GIVEAWAY_MIN_EXTRA_CHARS = 15
#: A source shorter than this ("WHO", "buku") does not let a reviewer find the fact.
MIN_SOURCE_CHARS = 12
#: Parallel forms may differ by at most this many questions on any topic.
MAX_TOPIC_COUNT_DIFF = 1
#: answer-pattern: with at least this many single-choice questions, no option key
#: may be the answer of more than this share of them.
MIN_SC_FOR_PATTERN, MAX_SC_KEY_SHARE = 5, 0.6
#: answer-pattern: with at least this many true/false questions, neither value may
#: be the answer of more than this share of them.
MIN_TF_FOR_PATTERN, MAX_TF_VALUE_SHARE = 4, 0.8
#: likert-balance applies from this many Likert items on.
MIN_LIKERT_FOR_BALANCE = 4
#: sentence-length: a sentence of a stem or an option, in words. Readers with little
#: practice lose the thread of longer sentences; a stem may still have two short ones.
MAX_SENTENCE_WORDS = 15
#: abbreviation: the ones every participant knows from the Buku KIA, the posyandu and
#: the news. Any other (BAB, BBLR, ORS, ...) is written out, or explained in brackets in
#: the same text: "BBLR (berat badan lahir rendah)" or "berat badan lahir rendah (BBLR)".
ALLOWED_ABBREVIATIONS = frozenset(
    {
        "ASI",  # air susu ibu
        "MP-ASI",  # makanan pendamping ASI
        "IMD",  # inisiasi menyusu dini
        "KB",  # keluarga berencana
        "KIA",  # kesehatan ibu dan anak (Buku KIA)
        "PP",  # peraturan pemerintah
        "UU",  # undang-undang
        "WHO",
        "UNICEF",
    }
)

_FORBIDDEN_OPTIONS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bsemua(nya)?\s+(jawaban\s+)?(di\s+atas\s+)?(benar|salah)\b",
        r"\bsemua(nya)?\s+(jawaban\s+)?di\s+atas\b",
        r"\btidak\s+ada\s+(jawaban\s+)?yang\s+(benar|salah)\b",
        r"\b[a-f]\s*(,\s*[a-f]\s*)*(dan|&)\s*[a-f]\s+(benar|salah)\b",
        r"\ball\s+(of\s+)?the\s+above\b",
        r"\bnone\s+of\s+the\s+above\b",
        r"\ball\s+(of\s+them\s+)?are\s+(correct|true|right)\b",
        r"\bboth\s+[a-f]\s+and\s+[a-f]\b",
    )
]

_LANGS = ("id", "en")


def rule_of(problem: Problem) -> str:
    """The rule code of a problem: the bracketed prefix, or 'schema' for loader problems."""
    match = re.match(r"\[([a-z-]+)\]", problem.message)
    return match.group(1) if match else "schema"


def _problem(rule: str, spec: QuizSpec, question: str | None, field: str | None, message: str) -> Problem:
    return Problem(spec.file or f"{spec.id}.yaml", question, field, f"[{rule}] {message}")


def _normalise(text: str) -> str:
    """Lowercase, without accents, punctuation or repeated spaces: for comparing texts."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s]", " ", text.lower())
    return " ".join(text.split())


def _words(text: str) -> int:
    return len((text or "").split())


def _text(mapping: dict | None, lang: str) -> str:
    return ((mapping or {}).get(lang) or "").strip()


def _repeated(texts: list[tuple[str, dict | None]]) -> Iterable[tuple[str, str, str]]:
    """(language, key, earlier key) for each (key, text) saying what an earlier one said (see _normalise)."""
    for lang in _LANGS:
        seen: dict[str, str] = {}
        for key, mapping in texts:
            norm = _normalise(_text(mapping, lang))
            if norm in seen:
                yield lang, key, seen[norm]
            else:
                seen[norm] = key


def _question_texts(q: QuestionSpec, *, explanation: bool = True) -> list[tuple[str, dict | None]]:
    """(field, text) of what a participant reads: the stem, the explanation, a single choice's options."""
    texts = [("stem", q.stem)] + ([("explanation", q.explanation)] if explanation else [])
    return texts + [(f"options.{o.key}.text", o.text) for o in q.options if q.type == "single_choice"]


# -- per-question rules ---------------------------------------------------------------------------


def _one_correct(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    if q.type == "likert":
        return
    correct = [o.key for o in q.options if o.is_correct]
    if len(correct) != 1 or q.answer not in [o.key for o in q.options]:
        yield _problem(
            "one-correct",
            spec,
            q.key,
            "answer",
            f"exactly one option must be correct, found {len(correct)} ({', '.join(correct) or 'none'})",
        )
    if q.type != "single_choice":
        return
    for lang, key, first in _repeated([(o.key, o.text) for o in q.options]):
        yield _problem(
            "one-correct",
            spec,
            q.key,
            f"options.{key}.text.{lang}",
            f"options {first} and {key} say the same thing, so more than one option can be taken as correct",
        )


def _both_languages(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    texts = _question_texts(q)
    for field, mapping in texts:
        if mapping is None:
            continue
        for lang in _LANGS:
            if not _text(mapping, lang):
                yield _problem("both-languages", spec, q.key, f"{field}.{lang}", "the text is missing")
    for field, mapping in texts[:2]:  # whole sentences: identical means untranslated
        if (
            mapping
            and _text(mapping, "id")
            and _normalise(_text(mapping, "id")) == _normalise(_text(mapping, "en"))
        ):
            yield _problem(
                "both-languages",
                spec,
                q.key,
                f"{field}.en",
                "the English text is the same as the Indonesian: it has not been translated",
            )


def _explanation_source(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    if q.type != "likert" and not (
        q.explanation and _text(q.explanation, "id") and _text(q.explanation, "en")
    ):
        yield _problem(
            "explanation-source",
            spec,
            q.key,
            "explanation",
            "a knowledge question needs an explanation, shown after the post-test",
        )
    source = (q.source or "").strip()
    if not source:
        yield _problem(
            "explanation-source",
            spec,
            q.key,
            "source",
            "name the source of the fact (WHO/UNICEF guidance, regulation and article, Kemenkes material)",
        )
    elif len(source) < MIN_SOURCE_CHARS:
        yield _problem(
            "explanation-source",
            spec,
            q.key,
            "source",
            f"the source {source!r} is too vague to look up: name the document (and article or section)",
        )


def _stem_length(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    for lang in _LANGS:
        n = _words(_text(q.stem, lang))
        if n > MAX_STEM_WORDS:
            yield _problem(
                "stem-length",
                spec,
                q.key,
                f"stem.{lang}",
                f"the stem has {n} words; keep it to {MAX_STEM_WORDS} or fewer",
            )


def _option_length(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    if q.type != "single_choice" or len(q.options) < 2:
        return
    for lang in _LANGS:
        correct = [len(_text(o.text, lang)) for o in q.options if o.is_correct]
        others = [len(_text(o.text, lang)) for o in q.options if not o.is_correct]
        if len(correct) != 1 or not others:
            continue
        mean = sum(others) / len(others)
        if mean > 0 and correct[0] >= GIVEAWAY_RATIO * mean and correct[0] - mean >= GIVEAWAY_MIN_EXTRA_CHARS:
            yield _problem(
                "option-length",
                spec,
                q.key,
                f"options.{q.answer}.text.{lang}",
                f"the correct option is {correct[0] / mean:.1f}x as long as the distractors on average "
                f"({correct[0]} vs {mean:.0f} characters): shorten it or lengthen the distractors",
            )


def _forbidden_option(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    if q.type != "single_choice":
        return
    for o in q.options:
        for lang in _LANGS:
            text = _text(o.text, lang)
            if any(p.search(text) for p in _FORBIDDEN_OPTIONS):
                yield _problem(
                    "forbidden-option",
                    spec,
                    q.key,
                    f"options.{o.key}.text.{lang}",
                    f"{text!r}: options like 'all/none of the above' are not allowed; "
                    "write a real distractor",
                )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(A-Z])")
_ABBREVIATION = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*[A-Z](?:-[A-Z0-9]+)*(?![\w-])")
#: single-claim: words that join two statements in Indonesian.
_CLAIM_JOINERS = re.compile(r"\b(?:dan|serta|lalu|kemudian|sedangkan|tetapi|namun)\b|;", re.IGNORECASE)
#: single-claim: a part is a statement when it has a verb with an active or passive
#: prefix (me-, ber-, di-, ter-, ...) or a modal; these common words only look like one.
_VERB_PREFIX = re.compile(r"^(?:mem|men|meng|meny|me|ber|be|di|ter|per)[a-z]{3,}$")
_MODALS = frozenset({"bisa", "boleh", "perlu", "harus", "wajib", "dapat", "mampu", "mau", "ingin"})
_NOT_VERBS = frozenset(
    {
        "diare",
        "dingin",
        "dini",
        "diri",
        "dirinya",
        "dinas",
        "dinding",
        "dia",
        "terlalu",
        "tertentu",
        "terutama",
        "terhadap",
        "ternyata",
        "terakhir",
        "pertama",
        "perut",
        "persen",
        "perempuan",
        "perawat",
        "perah",
        "merah",
        "meja",
        "menit",
        "menu",
        "metode",
        "mereka",
        "melalui",
        "menurut",
        "memang",
        "berapa",
        "berat",
        "beras",
        "berbagai",
        "bersama",
        "besar",
        "bekas",
        "belum",
        "benar",
        "beberapa",
        "bedong",
    }
)


def sentences(text: str) -> list[str]:
    """The sentences of a text: split after '.', '!' or '?' when a new sentence starts."""
    return [s for s in _SENTENCE_END.split((text or "").strip()) if s.strip()]


def unexplained_abbreviations(text: str) -> list[str]:
    """Abbreviations in a text that are not allowed and not explained in brackets beside them."""
    found = []
    for match in _ABBREVIATION.finditer(text or ""):
        abbr = match.group(0)
        if abbr in ALLOWED_ABBREVIATIONS or abbr in found:
            continue
        after = text[match.end() :].lstrip()
        before = text[: match.start()].rstrip()
        explained = after.startswith("(") or (before.endswith("(") and after.startswith(")"))
        if not explained:
            found.append(abbr)
    return found


def _is_statement(part: str) -> bool:
    for word in re.findall(r"[a-z]+", part.lower()):
        if word in _MODALS or (_VERB_PREFIX.match(word) and word not in _NOT_VERBS):
            return True
    return False


def joined_claims(text: str) -> bool:
    """True when an Indonesian statement joins two statements, each with its own verb.

    The statement is cut at 'dan', 'serta', 'lalu', 'kemudian', 'sedangkan', 'tetapi',
    'namun' and ';'. It makes two claims when at least two of the parts have a verb (a
    word with the prefix me-, ber-, di-, ter-, per-, or a modal such as 'bisa', 'perlu',
    'boleh'). "Ibu yang tenang dan merasa didukung lebih mudah menyusui" is one claim
    (only the second part has a verb): "dan" joins two descriptions of one mother.
    "Bayi boleh diberi madu dan perlu minum air putih" is two claims, one of which may
    be true and the other false. A sentence that sets a scene before the claim ("Bayi
    umur 3 bulan. Ia ...") is not cut: sentences alone are not joiners. A part whose only
    verb has no prefix ("keluar", "minum") is missed; the rule catches the common case.
    """
    parts = _CLAIM_JOINERS.split(text or "")
    return sum(_is_statement(p) for p in parts) >= 2


def _sentence_length(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    for field, mapping in _question_texts(q, explanation=False):
        for lang in _LANGS:
            for sentence in sentences(_text(mapping, lang)):
                n = _words(sentence)
                if n > MAX_SENTENCE_WORDS:
                    yield _problem(
                        "sentence-length",
                        spec,
                        q.key,
                        f"{field}.{lang}",
                        f"a sentence has {n} words ({sentence[:40]!r}...); keep each sentence to "
                        f"{MAX_SENTENCE_WORDS} words or split it",
                    )


def _abbreviation(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    for field, mapping in _question_texts(q):
        for lang in _LANGS:
            for abbr in unexplained_abbreviations(_text(mapping, lang)):
                yield _problem(
                    "abbreviation",
                    spec,
                    q.key,
                    f"{field}.{lang}",
                    f"{abbr!r} is not explained: write it out, or explain it in brackets beside it",
                )


def _single_claim(spec: QuizSpec, q: QuestionSpec) -> Iterable[Problem]:
    if q.type == "true_false" and joined_claims(_text(q.stem, "id")):
        yield _problem(
            "single-claim",
            spec,
            q.key,
            "stem.id",
            "the statement makes more than one claim; a participant who knows one half and not "
            "the other cannot answer: keep one claim",
        )


_QUESTION_RULES = (
    _one_correct,
    _both_languages,
    _explanation_source,
    _stem_length,
    _option_length,
    _forbidden_option,
    _sentence_length,
    _abbreviation,
    _single_claim,
)


# -- per-quiz rules -------------------------------------------------------------------------------


def _quiz_texts(spec: QuizSpec) -> Iterable[Problem]:
    for field, mapping in (("title", spec.title), ("description", spec.description)):
        if mapping is None:
            continue
        for lang in _LANGS:
            if not _text(mapping, lang):
                yield _problem("both-languages", spec, None, f"{field}.{lang}", "the text is missing")


def _duplicate_keys(spec: QuizSpec) -> Iterable[Problem]:
    counts = Counter(q.key for q in spec.questions)
    for key in sorted(k for k, n in counts.items() if n > 1):
        yield _problem("duplicate-key", spec, key, "key", f"the question key is used {counts[key]} times")
    for q in spec.questions:
        opt_counts = Counter(o.key for o in q.options)
        for key in sorted(k for k, n in opt_counts.items() if n > 1):
            yield _problem("duplicate-key", spec, q.key, "options", f"the option key {key!r} is used twice")


def _duplicate_stems_within(spec: QuizSpec) -> Iterable[Problem]:
    for lang, key, first in _repeated([(q.key, q.stem) for q in spec.questions]):
        yield _problem("duplicate-stem", spec, key, f"stem.{lang}", f"the same stem as question {first}")


def _answer_pattern(spec: QuizSpec) -> Iterable[Problem]:
    """One answer (an option key, or true or false) that is right far more often than chance."""
    rules = (
        (
            "single_choice",
            MIN_SC_FOR_PATTERN,
            MAX_SC_KEY_SHARE,
            "option {value!r} is the answer of {n} of {total} single-choice questions: "
            "spread the correct options over the keys",
        ),
        (
            "true_false",
            MIN_TF_FOR_PATTERN,
            MAX_TF_VALUE_SHARE,
            "{n} of {total} true/false questions are {value!r}: "
            "a participant who always answers that way scores high",
        ),
    )
    for kind, minimum, max_share, message in rules:
        answers = [q.answer for q in spec.questions if q.type == kind]
        if len(answers) < minimum:
            continue
        value, n = Counter(answers).most_common(1)[0]
        if n / len(answers) > max_share:
            yield _problem(
                "answer-pattern", spec, None, "answer", message.format(value=value, n=n, total=len(answers))
            )


def _likert_balance(spec: QuizSpec) -> Iterable[Problem]:
    items = [q for q in spec.questions if q.type == "likert"]
    if len(items) < MIN_LIKERT_FOR_BALANCE:
        return
    n_reverse = sum(q.reverse for q in items)
    if n_reverse == 0 or n_reverse == len(items):
        kind = "reverse-scored" if n_reverse == 0 else "positively scored"
        yield _problem(
            "likert-balance",
            spec,
            None,
            "reverse",
            f"the attitude scale has {len(items)} items and no {kind} item: "
            "mix both so agreeing with everything does not give a high score",
        )


def lint_quiz(spec: QuizSpec) -> list[Problem]:
    """Every content problem of one parsed quiz (rules that need only this quiz)."""
    problems: list[Problem] = []
    problems += _quiz_texts(spec)
    problems += _duplicate_keys(spec)
    problems += _duplicate_stems_within(spec)
    for q in spec.questions:
        for rule in _QUESTION_RULES:
            problems += rule(spec, q)
    problems += _answer_pattern(spec)
    problems += _likert_balance(spec)
    return problems


# -- bank rules -----------------------------------------------------------------------------------


def _duplicate_quiz_ids(specs: list[QuizSpec]) -> Iterable[Problem]:
    first: dict[str, QuizSpec] = {}
    for spec in specs:
        if spec.id in first:
            yield _problem(
                "duplicate-key",
                spec,
                None,
                "id",
                f"the quiz id {spec.id!r} is also used by {first[spec.id].file}",
            )
        else:
            first[spec.id] = spec


def _topic_counts(spec: QuizSpec) -> Counter:
    return Counter(q.topic for q in spec.questions)


def _parallel_forms(specs: list[QuizSpec]) -> Iterable[Problem]:
    groups: dict[str, list[QuizSpec]] = defaultdict(list)
    for spec in specs:
        if spec.parallel_group:
            groups[spec.parallel_group].append(spec)
            if not spec.form:
                yield _problem(
                    "parallel-forms",
                    spec,
                    None,
                    "form",
                    f"the quiz is in parallel group {spec.parallel_group!r} but names no form (A or B)",
                )
        elif spec.form:
            yield _problem(
                "parallel-forms",
                spec,
                None,
                "parallel_group",
                f"the quiz is form {spec.form} but names no parallel_group",
            )
    for group, members in sorted(groups.items()):
        members = sorted(members, key=lambda s: (s.form or "", s.id))
        forms = Counter(s.form for s in members if s.form)
        if len(members) < 2:
            yield _problem(
                "parallel-forms",
                members[0],
                None,
                "parallel_group",
                f"parallel group {group!r} has only one form; add the other form or drop the group",
            )
            continue
        for form, n in forms.items():
            if n > 1:
                dupes = ", ".join(s.file for s in members if s.form == form)
                yield _problem(
                    "parallel-forms",
                    members[-1],
                    None,
                    "form",
                    f"parallel group {group!r} has form {form} {n} times ({dupes})",
                )
        ref = members[0]
        ref_counts = _topic_counts(ref)
        for other in members[1:]:
            if other.audience != ref.audience:
                yield _problem(
                    "parallel-forms",
                    other,
                    None,
                    "audience",
                    f"audience {other.audience!r} differs from {ref.file} ({ref.audience!r})",
                )
            counts = _topic_counts(other)
            missing = sorted(set(ref_counts) - set(counts))
            extra = sorted(set(counts) - set(ref_counts))
            if missing or extra:
                parts = []
                if missing:
                    parts.append(f"missing topics {', '.join(missing)}")
                if extra:
                    parts.append(f"extra topics {', '.join(extra)}")
                yield _problem(
                    "parallel-forms",
                    other,
                    None,
                    "topic",
                    f"does not cover the same topics as {ref.file}: {'; '.join(parts)}",
                )
            for topic in sorted(set(ref_counts) & set(counts)):
                if abs(ref_counts[topic] - counts[topic]) > MAX_TOPIC_COUNT_DIFF:
                    yield _problem(
                        "parallel-forms",
                        other,
                        None,
                        "topic",
                        f"topic {topic!r} has {counts[topic]} questions here and "
                        f"{ref_counts[topic]} in {ref.file}",
                    )
            n_ref = sum(q.scored for q in ref.questions)
            n_other = sum(q.scored for q in other.questions)
            if n_ref != n_other:
                yield _problem(
                    "parallel-forms",
                    other,
                    None,
                    "questions",
                    f"{n_other} scored questions here and {n_ref} in {ref.file}: "
                    "parallel forms need the same number so scores compare",
                )
        # A stem repeated across the forms makes the post-test partly a re-test.
        for lang in _LANGS:
            seen: dict[str, tuple[QuizSpec, str]] = {}
            for spec in members:
                for q in spec.questions:
                    norm = _normalise(_text(q.stem, lang))
                    if norm in seen and seen[norm][0] is not spec:
                        first, key = seen[norm]
                        yield _problem(
                            "duplicate-stem",
                            spec,
                            q.key,
                            f"stem.{lang}",
                            f"the same stem as question {key} in {first.file}, a parallel form",
                        )
                    seen.setdefault(norm, (spec, q.key))


def lint_specs(specs: list[QuizSpec]) -> list[Problem]:
    """Every content problem of a set of parsed quizzes: each quiz, then the rules across quizzes."""
    problems: list[Problem] = []
    for spec in specs:
        problems += lint_quiz(spec)
    problems += _duplicate_quiz_ids(specs)
    problems += _parallel_forms(specs)
    return problems


def check_files(paths: Iterable[str | Path]) -> list[Problem]:
    """Schema problems (from the loader) and content problems of the given quiz files.

    A file the loader refuses is reported with the loader's problems and is not
    linted further; the other files are still checked, together.
    """
    specs: list[QuizSpec] = []
    problems: list[Problem] = []
    for path in paths:
        spec, found = parse_quiz_file(path)
        problems += found
        if spec is not None:
            specs.append(spec)
    problems += lint_specs(specs)
    return problems


def check_bank(directory: str | Path) -> list[Problem]:
    """Every problem of every quiz file in a directory (what `flask quizzes check` prints)."""
    return check_files(quiz_files(directory))

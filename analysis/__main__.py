"""Command line: ``python -m analysis report FILE [options]`` (``--help`` lists them)
and ``python -m analysis coverage FILE --period 2026-08 [--semester] [--target 50] [--lang id|en] [--format text|json]``.

Exit status 0 on success, 2 when the file or an option is wrong (the message
names the row, the column and the value).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from ._base import P_ADJUST_METHODS
from .attitude import ATTITUDE_RULES
from .coverage import coverage, read_visits_file, render_coverage_text
from .format import explain_file_error
from .io import DataFileError, read_session_file
from .normality import NORMALITY_RULES
from .report import render_text
from .summary import analyse


def _cutoffs(text: str) -> dict[str, float]:
    try:
        baik, cukup = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected BAIK,CUKUP such as 76,56, got {text!r}") from None
    return {"baik": baik, "cukup": cukup}


def _names(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def _topic(text: str) -> tuple[str, list[str]]:
    name, sep, questions = text.partition("=")
    if not sep or not name.strip() or not _names(questions):
        raise argparse.ArgumentTypeError(f"expected TOPIC=q1,q2,q3, got {text!r}")
    return name.strip(), _names(questions)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Pre/post test statistics.")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="analyse a CSV or XLSX file of pre/post scores or 0/1 answers")
    rep.add_argument("file", help="CSV (comma or semicolon) or XLSX, one row per participant")
    rep.add_argument("--max-score", type=float, default=100.0, help="highest possible score (default 100)")
    rep.add_argument(
        "--threshold",
        type=float,
        default=76.0,
        help="percent of the maximum a post score must reach to count as understood (default 76)",
    )
    rep.add_argument(
        "--cutoffs",
        type=_cutoffs,
        default=None,
        help="knowledge category cut-offs in percent, BAIK,CUKUP (default 76,56)",
    )
    rep.add_argument(
        "--normality-rule",
        choices=NORMALITY_RULES,
        default="sample_size",
        help="which normality test picks the leading test (default: Shapiro-Wilk below 50 pairs, "
        "Kolmogorov-Smirnov with Lilliefors from 50)",
    )
    rep.add_argument(
        "--p-adjust",
        choices=P_ADJUST_METHODS,
        default="holm",
        help="correction for many questions (default holm)",
    )
    rep.add_argument(
        "--attitude-reverse",
        type=_names,
        default=[],
        metavar="S2,S5",
        help="the reverse-scored attitude statements (columns att_pre_<s> / att_post_<s>)",
    )
    rep.add_argument(
        "--attitude-rule",
        choices=ATTITUDE_RULES,
        default="percent",
        help="attitude categories: percent of the maximum (76/56) or total against the pre-test mean",
    )
    rep.add_argument(
        "--topic",
        type=_topic,
        action="append",
        default=[],
        metavar="TOPIC=q1,q2,q3",
        help="questions of one topic (repeat for each topic); needs item columns",
    )
    rep.add_argument(
        "--group-reference", default=None, help="the control group's label in the 'group' column"
    )
    rep.add_argument("--lang", choices=("id", "en"), default="id", help="language of the tables and messages")
    rep.add_argument(
        "--rescale-fractions",
        action="store_true",
        help="scores kept as fractions of one (0.8 shown as 80%% in Excel): multiply them by --max-score",
    )
    rep.add_argument("--format", choices=("text", "json"), default="text", help="text tables or JSON")
    cov = sub.add_parser(
        "coverage", help="exclusive-breastfeeding coverage of a CSV or XLSX file of cohort visits"
    )
    cov.add_argument("file", help="CSV (comma or semicolon) or XLSX, one row per visit")
    cov.add_argument(
        "--period", required=True, help="the month, YYYY-MM (with --semester: February or August)"
    )
    cov.add_argument(
        "--semester",
        action="store_true",
        help="the six months ending with --period instead of the month alone",
    )
    cov.add_argument("--target", type=float, default=None, help="target coverage in percent, such as 50")
    cov.add_argument("--lang", choices=("id", "en"), default="id", help="language of the text tables")
    cov.add_argument("--format", choices=("text", "json"), default="text", help="text tables or JSON")
    args = parser.parse_args(argv)
    if args.command == "coverage":
        return _coverage(args)

    try:
        if not args.max_score > 0:
            raise DataFileError(f"--max-score must be positive, got {args.max_score:g}")
        if not 0 <= args.threshold <= 100:
            raise DataFileError(f"--threshold must be a percent between 0 and 100, got {args.threshold:g}")
        data = read_session_file(
            args.file, max_score=args.max_score, fractions="rescale" if args.rescale_fractions else "refuse"
        )
        if args.attitude_reverse and not data.attitude_statements:
            raise DataFileError("--attitude-reverse needs attitude columns att_pre_<s> and att_post_<s>")
        topics = None
        if args.topic:
            tag = {q: name for name, qs in args.topic for q in qs}
            unknown = sorted(set(tag) - set(data.questions))
            if unknown:
                raise DataFileError(f"--topic names questions that are not in the file: {', '.join(unknown)}")
            topics = [tag.get(q) for q in data.questions]
        result = analyse(
            data.pre,
            data.post,
            max_score=args.max_score,
            threshold=args.threshold,
            cutoffs=args.cutoffs,
            items_pre=data.items_pre,
            items_post=data.items_post,
            questions=data.questions or None,
            characteristics=data.characteristics,
            participant_ids=data.participants,
            normality_rule=args.normality_rule,
            p_adjust=args.p_adjust,
            followup=data.followup,
            items_followup=data.items_followup,
            attitude_pre=data.attitude_pre,
            attitude_post=data.attitude_post,
            attitude_statements=data.attitude_statements or None,
            attitude_reverse=args.attitude_reverse,
            attitude_rule=args.attitude_rule,
            topics=topics,
            groups=data.groups,
            group_reference=args.group_reference,
        )
    except DataFileError as exc:
        print(f"{args.file}: {explain_file_error(exc, args.lang)}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    return _print_result(result, args, render_text)


def _print_result(result: Any, args: argparse.Namespace, render: Callable[[Any, str], str]) -> int:
    """Print the result as JSON (``--format json``) or as ``render``'s text tables; exit status 0."""
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(result, args.lang), end="")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    try:
        if args.target is not None and not 0 <= args.target <= 100:
            raise DataFileError(f"--target must be a percent between 0 and 100, got {args.target:g}")
        result = coverage(
            read_visits_file(args.file), args.period, semester=args.semester, target=args.target
        )
    except (DataFileError, ValueError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    return _print_result(result, args, render_coverage_text)


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m analysis report FILE [--max-score 100] [--threshold 76] [--lang id|en] [--format text|json]``.

Exit status 0 on success, 2 when the file or an option is wrong (the message
names the row, the column and the value).
"""

from __future__ import annotations

import argparse
import json
import sys

from .format import explain_file_error
from .io import DataFileError, read_session_file
from .report import render_text
from .summary import analyse


def _cutoffs(text: str) -> dict[str, float]:
    try:
        baik, cukup = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected BAIK,CUKUP such as 76,56, got {text!r}") from None
    return {"baik": baik, "cukup": cukup}


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
    rep.add_argument("--lang", choices=("id", "en"), default="id", help="language of the tables and messages")
    rep.add_argument(
        "--rescale-fractions",
        action="store_true",
        help="scores kept as fractions of one (0.8 shown as 80%% in Excel): multiply them by --max-score",
    )
    rep.add_argument("--format", choices=("text", "json"), default="text", help="text tables or JSON")
    args = parser.parse_args(argv)

    try:
        if not args.max_score > 0:
            raise DataFileError(f"--max-score must be positive, got {args.max_score:g}")
        if not 0 <= args.threshold <= 100:
            raise DataFileError(f"--threshold must be a percent between 0 and 100, got {args.threshold:g}")
        data = read_session_file(
            args.file, max_score=args.max_score, fractions="rescale" if args.rescale_fractions else "refuse"
        )
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
        )
    except DataFileError as exc:
        print(f"{args.file}: {explain_file_error(exc, args.lang)}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result, args.lang), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Pre/post statistics for breastfeeding-education sessions.

A pure package: it imports numpy, scipy, statsmodels and pandas, and never
Flask, SQLAlchemy or ``app``. The web app, the reports and the command line
(``python -m analysis``) all call it. The entry point is :func:`analyse`;
analysis/README.md lists the keys of its ``to_dict()``.

The names below are imported on first use (PEP 562), not with the package: a
server that imports ``analysis.scoring`` for a participant's score does not load
scipy, statsmodels and pandas (about 100 MB and 2 s) until a report needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Each public name and the module that defines it.
_WHERE = {
    "Descriptives": "descriptives",
    "describe": "descriptives",
    "KnowledgeCategories": "gain",
    "NormalizedGain": "gain",
    "knowledge_categories": "gain",
    "normalized_gain": "gain",
    "GainByCharacteristic": "groups",
    "frequency_table": "groups",
    "gain_by_characteristic": "groups",
    "ItemQuality": "items",
    "McNemarExact": "items",
    "QuestionChange": "items",
    "Reliability": "items",
    "cronbach_alpha": "items",
    "item_quality": "items",
    "kr20": "items",
    "mcnemar_exact": "items",
    "question_changes": "items",
    "NormalityTest": "normality",
    "lilliefors": "normality",
    "shapiro_wilk": "normality",
    "PairedTTest": "paired",
    "WilcoxonSignedRank": "paired",
    "paired_t_test": "paired",
    "wilcoxon_signed_rank": "paired",
    "ProportionCI": "proportion",
    "ProportionUnderstood": "proportion",
    "proportion_understood": "proportion",
    "wilson_ci": "proportion",
    "individual_normalized_gain": "scoring",
    "percent_score": "scoring",
    "score_gain": "scoring",
    "FullAnalysis": "summary",
    "LeadingTest": "summary",
    "analyse": "summary",
    "leading_test": "summary",
}

__all__ = [
    "Descriptives",
    "FullAnalysis",
    "GainByCharacteristic",
    "ItemQuality",
    "KnowledgeCategories",
    "LeadingTest",
    "McNemarExact",
    "NormalityTest",
    "NormalizedGain",
    "PairedTTest",
    "ProportionCI",
    "ProportionUnderstood",
    "QuestionChange",
    "Reliability",
    "WilcoxonSignedRank",
    "analyse",
    "cronbach_alpha",
    "describe",
    "frequency_table",
    "gain_by_characteristic",
    "individual_normalized_gain",
    "item_quality",
    "knowledge_categories",
    "kr20",
    "leading_test",
    "lilliefors",
    "mcnemar_exact",
    "normalized_gain",
    "paired_t_test",
    "percent_score",
    "proportion_understood",
    "question_changes",
    "score_gain",
    "shapiro_wilk",
    "wilcoxon_signed_rank",
    "wilson_ci",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


if TYPE_CHECKING:
    from .descriptives import Descriptives, describe
    from .gain import KnowledgeCategories, NormalizedGain, knowledge_categories, normalized_gain
    from .groups import GainByCharacteristic, frequency_table, gain_by_characteristic
    from .items import (
        ItemQuality,
        McNemarExact,
        QuestionChange,
        Reliability,
        cronbach_alpha,
        item_quality,
        kr20,
        mcnemar_exact,
        question_changes,
    )
    from .normality import NormalityTest, lilliefors, shapiro_wilk
    from .paired import PairedTTest, WilcoxonSignedRank, paired_t_test, wilcoxon_signed_rank
    from .proportion import ProportionCI, ProportionUnderstood, proportion_understood, wilson_ci
    from .scoring import individual_normalized_gain, percent_score, score_gain
    from .summary import FullAnalysis, LeadingTest, analyse, leading_test

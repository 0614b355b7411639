"""Pre/post statistics for breastfeeding-education sessions.

A pure package: it imports numpy, scipy, statsmodels and pandas, and never
Flask, SQLAlchemy or ``app``. The web app, the reports and the command line
(``python -m analysis``) all call it. The entry point is :func:`analyse`;
analysis/README.md lists the keys of its ``to_dict()``.
"""

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

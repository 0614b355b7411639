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
    "analyse",
    "FullAnalysis",
    "LeadingTest",
    "leading_test",
    "describe",
    "Descriptives",
    "shapiro_wilk",
    "lilliefors",
    "NormalityTest",
    "paired_t_test",
    "PairedTTest",
    "wilcoxon_signed_rank",
    "WilcoxonSignedRank",
    "normalized_gain",
    "NormalizedGain",
    "knowledge_categories",
    "KnowledgeCategories",
    "wilson_ci",
    "ProportionCI",
    "proportion_understood",
    "ProportionUnderstood",
    "mcnemar_exact",
    "McNemarExact",
    "question_changes",
    "QuestionChange",
    "item_quality",
    "ItemQuality",
    "kr20",
    "cronbach_alpha",
    "Reliability",
    "frequency_table",
    "gain_by_characteristic",
    "GainByCharacteristic",
    "percent_score",
    "score_gain",
    "individual_normalized_gain",
]

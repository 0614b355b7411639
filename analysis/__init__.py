"""Pre/post statistics for breastfeeding-education sessions.

A pure package: it imports numpy, scipy, statsmodels and pandas, and never
Flask, SQLAlchemy or ``app``. The web app, the reports and the command line
(``python -m analysis``) all call it.
"""

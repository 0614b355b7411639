"""Reports: the results page, PDF/Word/SPSS/Excel downloads, pooled sessions, uploads and certificates."""

from flask import Blueprint

bp = Blueprint("reports", __name__, cli_group=None)

from app.reports import views  # noqa: E402,F401

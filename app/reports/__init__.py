"""Reports: the results page, PDF/Word/SPSS/Excel downloads, pooled sessions, uploads and certificates."""

from flask import Blueprint

bp = Blueprint("reports", __name__, static_folder="static", cli_group=None)

from app.reports import views  # noqa: E402,F401
from app.reports import cli  # noqa: E402,F401  (flask report, flask certificates)

"""Reports: the results page, PDF/Word/SPSS/Excel downloads, pooled sessions, uploads and certificates."""

from flask import Blueprint

bp = Blueprint("reports", __name__, static_folder="static")

# The views register their routes on bp, so they are imported after it exists.
# Its commands (`flask report`, `flask certificates`, app/reports/cli.py) are in create_app's COMMANDS.
from app.reports import views  # noqa: E402,F401

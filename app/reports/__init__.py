"""Reports: the results page, PDF/Word/SPSS/Excel downloads, pooled sessions, uploads and certificates."""

from flask import Blueprint

bp = Blueprint("reports", __name__, static_folder="static", cli_group=None)

# The views register their routes on bp, so they are imported after it exists.
from app.reports import (  # noqa: E402
    cli,  # noqa: F401  (flask report, flask certificates)
    views,  # noqa: F401
)

"""The follow-up cohort (Kohort ASI): register, visits, worklist, coverage, reports and certificates.

Open to cadres (kader), nutrition officers (tpg) and admins; each sees the pairs of her place.
"""

from flask import Blueprint

bp = Blueprint("cohort", __name__, static_folder="static", static_url_path="/static")

# Its commands (`flask cohort`, app/cohort/cli.py) are in create_app's COMMANDS.
from app.cohort import views  # noqa: E402,F401

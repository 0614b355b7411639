"""The follow-up cohort (Kohort ASI): register, visits, worklist, coverage, reports and certificates.

Open to cadres (kader), nutrition officers (tpg) and admins; each sees the pairs of her place.
"""

from flask import Blueprint

bp = Blueprint("cohort", __name__, static_folder="static", static_url_path="/static", cli_group="cohort")

from app.cohort import cli, views  # noqa: E402,F401

"""What every form of the app shares: the validator that keeps control characters out of text."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

#: C0 and C1 control characters, zero-width characters and bidirectional overrides.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def no_control_characters(form, field):
    """Refuse text with control characters (names, titles: they end up in pages, PDFs and spreadsheets)."""
    if field.data and CONTROL_CHARS.search(field.data):
        raise ValidationError(_l("Please use letters, numbers and ordinary punctuation only."))

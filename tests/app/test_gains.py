"""A participant's gains: one derivation (app/services/gains.py) for the session page, exports and report."""

from __future__ import annotations

import doctest

import pytest

from app.services import gains
from app.services.gains import person_gains


def test_the_examples_in_the_docstring_hold():
    assert doctest.testmod(gains).failed == 0


@pytest.mark.parametrize(
    ("pre", "post", "max_score", "expected"),
    [
        (40.0, 70.0, 100.0, (30.0, 0.5)),
        (4.0, 7.0, 10.0, (3.0, 0.5)),  # a file scored out of 10
        (80.0, 60.0, 100.0, (-20.0, -1.0)),
        (None, 70.0, 100.0, (None, None)),
        (10.0, 10.0, 10.0, (0.0, None)),  # no room to gain: no N-gain
    ],
)
def test_person_gains(pre, post, max_score, expected):
    assert tuple(person_gains(pre, post, max_score)) == expected

"""Hypothesis strategies for hostile and broken input."""

from __future__ import annotations

from hypothesis import strategies as st

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "{{ 7*7 }}",
    "{% raw %}x",
    '=HYPERLINK("http://evil.example","klik")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTab",
    "'; DROP TABLE participant; --",
    "Robert'); DELETE FROM answer;--",
    "\u202eevil\u202c",
    "\x00nul",
    "A" * 10_000,
    "😀" * 200,
    "Ibu Siti\r\nSet-Cookie: x=y",
    "%00%ff",
    "../../etc/passwd",
    "\ud7ff\ue000",
]

#: Text of every kind: ordinary, with control characters, markup, formulas, very long.
hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=120),
    st.text(
        alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000, exclude_categories=("Cs",)),
        min_size=1,
        max_size=400,
    ),
    st.text(min_size=200, max_size=3000),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(max_size=40)),
)

#: Values of the wrong type, for JSON bodies.
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text)
wrong_json = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=8,
)

#: Form bodies that are not valid UTF-8 once percent-decoded.
broken_bytes = st.binary(min_size=1, max_size=200).filter(lambda b: _not_utf8(b))


def _not_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def percent(b: bytes) -> str:
    return "".join(f"%{c:02X}" for c in b)

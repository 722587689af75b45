"""A name from a musician's file or Live set, quoted in a message as it shows there."""

from __future__ import annotations

JOINERS = frozenset("\u200c\u200d")
"""The characters Python's ``repr`` escapes that are part of how a name shows: the zero-width
joiners inside an emoji (👩‍🎤 is 👩, a joiner and 🎤) and in Indic and Arabic scripts."""


def shown_name(name: str) -> str:
    """``name`` quoted as ``repr`` quotes it, its control characters, bidi overrides and other
    unprintables escaped, but its joiners kept: a clip named "Vox 👩‍🎤" was said as
    'Vox 👩\\u200d🎤' in `segue live learn` and a --track refusal (helper-327)."""
    quote = '"' if "'" in name and '"' not in name else "'"
    return quote + "".join(_shown(c, quote) for c in name) + quote


def _shown(c: str, quote: str) -> str:
    if c in ("\\", quote):
        return "\\" + c
    if c.isprintable() or c in JOINERS:
        return c
    return repr(c)[1:-1]

"""A name from a musician's file or Live set, in a message or a table as it shows there:
quoted (:func:`shown_name`) or bare (:func:`bare_name`), by one rule."""

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


def bare_name(name: str) -> str:
    """``name`` unquoted, in a table or a list of names, its unprintables escaped as
    :func:`shown_name` escapes them and all else as it is: a track named with U+202E (a
    right-to-left override) turned the rest of `segue inspect`'s line around."""
    return "".join(_shown(c, "") for c in name)


def _shown(c: str, quote: str) -> str:
    if quote and c in ("\\", quote):
        return "\\" + c
    if c.isprintable() or c in JOINERS:
        return c
    return repr(c)[1:-1]

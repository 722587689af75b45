"""Printing to a console that cannot show every character, without ever failing over one.

Redirected to a file or a pipe, Windows' Python writes in the locale's code page
(cp1252, cp932, ...), which has no ✓ and may have no letter of a clip's name. Then
segue's own marks are spelled plainly (:func:`plain`), and any other character the
stream cannot encode is escaped (``\\u2713``) rather than stopping the command with
a UnicodeEncodeError after its work is done (:func:`forgiving_streams`).
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import TextIO

PLAIN_MARKS = str.maketrans({"✓": "ok", "✗": "x", "±": "+-", "×": "x", "—": "-"})
"""segue's symbols, as a console that cannot encode them shows them."""

ERRORS = "segue-console"
"""The streams' error handler: bytes that came in undecodable (a POSIX file name in an ASCII
locale, held as surrogates) go out as they came; any other character is escaped."""


def _escape(error: UnicodeError) -> tuple[str | bytes, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    if all("\udc80" <= c <= "\udcff" for c in error.object[error.start : error.end]):
        return codecs.lookup_error("surrogateescape")(error)
    return codecs.backslashreplace_errors(error)


codecs.register_error(ERRORS, _escape)


def forgiving_streams() -> None:
    """Let stdout and stderr escape what their encoding cannot show, instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "surrogateescape"):
            stream.reconfigure(errors=ERRORS)


def can_encode(text: str, stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (stdout) can write ``text`` as it is."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def plain(text: str, stream: TextIO | None = None) -> str:
    """``text``, with segue's marks spelled plainly if ``stream`` (stdout) cannot encode it."""
    return text if can_encode(text, stream) else text.translate(PLAIN_MARKS)

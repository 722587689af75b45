"""Printing to a console that cannot show every character, without ever failing over one.

Redirected to a file or a pipe, Windows' Python writes in the locale's code page
(cp1252, cp932, ...), which has no ✓ and may have no letter of a clip's name. Then
segue's own marks are spelled plainly (:func:`plain`), and any other character the
stream cannot encode is escaped (``\\u2713``) rather than stopping the command with
a UnicodeEncodeError after its work is done, or shown as ``?`` (:func:`forgiving_streams`).
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

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

ASCII = "segue-ascii"
"""ASCII under a name of segue's own, for a stream in ASCII (a C locale, ``PYTHONIOENCODING=
ascii``): click rewrites every line to such a stream in UTF-8 with errors "replace", past
:data:`ERRORS`, so a file name's undecodable bytes came out as ``J??rg``, and its letters
as UTF-8 an ASCII console shows as garbage. Under this name click leaves the stream as it
is, and :data:`ERRORS` does its work."""


def _ascii_codec(name: str) -> codecs.CodecInfo | None:
    if name != ASCII.replace("-", "_"):  # codecs looks names up in lower case, - as _
        return None
    plain = codecs.lookup("ascii")
    return codecs.CodecInfo(
        plain.encode,
        plain.decode,
        plain.streamreader,
        plain.streamwriter,
        plain.incrementalencoder,
        plain.incrementaldecoder,
        name=ASCII,
    )


codecs.register(_ascii_codec)


FORGIVEN = ("strict", "surrogateescape", "backslashreplace")
"""The error handlers a stream starts with (stderr's is backslashreplace) that
:data:`ERRORS` replaces; one set on purpose (PYTHONIOENCODING=:replace) is kept."""


def forgiving_streams() -> None:
    """Let stdout and stderr escape what their encoding cannot show, instead of raising (or
    writing ``?``, as click did to an ASCII stream: see :data:`ASCII`)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in FORGIVEN:
            ascii = codecs.lookup(stream.encoding).name == "ascii"
            stream.reconfigure(encoding=ASCII if ascii else None, errors=ERRORS)


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


def printed(text: str, stream: TextIO | None = None) -> str:
    """``text`` as ``stream`` (stdout) writes it: each character its encoding lacks escaped
    (``\\u65e5``, by :data:`ERRORS`) or replaced, as the stream's own error handler does."""
    out = stream or sys.stdout
    encoding = getattr(out, "encoding", None) or "ascii"
    try:
        written = text.encode(encoding, getattr(out, "errors", None) or ERRORS)
    except (UnicodeError, LookupError):
        return text
    return written.decode(encoding, "replace")


def columns(text: str) -> int:
    """The columns ``text`` takes on a console: two for a wide letter (日), none for a
    combining mark, one for any other."""
    wide = ("W", "F")
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in wide else 1
        for c in text
    )


def padded(text: str, width: int, stream: TextIO | None = None) -> str:
    """``text`` and the spaces that fill it to ``width`` columns as ``stream`` (stdout) shows
    it: ``f"{name:<24}"`` counted an escaped letter (``\\u65e5`` under cp1252) as one, so a
    column after a name that held one came out of line."""
    return text + " " * max(0, width - columns(printed(text, stream)))


CLOSED_PIPE = (errno.EPIPE, errno.EINVAL)
"""A write to a pipe whose reader has gone: EPIPE, or EINVAL as Windows reports it."""


GONE = (*CLOSED_PIPE, errno.EIO)
"""A write to a console that has gone: a pipe whose reader has gone (:data:`CLOSED_PIPE`), or
a terminal hung up (EIO: its window closed)."""


def write_nowhere(stream: TextIO) -> None:
    """Point ``stream``'s file at the null device: what it still holds, what is written to it
    later and the interpreter's last flush go nowhere, without failing. A stream without a
    file of its own is left as it is."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)
        stream.flush()
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


class QuietWhenClosed:
    """A text stream that goes quiet once its reader has closed it (``segue generate ... |
    head -1``) or its terminal has hung up (its window closed, the hangup ignored): what is
    written after that is dropped, and the stream's file is pointed at the null device so
    no later flush fails either. The command goes on and finishes its files: click's own
    answer to a closed pipe ended it there, with status 1, before the piano roll was
    written; and a bridge whose terminal had closed ended with status 1 and a traceback at
    its last line ("segue bridge stopped", EIO)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                return self._stream.write(text)
            except OSError as exc:
                self._gone(exc)
        return len(text)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self._stream.flush()
            except OSError as exc:
                self._gone(exc)

    def _gone(self, exc: OSError) -> None:
        if exc.errno not in GONE:
            raise exc
        self.closed_by_reader = True
        write_nowhere(self._stream)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def quiet_when_closed() -> Iterator[QuietWhenClosed]:
    """``sys.stdout`` and ``sys.stderr`` as :class:`QuietWhenClosed` streams inside, as they
    were after: segue's notices go to stderr, and with ``2>&1 | head -1`` (or stderr closed
    alone) a notice written after the reader left ended the command with status 1 and no
    files (helper-71)."""
    out, err = sys.stdout, sys.stderr
    quiet = QuietWhenClosed(out)
    sys.stdout = cast(TextIO, quiet)
    sys.stderr = cast(TextIO, QuietWhenClosed(err))
    try:
        yield quiet
    finally:
        sys.stdout, sys.stderr = out, err

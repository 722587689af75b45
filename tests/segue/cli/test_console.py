"""A console that cannot show every character: plain marks, escapes, never an error."""

from __future__ import annotations

import io
import os

import pytest

from segue.cli.console import ERRORS, QuietWhenClosed, can_encode, plain


def stream(encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding)


def test_marks_are_spelled_plainly_where_the_console_cannot_show_them() -> None:
    assert plain("3/12 ✓ ± 1", stream("utf-8")) == "3/12 ✓ ± 1"
    assert plain("3/12 ✓ ✗", stream("cp1252")) == "3/12 ok x"
    assert can_encode("Jörg", stream("cp1252")) and not can_encode("✓", stream("ascii"))


def test_the_error_handler_escapes_characters_and_passes_undecodable_bytes_on() -> None:
    assert "✓ café".encode("ascii", errors=ERRORS) == b"\\u2713 caf\\xe9"
    name = b"caf\xe9.mid".decode("ascii", errors="surrogateescape")
    assert name.encode("ascii", errors=ERRORS) == b"caf\xe9.mid"


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals")
def test_a_terminal_hung_up_goes_quiet_as_a_closed_pipe_does() -> None:
    """`segue serve &` from a shell that leaves its jobs running (the hangup ignored), its
    window then closed: a write fails with EIO, and the bridge's last line ("segue bridge
    stopped") ended it with status 1 and a traceback. The stream goes quiet, as it does for
    a pipe whose reader has gone."""
    reader, fd = os.openpty()
    console = os.fdopen(fd, "w", encoding="utf-8")
    quiet = QuietWhenClosed(console)
    try:
        os.close(reader)  # the window closes
        quiet.write("segue bridge stopped\n")
        quiet.flush()
        assert quiet.closed_by_reader
        console.write("the last flush at exit\n")
        console.flush()  # goes nowhere, without failing
    finally:
        console.close()

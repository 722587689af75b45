"""A console that cannot show every character: plain marks, escapes, never an error."""

from __future__ import annotations

import io

from segue.cli.console import ERRORS, can_encode, plain


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

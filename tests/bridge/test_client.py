"""The Python client of the bridge: lost notes are noticed."""

from __future__ import annotations

import pytest

from segue.bridge import protocol as P
from segue.notes import TimeSignature


def test_the_client_notices_lost_notes() -> None:
    from segue.bridge.client import _Assembler
    from segue.errors import SegueError

    assembler = _Assembler(TimeSignature())
    assembler.add(P.VARIATION_BEGIN, [1, 0, 2, 4.0, 4.0])
    assembler.add(P.VARIATION_NOTE, [1, 0, 60, 0.0, 1.0, 90])
    with pytest.raises(SegueError, match="1 of 2 notes arrived"):
        assembler.add(P.VARIATION_END, [1, 0])

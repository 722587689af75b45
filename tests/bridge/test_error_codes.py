"""Error codes: every one the bridge raises is documented; one table answers every exception."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from segue.bridge import protocol as P
from segue.bridge.error_codes import ERROR_CODES, cancelled, error_for
from segue.bridge.errors import NO_REQUEST, ProtocolError
from segue.errors import LiveError, LiveTimeout, NoClipError, NoEmptySlotError
from segue.model.generate import GenerationCancelled, GenerationError

ROOT = Path(__file__).resolve().parents[2]


def test_every_error_code_raised_in_the_bridge_is_documented() -> None:
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "bridge").rglob("*.py"))
    raised = set(re.findall(r'ProtocolError\(\s*"([a-z_]+)"', sources))
    raised |= set(re.findall(r'over="([a-z_]+)"', sources))
    raised |= {e.code for e in ERROR_CODES if e.code is not None}
    raised |= {kind.code for kind in (LiveError, LiveTimeout, NoClipError, NoEmptySlotError)}
    raised.add("internal")
    assert raised <= P.ERROR_CODES, raised - P.ERROR_CODES
    assert len(raised) >= 15


@pytest.mark.parametrize(
    ("exc", "code", "sentence"),
    [
        (ProtocolError("busy", "the queue is full"), "busy", "the queue is full"),
        (
            GenerationCancelled("stopped after 3 of the notes"),
            "cancelled",
            "request 7 was cancelled",
        ),
        (NoClipError("no clip in the selected slot"), "no_clip", "no clip in the selected slot"),
        (LiveTimeout("Live did not answer"), "live_timeout", "Live did not answer"),
        (LiveError("AbletonOSC: oops"), "live_error", "AbletonOSC: oops"),
        (GenerationError("no pitch of C major"), "cannot_generate", "no pitch of C major"),
        (ValueError("a bug"), "internal", "generation failed (ValueError); see the bridge's log"),
        (OSError("a bug too"), "internal", "generation failed (OSError); see the bridge's log"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else None,
)
def test_one_table_answers_every_exception(exc, code, sentence) -> None:
    error = error_for(exc, 7, "generation failed")
    assert (error.code, error.message, error.request_id) == (code, sentence, 7)


def test_an_error_that_names_its_request_keeps_it() -> None:
    assert error_for(ProtocolError("no_seed", "no seed", 3), 7, "x").request_id == 3
    assert error_for(ValueError(), NO_REQUEST, "x").request_id == NO_REQUEST
    assert (cancelled(4).code, cancelled(4).message) == ("cancelled", "request 4 was cancelled")

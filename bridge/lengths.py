"""Every length limit of a request, in beats and in notes, whatever the time signature.

A length in bars becomes beats in the seed's time signature, so one bar of 99/1
is 396 beats: :func:`check` holds bars to the same limit in beats as ``beats``
(256), before anything is generated. A length in bars or beats says nothing of
how many notes come back, so :func:`capped` cuts each variation to
:func:`notes_per_variation` notes: 2,048, or fewer when many variations would
together pass :data:`segue.model.settings.MAX_REQUEST_NOTES` (a length in notes
over it is refused at once). That bounds what one request can make the bridge
send, whoever asks. The limits are the library's, which ``segue generate`` keeps too.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from segue.bridge.errors import ProtocolError
from segue.bridge.params import PARAMS_BY_NAME
from segue.model.settings import GenerationError, check_length, notes_per_variation
from segue.notes import Clip, TimeSignature

__all__ = ["MAX_BEATS", "MAX_NOTES", "capped", "check", "notes_per_variation"]

MAX_BEATS = float(PARAMS_BY_NAME["beats"].high or 0)
MAX_NOTES = int(PARAMS_BY_NAME["notes"].high or 0)


def check(params: Any, signature: TimeSignature) -> None:
    """Refuse (``too_long``) a request whose length passes a limit; ``params`` are checked
    ``GenerationParams``, ``signature`` the seed's. The limits are the library's
    (:func:`segue.model.settings.check_length`): ``segue generate`` keeps the same."""
    try:
        check_length(params, signature)
    except GenerationError as exc:
        raise ProtocolError("too_long", str(exc)) from None


def capped(variations: tuple[Any, ...]) -> tuple[Any, ...]:
    """The variations (each with a ``clip``), each cut to its share of notes and ending at
    the bar of its last note (it kept the length asked for, and its second half was
    silent: a musician got 16 clips of 64 bars that stopped playing at bar 32)."""
    most = notes_per_variation(len(variations))
    return tuple(
        v if len(v.clip) <= most else replace(v, clip=_cut(v.clip, most)) for v in variations
    )


def _cut(clip: Clip, most: int) -> Clip:
    """``clip`` cut to ``most`` notes, the chord that would pass them left out whole (a
    take cut at its share ended on part of a chord; see ``--notes``)."""
    ordered = sorted(clip.notes, key=lambda n: n.start)
    past = ordered[most].start
    kept = [n for n in ordered[:most] if n.start != past] or ordered[:most]
    bar = clip.time_signature.beats_per_bar
    end = max(n.start + n.duration for n in kept)
    length = min(clip.length, math.ceil(end / bar - 1e-9) * bar)
    return Clip(tuple(kept), length, clip.time_signature)

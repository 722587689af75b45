"""A clip as segue reads it before a network hears it, read once for all who read it.

A request reads its clip so up to three times: ``auto`` scores the clip as written
(``segue.model.choice``), generation continues it so (``segue.model.generate``), and a
request in ``--key auto`` names a slip in it so (``segue.model.wrong_notes``); the
musician's next takes of the clip read it again. :func:`clip_reading` reads it once:
how the network hears its notes (``feel.hearing_of``), where a played line's notes end as
written (``feel.written_ends``), the clip so read and its grid rows. It keeps the
readings of the latest :data:`KEPT` clips by the clip itself (every note, the length and
the meter: all that a reading reads) and whether it is a beat; no network's weights
enter it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from segue.grid import clip_rows
from segue.model.feel import Hearing, as_heard, as_written, hearing_of, written_ends
from segue.notes import Clip

KEPT = 64
"""How many clips' readings are kept: ``auto`` remembers 16 clips
(``choice.REMEMBERED``), and a request may read its clip a second time cut after a pickup
or moved into the musician's range or the model's octave (``generate._generate``)."""


@dataclass(frozen=True)
class ClipReading:
    """How the network hears a clip (:attr:`hearing`), where its notes end as written
    (:attr:`ends`: None for a clip read as heard, a beat or a clip on the grid), the clip so
    read (:attr:`clip`) and its grid rows (:attr:`rows`, read-only). Shared by every request
    for the clip: read, never changed."""

    hearing: Hearing
    ends: tuple[float, ...] | None
    clip: Clip
    rows: np.ndarray


def clip_reading(clip: Clip, drums: bool = False) -> ClipReading:
    """``clip`` as generation reads a seed: a line as written (``feel.as_written``), a beat's
    hits as heard (``drums``: a pad's length is no note value), read once for the latest
    :data:`KEPT` clips."""
    return _read(clip, bool(drums))


@lru_cache(maxsize=KEPT)
def _read(clip: Clip, drums: bool) -> ClipReading:
    hearing = hearing_of(clip, drums)
    ends = None if drums else written_ends(clip, hearing)
    read = as_heard(clip, hearing) if ends is None else as_written(clip, hearing, ends)
    rows = clip_rows(read)
    rows.setflags(write=False)
    return ClipReading(hearing, None if ends is None else tuple(ends), read, rows)

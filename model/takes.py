"""Where each take varies the loop: one beat of the last bar of every phrase.

Four takes on a loop are worth having when each is the loop with a change of its
own. Left to chance, a note-by-note rate either keeps many takes identical to the
clip or changes several notes of every take (on the LMMS dev leads: 29% of takes the
clip again, against 25% of the real continuations, and 87% of what repeating the
clip gets right). So each take keeps the loop (at the loop's strength) everywhere but in
one beat of the last bar of every 4-bar phrase, a different beat for each take while
the bar has enough beats where the loop plays. In that beat the take keeps the loop's
rhythm (onsets, lengths, velocities) and the network plays other pitches: a turn at
the end of the phrase that leaves the groove where it was. A phrase whose last bar
is silent in the loop is kept as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.loop import PHRASE_BARS, LoopHistory

if TYPE_CHECKING:
    from segue.model.architecture import ModelConfig

REACH = 12
"""How far (semitones) a varied note may move from the loop's: an octave."""


def varies_by_takes(config: ModelConfig) -> bool:
    """Whether a model's takes each vary a beat of their own: a melodic model's (a drum
    model's fills vary its phrases)."""
    return not config.drums


class VariedBeats:
    """Each take's varied beat in every phrase after a clip, drawn when first needed."""

    def __init__(
        self, history: LoopHistory, rows: int, rng: np.random.Generator, beat: int = TICKS_PER_BEAT
    ) -> None:
        self.rows = rows
        self.bar = history.bar
        self.shift = history.shift
        self.clip_end = history.clip_end
        self.beat = beat
        start = self.clip_end - self.shift
        onsets = np.asarray(history.onsets[: history.clip_notes], dtype=np.int64)
        self._loop = onsets[onsets >= start] - start  # the loop's onsets, from its start
        self._rng = rng
        self._starts: dict[int, np.ndarray] = {}

    def starts(self, phrase: int) -> np.ndarray:
        """(rows,) where each take's varied beat of ``phrase`` (0: the first after the clip)
        begins, in ticks after the clip's end; -1 where the loop is silent in that bar."""
        if phrase not in self._starts:
            last_bar = (phrase * PHRASE_BARS + PHRASE_BARS - 1) * self.bar
            where = last_bar % self.shift  # the same bar in the loop
            inside = self._loop[(self._loop >= where) & (self._loop < where + self.bar)]
            beats = np.unique((inside - where) // self.beat)
            if len(beats):
                order = self._rng.permutation(beats)
                chosen = order[np.arange(self.rows) % len(order)]
                self._starts[phrase] = last_bar + chosen * self.beat
            else:
                self._starts[phrase] = np.full(self.rows, -1, dtype=np.int64)
        return self._starts[phrase]

    def varies(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) whether a note at each row's ``onsets`` (ticks) falls in its varied beat."""
        after = np.asarray(onsets, dtype=np.int64) - self.clip_end
        phrase_ticks = PHRASE_BARS * self.bar
        last_bar = (after % phrase_ticks >= phrase_ticks - self.bar) & (after >= 0)
        if not last_bar.any():  # most notes: no row is in the last bar of a phrase
            return last_bar
        phrase = after // phrase_ticks
        begin = np.full(self.rows, -1, dtype=np.int64)
        for p in set(phrase[last_bar].tolist()):
            rows = last_bar & (phrase == p)
            begin[rows] = self.starts(p)[rows]
        return last_bar & (begin >= 0) & (after >= begin) & (after < begin + self.beat)

"""Where each take varies the loop: one beat of the last bar of every phrase.

Four takes on a loop are worth having when each is the loop with a change of its
own. Left to chance, a note-by-note rate either keeps many takes identical to the
clip or changes several notes of every take (on the LMMS dev leads: 29% of takes the
clip again, against 25% of the real continuations, and 87% of what repeating the
clip gets right). So each take keeps the loop (at the loop's strength) everywhere but in
one beat of the last bar of every 4-bar phrase, a different beat for each take while
the bar has enough beats where the loop plays. In that beat the take keeps the loop's
rhythm (onsets, lengths, velocities) and the network plays other pitches: a turn at
the end of the phrase that leaves the groove where it was.

A phrase whose last bar is silent in the loop (a call and its rest) has no note to
turn, and kept as it is every take would be the clip again. There each take answers:
the network plays one note in a beat of its own of the silent bar, within an octave of
the loop's next note, and the loop goes on after it.
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
    """Each take's varied beat in every phrase after a clip, drawn when first needed: a
    beat where the loop plays, or in a phrase whose last bar is silent in the loop, a beat
    where the take answers (:meth:`answers`)."""

    def __init__(
        self,
        history: LoopHistory,
        lengths: np.ndarray,
        rows: int,
        rng: np.random.Generator,
        beat: int = TICKS_PER_BEAT,
    ) -> None:
        """``history``: the clip's; ``lengths``: its notes' lengths in ticks, in its order."""
        self.rows = rows
        self.bar = history.bar
        self.shift = history.shift
        self.clip_end = history.clip_end
        self.beat = beat
        start = self.clip_end - self.shift
        onsets = np.asarray(history.onsets[: history.clip_notes], dtype=np.int64)
        ends = onsets + np.asarray(lengths, dtype=np.int64)[: len(onsets)]
        self._loop = onsets[onsets >= start] - start  # the loop's onsets, from its start
        # where the loop's notes sound, from its start (a note held past the loop's end
        # sounds on into its start when it loops)
        spans = np.stack([onsets, ends], axis=1)[ends > start] - start
        self._sounding = np.concatenate([spans, spans[spans[:, 1] > self.shift] - self.shift])
        self._rng = rng
        self._beats: dict[int, tuple[np.ndarray, bool]] = {}

    def _phrase(self, phrase: int) -> tuple[np.ndarray, bool]:
        """Where each take's beat of ``phrase`` begins (ticks after the clip's end), and
        whether the loop is silent in that bar, no note of it sounding (the takes answer
        there; a bar where notes only ring on has no beat to vary and is kept)."""
        if phrase not in self._beats:
            last_bar = (phrase * PHRASE_BARS + PHRASE_BARS - 1) * self.bar
            where = last_bar % self.shift  # the same bar in the loop
            inside = self._loop[(self._loop >= where) & (self._loop < where + self.bar)]
            beats = np.unique((inside - where) // self.beat)
            spans = self._sounding
            silent = not ((spans[:, 0] < where + self.bar) & (spans[:, 1] > where)).any()
            if silent:
                beats = np.arange(max(1, -(-self.bar // self.beat)))
            starts = np.full(self.rows, -1, dtype=np.int64)
            if len(beats):
                order = self._rng.permutation(beats)
                starts = last_bar + order[np.arange(self.rows) % len(order)] * self.beat
            self._beats[phrase] = (starts, silent)
        return self._beats[phrase]

    def starts(self, phrase: int) -> np.ndarray:
        """(rows,) where each take's varied beat of ``phrase`` (0: the first after the clip)
        begins, in ticks after the clip's end; -1 where the loop is silent in that bar."""
        starts, silent = self._phrase(phrase)
        return np.full(self.rows, -1, dtype=np.int64) if silent else starts

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

    def answers(self, latest: np.ndarray, proposed: np.ndarray) -> np.ndarray:
        """(rows,) where each take's answer begins (ticks), or -1: a take answers when the
        loop's next note (at ``proposed``, ticks) would pass over its beat of a silent
        phrase-end bar, which its latest note (at ``latest``) has not reached."""
        latest = np.asarray(latest, dtype=np.int64)
        out = np.full(self.rows, -1, dtype=np.int64)
        phrase_ticks = PHRASE_BARS * self.bar
        phrase = np.maximum(latest - self.clip_end, 0) // phrase_ticks
        # a silent bar between the latest note and the loop's next puts more than a bar
        # between them, so most steps need no look
        for p in set(phrase[np.asarray(proposed) - latest > self.bar].tolist()):
            starts, silent = self._phrase(p)
            if silent:
                begin = self.clip_end + starts
                rows = (phrase == p) & (starts >= 0) & (latest < begin)
                rows &= np.asarray(proposed) >= begin
                out[rows] = begin[rows]
        return out

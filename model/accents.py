"""A clip's accents, for the notes of a model that learnt no dynamics of its own.

The melody and polyphonic models learnt from folk tunes and chorales written without
dynamics, and the producer model's network mostly from parts at one level: their velocity
head answers the previous note's velocity (:func:`echoes_velocity`). A lead accented
110/70/90/70 therefore came back at 72 throughout, its last note's level (helper-40,
helper-51). For such a model a note the network plays gets the velocity the clip gives its
place in the bar (:class:`Accents`): where the clip plays notes at that very place, their
median; else the median of the clip's notes at places of the same metrical weight
(downbeat, beat, half beat, quarter beat, anything finer); else the clip's median. A part
of two hands (``segue.model.hands``) has the accents of each: a left hand held at 70
under a right hand's chords at 100 came back at 100, the downbeat's median (helper-87).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from segue.model.architecture import Network, per_weights

ECHO_SHARE = 0.75
"""Share of velocity classes that the velocity head, told the previous note's class, answers
with that class (:func:`echoes_velocity`), from which a model counts as having no dynamics
of its own. With no context and a middle C: the melody model 0.91, polyphonic 0.91, producer
0.97 (their parts' levels are constant or accent only the downbeat), the drum model 0.22."""
ECHO_PITCH = 60


def echoes_velocity(net: Network) -> bool:
    """Whether ``net`` plays each note as loud as the note before it, whatever it is: its
    velocity head, told each previous velocity class in turn (with no context), answers
    that class for at least :data:`ECHO_SHARE` of them. Probed once per set of weights,
    not at every request."""
    return per_weights(net, "_segue_echoes", lambda: _echoes(net))


def _echoes(net: Network) -> bool:
    loudness = getattr(net, "given_loudness", None)
    if loudness is None:  # not told the previous velocity: nothing to echo
        return False
    classes = int(loudness.num_embeddings) - 1  # the last index: no previous note
    previous = torch.arange(classes)
    hidden = int(loudness.embedding_dim)
    with torch.no_grad():
        _, logits = net.duration_velocity_logits(
            torch.zeros(classes, hidden), torch.full((classes,), ECHO_PITCH), previous
        )
    answered = logits[:, :classes].argmax(dim=-1)
    return float((answered == previous).float().mean()) >= ECHO_SHARE


def weight_of(ticks: np.ndarray, bar: int, beat: int) -> np.ndarray:
    """Metrical weight of positions ``ticks`` in a bar of ``bar`` ticks with beats of ``beat``
    ticks: 0 the downbeat, 1 a beat, 2 a half beat, 3 a quarter beat, 4 anything else. A
    place within a quarter of a quarter beat of one counts as it (a played note a tick
    early or late)."""
    quarter = max(1, beat // 4)
    place = np.asarray(ticks) % bar
    nearest = np.round(place / quarter).astype(np.int64) * quarter
    snapped = np.abs(place - nearest) <= quarter // 4
    place = np.where(snapped, nearest % bar, place)
    out = np.where(snapped, 3, 4)
    for weight, unit in ((2, beat // 2), (1, beat)):
        if unit > 0:
            out = np.where(snapped & (place % unit == 0), weight, out)
    return np.where(snapped & (place == 0), 0, out)


@dataclass(frozen=True)
class Accents:
    """The velocities a clip gives the places of its bar (see the module's text), as a table
    of the bar's ticks, looked up at each generation step (worked out there from the places
    and weights, they cost about 7 ms of a 50 ms request)."""

    bar: int
    table: np.ndarray  # (bar,) velocity for a note starting at each tick of the bar
    right: np.ndarray | None = None  # (bar,) the right hand's, where the part has two
    split: int = 128  # the right hand's lowest pitch

    @classmethod
    def of(cls, rows: np.ndarray, bar: int, beat: int, split: int | None = None) -> Accents | None:
        """The accents of a clip's grid rows (onset tick, pitch, duration, velocity); None for
        a clip without notes. ``split``: the right hand's lowest pitch, of a part of two
        hands (``segue.model.hands``): the notes below it have the left hand's accents, the
        others the right hand's."""
        if not len(rows):
            return None
        if split is not None:
            left, right = rows[rows[:, 1] < split], rows[rows[:, 1] >= split]
            hands = cls.of(left, bar, beat), cls.of(right, bar, beat)
            if hands[0] is not None and hands[1] is not None:
                return cls(bar, hands[0].table, hands[1].table, split)
        onsets, levels = rows[:, 0] % bar, rows[:, 3]
        weights = weight_of(onsets, bar, beat)

        def median(of: np.ndarray) -> int:
            return int(round(float(np.median(levels[of]))))

        table = np.full(bar, median(np.ones(len(rows), dtype=bool)), dtype=np.int64)
        ticks = np.arange(bar)
        weight_of_tick = weight_of(ticks, bar, beat)
        for w in np.unique(weights):
            table[weight_of_tick == w] = median(weights == w)
        for t in np.unique(onsets):
            table[int(t)] = median(onsets == t)
        return cls(bar, table)

    def at(self, ticks: np.ndarray, pitches: np.ndarray | None = None) -> np.ndarray:
        """The velocity for notes starting at ``ticks`` (absolute, bars from tick 0), of
        ``pitches`` (a part of two hands: each hand's own)."""
        place = np.asarray(ticks) % self.bar
        if self.right is None or pitches is None:
            return self.table[place]
        return np.where(np.asarray(pitches) >= self.split, self.right[place], self.table[place])

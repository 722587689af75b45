"""A part's own gaps: below ``--memory`` 1 the network's next strike leans to the clip's.

``--memory`` says how much the clip's own material steers the model; at 0 the network
plays its own notes. Turning it down asks for fewer of the clip's notes, not a busier part,
yet the network's own rhythm is its material's: at memory 0 a chorale of half notes came
back in quarters (3.5 chords a bar for its 2), a stab on every off-beat 4.5 times a bar
for its 4, a pad of whole notes 3.6 chords a bar for its 1. The loop, the clip memory and
the palette bring the clip's rhythm back as memory rises; the network's own choice does
not hear it. A lean does, softly, by ``1 - memory`` (none at 1 and above):

* where the next strike goes (the offset head, :meth:`RhythmLean.offsets`): a gap between
  strikes the clip plays, or a whole number of them (a strike left out), keeps the
  network's odds; any other gap keeps :data:`FLOOR` of them at memory 0. Another voice of
  the chord (offset 0) stays as the network likes, and the lean never moves a strike into
  a silence longer than the clip's longest: it shares the odds only among the onsets that
  leave no longer a rest, as much in all as the network gave them (a redraw that pushed a
  strike later left chorales with holes, helper-105). A strike at a place of the bar
  (in the clip's meter, from its downbeat, as written) the clip never strikes keeps
  :data:`FLOOR` of what the gap left it: the gaps alone did not hear where the bar lies,
  and at memory 0 a skank on 2 and 4 whose first new chord fell on 1 stayed on 1 and 3 all
  take long (2 of 8 rng seeds), a house stab on the off-beats struck 932 of its 2048 notes
  on places it never plays. After a strike off the clip's places its gaps are no guide
  (they only kept the take off them): its places alone lean;
* how long a note rings (the duration head, :meth:`RhythmLean.durations`): for a legato
  part (every strike held at least :data:`LEGATO_HELD` of its gap: a pad, a chorale, a
  legato lead): its lengths are its gaps, and a quarter note of the network's under a
  chorale of half notes is a strike too many or a hole; a length the clip plays keeps the
  network's odds, another :data:`FLOOR` of them. A detached or staccato part's lengths are
  the articulation's (``segue.model.articulation``): shortened to the clip's, a 16th lead
  the network thins was left with gaps. Yet where a note ends is where the network strikes
  next (it learnt notes held to their next strike): at memory 0 a dembow bass's drawn 16th
  on the downbeat was struck again a 16th later (99.8%), a place it never plays, and its
  own 16th at 0.75 lay past the silence the offsets' lean may share (helper-274 and -275).
  So a length whose end leaves a longer silence than the clip's longest before every place
  of the bar it strikes keeps :data:`FLOOR` of the network's odds (a staccato part's plucks
  aside: where a pluck ends is no guide, and the articulation holds them as the clip's).

The network still chooses: a gap it is sure of (a stock bass's off-beat 8ths, 99%) stays
nine times in ten; a whim (a chorale voice's quarter at 60%) gives way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FLOOR = 0.1
"""The share of the network's odds that a gap, a place of the bar (or a legato part's
length) the clip never plays keeps at memory 0; at memory m, ``FLOOR ** (1 - m)``."""
LEGATO_HELD = 0.9
"""A part every strike of which rings at least this share of the gap to its next (a pad
released a tenth of a beat before its next chord, a quarter-note riff held 0.9) is legato:
its lengths lean too."""


def strike_gaps(onsets: np.ndarray, clip_end: int) -> np.ndarray:
    """The gaps (ticks) between a clip's distinct strikes (``onsets``), round its loop of
    ``clip_end`` ticks (the last to the first's repeat), in time order."""
    starts = np.unique(np.asarray(onsets, dtype=np.int64))
    return np.diff(np.append(starts, starts[0] + clip_end))


def is_legato(rows: np.ndarray, clip_end: int) -> bool:
    """Whether every strike of ``rows`` (onset, pitch, duration, ... ticks) rings, by its
    longest note, at least :data:`LEGATO_HELD` of the gap to the next, round the loop."""
    rows = np.asarray(rows, dtype=np.int64)
    starts, where = np.unique(rows[:, 0], return_inverse=True)
    longest = np.zeros(len(starts), dtype=np.int64)
    np.maximum.at(longest, where.ravel(), rows[:, 2])
    gaps = strike_gaps(starts, clip_end)
    return bool((np.minimum(longest, gaps) >= LEGATO_HELD * gaps).all())


def _shared(logits: np.ndarray, prior: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """``logits`` (rows, classes) plus ``prior`` where ``inside``, the classes inside
    rescaled to the probability the network gave them together; the rest as they were."""
    low, tiny = np.float64(-np.inf), np.float64(1e-300)  # tiny: a row with none inside
    before = np.where(inside, logits, low)
    after = np.where(inside, logits + prior, low)
    top = np.maximum(before.max(axis=1, keepdims=True), np.float64(-1e30))
    mass = np.log(np.maximum(np.exp(before - top).sum(axis=1, keepdims=True), tiny)) + top
    top_after = np.maximum(after.max(axis=1, keepdims=True), np.float64(-1e30))
    summed = np.maximum(np.exp(after - top_after).sum(axis=1, keepdims=True), tiny)
    mass_after = np.log(summed) + top_after
    return np.where(inside, after + (mass - mass_after), logits)


def _reaching(struck: np.ndarray, longest: int) -> np.ndarray:
    """Which ticks of a bar (``struck``: where the clip strikes in it) are no more than
    ``longest`` ticks before one it strikes, round the bar."""
    places = np.flatnonzero(struck)
    if not len(places):
        return np.zeros(len(struck), dtype=bool)
    ahead = (places[None, :] - np.arange(len(struck))[:, None]) % len(struck)
    return ahead.min(axis=1) <= longest


def bar_places(onsets: np.ndarray, clip_end: int, bar: int) -> np.ndarray:
    """Which ticks of a ``bar`` (ticks, in the clip's meter, from its downbeat) a clip's
    ``onsets`` strike, looping every ``clip_end``: a clip shorter than a bar looped to fill
    it (a beat's figure strikes every beat), a longer one's bars folded onto one."""
    struck = np.zeros(bar, dtype=bool)
    starts = np.unique(np.asarray(onsets, dtype=np.int64))
    repeats = -(-bar // clip_end)  # a clip shorter than its bar plays again within it
    struck[(starts[None] + clip_end * np.arange(repeats)[:, None]).ravel() % bar] = True
    return struck


@dataclass(frozen=True)
class RhythmLean:
    """The log-odds a gap keeps (``gaps``, by ticks: 0 for the clip's own and their
    multiples, ``weight * log(FLOOR)`` else), a strike at each tick of the bar (``places``,
    ``bar`` long: 0 where the clip strikes, the same penalty else), a legato part's by
    length class (``lengths``; None: no lean), the clip's longest silence (``longest``,
    ticks) and a note ending at each tick of the bar (``ends``: 0 where it leaves no
    longer a silence before one of the clip's places, the penalty else; None for a
    staccato part)."""

    gaps: np.ndarray
    places: np.ndarray
    lengths: np.ndarray | None
    longest: int
    ends: np.ndarray | None

    @classmethod
    def of(
        cls,
        rows: np.ndarray,
        clip_end: int,
        memory: float,
        longest: int,
        time_values: np.ndarray,
        bar: int,
        *,
        staccato: bool,
    ) -> RhythmLean | None:
        """The lean for a clip's ``rows`` (onset, pitch, duration, ... ticks; from its
        downbeat, as written) at ``memory``, its longest silence ``longest`` (ticks), the
        vocabulary's ``time_values`` (ticks of each offset class; a length's class is one
        less), its meter's ``bar`` (ticks) and whether it is ``staccato`` (its articulation's
        plucks: no lean of where its notes end): None at memory 1 or more, or with fewer
        than two strikes."""
        weight = 1.0 - float(memory)
        rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        if weight <= 0 or clip_end <= 0 or bar <= 0 or len(np.unique(rows[:, 0])) < 2:
            return None
        values = np.asarray(time_values, dtype=np.int64)
        penalty = weight * np.log(FLOOR)
        span = np.arange(int(values.max()) + 1)
        played = np.zeros(len(span), dtype=bool)
        for gap in np.unique(strike_gaps(rows[:, 0], clip_end)):
            played[span % gap == 0] = True  # the gap, or a whole number of them
        gaps = np.where(played, 0.0, penalty)
        struck = bar_places(rows[:, 0], clip_end, bar)
        places = np.where(struck, 0.0, penalty)
        ends = None if staccato else np.where(_reaching(struck, longest), 0.0, penalty)
        lengths = None
        if is_legato(rows, clip_end):
            played_lengths = np.unique(rows[:, 2])
            own = np.zeros(len(values) - 1, dtype=bool)  # each length's nearest class
            own[np.abs(values[1:, None] - played_lengths[None]).argmin(axis=0)] = True
            lengths = np.where(own, 0.0, penalty)
        return cls(gaps, places, lengths, int(longest), ends)

    def offsets(
        self, logits: np.ndarray, onsets: np.ndarray, last: np.ndarray, sounding: np.ndarray
    ) -> np.ndarray:
        """The offset ``logits`` (rows, classes) leaned, for candidate ``onsets`` (rows,
        classes: ticks) after each row's ``last`` onset, whose notes sound until
        ``sounding`` (rows,: ticks). A strike at a place of the bar the clip never plays
        keeps the floor's share, as one after a gap it never plays from one of its places
        does (from a place it never plays, a gap is no guide: the clip's gaps kept a take
        that had struck once off its places off them all take long). Offset class 0
        (another voice at the same onset) is left as it is, and only onsets that leave no
        rest longer than the clip's longest share the lean."""
        gap = np.minimum(onsets[:, 1:] - last[:, None], len(self.gaps) - 1)
        bar = len(self.places)
        placed = self.places[last % bar] == 0  # the last strike at one of the clip's places
        prior = np.where(placed[:, None], self.gaps[gap], 0.0) + self.places[onsets[:, 1:] % bar]
        inside = onsets[:, 1:] - sounding[:, None] <= self.longest
        out = np.array(logits, dtype=np.float64)
        out[:, 1:] = _shared(out[:, 1:], prior, inside)
        return out.astype(np.asarray(logits).dtype)

    def durations(self, logits: np.ndarray, onsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The duration ``logits`` (rows, classes) of notes struck at ``onsets`` (rows,:
        ticks), each class ``lengths`` (classes,: ticks) long, leaned to a legato clip's
        lengths, and (but a staccato part's) to the ends that leave no longer a silence
        than the clip's before one of the places of the bar it strikes."""
        if self.lengths is None and self.ends is None:
            return logits
        out = np.asarray(logits, dtype=np.float64)
        if self.lengths is not None:
            out = out + self.lengths
        if self.ends is not None:
            ends = np.asarray(onsets, dtype=np.int64)[:, None] + np.asarray(lengths)[None, :]
            out = out + self.ends[ends % len(self.ends)]
        return out.astype(np.asarray(logits).dtype)

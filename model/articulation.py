"""A part's articulation: how long its notes ring against the gap to its next strike.

A bass of 8ths plucked 0.15 beats long is staccato, a stab a quarter of each beat long is
a stab, a pad held to its next chord is legato: that is what the part is, as its register
is. Where ``--memory`` frees the clip's notes (below 1: the loop and the clip memory repeat
fewer of them), the network's own lengths are its material's, not the clip's: at memory 0
a staccato bass came back a third more legato and the stab half again as long. A note the
network drew is held no longer, against the gap to its take's next strike, than the clip's
most legato strike is (:class:`Articulation`); shorter, as the network likes.

Articulation is a note's length against its gap, never a length alone: a cap never leaves
a silence after a note longer than the clip's longest (a 16th arp whose network plays a
note a beat stays a held note, not a blip in silence; a legato clip, with no silence, is
never cut). A strike's next is the next of at least as many notes: a chord's is the next
chord, not a passing note one voice plays under it.

A part that pulses (every strike :data:`PULSE` or less from its next: a 16th arp, a bass
of 8th plucks) is its pulse: where the network holds one of its notes over two of the
clip's strikes (at memory 0 an octave 16th arp came back as one 4-beat note a bar, a bass
of 0.2-beat plucks with 2- and 3-beat notes in the gaps), the note is struck again where
the clip strikes, each strike no longer than the clip's longest note
(:meth:`Articulation.restruck`): a pulse in the gap, not a held note and not a hole.
Likewise a staccato note the network holds into a gap longer than the clip's silences (a
0.2-beat pluck rang 0.71 beats, a 16th-long stab 3.25) is plucked again on the clip's own
ticks in the gap, as few times as leave no longer silence than the clip's
(:meth:`Articulation.plucked`): a strike more, not a pluck held on. A pulsing part's hole
(a note ending early, then nothing for longer than the clip is ever silent: at memory 0
power chords of 8ths came back with quarters held 0.38) is struck again on the clip's own
ticks in it, each as long as the clip's notes, and a note that ends early before its next
strike is held to leave no longer a silence (:meth:`Articulation.refilled`); a strike the
loop gave (none of it drawn) too, its every voice (at memory 0.3 power chords of 8ths left
0.58 beats silent after the loop's chord, for the clip's 0.1). A part struck every beat or
less, detached (power chords 0.9 of each beat), has its holes so refilled on its own beats
(at memory 0 a chord held a beat, then half a beat of nothing before an off-beat one, in 7
of 12 takes); a note it holds over its strikes is the network's, as a quarter riff's.

A legato part (every note held to its next strike, :data:`HELD`, but across its rests: a
lead whose notes sing into each other, a pad or a chorale whose chords are held to the
next) is held: at memory 0 the network left rests between a legato lead's notes (an octave
lead a tenth silent for its none). A note the network drew is held to its take's next
onset where that is no further than the clip holds a note (:attr:`Articulation.legato`);
a longer gap (the lead's bar of rest after a call) stays the network's, and no onset moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STACCATO = 0.5
"""A part whose every note, a beat or less from its next strike, sounds less than this
share of the gap is staccato (a note held less than half its value): its articulation is
kept. A detached part (a quarter held an 8th) or a legato one is the network's to phrase,
and a note alone in a bar's loop is a note and a rest, not an articulation."""

PULSE = 0.5
"""A part whose every strike is this many beats or less from its next, round its loop (8ths
or faster, no rest between), pulses: a note it holds over two of its strikes is restruck
where the clip strikes. A part of quarters or longer (a lead, a riff of quarter notes) may
hold a note; its phrasing is the network's (a detached one struck every beat or less has
only its holes refilled)."""

HELD = 15 / 16
"""A note that sounds at least this share of the gap to its next strike is held to it (a
quarter released a 64th early is still legato; a power chord's 0.9 of a beat, a 16th arp
held 0.2 of its 0.25 are detached). A part whose every strike, but those before a rest of
a beat or more (:mod:`segue.model.rests`), is held so is legato."""


def strikes(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct onsets of ``rows`` (onset, pitch, duration, ... in ticks) in time order,
    at each its longest note's length and how many notes it strikes."""
    rows = np.asarray(rows)
    if not len(rows):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    starts, where, size = np.unique(rows[:, 0], return_inverse=True, return_counts=True)
    longest = np.zeros(len(starts), dtype=np.int64)
    np.maximum.at(longest, where.ravel(), rows[:, 2].astype(np.int64))
    return starts.astype(np.int64), longest, size.astype(np.int64)


def next_strikes(starts: np.ndarray, size: np.ndarray, loop: int | None) -> np.ndarray:
    """For each strike (``starts`` in time order, ``size`` notes each), the tick of the next
    one of at least as many notes; the clip looping every ``loop`` ticks, round the loop
    (a strike no other matches: itself, a loop later); without ``loop``, -1 where none
    follows."""
    n = len(starts)
    ticks = starts.tolist() if loop is None else (starts.tolist() + (starts + loop).tolist())
    sizes = size.tolist() * (1 if loop is None else 2)
    found = [-1] * len(ticks)
    waiting: list[int] = []  # strikes still without their next, sizes falling
    for j, (tick, notes) in enumerate(zip(ticks, sizes, strict=True)):
        while waiting and sizes[waiting[-1]] <= notes:
            found[waiting.pop()] = tick
        waiting.append(j)
    out = np.asarray(found[:n], dtype=np.int64)
    if loop is not None:
        out = np.where(out < 0, starts + loop, out)
    return out


def _nexts(rows: np.ndarray, end: int | None) -> np.ndarray:
    """For each of a take's ``rows`` (onset first), the tick of its strike's next
    (:func:`next_strikes`); where none follows, ``end`` (at least a tick on), or -1."""
    starts, _, size = strikes(rows)
    after = next_strikes(starts, size, None)
    if end is not None:
        after = np.where(after < 0, np.maximum(int(end), starts + 1), after)
    return after[np.searchsorted(starts, rows[:, 0])]


def _following(rows: np.ndarray, end: int | None) -> np.ndarray:
    """For each of a take's ``rows`` (onset first), the take's next onset after its own;
    where none follows, ``end`` (no earlier than the onset), or -1."""
    starts = np.unique(rows[:, 0])
    last = -1 if end is None else max(int(end), int(starts[-1]))
    return np.append(starts[1:], last)[np.searchsorted(starts, rows[:, 0])]


@dataclass(frozen=True)
class Articulation:
    """The clip's most legato strike (``ratio``: its longest note's length over the gap to
    its next strike; :data:`STACCATO` or more: the part is not staccato and its lengths are
    not capped), its longest silence (``rest``, ticks: nothing sounding, the loop's seam
    included) and its shortest strike (``short``, ticks: its longest note's length); for a
    part that pulses (:data:`PULSE`), where it strikes in its loop (``pulse``, ticks from
    the loop's start; empty for a part that does not), the loop's length (``loop``), its
    longest gap between strikes (``step``) and its longest note (``most``), in ticks; for a
    staccato part, where it strikes in its loop (``at``, ticks; ``loop`` its length); for a
    legato part (:data:`HELD`), the longest gap it holds a note across (``legato``, ticks;
    0 for a part that is not legato), the share of its gap its least held strike sounds
    (``share``) and the shortest silence that is a rest of its own (``breath``, ticks: a
    beat where the clip rests so long, past :attr:`legato` where it never does). A detached
    part struck every beat or less (not every 8th) has its :attr:`pulse` for its holes
    only (``restrikes`` False): a note it holds over its strikes rings as drawn."""

    ratio: float
    rest: int
    short: int
    pulse: tuple[int, ...] = ()
    loop: int = 0
    step: int = 0
    most: int = 0
    at: tuple[int, ...] = ()
    legato: int = 0
    share: float = 0.0
    breath: int = 0
    restrikes: bool = True

    @classmethod
    def of(cls, rows: np.ndarray, clip_end: int, rest: int, beat: int) -> Articulation | None:
        """The clip's (``rows``: onset, pitch, duration, ... ticks, looping as Live loops
        it; ``rest``: its longest silence), its strikes a ``beat`` (ticks) or less apart
        read; None for a clip without such strikes, or one neither staccato
        (:data:`STACCATO`), pulsing (:data:`PULSE`), legato (:data:`HELD`), struck every
        ``beat`` or less nor silent less than a ``beat`` at most (an 808 bass's 0.95-beat
        notes 1 to 1.5 beats apart: its holes refilled): a detached part's lengths are the
        network's to choose."""
        starts, longest, size = strikes(rows)
        if not len(starts) or clip_end <= 0:
            return None
        loop = max(int(clip_end), int(starts[-1]) + 1)
        gaps = next_strikes(starts, size, loop) - starts
        phrase = gaps - longest < beat  # a silence of a beat or more is a rest
        shares = np.minimum(longest / np.maximum(gaps, 1), 1.0)[phrase]
        legato, share, breath = 0, 0.0, 0
        if len(shares) and shares.min() >= HELD:  # legato: every strike held to its next
            legato, share = int(gaps[phrase].max()), float(shares.min())
            breath = beat if rest >= beat else legato + 1
        kept = gaps <= beat  # a longer gap is a rest, not the note's articulation
        if not kept.any():
            if not legato:
                return None
            return cls(1.0, int(rest), 0, legato=legato, share=share, breath=breath)
        ratio = float((longest[kept] / np.maximum(gaps[kept], 1)).max())
        short = int(longest[kept].min())
        every = np.diff(np.append(starts, starts[0] + loop))  # round the loop, each strike
        at = tuple(int(t) for t in starts % loop) if ratio < STACCATO else ()
        pulse = tuple(int(t) for t in starts % loop)
        step, most = int(every.max()), int(longest.max())
        if every.max() > PULSE * beat:
            if ratio < STACCATO or legato:
                return cls(ratio, int(rest), short, (), loop, 0, 0, at, legato, share, breath)
            if every.max() > beat and rest >= beat:
                return None
            # a detached part struck every beat (power chords on the beat), or one that never
            # rests a beat (an 808 bass's 0.95-beat notes 1 to 1.5 beats apart): its holes
            # refilled
            return cls(ratio, int(rest), short, pulse, loop, step, most, restrikes=False)
        return cls(ratio, int(rest), short, pulse, loop, step, most, at, legato, share, breath)

    @property
    def staccato(self) -> bool:
        """Whether the part is staccato (:data:`STACCATO`): its notes are plucks."""
        return self.ratio < STACCATO

    def applied(self, rows: np.ndarray, drawn: np.ndarray, end: int | None) -> np.ndarray:
        """A take's ``rows`` (onset, pitch, length, velocity in ticks, in the order played)
        with each ``drawn`` note (the network chose its length) held at most :attr:`ratio`
        times the gap to its strike's next (:func:`next_strikes`; where none follows, to
        ``end``, and without one left as it is), but never shorter than the clip's
        :attr:`short` strike where the gap has room for it (a pluck stays as long as the
        clip's plucks), never so short that it leaves more than :attr:`rest` silent before
        that next strike, and at least a tick; a drawn pluck that leaves more than
        :attr:`rest` silent before the take's next onset is held as long as the clip's
        :attr:`short` (a 0.1-beat 8th before a gap the clip never has). A part that pulses
        has its long notes restruck first (:meth:`restruck`), a staccato note that would
        ring on into a long silence is plucked again in it (:meth:`plucked`); a legato
        part's notes are held to their next onsets (:meth:`legato_held`)."""
        rows, drawn = self.restruck(rows, drawn, end)
        if not len(rows) or self.ratio >= STACCATO:
            rows, drawn = self.refilled(rows, drawn, end)
            return self.legato_held(rows, drawn, end)
        rows, drawn = self.refilled(*self.plucked(rows, drawn, end), end)
        after = _nexts(rows, end)
        gap = (after - rows[:, 0]).astype(np.float64)
        cap = np.maximum(self.plucks(gap), gap - self.rest)
        cap = np.where(after >= 0, np.maximum(1, cap), np.inf)
        drawn = np.asarray(drawn, dtype=bool)
        rows[:, 2] = np.where(drawn, np.minimum(rows[:, 2], cap), rows[:, 2]).astype(np.int64)
        # a pluck drawn shorter than the clip's before a silence longer than the clip's: as
        # long as the clip's shortest (no further than the next onset)
        room = _following(rows, end) - rows[:, 0]
        short = drawn & (room - rows[:, 2] > self.rest)
        rows[:, 2] = np.where(
            short, np.maximum(rows[:, 2], np.minimum(self.short, room)), rows[:, 2]
        )
        return rows

    def plucks(self, gap: np.ndarray) -> np.ndarray:
        """The longest a staccato note sounds before a ``gap`` (ticks) to its next strike:
        :attr:`ratio` of it, but as long as the clip's :attr:`short` strike where it fits."""
        return np.maximum(np.floor(self.ratio * gap), np.minimum(gap, self.short))

    def plucked(
        self, rows: np.ndarray, drawn: np.ndarray, end: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """A take's ``rows`` (as :meth:`applied`) in time order, each strike with a ``drawn``
        note longer than a pluck (:meth:`plucks`), or one the network drew so short that it
        leaves a longer silence than the clip's (:attr:`rest`; a stab's 16th, then a beat and
        a quarter of nothing for the clip's 0.75), whose pluck would leave a longer silence
        than the clip's before its next strike struck again (its drawn notes)
        at the clip's own ticks (:attr:`at`, round its :attr:`loop`), as few as leave no such
        silence after a pluck as short as the clip's shortest (:attr:`short`); one the
        clip's ticks cannot fill so is left to ring (:meth:`applied` holds it so long). With
        which of them the network drew. A part that is not staccato: as given."""
        rows = np.array(rows, copy=True)
        drawn = np.asarray(drawn, dtype=bool)
        if not len(rows) or not self.at or self.loop <= 0:
            return rows, drawn
        after = _nexts(rows, end)
        gap = after - rows[:, 0]
        # a note longer than a pluck, or a pluck the network drew short before a long gap;
        # the loop's strike (none drawn) before a long gap too, its every voice
        ours = np.isin(rows[:, 0], rows[drawn, 0])
        long = (rows[:, 2] > self.plucks(gap)) | (gap - rows[:, 2] > self.rest)
        long = (drawn & long) | (~ours & (gap - rows[:, 2] > self.rest))
        long &= (after >= 0) & (gap - self.rest > self.plucks(gap))
        struck: dict[int, list[int]] = {}
        for onset, bound in zip(rows[long, 0].tolist(), after[long].tolist(), strict=True):
            if onset not in struck:
                struck[onset] = self._again(onset, bound)
        if not any(struck.values()):
            return rows, drawn
        drew = set(rows[drawn, 0].tolist())
        out, out_drawn = [], []
        for row, own, bound in zip(rows.tolist(), drawn.tolist(), after.tolist(), strict=True):
            # a chord's every drawn voice; the loop's strike, its every voice
            again = struck.get(row[0], []) if own or row[0] not in drew else []
            for tick, stop in zip([row[0], *again], [*again, bound], strict=True):
                out.append([tick, row[1], min(row[2], stop - tick), *row[3:]])
                out_drawn.append(own)
        order = np.argsort(np.asarray([r[0] for r in out]), kind="stable")
        return np.asarray(out, dtype=rows.dtype)[order], np.asarray(out_drawn, dtype=bool)[order]

    def _ticks(self, places: tuple[int, ...], onset: int, last: int) -> np.ndarray:
        """The ticks after ``onset`` and up to ``last`` where the clip strikes (``places``,
        ticks into its :attr:`loop`, round it), in time order."""
        first = onset - onset % self.loop
        ticks = first + np.arange(max(-(-(last - first) // self.loop) + 1, 0))[:, None] * self.loop
        ticks = np.sort((ticks + np.asarray(places, dtype=np.int64)[None, :]).ravel())
        return ticks[(ticks > onset) & (ticks <= last)]

    def _again(self, onset: int, bound: int) -> list[int]:
        """The clip's ticks (:attr:`at`) between ``onset`` and ``bound`` to pluck again at,
        each the latest that leaves no more than :attr:`rest` silent after a pluck of
        :attr:`short` ticks before it, until ``bound`` is so near; none where they cannot."""
        ticks = self._ticks(self.at, onset, bound - self.short).tolist()
        out, latest = [], onset
        while bound - latest - self.short > self.rest:
            near = [t for t in ticks if latest < t <= latest + self.short + self.rest]
            if not near:
                return []
            latest = near[-1]
            out.append(latest)
        return out

    def restruck(
        self, rows: np.ndarray, drawn: np.ndarray, end: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """A take's ``rows`` (as :meth:`applied`) in time order, each ``drawn`` note held
        longer than two of the clip's gaps (:attr:`step`) struck again at every tick the
        clip strikes at (:attr:`pulse`, round its :attr:`loop`) before its strike's next
        (or ``end``) and while it rings (a strike no shorter than :attr:`short`), each
        strike held to the next, no longer than the clip's longest note (:attr:`most`);
        with which of them the network drew. A part that does not pulse (or only for its
        holes, :attr:`restrikes` False): as given."""
        rows = np.array(rows, copy=True)
        drawn = np.asarray(drawn, dtype=bool)
        pulsing = len(rows) and self.pulse and self.restrikes
        long = drawn & (rows[:, 2] > 2 * self.step) if pulsing else None
        if long is None or not long.any():
            return rows, drawn
        starts = np.unique(rows[:, 0])
        after = np.append(starts[1:], -1)[np.searchsorted(starts, rows[:, 0])]
        out, out_drawn = [], []
        for row, own, last in zip(rows.tolist(), drawn.tolist(), after.tolist(), strict=True):
            onset, length = row[0], row[2]
            if not own or length <= 2 * self.step:
                out.append(row)
                out_drawn.append(own)
                continue
            ring = onset + length
            bound = last if last >= 0 else (ring if end is None else max(end, onset))
            ticks = self._ticks(self.pulse, onset, bound - self.step)
            at = [onset, *ticks.tolist()]
            ends = [*ticks.tolist(), bound]
            for tick, stop in zip(at, ends, strict=True):
                out.append([tick, row[1], min(stop - tick, self.most), *row[3:]])
                out_drawn.append(True)
        order = np.argsort(np.asarray([r[0] for r in out]), kind="stable")
        return np.asarray(out, dtype=rows.dtype)[order], np.asarray(out_drawn, dtype=bool)[order]

    def refilled(
        self, rows: np.ndarray, drawn: np.ndarray, end: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """A take's ``rows`` (as :meth:`applied`) in time order, each strike of a part that
        pulses (:attr:`pulse`; a staccato one's after :meth:`plucked`) after which nothing sounds
        for longer than the clip's longest silence (:attr:`rest`) before the next strike (or
        ``end``) struck again (its ``drawn`` notes; the loop's strike, none drawn: its every
        note) at every tick the clip strikes at in the
        gap, but those less than half the clip's longest gap (:attr:`step`) before the next
        strike, each held to the next, no longer than the clip's longest note
        (:attr:`most`): a pulse, not a hole. With which of them the network drew. A part
        that does not pulse: as given."""
        rows = np.array(rows, copy=True)
        drawn = np.asarray(drawn, dtype=bool)
        if not len(rows) or not self.pulse or self.loop <= 0:
            return rows, drawn
        order = np.argsort(rows[:, 0], kind="stable")
        rows, drawn = rows[order], drawn[order]
        starts = np.unique(rows[:, 0])
        sounding = np.maximum.accumulate(rows[:, 0] + rows[:, 2])  # up to each row
        last_row = np.searchsorted(rows[:, 0], starts, side="right") - 1
        bounds = _following(rows, end)
        after = bounds[last_row]
        again: dict[int, list[int]] = {}
        for onset, ring, bound in zip(
            starts.tolist(), sounding[last_row].tolist(), after.tolist(), strict=True
        ):
            if bound > onset and bound - ring > self.rest:
                places = self._ticks(self.pulse, onset, bound - (self.step + 1) // 2)
                again[onset] = places.tolist()
        if not any(again.values()):
            return self._unbroken(rows, drawn, bounds), drawn
        # a chord's every drawn voice; the loop's strike (none drawn) with its every voice
        drew = {int(t) for t in rows[drawn, 0].tolist()}
        out, out_drawn = [], []
        for row, own, bound in zip(rows.tolist(), drawn.tolist(), bounds.tolist(), strict=True):
            ticks = again.get(row[0], []) if own or row[0] not in drew else []
            out.append([row[0], row[1], min(row[2], ticks[0] - row[0]) if ticks else row[2]])
            out[-1].extend(row[3:])
            out_drawn.append(own)
            for tick, stop in zip(ticks, [*ticks[1:], bound][: len(ticks)], strict=True):
                out.append([tick, row[1], min(stop - tick, self.most), *row[3:]])
                out_drawn.append(True)
        order = np.argsort(np.asarray([r[0] for r in out]), kind="stable")
        rows, drawn = np.asarray(out, dtype=rows.dtype)[order], np.asarray(out_drawn)[order]
        return self._unbroken(rows, drawn, _following(rows, end)), drawn.astype(bool)

    def _unbroken(self, rows: np.ndarray, drawn: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """``rows`` (time order) with each ``drawn`` note that leaves more than the clip's
        longest silence (:attr:`rest`) before its ``bounds`` (the next strike's tick; -1:
        none) held on to leave no more, but no longer than the clip's longest note
        (:attr:`most`) where it was shorter."""
        rows = np.array(rows, copy=True)
        bound = np.asarray(bounds, dtype=np.int64)
        short = np.asarray(drawn, dtype=bool) & (bound > rows[:, 0])
        short &= bound - rows[:, 0] - rows[:, 2] > self.rest
        want = np.minimum(bound - rows[:, 0] - self.rest, np.maximum(rows[:, 2], self.most))
        rows[:, 2] = np.where(short, np.maximum(rows[:, 2], want), rows[:, 2])
        return rows

    def legato_held(self, rows: np.ndarray, drawn: np.ndarray, end: int | None) -> np.ndarray:
        """A take's ``rows`` (as :meth:`applied`) with each ``drawn`` note of a legato part
        held as much of the gap to the take's next onset (or ``end``; without one, as it
        is) as the clip's least held strike (:attr:`share`), where that gap is no more than
        :attr:`legato` ticks and the silence it leaves shorter than a rest of the clip's:
        lengthened only, never shortened, no onset moved. A part that is not legato: as
        given."""
        if not self.legato or not len(rows):
            return rows
        rows = np.array(rows, copy=True)
        starts = np.unique(rows[:, 0])
        after = np.append(starts[1:], -1 if end is None else int(end))
        after = after[np.searchsorted(starts, rows[:, 0])]
        gap = after - rows[:, 0]
        hold = np.asarray(drawn, dtype=bool) & (gap > 0) & (gap <= self.legato)
        hold &= gap - rows[:, 2] < self.breath
        length = np.maximum(rows[:, 2], np.ceil(self.share * gap).astype(np.int64))
        rows[:, 2] = np.where(hold, np.minimum(length, np.maximum(rows[:, 2], gap)), rows[:, 2])
        return rows

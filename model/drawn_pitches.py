"""Which pitches a line's turned notes, its answers in its rests and a sparse bass's pickups
may take, ranked in an order each take's rng draws (:meth:`DrawnPitches.turning`,
:meth:`DrawnPitches.answering_near`, :meth:`DrawnPitches.picking_up`; ``first_ranked`` takes
as many as the takes at each place need), and the loop's notes either side of a turn: the
note the line moves on from (:meth:`DrawnPitches.previous`) and the one it gives back to
(:meth:`DrawnPitches.gives_back`). Where each take's turn lies is its places'
(``turn_places.TurnPlaces``), given; the draws and their memos are the take's own, and each
request's copy of the turns (``takes.Turns.drawing_with``) draws its own."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from segue.model.answer_pitches import answer_pool, pickup_pitches
from segue.model.arpeggios import beat_ticks
from segue.model.contour import runs_ahead
from segue.model.loop import PHRASE_BARS
from segue.model.pitch_classes import every_octave
from segue.model.take_records import LoopNotes, LoopTimes, TakeDraws
from segue.model.turn_kinds import PartKind
from segue.model.turn_places import TurnPlaces
from segue.model.vocab import where_set
from segue.model.voicings import in_part


class DrawnPitches:
    """The pitches a line's turned notes, answers and pickups may take, each ranked in an
    order the take's rng draws once (a turned note's by onset, an answer's and a pickup's by
    phrase), and the loop's notes around a turn."""

    def __init__(
        self,
        draws: TakeDraws,
        loop: LoopTimes,
        kind: PartKind,
        notes: LoopNotes,
        *,
        outlined: dict[int, np.ndarray],
        pitch_reach: int,
        outlines: bool,
        places: TurnPlaces,
    ) -> None:
        """``draws``: the ``rows`` takes drawing with ``rng``; ``loop``: the loop's ``bar``,
        ``shift`` (its length) and ``clip_end`` (ticks) and its notes' places from its start
        (``onsets``, ticks); ``kind``: whether it is a ``sparse`` bass line or a ``lead``
        (``takes.Turns.sparse``, ``takes.Turns.lead``); ``notes``: its notes' ``pitches``, the
        classes it plays (``stated``), its key's (``key``; None: none), the classes a line
        plays only as grace notes out of its key (``ornamental``), its tonic chord's
        (``tonic``), its median pitch (``middle``) and its ``span``. The chords a line outlines
        by beat (``outlined``); how far a turned note moves first (``pitch_reach``,
        semitones); whether it is a line whose clashes are the chords it outlines
        (``outlines``, ``ChordClashes.outlines``); and where each take's turns lie
        (``places``)."""
        self.rows, self._rng = draws
        self.bar, self.shift, self.clip_end, self._loop = loop
        self._pitches = notes.pitches
        self._ahead = runs_ahead(notes.pitches)  # each note's run of one pitch from it on
        self.stated = notes.stated
        self.key = notes.key
        self._ornamental = notes.ornamental
        self._tonic = notes.tonic
        self.middle = notes.middle
        self._outlined = outlined
        self.span = notes.span
        self.pitch_reach = pitch_reach
        self.sparse, self.lead = kind.sparse, kind.lead
        self.outlines = outlines
        self._turn_places = places
        self._pickup_ranks: dict[tuple[int, int], np.ndarray] = {}  # _pickups_into
        self._answer_ranks: dict[tuple[int, int, int, bytes], np.ndarray] = {}  # _answers_into
        self._turn_ranks: dict[int, np.ndarray] = {}  # a line's turned notes' (turning)

    def picking_up(self, onsets: np.ndarray, next_pitch: np.ndarray) -> np.ndarray:
        """(rows, 128) int: for each row whose note (at ``onsets``, ticks) begins a
        :attr:`sparse` line's answer late (``TurnPlaces._rests_late``: a pickup in the rest after
        its phrase's last note, an 808's beats 3 and 4), the pitches it may take into the
        loop's next note (``next_pitch``) within the part (:func:`pickup_pitches`), each
        ranked 1, 2, ... in an order the rng draws once a phrase (:func:`first_ranked` takes
        as many as the takes need); 0 for the rest, and the other rows. So the rng seed
        chooses the takes' pickups: held to those nearest the next note
        (:func:`answer_pitches`), a root-fifth bass's four takes played the same four
        pickups in every request (rng seeds 1-8)."""
        out = np.zeros((self.rows, 128), dtype=np.int64)
        if not self.sparse:
            return out
        after = np.asarray(onsets, dtype=np.int64) - self.clip_end
        phrase_ticks = PHRASE_BARS * self.bar
        for r in where_set(self._answering_late(after)).tolist():
            out[r] = self._pickups_into(int(after[r]) // phrase_ticks, int(next_pitch[r]))
        return out

    def turning(self, onsets: np.ndarray) -> np.ndarray:
        """(rows, 128) int: for each row of a line (:attr:`outlines`) whose note at ``onsets``
        (ticks; -1: none) a take turns, the pitches of the loop's own classes
        (:attr:`stated`), ranked 1, 2, ... in an order the rng draws once for each onset;
        0 for the rest, and a chord loop's rows. ``loop_steps.near_the_loop`` takes as many
        of :func:`turn_pitches`' pitches as the takes there need, in that order, where there
        are more: so the rng seed chooses a line's turned notes among the good ones. Left to
        the network, whose pitch was near certain, a turned note took the same pitch in
        most requests (an 8th-note bassline's turned G2s an A2 in 15 of 21, rng seeds 1-8, 4
        takes, 4 bars), and a 3/4 bass of root, fifth and octave gave 8 takes of its own over
        8 requests."""
        onsets = np.asarray(onsets, dtype=np.int64)
        out = np.zeros((len(onsets), 128), dtype=np.int64)
        if not self.outlines or not self.stated.any():
            return out
        classes = every_octave(self.stated)
        after = onsets - self.clip_end
        for r in where_set((onsets >= 0) & (after >= 0)).tolist():
            at = int(after[r])
            if at not in self._turn_ranks:
                self._turn_ranks[at] = self._drawn_ranks(classes)
            out[r] = self._turn_ranks[at]
        return out

    def gives_back(
        self, onsets: np.ndarray, varies: Callable[[np.ndarray], np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows,) the pitch of the loop's note after each row's note (at ``onsets``, ticks:
        one per take) where the take's turn has ended by then (``varies``: whether a note at
        each row's onsets falls in its take's turn, ``takes_apart.TakesApart.varies``) and it
        plays the loop's note again; -1 where its turn goes on (or the loop has no note). And
        (rows,) how many times in a row the loop strikes that pitch from there on
        (``contour.runs_ahead``; 0 for -1). Asks no phrase not drawn yet for its turns (the
        rng's draws come in the order they did)."""
        onsets = np.asarray(onsets, dtype=np.int64)
        out = np.full(len(onsets), -1, dtype=np.int64)
        runs = np.zeros(len(onsets), dtype=np.int64)
        if not len(self._loop):
            return out, runs
        place = (onsets - self.clip_end) % self.shift
        order = np.argsort(self._loop, kind="stable")
        after = np.searchsorted(self._loop[order], place, side="right")
        wrapped = after >= len(order)
        nxt = order[np.where(wrapped, 0, after)]
        ahead = onsets + self._loop[nxt] - place + np.where(wrapped, self.shift, 0)
        phrase = (ahead - self.clip_end) // (PHRASE_BARS * self.bar)
        drawn = np.array([p in self._turn_places.turns for p in phrase.tolist()], dtype=bool)
        on = ~varies(np.where(drawn, ahead, -1))  # a phrase not drawn yet: not turned
        out[on] = self._pitches[nxt[on]]
        runs[on] = self._ahead[nxt[on]]
        return out, runs

    def _answering_late(self, after: np.ndarray) -> np.ndarray:
        """(rows,) whether each row's note (``after``: ticks after the clip's end) begins its
        take's answer in a phrase whose takes answer late (``TurnPlaces._rests_late``)."""
        phrase_ticks = PHRASE_BARS * self.bar
        rows = np.zeros(self.rows, dtype=bool)
        for p in set((np.maximum(after, 0) // phrase_ticks).tolist()):
            if self._turn_places.late(p):
                starts, _ = self._turn_places.phrase(p)
                rows |= (after >= 0) & (after // phrase_ticks == p) & (after == starts)
        return rows

    def answering_near(self, onsets: np.ndarray, next_pitch: np.ndarray) -> np.ndarray:
        """(rows, 128) int: for each row whose note (at ``onsets``, ticks) begins a
        :attr:`lead`'s answer in its rest (``TurnPlaces._rests_late``), the pitches near the line
        it may take into the loop's next note (``next_pitch``, :func:`answer_pool`), ranked
        1, 2, ... in an order the rng draws once a phrase, but the line's note before the
        answer (:func:`_moving_on`); :func:`first_ranked` takes as many as the takes at each
        place need, where more are ranked (else the nearest, :func:`answer_near_line`). 0 for
        the rest, and the other rows. So the rng seed chooses the takes' answers: held to
        those nearest the line, a sparse lead's four takes answered with the same four
        pitches in every request (rng seeds 1-8), reshuffled."""
        out = np.zeros((self.rows, 128), dtype=np.int64)
        if not self.lead or not self.outlines:
            return out
        after = np.asarray(onsets, dtype=np.int64) - self.clip_end
        phrase_ticks = PHRASE_BARS * self.bar
        rows = where_set(self._answering_late(after))
        before = self.previous(np.asarray(onsets, dtype=np.int64)[rows])
        beats = (after[rows] % self.shift) // beat_ticks(self.bar)  # the chord outlined there
        for r, previous, beat in zip(rows.tolist(), before.tolist(), beats.tolist(), strict=True):
            phrase = int(after[r]) // phrase_ticks
            out[r] = self._answers_into(phrase, int(next_pitch[r]), int(previous), int(beat))
        return out

    def _answers_into(self, phrase: int, next_pitch: int, previous: int, beat: int) -> np.ndarray:
        """(128,) int: the ranks of the pitches the takes' answers of ``phrase`` into
        ``next_pitch`` may take (:meth:`answering_near`) at the loop's ``beat`` (the chord
        the line outlines there, if any), drawn once for all its places with that chord:
        those of :func:`answer_pool`, in an
        order the rng draws, but ``previous`` (the line's note before the answer; -1:
        none); 0 for the rest."""
        chord = self._outlined.get(beat)
        key = (phrase, next_pitch, previous, b"" if chord is None else chord.tobytes())
        if key not in self._answer_ranks:
            scale = None if self.key is None else self.key & ~self._ornamental
            pool = answer_pool(next_pitch, self._pitches, scale, self._tonic, self.middle, chord)
            if previous >= 0:  # moving on: never the note before it (_moving_on)
                pool[previous] = False
            self._answer_ranks[key] = self._drawn_ranks(pool)
        return self._answer_ranks[key]

    def _pickups_into(self, phrase: int, next_pitch: int) -> np.ndarray:
        """(128,) int: the ranks of the pitches the takes' pickups of ``phrase`` into
        ``next_pitch`` may take (:meth:`picking_up`), drawn once: those of
        :func:`pickup_pitches` within the part, in an order the rng draws; 0 for the rest."""
        key = (phrase, next_pitch)
        if key not in self._pickup_ranks:
            last_bar = (phrase * PHRASE_BARS + PHRASE_BARS - 1) * self.bar
            half = self.bar // 2
            after = (
                self._turn_places.struck(last_bar + half, self.bar - half) > 0
            )  # TurnPlaces._pickups': right before
            pool = pickup_pitches(
                np.array([next_pitch]), self.stated, self.key, self.pitch_reach, after
            )
            if self.span is not None:
                pool &= in_part(np.array([self.span]), 128)
            self._pickup_ranks[key] = self._drawn_ranks(pool[0])
        return self._pickup_ranks[key]

    def _drawn_ranks(self, pool: np.ndarray) -> np.ndarray:
        """(128,) int: the pitches of ``pool`` ((128,) bool) ranked 1, 2, ... in an order the
        rng draws (the choices of :meth:`turning`, :meth:`answering_near` and
        :meth:`picking_up`, taken in that order by :func:`first_ranked`); 0 for the rest."""
        out = np.zeros(128, dtype=np.int64)
        candidates = where_set(pool)
        out[self._rng.permutation(candidates)] = np.arange(1, len(candidates) + 1)
        return out

    def previous(self, onsets: np.ndarray) -> np.ndarray:
        """(len(onsets),) the pitch of the loop's note struck last before each of
        ``onsets`` (ticks) at its place in the loop (the loop's last note before its first
        place); -1 where the loop has none."""
        if not len(self._loop):
            return np.full(len(onsets), -1, dtype=np.int64)
        place = (np.asarray(onsets, dtype=np.int64) - self.clip_end) % self.shift
        order = np.argsort(self._loop, kind="stable")
        before = np.searchsorted(self._loop[order], place, side="left") - 1
        return self._pitches[order][before]  # -1: the loop's last note

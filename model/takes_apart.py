"""Which notes fall in each take's turn (:meth:`TakesApart.varies`), and the takes kept apart
there: takes that turn the same note each play a pitch of their own, and of a chord loop's
chord each makes a chord of its own, a take left none turning the next chord of its phrase
too (:meth:`TakesApart.apart`). Where each take's turn lies is its places'
(``turn_places.TurnPlaces``) and which voices of a chord it turns its voicings'
(``turned_voicings.TurnedVoicings``), given; what the takes have played and the turns they
were given again are the takes' own, and each request's copy of the turns
(``takes.Turns.drawing_with``) keeps its own."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from segue.model.chord_voicings import ChordVoicings, mask_of
from segue.model.loop import PHRASE_BARS
from segue.model.phrase_ends import any_in_phrase_end
from segue.model.take_records import LoopTimes
from segue.model.turn_places import TurnPlaces
from segue.model.turned_voicings import TurnedVoicings
from segue.model.vocab import where_set
from segue.model.voicings import rank_of


class TakesApart:
    """Where each take's turn lies note by note, and the pitches and chords the takes have
    played at each note of their turns, kept apart."""

    def __init__(
        self,
        rows: int,
        loop: LoopTimes,
        *,
        deep: bool,
        shape: tuple[int, ...] | None,
        intervals: np.ndarray | None,
        voicings: ChordVoicings,
        turned: TurnedVoicings,
        places: TurnPlaces,
    ) -> None:
        """``rows`` takes; ``loop``: the loop's ``bar`` and ``clip_end`` (ticks); whether the
        takes' turns may lie anywhere in a phrase (``deep``: chords whose voicings leave them
        further back than its last bars, ``takes.Turns``); the loop's fixed ``shape``
        (``takes.Turns.shape``; None: none) and of a chord loop its ``intervals`` (None: a
        line); its chords' voicings (``voicings``), which voices of a chord each take turns
        (``turned``) and where each take's turns lie (``places``)."""
        self.rows = rows
        self.bar, _, self.clip_end, _ = loop
        self._deep = deep
        self.shape = shape
        self.intervals = intervals
        self._voicings = voicings
        self._turned_voicings = turned
        self._turn_places = places
        self._played: dict[tuple[int, int], set[int]] = {}  # see apart
        self._made: dict[int, set[frozenset[int]]] = {}  # the takes' chords, by onset (apart)
        self._again = np.full(rows, -1, dtype=np.int64)  # a take's next turn (_turn_again)

    def varies(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) whether a note at each row's ``onsets`` (ticks) falls in its turn (in a
        chord loop, which of its voices the take turns: ``TurnedVoicings.voices_turned``)."""
        phrase_ticks = PHRASE_BARS * self.bar
        reach = PHRASE_BARS if self._deep else self._turn_places.reach
        ticks = np.asarray(onsets, dtype=np.int64)
        if not any_in_phrase_end(ticks.tolist(), self.clip_end, phrase_ticks, reach * self.bar):
            return np.zeros(len(ticks), dtype=bool)  # most notes: no row in a phrase's end
        after = ticks - self.clip_end
        last_bar = (after % phrase_ticks >= phrase_ticks - reach * self.bar) & (after >= 0)
        phrase = after // phrase_ticks
        begin = np.full(self.rows, -1, dtype=np.int64)
        turn = np.zeros(self.rows, dtype=np.int64)
        for p in set(phrase[last_bar].tolist()):
            rows = last_bar & (phrase == p)
            begin[rows] = self._turn_places.starts(p)[rows]
            turn[rows] = self._turn_places.length(p)
        again = (self._again >= 0) & (after >= self._again) & (after < self._again + turn)
        return last_bar & (((begin >= 0) & (after >= begin) & (after < begin + turn)) | again)

    def apart(
        self,
        rows: np.ndarray,
        onsets: np.ndarray,
        loop_pitches: np.ndarray,
        pitches: np.ndarray,
        allowed: np.ndarray,
        redraw: Callable[[int, np.ndarray], int],
        struck: np.ndarray | None = None,
    ) -> np.ndarray:
        """``pitches`` (one per take) with each of ``rows`` (takes whose network plays a turn's
        or an answer's note) on a pitch that no other take has played for the same note (its
        onset, ticks, and the loop's pitch there), while its ``allowed`` ((takes, pitches)
        bool) pitches leave one: where takes share a place (a bar with fewer places than
        takes, a chord struck once a bar), each plays an idea of its own. And of a chord
        loop's chord, the take's last turned voice there (``struck``, (takes, 128) bool: the
        notes each take has struck at its onset, the voices below) makes no chord another
        take has made there (:meth:`_chord_so_far`), before it keeps off the other takes'
        pitches for its voice: kept apart voice by voice, two takes that swapped two turned
        voices' pitches voiced a pad's F chord F3 F4 A4 both, one take lost (every request
        of helper-185's 4-chord pad at -t 1). ``redraw(take, left)`` draws the take's pitch
        again among the pitches ``left``."""
        out = pitches.copy()
        after = np.asarray(onsets, dtype=np.int64) - self.clip_end
        phrases = np.maximum(after, 0) // (PHRASE_BARS * self.bar)
        for take in rows.tolist():
            onset = int(onsets[take])
            played = self._played.setdefault((onset, int(loop_pitches[take])), set())
            rest = self._chord_so_far(take, onset, int(loop_pitches[take]), struck)
            made: set[frozenset[int]] = set()  # the chords other takes made there
            same: set[int] = set()  # the pitches that would make one of them again
            if rest is not None:
                made = self._made.setdefault(onset, set())
                same = {p for chord in made for p in chord - rest if chord == rest | {p}}
            taken = played | same
            # a line's late answers (Turns.answering_late), on the bar's third beat or its
            # fourth: off the other's pitches too, while the allowed leave one
            phrase = int(phrases[take])
            late = after[take] >= 0 and bool(self._turn_places.late_starts(after, phrase)[take])
            answered = self._played.setdefault((-1 - phrase, -1), set()) if late else played
            if late and (allowed[take] & ~mask_of(taken | answered, allowed.shape[1])).any():
                taken = taken | answered
            if int(out[take]) in taken:
                left = allowed[take].copy()
                left[list(taken)] = False
                if not left.any() and same:  # a chord of its own first, then a voice
                    left = allowed[take].copy()
                    left[list(same)] = False
                if left.any():
                    out[take] = redraw(take, left)
            played.add(int(out[take]))
            answered.add(int(out[take]))
            if rest is not None:
                chord = rest | {int(out[take])}
                if chord in made:  # no chord of its own left here: the next chord too
                    self._turn_again(take, onset)
                made.add(chord)
        return out

    def _turn_again(self, take: int, onset: int) -> None:
        """Give ``take``, whose turn of the chord struck at ``onset`` (ticks) made a chord
        another take made there, a turn of the next place of its phrase where the loop
        strikes a note to turn (``TurnPlaces.turns_at``): a pad whose chords have fewer voicings
        than takes (a close 4-2 seventh has one) played 8 takes as 4, each twice. A take
        whose chord is the phrase's last has none, and stays a repeat."""
        after = onset - self.clip_end
        phrase_ticks = PHRASE_BARS * self.bar
        turn = self._turn_places.length(after // phrase_ticks)
        end = (after // phrase_ticks + 1) * phrase_ticks
        for start in range((after // turn + 1) * turn, end, turn):
            if self._turn_places.struck(start, turn) and self._turn_places.turns_at(start, turn):
                self._again[take] = start
                return

    def _chord_so_far(
        self, take: int, onset: int, loop_pitch: int, struck: np.ndarray | None
    ) -> frozenset[int] | None:
        """Of a chord loop's chord struck at ``onset`` (ticks), where ``take`` turns its voice
        ``loop_pitch`` and no turned voice above it: the chord the take makes there but for
        that voice's pitch (its notes ``struck`` there, the voices below, and the loop's
        voices kept above); None where the voice is no chord's last turned one."""
        if struck is None or self.intervals is None or self.shape is not None:
            return None
        chord = self._voicings.chord_of(np.array([onset]))[0]
        if chord is None or loop_pitch not in chord or onset < self.clip_end:
            return None
        phrase = (onset - self.clip_end) // (PHRASE_BARS * self.bar)
        turned = self._turned_voicings.turned_ranks(chord, phrase, take, onset)
        above = [int(p) for p in chord if p > loop_pitch]
        if any(rank_of(chord, p) in turned for p in above):
            return None
        return frozenset(where_set(struck[take]).tolist()) | frozenset(above)

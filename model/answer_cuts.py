"""Where each take's answer begins in a phrase-end bar where the loop starts no note, the
figure it plays there (:meth:`AnswerCuts.answers`, :meth:`AnswerCuts.figure`), and the held
note it cuts: a note that would sound into the answer stops where it begins
(:meth:`AnswerCuts.cut`), the answer holds on where the note would have ended
(:meth:`AnswerCuts.held_on`), and of a held chord's voice, varies near that voice
(:meth:`AnswerCuts.voice_answered`). Where each take's answer lies is its places'
(``turn_places.TurnPlaces``), given; the notes each take has cut are the take's own, and each
request's copy of the turns (``takes.Turns.drawing_with``) keeps its own. The pitch each take's
answer cut (:attr:`AnswerCuts.cut_pitch`) is also what ``takes.Turns.clashing`` keeps the
answer off: both read this one array."""

from __future__ import annotations

import numpy as np

from segue.model.chord_voicings import ChordVoicings
from segue.model.loop import PHRASE_BARS
from segue.model.phrase_ends import any_further, any_in_phrase_end, any_into_phrase_end
from segue.model.take_records import LoopTimes, StruckChords
from segue.model.turn_kinds import PartKind
from segue.model.turn_places import TurnPlaces
from segue.model.vocab import any_set, where_set

ANSWER_BARS = 0.5
"""How long an answer's figure is (bars, from its first note): half a bar, which leaves the
bar's other half silent, as the call's rest was, before the call comes back."""


class AnswerCuts:
    """Each take's answer in a phrase-end bar where the loop starts no note: where it begins,
    its figure, and the held note it cuts, remembered for the take until the answer is
    played."""

    def __init__(
        self,
        rows: int,
        loop: LoopTimes,
        kind: PartKind,
        chords: StruckChords,
        *,
        shape: tuple[int, ...] | None,
        voicings: ChordVoicings,
        places: TurnPlaces,
    ) -> None:
        """``rows`` takes; ``loop``: the loop's ``bar``, ``shift`` (its length) and
        ``clip_end`` (ticks), and its ``onsets`` (ticks from its start: each bar's rhythm,
        where an answer's figure plays); ``kind``: whether the takes are ``cool`` (an answer
        is one note) and whether the loop is a ``sparse`` bass (it answers in the rest after
        its phrase's last note); ``chords``: of a chord loop, its ``intervals`` (None: a
        line) and its ``chords`` by place; the loop's fixed ``shape`` (``takes.Turns.shape``;
        None: none), its chords' voicings (``voicings``) and where each take's turns lie
        (``places``)."""
        self.rows = rows
        bar, shift, self.clip_end, onsets = loop
        self.bar = bar
        self.cool, sparse = kind.cool, kind.sparse
        self._chords, self.intervals, _ = chords
        self.shape = shape
        self._voicings = voicings
        self._turn_places = places
        bars = -(-shift // bar)  # each bar's rhythm: where an answer's figure plays
        self._rhythms = [np.unique(onsets[onsets // bar == b] % bar) for b in range(bars)]
        # how far apart (ticks) a take's latest note and the loop's next are where it may
        # answer (answers): a bar's silent half, or a sparse line's rest after its last note
        self._far = 0 if sparse else bar - bar // 2
        self._held = np.full(rows, -1, dtype=np.int64)  # where a note cut for an answer would end
        self._cut_in = np.full(rows, -1, dtype=np.int64)  # the phrase whose answer cut a note
        self.cut_pitch = np.full(rows, -1, dtype=np.int64)  # the note an answer cut
        self._cut_onset = np.full(rows, -1, dtype=np.int64)  # where that note was struck
        self._held_over = np.full(rows, -1, dtype=np.int64)  # the phrase whose answer held on

    def figure(self, place: int) -> np.ndarray:
        """The places (ticks in the bar) of an answer that begins at ``place``: the rhythm of
        the loop's first bar that starts a note there, from ``place`` on, for
        :data:`ANSWER_BARS` of a bar. A lead's 1-bar call and its rest were answered by one
        note, the answer's first (27 of 40 takes; a 2-bar call's, 40 of 40, helper-87): a
        musician answers a call with a short figure in its rhythm, and leaves the rest of the
        bar to the call's rest. Cool (:attr:`cool`, below -t 0.72), the answer is its first
        note alone: a take is the loop with one note of its own, and a lead's half-bar
        figure put 2.7-3.1 notes a take where the loop rests at -t 0.3 and 0.5 (helper-142's
        leads whose last bar rests, as at -t 1)."""
        if self.cool:
            return np.array([place], dtype=np.int64)
        span = max(1, int(self.bar * ANSWER_BARS))
        for rhythm in self._rhythms:
            if place in rhythm:
                return rhythm[(rhythm >= place) & (rhythm < place + span)]
        return np.array([place], dtype=np.int64)

    def answers(self, latest: np.ndarray, proposed: np.ndarray) -> np.ndarray:
        """(rows,) where each take's answer begins (ticks), or -1: a take answers when the
        loop's next note (at ``proposed``, ticks) would pass over its turn in a phrase-end
        bar where the loop starts no note, which its latest note (at ``latest``) has not
        reached; a take whose latest note is on a place of its answer's :meth:`figure`
        answers on at the figure's next place, before the loop's next note."""
        out = self._figures_on(latest, proposed)
        # a bar where the loop starts no note between the latest note and the loop's next
        # puts more than a bar between them, and a line's last bar that starts none in its
        # second half (TurnPlaces._rests_late) more than half a bar: most steps need no look
        if not any_further(latest.tolist(), proposed.tolist(), self._far):
            return out
        gap = proposed - latest
        far = gap > self._far
        phrase = np.maximum(latest - self.clip_end, 0) // (PHRASE_BARS * self.bar)
        for p in set(phrase[far].tolist()):
            if not (far & (phrase == p) & (gap > self.bar)).any() and not self._turn_places.late(p):
                continue  # drawn no sooner than it answers (the takes' draws in their order)
            starts, answer = self._turn_places.phrase(p)
            if answer:
                begin = self.clip_end + starts
                rows = (phrase == p) & (latest < begin) & (proposed >= begin) & (out < 0)
                out[rows] = begin[rows]
        return out

    def _figures_on(self, latest: np.ndarray, proposed: np.ndarray) -> np.ndarray:
        """(rows,) the next place (ticks) of the answer's :meth:`figure` each take has begun
        (its ``latest`` note on a place of it), where that comes before the loop's next note
        (at ``proposed``); else -1. An answer that took a held note's place holds on where
        the note would have ended (:meth:`held_on`): a pad's voice moves, and plays no
        figure."""
        out = np.full(self.rows, -1, dtype=np.int64)
        phrase_ticks = PHRASE_BARS * self.bar
        ticks = np.asarray(latest, dtype=np.int64)
        if not any_in_phrase_end(ticks.tolist(), self.clip_end, phrase_ticks, self.bar):
            return out  # (most notes are not in a last bar)
        after = ticks - self.clip_end
        last_bar = where_set((after >= 0) & (after % phrase_ticks >= phrase_ticks - self.bar))
        if not len(last_bar) or self._answer_nowhere(after[last_bar] // phrase_ticks):
            return out  # (most notes are not in a last bar; a trance gate's answers nowhere)
        for r in last_bar.tolist():
            phrase = int(after[r]) // phrase_ticks
            starts, answer = self._turn_places.phrase(phrase)
            bar_start = phrase * phrase_ticks + phrase_ticks - self.bar
            if not answer or after[r] < starts[r] or self._held_over[r] == phrase:
                continue  # an answer in a held note's place holds on (held_on): no figure
            places = bar_start + self.figure(int(starts[r]) - bar_start)
            later = places[places > after[r]]
            if int(after[r]) in places and len(later) and self.clip_end + later[0] < proposed[r]:
                out[r] = self.clip_end + int(later[0])
        return out

    def cut(
        self, onsets: np.ndarray, ends: np.ndarray, pitches: np.ndarray | None = None
    ) -> np.ndarray:
        """(rows,) where each row's note (from ``onsets`` to ``ends``, ticks) ends: a note
        that would sound into its take's answer stops where the answer begins (a held
        note, cut short and answered; the answer holds on where it would have ended, see
        :meth:`held_on`). One note a take and phrase: of a chord held through the bar, its top
        voice makes way and the others ring on (:meth:`_under_top`), so a pad keeps its chord
        and its bass while one voice moves (cut whole, a held F chord became one note that
        rang into the next chord). Of a part in a fixed shape (:attr:`shape`: held octaves, an open
        fifth), the voices struck with the first make way too, and the answer is the
        shape (``segue.model.shapes``): the lower voice of a held A3 E4 was cut and
        answered by one note while the E4 held on."""
        # most notes end before the last bar of their phrase: ends as they are
        phrase_ticks = PHRASE_BARS * self.bar
        if not any_into_phrase_end(
            onsets.tolist(), ends.tolist(), self.clip_end, phrase_ticks, self.bar
        ):
            return ends
        after = onsets - self.clip_end
        phrase = after // phrase_ticks
        last_bar = (phrase * PHRASE_BARS + PHRASE_BARS - 1) * self.bar
        first = self._cut_in != phrase
        again = ~first & (self._cut_onset == onsets) if self.shape is not None else first & False
        into = (after >= 0) & (ends - self.clip_end > last_bar) & (first | again)
        # most notes end before the last bar of their phrase, and a loop that starts notes
        # in every bar (a trance gate) has no answer to cut for: ends as they are
        if not any_set(into) or self._answer_nowhere(phrase[into]):
            return ends
        if pitches is not None and self.shape is None and self._chords:
            into &= ~self._under_top(onsets, pitches)
        if not any_set(into):
            return ends
        out = ends.copy()
        for p in set(phrase[into].tolist()):
            starts, answer = self._turn_places.phrase(p)
            if answer:
                rows = into & (phrase == p) & (after < starts)
                out[rows] = np.minimum(out[rows], self.clip_end + starts[rows])
                self._held[rows] = np.maximum(self._held[rows], ends[rows])
                self._cut_in[rows] = p
                self._cut_onset[rows & first] = onsets[rows & first]
                if pitches is not None:  # the root of a shape, whose other voices go with it
                    self.cut_pitch[rows & first] = pitches[rows & first]
        return out

    def _answer_nowhere(self, phrases: np.ndarray) -> bool:
        """Whether, for sure, the takes answer in none of ``phrases``: each one's turns are
        drawn already (``TurnPlaces.turns``), none of them an answer's. Asks nothing of the
        places (a phrase not drawn yet says False, and is drawn where it was before), so the
        places' draws come in the order they came: :meth:`cut` and :meth:`_figures_on` skip
        only what they would have done nothing with (none of ``phrases``: True)."""
        drawn = self._turn_places.turns
        return all(p in drawn and not drawn[p][1] for p in set(phrases.tolist()))

    def _under_top(self, onsets: np.ndarray, pitches: np.ndarray) -> np.ndarray:
        """(rows,) whether each row's note (``pitches`` at ``onsets``, ticks) lies under the
        top of the chord the loop strikes there: a held chord's top voice answers (:meth:`cut`)
        while the voices under it ring on, as a keyboard player moves a pad's top note over
        the chord; its bass held (a pad's pedal was cut and answered, helper-112), and a
        voice between, low in the part, had no clear pitch near it to move to."""
        out = np.zeros(len(pitches), dtype=bool)
        for row, chord in enumerate(self._voicings.chord_of(onsets)):
            out[row] = chord is not None and int(pitches[row]) < int(chord[-1])
        return out

    def voice_answered(
        self, rows: np.ndarray, loop_pitch: np.ndarray, answering: np.ndarray
    ) -> np.ndarray:
        """(len(rows),) the pitch each of ``rows`` (takes playing a turn's or an answer's
        note) varies near: the loop's (``loop_pitch``: for an answer, its next note), but for
        an ``answering`` take whose answer took a held chord's voice's place (:meth:`cut`),
        that voice's, which the answer moves: a pad's upper voice answered near the loop's
        next note, its bass, with a second over the bass that held (helper-112)."""
        cut = self.cut_pitch[rows]
        voice = answering & (cut >= 0) & (self.intervals is not None) & (self.shape is None)
        return np.where(voice, cut, loop_pitch)

    def held_on(self, answering: np.ndarray, onsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """(rows,) the lengths (ticks) of the notes at ``onsets``: an ``answering`` row's answer
        that took the place of a held note sounds on to where that note would have ended, and
        no further (a drone turns to another pitch rather than stopping; an answer that rang
        on past it sounded over the next chord)."""
        held = answering & (self._held > onsets)
        out = np.where(held, self._held - onsets, lengths)
        phrase = (np.asarray(onsets) - self.clip_end) // (PHRASE_BARS * self.bar)
        self._held_over[held] = phrase[held]
        self._held[answering] = -1
        self.cut_pitch[answering] = -1
        return out

"""How many takes turn or answer at one place (:class:`TakesSharing`): where a phrase's bar
has fewer places than takes, or a cool take's chord voice is turned by fewer takes than share
its place, or a line's takes answer late at fewer places than takes. What ``TakesApart.apart``
and the pitches of a turn or answer (``turn_pitches``, ``answer_pitches``) read to give each
take a pitch of its own. It keeps nothing of its own: it asks the takes' places
(:class:`TurnPlaces`) and turned voices (:class:`TurnedVoicings`), each request's copy its
own."""

from __future__ import annotations

import numpy as np

from segue.model.chord_voicings import ChordVoicings
from segue.model.loop import PHRASE_BARS
from segue.model.take_records import LoopTimes
from segue.model.turn_kinds import PartKind
from segue.model.turn_places import TurnPlaces
from segue.model.turned_voicings import TurnedVoicings
from segue.model.vocab import where_set
from segue.model.voicings import rank_of

SHARED_BAR = 2
"""How many takes a note of a section's turn (:func:`turn_of`) is counted as shared by
(:meth:`TakesSharing.sharing`) where the turn has at least as many onsets as takes share it: they
differ over its notes, and two pitches of their own at each note beside the loop's are
enough for that. Counted as four, the side of the loop's middle was kept where it left
one chord tone beside the loop's, and the four takes on an arp in A minor played one and
the same bar 16 (C5 A4 A5 E5 for A4 C5 E5 A5). A turn with fewer onsets (a sub bass's two
notes, a lead's one) is counted by all its takes: with two pitches for four takes, two
takes on a lead's one note were one take."""


class TakesSharing:
    """How many of a loop's takes turn or answer at each place: read of the takes' places
    and, cool, of a chord loop, of the voices they turn of the loop's chords."""

    def __init__(
        self,
        rows: int,
        loop: LoopTimes,
        kind: PartKind,
        *,
        intervals: np.ndarray | None,
        voicings: ChordVoicings,
        turned: TurnedVoicings,
        places: TurnPlaces,
    ) -> None:
        """``rows`` takes; ``loop``: the loop's ``bar`` and ``clip_end`` (ticks); ``kind``:
        whether its takes are ``cool``, and of a chord loop (its ``intervals`` not None),
        counted by the voices they turn (``turned``) of the loop's chords (``voicings``);
        where each take's turns lie (``places``)."""
        self.rows = rows
        self.bar, _, self.clip_end, _ = loop
        self._by_voice = kind.cool and intervals is not None  # a cool chord loop's: voice by voice
        self._voicings = voicings
        self._turned = turned
        self._places = places

    def sharing(self, onsets: np.ndarray, pitches: np.ndarray | None = None) -> np.ndarray:
        """(rows,) how many takes turn (or answer) at the place where each row's turn of the
        phrase of its ``onsets`` (ticks) lies: more than one where the bar has fewer places
        than takes (``TakesApart.apart`` gives each a pitch of its own while it can). Cool
        (``cool``), of a chord loop's voice (the loop's ``pitches`` there), the takes
        there that turn that voice (``TurnedVoicings._coolrank_of``): takes on its other voices
        differ already, and counted, they asked the voice for pitches it had only an octave off."""
        after = np.maximum(np.asarray(onsets, dtype=np.int64) - self.clip_end, 0)
        phrase = after // (PHRASE_BARS * self.bar)
        out = np.ones(self.rows, dtype=np.int64)
        for p in set(phrase.tolist()):
            starts, _ = self._places.phrase(p)
            rows = phrase == p
            out[rows] = (starts[None, :] == starts[rows][:, None]).sum(axis=1)
            turn = self._places.length(p)
            if turn > self._places.phrase_turn:  # a section's end: takes differ over its notes
                struck = np.array([self._places.struck(int(at), turn) for at in starts[rows]])
                out[rows] = np.where(
                    struck >= out[rows], np.minimum(out[rows], SHARED_BAR), out[rows]
                )
        if self._by_voice and pitches is not None:
            self._voice_sharing(out, np.asarray(onsets, dtype=np.int64), pitches)
        return out

    def answering_late(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) how many takes answer where each row's note (at ``onsets``, ticks) begins
        its take's answer late (``TurnPlaces.late_starts``), at either of fewer places than takes:
        all of them, each with a pitch of its own (:func:`answer_pitches`); else 0. Kept
        apart only at each place, the four takes on a drone, a sub bass's held root or its
        whole notes answered with two pitches on beats 3 and 4."""
        after = np.asarray(onsets, dtype=np.int64) - self.clip_end
        out = np.zeros(self.rows, dtype=np.int64)
        for p in set((np.maximum(after, 0) // (PHRASE_BARS * self.bar)).tolist()):
            out[(after >= 0) & self._places.late_starts(after, p)] = self.rows
        return out

    def _voice_sharing(self, out: np.ndarray, onsets: np.ndarray, pitches: np.ndarray) -> None:
        """:meth:`sharing` (``out``, changed in place) of the rows at a chord's voice (the
        loop's ``pitches`` at ``onsets``, ticks): the takes there that turn that voice."""
        phrase = np.maximum(onsets - self.clip_end, 0) // (PHRASE_BARS * self.bar)
        for r, chord in enumerate(self._voicings.chord_of(onsets)):
            if chord is None or int(pitches[r]) not in chord or onsets[r] < self.clip_end:
                continue
            p = int(phrase[r])
            starts, answer = self._places.phrase(p)
            if answer:
                continue
            rank = rank_of(chord, int(pitches[r]))
            peers = where_set(starts == starts[r]).tolist()
            on = sum(rank in self._turned.turned_ranks(chord, p, q, int(onsets[r])) for q in peers)
            out[r] = min(int(out[r]), max(1, on))

"""Whether a note a take turns or answers with clashes with what sounds with it: of a chord
loop, or of a line's chords (two notes or more struck together), the pitches that make one
of the loop's intervals with every note sounding, as wide as its voicing has them at that
register, and those clear of a semitone the loop lacks and of mud
(:meth:`ChordClashes.chord_clashing`); of a line, the chord its bar outlines
(:func:`outlined_chords`). Worked out of the loop alone, never a take's draws: a clip's
takes (``takes.Turns``) ask one of these, and every request's copy of them shares it
(``Turns.drawing_with``)."""

from __future__ import annotations

import numpy as np

from segue.model import pitch_bits as bits
from segue.model.arpeggios import beat_ticks
from segue.model.intervals import clear_with, interval_pairs
from segue.model.pitch_classes import every_octave
from segue.model.take_records import LoopTimes, StruckChords
from segue.model.vocab import any_set, where_set


class ChordClashes:
    """A loop's clashes (:meth:`clashing`), read from its chords' intervals and spread, each
    worked out once and kept (:meth:`chord_clashing`)."""

    CLASHES_KEPT = 4096
    """How many rows of :meth:`chord_clashing` the turns of a clip keep (a trance gate's
    requests asked about 150 distinct ones; each is 128 bytes)."""

    def __init__(
        self,
        loop: LoopTimes,
        chords: StruckChords,
        line: StruckChords,
        *,
        pairs: np.ndarray | None,
        outlined: dict[int, np.ndarray],
    ) -> None:
        """``loop``: a loop ``shift`` ticks long whose clip ends at ``clip_end`` (ticks), in
        bars of ``bar`` ticks; ``chords``: a chord loop's chords by place in the loop, their
        ``intervals`` (``intervals.intervals_of``; None: a line) and how ``wide`` they are by
        register (:func:`wide_enough`); ``line``: a line's chords, the intervals they sound
        where it strikes them and their spread; the ``pairs`` of pitches clear of a semitone
        the loop (or the line's chords) lacks and of mud (:func:`clear_pairs`); a line's
        arpeggios, by beat (``outlined``: :func:`outlined_chords`). The loop's chords
        (:attr:`struck`) and the clear pairs (:attr:`pairs`) are what its chords' voicings
        (``ChordVoicings``) read too."""
        self.bar, self.shift, self.clip_end, _ = loop
        self._chords, self.intervals, self._wide = chords
        self._line_chords, self._line_intervals, self._line_wide = line
        self.struck = chords
        self.pairs = pairs
        self._outlined = outlined
        self._pairs_of: dict[bool, np.ndarray] = {}  # interval_pairs_of
        self._clashes: dict[tuple[int, int, int], np.ndarray] = {}  # chord_clashing's rows

    @property
    def outlines(self) -> bool:
        """Whether :meth:`clashing` tells a turned note of this part the chord its bar
        outlines (2) from the rest of the key (1), a line's, with no chord it strikes whose
        clashes to keep clear of: :func:`turn_pitches` keeps its side before its chord."""
        return self.intervals is None and not self._line_chords

    def clashing(
        self,
        rows: np.ndarray,
        onsets: np.ndarray,
        loop_pitches: np.ndarray,
        sounding: np.ndarray,
        cut_pitch: np.ndarray,
    ) -> np.ndarray | None:
        """(len(rows), 128) int8: 2 for the pitches a chord loop's turned or answering note (of
        ``rows``, at ``onsets``) may take without a clash the loop does not have
        (:func:`consonant_with`) against the notes ``sounding`` there ((rows, 128) bool) and
        the loop's other voices struck with it, nor one narrower than the loop's voicing has
        at its register (:func:`wide_enough`), nor one of those (two voices on one pitch
        are one note); never the note its answer cut (struck again
        it answered nothing: 21 of 40 answers of a pushed chord, helper-68); 1 for those
        clear of them pair by pair, as far over the lowest as the loop's voicing is there
        (:meth:`chord_clashing`), 0 for the rest, -1 for the other voices' own pitches.
        For a line, by the chord that the loop outlines at the same place
        (:func:`outlined_chords`): 2 for its pitch classes, 1 for the others
        (an arp's turns played a G or a D in its Am bar: 93 of 128 turned notes of a trance
        arp over Am F C G left their bar's chord, helper-74); 1 throughout in a bar that
        outlines none, and None for a line none of whose bars does, but where an answer
        cut a note: a line's answer is never the note it cut either (held through a silent
        bar, an arp's C4 was struck again by 33 of 48 answers, a bass's G1 by 24 of 48,
        helper-85). ``cut_pitch``: each take's note that its answer cut (-1: none)."""
        if self.intervals is None:
            answering = (cut_pitch >= 0).any()  # in a held note's place
            if not self._outlined and not answering and not self._line_chords:
                return None
            out = self._outlining(rows, onsets)
            if self._line_chords:  # a line's chord: as a chord loop's (a ballad's right hand)
                at = where_set(self._at_chord(rows, onsets))
                out[at] = self.chord_clashing(rows[at], onsets, loop_pitches, sounding)
            if answering:
                cut = cut_pitch[rows]
                out[where_set(cut >= 0), cut[cut >= 0]] = 0
            return out
        out = self.chord_clashing(rows, onsets, loop_pitches, sounding)
        heard = sounding[rows]
        cut = cut_pitch[rows]
        if not any_set(cut >= 0):  # no answer has cut a note (most turned voices)
            return out
        out[where_set(cut >= 0), cut[cut >= 0]] = 0
        for i in where_set(cut >= 0).tolist():  # an upper voice's answer stays over
            held = where_set(heard[i])  # the bass that holds (cut): under it, it would
            if len(held) and held[0] < cut[i]:  # be the bass
                under = out[i, : held[0] + 1]
                under[under > 0] = 0
        return out

    def _at_chord(self, rows: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        """(len(rows),) bool: whether the note of ``rows`` (at ``onsets``, ticks) falls where
        the loop strikes a chord, a chord loop's or a line's."""
        place = (np.asarray(onsets, dtype=np.int64)[rows] - self.clip_end) % self.shift
        chords = self._chords if self.intervals is not None else self._line_chords
        return np.array([int(p) in chords for p in place], dtype=bool)

    def chord_clashing(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, sounding: np.ndarray
    ) -> np.ndarray:
        """(len(rows), 128) int8: of a note struck where the loop strikes a chord (of ``rows``, at
        ``onsets``, ticks, the loop's voice of ``loop_pitches``), 2 for the pitches that make
        one of the loop's intervals, as wide as its voicing has it at that register
        (:func:`consonant_with`, :func:`wide_enough`), with every note ``sounding`` there
        ((rows, 128) bool) and the chord's other voices, 1 for those clear of them pair by pair
        (:func:`clear_pairs`: one of those intervals, or no semitone nor a muddy interval low
        down) and as far over the lowest of them as the loop's voicing is there
        (:func:`wide_enough`), 0 for the rest, -1 for the other voices' own pitches (two voices
        on one pitch are one note). The voices below it are those the take struck
        (``sounding``), the loop's above it: a close G's turned voices were held off the B3 that
        the take had turned to C4 already, and an open G's G3 off C4 (a minor ninth over a B2 no
        longer there). Of a line, 2 throughout where it strikes one note. A chord loop's by its
        chords, a line's by the chords it strikes (two notes or more at once) and the intervals
        sounding where it strikes them: a ballad's right-hand voices let go of came back a
        semitone or a minor ninth off the chord (E4 over F2 and F4, E3 over F2: 13 notes of 16
        takes of helper-112's ballad, helper-119). Each row's answer reads only the notes
        sounding, the place in the loop and the loop's pitch: it is worked out once for
        them (:meth:`_chord_clashes`) and kept for the clip's requests (a trance gate's
        takes ask the same ones again and again)."""
        line = self.intervals is None
        if line and not self._line_chords:
            return np.full((len(rows), 128), 2, dtype=np.int8)
        place = (np.asarray(onsets, dtype=np.int64)[rows] - self.clip_end) % self.shift
        asked = zip(
            bits.rows_of(sounding[rows]), place.tolist(), loop_pitches[rows].tolist(), strict=True
        )
        keys = [(heard, int(p), int(pitch)) for heard, p, pitch in asked]
        out = np.empty((len(rows), 128), dtype=np.int8)
        new = []
        for i, key in enumerate(keys):
            known = self._clashes.get(key)
            if known is None:
                new.append(i)
            else:
                out[i] = known
        if new:
            worked = self._chord_clashes(rows[new], onsets, loop_pitches, sounding)
            out[new] = worked
            for i, row in zip(new, worked, strict=True):
                if len(self._clashes) < self.CLASHES_KEPT:
                    self._clashes[keys[i]] = row
        return out

    def _chord_clashes(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, sounding: np.ndarray
    ) -> np.ndarray:
        """:meth:`chord_clashing`, worked out."""
        line = self.intervals is None
        wide = self._line_wide if line else self._wide
        chords = self._line_chords if line else self._chords
        heard = sounding[rows].copy()
        voices = np.zeros_like(heard)  # the loop's other voices: not doubled (one note)
        place = (np.asarray(onsets, dtype=np.int64)[rows] - self.clip_end) % self.shift
        here = np.zeros(len(rows), dtype=bool)
        for i, (r, p) in enumerate(zip(rows.tolist(), place.tolist(), strict=True)):
            chord = chords.get(int(p))
            if chord is not None:
                # a chord loop's voices below: as the take struck them; a line's, the loop's
                # (held to what it struck, a ballad's right hand took B3 over its F2, and its
                # left hand's C3 after struck a minor ninth under it: 4 -> 32 of 16 takes)
                voices[
                    i, chord[chord > loop_pitches[r] if not line else chord != loop_pitches[r]]
                ] = True
                here[i] = True
        with_them = heard | voices
        out = clear_with(with_them, self.interval_pairs_of(line)).astype(np.int8) * 2
        assert self.pairs is not None and wide is not None
        clear = clear_with(with_them, self.pairs)
        if not line:  # and a chord loop's as far over the lowest as its voicing is there: a
            # neo-soul loop's B2 over its C2 (a root alone under a seventh) turned to G2
            lowest = with_them.argmax(axis=1)
            clear &= wide[:, lowest].T | ~with_them.any(axis=1)[:, None]
        out[out == 0] = clear[out == 0]
        out[voices | (heard & here[:, None] & (not line))] = -1  # a voice on another's: one
        if line:
            out[~here] = 2
        return out

    def interval_pairs_of(self, line: bool) -> np.ndarray:
        """(128, 128) bool: ``intervals.interval_pairs`` of a chord loop's intervals and
        spread (of a ``line``'s chords: its own), as :func:`consonant_with` reads them, worked
        out once per request rather than at every turned voice."""
        if line not in self._pairs_of:
            intervals = self._line_intervals if line else self.intervals
            wide = self._line_wide if line else self._wide
            assert intervals is not None
            self._pairs_of[line] = interval_pairs(intervals, wide)
        return self._pairs_of[line]

    def _outlining(self, rows: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        """(len(rows), 128) int8: for a line's note (of ``rows``, at ``onsets``), 2 for the
        pitches of the chord the loop outlines at its place (:func:`outlined_chords`), 1 for
        the rest."""
        out = np.ones((len(rows), 128), dtype=np.int8)
        place = (np.asarray(onsets, dtype=np.int64)[rows] - self.clip_end) % self.shift
        for i, at in enumerate((place // beat_ticks(self.bar)).tolist()):
            chord = self._outlined.get(at)
            if chord is not None:
                out[i] += every_octave(chord)
        return out

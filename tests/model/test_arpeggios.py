"""The chords an arpeggio outlines, beat by beat."""

from __future__ import annotations

import numpy as np

from segue.model.arpeggios import TRIADS, beat_ticks, holds_chord, outlined_chords

NAMES = "C C# D D# E F F# G G# A A# B".split()
AM, F, C, G = (57, 60, 64, 69), (53, 57, 60, 65), (48, 52, 55, 60), (55, 59, 62, 67)


def chords_by_beat(notes: list[tuple[int, int]], beats: int, bar: int = 96) -> list[str]:
    """The chord outlined at each beat of a loop of (pitch, onset ticks) notes, by name."""
    onsets = np.array([t for _, t in notes])
    pitches = np.array([p for p, _ in notes])
    out = outlined_chords(onsets, pitches, bar, beats * beat_ticks(bar))
    return [
        "".join(NAMES[c] for c in np.flatnonzero(out[b])) if b in out else "-" for b in range(beats)
    ]


def sixteenths(*spans: tuple[tuple[int, ...], int, int], beats: int) -> list[tuple[int, int]]:
    """Up each chord's tones in 16ths (6 ticks) from its first beat, for its beats."""
    return [
        (tones[i % len(tones)], (first * 24 + 6 * i) % (beats * 24))
        for tones, first, length in spans
        for i in range(4 * length)
    ]


def test_the_chords_change_on_the_beats_where_the_arp_outlines_another() -> None:
    one_three = sixteenths((AM, 0, 1), (F, 1, 3), beats=4)
    assert chords_by_beat(one_three, 4) == ["CEA", "CFA", "CFA", "CFA"]  # not Fmaj7 throughout
    per_beat = sixteenths((AM, 0, 1), (F, 1, 1), (C, 2, 1), (G, 3, 1), beats=4)
    assert chords_by_beat(per_beat, 4) == ["CEA", "CFA", "CEG", "DGB"]
    # on beats 2 and 4: the G runs over the bar line, from the loop's end to its start
    assert chords_by_beat(sixteenths((AM, 1, 2), (G, 3, 2), beats=4), 4) == [
        "DGB",
        "CEA",
        "CEA",
        "DGB",
    ]


def test_a_bar_of_one_chord_is_one_chord_whatever_its_beats_leave_out() -> None:
    """An Am7 bar whose second half leaves out the G is Am7 (a chord's beats that hold one
    another split only at a bar line); a bar of eighths whose beats play two notes each is
    read whole."""
    seventh = [(p, 12 * i) for i, p in enumerate((57, 60, 64, 67, 64, 60, 57, 60))]
    assert chords_by_beat(seventh, 4) == ["CEGA"] * 4
    eighths = [(p, 12 * i) for i, p in enumerate((57, 60, 64, 69) * 2)]
    eighths += [(p, 96 + 12 * i) for i, p in enumerate((53, 57, 60, 65) * 2)]
    assert chords_by_beat(eighths, 8) == ["CEA"] * 4 + ["CFA"] * 4


def test_a_stepwise_line_or_power_chords_outline_nothing_and_a_rest_keeps_the_chord() -> None:
    scale = [(60 + (0, 2, 4, 5, 7, 5, 4, 2)[i % 8], 6 * i) for i in range(16)]
    assert chords_by_beat(scale, 4) == ["-"] * 4
    power = [(p, 12 * i) for i, p in enumerate((48, 55, 60, 55, 50, 57, 62, 57))]
    assert chords_by_beat(power, 4) == ["-"] * 4
    # a bar of Am, then a bar that starts nothing (a rest, or its last note held on)
    held = sixteenths((AM, 0, 4), beats=8)
    assert chords_by_beat(held, 8) == ["CEA"] * 8


def test_chords_may_change_on_the_eighths_of_a_bar_of_seven() -> None:
    assert beat_ticks(96) == 24 and beat_ticks(72) == 24 and beat_ticks(84) == 12
    # 7/8: Am for four eighths (in 16ths), F for three
    notes = [(AM[i % 4], 6 * i) for i in range(8)] + [(F[i % 4], 48 + 6 * i) for i in range(6)]
    assert chords_by_beat(notes, 7, bar=84) == ["CEA"] * 4 + ["CFA"] * 3


def test_holds_chord_kept_says_what_it_reads_of_every_mask() -> None:
    """holds_chord keeps its answers: every mask of 12 bits, asked twice, holds a triad
    exactly where a root and its chord's two other tones are set (as outlined_chords read
    it before it kept them); a mask of one chord's tones holds that chord alone."""
    for _ in range(2):
        for mask in range(4096):
            bits = [bool(mask >> c & 1) for c in range(12)]
            expected = any(
                bits[root] and bits[(root + one) % 12] and bits[(root + two) % 12]
                for root in range(12)
                for one, two in TRIADS
            )
            assert holds_chord(mask, TRIADS) is expected
    c_major = 1 << 0 | 1 << 4 | 1 << 7
    assert holds_chord(c_major, ((4, 7),)) and not holds_chord(c_major, ((3, 7),))

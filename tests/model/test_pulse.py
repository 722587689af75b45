"""A part's pulse at --memory 0: a part struck at one steady gap keeps it, each place of
the bar with the clip's number of notes, a waltz's bass under its chords."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows
from segue.model.generate import generate
from segue.model.pulse import Pulse
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note, TimeSignature

BEAT = 24  # ticks
WALK = (36, 40, 43, 45, 41, 45, 48, 50, 36, 40, 43, 46, 36, 38, 40, 42)
"""C2 E2 G2 A2 | F2 A2 C3 D3 | C2 E2 G2 A#2 | C2 D2 E2 F#2: a walking bass in quarters."""
WALTZ = ((36, (48, 52, 55)), (41, (53, 57, 60)), (43, (55, 59, 62)), (36, (48, 52, 55)))
"""C F G C in 3/4: the bass alone on the downbeat, its triad on beats 2 and 3."""
EIGHTHS = (36, 36, 48, 36, 43, 36, 46, 36, 41, 41, 53, 41, 48, 41, 51, 41) * 2
"""An 8th-note bass: C2 C2 C3 C2 G2 C2 Bb2 C2 | F2 F2 F3 F2 C3 F2 Eb3 F2, twice."""


def walking_bass() -> Clip:
    return Clip(tuple(Note(p, float(i), 0.95, 90 + 5 * (i % 2)) for i, p in enumerate(WALK)), 16.0)


def waltz() -> Clip:
    notes = []
    for bar, (bass, chord) in enumerate(WALTZ * 2):
        notes.append(Note(bass, bar * 3.0, 1.0, 90))
        notes += [Note(p, bar * 3.0 + beat, 0.9, 70) for beat in (1, 2) for p in chord]
    return Clip(tuple(notes), 24.0, TimeSignature(3, 4))


def eighths(skip: tuple[int, ...] = (), every: int = 0, swing: float = 0.5) -> Clip:
    """:data:`EIGHTHS` (0.4 beats each, 4 bars), less the 8ths ``skip`` and, with ``every``,
    each ``every``-th's last; its off-beats ``swing`` of the beat late (2/3: a shuffle)."""
    return Clip(
        tuple(
            Note(p, i // 2 + (swing if i % 2 else 0.0), 0.4 if swing == 0.5 else 0.3, 90)
            for i, p in enumerate(EIGHTHS)
            if i not in skip and not (every and i % every == every - 1)
        ),
        16.0,
    )


def test_a_part_struck_at_one_steady_gap_has_a_pulse() -> None:
    walk = Pulse.of(clip_rows(walking_bass()), 16 * BEAT, 4 * BEAT, BEAT)
    assert walk == Pulse(BEAT, 0, 4 * BEAT, (1, 1, 1, 1), (0,) * 4, (127,) * 4, 23)
    oom_pah_pah = Pulse.of(clip_rows(waltz()), 24 * BEAT, 3 * BEAT, BEAT)
    # the bass alone under C3 (an octave of room from C2), the triads from C3 up
    assert oom_pah_pah == Pulse(BEAT, 0, 3 * BEAT, (1, 3, 3), (36, 48, 48), (47, 127, 127), BEAT)
    off_beats = Clip(tuple(Note(60, k + 0.5, 0.25, 100) for k in range(8)), 8.0)
    assert Pulse.of(clip_rows(off_beats), 8 * BEAT, 4 * BEAT, BEAT) == Pulse(
        BEAT, BEAT // 2, 4 * BEAT, (1, 1, 1, 1), (0,) * 4, (127,) * 4, BEAT // 4
    )
    # a lead's uneven gaps, a pad's half notes, a figure too short to say: no pulse
    lead = Clip(tuple(Note(60 + k, s, 0.5, 90) for k, s in enumerate((0, 0.5, 1, 2, 2.5, 3))))
    halves = Clip(tuple(Note(60, 2.0 * k, 2.0, 90) for k in range(4)), 8.0)
    three = Clip(tuple(Note(60, float(k), 1.0, 90) for k in range(3)), 4.0)
    assert Pulse.of(clip_rows(lead), 4 * BEAT, 4 * BEAT, BEAT) is None
    assert Pulse.of(clip_rows(halves), 8 * BEAT, 4 * BEAT, BEAT) is None
    assert Pulse.of(clip_rows(three), 4 * BEAT, 4 * BEAT, BEAT) is None


def test_a_pulse_keeps_through_a_rest_and_a_swing() -> None:
    """A part was given a pulse only where every gap was the same: a bass of 8ths missing one
    8th, a shuffle's swung 8ths (heard at 0 and 2/3 of each beat) or a riff resting on the
    and of 4 had none (helper-191). A rest is a tick of the pulse the part leaves silent, a
    swing each pair's second strike late; a figure that rests on a quarter of its ticks or
    more is its own rhythm, and so is a note held through a tick."""
    bar = 4 * BEAT
    straight = (1,) * 8, (0,) * 8, (127,) * 8
    assert Pulse.of(clip_rows(eighths(skip=(13,))), 16 * BEAT, bar, BEAT) == Pulse(
        BEAT // 2, 0, bar, *straight, 10
    )
    shuffle = Pulse.of(clip_rows(eighths(swing=2 / 3)), 16 * BEAT, bar, BEAT)
    assert shuffle == Pulse(BEAT // 2, 0, bar, *straight, 7, swing=4)
    assert shuffle.next_tick(np.array([0, 16, 24, 90])).tolist() == [16, 24, 40, 96]
    riff = Pulse.of(clip_rows(eighths(every=8)), 16 * BEAT, bar, BEAT)  # no and of 4
    assert riff is not None and riff.rests == (7,) and riff.sizes == (1,) * 7 + (0,)
    assert riff.next_tick(np.array([72, 60])).tolist() == [96, 72]  # 3 -> the next 1
    three_and_a_rest = eighths(every=4)
    dembow = Clip(tuple(Note(36, b + s, 0.25, 90) for b in (0, 2) for s in (0, 0.75, 1.5)))
    assert Pulse.of(clip_rows(three_and_a_rest), 16 * BEAT, bar, BEAT) is None
    assert Pulse.of(clip_rows(dembow), 4 * BEAT, bar, BEAT) is None
    # a line of 8ths and held quarters (a reel's) holds a note through the tick it skips: its
    # note values are its own
    reel = Clip(
        tuple(
            Note(60 + k, 4.0 * b + s, 1.0 if s == 3 else 0.5, 90)
            for b in range(2)
            for k, s in enumerate((0, 0.5, 1, 1.5, 2, 2.5, 3))
        )
    )
    assert Pulse.of(clip_rows(reel), 8 * BEAT, bar, BEAT) is None


def test_the_next_strike_is_on_the_pulse_or_with_a_chord_the_clip_has_room_for() -> None:
    pulse = Pulse.of(clip_rows(waltz()), 24 * BEAT, 3 * BEAT, BEAT)
    assert pulse is not None
    gaps = np.array([0, 6, 12, 24, 48])
    last = np.array([24, 25, 24, 22]) * BEAT  # a downbeat, beat 2 twice, the seed's last
    onsets = last[:, None] + gaps[None]
    struck = np.array([1, 1, 3, 3])
    first = np.array([False, False, False, True])
    kept = pulse.onsets(None, onsets, last, struck, first, 24 * BEAT)
    assert kept.tolist() == [
        [False, False, False, True, False],  # the bass alone: on to beat 2
        [True, False, False, True, False],  # one note of the triad: another, or on
        [False, False, False, True, False],  # the triad whole
        [False, False, False, False, True],  # the seed's last chord: the take's downbeat
    ]
    pitches = np.ones((2, 128), dtype=bool)
    pulse.registered(pitches, np.array([True, True]), np.array([27, 28]) * BEAT)
    assert np.flatnonzero(pitches[0]).tolist() == list(range(36, 48))  # the downbeat's bass
    assert np.flatnonzero(pitches[1]).tolist() == list(range(48, 128))  # beat 2's chord


def _takes(clip: Clip) -> list[list[tuple[float, int, float]]]:
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    producer = load_checkpoint(find_model("producer")).model
    params = [GenerationParams(variations=4, bars=4, rng_seed=seed, memory=0) for seed in (1, 2, 3)]
    return [
        sorted((round(n.start, 3), n.pitch, n.duration) for n in take.clip.notes)
        for p in params
        for take in generate(producer, clip, p).variations
    ]


def test_at_memory_0_a_walking_bass_keeps_walking_in_quarters() -> None:
    """With no loop at memory 0 a walking bass came back with a D2 held 3.58 beats and a bar
    of 8ths: 16 quarters in 4 of 32 takes (helper-185; rng seeds 1-8), 32 of 32 at memory
    0.5. Now every take strikes every beat and only there, its notes the network's."""
    takes = _takes(walking_bass())
    assert all([s for s, _, _ in take] == [float(b) for b in range(16)] for take in takes)
    assert len({tuple(p for _, p, _ in take) for take in takes}) == len(takes)  # its own notes


def test_at_memory_0_a_waltz_keeps_its_bass_alone_under_two_chords() -> None:
    """At memory 0 a waltz (the bass alone on the downbeat, a triad on beats 2 and 3) came
    back in block triads on every beat, held over the bar line, 7.5-14.2 notes a bar for its
    7 and 11 of 32 takes with no note under C3 (helper-185; bass-chord-chord bars 0 of 128,
    119 at memory 0.5). Now every bar strikes one bass note under C3 on its downbeat and
    chords above it on beats 2 and 3, no more than three notes each."""
    for take in _takes(waltz()):
        for bar in range(4):
            down = [p for s, p, _ in take if s == 3.0 * bar]
            two = [p for s, p, _ in take if s == 3.0 * bar + 1]
            three = [p for s, p, _ in take if s == 3.0 * bar + 2]
            assert len(down) == 1 and down[0] < 48, take
            assert 2 <= len(two) <= 3 and 2 <= len(three) <= 3 and min(two + three) >= 48, take
        assert {s for s, _, _ in take} == {float(b) for b in range(12)}


def test_at_memory_0_a_bass_of_8ths_keeps_its_8ths_through_a_rest_and_a_swing() -> None:
    """At memory 0 an 8th bass missing one 8th struck 5.4 notes a bar for its 7.75 and held
    notes up to 4 beats; a riff resting on the and of 4 5.1 for its 7; a shuffle's swung
    8ths held notes up to 1.8 beats for its 0.3 (rng seeds 1-8, helper-191). Now each strikes
    on its pulse (the shuffle's off-beats at 2/3 of the beat), the riff resting where its
    clip rests, no note longer than the clip's, the notes the network's own."""
    eights = [b + h for b in range(16) for h in (0.0, 0.5)]
    for clip, places in (
        (eighths(skip=(13,)), set(eights)),
        (eighths(every=8), {s for s in eights if s % 4 != 3.5}),
        (eighths(swing=2 / 3), {b + h for b in range(16) for h in (0.0, 0.667)}),
    ):
        takes = _takes(clip)
        longest = max(n.duration for n in clip.notes)
        for take in takes:
            starts = {round(s, 3) for s, _, _ in take}
            assert starts <= places and len(starts) >= len(places) - 1, take
            assert max(d for _, _, d in take) <= longest + 1e-6, take
        assert len({tuple(p for _, p, _ in take) for take in takes}) == len(takes)

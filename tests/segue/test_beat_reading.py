"""Whether a part on drum notes is a beat or a musician's notes (``segue.beat_reading``)."""

from __future__ import annotations

import numpy as np

from segue.idioms.drums import drum_piece


def test_a_hat_loop_without_a_kick_looks_like_a_hat_part_and_a_line_does_not() -> None:
    from segue.beat_reading import looks_like_drums, looks_like_hats

    hats = [(b / 4, 42) for b in range(32)] + [(b + 0.5, 46) for b in range(8)]
    clap = hats + [(b, 39) for b in (1.0, 3.0, 5.0, 7.0)]
    assert not looks_like_drums(hats) and not looks_like_drums(clap)  # no kick
    assert looks_like_hats(hats) and looks_like_hats(clap)
    riff = [(i / 2, p) for i, p in enumerate([42, 44, 46, 37, 39] * 4)]  # F# pentatonic
    assert not looks_like_hats(riff)  # one note at a time through 5 pitches: a line
    assert not looks_like_hats([(b, 39) for b in range(8)] + [(0.5, 42)])  # claps keep time
    assert not looks_like_hats([(0.0, 42), (0.5, 60)])  # a note off the hats and claps
    assert not looks_like_hats([])


def test_a_beat_on_gm_drum_notes_looks_like_drums_and_a_bass_line_does_not() -> None:
    from segue.beat_reading import looks_like_drums

    house = [(b / 2, 36) for b in range(0, 8, 2)] + [(b / 4, 42) for b in range(16)]
    house += [(1.0, 39), (3.0, 39)]
    assert looks_like_drums(house)
    bass = [(float(i), p) for i, p in enumerate([36, 39, 42, 39, 36, 38, 42, 46])]
    assert not looks_like_drums(bass)  # C, E flat, F sharp: GM notes, one at a time
    assert not looks_like_drums(house + [(0.5, 30)])  # a note off the GM map: a custom rack
    assert not looks_like_drums([(0.0, 36), (0.0, 42), (1.0, 36), (1.0, 42)])  # no snare
    assert not looks_like_drums([])
    # an octave bass in C minor, every note doubled an octave up, on kick, clap and hat notes
    line = [36, 39, 41, 43, 46, 43, 42, 39]  # C2 Eb2 F2 G2 Bb2 G2 F#2 Eb2
    octaves = [(i / 2, p + up) for i, p in enumerate(line) for up in (0, 12)]
    assert not looks_like_drums(octaves)
    assert looks_like_drums(house + [(0.0, 48)])  # a kick and a tom an octave up: still a beat


def test_power_chords_and_keyboard_chords_on_drum_notes_are_no_beat() -> None:
    """A bass line in power chords in C minor (C2+G2, Eb2+Bb2, F2+C3, G2+D3) lies on a
    kick, toms, a clap and an open hat, and F sharp minor's (F#2+C#3, B1+F#2 ...) on a hat,
    a crash and a kick: both were taken for beats, and ``auto`` now gives a beat on a
    melodic channel the drum model. One shape struck on three lowest notes or more moves as
    a line; four notes struck at half the onsets are chords. A beat's kick and clap, and
    its clap and hat, lie a minor third apart, one shape on two notes: still a beat."""
    from segue.beat_reading import looks_like_drums

    for roots in ([36, 36, 39, 39, 41, 41, 43, 38], [42, 42, 45, 45, 35, 35, 38, 40]):
        fifths = [(i / 2, r + up) for i, r in enumerate(roots * 2) for up in (0, 7)]
        assert not looks_like_drums(fifths), roots
    chords = [(4.0 * b, p) for b, c in enumerate([(44, 56, 59, 63), (40, 56, 59, 63)]) for p in c]
    chords += [(4.0 * b + 2, p) for b, c in enumerate([(35, 51, 54), (42, 49, 54)]) for p in c]
    assert not looks_like_drums(chords)  # a keyboard's chords over a bass in the 2nd octave
    house = [(float(b), 36) for b in range(8)] + [(b + 0.5, 42) for b in range(8)]
    house += [(b + 1.0, 39) for b in range(0, 8, 2)] + [(7.5, 39)]  # a clap on the last hat
    assert looks_like_drums(house)


def test_a_part_on_a_kit_s_kick_and_snare_or_hat_may_be_drums_and_a_lead_is_not() -> None:
    """`--model drums` on a lead played pads on the lead's synth without a word: a lead
    lies on GM percussion (bongos to a triangle) but on no kick, snare or hat (helper-69)."""
    from segue.beat_reading import may_be_drums

    assert may_be_drums([36, 42, 36, 42])  # a kick and hat pattern, on channel 1
    assert may_be_drums([36, 38, 42, 46])
    assert not may_be_drums([67, 69, 71, 72, 74, 76, 79])  # a lead: all on the GM map
    assert not may_be_drums([36, 38, 42, 30])  # a note below the map
    assert not may_be_drums([38, 42, 46])  # no kick
    assert not may_be_drums([])


def test_a_line_on_gm_drum_notes_is_no_beat_and_a_kick_and_hat_pattern_may_be() -> None:
    """`--model drums` on a bass line from C2 to C3 (on a kick, a snare, a clap, toms and
    hats) played it as pads without a word: the part may have been a beat by its notes. One
    note at a time through 5 pitches or more, it moves as a line; a kick and hat pattern one
    hit at a time, and a beat played by hand (its hits a few ms apart), may be a beat."""
    from segue.beat_reading import not_a_beat

    walk = [36, 36, 48, 36, 39, 41, 42, 43, 36, 36, 46, 36, 43, 41, 39, 38]
    bass = [(i / 2, p) for i, p in enumerate(walk)]
    assert not_a_beat(bass) == "one note at a time through 8 pitches, as a line moves"
    assert not_a_beat([(i / 2, (36, 42)[i % 2]) for i in range(16)]) is None
    played = [(i / 2 + 0.04 * (p == 42), p) for i in range(16) for p in (42, (36, 38)[i % 2])]
    played += [(7.75, 46), (7.8, 49), (7.0, 45)]  # a played beat: kick and hat 20 ms apart
    assert not_a_beat(played) is None
    assert not_a_beat([(i / 2, p) for i, p in enumerate([36, 38, 42, 46])]) is None
    assert not_a_beat([(0.0, 67), (1.0, 69)]) == "no kick, or notes off the drum kit"


MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)
PROGRESSIONS = ((0, 4, 5, 3), (0, 5, 3, 4), (1, 4, 0, 0), (5, 3, 0, 4))  # I-V-vi-IV ...


def _above(pitch_class: int, low: int) -> int:
    return low + (pitch_class - low) % 12


def _chord(degree: int, key: int, scale: tuple[int, ...], size: int = 3) -> list[int]:
    return [(key + scale[(degree + 2 * i) % 7]) % 12 for i in range(size)]


def _close(classes: list[int], low: int) -> list[int]:
    """The close voicing of ``classes`` from ``low`` up whose top is lowest."""
    best: list[int] = []
    for inversion in range(len(classes)):
        voiced, pitch = [], low
        for pc in classes[inversion:] + classes[:inversion]:
            pitch = _above(pc, pitch)
            voiced.append(pitch)
            pitch += 1
        if not best or voiced[-1] < best[-1]:
            best = voiced
    return best


def _led(previous: list[int], classes: list[int]) -> list[int]:
    """The close voicing of ``classes`` nearest ``previous`` (voice-led inversions)."""
    voicings = [_close(classes, low) for low in range(previous[0] - 6, previous[0] + 7)]
    return min(voicings, key=lambda v: sum(abs(a - b) for a, b in zip(v, previous, strict=False)))


def _progressions(bass_low: int, chord_low: int, size: int = 3):
    """Every key, major and minor, and progression, twice through: (bass, fifth, voicing,
    pitch classes) for each chord, the voicings led from one to the next."""
    for scale in (MAJOR, MINOR):
        for key in range(12):
            for progression in PROGRESSIONS:
                chords, voicing = [], _close(_chord(progression[0], key, scale, size), chord_low)
                for degree in progression * 2:
                    classes = _chord(degree, key, scale, size)
                    voicing = _led(voicing, classes)
                    bass = _above(classes[0], bass_low)
                    chords.append((bass, _above(classes[2], bass_low), voicing, classes))
                yield chords


def _left_hand(pattern: str, chords) -> list[tuple[float, int]]:
    notes: list[tuple[float, int]] = []
    for bar, (bass, fifth, triad, _) in enumerate(chords):
        one = 3.0 * bar if pattern in ("waltz", "dyads") else 4.0 * bar
        if pattern == "waltz":  # bass alone, the chord on 2 and 3
            notes += [(one, bass)] + [(one + k, p) for k in (1, 2) for p in triad]
        elif pattern == "dyads":  # bass alone, two of the chord's notes on 2 and 3
            notes += [(one, bass)] + [(one + k, p) for k in (1, 2) for p in triad[1:]]
        elif pattern == "stride":  # root on 1, fifth on 3, the chord on 2 and 4
            notes += [(one, bass), (one + 2, fifth)]
            notes += [(one + k, p) for k in (1, 3) for p in triad]
        elif pattern == "offbeat":  # bass on 1 and 3, the chord on every offbeat
            notes += [(one, bass), (one + 2, bass)]
            notes += [(one + k + 0.5, p) for k in range(4) for p in triad]
        elif pattern == "oompah":  # root and fifth on the beats, the chord between
            notes += [(one + k, (bass, fifth)[k % 2]) for k in range(4)]
            notes += [(one + k + 0.5, p) for k in range(4) for p in triad]
        elif pattern == "block":  # the bass struck with the chord, the chord again
            notes += [(one, bass)] + [(one + k, p) for k in (0, 1.5, 2, 3) for p in triad]
    return notes


def test_piano_left_hands_and_low_chord_parts_on_drum_notes_are_no_beat() -> None:
    """Piano left hands on channel 1 went to the drum model under auto (helper-134: 99 of
    240, waltzes, strides, off-beat and oom-pah left hands): a bass note alone on a kick, a
    snare or a hat, the chord's notes (toms, hats, cymbals) struck together after it. A
    beat's notes struck together are a kick or snare under a hat, not a chord or a chord's
    notes; a beat keeps time, its kick at least once in two bars. Every key, major and
    minor, four progressions, bass and chords from B1 and F2 up (hats among the chord's
    notes): 0 read as a beat, and the beats still are."""
    from segue.beat_reading import looks_like_drums

    parts: list[tuple[str, list[tuple[float, int]]]] = []
    registers = ((35, 41), (36, 45), (38, 47), (40, 43))
    for bass_low, chord_low in registers:
        for chords in _progressions(bass_low, chord_low):
            for pattern in ("waltz", "dyads", "stride", "offbeat", "oompah", "block"):
                parts.append((f"{pattern} {bass_low} {chords}", _left_hand(pattern, chords)))
    for low in (36, 40, 43):  # comping chords and chorales in the octave 2 to 3
        for size in (3, 4):
            for chords in _progressions(low, low, size):
                comp = [
                    (4.0 * b + t, p)
                    for b, c in enumerate(chords)
                    for t in (0, 1.5, 3)
                    for p in c[2]
                ]
                parts.append((f"comping {low} {size} {chords}", comp))
        for chords in _progressions(low - 1, low + 4):  # a bass under three voices
            chorale = [(2.0 * b, p) for b, c in enumerate(chords) for p in (c[0], *c[2])]
            chorale += [(2.0 * b + 1, p) for b, c in enumerate(chords) for p in (c[1], *c[2][1:])]
            parts.append((f"chorale {low} {chords}", chorale))
    for low in (35, 36):  # root and seventh or third: a jazz left hand's shells
        for chords in _progressions(low, low, 4):
            shells = [
                (4.0 * b + t, p)
                for b, c in enumerate(chords)
                for t in (0, 2, 3.5)
                for p in (c[0], _above(c[3][3 if b % 2 == 0 else 1], c[0] + 1))
            ]
            parts.append((f"shells {low} {chords}", shells))
    beats = [name for name, notes in parts if looks_like_drums(notes)]
    assert len(parts) == 3360 and beats == [], (len(beats), beats[:3])
    assert looks_like_drums(_house()) and looks_like_drums(_jazz())
    for name, lines in GROOVES.items():  # on channel 1, 4 bars
        beat = [
            (4 * bar + i / 4, pitch)
            for bar in range(4)
            for pitch, steps in lines.items()
            for i, hit in enumerate(steps)
            if hit == "x"
        ]
        assert looks_like_drums(beat), name
    six_eight = [
        (3 * bar + i / 2, p)
        for bar in range(4)
        for i in range(6)
        for p in (42, *((36,) if i == 0 else (38,) if i == 3 else ()))
    ]
    assert looks_like_drums(six_eight)  # a 6/8 beat: hats on the 8ths, kick on 1, snare on 4
    grooves = [drum_piece(np.random.default_rng(seed), bars=4) for seed in range(60)]
    played = [[(n.start, n.pitch) for n in groove.notes] for groove in grooves]
    # 35 before the jazz, ride, side-stick and 16th-hat beats read as beats; 10 left: a
    # latin kit's shakers and congas keep their time, a kick is missing
    assert sum(looks_like_drums(notes) for notes in played) == 50


GROOVES = {
    "boom bap": {36: "x.......x.x.....", 38: "....x.......x...", 42: "x.x.x.x.x.x.x.x."},
    "trap": {36: "x......x..x.....", 39: "........x.......", 42: "xxxxxxxxxxxxxxxx"},
    "dnb": {36: "x.........x.....", 38: "....x.......x...", 42: "x.x.x.x.x.x.x.x."},
    "techno": {36: "x...x...x...x...", 46: "..x...x...x...x.", 39: "....x.......x..."},
}


def _house() -> list[tuple[float, int]]:
    """Four bars of house: a kick on every beat, a clap on 2 and 4, closed hats on the
    16ths and an open hat on the offbeats."""
    notes = [(b / 4, 42) for b in range(64) if b % 4 != 2] + [(b + 0.5, 46) for b in range(16)]
    return notes + [(float(b), 36) for b in range(16)] + [(b + 1.0, 39) for b in range(0, 16, 2)]


def _jazz() -> list[tuple[float, int]]:
    """Four bars of a jazz ride pattern: the ride on 1, 2, 2-and-a-triplet, 3, 4, 4-trip,
    the pedal hat on 2 and 4, a feathered kick on 1 (C2 under G#2 and D#3: an A flat triad,
    struck the same every bar) and a snare comp."""
    notes: list[tuple[float, int]] = []
    for bar in range(4):
        one = 4.0 * bar
        notes += [(one + t, 51) for t in (0, 1, 1 + 2 / 3, 2, 3, 3 + 2 / 3)]
        notes += [(one + 1, 44), (one + 3, 44), (one + 1, 36), (one + 3 + 2 / 3, 38)]
    return notes


def _sparse(kicks: list[float], snares: list[float], hats: list[float], hat: int = 42):
    """Four bars of a beat of my own: a kick on ``kicks`` (beats of the 4 bars), a snare
    on ``snares`` and the hat (or ride) on ``hats`` in every bar."""
    notes = [(k, 36) for k in kicks]
    notes += [(4.0 * b + s, 38) for b in range(4) for s in snares]
    return notes + [(4.0 * b + h, hat) for b in range(4) for h in hats]


def test_a_half_time_or_ambient_beat_looks_like_drums_and_a_pedal_bass_does_not() -> None:
    """A half-time beat on channel 1 (a kick on 1 of bars 1 and 3, a snare on 3, 8th hats)
    went to the producer model with a line saying to give --model drums: its kick, once in
    8 beats, was counted over 16.5 (its last hat on 4-and). An ambient beat's kick once in
    four bars is a beat where its hats keep every beat and its snare every bar, its kick
    and snare struck under them; a pedal bass on F sharp 1 (a closed hat's note), with its
    kick note alone, or a low left hand's chord over it (toms, a triad), is not."""
    from segue.beat_reading import looks_like_drums

    eighths = [e / 2 for e in range(8)]
    assert looks_like_drums(_sparse([0.0, 8.0], [2.0], eighths))  # half-time
    assert looks_like_drums(_sparse([0.0], [2.0], eighths))  # ambient: one kick in 4 bars
    assert looks_like_drums(_sparse([0.0], [1.0, 3.0], eighths))
    assert not looks_like_drums(_sparse([0.0], [2.0], [0.0, 1.0, 3.0]))  # a beat unstruck
    assert not looks_like_drums(_sparse([0.0], [], eighths) + [(2.0, 38), (6.0, 38)])
    pedal = [(i / 2, 42) for i in range(32)]
    assert not looks_like_drums(pedal)
    moves = [(i / 2, 42 if i % 8 else (40, 38, 37, 36)[i // 8]) for i in range(32)]
    assert not looks_like_drums(moves)  # the bass moves to E1, D1, C#1, C1 on each 1
    alone = [(i / 2, 36 if i == 24 else 42) for i in range(32)]
    assert not looks_like_drums(alone + [(4.0 * b + 2, 38) for b in range(4)])
    left = pedal + [(float(t), p) for t in range(0, 16, 2) for p in (38, 45)] + [(14.5, 36)]
    assert not looks_like_drums(left)  # D1 and A1 (a tom) over the pedal, C1 once
    triad = [(p[0], p[1]) for p in pedal if p[0] % 4] + [(0.0, 35), (0.0, 39), (0.0, 42)]
    triad += [(4.0 * b, p) for b in (1, 2, 3) for p in (40, 44, 47)]
    triad += [(4.0 * b + 2, 39) for b in range(4)]
    assert not looks_like_drums(triad)  # B0 D#1 F#1 then E chords over an F#1 pedal


def _played(notes: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """A part played in by hand: each note off the grid by up to 15 ms (at 120 BPM a beat
    is 500 ms), late or early by its pitch and place."""
    ms = (0, 5, -4, 9, -7, 12, 3, -10, 15)
    return [(max(0.0, s + ms[(i * 7 + p) % len(ms)] / 500), p) for i, (s, p) in enumerate(notes)]


def test_an_ambient_beat_played_in_by_hand_looks_like_drums() -> None:
    """An ambient beat played in on pads on channel 1 (a hat every beat, a clap on 4, a
    kick once in four bars) went to the producer model without a word where it was not
    quantized (helper-151: 0 to 2 of 20 at 2 to 20 ms off): its beats were counted from
    the exact beat, so a hat a few ms early lay in the beat before and left its own beat
    unstruck. An onset a 16th of a beat early or less is on its beat; a beat left unstruck
    and a pedal bass on a hat's note are still no beat."""
    from segue.beat_reading import beat_of, looks_like_drums

    assert beat_of(0.99) == 1 and beat_of(1.0) == 1 and beat_of(1.9) == 1 and beat_of(0.9) == 0
    ambient = [(0.0, 36)] + [(4.0 * b + 3, 39) for b in range(4)]
    ambient += [(float(t), 42) for t in range(16)]
    eighths = [e / 2 for e in range(8)]
    for name, beat in (
        ("ambient", ambient),
        ("half-time", _sparse([0.0, 8.0], [2.0], eighths)),
        ("ambient in 8ths", _sparse([0.0], [2.0], eighths)),
    ):
        assert looks_like_drums(beat), name
        assert looks_like_drums(_played(beat)), name
    unstruck = _sparse([0.0], [2.0], [0.0, 1.0, 3.0])  # no hat on 3
    pedal = [(i / 2, 36 if i == 24 else 42) for i in range(32)]
    pedal += [(4.0 * b + 2, 38) for b in range(4)]  # an F#1 pedal, C1 once, D1 on each 3
    for part in (unstruck, pedal):
        assert not looks_like_drums(_played(part))


def test_a_beat_played_in_by_hand_looks_like_drums() -> None:
    """A beat played in on pads on channel 1 (not quantized) read as notes: grouped by
    exact starts, a kick and a hat 5 ms apart were never struck together (helper-147: house,
    boom bap and trap beats, 20 of 20 each quantized, 0 of 20 with hits 5 ms off). Each hit
    here lies a few ms from the grid, late or early by its pad and place (at 120 BPM a beat
    is 500 ms); a played bass line is still a line."""
    from segue.beat_reading import looks_like_drums

    boom_bap = [(4.0 * b + i / 2, 42) for b in range(4) for i in range(8)]
    boom_bap += [(4.0 * b + t, 36) for b in range(4) for t in (0.0, 1.75, 2.5)]
    boom_bap += [(4.0 * b + t, 38) for b in range(4) for t in (1.0, 3.0)]
    trap = [(8.0 * b + i / 2, 42) for b in range(2) for i in range(16)]
    trap += [(8.0 * b + t, p) for b in range(2) for t, p in ((0, 36), (2, 38), (3.5, 36), (6, 38))]
    for name, beat in (("house", _house()), ("boom bap", boom_bap), ("trap", trap)):
        assert looks_like_drums(beat), name
        assert looks_like_drums(_played(beat)), name
    walk = [36, 36, 48, 36, 39, 41, 42, 43, 36, 36, 46, 36, 43, 41, 39, 38]
    assert not looks_like_drums(_played([(i / 2, p) for i, p in enumerate(walk)]))


def test_notes_within_a_16th_of_a_beat_are_struck_together() -> None:
    from segue.beat_reading import struck_together

    assert struck_together([(1.02, 42), (1.0, 36), (1.5, 42)]) == {1.0: {36, 42}, 1.5: {42}}
    assert struck_together([(0.0, 36), (0.05, 42), (0.1, 38)]) == {0.0: {36, 42, 38}}
    # a chord spread by the hand holds while each note lies within a 16th of the one before,
    # a 32nd wide at the most: a hat roll's 32nds played in are hits of their own
    assert struck_together([(0.0, 36), (0.05, 42), (0.1, 38), (0.15, 42)]) == {
        0.0: {36, 42, 38},
        0.15: {42},
    }


def _comp(chords: list[tuple[int, ...]], times: tuple[float, ...]) -> list[tuple[float, int]]:
    """A keyboard's comping on channel 1: one chord a bar, struck at ``times`` in it, four
    bars at least (the chords again where fewer)."""
    bars = chords * max(1, 4 // len(chords))
    return [(4.0 * b + t, p) for b, chord in enumerate(bars) for t in times for p in chord]


def test_a_keyboard_s_shells_and_vamps_on_drum_notes_are_no_beat() -> None:
    """A pianist's shells comping on channel 1 went to the drum model (helper-147): a C7
    shell (C2 E2 Bb2) is a kick, a snare and an open hat struck together, and the chord
    reading knew only major and minor triads. A keyboard's chords (sevenths and their
    shells, sus, diminished, augmented) moved as a progression moves them (one shape on
    other notes, or chords over a bass that moves) are chords; the same pads that spell a
    chord on a beat's kick stay a beat's."""
    from segue.beat_reading import looks_like_drums

    quarters, two_beat = (0.0, 1.0, 2.0, 3.0), (0.0, 0.5, 1.0, 2.0, 2.5, 3.0)
    parts = {
        "blues vamp C7 F7": [(36, 40, 46), (41, 45, 51)],
        "shells Cm7 F7 Bbmaj7 Ebmaj7 (root, 7th)": [(36, 46), (41, 51), (46, 57), (39, 50)],
        "shells in F: C7 Dm7 F7 G7 (root, 3rd, 7th)": [
            (36, 40, 46),
            (38, 41, 48),
            (41, 45, 51),
            (43, 46, 53),
        ],
        "ii-V in B flat: Cm7 F7 (root, 3rd, 7th)": [(36, 39, 46), (41, 45, 51)],
        "ii-V-I in B flat: Cm7 F7 Bbmaj7 (root, 3rd, 7th)": [
            (36, 39, 46),
            (41, 45, 51),
            (46, 50, 57),
            (46, 50, 57),
        ],
        "sus4 vamp B F#": [(35, 40, 42), (42, 47, 49)],
        "aug vamp C F": [(36, 40, 44), (41, 45, 49)],
        "dim vamp C D": [(36, 39, 42), (38, 41, 44)],
    }
    for name, chords in parts.items():
        for times in (quarters, two_beat):
            assert not looks_like_drums(_comp(chords, times)), (name, times)
    # a beat's pads that spell a chord, struck on its kick: still a beat
    clap_open = [(float(b), 36) for b in range(16)] + [(b + 0.5, 42) for b in range(16)]
    clap_open += [(b + 1.0, p) for b in range(0, 16, 2) for p in (39, 46)]  # C2 Eb2 Bb2
    rock = [(4.0 * b + t, 42) for b in range(4) for t in (0.5, 1.5, 2.5, 3.5)]
    rock += [(4.0 * b + t, p) for b in range(4) for t in (0.0, 2.0) for p in (36, 46)]
    rock += [(4.0 * b + t, p) for b in range(4) for t in (1.0, 3.0) for p in (36, 40, 46)]
    rock += [(0.0, 49), (8.0, 49)]  # a kick, a snare and an open hat: C7's shell
    for name, beat in (("clap and open hat", clap_open), ("rock", rock)):
        assert looks_like_drums(beat), name


def test_a_one_chord_vamp_on_drum_notes_is_no_beat_and_a_beat_in_quarters_is() -> None:
    """One-chord keyboard vamps on channel 1 went to the drum model, quantized or played in
    (helper-151: 33 of 480 on B1 and C2): a two-note shell over the bass reads as a snare
    or clap under an open hat, and one chord repeated does not move. A beat's hat or ride
    keeps time of its own, struck without its snare or clap at some onset (alone, or over
    the kick: a rock beat in quarters); a vamp's "hat" sounds only inside its chord."""
    from segue.beat_reading import hat_of_its_own, looks_like_drums

    def bars(cell: list[tuple[float, int]]) -> list[tuple[float, int]]:
        return [(4.0 * b + t, p) for b in range(4) for t, p in cell]

    stride = [(0.0, 36), (1.0, 40), (1.0, 46), (2.0, 43), (3.0, 40), (3.0, 46)]  # C2 | E2 Bb2
    stabs = [(0.0, 36), (2.0, 36)] + [(t + 0.5, p) for t in range(4) for p in (39, 46)]
    maj7 = [(0.0, 35)] + [(t / 2, 35) for t in range(1, 8)] + [(0.0, 39), (0.0, 46)]
    for name, cell in (("C7 stride", stride), ("Cm stabs", stabs), ("Bmaj7 over 8ths", maj7)):
        assert not looks_like_drums(bars(cell)), name
        assert not looks_like_drums(_played(bars(cell))), name
    rock = [(float(t), 42) for t in range(4)] + [(0.0, 36), (2.0, 36), (1.0, 38), (3.0, 38)]
    assert looks_like_drums(bars(rock)) and looks_like_drums(_played(bars(rock)))
    assert hat_of_its_own([(0.0, 36), (0.0, 42), (1.0, 38), (1.0, 42)])
    assert not hat_of_its_own([(0.0, 36), (1.0, 39), (1.0, 46)])
    assert not hat_of_its_own([(0.0, 39), (0.0, 50), (0.07, 46)])  # a chord's "hat" played late


def _spread(chord: tuple[int, ...], at: float, late: tuple[float, ...]) -> list[tuple[float, int]]:
    """A chord struck by hand at ``at``: each note ``late`` ms after the beat (at 120 BPM a
    beat is 500 ms), as a hand spreads it."""
    return [(max(0.0, at + ms / 500), p) for p, ms in zip(chord, late, strict=True)]


def test_a_keyboard_vamp_played_in_by_hand_is_no_beat() -> None:
    """Keyboard vamps played in on channel 1 went to the drum model, their notes lost
    (helper-162: 673 of 2560 played vamps). A Cm9 house vamp (C2 on 1, Eb2 Bb2 D3 on the
    offbeats) spread by the hand over 40 ms had its Bb2, an open hat, cut from the chord and
    struck alone: a hat of its own. Grouped note by note (each within a 16th of the one
    before), the chord holds; a hat a 32nd from a snare or clap is no hat of its own."""
    from segue.beat_reading import looks_like_drums

    spreads = ((-8.0, 4.0, 32.0), (-20.0, 18.0, 2.0), (6.0, -12.0, 28.0), (0.0, 35.0, 10.0))
    cm9 = [(4.0 * b, 36) for b in range(4)]
    cm9 += [
        note
        for b in range(4)
        for i, off in enumerate((0.5, 1.5, 2.5, 3.5))
        for note in _spread((39, 46, 50), 4.0 * b + off, spreads[(b + i) % 4])
    ]
    assert not looks_like_drums(cm9)
    # the same hand's spread on a house beat's kick and hat leaves it a beat
    house = [(float(b), 36) for b in range(16)] + [(b + 0.5, 46) for b in range(16)]
    house += [(b + 1.0, 39) for b in range(0, 16, 2)] + [(b / 2, 42) for b in range(32)]
    assert looks_like_drums(_played(house))


def test_a_piano_skank_rolled_upward_by_hand_is_no_beat() -> None:
    """A reggae skank played in on channel 1 (B1 on 1 and the and of 3, Bmaj7's D#2 F#2 A#2
    on the offbeats, rolled upward some 32 ms a note at 120 BPM) went to the drum model, its
    chord played as a clap, a hat and an open hat (helper-164): the A#2 lay more than a 32nd
    after the onset its D#2 joined, the bass note's, and struck alone was a hat of its own.
    A rolled chord is one gesture, each note a 32nd or less after the one before, however
    long the roll: its "hats" are struck with its "clap". A beat's 32nd hat rolls into the
    clap are a gesture too, and its other hats keep time of their own."""
    from segue.beat_reading import gestures, hat_of_its_own, looks_like_drums

    rolls = ((0.0, 32.0, 64.0), (2.0, 30.0, 62.0), (-4.0, 28.0, 60.0), (0.0, 34.0, 66.0))
    skank = [(4.0 * b + t, 35) for b in range(4) for t in (0.0, 2.5)]
    skank += [
        note
        for b in range(4)
        for i, off in enumerate((0.5, 1.5, 2.5, 3.5))
        for note in _spread((39, 42, 46), 4.0 * b + off, rolls[(b + i) % 4])
    ]
    assert not looks_like_drums(skank)
    assert not hat_of_its_own(_spread((39, 42, 46), 0.5, (0.0, 32.0, 64.0)))
    assert gestures([(0.0, 39), (0.064, 42), (0.128, 46), (0.5, 42)]) == [{39, 42, 46}, {42}]
    trap = [(4.0 * b + t, p) for b in range(4) for t, p in ((0.0, 36), (2.75, 36), (2.0, 39))]
    trap += [(b / 2, 42) for b in range(32)] + [(1.5 + b / 8, 42) for b in range(4)]
    assert looks_like_drums(trap) and looks_like_drums(_played(trap))


def test_a_one_chord_vamp_in_ninths_over_its_bass_is_no_beat() -> None:
    """A C9 vamp's left hand strikes C2 with its seventh, Bb2 (a kick and an open hat), on 1
    and 3, and its right hand E2 Bb2 D3 (a snare, the open hat and a tom) on 2, the and of 3
    and the and of 4: it went to the drum model quantized and played in (helper-162: 11 of
    16 voicings, ninths, 6/9, add9 and altered). A keyboard strikes one chord again and
    again over its bass, voiced a third apart or more; a kit's pads that spell a chord lie
    on its kick."""
    from segue.beat_reading import looks_like_drums

    def vamp(upper: tuple[int, ...]) -> list[tuple[float, int]]:
        cell = [(t, p) for t in (0.0, 2.0) for p in (36, 46)]
        cell += [(t, p) for t in (1.0, 2.5, 3.5) for p in upper]
        return [(4.0 * b + t, p) for b in range(4) for t, p in cell]

    for name, upper in (("C9", (40, 46, 50)), ("C7#9", (40, 46, 51)), ("C13", (40, 46, 57))):
        assert not looks_like_drums(vamp(upper)), name
        assert not looks_like_drums(_played(vamp(upper))), name


def _bars(cell: list[tuple[float, int]], bars: int = 4, length: float = 4.0):
    """``cell`` (start in the bar, pitch) over ``bars`` bars of ``length`` beats."""
    return [(length * b + t, p) for b in range(bars) for t, p in cell]


SWING = (0.0, 1.0, 1 + 2 / 3, 2.0, 3.0, 3 + 2 / 3)
"""The jazz ride pattern's strokes in a bar: 1, 2, 2-and-a-triplet, 3, 4, 4-and-a-triplet."""


def test_a_jazz_beat_with_no_snare_looks_like_drums() -> None:
    """A jazz beat on channel 1 with no snare or clap (a feathered kick once a bar or less,
    the ride's swing pattern, the pedal hat on 2 and 4) went to the producer model and was
    answered with bass or lead notes (helper-154: 20 of 20): the backbeat was a snare's or
    a clap's. Under a ride, the pedal hat plays it; quantized or played in, in 4/4 and in
    a jazz waltz."""
    from segue.beat_reading import backbeat_notes, looks_like_drums

    ride = [(t, 51) for t in SWING] + [(1.0, 44), (3.0, 44)]
    waltz = [(t, 51) for t in SWING[:4]] + [(1.0, 44), (2.0, 44), (0.0, 36)]
    for name, beat in (
        ("kick every bar", _bars(ride + [(0.0, 36)])),
        ("kick every 2 bars", _bars(ride) + [(0.0, 36), (8.0, 36)]),
        ("kick once in 4 bars", _bars(ride) + [(0.0, 36)]),
        ("ride 59", [(t, 59 if p == 51 else p) for t, p in _bars(ride + [(0.0, 36)])]),
        ("jazz waltz", _bars(waltz, length=3.0)),
    ):
        assert looks_like_drums(beat), name
        assert looks_like_drums(_played(beat)), name
    assert backbeat_notes([36, 44, 51]) == {44} and backbeat_notes([36, 42, 44]) == set()
    assert backbeat_notes([36, 37, 42]) == {37}


def test_a_jazz_ride_over_the_pedal_hat_without_a_kick_looks_like_a_ride_part() -> None:
    """A jazz ride's swing pattern over the pedal hat on 2 and 4, no kick, exported on
    channel 1 went to the producer model without a word, where a hat loop was told to give
    --model drums; and `--model drums` on a hat loop said it did not look like a beat (no
    kick). A ride part needs no kick to be told so (a kick asks :func:`looks_like_drums`);
    a keyboard's dyads in fifths on those notes (A#2+F3, G#2+D#3) strike no ride alone."""
    from segue.beat_reading import looks_like_drums, looks_like_ride, not_a_beat

    ride = [(t, 51) for t in SWING] + [(1.0, 44), (3.0, 44)]
    waltz = [(t, 51) for t in SWING[:4]] + [(1.0, 44), (2.0, 44)]
    comps = ride + [(2 + 2 / 3, 38)]
    for name, part in (
        ("ride", _bars(ride)),
        ("ride 59", [(t, 59 if p == 51 else p) for t, p in _bars(ride)]),
        ("snare comps", _bars(comps)),
        ("jazz waltz", _bars(waltz, length=3.0)),
    ):
        for played in (part, _played(part)):
            assert looks_like_ride(played) and not looks_like_drums(played), name
            assert not_a_beat(played) is None, name
    fifths = [(t, p) for t in (0.0, 1.0, 2.0, 3.0) for p in (46, 53)]
    fifths += [(4.0 + t, p) for t in (0.0, 1.0, 2.0, 3.0) for p in (44, 51)]
    assert not looks_like_ride(fifths) and not looks_like_ride(_bars([(0.0, 51), (1.0, 44)]))
    assert not looks_like_ride(_bars(ride) + [(0.0, 36)])  # a kick: looks_like_drums's
    hats = [(b / 2, 42) for b in range(16)] + [(1.0, 39), (3.0, 39), (5.0, 39), (7.0, 39)]
    assert not_a_beat(hats) is None  # told to give --model drums: not told it is no beat


def test_a_keyboard_s_dyads_under_a_pedal_note_on_ride_notes_are_no_ride_part() -> None:
    """An E major keyboard part, a B3 pedal in 8ths (a ride's note, 59) over E2+G#2 on 2 and
    4 (a snare and the pedal hat), and a D#3 pedal (51) over D#2+A#2: told they looked like
    a ride part and to give --model drums, then told nothing under it (helper-168: 720 of
    792 such parts). A drummer strikes one pad under the ride at a time."""
    from segue.beat_reading import looks_like_ride, not_a_beat

    for pedal, dyad in ((59, (40, 44)), (51, (39, 46))):
        part = [(t / 2, pedal) for t in range(8)] + [(t, p) for t in (1.0, 3.0) for p in dyad]
        for played in (_bars(part), _played(_bars(part))):
            assert not looks_like_ride(played), (pedal, dyad)
            assert not_a_beat(played) is not None, (pedal, dyad)


def test_a_ride_only_beat_and_a_side_stick_backbeat_look_like_drums() -> None:
    """A beat kept on the ride alone (a rock ride in 8ths, an ambient ride in quarters
    over a kick once in four bars), and a bossa or lo-fi beat's side stick (37) on 2 and 4
    over hats and a kick, went to the producer model: a beat's time was a hat's and its
    backbeat a snare's or a clap's. In 6/8 too, quantized or played in."""
    from segue.beat_reading import looks_like_drums, may_be_drums

    eighths = [e / 2 for e in range(8)]
    for name, beat in (
        ("rock ride", _bars([(t, 51) for t in eighths] + [(0, 36), (2, 36), (1, 38), (3, 38)])),
        ("ambient ride", _sparse([0.0], [2.0], [0.0, 1.0, 2.0, 3.0], hat=51)),
        ("lo-fi", _bars([(t, 42) for t in eighths] + [(0, 36), (1.5, 36), (1, 37), (3, 37)])),
        ("rim and ride", _bars([(float(t), 51) for t in range(4)] + [(0, 36), (1, 37), (3, 37)])),
        ("6/8 rim", _bars([(e / 2, 42) for e in range(6)] + [(0, 36), (1.5, 37)], length=3.0)),
    ):
        assert looks_like_drums(beat), name
        assert looks_like_drums(_played(beat)), name
    assert may_be_drums([36, 37, 51])  # `--model drums` on it says nothing


def test_a_half_time_beat_in_16th_hats_looks_like_drums() -> None:
    """A half-time trap beat (a kick on 1 of bars 1 and 3, a clap on 3, 16th hats) went to
    the producer model: 6 of its 64 onsets strike pads together, under the tenth asked of
    a part's onsets. A beat's hat struck alone between its hits says nothing of whether it
    strikes its pads together: of the others, all do. In 12/8 too."""
    from segue.beat_reading import looks_like_drums

    sixteenths = [(s / 4, 42) for s in range(16)]
    trap = _bars(sixteenths + [(2.0, 39)]) + [(0.0, 36), (8.0, 36)]
    twelve = _bars([(s / 4, 42) for s in range(24)] + [(0.0, 36), (3.0, 38)], length=6.0)
    for name, beat in (("trap", trap), ("12/8", twelve)):
        assert looks_like_drums(beat), name
        assert looks_like_drums(_played(beat)), name


def test_a_keyboard_s_parts_on_ride_rim_and_pedal_hat_notes_are_no_beat() -> None:
    """A ride (51, 53, 59), a side stick (37) and a pedal hat (44) now keep a beat's time and
    backbeat, and lie under a keyboard's hands: a beat's time-keeper plays on through it
    (three beats of four, a fill aside) and its kick and backbeat take turns within a bar.
    Dyads in I-IV (C2+Eb2, F2+Ab2: a kick and a clap, then a tom and the pedal hat) read as
    a beat before (helper-148's parts, 28 of 12960); a ii-V-I in 9th voicings strikes the
    ride's bell in 2 bars of 8 (helper-151), a C# minor vamp in fifths a side stick and a
    pedal hat for a bar, then a kick and a hat; a walking bass through Eb3 and B3 is a line.
    """
    from segue.beat_reading import looks_like_drums

    dyads = [
        (4.0 * b + t, p) for b in range(4) for t in range(4) for p in ((36, 39), (41, 44))[b % 2]
    ]
    ninths = [(38, 48, 52), (43, 53, 57), (36, 47, 50), (36, 47, 50)] * 2
    voicings = [(4.0 * b + t, p) for b, chord in enumerate(ninths) for t in range(4) for p in chord]
    fifths = [
        (4.0 * b + t, p) for b in range(4) for t in range(4) for p in ((37, 44), (35, 42))[b % 2]
    ]
    walk = [36, 43, 48, 51, 53, 51, 47, 44, 41, 48, 53, 59, 55, 51, 44, 37]  # Fm7 Bb7 Ebmaj7 Db7
    walking = [(float(i), p) for i, p in enumerate(walk)]
    walking += [(float(t), p) for t in (1.0, 5.0, 9.0, 13.0) for p in (44, 51)]  # comping
    for name, part in (("dyads", dyads), ("9ths", voicings), ("fifths", fifths), ("walk", walking)):
        assert not looks_like_drums(part), name
        assert not looks_like_drums(_played(part)), name


def test_a_brush_beat_whose_snare_swirls_is_told_to_give_the_drum_model() -> None:
    """A brush beat on channel 1, the snare (38, or a brush kit's swirl on 40) swirling in
    16th or 8th triplets under every stroke of the ride's swing pattern, a feathered kick,
    the pedal hat on 2 and 4 or not, went to the producer model without a word: its ride
    was never struck without a snare (helper-172). Auto gave it the drum model; a
    keyboard's left-hand ostinato under a swung right hand is that note for note and lost
    its notes (helper-176), so a brush beat stays notes and is told to give --model drums,
    as one without a kick is; under --model drums it is not told it is no beat. A
    keyboard's shell strikes its "snare" with its chord, and a low ostinato on E2 under a
    pedal note on the ride's note in 8ths is the keyboard's."""
    from segue.beat_reading import beat_part, looks_like_drums, not_a_beat, swirling

    for snare, step in ((38, 1 / 6), (40, 1 / 6), (38, 1 / 3)):
        swirl = [(i * step, snare) for i in range(round(4 / step))] + [(t, 51) for t in SWING]
        for name, cell in (
            ("kick on 1, pedal hat", swirl + [(0.0, 36), (1.0, 44), (3.0, 44)]),
            ("feathered kick", swirl + [(float(q), 36) for q in range(4)]),
            ("feathered kick, pedal hat", swirl + [(float(q), 36) for q in range(4)] + [(1.0, 44)]),
            ("no pedal hat", swirl + [(0.0, 36)]),
            ("no kick", swirl + [(1.0, 44), (3.0, 44)]),
        ):
            for played in (_bars(cell), _played(_bars(cell))):
                assert not looks_like_drums(played), (snare, step, name)
                assert beat_part(played) == "a ride part", (snare, step, name)
                assert not_a_beat(played) is None, (snare, step, name)
            assert swirling(_bars(cell)) == {snare}, (snare, step, name)
    stride = _bars([(0.0, 36), (1.0, 40), (1.0, 46), (2.0, 43), (3.0, 40), (3.0, 46)])
    assert swirling(stride) == set() and not looks_like_drums(stride)  # C7: C2 | E2+Bb2
    ostinato = _bars([(i / 4, 40) for i in range(16)] + [(e / 2, 59) for e in range(8)])
    ostinato += _bars([(0.0, 35), (2.0, 35), (1.0, 44), (3.0, 44)])  # B1, G#2: E major
    assert swirling(ostinato) == set() and not looks_like_drums(ostinato)


def test_a_keyboard_ostinato_under_swung_chords_is_no_brush_beat() -> None:
    """An E minor pulse on channel 1: B1 on 1 and 3, E2 in 16ths (a kick and a snare's
    notes) under Em7 (G3 B3 D4: a tom, the ride and a conga) on 1, 3 and the swung "and" of
    4, went to the drum model, as did a D minor left hand (D2 in 8th triplets under C2)
    under Dm9 (F3 A3 C4 E4), Live writing drum notes onto a piano track: the chord's B3 or
    F3 played the ride's skip, and the E2 swirled under it (helper-176: 574 of 3010 such
    parts). A ride struck with a tom, a cymbal, percussion or a second ride note is a
    chord's; a brush swirls on the snare, not a side stick or a clap; with both hands on
    the swirl and the ride, a third pad on 2 and 4 is a keyboard's: no word of drums."""
    from segue.beat_reading import beat_part, looks_like_drums, swirling, swung_ride

    skips = (0.0, 2.0, 3 + 2 / 3)
    em = [(0.0, 35), (2.0, 35)] + [(i / 4, 40) for i in range(16)]
    dm = [(0.0, 36)] + [(i / 3, 38) for i in range(12)]
    for name, cell in (
        ("Em7 over E2 16ths", em + [(t, p) for t in skips for p in (55, 59, 62)]),
        ("Dm9 over D2 triplets", dm + [(t, p) for t in skips for p in (53, 57, 60, 64)]),
        ("B7 over E2, charleston", em + [(t, p) for t in (0.0, 1 + 2 / 3) for p in (59, 63, 69)]),
    ):
        for played in (_bars(cell), _played(_bars(cell))):
            assert not looks_like_drums(played) and beat_part(played) is None, name
            assert not swung_ride(played), name
    pedal = [(t, 59) for t in SWING]  # B3 in the swing rhythm, one note: a ride's note
    for name, cell in (
        ("C#2 ostinato", [(i / 4, 37) for i in range(16)] + pedal + [(0.0, 35), (2.0, 35)]),
        ("D#2 ostinato", [(i / 3, 39) for i in range(12)] + pedal + [(1.0, 44), (3.0, 44)]),
        (
            "E2 under F#2 on 2 and 4",
            [(i / 4, 40) for i in range(16)] + pedal + [(1.0, 42), (3.0, 42)],
        ),
    ):
        for played in (_bars(cell), _played(_bars(cell))):
            assert swirling(played) == set(), name
            assert not looks_like_drums(played) and beat_part(played) is None, name


def test_a_side_stick_and_foot_hat_under_a_swung_ride_look_like_a_ride_part() -> None:
    """A ballad's cross stick and foot hat struck together on 2 and 4 (37+44) under the
    ride's swing pattern, no kick, got no 'looks like a ride part' line and `--model drums`
    on it said it did not look like a beat: under its ride a drummer was taken to strike
    one pad at a time, as a keyboard's dyad under a pedal note does not (helper-168). The
    two limbs are the drummer's where the ride swings (its skip on a triplet's last third);
    under a pedal note in straight 8ths, or as a snare and the pedal hat (E2+G#2), they are
    still a keyboard's dyad (helper-172)."""
    from segue.beat_reading import looks_like_ride, not_a_beat, swung_ride

    limbs = [(t, p) for t in (1.0, 3.0) for p in (37, 44)]
    for name, part in (
        ("swing", _bars([(t, 51) for t in SWING] + limbs)),
        ("ride 59", _bars([(t, 59) for t in SWING] + limbs)),
        ("waltz", _bars([(t, 51) for t in SWING[:4]] + [(1.0, 37), (1.0, 44)], length=3.0)),
    ):
        for played in (part, _played(part)):
            assert looks_like_ride(played), name
            assert not_a_beat(played) is None, name
    straight = _bars([(e / 2, 51) for e in range(8)] + limbs)
    snare = _bars([(t, 51) for t in SWING] + [(t, p) for t in (1.0, 3.0) for p in (40, 44)])
    for part in (straight, snare):
        assert not looks_like_ride(part) and not looks_like_ride(_played(part))
    assert swung_ride(_bars([(t, 51) for t in SWING])) and not swung_ride(straight)
    assert not swung_ride(_bars([(t * 0.75, 51) for t in range(5)]))  # dotted 8ths


def test_a_jazz_kick_dropped_between_the_ride_s_strokes_looks_like_a_ride_part() -> None:
    """A jazz ride's swing pattern over the pedal hat on 2 and 4 with a kick "bomb" dropped
    alone between the ride's strokes (a triplet after 2 or 4) strikes no pads
    together and reads as notes; it was told nothing, where the same part without the kick
    was told to give --model drums (helper-172). A kick alone under a swung ride is a
    drummer's; under a straight pedal note, or under the ride (a beat's, looks_like_drums's
    to read), it is not looked at here."""
    from segue.beat_reading import looks_like_drums, looks_like_ride, not_a_beat

    ride = [(t, 51) for t in SWING] + [(1.0, 44), (3.0, 44)]
    bombs = ride + [(1 + 1 / 3, 36), (3 + 1 / 3, 36)] + [(4 + t, p) for t, p in ride]
    for name, part in (
        ("bomb after 2", _bars(ride + [(1 + 1 / 3, 36)])),
        ("bombs after 2 and 4, a bar in two", _bars(bombs, bars=2, length=8.0)),
        ("snare comp, bomb", _bars(ride + [(2 + 2 / 3, 38), (3 + 1 / 3, 35)])),
    ):
        for played in (part, _played(part)):
            assert looks_like_ride(played) and not looks_like_drums(played), name
            assert not_a_beat(played) is None, name
    straight = _bars([(e / 2, 51) for e in range(8)] + [(1.0, 44), (3.0, 44), (1.25, 36)])
    assert not looks_like_ride(straight)
    assert not looks_like_ride(_bars(ride + [(0.0, 36)]))  # under the ride: a beat's kick


def test_a_ride_part_opening_on_a_crash_looks_like_a_ride_part() -> None:
    """A jazz ride part (the swing pattern over the pedal hat on 2 and 4) or a brush beat
    whose drummer opens the chorus with a crash (49 or 57) on the first downbeat, with the
    ride or in its place, was told nothing (helper-180): a ride struck with a cymbal was a
    keyboard's chord tone, and a crash no note of a ride part. A crash once in four bars,
    on the beat, is the drummer's; a keyboard strikes its chord tone on a crash's note
    with its chord, bar after bar, or off the beat."""
    from segue.beat_reading import beat_part, crashes, looks_like_drums, not_a_beat

    ride = _bars([(t, 51) for t in SWING] + [(1.0, 44), (3.0, 44)])
    brush = _bars([(t, 51) for t in SWING] + [(i / 6, 38) for i in range(24)] + [(0.0, 36)])
    eight = _bars([(t, 51) for t in SWING] + [(1.0, 44), (3.0, 44)], bars=8)
    for crash in (49, 57):
        for name, part in (
            ("with the ride", sorted(ride + [(0.0, crash)])),
            ("for the ride", sorted([n for n in ride if n != (0.0, 51)] + [(0.0, crash)])),
            ("bars 1 and 5 of 8", sorted(eight + [(0.0, crash), (16.0, crash)])),
            ("a brush beat", sorted(brush + [(0.0, crash)])),
        ):
            for played in (part, _played(part)):
                assert not looks_like_drums(played), (crash, name)
                assert beat_part(played) == "a ride part", (crash, name)
                assert not_a_beat(played) is None, (crash, name)
        kick = sorted(ride + [(0.0, crash), (0.0, 36)])  # a kick under the ride: a beat
        assert beat_part(kick) == "a drum beat", crash
        every_bar = _bars([(t, 51) for t in SWING] + [(1.0, 44), (3.0, 44), (0.0, crash)])
        off_beat = sorted(ride + [(1 + 2 / 3, crash)])
        for part in (every_bar, off_beat):  # a chord tone: struck bar after bar, or off the beat
            assert crashes(part) == set() and beat_part(part) is None, crash


def test_a_brush_beat_tapping_its_backbeat_looks_like_a_ride_part() -> None:
    """A brush beat whose swirl (38 in 16th or 8th triplets) lies under the ride's swing
    pattern, with a tap on 40 on 2 and 4, a cross stick on 4, or a slap on 2 and 4, a kick
    on 1, feathered or none, was told nothing (helper-180): a second snare, clap or rim
    beside the swirl made no brush kit. A tap struck only on the beat, every other beat at
    the most, is the brush's; a snare note struck on every beat, or comping off the beat,
    is no tap, and the part no brush beat."""
    from segue.beat_reading import beat_part, brush_taps, looks_like_drums, not_a_beat

    for step in (1 / 6, 1 / 3):
        swirl = [(i * step, 38) for i in range(round(4 / step))] + [(t, 51) for t in SWING]
        for taps in ([(1.0, 40), (3.0, 40)], [(3.0, 37)], [(1.0, 39), (3.0, 39)]):
            for kick in ([(0.0, 36)], [(float(q), 36) for q in range(4)], []):
                for pedal in ([(1.0, 44), (3.0, 44)], []):
                    part = _bars(swirl + taps + kick + pedal)
                    for played in (part, _played(part)):
                        assert not looks_like_drums(played), (step, taps, kick, pedal)
                        assert beat_part(played) == "a ride part", (step, taps, kick, pedal)
                        assert not_a_beat(played) is None, (step, taps, kick, pedal)
            assert brush_taps(_bars(swirl + taps), {38}) == {taps[0][1]}
        swirl += [(1.0, 44), (3.0, 44)]
        for name, others in (
            ("40 on every beat", [(float(q), 40) for q in range(4)]),
            ("40 comping off the beat", [(1 + 2 / 3, 40), (3 + 2 / 3, 40)]),
        ):
            assert brush_taps(_bars(swirl + others), {38}) == set(), name
            assert beat_part(_bars(swirl + others)) is None, name


def test_a_12_8_brush_feel_looks_like_a_ride_part() -> None:
    """A slow blues in 12/8 with brushes (the swirl in 8ths or 16ths, three or six to the
    dotted quarter, under the ride on the dotted quarters or with the skip on each one's
    last 8th, the pedal hat on 2 and 4) was told nothing (helper-180): counted in quarter
    notes its swirl struck two a beat, its ride no skip, and the ride kept 4 of the bar's 6
    quarter notes. Read in the meter's pulse (a dotted quarter: the clip's time signature),
    it is a brush beat; a keyboard's triplet chords in 12/8 strike their "ride" on every
    8th, no swing."""
    from segue.beat_reading import beat_part, looks_like_drums, not_a_beat, swung_ride

    for snare in (38, 40):
        for swirl in ([(i / 2, snare) for i in range(12)], [(i / 4, snare) for i in range(24)]):
            for ride in ((0.0, 1.5, 3.0, 4.5), (0.0, 1.5, 2.5, 3.0, 4.5, 5.5)):
                for kick in ([(0.0, 36)], [(0.0, 36), (3.0, 36)], []):
                    cell = swirl + [(t, 51) for t in ride] + [(1.5, 44), (4.5, 44)] + kick
                    part = _bars(cell, length=6.0)
                    for played in (part, _played(part)):
                        assert not looks_like_drums(played), (snare, ride, kick)
                        assert beat_part(played, 1.5) == "a ride part", (snare, ride, kick)
                        assert not_a_beat(played, 1.5) is None, (snare, ride, kick)
                    assert beat_part(part) is None  # counted in quarter notes: no brush beat
    six_eight = _bars([(i / 2, 38) for i in range(6)] + [(0.0, 51), (1.5, 51), (1.5, 44)], 4, 3.0)
    assert beat_part(six_eight, 1.5) == "a ride part"
    triplets = _bars([(i / 2, 51) for i in range(12)] + [(i / 2, 38) for i in range(12)], 4, 6.0)
    assert not swung_ride(triplets, 1.5) and beat_part(triplets, 1.5) is None


def test_a_gm2_brush_kit_s_beat_looks_like_a_ride_part() -> None:
    """General MIDI 2's brush kit keeps GM's note numbers: 38 a brush tap, 39 a slap, 40 a
    swirl struck once a beat (a long stroke). Its beat without a kick (the ride's swing
    pattern, the swirl on every beat, the tap or slap and the pedal hat on 2 and 4) was
    told nothing (helper-180), and so was one on the B3 ride (59) with a kick on 1; on 51
    with a kick it was and is a drum beat. The swirl on 1 and 3 alone, under a tap with the
    pedal hat on 2 and 4, is an E7 shell's oom-pah under a B3 (E2 | D2+G#2) note for note:
    no word of drums."""
    from segue.beat_reading import beat_part, looks_like_drums, swirling

    for ride in ([(t, 59) for t in SWING], [(t, 51) for t in SWING]):
        ride += [(1.0, 44), (3.0, 44)]
        for tap in (38, 39):
            cell = ride + [(float(q), 40) for q in range(4)] + [(1.0, tap), (3.0, tap)]
            for played in (_bars(cell), _played(_bars(cell))):
                assert not looks_like_drums(played), (ride[0], tap)
                assert beat_part(played) == "a ride part", (ride[0], tap)
                assert swirling(played) == {40}, (ride[0], tap)
            kick = _bars(cell + [(0.0, 36)])
            assert beat_part(kick) == ("a ride part" if ride[0][1] == 59 else "a drum beat")
            oom_pah = _bars(ride + [(0.0, 40), (2.0, 40), (1.0, tap), (3.0, tap)])
            assert swirling(oom_pah) == set() and beat_part(oom_pah) is None, tap

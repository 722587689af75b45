"""A part played in one fixed shape (octaves, power chords, an open fifth) keeps it in every
take: its turns and answers move the whole shape, and the network's own chords are the shape.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pretty_midi

from segue.grid import clip_rows, to_ticks
from segue.midi_io import read_part
from segue.model.checkpoint import load_checkpoint
from segue.model.generate import GenerationResult, generate
from segue.model.loop import LoopHistory
from segue.model.registry import find_model
from segue.model.settings import GenerationParams
from segue.model.shapes import (
    completed,
    fixed_shape,
    keyed_roots,
    range_notice,
    root_ceiling,
    root_floor,
    root_room,
    roots_fitting,
    roots_in_key,
)
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note

BAR = 96


def _shaped(roots: list[tuple[int, float, float]], shape: tuple[int, ...], length: float) -> Clip:
    """A clip of (root, start, length in beats) struck as the root and ``shape`` above it."""
    return Clip(tuple(Note(r + s, at, d, 96) for r, at, d in roots for s in shape), length)


def _written(path: Path, clip: Clip, program: int) -> Clip:
    """``clip`` written to a MIDI file at 120 BPM (a beat is half a second) and read back, as
    `segue generate` reads a part."""
    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    track = pretty_midi.Instrument(program=program)
    for n in clip.notes:
        track.notes.append(pretty_midi.Note(n.velocity, n.pitch, n.start / 2, n.end / 2))
    midi.instruments.append(track)
    midi.write(str(path))
    return read_part(path)[0]


def _chords(notes: tuple[Note, ...]) -> dict[float, list[int]]:
    """The pitches struck at each onset (beats), low to high."""
    out: dict[float, list[int]] = defaultdict(list)
    for n in notes:
        out[round(n.start, 4)].append(n.pitch)
    return {at: sorted(pitches) for at, pitches in out.items()}


def _intervals(chord: list[int]) -> tuple[int, ...]:
    return tuple(p - chord[0] for p in chord)


def test_octaves_power_chords_and_open_fifths_are_fixed_shapes_and_chords_are_not() -> None:
    def shape(*chords: tuple[int, ...]) -> tuple[int, ...] | None:
        onsets = np.array([i for i, chord in enumerate(chords) for _ in chord])
        return fixed_shape(onsets, np.array([p for chord in chords for p in chord]))

    assert shape((33, 45), (29, 41), (36, 48)) == (0, 12)  # an octave bass
    assert shape((57, 69, 81), (60, 72, 84)) == (0, 12, 24)  # a lead in three octaves
    assert shape((40, 47, 52), (43, 50, 55)) == (0, 7, 12)  # power chords
    assert shape((38, 45), (41, 48)) == (0, 7)  # root and fifth
    assert shape((50, 57)) == (0, 7)  # an open fifth, held
    assert shape((45, 48, 52), (41, 45, 48)) is None  # triads
    assert shape((33, 45), (29, 41), (36,)) is None  # one single note: a line, not a shape
    assert shape((33, 45), (40, 47)) is None  # octaves, then a fifth: two shapes
    assert shape((55, 60), (57, 62)) is None  # a fourth over the root: an inversion
    assert shape((60,), (62,)) is None and shape() is None


def test_a_shape_s_voices_follow_its_root_and_its_root_fits_the_whole_shape() -> None:
    allowed = np.zeros((1, 128), dtype=bool)
    allowed[0, [40, 41, 47, 52]] = True  # E2 F2 B2 E3: F2's fifth (C3) is left out
    assert np.flatnonzero(roots_fitting(allowed, (0, 7, 12))[0]).tolist() == [40]
    base = np.ones((3, 128), dtype=bool)
    pitches = np.ones((3, 128), dtype=bool)
    pitches[:, 60:] = False  # a turn's narrowing, which the shape's voices are not held to
    struck = np.zeros((3, 128), dtype=bool)
    struck[0, 43] = True  # a take's root G2
    struck[1, [43, 50]] = True  # G2 and its fifth: the octave is to come
    rows = np.ones(3, dtype=bool)
    voiced = completed(pitches, base, struck, (0, 7, 12), rows)
    assert voiced.tolist() == [True, True, False]
    assert np.flatnonzero(pitches[0]).tolist() == [50, 55]
    assert np.flatnonzero(pitches[1]).tolist() == [55]
    assert pitches[2, :60].all() and not pitches[2, 60:].any()  # a first note: a root
    # the network's own first note is a root only as far as its voices' register lets it
    onsets, roots = np.array([0, 0, 1, 1]), np.array([38, 45, 41, 48])
    ceiling = root_ceiling(onsets, roots, (0, 7))
    assert ceiling == 39.5 + 3.5
    free, one = np.ones((1, 128), dtype=bool), rows[:1]
    completed(free, np.ones((1, 128), bool), np.zeros((1, 128), bool), (0, 7), one, one, ceiling)
    assert np.flatnonzero(free[0]).max() == 43  # an A2 over D2 F2 roots is their fifth


def test_turns_of_a_part_in_octaves_are_its_root_line_s_and_a_held_shape_is_cut_whole() -> None:
    """A held octave's answer cut one voice of it (the first struck) and the other rang on
    over the answer; the turns read the octaves as chords, and turned their upper voice."""
    clip = _shaped([(62, 0.0, 4.0), (65, 4.0, 4.0), (57, 8.0, 8.0)], (0, 12), 16.0)
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    assert turns.shape == (0, 12) and turns.span == (57, 65) and turns.intervals is None
    assert turns.chord_of(np.full(4, turns.clip_end)) == [None] * 4  # a line, not a chord
    end = turns.clip_end
    begin = turns.answers(np.full(4, end + 2 * BAR), np.full(4, end + 4 * BAR))
    assert (begin == end + 3 * BAR).all()  # the held bar is answered on its downbeat
    held = np.full(4, end + 2 * BAR)
    for pitch in (57, 69):  # both voices of the held octave make way
        cut = turns.cut(held, held + 2 * BAR, np.full(4, pitch))
        np.testing.assert_array_equal(cut, begin)


def test_an_octave_bass_and_power_chords_turn_and_go_on_in_their_shape(tmp_path: Path) -> None:
    """An octave bass (whole notes, E1 C2 G1 D2 doubled) and power chords (root, fifth and
    octave in 8ths; root and fifth in quarters): every take's turn moved the upper voice
    alone to another chord tone (a C3 over G1, G2 over C2), and the network's own notes
    broke the shape too (an A2 under C3, a D2 with D3 and A3 missing): in 16 of 16 takes
    of each at memory 1 and 0.4. Every onset of every take is now the part's shape, its
    turns move the whole shape, and its own chords are the shape in the part's register."""
    producer = load_checkpoint(find_model("producer")).model
    whole = [(r, 4.0 * i, 3.9) for i, r in enumerate((28, 36, 31, 38))]
    riff = (40, 40, 40, 43, 40, 40, 45, 43, 40, 40, 40, 43, 45, 45, 47, 43)
    quarters = (38, 38, 38, 38, 41, 41, 41, 41, 43, 43, 43, 43, 36, 36, 36, 36)
    parts = (
        (_written(tmp_path / "octaves.mid", _shaped(whole, (0, 12), 16.0), 38), (0, 12)),
        (_shaped([(r, 0.5 * i, 0.35) for i, r in enumerate(riff)], (0, 7, 12), 8.0), (0, 7, 12)),
        (_shaped([(r, 1.0 * i, 0.8) for i, r in enumerate(quarters)], (0, 7), 16.0), (0, 7)),
    )
    for clip, shape in parts:
        loop = _chords(clip.notes)
        roots = [chord[0] for chord in loop.values()]
        moved = 0
        for memory, rng_seed in ((1.0, 0), (1.0, 1), (0.4, 2)):
            params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed, memory=memory)
            for take in generate(producer, clip, params).variations:
                for at, chord in _chords(take.clip.notes).items():
                    assert _intervals(chord) == shape, (shape, memory, rng_seed, at, chord)
                    assert min(roots) - 2 <= chord[0] <= max(roots) + 2, (shape, at, chord)
                    # a turn, or an answer where the loop starts none (a line resting late)
                    moved += chord != loop.get(round(at % clip.length, 4))
        assert moved >= 12, (shape, moved)  # the takes still turn


def test_held_octaves_and_an_open_fifth_are_answered_by_their_shape_in_their_register() -> None:
    """Held octaves (D4 and F4 a bar each, A3 two bars, doubled an octave up), held octaves
    on a pad (C3 and Bb2, two bars each) and an open fifth drone (D3 A3 through 4 bars): every
    take cut the lower voice at bar 4 and answered with one note (a G3 under A3 A4, a B2
    under the drone) while the upper voice rang on: 16 of 16 takes, the part's median pitch
    2 to 2.5 semitones lower. The whole shape makes way now, and its answer is the shape,
    around the part's next root."""
    producer = load_checkpoint(find_model("producer")).model
    parts = (
        (_shaped([(62, 0.0, 4.0), (65, 4.0, 4.0), (57, 8.0, 8.0)], (0, 12), 16.0), (0, 12), 62),
        (_shaped([(48, 0.0, 8.0), (46, 8.0, 8.0)], (0, 12), 16.0), (0, 12), 48),
        (_shaped([(50, 0.0, 16.0)], (0, 7), 16.0), (0, 7), 50),
    )
    for clip, shape, next_root in parts:
        answers = set()
        for rng_seed in range(3):
            params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
            for take in generate(producer, clip, params).variations:
                late = _chords(tuple(n for n in take.clip.notes if n.start >= 12.0))
                assert list(late) == [12.0], late  # one answer, on the held bar's downbeat
                answer = late[12.0]
                assert _intervals(answer) == shape, (shape, rng_seed, answer)
                assert abs(answer[0] - next_root) <= 7, (shape, rng_seed, answer)
                held = [n for n in take.clip.notes if n.start < 12.0]
                assert all(n.end <= 12.0 + 1e-6 for n in held), held  # none rings over it
                answers.add(tuple(answer))
        assert len(answers) >= 4  # each take its own


def test_each_take_answers_held_octaves_and_an_open_fifth_with_a_root_of_its_own_nearby() -> None:
    """Of 4 takes of an open fifth drone (D3 A3, "D no-third"), 2 answered with one root
    and 2 with another (A2 E3 and G3 D4: 12 requests of rng 0-11 in 12), or one with the
    drone an octave up (D4 A4, 12 of 12 where its root line read D no-third too); held C
    and Bb octaves, locked to "Bb no-third", answered Eb2 under the next C3 (rng 1). Each
    take now answers with a root of its own, within a fifth of the part's next root: the
    drone's IV and V (G2 A2 G3 A3), the octaves' C dorian neighbours (G2 D3 Eb3 F3)."""
    producer = load_checkpoint(find_model("producer")).model
    parts = (
        (_shaped([(48, 0.0, 8.0), (46, 8.0, 8.0)], (0, 12), 16.0), (0, 12), 48),
        (_shaped([(50, 0.0, 16.0)], (0, 7), 16.0), (0, 7), 50),
    )
    for clip, shape, next_root in parts:
        for rng_seed in range(12):
            params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
            roots = []
            for take in generate(producer, clip, params).variations:
                late = _chords(tuple(n for n in take.clip.notes if n.start >= 12.0))
                assert list(late) == [12.0] and _intervals(late[12.0]) == shape, late
                roots.append(late[12.0][0])
            assert all(abs(r - next_root) <= 7 for r in roots), (shape, rng_seed, roots)
            assert len(set(roots)) == 4, (shape, rng_seed, roots)


def test_a_shape_s_own_roots_stay_in_its_register_from_below() -> None:
    """The network's own root keeps above half the shape's span under the clip's lowest
    root, as it keeps under :func:`root_ceiling`: nothing held it from below."""
    onsets, roots = np.array([0, 0, 1, 1]), np.array([40, 47, 38, 45])  # E2 D2 power chords
    floor = root_floor(onsets, roots, (0, 7))
    assert floor == 38 - 3.5
    assert root_floor(np.array([0, 0]), np.array([40, 52]), (0, 12)) == 34  # octaves
    free, one = np.ones((1, 128), dtype=bool), np.ones(1, dtype=bool)
    none = np.zeros((1, 128), dtype=bool)
    completed(free, np.ones((1, 128), bool), none, (0, 7), one, one, 43.5, floor)
    assert np.flatnonzero(free[0]).tolist() == list(range(35, 44))  # B1 to G2
    below = np.zeros((1, 128), dtype=bool)
    below[0, [16, 21]] = True  # only roots far below: kept, as the range leaves nothing else
    completed(below, np.ones((1, 128), bool), none, (0, 7), one, one, 43.5, floor)
    assert np.flatnonzero(below[0]).tolist() == [16, 21]


def test_power_chords_at_memory_0_and_temperature_2_stay_in_their_register() -> None:
    """Power chords on E2 G2 A2 D2 in 8ths (root and fifth): at --memory 0 -t 2 the
    network's own roots fell two octaves (A0, G0, E0 under the clip's E2-E3): 19 notes more
    than a fifth below the clip in 20 takes. Every root stays in the part's register now."""
    producer = load_checkpoint(find_model("producer")).model
    riff = (40, 40, 43, 40, 45, 43, 40, 38) * 2
    clip = _shaped([(r, 0.5 * i, 0.45) for i, r in enumerate(riff)], (0, 7), 8.0)
    for rng_seed in (4, 5, 6, 7, 8):
        params = GenerationParams(variations=4, rng_seed=rng_seed, memory=0.0, temperature=2.0)
        for take in generate(producer, clip, params).variations:
            for at, chord in _chords(take.clip.notes).items():
                assert _intervals(chord) == (0, 7), (rng_seed, at, chord)
                assert chord[0] >= 38 - 3.5, (rng_seed, at, chord)


def test_held_octaves_on_a_pad_are_struck_whole_and_cut_whole(tmp_path: Path) -> None:
    """Held octaves on a pad (A3 G3 F3 E3 D3 E3 F3 G3, two beats each, doubled an octave
    up) on the polyphonic model: the network struck a root and moved on before its octave,
    and the clip's limit of two voices cut the root under the octave still ringing above (27
    of 192 onsets a single note, 19 octaves with voices of different lengths, A3 held 1 beat
    under A4 held 2). Every onset is an octave now, its voices as long as each other."""
    model = load_checkpoint(find_model("polyphonic")).model
    line = (57, 55, 53, 52, 50, 52, 53, 55)
    clip = _written(
        tmp_path / "pad.mid",
        _shaped([(r, 2.0 * i, 2.0) for i, r in enumerate(line)], (0, 12), 16.0),
        89,
    )
    for rng_seed in (1, 2):
        params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
        for take in generate(model, clip, params).variations:
            lengths: dict[float, set[float]] = defaultdict(set)
            for n in take.clip.notes:
                lengths[round(n.start, 4)].add(round(n.duration, 4))
            for at, chord in _chords(take.clip.notes).items():
                assert _intervals(chord) == (0, 12), (rng_seed, at, chord)
                assert len(lengths[at]) == 1, (rng_seed, at, chord, lengths[at])


def test_power_chords_keep_their_perfect_fifth_under_a_key_it_leaves() -> None:
    """Power chords on E2 G2 A2 D2 (root, fifth and octave in quarters) under --key
    'F major', where E is the 7th degree and its fifth B is out of the key: the producer
    model dropped the B (E2 E3, 130 of 384 onsets, 24 of 24 takes), and under 'Bb major'
    an A5 lost its E (A2 A3). The root follows the key and the shape follows the root: the
    clip's E5 keeps its B natural, as a rock player's does. The polyphonic model kept the
    shape by never playing E at all (0 of 742 roots, the clip's riff on other roots); it
    plays the clip's E5 now."""
    riff = (40, 40, 40, 40, 43, 43, 43, 43, 45, 45, 45, 45, 38, 38, 40, 40)
    clip = _shaped([(r, 1.0 * i, 0.9) for i, r in enumerate(riff)], (0, 7, 12), 16.0)
    for name, key in (("producer", "F major"), ("producer", "Bb major"), ("polyphonic", "F major")):
        model = load_checkpoint(find_model(name)).model
        on_e = 0
        for rng_seed in (1, 2):
            params = GenerationParams(variations=4, rng_seed=rng_seed, key=key)
            for take in generate(model, clip, params).variations:
                for at, chord in _chords(take.clip.notes).items():
                    assert _intervals(chord) == (0, 7, 12), (name, key, rng_seed, at, chord)
                    on_e += chord[0] % 12 == 4
        if key == "F major":
            assert on_e >= 8, (name, on_e)  # the key's 7th degree, with its perfect fifth


def test_a_shape_s_roots_keep_to_where_the_whole_shape_fits_the_range() -> None:
    """Under --high 55 an octave's roots go up to G2 (43); power chords' (root, fifth and
    octave) to G2 too, under --low 40 from E2; a range narrower than the shape has none,
    and says so; a range with room for some of the clip's roots names the others."""
    in_range = np.zeros(128, dtype=bool)
    in_range[36:56] = True  # C2 to G3
    assert np.flatnonzero(root_room(in_range, (0, 12))).tolist() == list(range(36, 44))
    assert np.flatnonzero(root_room(in_range, (0, 7))).tolist() == list(range(36, 49))
    roots = np.array([36, 39, 41, 43, 46])  # C2 Eb2 F2 G2 Bb2, doubled an octave up
    assert range_notice((0, 12), roots, 0, 127) is None
    assert range_notice(None, roots, 40, 50) is None  # not a shape: nothing to say
    narrow = range_notice((0, 12), roots, 40, 50)
    assert narrow is not None and "\n" not in narrow
    assert narrow.startswith("the range 40-50 is narrower than the clip's octaves (12 semitones)")
    some = range_notice((0, 12), roots, 38, 55)  # roots D2-G2 fit: C and Bb have no octave
    assert some is not None and "octaves (12 semitones) on C, A#:" in some, some


def test_a_narrow_high_keeps_octaves_and_power_chords_whole(tmp_path: Path) -> None:
    """An octave bass (C2 Eb2 F2 G2 Bb2 in 8ths, doubled) under --high 50 and power chords
    on E2 G2 A2 D2 (root, fifth and octave) under --high 55 or 50: the loop's A2 played on
    in the range while its A3 was cut and folded to A1 under it (A1 A2 E3: 24 of 24 takes
    broke the shape, 84 onsets at 55, 309 at 50). The root line keeps to the roots on which
    the whole shape fits (root ceiling = high - the shape's span): A1 E2 A2."""
    producer = load_checkpoint(find_model("producer")).model
    bass = (36, 36, 36, 39, 41, 41, 43, 46) * 2
    riff = (40, 40, 40, 40, 43, 43, 43, 43, 45, 45, 45, 45, 38, 38, 40, 40)
    parts = (
        (_shaped([(r, 0.5 * i, 0.4) for i, r in enumerate(bass)], (0, 12), 8.0), (0, 12), 50),
        (
            _shaped([(r, 1.0 * i, 0.9) for i, r in enumerate(riff)], (0, 7, 12), 16.0),
            (0, 7, 12),
            55,
        ),
        (
            _shaped([(r, 1.0 * i, 0.9) for i, r in enumerate(riff)], (0, 7, 12), 16.0),
            (0, 7, 12),
            50,
        ),
    )
    made: list[GenerationResult] = []
    for clip, shape, high in parts:
        for rng_seed in (1, 2):
            params = GenerationParams(variations=4, rng_seed=rng_seed, high=high)
            result = generate(producer, clip, params)
            for take in result.variations:
                for at, chord in _chords(take.clip.notes).items():
                    assert _intervals(chord) == shape, (shape, high, rng_seed, at, chord)
                    assert chord[-1] <= high, (shape, high, rng_seed, at, chord)
            made.append(result)
    assert [r.shape_notice() for r in made] == [
        None
    ] * 6  # every root has an octave with room: nothing to say


def test_a_root_with_no_room_builds_no_shape_on_a_folded_voice(tmp_path: Path) -> None:
    """Power chords (root, fifth and octave) on E2 in 8ths, then G2 and A2, under --low 30
    --high 45, where E has no octave for the whole shape: the loop's E2 played on, its B2
    folded to B1 under it, and the shape was built on that B1 (B1 E2 F#2: a cluster, and an
    F# the riff never plays) on every E strike; under --low 45 --high 60 the G's folded D3
    got its fifth (D3 G3 A3). The takes play the voices that fit, nothing built on a folded
    voice: no second in a strike, no pitch class the riff lacks but a whole shape's on a
    root of the take's own (B2 F#3 B3)."""
    producer = load_checkpoint(find_model("producer")).model
    riff = [(40, 0.5 * i, 0.4) for i in range(8)]
    riff += [(43, 4 + 0.5 * i, 0.4) for i in range(4)] + [(45, 6 + 0.5 * i, 0.4) for i in range(4)]
    clip = _written(tmp_path / "power_riff.mid", _shaped(riff, (0, 7, 12), 8.0), 30)
    classes = {n.pitch % 12 for n in clip.notes}
    for low, high in ((30, 45), (45, 60)):
        for rng_seed in (1, 2):
            params = GenerationParams(variations=4, rng_seed=rng_seed, low=low, high=high)
            for take in generate(producer, clip, params).variations:
                for at, chord in _chords(take.clip.notes).items():
                    steps = np.diff(sorted(set(chord)))
                    assert (steps > 2).all(), (low, high, rng_seed, at, chord)
                    whole = _intervals(chord) == (0, 7, 12)  # the take's own root's shape
                    foreign = {p % 12 for p in chord} - classes
                    assert whole or not foreign, (low, high, rng_seed, at, chord)
    # the unit: a B1 struck under the E2 root is no root of the shape; E2 alone is
    pitches = np.ones((2, 128), dtype=bool)
    struck = np.zeros((2, 128), dtype=bool)
    struck[:, 40] = True
    struck[0, 35] = True
    in_range = np.zeros((2, 128), dtype=bool)
    in_range[:, 30:46] = True
    voiced = completed(pitches, in_range, struck, (0, 7, 12), np.ones(2, dtype=bool))
    assert voiced.tolist() == [False, False]  # E2's fifth and octave lie over --high 45
    assert pitches.all()  # nothing narrowed: the loop's notes fold as any note's


def test_a_take_s_own_power_chords_keep_their_fifth_in_the_key(tmp_path: Path) -> None:
    """Power chords (root, fifth and octave) on E2 in 8ths, then G2 and A2 (E minor
    pentatonic: E G A B D), under --low 45 --high 60: the takes' turns played B5 (B2 F#3
    B3), an F# the riff never plays, in 11 of 384 strikes (rng seeds 1-3). A guitarist in
    that key plays no power chord on B: the take's own root moves a step to one whose fifth
    the key holds (C5, A5), the shape whole; the clip's own roots keep theirs."""
    producer = load_checkpoint(find_model("producer")).model
    riff = [(40, 0.5 * i, 0.4) for i in range(8)]
    riff += [(43, 4 + 0.5 * i, 0.4) for i in range(4)] + [(45, 6 + 0.5 * i, 0.4) for i in range(4)]
    clip = _written(tmp_path / "power_riff.mid", _shaped(riff, (0, 7, 12), 8.0), 30)
    for rng_seed in (1, 2, 3):
        params = GenerationParams(variations=4, rng_seed=rng_seed, low=45, high=60)
        for take in generate(producer, clip, params).variations:
            for at, chord in _chords(take.clip.notes).items():
                assert 6 not in {p % 12 for p in chord}, (rng_seed, at, chord)
    # the unit: in E minor pentatonic, no root on B (F#) nor on F (C); the clip's own E
    # roots keep their B under a key without it (F major)
    pentatonic = np.zeros(12, dtype=bool)
    pentatonic[[4, 7, 9, 11, 2]] = True
    keyed = roots_in_key(pentatonic, (0, 7, 12))
    assert sorted({int(p) % 12 for p in np.flatnonzero(keyed)}) == [0, 2, 4, 7, 9]
    f_major = np.zeros(12, dtype=bool)
    f_major[[5, 7, 9, 10, 0, 2, 4]] = True
    assert roots_in_key(f_major, (0, 7, 12), (4,))[40]
    assert not roots_in_key(f_major, (0, 7, 12))[40]
    # a turn that chose B2 alone moves to the keyed root a step away: C3
    fit = np.zeros((1, 128), dtype=bool)
    fit[0, 47] = True
    assert np.flatnonzero(keyed_roots(fit, keyed[None] & (np.arange(128) < 49)))[0] == 48

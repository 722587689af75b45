"""A broken-chord left hand keeps its bass on every downbeat; an arp's turns do as before."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from segue.grid import TICKS_PER_BEAT, clip_rows, to_ticks
from segue.midi_io import read_part, write_midi
from segue.model.architecture import Network
from segue.model.broken_chords import (
    bar_roots,
    broken_basses,
    chord_basses,
    fifth_outline,
    low_line,
    shell_outline,
)
from segue.model.loop import LoopHistory
from segue.model.loop_steps import on_the_bass
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note, TimeSignature

BAR = 96
C_AM_F_G = ((48, 55, 64), (45, 52, 60), (41, 48, 57), (43, 50, 59))  # root, fifth, tenth


def _broken_left_hand() -> Clip:
    """A piano's left hand alone, C-Am-F-G broken one note at a time in eighths (root,
    fifth, tenth, fifth: C3 G3 E4 G3), as helper-114's broken_lh: the producer model hears
    it two octaves up (``segue.model.register``)."""
    notes = []
    for bar, (root, fifth, tenth) in enumerate(C_AM_F_G):
        for eighth, pitch in enumerate((root, fifth, tenth, fifth) * 2):
            notes.append(Note(pitch, bar * 4.0 + eighth * 0.5, 0.5, 96))
    return Clip(tuple(notes), 16.0)


def _alberti() -> Clip:
    """An Alberti bass in 16ths, C-Am-F-G: low, high, middle, high (C3 G3 E3 G3)."""
    chords = ((48, 52, 55), (45, 48, 52), (41, 45, 48), (43, 47, 50))
    notes = []
    for bar, (low, middle, high) in enumerate(chords):
        for k in range(16):
            pitch = (low, high, middle, high)[k % 4]
            notes.append(Note(pitch, bar * 4.0 + k * 0.25, 0.25, 74 if k % 4 == 0 else 60))
    return Clip(tuple(notes), 16.0)


def _alberti_dominant(
    step: float = 0.5, beats: int = 4, last: tuple[int, ...] = (47, 50, 53)
) -> Clip:
    """helper-134's Alberti bass, C | G/B | Am | then the dominant bar over its third with
    no root (``last``: B2 D3 F3, G7's B D F, a diminished triad), low, high, middle, high
    in ``step`` beats (8ths: C3 G3 E3 G3 | B2 G3 D3 G3 | A2 E3 C3 E3 | B2 F3 D3 F3) in a
    bar of ``beats`` quarters (3/4: low high middle high middle high)."""
    figure = (0, 2, 1, 2) if beats == 4 else (0, 2, 1, 2, 1, 2)
    notes = []
    for bar, chord in enumerate(((48, 52, 55), (47, 50, 55), (45, 48, 52), last)):
        for k in range(round(beats / step)):
            pitch = chord[figure[k % len(figure)]]
            notes.append(Note(pitch, bar * beats + k * step, step, 76 if k == 0 else 62))
    return Clip(tuple(notes), 4.0 * beats, TimeSignature(beats, 4))


def _six_eight() -> Clip:
    """A 6/8 left hand in eighths, C F G C: C2 G2 E3 G2 C3 G2."""
    notes = []
    for bar, root in enumerate((36, 41, 43, 36)):
        for k, step in enumerate((0, 7, 16, 7, 12, 7)):
            notes.append(Note(root + step, bar * 3.0 + k * 0.5, 0.5, 76 if k in (0, 3) else 62))
    return Clip(tuple(notes), 12.0, TimeSignature(6, 8))


def _under_chords() -> Clip:
    """A left hand in eighths (root, fifth, octave, fifth) under the right hand's triads on
    beats 2 and 4, in one clip: C-Am-F-G."""
    notes = []
    for bar, (root, triad) in enumerate(
        ((36, (64, 67, 72)), (33, (64, 69, 72)), (29, (65, 69, 72)), (31, (62, 67, 71)))
    ):
        for k, step in enumerate((0, 7, 12, 7) * 2):
            notes.append(Note(root + step, bar * 4.0 + k * 0.5, 0.5, 72 - 8 * (k % 2)))
        for beat in (1.0, 3.0):
            notes += [Note(p, bar * 4.0 + beat, 0.9, 66) for p in triad]
    return Clip(tuple(notes), 16.0)


def _fifths_left_hand() -> Clip:
    """A left hand of root, fifth and octave in eighths, two chords a bar (C2 G2 C3 G2, then
    G2 D3 G3 D3): C G | Am F | C G | F G, as helper-129's two_a_bar. No third: no triad."""
    notes = []
    for bar, roots in enumerate(((36, 43), (33, 41), (36, 43), (29, 31))):
        for half, root in enumerate(roots):
            for k, step in enumerate((0, 7, 12, 7)):
                at = bar * 4.0 + half * 2.0 + k * 0.5
                notes.append(Note(root + step, at, 0.5, 72 if k == 0 else 60))
    return Clip(tuple(notes), 16.0)


WALTZ = ((36, (52, 55, 60)), (31, (50, 55, 59)), (33, (52, 57, 60)), (29, (53, 57, 60)))
"""C G Am F: the bass alone on 1, the chord (E3 G3 C4 ...) on 2 and 3."""


def _waltz() -> Clip:
    """A waltz's left hand in 3/4, as helper-114's waltz: the bass alone on beat 1, the chord
    on 2 and 3 (two thirds of its onsets chords: a chord loop)."""
    notes = []
    for bar, (bass, chord) in enumerate(WALTZ):
        notes.append(Note(bass, bar * 3.0, 1.0, 96))
        notes += [Note(p, bar * 3.0 + beat, 0.8, 80) for beat in (1.0, 2.0) for p in chord]
    return Clip(tuple(notes), 12.0, TimeSignature(3, 4))


def _stride() -> Clip:
    """A 4/4 stride: the root alone on 1, the fifth alone on 3 (below it, or above), the chord
    on 2 and 4: C Am F G."""
    notes = []
    for bar, (root, fifth, chord) in enumerate(
        (
            (36, 31, (52, 55, 60)),
            (33, 28, (52, 57, 60)),
            (29, 36, (53, 57, 60)),
            (31, 38, (50, 55, 59)),
        )
    ):
        notes += [Note(root, bar * 4.0, 1.0, 96), Note(fifth, bar * 4.0 + 2.0, 1.0, 90)]
        notes += [Note(p, bar * 4.0 + beat, 0.8, 76) for beat in (1.0, 3.0) for p in chord]
    return Clip(tuple(notes), 16.0)


def _boom_chick() -> Clip:
    """A country / polka boom-chick in 2/4: the bass alone on 1 (the root, then the fifth the
    next bar), the chord on 2: C C F F G G C C."""
    c, f, g = (52, 55, 60), (53, 57, 60), (50, 55, 59)
    notes = []
    for bar, (bass, chord) in enumerate(
        ((36, c), (31, c), (41, f), (36, f), (43, g), (38, g), (36, c), (43, c))
    ):
        notes.append(Note(bass, bar * 2.0, 0.9, 100))
        notes += [Note(p, bar * 2.0 + 1.0, 0.5, 80) for p in chord]
    return Clip(tuple(notes), 16.0, TimeSignature(2, 4))


def _oompah_melody() -> Clip:
    """An oom-pah in 3/4 with the right hand's melody in the same clip: the bass alone on 1
    in two bars (the melody enters after it), with the melody's note in the others."""
    melody = (
        ((72, 0.5, 1.0), (74, 1.5, 0.5), (76, 2.0, 1.0)),
        ((79, 0.0, 2.0), (77, 2.0, 1.0)),
        ((76, 0.5, 1.5), (72, 2.0, 1.0)),
        ((74, 0.0, 3.0),),
    )
    notes = []
    for bar, (bass, chord) in enumerate(WALTZ):
        notes.append(Note(bass, bar * 3.0, 1.0, 92))
        notes += [Note(p, bar * 3.0 + beat, 0.7, 70) for beat in (1.0, 2.0) for p in chord]
        notes += [Note(p, bar * 3.0 + at, length, 88) for p, at, length in melody[bar]]
    return Clip(tuple(notes), 12.0, TimeSignature(3, 4))


def _arp() -> Clip:
    """A synth arp in 16ths over Am F C G from A3 (A3 C4 E4 A4): a figure over the harmony
    in the middle register."""
    chords = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))
    notes = [
        Note((c[0], c[1], c[2], c[0] + 12)[k % 4] + (12 if c[0] < 55 else 0), b * 4 + k / 4, 0.2)
        for b, c in enumerate(chords)
        for k in range(16)
    ]
    return Clip(tuple(notes), 16.0)


def _read(tmp: Path, name: str, clip: Clip) -> Clip:
    """``clip`` written to a MIDI file and read back, as `segue generate` reads a clip."""
    return read_part(write_midi(clip, tmp / f"{name}.mid", overwrite=True))[0]


@cache
def _producer() -> Network:
    """The bundled producer model, loaded once for the module (a load took 0.2 s, as long as
    half a request here, and this module makes 81). Generation only reads a model: each
    request builds its own state, so no test's takes depend on another's."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    return load_checkpoint(find_model("producer")).model


@cache
def _takes(clip: Clip, rng_seed: int) -> tuple[Clip, ...]:
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    params = GenerationParams(variations=4, bars=16, rng_seed=rng_seed)
    return tuple(take.clip for take in generate(_producer(), clip, params).variations)


def _lowest(clip: Clip, every: float) -> dict[float, int]:
    """The lowest pitch struck on every ``every`` beats (a bar's downbeat), by onset."""
    out: dict[float, int] = {}
    for note in clip.notes:
        if note.start % every == 0:
            out[note.start] = min(out.get(note.start, 128), note.pitch)
    return out


def _changed_downbeats(
    clip: Clip, seeds: range, every: float = 0.0
) -> tuple[list[tuple[int, float, int]], int]:
    """The downbeats (or every ``every`` beats) whose lowest note a take changed from the
    clip's (rng seed, beat, pitch), and how many different takes there were."""
    every = every or clip.time_signature.beats_per_bar
    loop = _lowest(clip, every)
    changed = []
    distinct = set()
    for rng_seed in seeds:
        for take in _takes(clip, rng_seed):
            distinct.add(tuple(sorted((n.start, n.pitch) for n in take.notes)))
            changed += [
                (rng_seed, at, p)
                for at, p in _lowest(take, every).items()
                if p != loop[at % clip.length]
            ]
    return changed, len(distinct)


def test_a_low_line_s_broken_chords_have_their_basses_and_an_arp_s_none() -> None:
    clip = _broken_left_hand()
    onsets = np.array([n * BAR // 8 for n in range(32)])
    pitches = np.array([n.pitch for n in sorted(clip.notes, key=lambda n: n.start)])
    basses = {0: (48, BAR), BAR: (45, 2 * BAR), 2 * BAR: (41, 3 * BAR), 3 * BAR: (43, 4 * BAR)}
    assert broken_basses(onsets, pitches, BAR, 4 * BAR) == basses
    # moved two octaves up into the model's register, it is the musician's left hand still
    moved = {at: (bass + 24, end) for at, (bass, end) in basses.items()}
    assert broken_basses(onsets, pitches + 24, BAR, 4 * BAR, 24) == moved
    assert broken_basses(onsets, pitches + 24, BAR, 4 * BAR) == {}  # an arp's
    falling = pitches.copy()  # a bar whose downbeat is its top note has no bass there
    falling[:8] = (64, 55, 48, 55) * 2
    assert 0 not in broken_basses(onsets, falling, BAR, 4 * BAR)
    assert low_line(pitches) and not low_line(np.array([n.pitch for n in _arp().notes]))


def test_a_broken_left_hand_s_turn_never_lies_on_its_bass_alone() -> None:
    """A left hand that plays its chord one note at a time strikes one note on each downbeat:
    that note, the lowest of its bar, is the bar's bass, which no take turns, and no take's
    turn lies on it alone (it would turn nothing); the bar's later notes stay over it."""
    clip = _broken_left_hand()
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    for seed in range(8):
        turns = Turns(made, 4, np.random.default_rng(seed))
        assert turns.intervals is None  # a line
        assert not (turns.starts(0) % BAR == 0).any(), seed  # never on the G2 alone
        at = np.full(4, turns.clip_end + 3 * BAR)  # the G's downbeat: G2
        assert not turns.voices_turned(np.ones(4, dtype=bool), at, np.full(4, 43)).any()
        later = np.full(4, turns.clip_end + 3 * BAR + BAR // 8)  # its D3 after: over the G2
        levels = turns.voicing(np.arange(4), later, np.full(4, 50), np.zeros((4, 128), bool))
        assert (levels[:, :43] == 0).all() and (levels[:, 43:] == 2).all()


def test_a_broken_left_hand_s_takes_keep_every_downbeat_s_bass(tmp_path: Path) -> None:
    """A take's turn put another note of the chord on a broken left hand's downbeat (D3 or
    B2 for the G chord's G2), the bar heard in inversion: helper-114's broken_lh 60 of 512
    downbeats (rng seeds 1-8, 4 takes of 16 bars), an Alberti bass 60, a 6/8 left hand 59,
    a left hand under the right hand's chords 57. Every downbeat now has the loop's bass,
    and the takes still differ."""
    from segue.model.register import octave_for

    producer = _producer()
    lifted = clip_rows(_broken_left_hand()).astype(np.int64)
    assert octave_for(producer, lifted, BAR, 0, 127) == 24  # its register is the musician's
    for name, clip in (
        ("broken_lh", _broken_left_hand()),
        ("alberti", _alberti()),
        ("six_eight", _six_eight()),
        ("under_chords", _under_chords()),
    ):
        changed, distinct = _changed_downbeats(_read(tmp_path, name, clip), range(1, 4))
        assert not changed, (name, changed)
        assert distinct == 12, name


def test_an_arp_s_turn_may_still_play_another_chord_tone_on_a_downbeat(tmp_path: Path) -> None:
    """An arp in the middle register is a figure over a bass another part plays: its turns
    may strike another tone of its chord on a downbeat, as they did (the rule is a left
    hand's)."""
    changed, distinct = _changed_downbeats(_read(tmp_path, "arp", _arp()), range(1, 4))
    assert changed
    assert distinct == 12


def _onsets_pitches(clip: Clip) -> tuple[np.ndarray, np.ndarray]:
    """A clip's notes' onsets (ticks) and pitches, in time order."""
    notes = sorted(clip.notes, key=lambda n: (n.start, n.pitch))
    return np.array([to_ticks(n.start) for n in notes]), np.array([n.pitch for n in notes])


def test_a_root_fifth_octave_left_hand_has_its_roots_for_basses() -> None:
    """C2 G2 C3 G2 outlines no triad, but its fifths: its chords change where its fifth does
    (C G, then G D, each half bar), and each chord's bass is its root."""
    assert fifth_outline([0, 7, 0, 7]) == 1 | 1 << 7 and fifth_outline([7, 2, 7, 2])
    assert not fifth_outline([0, 7, 4]) and not fifth_outline([0]) and not fifth_outline([0, 2])
    onsets, pitches = _onsets_pitches(_fifths_left_hand())
    roots = (36, 43, 33, 41, 36, 43, 29, 31)
    half = BAR // 2
    assert broken_basses(onsets, pitches, BAR, 4 * BAR) == {
        k * half: (root, (k + 1) * half) for k, root in enumerate(roots)
    }
    assert broken_basses(onsets, pitches + 36, BAR, 4 * BAR) == {}  # high: no left hand


def test_an_oom_pah_s_bass_alone_under_its_chord_is_the_chord_s_bass() -> None:
    """The note struck alone on a beat under the chord that follows is the bass: a waltz's
    on 1, a stride's on 1 and 3 (the fifth as the clip plays it), and under a melody that
    enters between; a left hand whose eighths move on under the chord has none."""
    bar = to_ticks(3.0)
    onsets, pitches = _onsets_pitches(_waltz())
    assert chord_basses(onsets, pitches, bar, 4 * bar) == {
        k * bar: bass for k, (bass, _) in enumerate(WALTZ)
    }
    assert chord_basses(onsets, pitches + 36, bar, 4 * bar) == {}  # a chord loop up high
    assert chord_basses(onsets, pitches + 24, bar, 4 * bar, 24) == {
        k * bar: bass + 24 for k, (bass, _) in enumerate(WALTZ)
    }
    onsets, pitches = _onsets_pitches(_oompah_melody())
    assert chord_basses(onsets, pitches, bar, 4 * bar) == {0: 36, 2 * bar: 33}
    onsets, pitches = _onsets_pitches(_stride())
    assert chord_basses(onsets, pitches, BAR, 4 * BAR) == {
        at: int(pitches[onsets == at][0]) for at in range(0, 4 * BAR, BAR // 2)
    }
    onsets, pitches = _onsets_pitches(_under_chords())
    assert chord_basses(onsets, pitches, BAR, 4 * BAR) == {}


def test_a_root_fifth_octave_left_hand_keeps_its_basses(tmp_path: Path) -> None:
    """A root-fifth-octave left hand, two chords a bar, outlined no triad, and its takes moved
    its basses (rng seeds 1-8, 4 takes of 16 bars: helper-129's two_a_bar 112 of 1024; one a
    bar in quarters 66 of 512). The takes now keep them, and still differ."""
    clip = _read(tmp_path, "fifths", _fifths_left_hand())
    changed, distinct = _changed_downbeats(clip, range(1, 4), 2.0)
    assert not changed, changed
    assert distinct == 12


def test_a_let_go_bass_comes_back_the_bass(tmp_path: Path) -> None:
    """A take lets a loop's note go by chance, a waltz's or a left hand's bass alone on a
    downbeat too, and a note of its own struck there was another: memory's copy of what the
    clip plays after the chord before it (a waltz's F1 came back D3 in the turn bar, where a
    take's turn had voiced the Am like the clip's G, whose bar goes on to D3), or the
    network's note after a let-go note before it (a left hand's F1 came back G2). rng seeds
    1-24, 4 takes of 16 bars, waltz, stride, boom-chick, oom-pah under its melody and the
    four left hands: 8 downbeats before helper-187's kept levels and lengths, 10 after
    (the same path: the draws fell otherwise), none now. Seeds 4-12 here."""
    for name, clip in (("waltz", _waltz()), ("alberti", _alberti())):
        changed, distinct = _changed_downbeats(_read(tmp_path, name, clip), range(4, 13))
        assert not changed, (name, changed)
        assert distinct == 36, name


def test_an_oom_pah_s_takes_keep_its_basses(tmp_path: Path) -> None:
    """An oom-pah's bass alone on a beat, under the chord that follows, was a single note in
    a chord loop, turned whole: rng seeds 1-8, 4 takes of 16 bars, helper-114's waltz moved
    77 of 512 downbeat basses, a stride 128 of 1024 of its basses on 1 and 3, a boom-chick 80
    of 512, an oom-pah under its melody 33 of 512. The takes now keep them (a take lets a
    loop's note go by chance outside its turns, the loop's strength, as it may a chord's
    bass: at most one such here) and re-voice the chords over them, and still differ."""
    for name, clip, every in (
        ("waltz", _waltz(), 3.0),
        ("stride", _stride(), 2.0),
        ("boom_chick", _boom_chick(), 2.0),
        ("oompah_melody", _oompah_melody(), 3.0),
    ):
        changed, distinct = _changed_downbeats(_read(tmp_path, name, clip), range(1, 4), every)
        assert len(changed) <= 1, (name, changed)
        assert distinct == 12, name


def test_a_bass_the_loop_strikes_alone_is_the_loop_s_whoever_strikes_it() -> None:
    """A waltz's bass alone on 1 and a broken left hand's downbeat are the loop's basses
    (``Turns.lone_bass``); a note of a take's own there, memory's copy or the network's, is
    narrowed to that bass where it is free (``on_the_bass``), and left alone elsewhere."""
    bar = to_ticks(3.0)
    for clip, every, basses in (
        (_waltz(), bar, [bass for bass, _ in WALTZ]),
        (_broken_left_hand(), BAR, [root for root, _, _ in C_AM_F_G]),
    ):
        rows = clip_rows(clip)
        end = to_ticks(clip.length)
        made = LoopHistory.of_seed(rows, steps_of(rows, every, Vocab())[1:], every, end)
        assert made is not None
        turns = Turns(made, 4, np.random.default_rng(0))
        downbeats = end + every * np.arange(8)  # two loops on
        assert turns.lone_bass(downbeats).tolist() == basses * 2
        assert (turns.lone_bass(downbeats + TICKS_PER_BEAT // 2) == -1).all()
    pitches = np.ones((4, 128), dtype=bool)
    pitches[3, 29] = False  # F1 still sounding in the last take
    own = np.array([True, False, True, True])
    on_the_bass(pitches, own, np.array([29, 29, -1, 29]))
    assert np.flatnonzero(pitches[0]).tolist() == [29]  # the waltz's F1, not memory's D3
    assert pitches[1:3].all()  # the loop's own repeat, and no bass alone there
    assert np.count_nonzero(pitches[3]) == 127 and not pitches[3, 29]  # F1 not free


def test_a_left_hand_s_bar_of_any_chord_quality_has_its_bass() -> None:
    """A bar that breaks a diminished triad (B2 F3 D3 F3: G7 over its third, without its
    root) outlined no triad, so its B2 was no bass; nor a Gsus4 in close position (G2 D3 C3
    D3), whose seconds are no leaps. A left hand keeps its lowest note on every bar's
    downbeat whatever the chord: each is its bar's bass now."""
    for last, bass in (((47, 50, 53), 47), ((43, 48, 50), 43), ((48, 52, 56), 48)):
        onsets, pitches = _onsets_pitches(_alberti_dominant(last=last))
        assert broken_basses(onsets, pitches, BAR, 4 * BAR)[3 * BAR][0] == bass, last
    bar = to_ticks(3.0)
    onsets, pitches = _onsets_pitches(_alberti_dominant(beats=3))
    assert broken_basses(onsets, pitches, bar, 4 * bar)[3 * bar][0] == 47
    # a plain low scale is no broken chord: a bar of C D E, F G A has no bass of its own
    scale = np.array([36, 38, 40, 38] * 2 + [41, 43, 45, 43] * 2)
    assert broken_basses(np.arange(16) * BAR // 8, scale, BAR, 2 * BAR) == {}


def test_an_alberti_bass_keeps_its_dominant_bar_s_bass(tmp_path: Path) -> None:
    """A take's turn put A2, C3, D3 or E3 where an Alberti bass's dominant bar struck its B2
    (B2 F3 D3 F3, G7 without its root), the bar heard over another bass: rng seeds 1-8, 4
    takes of 16 bars, 61 of 512 downbeats in 8ths, 59 in 16ths, 62 in 3/4; a Gsus4 bar's
    G2 (G2 D3 C3 D3) 57. Every dominant bar now keeps the loop's bass (a take may let a
    loop's note go outside its turns by chance, the loop's strength, as it does a C bar's C3
    now and then: at most one such here), and the takes differ."""
    for name, clip in (
        ("alberti_dim", _alberti_dominant()),
        ("alberti_dim16", _alberti_dominant(step=0.25)),
        ("alberti_dim34", _alberti_dominant(beats=3)),
        ("alberti_sus", _alberti_dominant(last=(43, 48, 50))),
    ):
        changed, distinct = _changed_downbeats(_read(tmp_path, name, clip), range(1, 4))
        bar = clip.time_signature.beats_per_bar
        assert not [c for c in changed if c[1] % (4 * bar) == 3 * bar], (name, changed)
        assert len(changed) <= 1, (name, changed)
        assert distinct == 12, name


def _broken_shells(blues: bool = True) -> Clip:
    """A jazz pianist's left hand breaking its shells (root, seventh and third; no fifth): a
    blues in F in 8ths, root, seventh, third, seventh (F2 Eb3 A3 Eb3 | Bb2 Ab3 D4 Ab3 | F7 |
    C3 Bb3 E4 Bb3); or a ii-V-I in quarters, root and seventh or third (D2 C3 D2 C3 | G2 F3
    | C2 B2 | C2 E3)."""
    notes = []
    if blues:
        for bar, chord in enumerate(((41, 51, 57), (46, 56, 62), (41, 51, 57), (48, 58, 64))):
            for k, voice in enumerate((0, 1, 2, 1) * 2):
                notes.append(Note(chord[voice], bar * 4.0 + k * 0.5, 0.5, 84 if k == 0 else 66))
    else:
        for bar, pair in enumerate(((38, 48), (43, 53), (36, 47), (36, 52))):
            notes += [Note(pair[k % 2], bar * 4.0 + k, 0.9, 84 if k == 0 else 66) for k in range(4)]
    return Clip(tuple(notes), 16.0)


def _oompah_six_eight() -> Clip:
    """A 6/8 oom-pah: the bass alone on 8ths 1 and 4 (the bar's two dotted-quarter beats:
    the root, then its fifth), the chord on the other 8ths: C F G C."""
    c, f, g = (52, 55, 60), (53, 57, 60), (50, 55, 59)
    notes = []
    for bar, (basses, chord) in enumerate(
        (((36, 43), c), ((41, 36), f), ((43, 38), g), ((36, 43), c))
    ):
        for k in range(6):
            at = bar * 3.0 + k * 0.5
            if k % 3 == 0:
                notes.append(Note(basses[k // 3], at, 0.5, 90))
            else:
                notes += [Note(p, at, 0.4, 66) for p in chord]
    return Clip(tuple(notes), 12.0, TimeSignature(6, 8))


def test_a_broken_shell_left_hand_has_its_roots_for_basses() -> None:
    """A shell (root and seventh, root and third, or root, seventh and third: no fifth)
    broken one note at a time outlines no triad and no fifth: its root, its lowest note, is
    each bar's bass now. A line that steps (C3 B2 C3) is no shell."""
    assert shell_outline([38, 48, 38, 48]) == 1 << 2 | 1  # D2 C3: Dm7's root and seventh
    assert shell_outline([41, 51, 57, 51]) == 1 << 5 | 1 << 3 | 1 << 9  # F7: F Eb A
    assert shell_outline([36, 52, 36, 52])  # C2 E3: a root and its tenth
    assert not shell_outline([38, 41, 38, 41])  # D2 F2: a bass riff's minor third
    assert not shell_outline([48, 38, 38])  # a riff falling from its seventh to its root
    assert not shell_outline([48, 47, 48]) and not shell_outline([36, 43, 48])
    for blues, roots in ((True, (41, 46, 41, 48)), (False, (38, 43, 36, 36))):
        onsets, pitches = _onsets_pitches(_broken_shells(blues))
        basses = broken_basses(onsets, pitches, BAR, 4 * BAR)
        assert [basses[k * BAR][0] for k in range(4)] == list(roots), blues


def test_a_broken_shell_left_hand_keeps_every_downbeat_s_bass(tmp_path: Path) -> None:
    """A take's turn put another note on a broken shell's downbeat (Bb2 or Eb3 for the C7
    bar's C3; G2 or D2 for the Cmaj7 bar's C2), the bar heard over another bass: rng seeds
    1-4, 4 takes of 16 bars, the blues 27 of 256 downbeats lost at -t 1 (40 at -t 1.3), the
    ii-V-I 34 (41). They keep it now (a take may let a loop's note go outside its turns by
    chance: at most one such here), and the takes still differ."""
    for name, blues in (("shell_blues", True), ("shell_2517", False)):
        changed, distinct = _changed_downbeats(
            _read(tmp_path, name, _broken_shells(blues)), range(1, 4)
        )
        assert len(changed) <= 1, (name, changed)
        assert distinct == 12, name


def test_a_six_eight_oom_pah_s_second_beat_is_a_bass() -> None:
    """6/8's beats are dotted quarters: an oom-pah strikes its bass alone on 8ths 1 and 4.
    Read in quarters, 8th 4 was off the beat and no bass; with the meter's pulse it is."""
    bar = to_ticks(3.0)
    onsets, pitches = _onsets_pitches(_oompah_six_eight())
    basses = {at: int(pitches[onsets == at][0]) for at in range(0, 4 * bar, bar // 2)}
    assert chord_basses(onsets, pitches, bar, 4 * bar, pulse=bar // 2) == basses
    assert bar // 2 not in chord_basses(onsets, pitches, bar, 4 * bar)  # in quarters


def test_a_six_eight_oom_pah_keeps_its_basses_on_both_beats(tmp_path: Path) -> None:
    """A 6/8 oom-pah's bass on its second dotted-quarter beat was a lone note of a chord loop,
    turned whole: rng seeds 1-4, 4 takes of 16 bars, 34 of 256 lost at -t 1 (45 at -t 1.3).
    The takes keep it now (a take may let a loop's note go by chance outside its turns, the
    loop's strength: at most a few such here), and still differ."""
    changed, distinct = _changed_downbeats(
        _read(tmp_path, "oompah68", _oompah_six_eight()), range(1, 4), 1.5
    )
    assert len(changed) <= 3, changed
    assert distinct == 12


def _half_note_shells(blues: bool = True) -> Clip:
    """A jazz left hand striking twice a bar, its root and then its seventh: a blues in F in
    half notes (F2 Eb3 | Bb2 Ab3 | F2 Eb3 | C3 Bb3), or a ii-V-I with the root held three
    beats and the seventh on 4 (D2-- C3 | G2-- F3 | C2-- B2 | C2-- B2)."""
    if blues:
        pairs, second = ((41, 51), (46, 56), (41, 51), (48, 58)), 2.0
    else:
        pairs, second = ((38, 48), (43, 53), (36, 47), (36, 47)), 3.0
    notes = []
    for bar, (root, seventh) in enumerate(pairs):
        notes += [
            Note(root, bar * 4.0, second - 0.1, 84),
            Note(seventh, bar * 4.0 + second, 0.9, 66),
        ]
    return Clip(tuple(notes), 16.0)


def test_a_shell_struck_twice_a_bar_has_its_root_for_bass() -> None:
    """Two notes a bar broke no chord a triad's three notes were asked of: a left hand's root
    and seventh in half notes (F2 Eb3), or its root held and its seventh on 4, had no bass.
    Its roots are its basses now; a bass line's root and fifth in half notes (C2 G2), a
    two-feel bass and a riff falling from its seventh to its root (C3 D2) are no shell, and
    have none."""
    for blues, roots in ((True, (41, 46, 41, 48)), (False, (38, 43, 36, 36))):
        onsets, pitches = _onsets_pitches(_half_note_shells(blues))
        basses = broken_basses(onsets, pitches, BAR, 4 * BAR)
        assert [basses[k * BAR][0] for k in range(4)] == list(roots), blues
    half = BAR // 2
    onsets = np.array([k * half for k in range(8)])
    assert broken_basses(onsets, np.array([36, 43, 41, 48, 43, 50, 36, 43]), BAR, 4 * BAR) == {}
    assert broken_basses(onsets, np.array([48, 38, 48, 38, 47, 36, 47, 36]), BAR, 4 * BAR) == {}
    # a two-feel bass, D2 A1 | G2 D2 | C2 G2 | C2 E2: A1 G2 across the bar line is no shell
    assert broken_basses(onsets, np.array([38, 33, 43, 38, 36, 43, 36, 40]), BAR, 4 * BAR) == {}


def test_a_shell_struck_twice_a_bar_keeps_every_downbeat_s_root(tmp_path: Path) -> None:
    """A take's turn put the seventh or another note on the downbeat of a left hand that
    strikes its root and then its seventh: rng seeds 1-4, 4 takes of 16 bars, the blues in
    half notes 41 of 256 downbeats lost at -t 1 (49 at -t 1.3), the ii-V-I with its seventh
    on 4, 41 (48). They keep it now, and each request's 4 takes still differ (two notes a
    bar, the root kept, leave a take few places to turn: rng seeds 1-4 gave 14 different
    takes of 16 at -t 1, 16 before)."""
    for name, blues in (("halves_blues", True), ("dotted_2517", False)):
        clip = _read(tmp_path, name, _half_note_shells(blues))
        changed, _ = _changed_downbeats(clip, range(1, 4))
        assert len(changed) <= 1, (name, changed)
        for rng_seed in range(1, 4):
            takes = {
                tuple((n.start, n.pitch) for n in take.notes) for take in _takes(clip, rng_seed)
            }
            assert len(takes) == 4, (name, rng_seed)


AM_F_C_G = (33, 29, 36, 31)  # A1 F1 C2 G1


def _bass(figure: tuple[tuple[float, float, int], ...]) -> Clip:
    """A 4-bar bass of a bar's ``figure`` ((start, length in beats, interval above the
    root)) on each of A1 F1 C2 G1."""
    return Clip(
        tuple(
            Note(root + step, bar * 4.0 + at, length, 100)
            for bar, root in enumerate(AM_F_C_G)
            for at, length, step in figure
        ),
        16.0,
    )


def _walking() -> Clip:
    """A walking bass in quarters, Am F C G: root, third, fifth, and a step into the next
    root (A1 C2 E2 E1 | F1 A1 C2 B1 | C2 E2 G2 F#1 | G1 B1 D2 G#1)."""
    notes = []
    for bar, (root, third) in enumerate(zip(AM_F_C_G, (3, 4, 4, 4), strict=True)):
        after = AM_F_C_G[(bar + 1) % 4]
        for beat, pitch in enumerate(
            (root, root + third, root + 7, after - 1 if after > root else after + 2)
        ):
            notes.append(Note(pitch, bar * 4.0 + beat, 1.0, 100))
    return Clip(tuple(notes), 16.0)


HALVES = ((0.0, 1.9, 0), (2.0, 1.9, 7))  # a root on 1 and its fifth on 3, held


def test_a_bass_line_s_bars_stand_on_the_roots_it_strikes_on_their_downbeats() -> None:
    """A bass whose every bar strikes a note alone on its downbeat has it for the bar's root
    (a root-fifth bass in half notes, a walking bass); a line above the bass register, a
    sub bass of roots alone, and a bass whose bar begins on a rest have none."""
    onsets, pitches = _onsets_pitches(_bass(HALVES))
    assert bar_roots(onsets, pitches, BAR, 4 * BAR, 52) == {
        k * BAR: root for k, root in enumerate(AM_F_C_G)
    }
    onsets, pitches = _onsets_pitches(_walking())
    assert list(bar_roots(onsets, pitches, BAR, 4 * BAR, 52).values()) == list(AM_F_C_G)
    assert bar_roots(onsets, pitches + 36, BAR, 4 * BAR, 52) == {}  # a lead
    whole = np.array([k * BAR for k in range(4)])
    assert bar_roots(whole, np.array(AM_F_C_G), BAR, 4 * BAR, 52) == {}  # roots alone
    onsets, pitches = _onsets_pitches(_bass(((0.5, 1.0, 0), (2.0, 1.9, 7))))
    assert bar_roots(onsets, pitches, BAR, 4 * BAR, 52) == {}  # no note on 1


def test_a_bass_line_s_takes_keep_its_roots_and_turn_the_notes_after_them(tmp_path: Path) -> None:
    """A take turned one note of a root-fifth bass in half notes (Am F C G) in its phrase's
    last two bars, a root in 16 of 32 takes (rng seeds 1-8, 4 takes, 4 bars), and a walking
    bass's in 3: the bar was then heard over another chord. A bass player keeps the roots on
    the chord changes and varies the notes after them: every take keeps every downbeat's
    root now, and each request's four takes still differ, none the clip again."""
    for name, clip in (("halves", _bass(HALVES)), ("walking", _walking())):
        clip = _read(tmp_path, name, clip)
        changed, _ = _changed_downbeats(clip, range(1, 4))
        assert changed == [], (name, changed)
        repeat = sorted((n.start + 16.0 * k, n.pitch) for k in range(4) for n in clip.notes)
        for rng_seed in range(1, 4):
            takes = {
                tuple(sorted((n.start, n.pitch) for n in t.notes)) for t in _takes(clip, rng_seed)
            }
            assert len(takes) == 4 and tuple(repeat) not in takes, (name, rng_seed)


def _lone_basses(clip: Clip, every: int) -> list[int]:
    """The bass the loop strikes alone (``Turns.lone_bass``, -1 for none) at each of the 8
    places ``every // 2`` ticks apart from where the clip ends."""
    rows = clip_rows(clip)
    end = to_ticks(clip.length)
    made = LoopHistory.of_seed(rows, steps_of(rows, every, Vocab())[1:], every, end)
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    return turns.lone_bass(end + every // 2 * np.arange(8)).tolist()


def test_a_left_hand_s_broken_chords_strike_their_basses_alone_where_no_bar_root_does() -> None:
    """A left hand's broken chords' basses are the notes the loop strikes alone
    (``broken_basses``), where a bass line's bar roots (``bar_roots``, every bar's downbeat)
    say nothing: a root-fifth-octave left hand's second chord a bar (G2 D3 G3 D3 on beat 3
    of the C G bar), and a left hand whose last bar opens on a dyad (G2 and D3 together: no
    bar roots at all) on its other bars' downbeats. Each is the loop's bass, whoever strikes
    it there (``on_the_bass``)."""
    assert _lone_basses(_fifths_left_hand(), BAR) == [36, 43, 33, 41, 36, 43, 29, 31]
    dyad = Clip((*_broken_left_hand().notes, Note(50, 12.0, 0.5, 96)), 16.0)
    onsets, pitches = _onsets_pitches(dyad)
    assert bar_roots(onsets, pitches, BAR, 4 * BAR, 52) == {}  # the G bar opens on two notes
    assert _lone_basses(dyad, BAR)[0:6:2] == [48, 45, 41]  # C3, A2, F2 on their bars' 1


def test_a_take_s_own_note_on_a_six_eight_oom_pah_s_bass_is_the_bass(tmp_path: Path) -> None:
    """A take that lets the loop go by chance strikes a note of its own where the oom-pah
    strikes its bass alone: memory's copy or the network's note there was another (the C
    bar's C2 came back A2 or E3, its G2 C3, the G bar's G2 E3 and its D2 D3), the bar heard
    over another bass. ``on_the_bass`` makes it the loop's bass: rng seeds 3, 9, 13, 15 and
    21 (4 takes of 16 bars) each lost one dotted-quarter bass without it (its call in
    ``step_phases`` left out), none with it, and their takes still differ."""
    clip = _read(tmp_path, "oompah68", _oompah_six_eight())
    for rng_seed in (3, 9, 13, 15, 21):
        changed, distinct = _changed_downbeats(clip, range(rng_seed, rng_seed + 1), 1.5)
        assert changed == [], changed
        assert distinct == 4, rng_seed

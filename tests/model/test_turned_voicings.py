"""A turned chord keeps the clip's voicing: its spread (a left hand's root alone under a
seventh), no interval narrower than the clip has at that register, and its bass."""

from __future__ import annotations

from functools import cache

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.intervals import low_limit, narrowest_by_register, wide_enough
from segue.model.loop import LoopHistory
from segue.model.loop_chords import basses_of
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note

BAR = 96

# a neo-soul loop in shells: the left hand's root and seventh, the right hand's 3rd 5th 9th
# (or 13th) from E3 up: Dm9 G13 Cmaj9 Am9
SHELLS = (
    ((38, 48), (53, 57, 64)),
    ((43, 53), (59, 64, 69)),
    ((36, 47), (52, 55, 62)),
    ((45, 55), (60, 64, 71)),
)
# a lo-fi keys loop: a low root alone, the right hand close with its seconds from C4 up:
# Dm9 G13 Cmaj9 Fmaj7#11
LOFI = (
    ((50,), (60, 64, 65, 69)),
    ((43,), (59, 64, 65, 69)),
    ((48,), (59, 62, 64, 67)),
    ((53,), (59, 64, 67, 69)),
)


def _keys(chords: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]) -> Clip:
    """A keys loop: each bar's chord (left hand, right hand) struck on 1 and held, struck
    again on the "and" of 3."""
    notes = []
    for bar, (left, right) in enumerate(chords):
        for at, length in ((0.0, 2.5), (2.5, 1.4)):
            notes += [Note(p, bar * 4.0 + at, length, 80) for p in (*left, *right)]
    return Clip(tuple(notes), len(chords) * 4.0)


def _ballad() -> Clip:
    """A ballad's piano: G-Em-C-D, the left hand broken in eighths from the root, the right
    hand's triad on 1 and 3."""
    notes = []
    for bar, (root, triad) in enumerate(
        ((43, (59, 62, 67)), (40, (59, 64, 67)), (36, (60, 64, 67)), (38, (57, 62, 66)))
    ):
        for eighth, step in enumerate((0, 7, 12, 16, 12, 7, 12, 7)):
            notes.append(Note(root + step, bar * 4.0 + eighth * 0.5, 0.5, 72 - 8 * (eighth % 2)))
        for beat in (0.0, 2.0):
            notes += [Note(p, bar * 4.0 + beat, 1.9, 70) for p in triad]
    return Clip(tuple(notes), 16.0)


@cache
def _takes(clip: Clip, rng_seed: int) -> tuple[Clip, ...]:
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    params = GenerationParams(variations=8, bars=8, rng_seed=rng_seed)
    return tuple(take.clip for take in generate(producer, clip, params).variations)


def _chords(clip: Clip) -> dict[float, list[int]]:
    """The chords (three notes or more) struck together, by onset (beats)."""
    out: dict[float, list[int]] = {}
    for note in clip.notes:
        out.setdefault(round(note.start, 2), []).append(note.pitch)
    return {at: sorted(set(ps)) for at, ps in out.items() if len(set(ps)) >= 3}


def test_the_loop_s_narrowest_interval_by_register() -> None:
    notes = _keys(SHELLS).notes
    onsets = np.array([to_ticks(n.start) for n in notes])
    ends = np.array([to_ticks(n.start + n.duration) for n in notes])
    pitches = np.array([n.pitch for n in notes])
    narrowest = narrowest_by_register(onsets, ends, pitches)
    assert narrowest[35] == 128  # nothing below C2
    assert narrowest[36] == 11 and narrowest[38] == 10  # C2 B2, D2 C3: the left hand
    assert narrowest[47] == 5  # B2 E3: the hands
    assert narrowest[52] == 3  # E3 G3: the right hand's thirds
    wide = wide_enough(narrowest)
    assert not wide[40, 36] and not wide[43, 36] and wide[47, 36]  # on C2: E2, G2 no, B2
    assert not wide[50, 48] and wide[55, 52]  # C3 D3 no; E3 G3
    # below every interval of the loop's, the arranger's low limits: a fifth on Bb1 is
    # clear, a third on it is not
    assert wide[41, 34] and not wide[38, 34]
    assert list(low_limit(np.array([1, 3, 4, 7, 12, 15]))) == [52, 48, 46, 34, 0, 36]


def test_a_neo_soul_loop_s_turns_keep_its_left_hand_s_root_alone_under_a_seventh() -> None:
    """Turned voices put a third on the root of a neo-soul loop whose left hand is a root
    and a seventh (C2 E2 B2 G3 D4, D2 F2 A3 C4 E4: 12 of 16 takes, helper-112)."""
    clip = _keys(SHELLS)
    narrow = []
    for rng_seed in range(3):
        for n, take in enumerate(_takes(clip, rng_seed)):
            for at, chord in _chords(take).items():
                if chord[1] - chord[0] < 10:  # the loop's left hand: a seventh
                    narrow.append((rng_seed, n, at, chord))
    assert len(narrow) <= 1, narrow  # the network's own note, let go of the loop's


def test_a_lo_fi_loop_s_turns_put_no_second_or_third_on_its_low_root() -> None:
    """A lo-fi keys loop's turned voices went down an octave onto its root: C3 D3 E3 B3 G4
    (8 of 16 takes, helper-112); the loop has its seconds from C4 up and a root alone."""
    clip = _keys(LOFI)
    muddy = []
    for rng_seed in range(3):
        for n, take in enumerate(_takes(clip, rng_seed)):
            for at, chord in _chords(take).items():
                steps = np.diff(chord)
                low = np.array(chord[:-1])
                if ((steps <= 4) & (low < 55)).any():  # a 2nd or 3rd on a note below G3
                    muddy.append((rng_seed, n, at, chord))
    assert not muddy, muddy


def test_a_line_s_chord_keeps_its_bass() -> None:
    """A ballad's left hand broken in eighths under its right hand's chords is a line (its
    onsets mostly single notes), and its turns changed the bass on a bar's downbeat: F2 to
    C3 under an F chord (9 of 16 takes, 11 of 128 downbeats, helper-112)."""
    clip = _ballad()
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    assert turns.intervals is None  # a line, not a chord loop
    assert basses_of(np.array([0, 0, 0, 12, 48, 48]), np.array([43, 59, 62, 50, 55, 59])) == {
        0: 43,
        48: 55,
    }
    onsets = np.full(4, turns.clip_end + 3 * BAR)  # bar 4's downbeat: D2 under A D F#
    for pitch, turned in ((38, False), (57, True)):
        assert turns.voices_turned(np.ones(4, dtype=bool), onsets, np.full(4, pitch)).all() == (
            turned
        )


def test_a_ballad_s_turns_keep_the_bass_on_every_downbeat() -> None:
    """The ballad's takes (the left hand broken under the right hand's chords) play the
    loop's bass on every bar's downbeat; its later eighths may turn."""
    clip = _ballad()
    downbeats = {bar: min(p for p in _chords(clip)[bar * 4.0]) for bar in range(4)}
    changed = []
    for rng_seed in range(3):
        for n, take in enumerate(_takes(clip, rng_seed)):
            lowest: dict[int, int] = {}
            for note in take.notes:
                if note.start % 4.0 == 0:
                    bar = int(note.start // 4)
                    lowest[bar] = min(lowest.get(bar, 128), note.pitch)
            changed += [(rng_seed, n, b, p) for b, p in lowest.items() if p != downbeats[b % 4]]
    assert not changed, changed


def _harsh(a: Note, b: Note) -> int | None:
    """The interval (semitones, an octave and more by its class, 12-23) between two notes
    where ``a`` is struck while ``b`` sounds, None where it is not."""
    if not (b.start <= a.start < b.start + b.duration) or a.pitch == b.pitch:
        return None
    apart = abs(a.pitch - b.pitch)
    return apart if apart < 12 else 12 + apart % 12


def test_a_ballad_s_takes_strike_no_semitone_the_clip_lacks_where_it_strikes_its_chords() -> None:
    """A ballad's right-hand voices let go outside the turn came back a semitone, a major
    seventh or a minor ninth off the chord the left hand sounds (E4 over F2 and F4: 13 notes
    of 16 takes of helper-112's ballad, helper-119; 6 notes of these 24 takes): a line's
    chords are held to the loop's intervals as a chord loop's are."""
    clip = _ballad()
    have = {_harsh(a, b) for a in clip.notes for b in clip.notes}
    harsh = {1, 11, 13, 23} - have
    chords = {at % 16.0 for at in _chords(clip)}
    clashes = []
    for rng_seed in range(3):
        for n, take in enumerate(_takes(clip, rng_seed)):
            for a in take.notes:
                if round(a.start % 16.0, 2) in chords:
                    clashes += [(rng_seed, n, a, b) for b in take.notes if _harsh(a, b) in harsh]
    assert not clashes, clashes


def test_a_turned_voice_is_heard_against_the_voices_the_take_struck_below_it() -> None:
    """An open C-Am-F-G loop's G (G1 D2 B2 G3): a take whose B2 went to D3 turns its G3
    against G1 D2 D3, not against the B2 it no longer plays (a minor ninth: C4 was no
    pitch for it), and not onto the D3 it struck (two voices on one pitch are one)."""
    chords = ((36, 43, 52, 60), (33, 40, 48, 57), (29, 36, 45, 53), (31, 38, 47, 55))
    notes = [
        Note(p, bar * 4.0 + beat, 0.9, 80)
        for bar, c in enumerate(chords)
        for beat in range(4)
        for p in c
    ]
    clip = Clip(tuple(notes), 16.0)
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    turns = Turns(made, 1, np.random.default_rng(0))
    assert turns.intervals is not None  # a chord loop
    sounding = np.zeros((1, 128), dtype=bool)
    sounding[0, [31, 38, 50]] = True  # G1 D2, and D3 for the B2
    fits = turns.clashing(
        np.array([0]), np.array([turns.clip_end + 3 * BAR]), np.array([55]), sounding
    )
    assert fits is not None
    assert fits[0, 60] >= 1  # C4: clear of a semitone with G1 D2 D3
    assert fits[0, 50] == -1  # D3: the take's own voice
    assert fits[0, 47] >= 0  # B2: no voice now


def test_a_ballad_s_turned_right_hand_leaves_its_left_hand_no_minor_ninth() -> None:
    """helper-112's ballad (C-G-Am-F, the left hand broken in eighths under the right
    hand's triads): held to the notes its take had struck, a right-hand voice at the F chord
    took B3 over the F2, and the left hand's C3 after it struck a minor ninth under it
    (26 clashing pairs of notes in these 24 takes; 7 now)."""
    notes = []
    for bar, (root, triad) in enumerate(
        ((48, (60, 64, 67)), (43, (59, 62, 67)), (45, (60, 64, 69)), (41, (60, 65, 69)))
    ):
        for eighth, step in enumerate((0, 7, 12, 16, 12, 7, 12, 7)):
            notes.append(Note(root + step, bar * 4.0 + eighth * 0.5, 0.5, 72 - 8 * (eighth % 2)))
        for beat in (0.0, 2.0):
            notes += [Note(p, bar * 4.0 + beat, 1.9, 70) for p in triad]
    clip = Clip(tuple(notes), 16.0)
    harsh = {1, 11, 13, 23} - {_harsh(a, b) for a in clip.notes for b in clip.notes}
    clashes = []
    for rng_seed in range(3):
        for n, take in enumerate(_takes(clip, rng_seed)):
            for a in take.notes:
                clashes += [(rng_seed, n, a, b) for b in take.notes if _harsh(a, b) in harsh]
    assert len(clashes) <= 12, clashes


# a dorian vamp in close position, D3 to D4: Dm7 two bars, G two bars, struck once a bar
DORIAN = ((50, 53, 57, 60), (50, 53, 57, 60), (55, 59, 62), (55, 59, 62))


def test_a_close_g_turns_without_a_semitone_and_the_takes_differ() -> None:
    """A Dm7-G vamp (D3 to D4, helper-114's dorian loop): a take's turn put its G's B3 on C4
    and the D4 over it on B3, a semitone the clip never plays (G3 B3 C4 in 32 of 64 turned
    G chords, 16 takes of 16 bars). The D4 now keeps its pitch over the C4 (G3 C4 D4, the
    G's one clear voicing), and with one voicing for the G's two bars, the takes turn the
    Dm7 before it too, so they still differ."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    clip = Clip(
        tuple(Note(p, bar * 4.0, 3.9, 80) for bar, chord in enumerate(DORIAN) for p in chord),
        16.0,
    )
    takes = generate(producer, clip, GenerationParams(variations=4, bars=16, rng_seed=1))
    seen = set()
    for take in takes.variations:
        for chord in _chords(take.clip).values():
            assert not (59 in chord and 60 in chord), chord  # B3 under C4
        seen.add(tuple(sorted((n.start, n.pitch) for n in take.clip.notes)))
    assert len(seen) == 4


# helper-112's neo-soul loop: each bar's chord (left hand, right hand) struck on 1 and 3
NEOSOUL = (
    ((41,), (52, 57, 60, 67)),
    ((40,), (50, 55, 59, 66)),
    ((38,), (48, 53, 57, 64)),
    ((36,), (47, 52, 55, 62)),
)


def test_a_neo_soul_loop_s_turns_strike_no_semitone_the_clip_lacks() -> None:
    """Fmaj9 Em9 Dm9 Cmaj9 in the clip's voicings (its seconds are major ones, its sevenths
    major sevenths): turned voices struck a minor second against the loop's (F4 over E4, E3
    under F3): 16, 20 and 22 notes against a minor second or ninth in 4 takes of 16 bars at
    rng seeds 1, 2, 3; 0, 4 and 0 now."""
    clip = _keys(NEOSOUL)
    notes = [(to_ticks(n.start), to_ticks(n.start + n.duration), n.pitch) for n in clip.notes]

    def seconds(ns: list[tuple[int, int, int]]) -> int:
        return sum(
            1 for s, _, p in ns for s2, e2, q in ns if s2 <= s < e2 and abs(p - q) in (1, 13)
        )

    assert seconds(notes) == 0
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    takes = generate(producer, clip, GenerationParams(variations=4, bars=16, rng_seed=1))
    heard = 0
    for take in takes.variations:
        ns = [(to_ticks(n.start), to_ticks(n.start + n.duration), n.pitch) for n in take.clip.notes]
        heard += seconds(ns)
    assert heard == 0, heard


def _turns_of(clip: Clip) -> Turns:
    rows = clip_rows(clip)
    end = to_ticks(clip.length)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, end)
    assert made is not None
    return Turns(made, 4, np.random.default_rng(0))


def _fits(turns: Turns, bar: int, loop_pitch: int, sounding: list[int]) -> np.ndarray:
    """The clash levels (``Turns.clashing``) of a voice of the loop's ``loop_pitch`` turned at
    the downbeat of the loop's ``bar`` over the ``sounding`` pitches."""
    heard = np.zeros((1, 128), dtype=bool)
    heard[0, sounding] = True
    at = np.array([turns.clip_end + bar * BAR])
    fits = turns.clashing(np.array([0]), at, np.array([loop_pitch]), heard)
    assert fits is not None
    return fits[0]


def test_a_turned_voice_is_clear_pair_by_pair_of_what_it_sounds_with() -> None:
    """A neo-soul Dm9 (D2 | C3 F3 A3 E4) whose A3 a take turned to A4, a D4 of its own still
    sounding: its E4's turn had no pitch clear of both, E4 a major seventh over the F3 (the
    loop's own interval) but a second under the D4 (not the loop's), and it fell to E3, a
    semitone under the F3 (helper-187's takes, rng seed 1). Clear pair by pair, E4 is."""
    fits = _fits(_turns_of(_keys(NEOSOUL)), 2, 64, [38, 48, 53, 62, 69])
    assert fits[64] >= 1  # E4: the loop's major seventh over F3, a second under D4
    assert fits[52] == 0  # E3: a semitone under F3


def test_a_line_s_chord_is_clear_of_the_intervals_its_passing_notes_sound() -> None:
    """The ballad's left hand passes a G#3 under the right hand's G4 in its Em bar, a major
    seventh that its chords never sound: read as the loop's, it let a take's let-go G4 in
    the G chord come back F#4 over the G2 (rng seeds 2, 10, 17 and 23)."""
    fits = _fits(_turns_of(_ballad()), 0, 67, [43, 59, 62])  # G2 B3 D4 struck
    assert fits[67] == 2 and fits[71] == 2  # G4, B4
    assert fits[66] == 0  # F#4 over G2


def test_a_turned_voice_keeps_the_loop_s_spread_over_its_bass() -> None:
    """The neo-soul shells' Cmaj9 (C2 B2 | E3 G3 D4): two takes turning the B2, a B3 of
    their own still sounding, had no clear pitch of their own near it but for a fifth over
    the C2 (G2), where the loop's left hand is a root alone under a seventh (rng seed 2)."""
    fits = _fits(_turns_of(_keys(SHELLS)), 2, 47, [36, 59])
    assert fits[47] == 2  # B2
    assert (fits[37:47] <= 0).all()  # nothing nearer the C2 than its seventh


def test_each_request_s_copy_turns_voices_of_its_own_drawn_with_its_own_rng() -> None:
    """The turns kept for a clip are copied for each request (``Turns.drawing_with``): the
    copy's turned voicings draw with the request's rng, at the copy's own turns' places,
    over the loop's voicings that every copy shares; the same rng seed turns the same
    voices, another seed others, and the kept turns draw nothing."""
    kept = _turns_of(_keys(SHELLS))

    def turned(turns: Turns) -> list[list[int]]:
        out = []
        for phrase in range(4):
            last_bar = turns.clip_end + (4 * phrase + 3) * BAR
            for onset in (last_bar, last_bar + 60):  # the bar's chords: on 1, the "and" of 3
                chord = turns.chord_of(np.array([onset]))[0]
                assert chord is not None
                for row in range(4):
                    ranks = turns._turned_voicings.turned_ranks(chord, phrase, row, onset)
                    out.append(sorted(ranks))
        return out

    drawn = set()
    for seed in range(1, 9):
        copy = kept.drawing_with(np.random.default_rng(seed))
        voicings = copy._turned_voicings
        assert voicings._rng is copy._rng and voicings._turn_places is copy._turn_places
        assert voicings._voicings is kept._voicings  # the loop's, shared
        again = kept.drawing_with(np.random.default_rng(seed))
        assert turned(copy) == turned(again)
        drawn.add(str(turned(copy)))
    assert len(drawn) > 1
    assert not kept._turned_voicings._ranked and not kept._turn_places.turns


# pads of close triads held through the bar (helper-312's, helper-315's): each chord, its
# root and third (pitch classes), the beats a bar strikes it at, how long, the bar's beats
AM_F_C_G_PAD = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))
AM_F_C_G_THIRDS = ((9, 0), (5, 9), (0, 4), (7, 11))
DM_BB_C_PAD = ((50, 53, 57), (50, 53, 57), (46, 50, 53), (48, 52, 55))
PADS = {
    "am_f_c_g.mid": (AM_F_C_G_PAD, AM_F_C_G_THIRDS, (0.0,), 3.9, 4.0),
    "c_held.mid": (((60, 64, 67),) * 4, ((0, 4),) * 4, (0.0,), 3.9, 4.0),
    "dm_bb_c.mid": (DM_BB_C_PAD, ((2, 5), (2, 5), (10, 2), (0, 4)), (0.0, 2.0), 1.9, 4.0),
    "waltz.mid": (AM_F_C_G_PAD, AM_F_C_G_THIRDS, (0.0,), 2.9, 3.0),
}


@cache
def _pad_part(name: str) -> Clip:
    """The pad ``name`` of :data:`PADS` written to a MIDI file at 120 BPM and read back, as
    `segue generate` reads a clip (a waltz's in 3/4)."""
    import tempfile
    from pathlib import Path

    import pretty_midi

    from segue.midi_io import read_part

    chords, _, times, length, beats = PADS[name]
    midi = pretty_midi.PrettyMIDI(initial_tempo=120)  # a beat is half a second
    if beats == 3.0:
        midi.time_signature_changes.append(pretty_midi.TimeSignature(3, 4, 0.0))
    track = pretty_midi.Instrument(program=89)
    for bar, chord in enumerate(chords):
        for t in times:
            start = bar * beats + t
            for pitch in chord:
                track.notes.append(pretty_midi.Note(90, pitch, start / 2, (start + length) / 2))
    midi.instruments.append(track)
    with tempfile.TemporaryDirectory() as folder:
        midi.write(str(Path(folder) / name))
        return read_part(Path(folder) / name)[0]


@cache
def _pad_takes(clip: Clip, rng_seed: int) -> list[dict[float, list[int]]]:
    """The takes of a default request (model auto, 4 takes of 4 bars) on ``clip`` at
    ``rng_seed``: each take's pitches by onset (beats)."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    model = choose_model("auto")(clip).model
    params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
    out = []
    for take in generate(model, clip, params).variations:
        struck: dict[float, list[int]] = {}
        for n in take.clip.notes:
            struck.setdefault(round(n.start, 3), []).append(n.pitch)
        out.append({at: sorted(ps) for at, ps in struck.items()})
    return out


def test_a_pad_s_takes_play_no_open_fifth_where_its_chord_has_a_third() -> None:
    """A keyboard player re-voicing a pad keeps its third, which says major or minor, or now
    and then plays a real sus (its 2nd or 4th in the third's place) or a seventh; a C held
    four bars lost its third in 8 of 24 takes (C4 C5 G5, C4 G4 G5: a quarter of the turned
    chords drawn without their third, an open fifth where the take's voices leave no
    colour), an Am F C G pad in 4, a Dm Bb C pad's Bb2 D3 F3 let go to Bb2 F3 Bb3. No take
    of rng seeds 1-12 plays a chord of its root and fifth alone."""
    for name, (chords, thirds, _, _, beats) in PADS.items():
        if name == "waltz.mid":
            continue
        clip = _pad_part(name)
        for rng_seed in range(1, 13):
            for take in _pad_takes(clip, rng_seed):
                for at, pitches in take.items():
                    chord = chords[int(at % (4 * beats) // beats)]
                    root, third = thirds[int(at % (4 * beats) // beats)]
                    classes = {p % 12 for p in pitches}
                    bare = classes <= {root, (root + 7) % 12} and third not in classes
                    assert not bare, (name, rng_seed, at, chord, pitches)


def test_a_pad_s_takes_re_voice_its_chords_their_own_way_from_request_to_request() -> None:
    """A take re-voiced one chord of a pad, and a close triad near the top of its part's
    range has two or three voicings in it (a close F under an E4 top: F3 A3 F4, F3 C4 F4):
    the takes of rng seeds 1-6 were 10 of 24 (Am F C G), 14 (a C held four bars), 8 (Dm Bb C
    in half notes) and 10 (Am F C G in 3/4). A take's turn of a pad reaches two bars
    (``turn_kinds.HELD_BARS``): the chord it begins on re-voiced, the next mostly too
    (``turned_voicings.AGAIN``), each take's voicings its own; now 16 or more of 24 each
    (18, 16, 18, 18), and (17, 16, 21, 17) with the pad's top a fourth past its range
    (``voicings.OPENED``), its colours fewer. Every take keeps each chord's bass, root and
    third (a colour at most in the third's place, a sus), its onsets and the part's range,
    and the four takes of a request differ."""
    from segue.model.voicings import OPENED

    floors = {"am_f_c_g.mid": 16, "c_held.mid": 15, "dm_bb_c.mid": 16, "waltz.mid": 16}
    for name, (chords, thirds, times, _, beats) in PADS.items():
        clip = _pad_part(name)
        low, high = min(n.pitch for n in clip.notes), max(n.pitch for n in clip.notes)
        onsets = {bar * beats + t for bar in range(4) for t in times}
        past = name == "c_held.mid"  # a one-chord close triad: opened over its range
        every: set[tuple[tuple[float, tuple[int, ...]], ...]] = set()
        for rng_seed in range(1, 7):
            made = set()
            for take in _pad_takes(clip, rng_seed):
                assert {at % (4 * beats) for at in take} == onsets, (name, rng_seed)
                for at, pitches in take.items():
                    chord = chords[int(at % (4 * beats) // beats)]
                    root, third = thirds[int(at % (4 * beats) // beats)]
                    classes = {p % 12 for p in pitches}
                    where = (name, rng_seed, at, chord, pitches)
                    assert pitches[0] == chord[0], where  # its bass
                    assert root in classes, where
                    assert len(classes - {p % 12 for p in chord}) <= 1, where  # a colour
                    if third not in classes:  # a sus in its place, or a seventh
                        assert classes - {p % 12 for p in chord}, where
                    top = high + 12 if past else high + OPENED  # a fourth (was BEYOND's 2)
                    assert low - 2 <= pitches[0] and pitches[-1] <= top, where
                key = tuple(sorted((at, tuple(ps)) for at, ps in take.items()))
                made.add(key)
            assert len(made) == 4, (name, rng_seed)  # each take its own
            every |= made
        assert len(every) >= floors[name], (name, len(every))


def test_a_pad_s_close_triad_at_its_top_puts_its_root_on_top_a_fourth_past_it() -> None:
    """A Dm Bb C pad in half notes (D3 F3 A3, Bb2 D3 F3, C3 E3 G3: its top A3) had no
    re-voicing of its Dm's own classes within a whole step of its top, and its takes coloured
    the Dm whenever they turned it (Dsus2, Dsus4, Dm7); of its turned chords 166 of 222 were
    coloured (rng seeds 1-24). An Am F C G pad's F (F3 A3 C4 under an E4 top) had one, F3 A3
    F4. A keyboard player puts the Dm's root on top (D3 F3 D4) or opens the F (F3 C4 A4), a
    fourth past the pad's top (``voicings.OPENED``): takes of rng seeds 1-6 play both, and
    none reaches further."""
    from segue.model.voicings import OPENED

    for name, voicing in (("dm_bb_c.mid", [50, 53, 62]), ("am_f_c_g.mid", [53, 60, 69])):
        clip = _pad_part(name)
        high = max(n.pitch for n in clip.notes)
        played = []
        for rng_seed in range(1, 7):
            for take in _pad_takes(clip, rng_seed):
                for at, pitches in take.items():
                    assert pitches[-1] <= high + OPENED, (name, rng_seed, at, pitches)
                    played.append(pitches)
        assert voicing in played, name


def test_a_pad_s_turned_chords_take_a_colour_now_and_then_not_most_of_the_time() -> None:
    """A keyboard player re-voicing a pad mostly plays the same chord in another inversion or
    spacing, a colour (a sus, a seventh, an added ninth) now and then. Each take playing a
    voicing of its own there, its turned chords' colours were most of them: a Dm Bb C pad in
    half notes coloured 41 of 54 turned chords (rng seeds 1-6), an Am F C G pad 20 of 40;
    with the pad's top a fourth past its range (``voicings.OPENED``) 27 of 66 and 13 of 37,
    the takes after the first on a chord whose plain voicings were taken playing a colour
    (the C's one, C3 E3 C4). A take reaching a chord from its first leads on to a plain
    re-voicing another take plays there too (``TurnedVoicings._held_voicing``): a third of
    the turned chords at most take a colour."""
    for name in ("dm_bb_c.mid", "am_f_c_g.mid"):
        chords = PADS[name][0]
        beats = PADS[name][4]
        clip = _pad_part(name)
        turned = coloured = 0
        for rng_seed in range(1, 7):
            for take in _pad_takes(clip, rng_seed):
                for at, pitches in take.items():
                    chord = chords[int(at % (4 * beats) // beats)]
                    if tuple(pitches) == chord:
                        continue
                    turned += 1
                    coloured += bool({p % 12 for p in pitches} - {p % 12 for p in chord})
        assert 3 * coloured <= turned, (name, coloured, turned)


HIGH_PAD = ((69, 72, 76), (65, 69, 72), (67, 72, 76), (67, 71, 74))  # Am F C/G G at A4 C5 E5


def test_a_high_pad_s_takes_invert_its_chords_under_its_top_as_over_it() -> None:
    """A pad over middle C (Am F C/G G at A4 C5 E5, whole notes) is a keyboard player's right
    hand, not the track's bass: its takes re-voice its chords as inversions too
    (``voicings.inversions``), down under its top (C/G -> E4 G4 C5) as readily as up
    (C5 E5 G5, G -> B4 D5 G5), within its range below and its top a fourth past it above.
    Kept to its bass, its C/G had no plain re-voicing there, and 73 of its 133 turned chords
    were coloured (rng seeds 1-24); now a quarter. The same pad an octave down keeps every
    chord's bass, as before."""
    from segue.model.voicings import BEYOND, OPENED

    def takes(chords: tuple[tuple[int, ...], ...], rng_seed: int) -> list[dict[float, list[int]]]:
        notes = tuple(Note(p, bar * 4.0, 4.0, 96) for bar, c in enumerate(chords) for p in c)
        return _pad_takes(Clip(notes, 16.0), rng_seed)

    turned = coloured = 0
    inverted = set()
    for rng_seed in range(1, 7):
        for take in takes(HIGH_PAD, rng_seed):
            for at, pitches in take.items():
                chord = HIGH_PAD[int(at % 16 // 4)]
                if tuple(pitches) == chord:
                    continue
                turned += 1
                coloured += bool({p % 12 for p in pitches} - {p % 12 for p in chord})
                assert 65 - BEYOND <= pitches[0] and pitches[-1] <= 76 + OPENED, (at, pitches)
                if pitches[0] != chord[0]:
                    assert {p % 12 for p in pitches} == {p % 12 for p in chord}, (at, pitches)
                    inverted.add(tuple(pitches))
    assert (64, 67, 72) in inverted and (72, 76, 79) in inverted  # C/G under its top, over it
    assert 3 * coloured <= turned, (coloured, turned)
    low = tuple(tuple(p - 12 for p in chord) for chord in HIGH_PAD)
    for rng_seed in range(1, 7):
        for take in takes(low, rng_seed):
            for at, pitches in take.items():
                assert pitches[0] == low[int(at % 16 // 4)][0], (rng_seed, at, pitches)

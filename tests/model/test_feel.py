"""The clip's timing off the grid: where a clip note lies off the 24-tick grid, a
continuation's note at its place in the loop plays as it does; a note of the network's own
plays as the clip plays its place, or the 16th of the beat it falls on."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from segue.grid import TICKS_PER_BEAT
from segue.model.architecture import ModelConfig
from segue.model.feel import Feel, clip_feel, played_times
from segue.model.generate import generate
from segue.model.lstm import SegueLSTM
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note, TimeSignature

TICK = 1 / TICKS_PER_BEAT


def felt(
    onset: int,
    pitch: int,
    duration: int,
    notes: dict[tuple[int, int], tuple[float, float, int]],
    clip_end: int,
    loop: int,
    span: float | None,
) -> tuple[float, float] | None:
    """The start and length of a note played as a clip with only these notes off the grid
    plays its place."""
    timing = Feel(notes).timing(onset, pitch, duration, clip_end, loop, span)
    return None if timing is None else timing[:2]


@pytest.fixture(scope="module")
def network() -> SegueLSTM:
    torch.manual_seed(0)
    return SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1)).eval()


def swung(percent: float, bars: int = 1) -> Clip:
    """16ths swung at ``percent`` (50: straight; 66.7: triplets): the off 16th of each 8th
    at ``percent`` of it."""
    notes = []
    for eighth in range(8 * bars):
        on = eighth * 0.5
        off = on + 0.5 * percent / 100
        notes += [Note(48 + eighth % 4, on, off - on, 90), Note(55, off, on + 0.5 - off, 70)]
    return Clip(tuple(notes), 4.0 * bars)


def test_the_notes_off_the_grid_and_how_far() -> None:
    feel = clip_feel(swung(54).notes)
    assert len(feel.notes) == 16  # every note's end or start: each off 16th at 0.27 beats
    early, late, length = feel.notes[(6, 55)]  # 0.27 beats is tick 6.48: tick 6, 0.48 late
    assert early == pytest.approx(0.27 - 6 * TICK) and length == 6
    assert late == pytest.approx(0.5 - 12 * TICK)  # it ends on the grid: none
    assert not clip_feel(swung(50).notes)  # on the grid: nothing to keep
    held = clip_feel([Note(60, 0.01, 0.99, 90), Note(60, 0.0, 0.5, 90)])
    assert held.notes[(0, 60)][2] == 24  # of notes on one tick and pitch, the longest (grid_rows)


def test_a_note_at_a_clip_notes_place_plays_as_it_does() -> None:
    feel = {(6, 55): (0.02, 0.0, 6)}
    loop, end = 96, 96  # a one-bar clip, continued from its end
    start, length = felt(96 + 6, 55, 6, feel, end, loop, None) or (0, 0)
    assert start == pytest.approx(6 * TICK + 0.02) and length == pytest.approx(6 * TICK - 0.02)
    again = felt(96 + 96 + 6, 55, 6, feel, end, loop, None)  # a loop later
    assert again is not None and again[0] == pytest.approx(4 + 6 * TICK + 0.02)
    assert felt(96 + 6, 56, 6, feel, end, loop, None) is None  # another pitch: the grid
    assert felt(96 + 7, 55, 6, feel, end, loop, None) is None  # another place
    longer = felt(96 + 6, 55, 12, feel, end, loop, None)  # another length: the end moves with
    assert longer is not None and longer[1] == pytest.approx(12 * TICK)  # the start
    early = felt(96, 60, 6, {(0, 60): (-0.01, 0.0, 6)}, end, loop, None)
    assert early is not None and early[0] == 0.0  # never before the continuation begins
    assert felt(96 + 6, 55, 6, feel, end, loop, span=0.3) == pytest.approx((0.27, 0.03))


def test_a_swung_loop_goes_on_swung_and_a_played_take_as_it_was_played(
    network: SegueLSTM,
) -> None:
    """54% swing came back as straight 16ths in every repeat, 62% as 58.3%."""
    from segue.model.loop import CELLS

    kept = network.config
    network.config = replace(
        network.config, loop=(0.999,) * CELLS, loop_strength=16.0, loop_slip=0.0
    )
    try:
        for percent in (54, 62):
            clip = swung(percent)
            params = GenerationParams(bars=2, variations=2, rng_seed=3, temperature=0)
            for variation in generate(network, clip, params).variations:
                offs = [n.start % 0.5 for n in variation.clip.notes if n.pitch == 55]
                assert len(offs) == 16
                assert offs == pytest.approx([0.5 * percent / 100] * 16)
    finally:
        network.config = kept


def test_a_clip_asked_again_is_played_with_the_feel_read_for_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The clip's feel is kept with the network's weights (``generate._kept_feel``): a
    request for the same clip reads it no more, and plays its takes as the first did."""
    import segue.model.generate as generation

    read: list[int] = []

    def counted(*args: object, **kwargs: object) -> Feel:
        read.append(1)
        return clip_feel(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generation, "clip_feel", counted)
    torch.manual_seed(0)  # a network of its own: no clip read before
    net = SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1)).eval()
    params = GenerationParams(bars=2, variations=2, rng_seed=3)
    first = generate(net, swung(62), params)
    again = generate(net, swung(62), params)
    assert len(read) == 1  # read once
    assert again.variations == first.variations  # played with the same feel
    offs = {round(n.start % 0.5, 6) for v in again.variations for n in v.clip.notes}
    assert offs - {0.0, 0.25}  # played off the grid, as the clip is
    generate(net, swung(54), params)
    assert len(read) == 2  # another clip: its own feel
    generate(net, swung(62), replace(params, rng_seed=4))
    assert len(read) == 2  # the same clip, other takes: the feel kept


def test_the_clips_places_and_groove() -> None:
    """62% swing: each off 16th at 0.31 beats (tick 7.44), 0.06 beats after the 16th, where
    the network hears it (heard_tick)."""
    feel = clip_feel(swung(62).notes)
    off = {tick: offset for tick, offset in feel.places.items() if offset}
    assert off == pytest.approx({6 + 12 * k: 0.06 for k in range(8)})
    assert all(feel.places[12 * k] == 0.0 for k in range(8))  # the 8ths on the beat: on it
    assert feel.slots == pytest.approx({6: 0.06, 18: 0.06})  # the on-beat 8ths: none
    one = clip_feel([Note(60, 0.0, 1.0), Note(62, 1.27, 0.5), Note(64, 2.0, 1.0)])
    assert one.places and not one.slots  # one note off a 16th is a note, not a groove
    assert not clip_feel(swung(50).notes)


def test_a_note_of_the_networks_own_plays_as_the_clip_plays_its_place() -> None:
    feel = clip_feel(swung(62).notes)
    end, loop = 96, 96
    other = feel.timing(96 + 6, 60, 5, end, loop, None)  # a turn: the clip's place
    assert other == pytest.approx((0.31, 5 * TICK, True))
    own = feel.timing(96 + 4 * 24 + 6, 60, 6, end, loop, None)  # a straight 16th: swung
    assert own == pytest.approx((4.31, 0.25, True))
    assert feel.timing(96 + 3, 60, 3, end, loop, None) is None  # a 32nd: the grid
    assert feel.timing(96 + 12, 60, 6, end, loop, None) is None  # an 8th: the clip's is on it


def test_a_note_of_another_pitch_at_a_clip_note_s_place_and_length_ends_as_it_does() -> None:
    """A house bass's 0.4-beat gates came back 0.417 (the grid's 10 ticks) in every take's
    turned note, which plays another pitch in the loop's rhythm (helper-65)."""
    clip = Clip(tuple(Note(36, i + 0.5, 0.4, 110) for i in range(4)), 4.0)
    feel = clip_feel(clip.notes)
    loop = 4 * TICKS_PER_BEAT
    end = loop
    turned = feel.timing(end + 2 * TICKS_PER_BEAT + 12, 31, 10, end, loop, None)  # G1, 10 ticks
    assert turned is not None and turned[0] == pytest.approx(2.5)
    assert turned[1] == pytest.approx(0.4)
    assert feel.timing(end + 12, 31, 12, end, loop, None) is None  # another length: the grid's


def test_a_moved_note_stops_where_the_next_begins_and_stays_between_its_neighbours() -> None:
    feel = Feel(slots={6: 0.06})
    rows = [(6, 40, 6), (12, 43, 12)]  # a 16th on the off 16th, then an 8th: legato
    assert np.asarray(played_times(rows, feel, 0, 96, None)) == pytest.approx(
        np.array([(0.31, 0.19), (0.5, 0.5)])
    )
    close = [(6, 40, 2), (7, 41, 2)]  # a note a tick later: moved, it would follow it
    assert np.asarray(played_times(close, feel, 0, 96, None)) == pytest.approx(
        np.array([(0.25, 2 * TICK), (7 * TICK, 2 * TICK)])
    )
    on_grid_swing = Feel(slots={6: TICK})  # 58.3%: the off 16th a tick late, on the grid
    with_a_hat = played_times([(6, 36, 2), (7, 42, 2)], on_grid_swing, 0, 96, None)
    assert np.asarray(with_a_hat)[:, 0] == pytest.approx([7 * TICK, 7 * TICK])  # together
    # the clip's swung 16ths snap to tick 7 and are played at .3104: the network's 16th on
    # tick 6, swung to .31, lands with them, not a flam .06 ahead of them (helper-42)
    played_late = Feel(places={7: 0.3104 - 7 * TICK}, slots={6: 0.06})
    beat = played_times([(96 + 6, 38, 2), (96 + 7, 42, 2)], played_late, 96, 96, None)
    assert np.asarray(beat)[:, 0] == pytest.approx([0.31, 0.3104])
    twice = played_times([(6, 42, 2), (7, 42, 2)], on_grid_swing, 0, 96, None)
    assert np.asarray(twice)[:, 0] == pytest.approx([6 * TICK, 7 * TICK])  # not a flam
    legato = Feel(notes={(0, 40): (0.0, 0.02, 12), (12, 43): (0.0, 0.0, 12)})
    kept = played_times([(24, 40, 12), (36, 43, 12)], legato, 24, 24, None)
    assert np.asarray(kept) == pytest.approx(
        np.array([(0.0, 0.52), (0.5, 0.5)])
    )  # the clip's own overlap stays


def test_a_continuation_without_the_loop_swings_its_own_16ths(network: SegueLSTM) -> None:
    """With the clip memory off, the network's own 16ths came back straight in a swung
    clip: on the off 16ths 0.06 beats early, at 62% swing."""
    clip = swung(62, bars=2)
    params = GenerationParams(bars=4, variations=16, rng_seed=5, memory=0.0)  # (a single
    starts = [n.start for v in generate(network, clip, params).variations for n in v.clip.notes]
    phase = np.round(np.asarray(starts) % 0.5, 6)  # line goes on as one: 16 takes' worth)
    assert np.count_nonzero(phase == 0.31) >= 4  # the network's off 16ths, swung
    assert np.count_nonzero(phase == 0.25) == 0  # none straight


def test_a_played_clip_is_heard_on_its_16ths_and_played_as_it_was() -> None:
    """A bass played 5-25 ms around the beat (110 BPM) reached the network rounded to the
    nearest tick, a tick off the beat, and the network went on a tick off the beat: 8ths
    on the off 16ths (helper-58). Within 1.5 ticks of a 16th, a note off the grid is heard
    on the 16th; its offset is its feel. A note on the grid (a 32nd, a triplet, tick 7 of a
    58.3% swing) is heard where it is, and a note further off at its nearest tick."""
    from segue.model.feel import Hearing, as_heard

    late, early = 0.037, 1.5 - 0.04  # about 20 ms at 110 BPM
    tick = Hearing().tick
    assert [tick(x) for x in (late, early, 0.31)] == [0, 36, 6]
    assert [tick(x) for x in (0.125, 1 / 3, 7 / 24, 0.3333334)] == [3, 8, 7, 8]
    assert tick(0.07) == 2  # 1.68 ticks from the beat: its nearest tick
    played = Clip((Note(36, late, 0.4, 100), Note(43, early, 0.45, 90), Note(38, 2.0, 0.5)))
    heard = as_heard(played)
    assert [n.start for n in heard.notes] == [0.0, 1.5, 2.0]
    assert [n.end for n in heard.notes] == pytest.approx([n.end for n in played.notes])
    feel = clip_feel(played.notes)
    assert feel.notes[(0, 36)][0] == pytest.approx(late)  # played again as it was
    assert feel.notes[(36, 43)][0] == pytest.approx(-0.04)


def test_a_played_loop_s_last_note_just_before_its_end_is_heard_before_it() -> None:
    """A loop whose next downbeat was played 20 ms early (3.96 of a 4-beat clip) was heard
    on the clip's end, and the clip was refused: "ends before its last note starts"
    (helper-60)."""
    from segue.model.feel import as_heard, hearing_of

    loop = Clip(tuple(Note(p, at, 0.5, 100) for p, at in ((36, 0), (36, 1), (43, 2), (41, 3))))
    loop = Clip((*loop.notes, Note(36, 3.96, 0.3, 100)), 4.0)
    assert hearing_of(loop).tick(3.96) == 95
    assert as_heard(loop).notes[-1].start == pytest.approx(95 / 24)
    # 5 ms early, nearer the end than half a tick (helper-61), and in 7/8
    assert hearing_of(loop).tick(3.985) == 95 and hearing_of(loop).tick(3.99999999) == 95
    seven = Clip((Note(60, 0, 0.5), Note(67, 3.485, 0.5)), 3.5, TimeSignature(7, 8))
    assert as_heard(seven).notes[-1].start == pytest.approx(83 / 24)
    network = SegueLSTM(ModelConfig(hidden=16, embed=8, layers=1)).eval()
    assert generate(network, loop, GenerationParams(bars=1, rng_seed=1)).variations


def test_a_played_shuffle_is_heard_on_its_triplets_and_a_swing_on_its_16ths() -> None:
    """A shuffle's off-beat 8th played 11 ms late (tick 16.53) was heard as a 16th at 18."""
    from segue.model.feel import as_heard, hearing_of

    shuffle = Clip(
        tuple(Note(40, b + at, 0.3) for b in range(4) for at in (0.0, 2 / 3 + 0.022)), 4.0
    )
    hearing = hearing_of(shuffle)
    assert hearing.step == 8 and hearing.tick(2 / 3 + 0.022) == 16
    assert hearing_of(swung(62)).tick(0.31) == 6  # its 8ths on the beat's middle: 16ths
    assert hearing_of(swung(62)).step == 6
    # a bar of 16ths played 12 ms late in a clip of triplets: each beat on its own grid
    # (the 16ths were heard at 0, 8, 13, 19: triplets, and neither grid; helper-61)
    late = tuple(Note(60 + k, b + k / 4 + 0.025, 0.2) for b in range(4) for k in range(4))
    triplets = tuple(Note(64 + k, b + k / 3, 0.3) for b in range(4, 12) for k in range(3))
    mixed = Clip(late + triplets, 12.0)
    heard = [round(n.start * 24, 6) for n in as_heard(mixed).notes]
    assert heard[:8] == [0, 6, 12, 18, 24, 30, 36, 42] and heard[16:19] == [96, 104, 112]


def test_a_straight_clip_with_32nds_stays_on_the_grid() -> None:
    """A 32nd lies halfway between two 16ths: counted as one played 1/8 beat early, a
    straight run of 32nds came back with every other note 1/16 beat early."""
    run = Clip(tuple(Note(48 + i % 12, i / 8, 1 / 12, 90) for i in range(32)), 4.0)
    feel = clip_feel(run.notes)
    assert not feel and not feel.slots
    pickups = Clip(  # 16ths with a 32nd before each beat: the beat's own 16ths on the grid
        tuple(Note(40, b + i / 4, 0.2, 90) for b in range(4) for i in range(4))
        + tuple(Note(43, b + 0.875, 0.1, 80) for b in range(4)),
        4.0,
    )
    feel = clip_feel(pickups.notes)  # (its notes' ends lie off the grid: kept as they are)
    assert not feel.slots and not any(feel.places.values())


def test_repeats_as_played_never_run_over_a_note_of_their_pitch() -> None:
    """A pad's legato release (4.02 beats) ran into the next E of a take, and the synth's
    note-off cut that one to 0.02 beats."""
    feel = Feel(notes={(0, 52): (0.0, 0.02, 96)})  # the clip's E held over its bar line
    rows = [(96, 52, 96), (192, 52, 96)]  # its repeats, a bar apart
    times = np.asarray(played_times(rows, feel, 96, 96, None))
    assert times[1, 0] == pytest.approx(4.0)
    assert times[0, 0] + times[0, 1] == pytest.approx(4.0)  # stops where the next begins


def test_a_pitch_the_clips_timing_puts_twice_at_one_moment_sounds_once() -> None:
    late = Feel(notes={(0, 42): (2 * TICK, 2 * TICK, 4)})  # the clip's hat, 2 ticks late
    rows = [(96, 42, 4), (98, 42, 2)]  # its repeat, and the network's own hat 2 ticks on
    times = np.asarray(played_times(rows, late, 96, 96, None))
    assert times[:, 0] == pytest.approx([2 * TICK, 2 * TICK])
    assert np.isnan(times[:, 1]).sum() == 1  # one of them is left out


def test_a_shuffle_in_8ths_plays_the_networks_offbeat_8ths_late() -> None:
    """8ths at two-thirds of the beat (tick 16) were read as early 16ths (at 18): the
    network's own off-beat 8ths stayed straight, and its 16ths moved onto the shuffle."""
    shuffle = [Note(40 + b % 3, b + at, 0.25, 90) for b in range(4) for at in (0, 2 / 3)]
    feel = clip_feel(shuffle)
    assert feel.slots == pytest.approx({12: 4 * TICK})
    own = feel.timing(96 + 12, 50, 6, 96, 96, None)  # the network's 8th off the beat
    assert own is not None and own[0] == pytest.approx(2 / 3)
    assert feel.timing(96 + 18, 50, 6, 96, 96, None) is None  # a 16th: as it is
    swung16 = clip_feel(swung(66.7).notes)  # 16ths in triplets: read by 16ths, as before
    assert set(swung16.slots) == {6, 18}


def test_a_changed_chord_is_rolled_as_the_clips_chord_at_its_place() -> None:
    """A Rhodes loop played with rolled chords (each note ~13 ms after the one below it at
    90 BPM) came back with a changed chord struck together, every note at the roll's median."""
    chords = [(52, 55, 59, 62), (48, 52, 55, 59)]
    seed = tuple(
        Note(p, bar * 4 + k * 0.02, 3.8 - k * 0.02, 80)
        for bar, chord in enumerate(chords)
        for k, p in enumerate(chord)
    )
    feel = clip_feel(seed)
    end, loop = 8 * TICKS_PER_BEAT, 8 * TICKS_PER_BEAT
    changed = np.array([[end + 4 * TICKS_PER_BEAT, p, 91] for p in (59, 50, 45, 55)])  # Bm7-ish
    times = played_times(changed, feel, end, loop, None)
    by_pitch = dict(zip(changed[:, 1].tolist(), (times[:, 0] - 4).round(6).tolist(), strict=True))
    assert by_pitch == {45: 0.0, 50: 0.02, 55: 0.04, 59: 0.06}  # 55 and 59 are the clip's own
    fewer = played_times(changed[1:3], feel, end, loop, None)  # 50 and 45: the roll's lowest
    assert sorted((fewer[:, 0] - 4).round(6).tolist()) == [0.0, 0.02]


def test_a_chord_a_take_changed_is_rolled_whole_its_clip_voices_too() -> None:
    """A take that turned a rolled C chord's bass into an A on top (C E G C -> E G A C) kept
    E, G and C at their own offsets (0.02, 0.04, 0.06) and gave the A its rank's (0.04): G
    and A struck together, nothing on the roll's first place. The whole chord now takes the
    clip's roll, lowest first; a chord of only the clip's voices there (an arranger's
    reduction) and a single note keep the clip's own offsets."""
    seed = tuple(
        Note(p, bar * 4 + k * 0.02, 3.8 - k * 0.02, 80)
        for bar in range(2)
        for k, p in enumerate((48, 52, 55, 60))
    )
    feel = clip_feel(seed)
    end, loop = 8 * TICKS_PER_BEAT, 4 * TICKS_PER_BEAT

    def starts(pitches: tuple[int, ...]) -> dict[int, float]:
        rows = np.array([[end, p, 91] for p in pitches])
        times = played_times(rows, feel, end, loop, None)
        return dict(zip(pitches, times[:, 0].round(6).tolist(), strict=True))

    assert starts((52, 55, 57, 60)) == {52: 0.0, 55: 0.02, 57: 0.04, 60: 0.06}
    assert starts((48, 50, 52, 57)) == {48: 0.0, 50: 0.02, 52: 0.04, 57: 0.06}
    assert starts((48, 60)) == {48: 0.0, 60: 0.06}  # the clip's own voices, as it plays them
    assert starts((55,)) == {55: 0.04}


def test_a_beat_s_pads_struck_together_keep_their_own_timing() -> None:
    """A boom-bap beat: its snare laid back 0.06 beats on 2 and 4, its hat on the beat. Read
    as a rolled chord, a take that added a kick beside them took the roll by pitch: the kick
    got the snare's 0.06 and the snare the hat's 0.0 (a take's backbeat came early in 4 of
    16 bars). Of a beat no rolls: each pad keeps its own."""
    seed = tuple(
        note
        for beat in range(8)
        for note in (Note(42, float(beat), 0.2, 80), Note(38, beat + 0.06, 0.2, 110))
        if note.pitch == 42 or beat % 2
    )
    end, loop = 8 * TICKS_PER_BEAT, 8 * TICKS_PER_BEAT
    rows = np.array([[end + TICKS_PER_BEAT, p, 12] for p in (36, 38, 42)])  # a kick added
    for drums, snare in ((True, 1.06), (False, 1.0)):
        times = played_times(rows, clip_feel(seed, drums=drums), end, loop, None)
        by_pitch = dict(zip((36, 38, 42), times[:, 0].round(6).tolist(), strict=True))
        assert by_pitch[38] == snare and by_pitch[42] == 1.0, (drums, by_pitch)


@pytest.mark.parametrize("gap", [0.03, 0.04, 0.08])
@pytest.mark.parametrize("down", [False, True])
def test_a_wide_roll_is_one_chord_and_a_changed_chord_takes_all_of_it(gap, down) -> None:
    """A pad rolled 0.03-0.08 beats a voice (15-40 ms at 120 BPM) was heard as a chord and a
    note after it: its top voice lies more than 1.5 ticks late, and took a tick of its own.
    A take's changed chord then rolled its lower voices as the clip does and played its
    top note apart: 228 of 389 changed chords of rolled pads and strums (producer), 0 now.
    The roll is heard on its first voice's tick, and a changed chord takes all its offsets.
    A grace note and a fast run of short notes are no roll."""
    from segue.model.feel import as_heard, hearing_of

    voices = sorted((48, 52, 55, 60), reverse=down)
    seed = tuple(
        Note(p, bar * 4 + k * gap, 3.8 - k * gap, 80)
        for bar in range(2)
        for k, p in enumerate(voices)
    )
    heard = as_heard(Clip(seed, 8.0))
    assert sorted({n.start for n in heard.notes}) == [0.0, 4.0]  # one chord a bar
    feel = clip_feel(seed, hearing=hearing_of(Clip(seed, 8.0)))
    end, loop = 8 * TICKS_PER_BEAT, 4 * TICKS_PER_BEAT
    changed = (50, 53, 57, 62)
    rows = np.array([[end, p, 91] for p in changed])
    starts = played_times(rows, feel, end, loop, None)[:, 0].round(6).tolist()
    offsets = [round(k * gap, 6) for k in range(4)]
    assert starts == (offsets[::-1] if down else offsets)  # lowest first, as the clip's
    from segue.model.feel import rolled_voices

    grace = (Note(60, 0.0, 0.06, 80), Note(62, 0.06, 1.0, 80))
    run = tuple(Note(60 + k, k * 0.08, 0.05, 80) for k in range(4))
    assert rolled_voices(grace) == rolled_voices(run) == {}


def test_a_legato_run_or_trill_is_no_roll() -> None:
    """A run in 32nd triplets at 100 BPM, each note held 15 ms into the next, and a trill in
    64ths at 90 BPM held 30 ms into the next, were read as rolled pairs: their takes turned
    the pairs' top notes an octave up (13 of 20 takes of the run, helper-95). A roll's voices
    ring on through the later voices; a legato line's stop soon after the next is struck."""
    from segue.model.feel import rolled_voices

    step, held = 1 / 12, 1 / 12 + 0.025  # 32nd triplets at 100 BPM, 15 ms into the next
    run = tuple(Note(57 + (0, 2, 3, 5, 7, 8, 10)[k % 7], k * step, held, 80) for k in range(14))
    step, held = 1 / 16, 1 / 16 + 0.045  # 64ths at 90 BPM, 30 ms into the next
    trill = tuple(Note((72, 74)[k % 2], k * step, held, 80) for k in range(16))
    assert rolled_voices(run) == rolled_voices(trill) == {}
    strum = tuple(Note(p, k * 0.04, 1.9 - k * 0.04, 80) for k, p in enumerate((48, 52, 55, 60)))
    assert rolled_voices(strum) == {0.04: 0.0, 0.08: 0.0, 0.12: 0.0}


def test_a_roll_s_voices_are_no_16ths_of_the_groove() -> None:
    """A pad or a strum rolled 0.06 beats a voice was read as a groove: its voices at 0 and
    0.06 as the beat's 16th played 0.03 late, those at 0.12 and 0.18 as the second 16th
    played 0.07 early, and the network's own notes there came back so. A roll's later
    voices are its chord's, no 16th of the groove."""
    pad = tuple(
        Note(p, bar * 4 + k * 0.06, 3.8 - k * 0.06, 80)
        for bar in range(2)
        for k, p in enumerate((48, 52, 55, 60))
    )
    strum = tuple(
        Note(p, beat + k * 0.06, 0.9 - k * 0.06, 80)
        for beat in range(8)
        for k, p in enumerate((48, 52, 55, 60))
    )
    assert clip_feel(pad).slots == clip_feel(strum).slots == {}


def test_a_late_grace_is_no_roll_and_a_note_at_its_place_plays_on_the_beat() -> None:
    """A bass's blip a semitone under its note, struck 20-30 ms after it (0.04-0.08 beats
    at 120-160 BPM) and 0.08-0.13 long, was read as a roll's second voice: its note's next
    repeat was heard on the grace's tick, where under the line's one voice the grace took it
    (bass takes of 24 notes with 16), and a take's turned note there, the roll's lowest, was
    struck at the grace's late place. A late grace is no voice of a roll: a take's note at
    its place plays as its note does, one as short as the grace as the grace does."""
    from segue.model.feel import rolled_voices

    for late, grace in ((0.04, 0.08), (0.08, 0.133)):
        bass = tuple(
            note
            for beat in range(8)
            for note in (Note(40, beat, 0.9, 100), Note(39, beat + late, grace, 80))
        )
        assert rolled_voices(bass) == {}
        feel = clip_feel(bass)
        clip_end, loop = 8 * TICKS_PER_BEAT, 8 * TICKS_PER_BEAT
        turned = feel.timing(clip_end, 45, 21, clip_end, loop, None, 0, frozenset({45}))
        assert turned is None or abs(turned[0]) < 1e-9  # on the beat, as the bass's note
        blip = feel.timing(clip_end, 38, 2, clip_end, loop, None, 0, frozenset({38, 40}))
        if late < 1.5 * TICK:  # heard on the note's tick: a turned grace is played late
            assert blip is not None and abs(blip[0] - late) < 1e-9


def _score(notes: list[tuple[int, float, float]]) -> Clip:
    return Clip(tuple(Note(p, s, d, 90) for p, s, d in notes), 8.0, TimeSignature())


TUNE = [(69, 0.0, 1.0), (72, 1.0, 0.5), (71, 1.5, 0.5), (69, 2.0, 1.0), (67, 3.0, 1.0)]
TUNE += [(64, 4.0, 1.5), (67, 5.5, 0.5), (69, 6.0, 1.0)]  # then a beat's rest
MS = 1 / 500  # beats a millisecond at 120 BPM


@pytest.mark.parametrize(
    "touch",
    [
        "legato",  # each note held 20-60 ms into the next, struck 5-25 ms around the beat
        "detached",  # each note held 80-95% of its value, struck 5-25 ms around the beat
        "late",  # each note 10-30 ms behind the beat, held 85-95% of its value
    ],
)
def test_a_played_clip_is_written_as_the_note_values_it_stands_for(touch) -> None:
    """A melody played in from a keyboard reached the network with its played lengths (a
    legato note 13 ticks long and more, a detached one 21.6 of a quarter's 24): the melody
    model was surprised 19.6 nats a note instead of 3.1, and the producer model took it and
    copied it (helper-102). Written, it is its quantized twin, note for note."""
    from segue.grid import clip_rows
    from segue.model.feel import as_written

    offsets = [5, -15, 25, -5, 10, -25, 20, -10]
    played = []
    for i, (pitch, start, length) in enumerate(TUNE):
        at = start + offsets[i] * MS if touch != "late" else start + (10 + 20 * (i % 3) / 2) * MS
        if touch == "legato" and i + 1 < len(TUNE):
            end = TUNE[i + 1][1] + offsets[i + 1] * MS + (20 + 40 * (i % 3) / 2) * MS
        else:
            end = start + length * ((0.80, 0.9, 0.95)[i % 3] if touch != "late" else 0.85)
        played.append(Note(pitch, max(at, 0.0), end - max(at, 0.0), 90))
    clip = Clip(tuple(played), 8.0, TimeSignature())
    assert (clip_rows(as_written(clip))[:, :3] == clip_rows(_score(TUNE))[:, :3]).all()


def test_a_clip_on_the_grid_and_a_staccato_are_written_as_they_are() -> None:
    """A step-sequenced gate (0.4 beats of each 8th) is meant: a clip on the grid is itself,
    lengths and all. A staccato played in (a third of each quarter) stays short: an 8th,
    its release (0.34 beats) up to the grid."""
    from segue.model.feel import as_written

    gated = _score([(45, i * 0.5, 0.4) for i in range(8)])
    assert as_written(gated) == gated
    staccato = Clip(tuple(Note(57, i + 0.01, 0.33, 90) for i in range(4)), 4.0)
    assert [(n.start, n.duration) for n in as_written(staccato).notes] == [
        (i, 0.5) for i in range(4)
    ]


def test_a_played_clip_quantized_in_live_is_written_as_its_note_values() -> None:
    """Live's Quantize moves a played clip's starts to the grid and leaves its ends as the
    player let them go (held 80-95% of each value): on the grid, the clip was read as it
    is, lengths and all, and the network heard 0.45 beats where the player meant an 8th.
    Its ends scattered around its note values, it is written as its quantized twin, as a
    clip played off the grid is; a sequenced gate of two lengths (8ths 0.4 beats, quarters
    0.9) is still meant."""
    from segue.grid import clip_rows
    from segue.model.feel import as_written, released_by_hand

    releases = (0.80, 0.9, 0.95, 0.85)
    quantized = _score(
        [(p, s, d * releases[i % len(releases)]) for i, (p, s, d) in enumerate(TUNE)]
    )
    assert released_by_hand(quantized.notes)
    assert (clip_rows(as_written(quantized))[:, :3] == clip_rows(_score(TUNE))[:, :3]).all()
    gates = _score([(45, i * 0.5, 0.4) for i in range(6)] + [(45, 3 + i, 0.9) for i in range(5)])
    assert not released_by_hand(gates.notes) and as_written(gates) == gates


def played_swing(percents: list[float], bars: int = 2) -> Clip:
    """A line of 16ths swung by hand: the off 16th of each 8th at the next of ``percents``
    of it, in turn."""
    notes = []
    for eighth in range(8 * bars):
        on = eighth * 0.5
        off = on + 0.5 * percents[eighth % len(percents)] / 100
        notes += [Note(60 + eighth % 5, on, 0.2, 100), Note(67, off, 0.15, 70)]
    return Clip(tuple(notes), 4.0 * bars)


def test_16ths_swung_by_hand_past_62_5_percent_stay_swung_16ths(network: SegueLSTM) -> None:
    """A player's 16ths swung at 58-66% were heard on 16ths under 62.5% and on the triplet
    place (tick 8, 20) past it: the grid opened 16th-note triplets the clip never plays,
    and the network's own off 16ths came at 66.7%, on the tick (helper-102). All of them
    are off 16ths, played at the player's swing."""
    from segue.model.feel import as_heard, hearing_of
    from segue.model.onset_grid import onset_grid

    clip = played_swing([58, 64, 60, 66, 62, 65])
    hearing = hearing_of(clip)
    heard = np.array([round(n.start * TICKS_PER_BEAT) for n in as_heard(clip, hearing).notes])
    assert set((heard % TICKS_PER_BEAT).tolist()) == {0, 6, 12, 18}
    grid = onset_grid(heard)
    assert grid is not None and np.flatnonzero(grid).tolist() == [0, 6, 12, 18]
    feel = clip_feel(clip.notes, hearing=hearing)
    assert feel.slots[6] == pytest.approx(0.05) and feel.slots[18] == pytest.approx(0.075)
    params = GenerationParams(bars=4, variations=8, rng_seed=3, memory=0.0)
    starts = [n.start for v in generate(network, clip, params).variations for n in v.clip.notes]
    phase = np.asarray(starts) % 0.5
    off = phase[phase > 0.1]
    assert len(off) >= 3
    assert np.all((off > 0.25) & (off < 0.34))  # swung 16ths, none on a triplet 16th
    assert np.count_nonzero(np.isclose(off, 1 / 3)) < len(off) / 4  # not a triplet shuffle


def test_a_shuffle_and_a_clip_on_the_grid_are_not_swung_16ths() -> None:
    """A shuffle's triplets (no note in the beat's middle), a clip with 8th-note triplets
    among swung 16ths, and a clip on the grid are heard as before."""
    from segue.model.feel import hearing_of, swings_16ths

    assert not swings_16ths([0.0, 0.34, 1.0, 1.34, 2.0, 2.34, 3.0, 3.34])
    triplets = [0.0, 0.33, 0.5, 0.83, 1.0, 1.33, 1.5, 1.83, 2.0, 2.33, 2.67]
    assert swings_16ths(triplets[:-1]) and not swings_16ths(triplets)
    assert not hearing_of(swung(62)).swung  # 62%: within the reach of a 16th already
    assert not hearing_of(Clip(tuple(Note(60, i / 3, 0.2) for i in range(12)))).swung


def strummed(spread: float) -> tuple[Note, ...]:
    """A bar of a guitar strummed by hand: down-strums (lowest string first) on beats 1 and
    2, up-strums (highest first) on the off-beats of 2 and 3, each string ``spread`` beats
    after the one before."""
    shape = (40, 47, 52, 55, 59, 64)
    notes = []
    for at, down in ((0.0, True), (1.0, True), (1.5, False), (2.5, False)):
        for k, pitch in enumerate(shape if down else shape[::-1]):
            notes.append(Note(pitch, at + k * spread, 0.45 - k * spread, 100 if down else 70))
    return tuple(notes)


def test_a_chord_where_the_clip_plays_none_is_strummed_as_the_clip_strums() -> None:
    """A guitar strummed 0.01 beats a string (down on the beat, up off it) came back with the
    network's chords at new places (beat 4, beat 4's off-beat) struck together, every string
    at once (helper-102: 0 of 34): they are strummed as the clip strums, down on the beat and
    up off it, its spread a string."""
    feel = clip_feel(strummed(0.01))
    end = loop = 4 * TICKS_PER_BEAT
    chord = (43, 47, 50, 55, 59)
    for beat, down in ((3.0, True), (3.5, False), (7.0, True)):
        rows = np.array([[end + round(beat * TICKS_PER_BEAT), p, 8] for p in chord])
        times = played_times(rows, feel, end, loop, None)
        steps = [0.0, 0.01, 0.02, 0.03, 0.04]
        expected = dict(zip(chord, steps if down else steps[::-1], strict=True))
        got = dict(zip(chord, (times[:, 0] - beat).round(6).tolist(), strict=True))
        assert got == pytest.approx(expected)


def test_a_chord_struck_by_a_player_s_touch_is_no_strum() -> None:
    """Chords whose voices lie a few ms apart in no order (a player's touch), a clip whose
    chords are struck together, and a chord at a place the clip plays keep their timing."""
    from segue.model.feel import strum_of

    assert strum_of({0: (0.01, 0.0, 0.012, 0.004), 48: (0.0, 0.008, 0.002)}, 24) == (0, 0)
    assert strum_of({0: (0.0, 0.01, 0.02), 36: (0.02, 0.01, 0.0)}, 24) == pytest.approx(
        (0.01, -0.01)
    )
    assert strum_of({0: (0.0, 0.01, 0.02)}, 24) == pytest.approx((0.01, 0.01))
    struck = tuple(Note(p, float(b), 0.5) for b in range(4) for p in (48, 52, 55))
    assert clip_feel(struck).strum == (0.0, 0.0)
    feel = clip_feel(strummed(0.01))  # beat 2's up-strum: the clip's roll there, by pitch
    rows = np.array([[96 + 36, p, 8] for p in (40, 47, 52)])
    assert (played_times(rows, feel, 96, 96, None)[:, 0] - 1.5).round(6).tolist() == [
        0.05,
        0.04,
        0.03,
    ]


def played_legato(overlap: float) -> tuple[Note, ...]:
    """Two bars of a lead played by hand, each note held ``overlap`` beats into the next,
    its starts a few ms off the beat."""
    line = [(0.0, 69), (1.0, 72), (1.5, 71), (2.0, 69), (3.0, 67), (4.0, 64), (5.5, 67)]
    line += [(6.0, 69), (7.0, 72)]
    starts = [at + (0.01 if k % 2 else 0.004) for k, (at, _) in enumerate(line)]
    ends = [*(s + overlap for s in starts[1:]), 7.95]
    return tuple(Note(p, s, e - s, 90) for (_, p), s, e in zip(line, starts, ends, strict=True))


def test_a_legato_line_s_new_notes_run_into_the_next_as_the_clip_s_do() -> None:
    """A lead held 0.07 beats into each next note came back with the network's notes ending
    where the next began (helper-102: at --memory 0, no overlap in 4 of 4 takes): a note
    that reaches the next on the grid runs into it by the clip's median overlap; a note
    before a rest, a repeat of its pitch and a clip played detached stay as they were."""
    feel = clip_feel(played_legato(0.07))
    end, loop = 8 * TICKS_PER_BEAT, 8 * TICKS_PER_BEAT
    beat = TICKS_PER_BEAT
    rows = np.array(  # new notes off the clip's places: 0.25, 0.75, 2.25 (a rest), 3.25, 4.25
        [
            [end + beat // 4, 74, beat // 2],
            [end + 3 * beat // 4, 76, beat + beat // 4],
            [end + 9 * beat // 4, 74, beat // 2],
            [end + 13 * beat // 4, 74, beat],
            [end + 17 * beat // 4, 74, beat],
        ]
    )
    times = played_times(rows, feel, end, loop, None)
    ends = (times[:, 0] + times[:, 1]).round(4).tolist()
    assert ends[0] == pytest.approx(0.75 + 0.07, abs=0.002)  # into the next, as the clip's
    assert ends[1] == pytest.approx(2.0)  # a rest after it: as it was
    assert ends[2] == pytest.approx(2.75)
    assert ends[3] == pytest.approx(4.25)  # its own pitch next: no overlap
    detached = tuple(replace(n, duration=n.duration - 0.2) for n in played_legato(0.07))
    assert clip_feel(detached).legato == 0.0


def test_a_pedal_s_overlap_runs_a_short_note_no_further_than_its_length() -> None:
    """Keys held two beats into the next chord (a sustain pedal): a take's chord that
    reaches the next runs into it; a 16th no further than a 16th."""
    chords = [(0.0, (45, 57, 60)), (2.0, (69, 72)), (4.0, (41, 57, 60)), (6.0, (69, 72))]
    seed = tuple(
        Note(p, at + 0.01 * k + 0.004, 4.1 - 0.01 * k, 70)
        for at, chord in chords
        for k, p in enumerate(chord)
    )
    feel = clip_feel(seed)
    end = loop = 8 * TICKS_PER_BEAT
    rows = np.array([[end + 24, 48, 24], [end + 24, 55, 24], [end + 48, 50, 6], [end + 54, 57, 18]])
    times = played_times(rows, feel, end, loop, None)
    ends = times[:, 0] + times[:, 1]
    assert ends[:2] - times[2, 0] == pytest.approx([1.0, 1.0])  # its own length into it
    assert ends[2] - times[3, 0] == pytest.approx(0.25)  # a 16th: a 16th into the next


def test_a_kept_note_the_clip_held_exactly_up_to_the_next_keeps_its_end() -> None:
    """A legato lead (its A4, C5, E5 and D5 each held 0.2 beats into the next) whose B4 is
    held 4 beats exactly up to the E5: a take's B4 came back 4.2 beats long in 32 takes of
    32, a glide on a mono synth the clip never played (helper-185). A copy of a clip note
    ends as the clip's does; a new note that reaches the next still runs into it."""
    held = [(0.0, 69, 3.2), (3.0, 72, 1.2), (4.0, 71, 4.0), (8.0, 76, 2.2), (10.0, 74, 2.2)]
    seed = tuple(Note(p, at, length, 90) for at, p, length in held + [(12.0, 72, 4.0)])
    feel = clip_feel(seed)
    assert feel.legato == pytest.approx(0.2)
    end = loop = 16 * TICKS_PER_BEAT
    beat = TICKS_PER_BEAT
    kept = np.array([[end + 4 * beat, 71, 4 * beat], [end + 8 * beat, 76, 2 * beat]])
    times = played_times(kept, feel, end, loop, None)
    assert (times[0, 0], times[0, 1]) == pytest.approx((4.0, 4.0))  # the B4 up to the E5
    new = np.array([[end + 4 * beat, 67, 4 * beat], [end + 8 * beat, 76, 2 * beat]])
    times = played_times(new, feel, end, loop, None)
    assert (times[0, 0], times[0, 1]) == pytest.approx((4.0, 4.2))  # a G4 of the take's own

"""A part's density: below --memory 1 a take strikes no more often than its clip, where a
strike left out leaves no longer a silence than the clip's."""

from __future__ import annotations

import numpy as np
import pytest

from segue.grid import clip_rows
from segue.model.articulation import Articulation
from segue.model.density import Density
from segue.model.generate import generate
from segue.model.request_plan import longest_silence
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

BEAT = 24  # ticks
STEPS = (0.0, 1.0, 1.5, 2.0, 3.0, 3.5)  # 1, 2, the and of 2, 3, 4, the and of 4


def dotted_bass() -> Clip:
    """A staccato bass on :data:`STEPS`, 0.15 beats a note, two bars twice."""
    pitches = (33, 33, 45, 36, 38, 40, 31, 31, 43, 33, 35, 36)
    steps = [b * 4 + s for b in range(2) for s in STEPS]
    return Clip(
        tuple(
            Note(pitches[i % 12], 8 * r + s, 0.15, 100)
            for r in range(2)
            for i, s in enumerate(steps)
        ),
        16.0,
    )


def test_a_busier_loops_strikes_where_the_clip_never_strikes_are_left_out() -> None:
    rows = clip_rows(dotted_bass()).astype(np.int64)
    density = Density.of(rows, 384, longest_silence(rows, 384))
    assert density is not None and density.rest == 20 and len(density.places) == 24
    # a take's loop of 8ths (32 strikes for the clip's 24): the and of 1 and of 3 go, each
    # leaving 20 ticks silent after the note before
    take = np.array([[384 + 12 * i, 33, 4, 100] for i in range(32)])
    out, drawn = density.thinned(take, np.ones(32, bool), end=768)
    gone = sorted(set(take[:, 0].tolist()) - set(out[:, 0].tolist()))
    assert [(t - 384) % 96 for t in gone] == [12, 60] * 4 and len(out) == 24 and drawn.all()
    # not where a note before is so short that a longer silence would open: a hole
    take[:, 2] = 3
    assert len(density.thinned(take, np.ones(32, bool), end=768)[0]) == 32
    # a loop no busier than the clip's, or a strike the loop gave, stays
    take[:, 2] = 4
    assert len(density.thinned(take[:24], np.ones(24, bool), end=768)[0]) == 24
    assert len(density.thinned(take, np.zeros(32, bool), end=768)[0]) == 32


@pytest.fixture(scope="module")
def producer():
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    return load_checkpoint(find_model("producer")).model


def test_at_memory_0_a_staccato_bass_is_no_busier_than_its_clip(producer) -> None:
    """With the clip's memory off, a bass on 1, 2, the and of 2, 3, 4 and the and of 4 came
    back on every 8th, 7.3 strikes a bar for its 6 (3 rng seeds x 4 takes)."""
    takes = [
        take.clip
        for rng_seed in range(3)
        for take in generate(
            producer,
            dotted_bass(),
            GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0),
        ).variations
    ]
    strikes = [len({n.start for n in t.notes}) / (t.length / 4) for t in takes]
    assert np.mean(strikes) <= 6.25  # now 6.06: a pluck more where a gap rang long


def test_a_strike_is_left_out_where_the_pulse_holds_the_note_before() -> None:
    """A pulsing part's articulation holds a drawn note on over a silence (up to the clip's
    longest note): a riff in 16ths whose longest silence is 2 ticks kept every strike the
    network drew (13.25 a bar for its 7) because its 16th before a dropped one was short.
    Judged with that note held, the strike goes."""
    rows = clip_rows(dotted_bass()).astype(np.int64)
    density = Density.of(rows, 384, longest_silence(rows, 384))
    assert density is not None
    take = np.array([[384 + 12 * i, 33, 3, 100] for i in range(32)])  # 8ths, held 3 ticks
    assert len(density.thinned(take, np.ones(32, bool), end=768)[0]) == 32
    out, _ = density.thinned(take, np.ones(32, bool), end=768, hold=4)
    assert len(out) == 24  # held 4 ticks, the 8th leaves 20 silent, as the clip's longest
    assert len(density.thinned(take, np.zeros(32, bool), end=768, hold=4)[0]) == 32


def slap_octaves() -> Clip:
    """A slap bass in octaves, 8 strikes a bar: C2 C3 (a ghost C2 a 16th after), Eb2 Eb3,
    F2 F3, G2, 0.2 beats a note (a 0.15-beat ghost), two bars."""
    bar = [(36, 0.0), (48, 1.0), (36, 1.5), (39, 3.0), (51, 4.0), (41, 5.0), (53, 6.0)]
    bar += [(43, 7.0)]
    return Clip(
        tuple(
            Note(p, 4 * b + s / 2, 0.15 if s == 1.5 else 0.2, 60 if s == 1.5 else 96)
            for b in range(2)
            for p, s in bar
        ),
        8.0,
    )


def test_at_memory_0_a_part_without_an_articulation_is_no_busier_than_its_clip(
    producer,
) -> None:
    """The slap octave bass has no articulation of its own (``Articulation.of``: none
    that caps or restrikes its notes; struck every beat or less, its holes are refilled),
    and the density limit was applied only with one: at memory 0 10 of 12 takes were
    busier than its 8 strikes a bar, up to 16 (Eb2 on every 16th, helper-134)."""
    from segue.model.articulation import STACCATO, Articulation

    clip = slap_octaves()
    rows = clip_rows(clip).astype(np.int64)
    own = Articulation.of(rows, 192, longest_silence(rows, 192), BEAT)
    assert own is None or (own.ratio >= STACCATO and not own.restrikes and not own.legato)
    takes = [
        take.clip
        for rng_seed in range(1, 4)
        for take in generate(
            producer,
            clip,
            GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0),
        ).variations
    ]
    strikes = [len({n.start for n in t.notes}) / (t.length / 4) for t in takes]
    assert max(strikes) <= 8.5, strikes


def stabs() -> Clip:
    """Chord stabs, 3 a bar (1, the and of 2, 4), 0.4 beats each, Cmaj7 then Am7."""
    return Clip(
        tuple(
            Note(p, 4 * b + k, 0.4, 90)
            for b, chord in enumerate([(48, 52, 55, 59), (45, 48, 52, 55)])
            for k in (0, 1.5, 3)
            for p in chord
        ),
        8.0,
    )


def bass808() -> Clip:
    """An 808 bass held note to note, 7 strikes in two bars (no silence)."""
    notes = [(0, 1.5, 42), (1.5, 0.5, 42), (2, 2, 37), (4, 1.5, 40), (5.5, 0.5, 35)]
    notes += [(6, 1, 47), (7, 1, 45)]
    return Clip(tuple(Note(p, s, length, 100) for s, length, p in notes), 8.0)


def power_chords() -> Clip:
    """Power chords in 8ths, C Eb F Bb, a bar each, 0.4 beats a chord."""
    return Clip(
        tuple(
            Note(r + i, b * 4 + k * 0.5, 0.4, 90)
            for b, r in enumerate([36, 39, 41, 34])
            for k in range(8)
            for i in (0, 7)
        ),
        16.0,
    )


def _strikes(rows: np.ndarray) -> list[int]:
    return sorted(set(rows[:, 0].tolist()))


def test_the_strikes_the_articulation_plucks_again_count() -> None:
    """A stab's drawn chords on 1, 4 and 3 of its second bar, each a half note: as played
    the articulation plucks them again on the clip's ticks, 7 strikes for the clip's 6, and
    :meth:`Density.thinned` (its strikes as drawn: 3) left them. As played they are 6: the
    chord on 3 goes, the chord on 4 rings on and is plucked on the clip's ticks, no hole."""
    rows = clip_rows(stabs()).astype(np.int64)
    rest = longest_silence(rows, 192)
    density = Density.of(rows, 192, rest)
    articulation = Articulation.of(rows, 192, rest, BEAT)
    assert density is not None and articulation is not None and articulation.at
    take = np.array([[192 + t, p, 48, 90] for t in (0, 72, 144) for p in (48, 52, 55, 59)])
    drawn = np.ones(len(take), bool)

    def played(r: np.ndarray, o: np.ndarray) -> np.ndarray:
        return articulation.applied(r, o, 384)

    assert len(_strikes(played(take, drawn))) == 7
    assert len(density.thinned(take, drawn, 384)[0]) == len(take)
    out, kept = density.settled(take, drawn, 384, played, (articulation.short, density.loop))
    heard = played(out, kept)
    assert [t - 192 for t in _strikes(heard)] == [0, 36, 72, 96, 132, 168]
    assert longest_silence(heard - [192, 0, 0, 0], 192) <= rest
    assert _strikes(out) == [192, 264]  # the drawn chords on 1 and 4 as they were


def test_a_legato_parts_strike_goes_where_the_note_before_is_held_over_it() -> None:
    """An 808 bass never silent (its longest silence 0): :meth:`Density.thinned` left every
    strike of a take busier than it, for any strike left out left a silence; its legato
    articulation holds the note before on to the next strike, so as played none opens."""
    rows = clip_rows(bass808()).astype(np.int64)
    rest = longest_silence(rows, 192)
    density = Density.of(rows, 192, rest)
    articulation = Articulation.of(rows, 192, rest, BEAT)
    assert density is not None and articulation is not None and articulation.legato
    assert density.rest == 0 and len(density.places) == 7
    take = np.array([[192 + 24 * i, 42, 24, 100] for i in range(8)])  # 8 quarters, held
    drawn = np.ones(8, bool)

    def played(r: np.ndarray, o: np.ndarray) -> np.ndarray:
        return articulation.applied(r, o, 384)

    assert len(density.thinned(take, drawn, 384)[0]) == 8
    out, kept = density.settled(take, drawn, 384, played, (articulation.short,))
    heard = played(out, kept)
    assert len(_strikes(heard)) == 7 and _strikes(take)[1] not in _strikes(out)
    assert longest_silence(heard - [192, 0, 0, 0], 192) == 0
    # a strike the loop gave (not drawn) stays
    assert len(density.settled(take, ~drawn, 384, played, (articulation.short,))[0]) == 8


@pytest.mark.parametrize(
    ("clip", "most"),
    [(stabs, 1), (bass808, 0), (power_chords, 0)],
    ids=["stabs", "bass808", "power_chords"],
)
def test_at_memory_0_a_part_as_played_is_no_busier_than_its_clip(producer, clip, most) -> None:
    """At memory 0, rng seeds 1-3, 4 takes each, takes busier than the clip (strikes a bar)
    were, before the articulation's strikes counted and its held notes judged: the stabs 7
    of 12 (up to 4.5 a bar for 3), the 808 bass 4 of 12 (4 for 3.5), the power chords 3
    of 12 (9 for 8); now 1, 0, 0. No take's silence is longer than the clip's longest."""
    seed = clip()
    rows = clip_rows(seed).astype(np.int64)
    loop = round(seed.length * BEAT)
    rate = len(_strikes(rows)) / (seed.length / 4)
    rest = longest_silence(rows, loop) / BEAT
    busier = 0
    for rng_seed in range(1, 4):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0)
        for take in generate(producer, seed, params).variations:
            notes = take.clip.notes
            busier += len({n.start for n in notes}) / (take.clip.length / 4) > rate + 1e-6
            ends = np.maximum.accumulate([n.start + n.duration for n in notes])
            gaps = [n.start - e for n, e in zip(notes[1:], ends[:-1], strict=True)]
            assert max(gaps, default=0.0) <= rest + 0.05
    assert busier <= most


def test_a_strike_whose_leaving_out_silences_the_takes_start_stays() -> None:
    """A bass's take busier than its clip (3 strikes for 2 in the loop): its first drawn
    strike, off the clip's ticks, went, and the take opened on a longer silence than the
    clip ever has (the first 1.5 beats of a bass at memory 0, for the clip's 0.58). Judged
    from the take's start, the later one goes."""
    density = Density(frozenset({0, 24}), 48, 12)
    take = np.array([[54, 40, 12, 100], [72, 40, 12, 100], [84, 40, 12, 100]])
    drawn = np.ones(3, bool)

    def played(r: np.ndarray, o: np.ndarray) -> np.ndarray:
        return r

    out, _ = density.settled(take, drawn, 96, played, (0,), start=48)
    assert _strikes(out) == [54, 72]


def test_every_off_tick_strike_of_a_loop_goes_where_one_or_two_gain_nothing() -> None:
    """Power chords on every beat, 0.9 of it (the articulation refills their holes on the
    beat): a take's bar drew chords on 1, 2, the and of 2, 3.25 and 4.25, 5 strikes for the
    clip's 4 (at memory 0 the network drew such off-beat 8ths and 16ths). Leaving out one or
    two opened a hole the refill struck again on the beat, as many strikes as went, or a
    longer silence, so every one stayed; left out together, the refill strikes the clip's
    own beats in their place: 4 strikes, silent no longer than the clip."""
    clip = np.array([[t, p, 22, 90] for t in (0, 24, 48, 72) for p in (40, 47, 52)])
    rest = longest_silence(clip, 96)
    density = Density.of(clip, 96, rest)
    articulation = Articulation.of(clip, 96, rest, BEAT)
    assert density is not None and articulation is not None and articulation.pulse
    chords = ((0, 22), (24, 10), (36, 16), (54, 22), (78, 16))
    take = np.array([[96 + t, p, length, 90] for t, length in chords for p in (40, 47, 52)])
    drawn = np.ones(len(take), bool)

    def played(r: np.ndarray, o: np.ndarray) -> np.ndarray:
        return articulation.applied(r, o, 192)

    assert len(_strikes(played(take, drawn))) == 5
    out, kept = density.settled(take, drawn, 192, played, (articulation.short,), 96)
    heard = played(out, kept)
    assert [t - 96 for t in _strikes(heard)] == [0, 24, 48, 72]
    assert longest_silence(heard - [96, 0, 0, 0], 96) <= rest
    assert _strikes(out) == [96, 120]  # the drawn chords on the beat as they were


def dotted_808() -> Clip:
    """An 808 bass of 0.95-beat notes on 1, the and of 2 and 4, then 1, the and of 2 and
    3 (C2 C2 G2, Eb2 Eb2 F2), four bars: neither staccato, legato nor pulsing (its gaps 1
    to 1.5 beats), its articulation refills its holes only."""
    bar = [(0, 36), (1.5, 36), (3, 43), (4, 39), (5.5, 39), (6.5, 41)]
    return Clip(tuple(Note(p, 8 * r + s, 0.95, 100) for r in range(2) for s, p in bar), 16.0)


def test_at_memory_0_a_part_without_an_articulation_holds_a_note_over_a_strike_left_out(
    producer,
) -> None:
    """The 808 bass's takes at memory 0 drawn in 8ths 0.17 beats long (G2 then G1 on every
    8th, 6 strikes a bar for its 3, helper-147): a strike left out left its 8th before
    ringing 0.17 into a beat's gap, a longer silence than the clip's 0.55, so every one
    stayed. The note before a strike left out is now held as long as the clip's shortest
    note (0.95): rng seeds 1-3, takes busier than the clip 2 of 12 (3.75 and 4.75 a bar)
    -> 0."""
    seed = dotted_808()
    rows = clip_rows(seed).astype(np.int64)
    articulation = Articulation.of(rows, 384, longest_silence(rows, 384), BEAT)
    assert articulation is not None and not articulation.restrikes  # its holes refilled only
    strikes = [
        len({n.start for n in take.clip.notes}) / (take.clip.length / 4)
        for rng_seed in range(1, 4)
        for take in generate(
            producer,
            seed,
            GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0),
        ).variations
    ]
    assert max(strikes) <= 3.0, strikes


def offbeat_bass() -> Clip:
    """A staccato bass on the four off-beats (the ands), 0.3 beats a note, a bar."""
    steps = ((0.5, 45), (1.5, 45), (2.5, 48), (3.5, 43))
    return Clip(tuple(Note(p, s, 0.3, 100) for s, p in steps), 4.0)


def test_an_off_beat_strike_the_network_drew_on_the_beat_moves_to_the_clips_tick() -> None:
    """An off-beat bass's take drawn on the beat (a bar of quarters, then 1, 2, 3, the and
    of 3 and 4: 5 strikes for the clip's 4): leaving any out opened a gap its pluck then
    struck again on the clip's ticks, as many strikes as went, so every one stayed, on the
    beat. Moved to the clip's nearest ticks (the ands), the take strikes its 4 a bar, on
    them, no longer silent than the clip."""
    rows = clip_rows(offbeat_bass()).astype(np.int64)
    rest = longest_silence(rows, 96)
    density = Density.of(rows, 96, rest)
    articulation = Articulation.of(rows, 96, rest, BEAT)
    assert density is not None and articulation is not None and articulation.at
    onsets = [(t, 22) for t in (96, 120, 144, 168)]
    onsets += [(192, 9), (216, 3), (240, 3), (252, 3), (264, 9)]
    take = np.array([[t, 45, length, 100] for t, length in onsets])
    drawn = np.ones(len(take), bool)

    def played(r: np.ndarray, o: np.ndarray) -> np.ndarray:
        return articulation.applied(r, o, 288)

    assert len(_strikes(played(take, drawn))) == 9
    out, kept = density.settled(take, drawn, 288, played, (articulation.short, 96), 96)
    heard = played(out, kept)
    assert [t - 96 for t in _strikes(heard)] == [12 + 24 * i for i in range(8)]
    assert longest_silence(heard - [96, 0, 0, 0], 192) <= rest


def test_at_memory_0_an_off_beat_bass_stays_off_the_beat(producer) -> None:
    """At memory 0, rng seeds 1-3, 4 takes each: the network drew the off-beat bass on the
    beat in places, 3 of 12 takes with a bar busier than the clip's 4 and 12 strikes off
    its ands; now none busier and every strike on an and."""
    busier, off = 0, 0
    for rng_seed in range(1, 4):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0)
        for take in generate(producer, offbeat_bass(), params).variations:
            starts = sorted({n.start for n in take.clip.notes})
            bars = [sum(1 for s in starts if 4 * b <= s < 4 * b + 4) for b in range(4)]
            busier += max(bars) > 4
            off += sum(1 for s in starts if abs(s % 1 - 0.5) > 1e-6)
    assert busier == 0 and off <= 2, (busier, off)


def test_an_808_that_never_rests_a_beat_has_its_holes_refilled_on_its_ticks() -> None:
    """The 808 bass (0.95-beat notes 1 to 1.5 beats apart, silent 0.55 at most) had no
    articulation, so a take's drawn note ending early before two beats of nothing (at
    memory 0 up to 2.12 beats) stayed a hole. Now its holes are refilled on its own ticks
    as a detached part's are."""
    rows = clip_rows(dotted_808()).astype(np.int64)
    rest = longest_silence(rows, 384)
    articulation = Articulation.of(rows, 384, rest, BEAT)
    assert articulation is not None and articulation.pulse and not articulation.restrikes
    take = np.array([[384, 46, 22, 100], [456, 46, 6, 100], [552, 51, 22, 100]])
    heard = articulation.applied(take, np.ones(3, bool), 576)
    assert _strikes(heard) == [384, 420, 456, 480, 516, 552]  # the clip's 1.5, 4, 5.5
    assert longest_silence(heard - [384, 0, 0, 0], 192) <= rest


def test_at_memory_0_an_808_leaves_no_long_hole(producer) -> None:
    """At memory 0, rng seeds 1-6, 4 takes each, the 808 bass's takes were silent longer
    than the clip's 0.55 beats in 9 of 24 (up to 2.12 beats: a note, then two beats of
    nothing); now 5, up to 1.05 (a refill's 0.95-beat note, a beat before the next)."""
    holes, worst = 0, 0.0
    for rng_seed in range(1, 7):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0)
        for take in generate(producer, dotted_808(), params).variations:
            notes = take.clip.notes
            ends = np.maximum.accumulate([n.start + n.duration for n in notes])
            gap = max((n.start - e for n, e in zip(notes[1:], ends[:-1], strict=True)), default=0)
            holes += gap > 0.6
            worst = max(worst, gap)
    assert holes <= 5 and worst <= 1.1, (holes, worst)


def test_a_strike_never_moves_to_the_takes_end() -> None:
    """A strike moved to the clip's nearest tick went to the take's end (the next loop's
    downbeat), where Live's clip ends: the take failed ("clip length 16 beats ends before
    its last note starts", a fifth drone at memory 0). It moves only within the take."""
    density = Density(frozenset({0}), 96, 0)
    take = np.array([[96, 40, 54, 100], [150, 40, 36, 100], [186, 40, 6, 100]])

    def played(r: np.ndarray, o: np.ndarray) -> np.ndarray:
        return r

    out, _ = density.settled(take, np.ones(3, bool), 192, played, (0,), start=96)
    assert out[:, 0].max() < 192
    moved, _ = density.snapped(take, np.ones(3, bool), None, 192)  # 150's nearest: 192
    assert moved[:, 0].max() < 192

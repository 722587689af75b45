"""A part's articulation: a staccato part's network notes no more legato, against the gap
to their next strike, than the clip's when --memory frees the clip's notes, and never a
rest the clip does not have."""

from __future__ import annotations

import numpy as np
import pytest
from memory_clips import CHORDS, stabs
from silences import longest_silent, silent_share

from segue.grid import clip_rows
from segue.model.articulation import STACCATO, Articulation, next_strikes, strikes
from segue.model.generate import generate
from segue.model.request_plan import longest_silence
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

BEAT = 24  # ticks
BASS = (45, 45, 57, 45, 48, 48, 43, 45, 41, 41, 53, 41, 43, 43, 55, 43)


def plucked_bass(length: float = 0.2) -> Clip:
    """Two bars of 8ths plucked ``length`` beats long, played twice (4 bars)."""
    return Clip(tuple(Note(p, i * 0.5, length, 100) for i, p in enumerate(BASS * 2)), 16.0)


def chugs() -> Clip:
    """Power chords (root and fifth) on every 8th, each 0.4 beats: two bars, twice."""
    roots = (40, 40, 40, 43, 43, 45, 45, 40, 40, 40, 43, 43, 38, 38, 45, 45) * 2
    return Clip(
        tuple(Note(r + f, i * 0.5, 0.4, 100) for i, r in enumerate(roots) for f in (0, 7)),
        16.0,
    )


def power_chords() -> Clip:
    """Power chords (root, fifth, octave) on every beat, each 0.9 of it: E, G, A, D a bar
    each (4 bars)."""
    roots = (40, 43, 45, 38)
    return Clip(
        tuple(
            Note(r + f, b * 4 + i, 0.9, 100)
            for b, r in enumerate(roots)
            for i in range(4)
            for f in (0, 7, 12)
        ),
        16.0,
    )


def pad() -> Clip:
    return Clip(tuple(Note(p, b * 4.0, 3.9, 70) for b, c in enumerate(CHORDS) for p in c), 16.0)


def octave_arp() -> Clip:
    """A bar of 16ths in octaves, each 0.2 beats: no rest longer than 0.05 beats."""
    arp = [60, 63, 67, 70] * 4
    return Clip(tuple(Note(p + o, i * 0.25, 0.2, 90) for i, p in enumerate(arp) for o in (0, 12)))


def chorale() -> Clip:
    """Four-voice chords a half note each, each held to the next."""
    satb = ((48, 55, 64, 67), (53, 57, 60, 69), (55, 59, 62, 67), (48, 55, 60, 64))
    return Clip(tuple(Note(p, i * 2.0, 2.0, 80) for i, c in enumerate(satb) for p in c))


LINE = (
    (67, 0, 1), (69, 1, 0.5), (71, 1.5, 0.5), (72, 2, 1.5), (71, 3.5, 0.5),
    (69, 4, 1), (67, 5, 1), (64, 6, 0.5), (62, 6.5, 0.5), (64, 7, 1),
)  # fmt: skip
CALLS = (
    (69, 0, 0.5), (72, 0.5, 0.5), (74, 1, 1), (72, 2, 0.5), (69, 2.5, 1.5),
    (67, 8, 0.5), (69, 8.5, 0.5), (72, 9, 1), (69, 10, 2),
)  # fmt: skip


def octave_lead() -> Clip:
    """A lead in octaves of 8ths, quarters and a dotted quarter, each held to the next (two
    bars, twice)."""
    return Clip(
        tuple(Note(p + o, s + b, d, 90) for b in (0, 8) for p, s, d in LINE for o in (0, 12)),
        16.0,
    )


def calls() -> Clip:
    """A lead's call held note to note for a bar, a bar of rest, and its second call."""
    return Clip(tuple(Note(p, s, d, 90) for p, s, d in CALLS), 12.0)


def of(clip: Clip) -> Articulation | None:
    rows = clip_rows(clip).astype(np.int64)
    end = round(clip.length * BEAT)
    return Articulation.of(rows, end, longest_silence(rows, end), BEAT)


def test_a_strikes_next_is_the_next_of_as_many_notes() -> None:
    # a chord at 0, a passing note at 12, the next chord at 24; a chord alone in its loop
    rows = np.array([[0, 60, 24, 90], [0, 64, 24, 90], [12, 62, 12, 90], [24, 60, 24, 90]])
    rows = np.vstack([rows, [24, 65, 24, 90]])
    starts, longest, size = strikes(rows)
    assert starts.tolist() == [0, 12, 24] and longest.tolist() == [24, 12, 24]
    assert size.tolist() == [2, 1, 2]
    assert next_strikes(starts, size, None).tolist() == [24, 24, -1]
    assert next_strikes(starts, size, 48).tolist() == [24, 24, 48]  # round the loop
    assert next_strikes(np.array([0]), np.array([3]), 96).tolist() == [96]


def test_a_staccato_clip_keeps_its_articulation_a_legato_or_detached_one_none() -> None:
    bass = of(plucked_bass())
    assert bass is not None and abs(bass.ratio - 5 / 12) < 1e-9  # 0.2 of 0.5 beats, in ticks
    assert bass.rest == 7 and bass.short == 5
    stab = of(stabs())
    assert stab is not None and stab.ratio == 0.25 and stab.rest == round(0.75 * BEAT)
    # gapless or held parts: the network's lengths are its own (the audit's pad, octave
    # 16th arp and chorale came back as blips in silence under a length cap)
    for legato in (pad(), octave_arp(), chorale(), plucked_bass(0.3)):
        found = of(legato)
        assert found is None or found.ratio >= STACCATO
    # a note alone in its bar is a note and a rest, not an articulation
    assert of(Clip((Note(60, 0.0, 1.0, 90),))) is None


def test_the_networks_lengths_are_held_no_more_legato_than_the_clips() -> None:
    staccato = Articulation(ratio=0.4, rest=7, short=5)
    # 8ths (12 ticks) held 11 ticks (the network's), one the loop repeats (not drawn), a
    # 16th held to its next, a note two beats before its next, a last note
    rows = np.array(
        [[0, 45, 11, 100], [12, 45, 11, 100], [24, 45, 6, 100], [30, 45, 48, 100]]
        + [[78, 45, 40, 100]]
    )
    drawn = np.array([True, False, True, True, True])
    out = staccato.applied(rows, drawn, end=96)
    # 0.4 of 12 is 4, but a pluck as long as the clip's (5); the 16th rings as the clip's
    # shortest (5 of its 6); two beats: 48 - 7, no longer silence than the clip's; to the
    # end likewise (18 - 7)
    assert out[:, 2].tolist() == [5, 11, 5, 41, 11]
    assert staccato.applied(rows, drawn, end=None)[:, 2].tolist() == [5, 11, 5, 41, 40]
    assert rows[:, 2].tolist() == [11, 11, 6, 48, 40]  # the rows given are left alone


def test_a_chord_held_over_a_passing_note_keeps_its_length() -> None:
    stab = Articulation(ratio=0.25, rest=18, short=6)
    rows = np.array(
        [[0, 40, 20, 80], [0, 60, 20, 80], [0, 55, 20, 80], [12, 53, 12, 80]]
        + [[24, 48, 24, 80], [24, 64, 24, 80], [24, 67, 24, 80]]
    )
    out = stab.applied(rows, np.ones(len(rows), dtype=bool), end=48)
    assert out[:, 2].tolist() == [6] * 7  # the chord's next is the next chord


def test_a_part_that_pulses_restrikes_a_note_it_holds_over_its_strikes() -> None:
    arp = of(octave_arp())
    assert arp is not None and arp.pulse == tuple(range(0, 96, 6)) and arp.loop == 96
    assert (arp.step, arp.most) == (6, 5)  # 16ths held 0.2 beats (5 ticks)
    for quarters in (chorale(), pad(), stabs()):  # a chord a beat or more apart: no pulse
        found = of(quarters)
        assert found is None or not found.pulse
    # a drawn octave held four beats, a 16th the network drew, a note the loop repeats
    rows = np.array([[96, 60, 96, 90], [96, 72, 96, 90], [192, 63, 6, 90], [198, 67, 96, 90]])
    drawn = np.array([True, True, True, False])
    out = arp.applied(rows, drawn, end=288)
    octave = out[out[:, 0] < 192]
    assert sorted(set(octave[:, 0].tolist())) == list(range(96, 192, 6))  # struck every 16th
    assert set(octave[:, 1].tolist()) == {60, 72} and set(octave[:, 2].tolist()) == {5}
    assert out[out[:, 0] >= 192].tolist() == [[192, 63, 6, 90], [198, 67, 96, 90]]
    # a staccato pulse: a pluck held into a gap longer than the clip's is plucks in the gap
    bass = of(plucked_bass())
    assert bass is not None and bass.pulse and bass.step == 12
    out = bass.applied(np.array([[384, 45, 80, 100], [480, 45, 5, 100]]), np.ones(2, bool), 528)
    # (and the last, 43 ticks before the take's end, on to it: no hole at its end)
    assert out[:, 0].tolist() == list(range(384, 528, 12))
    assert set(out[:, 2].tolist()) == {5}


def test_a_legato_clip_is_held_to_its_next_strike_but_across_its_rests() -> None:
    lead = of(Clip(tuple(Note(p, s, d, 90) for p, s, d in LINE), 8.0))
    assert lead is not None and (lead.legato, lead.share) == (36, 1.0)  # the dotted quarter
    assert lead.breath == 37  # no rest of its own: any silence it holds across is a hole
    assert lead.ratio >= STACCATO  # nothing capped
    sung = of(calls())
    assert sung is not None and sung.legato == 2 * BEAT  # the call's last half note
    assert sung.breath == BEAT  # it rests a bar: a beat's silence is a rest
    held = of(pad())
    assert held is not None and held.legato == 4 * BEAT and held.share == 94 / 96  # 3.9 of 4
    # released before the next: a power chord 0.9 of each beat, a 16th arp 0.2 of 0.25
    power = of(Clip(tuple(Note(p, b, 0.9, 90) for b in range(8) for p in (40, 47, 52)), 8.0))
    assert power is not None and power.legato == 0 and power.ratio >= STACCATO  # not capped
    arp = of(octave_arp())
    assert arp is not None and arp.legato == 0


def test_a_legato_parts_drawn_notes_are_held_to_the_next_onset() -> None:
    lead = Articulation(ratio=1.0, rest=0, short=0, legato=36, share=1.0, breath=37)
    # a drawn 8th a beat before its next; the loop's 16th; a note held over its next; a
    # quarter two beats before its next (longer than the clip holds one); a last 8th
    rows = np.array(
        [[0, 67, 12, 90], [24, 69, 6, 90], [36, 71, 30, 90], [48, 72, 24, 90]] + [[96, 71, 12, 90]]
    )
    drawn = np.array([True, False, True, True, True])
    out = lead.applied(rows, drawn, end=120)
    assert out[:, 0].tolist() == rows[:, 0].tolist()  # no onset moved or added
    assert out[:, 2].tolist() == [24, 6, 30, 24, 24]
    assert lead.applied(rows, drawn, end=None)[:, 2].tolist() == [24, 6, 30, 24, 12]
    # a lead that rests: a silence of a beat or more stays; a pad held 94 of 96 ticks
    sung = Articulation(ratio=1.0, rest=96, short=0, legato=48, share=1.0, breath=24)
    rows = np.array([[0, 69, 12, 90], [36, 72, 6, 90], [48, 74, 12, 90], [60, 72, 6, 90]])
    assert sung.applied(rows, np.ones(4, bool), end=96)[:, 2].tolist() == [12, 12, 12, 6]
    pad = Articulation(ratio=1.0, rest=2, short=0, legato=96, share=94 / 96, breath=97)
    rows = np.array([[0, 57, 40, 70], [0, 60, 96, 70], [96, 53, 90, 70]])
    assert pad.applied(rows, np.ones(3, bool), end=192)[:, 2].tolist() == [94, 96, 94]


def test_a_pluck_that_would_ring_into_a_long_silence_is_plucked_again() -> None:
    bass = of(plucked_bass())
    assert bass is not None and bass.at == tuple(range(0, 384, 12))  # its 8ths, 16 beats
    # a drawn note held 20 ticks two 8ths before its next (a pluck of 10 would leave 14
    # silent, the clip at most 7): plucked again on the clip's 8th between; the loop's note
    rows = np.array([[384, 45, 20, 100], [408, 45, 5, 100], [420, 45, 5, 100]])
    out = bass.applied(rows, np.array([True, True, False]), end=432)
    assert out.tolist() == [[384, 45, 5, 100], [396, 45, 5, 100]] + rows[1:].tolist()
    stab = of(stabs())
    assert stab is not None and stab.at[:4] == (12, 36, 60, 84)  # the off-beats
    # a chord two beats before the next, two voices held 18 ticks: a stab (the whole
    # chord) on the off-beat between
    chord = [[12, 57, 18, 100], [12, 60, 18, 100], [12, 64, 6, 100]]
    rows = np.array(chord + [[60, p, 6, 100] for p in (53, 57, 60)])
    out = stab.applied(rows, np.ones(6, bool), end=96)
    assert out[:, 0].tolist() == [12] * 3 + [36] * 3 + [60] * 3 + [84] * 3
    assert set(out[:, 2].tolist()) == {6}
    # where the clip strikes nowhere in the gap, the note rings as before (no hole)
    sparse = Articulation(ratio=0.4, rest=7, short=5, loop=96, at=(0,))
    rows = np.array([[0, 45, 40, 100], [48, 45, 5, 100]])
    assert sparse.applied(rows, np.ones(2, bool), end=96)[:, 2].tolist() == [40, 5]


@pytest.fixture(scope="module")
def producer():
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    return load_checkpoint(find_model("producer")).model


def _takes(model, clip: Clip, memory: float, seeds: int = 3) -> list[Clip]:
    return [
        take.clip
        for rng_seed in range(seeds)
        for take in generate(
            model, clip, GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=memory)
        ).variations
    ]


def _held(clip: Clip) -> list[float]:
    """Each note's length over the gap to the next onset (at most 1)."""
    starts = sorted({n.start for n in clip.notes}) + [clip.length]
    out = []
    for n in clip.notes:
        gap = next(s for s in starts if s > n.start) - n.start
        out.append(min(n.duration, gap) / gap)
    return out


def test_at_memory_0_a_stab_comes_back_stabbed(producer) -> None:
    """With the clip's memory off, a 16th-long stab on every off-beat came back with the
    network's lengths: 0.36 beats a note, held 0.46 of the gap to its next (the clip: 0.25
    and 0.25), 3 rng seeds x 4 takes; now 0.27 and 0.36."""
    takes = _takes(producer, stabs(), 0.0)
    lengths = [n.duration for t in takes for n in t.notes]
    assert np.mean(lengths) <= 0.3
    assert np.mean([h for t in takes for h in _held(t)]) <= 0.4


def test_at_memory_0_a_plucked_bass_comes_back_plucked(producer) -> None:
    """A bass of 8ths plucked 0.2 beats came back 0.46 beats a note, held 0.81 of its gaps
    (the clip: 0.4); now 0.33 and 0.56."""
    takes = _takes(producer, plucked_bass(), 0.0)
    assert np.mean([n.duration for t in takes for n in t.notes]) <= 0.36
    assert np.mean([h for t in takes for h in _held(t)]) <= 0.6


def test_the_audits_gapless_parts_at_memory_0_are_no_blips_in_silence(producer) -> None:
    """helper-101's length cap left an octave 16th arp 90% silent in 12 of 12 takes and a
    pad up to 80% (the clips: 21% and 3%); a gapless part's lengths are the network's."""
    for clip, most in ((octave_arp(), 0.3), (pad(), 0.5)):
        for take in _takes(producer, clip, 0.0, seeds=2):
            assert silent_share(take) <= most


def test_at_memory_0_an_octave_16th_arp_stays_an_arp(producer) -> None:
    """With the clip's memory off an octave 16th arp came back as one 4-beat note a bar in
    every take (1 strike a bar for its 16, 3 rng seeds x 4 takes); the network's long note is
    struck again on each of the clip's 16ths, as long as its notes."""
    takes = _takes(producer, octave_arp(), 0.0)
    for take in takes:
        assert max(n.duration for n in take.notes) <= 0.5  # two 16ths at most
        assert len({n.start for n in take.notes}) / (take.length / 4) >= 12


def test_at_memory_0_a_pluck_stays_a_pluck(producer) -> None:
    """A bass of 0.2-beat 8th plucks: in 10 of 12 takes a note longer than 0.4 beats (2 and
    3.7-beat notes, where the network left a gap longer than any the clip has); the long
    notes are plucks on the clip's 8ths. A pluck kept short before a gap longer than the
    clip's silences rang on into it: 3 of 12 takes with a note of 0.5-0.71 beats, and a
    16th-long stab on the off-beats rang 3.25 beats; now plucked again on the clip's 8ths
    and off-beats, none over 0.4."""
    takes = _takes(producer, plucked_bass(), 0.0)
    assert max(n.duration for t in takes for n in t.notes) <= 0.4
    assert max(n.duration for t in _takes(producer, stabs(), 0.0) for n in t.notes) <= 0.4


def test_at_memory_0_a_legato_lead_and_a_pad_stay_held(producer) -> None:
    """With the clip's memory off an octave lead held note to note came back detached: 36%
    of it silent, each note held 0.71 of the gap to its next (the clip: none and 1.0, 3 rng
    seeds x 4 takes), and a pad of chords held 3.9 of 4 beats up to 44% silent (its 3%);
    now 11% and 0.94, the pad at most its 3%. A lead's bar of rest after its calls stays."""
    takes = _takes(producer, octave_lead(), 0.0)
    assert np.mean([silent_share(t) for t in takes]) <= 0.2
    assert np.mean([h for t in takes for h in _held(t)]) >= 0.9
    for take in _takes(producer, pad(), 0.0):
        assert silent_share(take) <= 0.03
    assert np.mean([silent_share(t) for t in _takes(producer, calls(), 0.0)]) >= 0.2


def test_a_pulsing_parts_hole_is_struck_again_on_the_clips_ticks() -> None:
    power = of(chugs())
    assert power is not None and power.pulse == tuple(range(0, 384, 12)) and not power.at
    # a drawn chord held 10 ticks, then nothing for 40: struck again on the clip's 8ths in
    # the gap (each as long as the clip's notes, to the next strike: 432 is less than a
    # 16th before it); a note the loop gave is left as it is
    rows = np.array([[384, 40, 10, 100], [384, 47, 10, 100], [434, 40, 10, 100]])
    out = power.applied(rows, np.array([True, True, False]), end=444)
    assert out[:, 0].tolist() == [384, 384, 396, 396, 408, 408, 420, 420, 434]
    assert out[:, 2].tolist() == [10] * 9
    # a drawn note that ends early before its next strike is held to leave no longer a
    # silence than the clip's (2 ticks), at most as long as its notes
    rows = np.array([[384, 40, 3, 100], [390, 40, 3, 100], [396, 40, 3, 100]])
    assert power.applied(rows, np.ones(3, bool), end=408)[:, 2].tolist() == [4, 4, 10]


def test_a_pluck_drawn_short_before_a_long_silence_is_plucked_again() -> None:
    """A pluck the network drew short (a stab's 16th, a bass's 0.1-beat 8th), then a gap
    the clip never has: only a note longer than a pluck was plucked again, so the short one
    was left before a silence (the stab a beat and a quarter for its 0.75). Now it is
    plucked again on the clip's ticks, each at least as long as the clip's shortest."""
    stab = of(stabs())
    assert stab is not None and stab.short == 6 and stab.rest == 18
    rows = np.array([[t, p, 6, 100] for t in (12, 60) for p in (57, 60, 64)])
    out = stab.applied(rows, np.ones(6, bool), end=84)
    assert out[:, 0].tolist() == [12] * 3 + [36] * 3 + [60] * 3  # the chord on the off-beat
    bass = of(plucked_bass())
    assert bass is not None and bass.short == 5 and bass.rest == 7
    rows = np.array([[0, 45, 2, 100], [36, 45, 5, 100]])  # a 2-tick pluck, 34 silent
    out = bass.applied(rows, np.ones(2, bool), end=48)
    assert out[:, 0].tolist() == [0, 12, 24, 36] and out[:3, 2].tolist() == [5, 5, 5]


def test_a_part_struck_every_beat_has_its_holes_struck_again() -> None:
    """Power chords on every beat, each 0.9 of it, are neither staccato, pulsing (8ths) nor
    legato: the network's lengths were its own, and at memory 0 a chord held a beat, then
    half a beat silent before an off-beat chord, was a hole. Now it is struck again on the
    clip's beat in the gap; a chord held over its beats rings as the network drew it."""
    power = of(power_chords())
    assert power is not None and power.pulse == tuple(range(0, 384, 24))
    chord = [[0, p, 24, 100] for p in (40, 47, 52)] + [[36, p, 60, 100] for p in (40, 47)]
    out = power.applied(np.array(chord), np.ones(5, bool), end=96)
    assert out[:, 0].tolist() == [0, 0, 0, 24, 24, 24, 36, 36]
    assert out[:, 2].tolist() == [24, 24, 24, 12, 12, 12, 60, 60]


def test_a_pulsing_parts_hole_after_the_loops_strike_is_struck_again() -> None:
    """At memory 0.3 the loop gave power chords of 8ths, the network a chord a beat after
    the loop's: 0.58 beats silent for the clip's 0.1 (3 of 12 takes). The loop's chord (none
    of it drawn) is struck again on the clip's 8th in the gap, its every voice."""
    power = of(chugs())
    assert power is not None
    rows = np.array([[384, 40, 10, 100], [384, 47, 10, 100], [408, 40, 10, 100]])
    out = power.applied(rows, np.array([False, False, True]), end=420)
    assert out[:, 0].tolist() == [384, 384, 396, 396, 408]
    assert out[:, 1].tolist() == [40, 47, 40, 47, 40] and out[:, 2].tolist() == [10] * 5


def test_at_low_memory_power_chords_leave_no_holes(producer) -> None:
    """Power chords on every beat (0.9 of it) at memory 0, power chords of 8ths at memory
    0.3 and 0.5: a chord held a beat before an off-beat one, or a loop's chord before the
    network's a beat later, left a silence longer than the clip's (power.mid 7 of 12 takes
    at memory 0, up to 0.6 beats for its 0.1; power_cm 3 and 2 of 12 at 0.3 and 0.5, 0.6
    beats); now none."""
    for take in _takes(producer, power_chords(), 0.0):
        assert longest_silent(take) <= 0.125  # the clip: 0.1, on the tick grid
    for memory in (0.3, 0.5):
        for take in _takes(producer, chugs(), memory):
            assert longest_silent(take) <= 0.125


def test_at_memory_0_a_pulsing_part_leaves_no_holes(producer) -> None:
    """With the clip's memory off, power chords on every 8th (each 0.4 beats: 0.1 silent)
    came back with quarters and notes ending early between them: 5 of 12 takes silent for
    longer than the clip ever is, up to 1.12 beats (3 rng seeds x 4 takes); now none. A
    bass of 0.2-beat 8th plucks, a pluck ending early before a gap, 5 of 12 (up to 0.62 for
    its 0.29); now none."""
    for take in _takes(producer, chugs(), 0.0):
        assert longest_silent(take) <= 0.125  # the clip: 0.1, on the tick grid
    for take in _takes(producer, plucked_bass(), 0.0):
        assert longest_silent(take) <= 0.3


def sus_stabs() -> Clip:
    """Sus stabs a 16th long on 1, 1.75, 2.5, the and of 3 and 4.25, four bars (Csus4,
    Bbsus2, Csus2, Bbsus2): the longest silence 0.75 beats."""
    chords = ((60, 65, 67), (58, 63, 65), (60, 62, 67), (58, 60, 65))
    steps = (0.0, 0.75, 1.5, 2.5, 3.25)
    return Clip(
        tuple(
            Note(p, 4 * b + s, 0.25, 100) for b, c in enumerate(chords) for s in steps for p in c
        ),
        16.0,
    )


def test_the_loops_stab_before_a_long_silence_is_plucked_again() -> None:
    """At memory 0.3 the loop gave a stab, the network its next a beat and a half on: only
    a drawn note was plucked again, so the loop's left 1.25 beats silent for the clip's
    0.75. The loop's stab (none of it drawn) is plucked again on the clip's tick in the
    gap, its every voice."""
    stab = of(stabs())
    assert stab is not None and stab.at
    rows = np.array([[t, p, 6, 100] for t in (12, 60) for p in (57, 60)])
    out = stab.applied(rows, np.array([False, False, True, True]), end=84)
    assert out[:, 0].tolist() == [12, 12, 36, 36, 60, 60] and out[2:4, 1].tolist() == [57, 60]


def test_at_low_memory_sus_stabs_leave_no_hole_after_the_loops_stab(producer) -> None:
    """At memory 0.3 and 0.5, rng seeds 1-6, 4 takes each, takes silent longer than the
    clip's 0.75 beats: 4 and 1 of 24 (up to 1.25 and 1.00 beats, a loop's stab then the
    network's a beat and a half on); now none."""
    holes = []
    for memory in (0.3, 0.5):
        for rng_seed in range(1, 7):
            params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=memory)
            for take in generate(producer, sus_stabs(), params).variations:
                if longest_silent(take.clip) > 0.8:
                    holes.append((memory, rng_seed, longest_silent(take.clip)))
    assert not holes, holes

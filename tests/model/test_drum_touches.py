"""A drum take's touch of its own at a phrase's end, on a beat the loop keeps note for note."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from segue.grid import TICKS_PER_BEAT, clip_rows
from segue.model.architecture import ModelConfig
from segue.model.drum_touches import (
    Touch,
    alike_notice,
    alike_takes,
    all_backbone,
    length_setting,
    takes_notice,
    touches,
    with_touches,
)
from segue.model.drumming import backbone, kit_mask
from segue.model.generate import generate
from segue.model.loop import CELLS
from segue.model.lstm import SegueLSTM
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note, TimeSignature

BAR = 4 * TICKS_PER_BEAT
KICK, SNARE, CLAP, HAT, OPEN = 36, 38, 39, 42, 46
SIXTEENTH = TICKS_PER_BEAT // 4


def house() -> Clip:
    """One bar of house: a kick on every beat, a clap on 2 and 4, closed hats on the
    offbeats, the hat opened on the "and" of 2: every hit the beat's backbone."""
    notes = [Note(KICK, float(b), 0.25, 110) for b in range(4)]
    notes += [Note(CLAP, 1.0, 0.25, 100), Note(CLAP, 3.0, 0.25, 100)]
    notes += [Note(HAT, b + 0.5, 0.25, 80) for b in (0, 2, 3)]
    notes.append(Note(OPEN, 1.5, 0.25, 90))
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0)


def test_a_beat_that_is_all_backbone_has_a_touch_of_each_kind_a_drummer_gives_a_phrase_end() -> (
    None
):
    rows = clip_rows(house())
    kept = backbone(rows, BAR, BAR)
    assert all_backbone(rows, BAR, BAR, kept)
    kinds = touches(
        rows, BAR, BAR, kit_mask(rows, "clip", 0, 127), TICKS_PER_BEAT, TICKS_PER_BEAT, 4
    )
    a, e = 3 * TICKS_PER_BEAT + 3 * SIXTEENTH, 3 * TICKS_PER_BEAT + SIXTEENTH  # beat 4's 16ths
    assert set(kinds) == {
        Touch(a, CLAP, 50, SIXTEENTH),  # a ghost clap, half its loudest: a pickup
        Touch(e, CLAP, 50, SIXTEENTH),
        Touch(a, HAT, 80, SIXTEENTH),  # a hat between the hats
        Touch(e, HAT, 80, SIXTEENTH),
        Touch(BAR - TICKS_PER_BEAT // 2, OPEN, 90, SIXTEENTH, HAT),  # the last hat opened
    }
    assert KICK not in {t.pad for t in kinds}  # the kick is the groove's backbone
    eighths = clip_rows(  # 8 closed hats a bar vary as the loop varies them
        Clip(tuple(Note(HAT, i / 2, 0.25, 80) for i in range(8)) + house().notes[:6], 4.0)
    )
    assert not all_backbone(eighths, BAR, BAR, backbone(eighths, BAR, BAR))


def test_each_take_plays_its_own_touch_and_the_hat_it_opens_is_not_struck_closed() -> None:
    rows = clip_rows(house())
    opened = Touch(BAR - TICKS_PER_BEAT // 2, OPEN, 90, SIXTEENTH, HAT)
    ghost = Touch(BAR - SIXTEENTH, CLAP, 50, SIXTEENTH)
    loop = np.concatenate([rows + [b * BAR, 0, 0, 0] for b in range(1, 9)])  # 8 bars after
    takes = with_touches([loop, loop], (opened, ghost), BAR, BAR, 9 * BAR, np.random.default_rng(0))
    for bar in (4, 8):  # the phrases' last bars, after the one-bar clip
        at = BAR + bar * BAR - TICKS_PER_BEAT // 2
        hits = [{(int(o), int(p)) for o, p in take[:, :2]} for take in takes]
        opens = [(at, OPEN) in h and (at, HAT) not in h for h in hits]
        ghosts = [(at + TICKS_PER_BEAT // 2 - SIXTEENTH, CLAP) in h for h in hits]
        assert sorted(opens) == sorted(ghosts) == [False, True]  # one each


def _tiny_drums() -> SegueLSTM:
    """An untrained drum model whose loop keeps half of every cell, seeded the same."""
    torch.manual_seed(0)
    return SegueLSTM(
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    ).eval()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_four_takes_of_a_beat_the_loop_keeps_note_for_note_differ(seed: int) -> None:
    """A one-bar house beat without fills gave 4 identical takes, and at 16 and 32 bars the
    clip's bar tiled note for note (helper-88): its every hit is the backbone, which the loop
    keeps, so nothing was left to vary."""
    model = _tiny_drums()
    params = GenerationParams(bars=8, variations=4, rng_seed=seed)
    takes = [clip_rows(v.clip) for v in generate(model, house(), params).variations]
    loop = {(int(o), int(p)) for o, p in clip_rows(house())[:, :2]}
    assert len({tuple(map(tuple, t[:, :2].tolist())) for t in takes}) == 4  # 1 before
    for take in takes:
        for bar in range(8):
            hits = {(int(o) - bar * BAR, int(p)) for o, p in take[:, :2] if o // BAR == bar}
            if bar % 4 != 3:
                assert hits == loop, bar  # inside a phrase, the loop
                continue
            added, lost = hits - loop, loop - hits  # its end: one touch, the backbone kept
            assert len(added) == 1 and lost <= {(BAR - TICKS_PER_BEAT // 2, HAT)}, (added, lost)
            assert KICK not in {p for _, p in added}


def test_drum_takes_whose_hits_differ_only_in_a_one_shots_length_are_the_same_beat() -> None:
    take = house()
    longer = Clip(tuple(n if n.pitch != HAT else Note(HAT, n.start, 0.5, 80) for n in take.notes))
    assert alike_takes([take, longer], drums=True) and not alike_takes([take, longer])
    assert not alike_takes([take]) and not alike_takes([take, Clip(take.notes[1:])], drums=True)


def two_touch() -> Clip:
    """One bar of two drums: a kick on every beat, a closed hat on the offbeats."""
    notes = [Note(KICK, float(b), 0.25, 110) for b in range(4)]
    notes += [Note(HAT, b + 0.5, 0.25, 80) for b in range(4)]
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0)


def test_a_beat_of_two_drums_has_a_touch_for_each_of_its_takes_a_beat_earlier_too() -> None:
    """A kick and a hat (or a kick and a snare) had two touches, on the last beat's 16ths:
    4 takes were 2 (helper-107)."""
    rows = clip_rows(two_touch())
    kit = kit_mask(rows, "clip", 0, 127)
    last = touches(rows, BAR, BAR, kit, TICKS_PER_BEAT, TICKS_PER_BEAT, 4)
    a, e = 3 * TICKS_PER_BEAT + 3 * SIXTEENTH, 3 * TICKS_PER_BEAT + SIXTEENTH
    assert set(last) == {Touch(a, HAT, 80, SIXTEENTH), Touch(e, HAT, 80, SIXTEENTH)}
    four = touches(rows, BAR, BAR, kit, TICKS_PER_BEAT, TICKS_PER_BEAT, 4, takes=4)
    earlier = {Touch(a - TICKS_PER_BEAT, HAT, 80, SIXTEENTH)}
    earlier.add(Touch(e - TICKS_PER_BEAT, HAT, 80, SIXTEENTH))
    assert four[:2] == last and set(four[2:]) == earlier  # the beat before's 16ths
    house_rows = clip_rows(house())  # a beat with touches enough keeps its own
    kit = kit_mask(house_rows, "clip", 0, 127)
    args = (house_rows, BAR, BAR, kit, TICKS_PER_BEAT, TICKS_PER_BEAT, 4)
    assert touches(*args, takes=4) == touches(*args)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_four_takes_of_a_beat_of_two_drums_are_four(seed: int) -> None:
    model = _tiny_drums()
    params = GenerationParams(bars=4, variations=4, rng_seed=seed)
    takes = [clip_rows(v.clip) for v in generate(model, two_touch(), params).variations]
    assert len({tuple(map(tuple, t[:, :2].tolist())) for t in takes}) == 4  # 2 before


def test_takes_the_loop_left_the_same_get_a_touch_each_where_a_fill_leaves_room() -> None:
    """A kick under 8th-note hats varies its hats at the loop's rate, and at its strength
    some takes varied nothing: 3 distinct takes of 4 in 4 of 6 requests. A kick and snare's
    fills came out the same too (2 of 4)."""
    from segue.model.drum_touches import touch_repeats

    rows = clip_rows(two_touch())
    kinds = touches(rows, BAR, BAR, kit_mask(rows, "clip", 0, 127), TICKS_PER_BEAT, 24, 4, 4)
    loop = np.concatenate([rows + [b * BAR, 0, 0, 0] for b in range(1, 5)])  # 4 bars after
    other = loop[:-1]  # one take of its own: its last hat left out
    fill_at = BAR + 3 * BAR + 3 * TICKS_PER_BEAT + 3 * SIXTEENTH  # a fill's hat on the "a" of 4
    filled = np.concatenate([loop, [[fill_at, HAT, SIXTEENTH, 80]]])
    filled = filled[np.lexsort((filled[:, 1], filled[:, 0]))]
    takes = [loop, loop.copy(), other, filled, filled.copy()]
    out = touch_repeats(takes, kinds, BAR, BAR, 5 * BAR, np.random.default_rng(0))
    assert np.array_equal(out[2], other)  # a take of its own is left alone
    assert len({tuple(map(tuple, t.tolist())) for t in out}) == 5
    for before, after in zip(takes, out, strict=True):
        assert len(after) - len(before) in (0, 1)  # a touch each, at most
    assert touch_repeats([loop, loop], (), BAR, BAR, 5 * BAR, np.random.default_rng(0))[1] is loop


def test_takes_of_a_beat_whose_loop_varies_that_came_out_the_same_differ() -> None:
    """A kick on 1 and 3 under 8th-note hats: the hats are no backbone, so the loop may vary
    them, but a loop kept this strongly varied none, and the takes were one take."""
    beat = kick_and_hats()
    rows = clip_rows(beat)
    assert not all_backbone(rows, BAR, BAR, backbone(rows, BAR, BAR))
    model = _firm_drums()
    for seed in (1, 2):
        params = GenerationParams(bars=4, variations=4, rng_seed=seed)
        takes = [clip_rows(v.clip) for v in generate(model, beat, params).variations]
        assert len({tuple(map(tuple, t[:, [0, 1, 3]].tolist())) for t in takes}) == 4


def test_the_same_takes_advice_names_the_length_given() -> None:
    """Takes of ``--notes 8`` that came out the same were told to give ``--bars 4``: the
    advice names the length the musician set, bars, beats (of the clip's metre) or notes,
    as an option or as the bridge's setting."""
    assert length_setting(None, None) == "bars" and length_setting(6.0, None) == "beats"
    assert length_setting(None, 8) == "notes"
    said = {
        (length, flags): alike_notice(3, 0.25, flags, length=length, bar_beats=3.5)
        for length in ("bars", "beats", "notes")
        for flags in (True, False)
    }
    assert said[("bars", True)].endswith("give --bars 1 or more")
    assert said[("beats", True)].endswith("give --beats 3.5 or more")  # a bar of 7/8
    assert said[("beats", False)].endswith("give beats 3.5 or more")
    assert said[("notes", True)].endswith("give more --notes (a bar's worth)")
    assert said[("notes", False)].endswith("give more notes (a bar's worth)")
    assert alike_notice(3, 1.0, True, length="beats", bar_beats=3.5).endswith(
        "give --memory 0, or --beats 7 or more with --fills often"
    )
    # half a bar has its touch on its last beat: what a bar is told (d3efb05)
    assert alike_notice(3, 0.5, True) == alike_notice(3, 1.0, True)


def test_drum_takes_a_bar_or_more_long_that_came_out_the_same_are_told_what_varies_them() -> None:
    """A drum take of a whole bar or more has its touch in its own last bar, yet takes of
    half a bar were told that the loop "varies only in a 4-bar phrase's last bar" and to
    give --bars 4, and takes of 2 bars of a beat with no pad free for a touch (a kick under
    an open hat) to give --fills phrase, whose fill falls after their end: a half bar is
    told a bar (now a take under a beat: half a bar has its touch on its last beat); a bar,
    Memory 0 or 2 bars with fills every 2 bars; 2 bars and more, fills
    every 2 bars (a kick and open hat's 2-bar takes: all alike in 1 request of 8 with them,
    8 of 8 with --fills phrase or none)."""
    quarter = alike_notice(4, 0.2)  # less than a beat: no whole beat for a touch
    assert quarter.endswith("varies only on a take's last whole beat; give --bars 1 or more")
    assert "phrase" not in quarter
    assert alike_notice(4, 1.0).endswith(
        "the beat has no pad free for a touch at its end; give --memory 0, or --bars 2 or "
        "more with --fills often"
    )
    for bars in (2.0, 3.0, 4.0, 8.0):
        assert alike_notice(4, bars).endswith(
            "the beat has no pad free for a touch at its end; give --fills often for takes "
            "that differ"
        )
    assert alike_notice(6, 4.0, False, distinct=4).startswith(
        "only 4 of 6 takes differ: the loop is kept note for note, the beat has fewer touches "
        "than takes at its end; give fills often"
    )
    clip = Clip(tuple(Note(KICK, float(b), 0.25, 110) for b in range(8)), 8.0)
    assert takes_notice([clip, clip], True) == alike_notice(2, 2.0)  # its takes' own length
    assert takes_notice([clip, clip], True, bar_beats=3.0) == alike_notice(2, 8 / 3, bar_beats=3)
    one = Clip(clip.notes[:1], 4.0)  # takes of notes end at their last: under a beat, not a bar
    assert takes_notice([one, one], True, length="notes").endswith("(a bar's worth)")
    two = Clip(clip.notes[:2], 4.0)  # just over a beat: a touch on its last beat
    assert takes_notice([two, two], True, length="notes").endswith(
        "give --memory 0, or more --notes (2 bars' worth) with --fills often"
    )


def test_the_same_takes_advice_for_a_melodic_part_names_no_fills() -> None:
    """A held pad's takes (a melodic model) were told to give ``--fills phrase``, which then
    said it had no effect (helper-114): a melodic part is told the length, or where its
    takes reach a phrase's end, a wilder temperature."""
    short = alike_notice(4, 2.0, True, length="notes", drums=False)
    assert short.endswith("give more --notes (a 4-bar phrase's worth)") and "fills" not in short
    assert alike_notice(4, 4.0, True, drums=False).endswith(
        "give -t 1.3 or more, or --memory 0, for takes that differ"
    )
    assert alike_notice(4, 4.0, False, drums=False).endswith(
        "give temperature 1.3 or more, or memory 0, for takes that differ"
    )
    # already as wild as that: a lower Memory, where the network plays the takes itself
    hot = alike_notice(4, 4.0, True, drums=False, temperature=1.3)
    assert hot.endswith("; give --memory 0 for takes that differ") and "-t" not in hot
    assert alike_notice(4, 4.0, False, drums=False, temperature=2.0).endswith(
        "; give memory 0 for takes that differ"
    )
    assert alike_notice(4, 2.0, True, drums=False).endswith("give --bars 4 or more")


def test_takes_alike_at_memory_0_are_not_told_the_loop_was_kept_or_to_give_memory_0() -> None:
    """Power chords at ``--memory 0`` whose takes came out alike were told that the loop was
    kept note for note and to give ``--memory 0``, the Memory they were played at: at 0 the
    network plays every note, and what is left to give is a wilder temperature, of a drum
    part fills."""
    cool = alike_notice(4, 4.0, True, drums=False, memory=0.0)
    assert cool == "all 4 takes are the same notes; give -t 1.3 or more for takes that differ"
    assert alike_notice(4, 2.0, False, drums=False, memory=0.0).endswith(
        "; give temperature 1.3 or more for takes that differ"
    )
    hot = alike_notice(4, 4.0, True, drums=False, temperature=1.3, memory=0.0)
    assert hot == "all 4 takes are the same notes"
    assert alike_notice(4, 1.0, True, memory=0.0) == (
        "all 4 takes are the same notes, the beat has no pad free for a touch at its end; "
        "give --bars 2 or more with --fills often"
    )
    # a Memory below 1 but above 0 kept the loop, and 0 is still lower
    assert "--memory 0" in alike_notice(4, 4.0, True, drums=False, memory=0.5)
    clip = Clip(tuple(Note(60, float(b), 1.0, 100) for b in range(16)), 16.0)
    assert takes_notice([clip, clip], False, memory=0.0) == (
        "all 2 takes are the same notes; give -t 1.3 or more for takes that differ"
    )


def test_drum_takes_under_a_beat_alike_at_memory_0_are_told_in_a_sentence() -> None:
    """Half-beat takes of a kick alone at ``--memory 0`` (rng 1, -n 4, ``--beats 0.5``)
    were told "all 4 takes are the same notes and varies only on a take's last whole beat",
    a trap beat's "only 3 of 4 takes differ and varies ...": at Memory 0 the head has no
    "the loop is kept note for note" for "and varies" to follow (helper-216)."""
    said = alike_notice(4, 0.125, True, length="beats", memory=0.0)
    assert said == "all 4 takes are the same notes, none a whole beat; give --beats 4 or more"
    some = alike_notice(4, 0.125, False, distinct=3, length="beats", memory=0.0)
    assert some == "only 3 of 4 takes differ, none a whole beat; give beats 4 or more"
    assert " and varies" not in some
    kept = alike_notice(4, 0.125, True, length="beats")  # the loop kept: as before
    assert kept.endswith(
        ": the loop is kept note for note and varies only on a take's "
        "last whole beat; give --beats 4 or more"
    )


def test_takes_whose_notes_differ_only_in_a_velocity_are_the_same_notes() -> None:
    """Four takes with the same pitches and places, one velocity 92 for 100: no notice
    said they were the same take (helper-114)."""
    take = Clip(tuple(Note(40 + i % 3, i * 0.5, 0.5, 100) for i in range(8)))
    softer = Clip((Note(40, 0.0, 0.5, 92), *take.notes[1:]))
    assert alike_takes([take, softer]) and alike_takes([take, softer], drums=True)
    assert not alike_takes([take, Clip((Note(41, 0.0, 0.5, 100), *take.notes[1:]))])


def test_drum_takes_that_differ_only_in_a_velocity_get_a_touch_and_are_then_told_apart() -> None:
    """Two takes whose one hat was 70 for 80 counted as different to the touches and as the
    same to the takes notice: neither got a touch, and they were said to be the same."""
    from segue.model.drum_touches import repeated, touch_repeats

    rows = clip_rows(two_touch())
    kinds = touches(rows, BAR, BAR, kit_mask(rows, "clip", 0, 127), TICKS_PER_BEAT, 24, 4, 2)
    loop = np.concatenate([rows + [b * BAR, 0, 0, 0] for b in range(1, 5)])  # 4 bars after
    softer = loop.copy()
    softer[-1, 3] = 70
    assert repeated([loop, softer]) == [0, 1]  # before: none
    out = touch_repeats([loop, softer], kinds, BAR, BAR, 5 * BAR, np.random.default_rng(0))
    assert repeated(out) == []
    clips = [
        Clip(tuple(Note(int(p), o / TICKS_PER_BEAT, 0.25, int(v)) for o, p, _, v in t), 20.0)
        for t in out
    ]
    assert not alike_takes(clips, drums=True)  # and the notice sees two takes


def _firm_drums() -> SegueLSTM:
    """An untrained drum model whose loop keeps every hit (no slips): a take is the clip
    played on, hit for hit, unless something gives it a touch."""
    torch.manual_seed(0)
    config = ModelConfig(
        hidden=32, embed=8, layers=1, drums=True, loop=(0.999,) * CELLS, loop_strength=16.0
    )
    return SegueLSTM(replace(config, loop_slip=0.0, loop_velocity_slip=0.0)).eval()


def kick_and_hats() -> Clip:
    """A kick on 1 and 3 under 8th-note hats: the hats are no backbone (the loop may vary
    them), so the beat is not all backbone."""
    notes = [Note(HAT, i / 2, 0.25, 80) for i in range(8)]
    notes += [Note(KICK, 0.0, 0.25, 110), Note(KICK, 2.0, 0.25, 110)]
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0)


def _bars(take: np.ndarray, bars: int) -> list[set[tuple[int, int]]]:
    """Each bar's hits of ``take`` (place in the bar, pad)."""
    return [
        {(int(o) - b * BAR, int(p)) for o, p in take[:, :2] if o // BAR == b} for b in range(bars)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_take_that_would_be_the_clip_hit_for_hit_gets_a_touch_at_the_phrase_end(
    seed: int,
) -> None:
    """A breakbeat's take was the clip again, hit for hit, length and velocity (3 of 32 at
    the defaults, helper-185): only takes equal to each other got a touch. A drummer asked
    for a variation varies at least the last bar of the phrase: the take keeps the loop in
    its first 3 bars and plays one touch in the 4th, its kick kept."""
    beat = kick_and_hats()
    loop = {(int(o), int(p)) for o, p in clip_rows(beat)[:, :2]}
    params = GenerationParams(bars=4, variations=1, rng_seed=seed)
    take = clip_rows(generate(_firm_drums(), beat, params).variations[0].clip)
    bars = _bars(take, 4)
    assert bars[:3] == [loop] * 3  # inside the phrase, the loop
    added, lost = bars[3] - loop, loop - bars[3]
    assert len(added) == 1 and not lost, (added, lost)  # the clip before: none added
    assert KICK not in {p for _, p in added}


@pytest.mark.parametrize("bars", [4, 2])
def test_at_temperature_0_a_drum_take_is_the_clip_played_on(bars: int) -> None:
    """A musician who wants the clip back hit for hit asks for the likeliest notes: at
    temperature 0 the take has no touch, however short (a take shorter than a phrase has
    its touch in its own last bar above 0)."""
    beat = kick_and_hats()
    loop = {(int(o), int(p)) for o, p in clip_rows(beat)[:, :2]}
    params = GenerationParams(bars=bars, variations=1, rng_seed=1, temperature=0.0)
    take = clip_rows(generate(_firm_drums(), beat, params).variations[0].clip)
    assert _bars(take, bars) == [loop] * bars


def test_takes_at_memory_0_that_would_be_the_clip_get_a_touch_each() -> None:
    """A kick on 1 and 3 and a snare on 2 and 4 is all anchors, which memory 0 keeps: the
    network added nothing, and 4 takes were the clip 4 times over (the touches were off at
    memory 0). Each now has a touch of its own in the phrase's last bar."""
    notes = [Note(KICK, 0.0, 0.25, 110), Note(KICK, 2.0, 0.25, 110)]
    notes += [Note(SNARE, 1.0, 0.25, 100), Note(SNARE, 3.0, 0.25, 100)]
    beat = Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0)
    loop = {(int(o), int(p)) for o, p in clip_rows(beat)[:, :2]}
    params = GenerationParams(bars=4, variations=4, rng_seed=1, memory=0.0)
    takes = [clip_rows(v.clip) for v in generate(_firm_drums(), beat, params).variations]
    assert all(_bars(t, 4)[3] != loop for t in takes)  # the clip 4 times before
    assert len({tuple(map(tuple, t[:, :2].tolist())) for t in takes}) == 4


def test_a_take_of_notes_that_is_the_clip_up_to_its_last_hit_is_a_copy() -> None:
    """Takes of a length in notes end where their notes run out: a take is the clip again
    when its hits are the clip's up to its own last hit; one with a hit of its own is not."""
    from segue.model.drum_touches import clip_copies, played_on

    rows = clip_rows(two_touch())
    on = played_on(rows, BAR, BAR, 3 * BAR)
    assert np.array_equal(on[:, 0], np.concatenate([rows[:, 0] + k * BAR for k in (1, 2)]))
    short = on[:5]
    other = on.copy()
    other[2, 1] = SNARE
    assert clip_copies([on, short, other], rows, BAR, BAR, None) == [0, 1]
    assert clip_copies([on, short, other], rows, BAR, BAR, 3 * BAR) == [0]  # 2 bars asked


def half_time_trap(triplets: bool = False) -> Clip:
    """A half-time trap beat: a kick on 1 and the "and" of 3, a clap on 3 alone, hats on
    every 16th (``triplets``: every 16th triplet), the beat's downbeats accented."""
    per = 6 if triplets else 4
    notes = [Note(HAT, i / per, 0.1, 80 if i % per == 0 else 65) for i in range(4 * per)]
    notes += [Note(KICK, 0.0, 0.25, 115), Note(KICK, 2.5, 0.25, 110), Note(CLAP, 2.0, 0.25, 100)]
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0)


@pytest.mark.parametrize("bars", [1, 2, 3])
@pytest.mark.parametrize("beat", [kick_and_hats(), half_time_trap()], ids=["kick_hats", "trap"])
def test_a_take_shorter_than_a_phrase_that_would_be_the_clip_gets_a_touch_in_its_last_bar(
    bars: int, beat: Clip
) -> None:
    """4 takes of 1 or 2 bars of a one-bar beat were the clip again, hit for hit (20 of 32
    takes of a rock beat, 32 of 32 of a house beat): the touch went in the phrase's last
    bar, which a take shorter than a phrase never reaches. It now goes in the take's own
    last bar, the bars before it the loop, its kick kept, each take a touch of its own. A
    half-time trap beat (its clap on 3 alone, its hats on every 16th) had no touch at all:
    15 and 11 of 32 of its 1- and 2-bar takes were the clip."""
    loop = {(int(o), int(p)) for o, p in clip_rows(beat)[:, :2]}
    for seed in (1, 2):
        params = GenerationParams(bars=bars, variations=4, rng_seed=seed)
        takes = [clip_rows(v.clip) for v in generate(_firm_drums(), beat, params).variations]
        for take in takes:
            bars_of = _bars(take, bars)
            assert bars_of[:-1] == [loop] * (bars - 1)  # inside the take, the loop
            added, lost = bars_of[-1] - loop, loop - bars_of[-1]
            assert added, "the clip again, hit for hit"
            assert KICK not in {p for _, p in added | lost}
        assert len({tuple(map(tuple, t[:, :2].tolist())) for t in takes}) == 4


def test_a_touch_goes_in_the_phrase_s_last_bar_or_the_take_s_own_last_bar() -> None:
    """The phrase's last bar where the take reaches it; else the take's last whole bar
    inside the phrase; none where the take has no whole bar of the phrase."""
    from segue.model.drum_touches import touch_bar

    assert touch_bar(BAR, 3, BAR, BAR + 4 * BAR) == BAR + 3 * BAR  # 4 bars: bar 4
    assert touch_bar(BAR, 3, BAR, BAR + 2 * BAR) == BAR + BAR  # 2 bars: bar 2
    assert touch_bar(BAR, 3, BAR, BAR + BAR) == BAR  # 1 bar: bar 1
    assert touch_bar(BAR, 3, BAR, BAR + BAR + BAR // 2) == BAR  # 1.5 bars: bar 1
    assert touch_bar(BAR, 3, BAR, BAR + BAR // 2) == BAR // 2  # half a bar: its last beat
    assert touch_bar(BAR, 7, BAR, BAR + BAR // 2) is None  # once
    assert touch_bar(BAR, 7, BAR, BAR + 6 * BAR) == BAR + 5 * BAR  # 6 bars: bar 6 too
    assert touch_bar(BAR, 7, BAR, BAR + 4 * BAR + BAR // 2) is None  # 4.5: none in the 2nd


def _in_threes(meter: TimeSignature) -> Clip:
    """A beat in threes: in 4/4 a shuffle (its hats on each beat's first and last triplet,
    a kick on 1 and 3, a snare on 2 and 4); in 12/8 the same feel on the 8ths (a kick on
    the 1st and 3rd dotted quarter, a snare on the 2nd and 4th)."""
    pulse = 1.5 if meter.denominator == 8 else 1.0
    notes = [Note(HAT, b * pulse + o * pulse, 0.2, 80) for b in range(4) for o in (0, 2 / 3)]
    notes += [Note(KICK, 0.0, 0.25, 110), Note(KICK, 2 * pulse, 0.25, 110)]
    notes += [Note(SNARE, pulse, 0.25, 100), Note(SNARE, 3 * pulse, 0.25, 100)]
    ordered = tuple(sorted(notes, key=lambda n: (n.start, n.pitch)))
    return Clip(ordered, 4 * pulse, time_signature=meter)


@pytest.mark.parametrize("meter", [TimeSignature(4, 4), TimeSignature(12, 8)])
def test_a_beat_in_threes_gets_its_touch_on_its_own_grid(meter: TimeSignature) -> None:
    """A shuffle's touch (and a 12/8 feel's) fell on a straight 16th, the last beat's "a"
    or "e", off the groove's triplets: a ghost note or a hat that no drummer swinging the
    beat plays. It falls on the last pulse's thirds now, as every hit of the beat does."""
    beat = _in_threes(meter)
    third = round(TICKS_PER_BEAT * (1.5 if meter.denominator == 8 else 1.0)) // 3
    assert all(int(o) % third == 0 for o in clip_rows(beat)[:, 0])
    for seed in (1, 2):
        params = GenerationParams(bars=2, variations=4, rng_seed=seed)
        takes = [clip_rows(v.clip) for v in generate(_firm_drums(), beat, params).variations]
        played = clip_rows(
            generate(_firm_drums(), beat, replace(params, temperature=0.0)).variations[0].clip
        )
        for take in takes:
            assert not np.array_equal(take[:, :2], played[:, :2])  # a touch
            off = [int(o) for o in take[:, 0] if int(o) % third]
            assert not off, off


def test_a_half_time_trap_beat_with_a_hat_on_every_16th_has_a_ghost_clap_and_a_hat_roll() -> None:
    """A half-time trap beat had no touch at all: its clap on 3 was no backbeat (that wanted
    2 and 4) and its hats left no 16th free, so its 1- and 2-bar takes were the clip in 15
    and 11 of 32. A drummer marks its phrase's end with a ghost clap or a hat roll: 32nds
    over the last beat's last 8th, at the hats' softest, never a kick."""
    rows = clip_rows(half_time_trap())
    kit = kit_mask(rows, "clip", 0, 127)
    kinds = touches(rows, BAR, BAR, kit, TICKS_PER_BEAT, TICKS_PER_BEAT, 4)
    last = 3 * TICKS_PER_BEAT
    thirty_second = SIXTEENTH // 2
    roll = Touch(last + 2 * SIXTEENTH + thirty_second, HAT, 65, 2, rolls=(BAR - 3,))  # its hats'
    assert roll in kinds and roll.places == (last + 15, last + 21)
    assert {
        Touch(last + 3 * SIXTEENTH, CLAP, 50, SIXTEENTH),
        Touch(last + SIXTEENTH, CLAP, 50, SIXTEENTH),
    } <= set(kinds)
    assert KICK not in {t.pad for t in kinds}
    eighths = clip_rows(two_touch())  # hats on the offbeats alone: a free 16th, no roll
    eighth_kinds = touches(eighths, BAR, BAR, kit_mask(eighths, "clip", 0, 127), 24, 24, 4)
    assert eighth_kinds and not any(t.rolls for t in eighth_kinds)


def test_a_bar_of_16th_triplet_hats_is_in_threes_and_its_touches_fall_on_them() -> None:
    """16th-triplet hats were read as straight: a take's touch fell on the last beat's
    straight 16ths, between the triplets (15 of 29 added hits off them at a bar). A roll
    between them is 32nd triplets, over the last beat's last third."""
    from segue.model.drum_touches import in_threes

    third = TICKS_PER_BEAT // 3
    sixth = TICKS_PER_BEAT // 6
    assert in_threes(range(0, BAR, sixth), TICKS_PER_BEAT, TICKS_PER_BEAT)
    assert not in_threes(range(0, BAR, SIXTEENTH), TICKS_PER_BEAT, TICKS_PER_BEAT)
    assert not in_threes(range(0, BAR, 2 * SIXTEENTH), TICKS_PER_BEAT, TICKS_PER_BEAT)  # 8ths
    roll = range(BAR - TICKS_PER_BEAT, BAR, sixth)  # straight 16ths, a triplet roll into 1
    assert not in_threes([*range(0, BAR, SIXTEENTH), *roll], TICKS_PER_BEAT, TICKS_PER_BEAT)
    assert in_threes(range(0, BAR, third), TICKS_PER_BEAT, TICKS_PER_BEAT)  # a shuffle's, as before
    beat = half_time_trap(triplets=True)
    rows = clip_rows(beat)
    kinds = touches(rows, BAR, BAR, kit_mask(rows, "clip", 0, 127), 24, 24, 4)
    assert kinds and all(at % sixth == 0 for t in kinds if not t.rolls for at in t.places)
    assert [t.places for t in kinds if t.rolls] == [(BAR - 3 * sixth // 2, BAR - sixth // 2)]
    loop = {(int(o), int(p)) for o, p in rows[:, :2]}
    for seed in (1, 2):
        params = GenerationParams(bars=2, variations=4, rng_seed=seed)
        for v in generate(_firm_drums(), beat, params).variations:
            added = _bars(clip_rows(v.clip), 2)[-1] - loop
            assert added
            off = {at for at, _ in added if at % sixth}
            assert off in (set(), {BAR - 3 * sixth // 2, BAR - sixth // 2}), off  # or its roll


def sixteenth_hats(beat: Clip) -> Clip:
    """``beat`` with its hats on every 16th of the bar, the beat's downbeats accented."""
    notes = [n for n in beat.notes if n.pitch not in (HAT, OPEN)]
    notes += [Note(HAT, i / 4, 0.1, 80 if i % 4 == 0 else 65) for i in range(16)]
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0)


def funk() -> Clip:
    """A funk beat: a kick on 1, the "a" of 1 and the "and" of 3, a snare on 2 and 4 and a
    ghost note on the "a" of 2, hats on every 16th."""
    notes = [Note(KICK, 0.0, 0.25, 110), Note(KICK, 0.75, 0.25, 100), Note(KICK, 2.5, 0.25, 105)]
    notes += [Note(SNARE, 1.0, 0.25, 100), Note(SNARE, 3.0, 0.25, 100)]
    notes.append(Note(SNARE, 1.75, 0.25, 40))
    return sixteenth_hats(Clip(tuple(notes), 4.0))


def _rolled(take: np.ndarray, bars: int) -> bool:
    """Whether ``take``'s last bar has a hat roll: 32nds over its last beat's last 8th."""
    last = _bars(take, bars)[-1]
    return {(BAR - 3 * SIXTEENTH // 2, HAT), (BAR - SIXTEENTH // 2, HAT)} <= last


@pytest.mark.parametrize("bars", [1, 2])
def test_only_a_half_time_beat_with_16th_hats_gets_a_hat_roll(bars: int) -> None:
    """A hat roll (32nds over the last beat's last 8th) was every beat's touch whose hats
    strike every 16th: a four-on-the-floor house beat's and a funk beat's takes rolled the
    hats where no drummer would (7 of 32 of their 1-bar takes). It is a trap drummer's, on
    a half-time beat (its clap on 3 alone); the house and funk beats keep their ghost notes
    and the hat opened on the last offbeat."""
    trap, others = half_time_trap(), {"house": sixteenth_hats(house()), "funk": funk()}
    for name, beat in others.items():
        rows = clip_rows(beat)
        kit = kit_mask(rows, "clip", 0, 127)
        kinds = touches(rows, BAR, BAR, kit, TICKS_PER_BEAT, TICKS_PER_BEAT, 4)
        assert kinds and not any(t.rolls for t in kinds), name  # a ghost, an opened hat
    trap_rolls = 0
    for seed in range(1, 9):
        params = GenerationParams(bars=bars, variations=4, rng_seed=seed)
        for name, beat in others.items():
            takes = [clip_rows(v.clip) for v in generate(_firm_drums(), beat, params).variations]
            assert not any(_rolled(t, bars) for t in takes), (name, seed)
        takes = [clip_rows(v.clip) for v in generate(_firm_drums(), trap, params).variations]
        trap_rolls += sum(_rolled(t, bars) for t in takes)
    assert trap_rolls  # the trap beat still rolls


def four_on_the_floor(open_hats: bool = False) -> Clip:
    """A kick on every beat alone, or under an open hat on every offbeat (``open_hats``)."""
    notes = [Note(KICK, float(b), 0.25, 110) for b in range(4)]
    notes += [Note(OPEN, b + 0.5, 0.25, 90) for b in range(4)] if open_hats else []
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0)


def test_a_kick_alone_has_its_pickup_and_a_kick_under_open_hats_its_hat_s_choke() -> None:
    """A four-on-the-floor kick alone, or under an open hat on the offbeats, had no touch
    (the kick is the backbone other pads leave alone, an open hat no keeper): their takes
    were the clip again in 32 of 32. A kick alone has a ghost kick on the "a" and the "and"
    of 4, a pickup into the downbeat; the open hat is struck again a 16th after its last
    offbeat, choking it (and on the "e" of 4), the kick left as it is."""
    a, e = 3 * TICKS_PER_BEAT + 3 * SIXTEENTH, 3 * TICKS_PER_BEAT + SIXTEENTH
    rows = clip_rows(four_on_the_floor())
    kinds = touches(rows, BAR, BAR, kit_mask(rows, "clip", 0, 127), 24, 24, 4)
    assert kinds == (Touch(a, KICK, 55, SIXTEENTH), Touch(BAR - 12, KICK, 55, SIXTEENTH))
    four = touches(rows, BAR, BAR, kit_mask(rows, "clip", 0, 127), 24, 24, 4, takes=4)
    assert {t.place for t in four[2:]} == {a - TICKS_PER_BEAT, BAR - 36}  # a beat earlier
    rows = clip_rows(four_on_the_floor(open_hats=True))
    kinds = touches(rows, BAR, BAR, kit_mask(rows, "clip", 0, 127), 24, 24, 4)
    assert set(kinds) == {Touch(a, OPEN, 90, SIXTEENTH), Touch(e, OPEN, 90, SIXTEENTH)}


@pytest.mark.parametrize("memory", [1.0, 0.0])
@pytest.mark.parametrize("open_hats", [False, True], ids=["kick", "kick_open"])
def test_four_takes_of_a_kick_alone_or_under_open_hats_are_four_and_none_the_clip(
    open_hats: bool, memory: float
) -> None:
    beat = four_on_the_floor(open_hats)
    loop = {(int(o), int(p)) for o, p in clip_rows(beat)[:, :2]}
    for seed in (1, 2):
        params = GenerationParams(bars=4, variations=4, rng_seed=seed, memory=memory)
        takes = [clip_rows(v.clip) for v in generate(_firm_drums(), beat, params).variations]
        assert all(_bars(t, 4) != [loop] * 4 for t in takes)  # the clip, 4 times in 4
        assert len({tuple(map(tuple, t[:, :2].tolist())) for t in takes}) == 4


@pytest.mark.parametrize("bars", [0.5, 0.75])
def test_takes_shorter_than_a_bar_get_a_touch_on_their_last_beat(bars: float) -> None:
    """A take of half a bar or three quarters has no whole bar for a touch: 4 takes of a
    house beat were the clip again in 32 of 32 (helper-213). Each now has a touch of its
    own on its last beat, as a bar's last beat has it, and the rest is the clip."""
    beat = house()
    loop = {(int(o), int(p)) for o, p in clip_rows(beat)[:, :2]}
    end = round(bars * BAR)
    for seed in (1, 2):
        params = GenerationParams(bars=bars, variations=4, rng_seed=seed)
        takes = [clip_rows(v.clip) for v in generate(_firm_drums(), beat, params).variations]
        assert len({tuple(map(tuple, t[:, :2].tolist())) for t in takes}) == 4
        for take in takes:
            hits = {(int(o), int(p)) for o, p in take[:, :2]}
            added = hits - loop
            assert len(added) == 1 and all(end - TICKS_PER_BEAT <= o < end for o, _ in added)
            assert {(o, p) for o, p in loop if o < end} - hits <= {(end - SIXTEENTH * 2, HAT)}

"""Drums: the clip's kit, fills at phrase ends with a crash after them, and a drum model's
continuations that keep the groove on the clip's own pads."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import torch

from segue.drums import GM_NOTES
from segue.grid import TICKS_PER_BEAT, clip_rows
from segue.model.architecture import ModelConfig
from segue.model.drumming import FILLS, Fills, fill_ticks, fills_for, kit_mask, pulse_beats
from segue.model.generate import generate
from segue.model.loop import CELLS
from segue.model.lstm import SegueLSTM
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note, TimeSignature

BAR = 4 * TICKS_PER_BEAT
FOUR = TimeSignature(4, 4)
KICK, SNARE, HAT, CRASH, TOM = 36, 38, 42, 49, 45


def groove(bars: int = 4) -> Clip:
    """A rock beat: hats on every 8th, kick on 1 and 3, snare on 2 and 4, a crash on the
    first downbeat."""
    notes = [Note(CRASH, 0.0, 1.0, 110)]
    for bar in range(bars):
        for eighth in range(8):
            t = bar * 4 + eighth * 0.5
            notes.append(Note(HAT, t, 0.25, 90 if eighth % 2 == 0 else 60))
            if eighth in (0, 4):
                notes.append(Note(KICK, t, 0.25, 110))
            if eighth in (2, 6):
                notes.append(Note(SNARE, t, 0.25, 100))
    return Clip(tuple(notes), bars * 4.0)


def test_the_kit_is_the_clips_pads_unless_asked_for_general_midi() -> None:
    rows = clip_rows(groove())
    clip_kit = kit_mask(rows, "clip", 0, 127)
    assert set(np.flatnonzero(clip_kit)) == {KICK, SNARE, HAT, CRASH}
    gm = kit_mask(rows, "gm", 0, 127)
    assert set(np.flatnonzero(gm)) == set(GM_NOTES) - {35, 40}  # one kick, one snare
    custom = np.array([[0, 20, 6, 100], [12, 21, 6, 100]])  # a custom rack below GM's map
    assert set(np.flatnonzero(kit_mask(custom, "clip", 0, 127))) == {20, 21}
    assert set(np.flatnonzero(kit_mask(rows, "clip", 40, 127))) == {HAT, CRASH}  # --low 40
    empty = np.zeros((0, 4), dtype=np.int64)  # from nothing: any GM drum, one kick, one snare
    assert set(np.flatnonzero(kit_mask(empty, "clip", 0, 127))) == set(GM_NOTES) - {35, 40}


def test_general_midi_adds_no_second_kick_or_snare_beside_the_clips() -> None:
    """``--kit gm`` played a fill bar's downbeat on GM's other kick, 35, beside the clip's 36
    (10 of 60 takes): below a Drum Rack's first pad, silent in a stock kit."""

    def kit(*pads: int) -> set[int]:
        rows = np.array([[i * 12, p, 6, 100] for i, p in enumerate(pads)])
        return set(np.flatnonzero(kit_mask(rows, "gm", 0, 127)).tolist())

    assert {35, 36, 38, 40} & kit(36, 38, 42) == {36, 38}
    assert {35, 36, 38, 40} & kit(35, 40, 42) == {35, 40}  # the clip's own, kept as they are
    assert {35, 36, 38, 40} & kit(36, 37, 42) == {36, 38}  # no snare: GM's first one
    assert {41, 45, 49, 51, 70} <= kit(36, 38, 42)  # toms, cymbals, percussion


def test_fills_sit_at_the_end_of_each_phrase() -> None:
    kit = kit_mask(clip_rows(groove()), "clip", 0, 127)
    assert fills_for("none", kit, 0, FOUR, TICKS_PER_BEAT) is None
    phrase = fills_for("phrase", kit, 16 * TICKS_PER_BEAT, FOUR, TICKS_PER_BEAT)
    assert isinstance(phrase, Fills)
    assert (phrase.every, phrase.ticks) == (4, 2 * TICKS_PER_BEAT) and FILLS["phrase"] == (4, 2)
    assert list(phrase.pads) == [SNARE]  # the kit's snares and toms
    assert phrase.crash == CRASH
    start = 16 * TICKS_PER_BEAT  # the continuation's first beat
    beats = np.arange(0, 32 * 4) * (TICKS_PER_BEAT // 4) + start  # every 16th of 8 bars
    inside = (beats[phrase.inside(beats)] - start) / TICKS_PER_BEAT
    assert inside.min() == 14.0 and inside.max() == 31.75  # bar 4 beats 3-4, bar 8 beats 2-4
    assert set(np.floor(inside).astype(int)) == {14, 15, 29, 30, 31}
    assert not phrase.inside(np.array([start - 1])).any()  # never in the clip itself
    often = fills_for("often", kit, start, FOUR, TICKS_PER_BEAT)
    assert often is not None
    inside = (beats[often.inside(beats)] - start) / TICKS_PER_BEAT
    assert set(np.floor(inside).astype(int)) == {7, 15, 23, 29, 30, 31}  # every 2nd bar's last
    no_crash = fills_for("phrase", kit_mask(clip_rows(groove()), "clip", 0, 48), 0, FOUR, 24)
    assert no_crash is not None and no_crash.crash is None


@pytest.mark.parametrize(
    ("meter", "phrase", "often"),
    [
        ((4, 4), 2.0, 1.0),
        ((3, 4), 2.0, 1.0),
        ((6, 8), 1.5, 1.5),  # the second dotted quarter: on the pulse, not beat 1.0 or 2.0
        ((12, 8), 3.0, 1.5),
        ((9, 8), 3.0, 1.5),
        ((7, 8), 2.0, 1.0),
        ((3, 8), 0.5, 0.5),  # a bar of 1.5 beats: the downbeat's pulse stays the groove's
        ((7, 16), 0.75, 0.75),
        ((1, 4), 0.5, 0.5),  # a bar of one pulse: its second half
    ],
)
def test_a_fill_starts_on_the_meters_pulse_and_inside_its_bar(meter, phrase, often) -> None:
    signature = TimeSignature(*meter)
    bar = round(signature.beats_per_bar * TICKS_PER_BEAT)
    kit = kit_mask(clip_rows(groove()), "clip", 0, 127)
    for name, beats in (("phrase", phrase), ("often", often)):
        fills = fills_for(name, kit, 0, signature, TICKS_PER_BEAT)
        assert fills is not None and fills.ticks == round(beats * TICKS_PER_BEAT), name
        assert 0 < fills.ticks < bar
        start = int(fills.start(np.array([0]))[0])  # the first bar's
        assert 0 < start < bar
        pulse = round(pulse_beats(signature) * TICKS_PER_BEAT)
        unit = round(4 / signature.denominator * TICKS_PER_BEAT)  # 7/8: an eighth
        grid = pulse if pulse_beats(signature) != 1.0 else unit  # 6/8: the dotted quarter
        assert start % grid == 0 or bar <= pulse, (name, start)  # 1/4: one pulse, halved
    assert fill_ticks(2, TimeSignature(6, 8), TICKS_PER_BEAT) == 36


def test_fills_grow_at_the_new_clips_8th_and_16th_bars() -> None:
    """A drummer marks an 8-bar section with a longer fill than a 4-bar phrase's, and a
    16-bar one with the longest: the same 2 beats at every mark changed no more hits in the
    8th and 16th bars than in the 4th (a house beat's 8.3 / 8.0 / 7.5, helper-88)."""
    kit = kit_mask(clip_rows(groove()), "clip", 0, 127)
    start = 6 * TICKS_PER_BEAT  # a clip of 1.5 bars: the new clip's bars count from its end
    beats = np.arange(0, 32 * 16) * (TICKS_PER_BEAT // 4) + start  # every 16th of 32 bars
    for name, every, beats_filled in (("phrase", 4, 2.0), ("often", 2, 1.0)):
        fills = fills_for(name, kit, start, FOUR, TICKS_PER_BEAT)
        assert fills is not None
        inside = beats[fills.inside(beats)] - start
        bars, place = inside // BAR, inside % BAR
        lengths = {
            int(b) + 1: (BAR - int(place[bars == b].min())) / TICKS_PER_BEAT for b in set(bars)
        }
        assert set(lengths) == set(range(every, 33, every)), name
        for bar, length in lengths.items():  # bars from 1
            want = 4.0 if bar % 16 == 0 else 3.0 if bar % 8 == 0 else beats_filled
            assert length == want, (name, bar, length)
        assert fills.start(np.array([start + 15 * BAR + 5]))[0] == start + 15 * BAR  # the whole bar
        assert fills.end(np.array([start + 15 * BAR + 5]))[0] == start + 16 * BAR


def test_crashes_fall_after_fills_half_the_time_and_after_8_and_16_bars_nearly_always() -> None:
    kit = kit_mask(clip_rows(groove()), "clip", 0, 127)
    fills = fills_for("phrase", kit, 0, FOUR, TICKS_PER_BEAT)
    assert fills is not None
    notes = np.array([[0, HAT, 6, 90], [40 * BAR, HAT, 6, 90]])
    rng = np.random.default_rng(0)
    crashes = [fills.crashes(notes, 40 * BAR, 100, rng) for _ in range(50)]
    hits = np.concatenate(crashes)
    assert set(hits[:, 1]) == {CRASH} and set(hits[:, 3]) == {100}
    assert set(hits[:, 0] % (4 * BAR)) == {0}  # the downbeat after each 4-bar phrase
    bars = hits[:, 0] // BAR
    marks = bars % 8 == 0  # after the 8th, 16th, 24th and 32nd bars
    assert 0.3 < np.count_nonzero(~marks) / (50 * 5) < 0.7  # 5 other phrase ends, half of them
    assert np.count_nonzero(marks) / (50 * 4) > 0.8  # 50/50 before


@pytest.fixture(scope="module")
def drummer() -> SegueLSTM:
    """An untrained drum model whose loop is kept almost always (outside fills)."""
    torch.manual_seed(0)
    config = ModelConfig(
        hidden=32,
        embed=8,
        layers=1,
        drums=True,
        loop=(0.999,) * CELLS,
        loop_slip=0.0,
        loop_velocity_slip=0.0,
        loop_strength=16.0,
    )
    return SegueLSTM(config).eval()


def played(drummer: SegueLSTM, **settings: Any) -> list[np.ndarray]:
    params = GenerationParams(bars=8, variations=4, rng_seed=3, **settings)
    result = generate(drummer, groove(), params)
    return [clip_rows(v.clip) for v in result.variations]


def test_a_drum_seed_is_continued_on_its_own_pads(drummer: SegueLSTM) -> None:
    pattern = {(int(o) % BAR, int(p)) for o, p, _, _ in clip_rows(groove())}
    for rows in played(drummer):
        assert len(rows) and set(rows[:, 1]) <= {KICK, SNARE, HAT, CRASH}
        hits = [(int(o), int(p)) for o, p, _, _ in rows]
        extra = [(o, p) for o, p in hits if (o % BAR, p) not in pattern]  # the groove kept,
        assert len(extra) <= 2 and all(o // BAR % 4 == 3 and p != KICK for o, p in extra)
        # but for a touch at a phrase's end where the loop left the takes the same


def test_general_midi_drums_come_in_fills_and_the_groove_stays_on_the_clips_pads() -> None:
    """``--kit gm`` let the network's own notes take any GM drum anywhere: 111 of 372 new
    drums (open hats, claps, maracas) fell outside fills and the downbeats after them."""
    maracas = 70
    torch.manual_seed(0)
    loose = SegueLSTM(  # an untrained drum model that keeps its loop half the time
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    ).eval()
    with torch.no_grad():
        loose.pitch_head[-1].bias[maracas] += 4.0  # it likes maracas
    params = GenerationParams(bars=8, variations=4, rng_seed=1, kit="gm", fills="phrase")
    in_fills = 0
    for variation in generate(loose, groove(), params).variations:
        rows = clip_rows(variation.clip)
        beats = np.where(rows[:, 0] // BAR == 7, 3, 2)  # bar 4's beats 3-4, bar 8's 2-4
        fill = rows[:, 0] % (4 * BAR) >= 4 * BAR - beats * TICKS_PER_BEAT
        new = ~np.isin(rows[:, 1], [KICK, SNARE, HAT, CRASH])
        assert not (new & ~fill).any(), rows[new & ~fill]
        assert set(rows[:, 1]) <= set(GM_NOTES) - {35, 40}
        in_fills += int((rows[fill, 1] == maracas).sum())
    assert in_fills  # in a fill, any GM drum


def test_fills_leave_the_groove_where_asked_and_it_comes_back(drummer: SegueLSTM) -> None:
    pattern = {(int(o) % BAR, int(p)) for o, p, _, _ in clip_rows(groove())}
    varied = 0
    for rows in played(drummer, fills="phrase"):
        beats = np.where(rows[:, 0] // BAR == 7, 3, 2)  # bar 4's beats 3-4, bar 8's 2-4
        in_fill = rows[:, 0] % (4 * BAR) >= 4 * BAR - beats * TICKS_PER_BEAT
        outside = {(int(o) % BAR, int(p)) for o, p, _, _ in rows[~in_fill]}
        assert outside <= pattern  # the groove everywhere else, and on the next downbeat
        assert (4 * BAR, KICK) in {(int(o), int(p)) for o, p, _, _ in rows}
        fill_notes = {(int(o) % BAR, int(p)) for o, p, _, _ in rows[in_fill]}
        varied += not fill_notes <= pattern
    assert varied >= 3  # most variations play something else there


def test_a_played_beat_is_continued_without_flams() -> None:
    """A played take puts a hit on neighbouring ticks in different bars; the bundled drum
    model's takes then hit a pad twice at once or a tick apart (7 times in 16 takes)."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    rng = np.random.default_rng(7)
    notes = []
    for bar in range(4):
        for sixteenth in range(16):
            t = bar * 4 + sixteenth * 0.25 + (rng.integers(0, 2) / 24 if sixteenth else 0.0)
            if sixteenth in (0, 8, 10):
                notes.append(Note(KICK, t, 0.25, 110))
            if sixteenth in (4, 12):
                notes.append(Note(SNARE, t, 0.25, 110))
            if sixteenth % 2 == 0:
                notes.append(Note(HAT, t, 0.25, 90 if sixteenth % 4 == 0 else 60))
    beat = Clip(tuple(notes), 16.0)
    model = load_checkpoint(find_model("drums")).model
    for rng_seed in range(1, 5):
        params = GenerationParams(bars=4, variations=4, rng_seed=rng_seed)
        for variation in generate(model, beat, params).variations:
            hits = sorted((n.pitch, round(n.start * TICKS_PER_BEAT)) for n in variation.clip.notes)
            pairs = zip(hits, hits[1:], strict=False)
            assert all(b[1] - a[1] >= 2 for a, b in pairs if a[0] == b[0]), hits


def test_a_fill_is_played_at_least_as_loud_as_the_clips_median_hit(drummer: SegueLSTM) -> None:
    """On a beat with ghost snares at 20, fills were snares at 16-48, barely heard. The
    kicks and hats beside a fill's snares and toms keep the groove's dynamics (they were
    raised to the fill's floor too): the kick under a fill is the loop's, at the clip's
    velocity, and the hats are not the fill's leads."""
    from segue.drums import fill_pads

    beat = groove()
    softer = [replace(n, velocity=70) if n.pitch == KICK and n.start % 4 else n for n in beat.notes]
    ghosts = [Note(SNARE, bar * 4 + 1.75, 0.25, 20) for bar in range(4)]
    beat = Clip((*softer, *ghosts), beat.length)  # a kick at two levels: the network's own
    median = float(np.median([n.velocity for n in beat.notes]))
    fill = (4 * BAR - 2 * TICKS_PER_BEAT, 4 * BAR)
    params = GenerationParams(bars=8, variations=4, rng_seed=3, fills="phrase")
    leads = fill_pads([KICK, SNARE, HAT, CRASH])
    filled, kicks = 0, []
    for variation in generate(drummer, beat, params).variations:
        rows = clip_rows(variation.clip)
        in_fill = (rows[:, 0] % (4 * BAR) >= fill[0]) & (rows[:, 0] % (4 * BAR) < fill[1])
        lead = in_fill & np.isin(rows[:, 1], leads)
        assert (rows[lead, 3] >= median - 2).all(), rows[lead]  # its velocity class
        filled += int(lead.sum())
        kicks += rows[in_fill & (rows[:, 1] == KICK), 3].tolist()
    assert filled
    assert kicks and set(kicks) == {70}  # the kick under the fill: the clip's 70, not raised
    fills = fills_for("phrase", kit_mask(clip_rows(beat), "clip", 0, 127), 0, FOUR, 24)
    assert fills is not None and not fills.leads(np.array([KICK, HAT, CRASH])).any()


def test_a_range_with_none_of_the_kits_pads_says_so(drummer: SegueLSTM) -> None:
    """It said "no pitch of None lies in the range 60-127; ... change the key"."""
    from segue.model.generate import GenerationError

    with pytest.raises(GenerationError) as info:
        generate(drummer, groove(), GenerationParams(bars=1, low=60))
    assert str(info.value) == "no pad of the clip's kit lies in the range 60-127; widen the range"


def test_the_backbone_is_what_a_pad_strikes_in_every_bar_a_few_times_at_most() -> None:
    from segue.model.drumming import STEADY_MOST, backbone

    rows = clip_rows(groove())
    assert backbone(rows, 4 * BAR, BAR) == {
        (0, KICK),
        (2 * TICKS_PER_BEAT, KICK),
        (TICKS_PER_BEAT, SNARE),
        (3 * TICKS_PER_BEAT, SNARE),
    }  # the hats' 8 places a bar vary; the crash on the first downbeat alone is no backbone
    assert STEADY_MOST < 8
    ghosts = np.array([[bar * BAR + 18 + 6 * (bar % 2), SNARE, 3, 20] for bar in range(4)])
    moved = np.concatenate([rows, ghosts])  # ghost notes that move do not count
    assert backbone(moved, 4 * BAR, BAR) == backbone(rows, 4 * BAR, BAR)
    half = BAR // 2
    assert backbone(rows, 4 * BAR + half, BAR) == frozenset()  # looped at 4 1/2 bars: none
    longer = np.concatenate([rows + np.array([k * 4 * BAR + half, 0, 0, 0]) for k in range(4)])
    assert backbone(longer, 16 * BAR + half, BAR) == backbone(rows, 4 * BAR, BAR)  # its last
    # 16 bars, from its end
    assert backbone(rows[:0], 4 * BAR, BAR) == frozenset()
    assert backbone(rows, BAR // 2, BAR) == frozenset()  # shorter than a bar: none


def test_a_drum_take_keeps_the_backbone_inside_a_phrase_and_varies_the_rest() -> None:
    """A four-on-the-floor beat lost a kick or a clap about once every 3 bars, inside a
    phrase: where the loop's draw let the network play, it played a hat there instead."""
    torch.manual_seed(0)
    loose = SegueLSTM(  # an untrained drum model that keeps its loop half the time
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    ).eval()
    params = GenerationParams(bars=8, variations=4, rng_seed=1)
    kept, varied = 0, 0
    steady = {(0, KICK), (2 * TICKS_PER_BEAT, KICK), (TICKS_PER_BEAT, SNARE)}
    steady.add((3 * TICKS_PER_BEAT, SNARE))
    for variation in generate(loose, groove(), params).variations:
        rows = clip_rows(variation.clip)
        hits = {(int(o), int(p)) for o, p, _, _ in rows}
        for bar in (0, 1, 2, 4, 5, 6):  # inside the two phrases (bars 4 and 8 end them)
            for place, pad in steady:
                kept += (bar * BAR + place, pad) in hits
        hats = {o % BAR for o, p in hits if p == HAT}
        varied += hats != set(range(0, BAR, TICKS_PER_BEAT // 2))
    assert kept == 4 * 6 * len(steady), kept  # 9 of 96 before
    assert varied  # the rest varies at the loop's rate


def test_a_pad_struck_now_and_then_plays_where_the_clip_plays_it() -> None:
    """On a custom Drum Rack, the network (which knows General MIDI's kit) fired a vocal
    chop, struck once in 2 bars, on 2 and 4: 1.8 times as often as the clip."""
    from segue.model.drumming import groove_pads

    chop = 48
    beat = groove(2)
    clip = Clip((*beat.notes, Note(chop, 3.5, 0.5, 90)), beat.length)  # once in 2 bars
    rows = clip_rows(clip)
    pads = groove_pads(rows, 2 * BAR, BAR)
    assert pads is not None and set(np.flatnonzero(pads)) == {KICK, SNARE, HAT}
    assert groove_pads(rows[:0], 2 * BAR, BAR) is None
    torch.manual_seed(0)
    loose = SegueLSTM(  # an untrained drum model that keeps its loop half the time
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    ).eval()
    placed = set()
    for rng_seed in range(3):
        params = GenerationParams(bars=8, variations=4, rng_seed=rng_seed)
        for variation in generate(loose, clip, params).variations:
            placed |= {round(n.start % 8, 3) for n in variation.clip.notes if n.pitch == chop}
    assert placed == {3.5}
    gm = GenerationParams(bars=8, variations=4, rng_seed=0, kit="gm")  # any GM drum: in fills
    hits = [n for v in generate(loose, clip, gm).variations for n in v.clip.notes]
    assert {round(n.start % 8, 3) for n in hits if n.pitch == chop} == {3.5}


def test_on_a_rack_laid_out_its_own_way_fills_go_to_the_backbeat_pads_without_a_crash() -> None:
    """A Drum Rack from C1 (36 kick, 37 snare, 38 clap, 39 hat, 41 a shaker at 16ths, 43 a
    vocal chop, 49 a vocal hit): fills went to pads chosen by their GM names (the shaker and
    the chop, GM toms) and a "crash" on the vocal hit (helper-42). A GM beat is as before."""
    from segue.notes import Clip, Note, TimeSignature

    def rows(hits: list[tuple[int, float]]) -> np.ndarray:
        return clip_rows(Clip(tuple(Note(p, t, 0.25, 90) for p, t in hits), 4.0, TimeSignature()))

    rack = rows(
        [(41, i * 0.25) for i in range(16)]  # the shaker: the time keeper, a GM tom's number
        + [(36, 0.0), (36, 2.0), (37, 1.0), (37, 3.0), (38, 3.0), (43, 2.5), (49, 0.0)]
    )
    kit = kit_mask(rack, "clip", 0, 127)
    fills = fills_for("phrase", kit, 96, TimeSignature(), TICKS_PER_BEAT, rack)
    assert fills is not None and set(fills.pads.tolist()) == {37, 38} and fills.crash is None
    gm = rows([(42, i * 0.5) for i in range(8)] + [(36, 0.0), (38, 1.0), (38, 3.0), (49, 0.0)])
    as_gm = fills_for(
        "phrase", kit_mask(gm, "clip", 0, 127), 96, TimeSignature(), TICKS_PER_BEAT, gm
    )
    assert as_gm is not None and as_gm.pads.tolist() == [38] and as_gm.crash == 49


def test_a_fill_is_heard_on_a_side_stick_the_network_never_fills_on() -> None:
    """A techno kit of kick, side stick and hat: 22 of 24 fills had no more side sticks
    than the clip there (the network never learnt to fill on one; a lean of 3 nats left it
    a few percent), where a drummer hears a roll on it."""
    rim = 37
    notes = [Note(rim, bar * 4 + 1.75, 0.125, 85) for bar in range(4)]
    for beat in range(16):
        notes += [Note(KICK, beat, 0.25, 120), Note(HAT, beat + 0.5, 0.125, 70)]
    clip = Clip(tuple(notes), 16.0)
    torch.manual_seed(0)
    model = SegueLSTM(
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.999,) * CELLS)
    ).eval()
    with torch.no_grad():
        model.pitch_head[-1].bias[rim] -= 8.0  # it never plays a side stick of its own
    params = GenerationParams(bars=8, variations=4, rng_seed=1, fills="phrase")
    pads = []
    for variation in generate(model, clip, params).variations:
        rows = clip_rows(variation.clip)
        fill = rows[:, 0] % (4 * BAR) >= 4 * BAR - 2 * TICKS_PER_BEAT  # bars 4 and 8, 3-4
        pads += rows[fill & (rows[:, 1] != KICK), 1].tolist()  # over the kick, held on
    assert len(pads) >= 8 and pads.count(rim) >= 0.6 * len(pads), pads  # the clip: none there


def test_a_fill_on_a_kit_of_hats_is_a_roll_on_the_hats() -> None:
    """An 8th-note hat loop, nothing else: its kit had no fill pads, and 16 of 24 phrase
    fills were its 8ths again (the network keeps the clip's 8ths), no fill heard. A
    drummer's fill there is a hat roll: 16ths and 32nds on the hat."""
    notes = tuple(Note(HAT, e / 2, 0.25, 95 if e % 2 == 0 else 70) for e in range(32))
    clip = Clip(notes, 16.0)
    torch.manual_seed(0)
    model = SegueLSTM(
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.999,) * CELLS)
    ).eval()
    with torch.no_grad():
        model.offset_head[-1].bias[12] += 4.0  # it keeps to 8ths of its own
    params = GenerationParams(bars=8, variations=4, rng_seed=1, fills="phrase")
    busier = fills = 0
    for variation in generate(model, clip, params).variations:
        rows = clip_rows(variation.clip)
        for bar in (3, 7):
            start = bar * BAR + BAR - 2 * TICKS_PER_BEAT
            hits = rows[(rows[:, 0] >= start) & (rows[:, 0] < (bar + 1) * BAR)]
            fills += 1
            busier += int(len(hits) > 4 and set(hits[:, 1].tolist()) == {HAT})  # the clip: 4
    assert busier >= 0.75 * fills, (busier, fills)


def test_a_16th_hat_loop_s_fill_rolls_faster_than_its_16ths() -> None:
    """A 16th hat loop with open hats on its offbeats: a fill leant to 16ths and 32nds alike
    was its own 16ths on the closed hat, its open hats gone, less than the groove (8 of 12
    takes' 16th bars, helper-95). A roll there is in 32nds."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    notes = tuple(Note(HAT if s % 2 == 0 else 46, s / 4, 0.2, 80) for s in range(16))
    clip = Clip(notes, 4.0)
    drums = load_checkpoint(find_model("drums")).model
    busier = fills = 0
    for rng_seed in (1, 2):
        params = GenerationParams(bars=8, variations=4, rng_seed=rng_seed, fills="phrase")
        for variation in generate(drums, clip, params).variations:
            rows = clip_rows(variation.clip)
            for bar in (3, 7):
                start = bar * BAR + BAR - 2 * TICKS_PER_BEAT
                fill = np.unique(rows[(rows[:, 0] >= start) & (rows[:, 0] < (bar + 1) * BAR), 0])
                fills += 1
                busier += int(len(fill) > 8)  # the loop strikes 8 onsets there
    assert busier >= 0.75 * fills, (busier, fills)


def house(bars: int = 4) -> Clip:
    """Four on the floor: a kick on every beat, a clap on 2 and 4, closed hats on the 16ths
    between, an open hat on the offbeats."""
    notes = []
    for beat in range(4 * bars):
        notes += [Note(KICK, beat, 0.25, 112), Note(46, beat + 0.5, 0.25, 88)]
        notes += [Note(HAT, beat + 0.25, 0.125, 58), Note(HAT, beat + 0.75, 0.125, 64)]
        if beat % 2:
            notes.append(Note(39, beat, 0.25, 100))
    return Clip(tuple(notes), 4.0 * bars)


def test_a_four_on_the_floor_kick_is_the_beats_backbone() -> None:
    from segue.model.drumming import backbone, floor_kicks

    def floor(clip: Clip) -> list[int]:
        rows = clip_rows(clip)
        end = round(clip.length * TICKS_PER_BEAT)
        return floor_kicks(backbone(rows, end, BAR), rows, end, BAR, TICKS_PER_BEAT).tolist()

    assert floor(house()) == [KICK]
    assert floor(groove()) == []  # a kick on 1 and 3: a rock beat's, not the floor
    pickup = Note(KICK, 3.75, 0.25, 100)  # a house beat whose clip plays a pickup
    assert floor(Clip((*house(1).notes, pickup), 4.0)) == []


def test_a_house_take_adds_no_kick_of_its_own_outside_a_fill() -> None:
    """A house or techno take put a kick on the last 16th before a beat in 11 and 6 of 96
    bars: the four on the floor stumbled. Its kicks are the loop's; a fill may add some."""
    torch.manual_seed(0)
    model = SegueLSTM(
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    ).eval()
    with torch.no_grad():
        model.pitch_head[-1].bias[KICK] += 4.0  # it likes a kick of its own
    for fills in ("none", "phrase"):
        params = GenerationParams(bars=8, variations=4, rng_seed=1, fills=fills)
        for variation in generate(model, house(), params).variations:
            rows = clip_rows(variation.clip)
            kicks = rows[rows[:, 1] == KICK, 0]
            fill = (kicks % (4 * BAR) >= 4 * BAR - 2 * TICKS_PER_BEAT) & (fills == "phrase")
            assert (kicks[~fill] % TICKS_PER_BEAT == 0).all(), kicks[~fill] / TICKS_PER_BEAT


def test_a_pad_programmed_at_one_velocity_keeps_it_in_the_networks_own_notes() -> None:
    """Trap claps programmed at 110 came back at 20-68 in 10 of 26 hits, a rock snare at 110
    in 9 of 39: the loop's repeats kept the level, the network's own notes did not."""
    torch.manual_seed(0)
    loose = SegueLSTM(  # an untrained drum model that keeps its loop half the time
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    ).eval()
    with torch.no_grad():
        loose.velocity_head[-1].bias[5] += 50.0  # its own notes at 24: ghost notes
    for fills in ("none", "phrase"):  # in a fill too
        params = GenerationParams(bars=8, variations=4, rng_seed=1, fills=fills)
        notes = [n for v in generate(loose, groove(), params).variations for n in v.clip.notes]
        assert {n.velocity for n in notes if n.pitch == SNARE} == {100}, fills  # as the clip's
        assert {n.velocity for n in notes if n.pitch == KICK} == {110}, fills
        hats = [n.velocity for n in notes if n.pitch == HAT]  # at 90 and 60: the network's
        assert {90, 60} < set(hats), fills


def test_a_beats_anchors_are_its_kicks_downbeats_and_its_backbeat() -> None:
    """A house beat at --memory 0 lost its kick in 12 of 12 takes (helper-105): the loop,
    which keeps the backbone, was off, and the four-on-the-floor kick, the loop's alone, was
    kept from the network too. Memory 0 frees a beat, it does not take its kick away: the
    kick's downbeats and the backbeat stay, the rest (hats, a kick's "and") is free."""
    from segue.model.drumming import anchors, backbone

    rows = clip_rows(groove())
    rock = anchors(backbone(rows, 4 * BAR, BAR), rows, TICKS_PER_BEAT, TICKS_PER_BEAT, 4)
    beat = TICKS_PER_BEAT
    assert rock == {(0, KICK), (2 * beat, KICK), (beat, SNARE), (3 * beat, SNARE)}
    pushed = [
        n if n.pitch != KICK or n.start % 4 != 2 else replace(n, start=n.start + 0.5)
        for n in groove().notes
    ]
    rows = clip_rows(Clip(tuple(pushed), 16.0))  # its second kick on the "and" of 3
    assert anchors(backbone(rows, 4 * BAR, BAR), rows, beat, beat, 4) == rock - {(2 * beat, KICK)}


def test_a_house_beat_at_memory_0_keeps_its_kick_and_clap_and_varies_its_hats() -> None:
    """12 of 12 house takes at --memory 0 had no kick at all (helper-105)."""
    beat = TICKS_PER_BEAT
    torch.manual_seed(0)
    shy = SegueLSTM(  # an untrained drum model that keeps its loop half the time
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    ).eval()
    with torch.no_grad():
        shy.pitch_head[-1].bias[[KICK, 39]] -= 6.0  # and plays no kick or clap of its own
    for fills in ("none", "phrase"):
        params = GenerationParams(bars=8, variations=4, rng_seed=1, memory=0.0, fills=fills)
        hats = set()
        for variation in generate(shy, house(), params).variations:
            rows = clip_rows(variation.clip)
            hits = {(int(o), int(p)) for o, p, _, _ in rows}
            kicks = {o for o, p in hits if p == KICK}
            assert set(range(0, 8 * BAR, beat)) <= kicks, fills  # none before
            for bar in range(8):
                if fills == "none" or bar % 4 != 3:  # a fill plays over the kick, on the clap
                    assert {(bar * BAR + beat, 39), (bar * BAR + 3 * beat, 39)} <= hits, fills
            hats.add(frozenset((o % BAR, p) for o, p in hits if p in (HAT, 46)))
        assert len(hats) > 1  # the rest is the network's


def techno(bars: int = 4) -> Clip:
    """Techno: a kick on every beat, closed hats on every 16th, an open hat on the offbeats,
    a clap on 2 and 4 and a side stick on the last 16th of 3."""
    notes = []
    for beat in range(4 * bars):
        notes += [Note(KICK, beat, 0.25, 120), Note(46, beat + 0.5, 0.25, 80)]
        notes += [Note(HAT, beat + s / 4, 0.125, 70 if s % 2 else 90) for s in range(4)]
        if beat % 2:
            notes.append(Note(39, beat, 0.25, 105))
        if beat % 4 == 2:
            notes.append(Note(37, beat + 0.75, 0.125, 85))
    return Clip(tuple(notes), 4.0 * bars)


def test_a_fill_is_played_over_the_grooves_hats_and_the_bar_grows_busier() -> None:
    """A techno beat's fill bars averaged 22.6 notes against the groove's 23.0: the fill
    was played over the kick alone, its 16th hats gone (helper-107). A clap or rim roll
    runs over the hats that keep the time."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    drums = load_checkpoint(find_model("drums")).model
    sixteenth = TICKS_PER_BEAT // 4
    fill_bars, groove_bars, rolls, fills = [], [], 0, 0
    for rng_seed in (1, 2):
        params = GenerationParams(bars=8, variations=4, rng_seed=rng_seed, fills="phrase")
        for variation in generate(drums, techno(), params).variations:
            rows = clip_rows(variation.clip)
            bars = rows[:, 0] // BAR
            for bar in range(8):
                here = rows[bars == bar]
                if bar % 4 != 3:
                    groove_bars += [len(here)] if bar % 4 else []  # (a crash after a fill)
                    continue
                start = (bar + 1) * BAR - (3 if bar == 7 else 2) * TICKS_PER_BEAT
                fill = here[here[:, 0] >= start]
                hats = set(fill[fill[:, 1] == HAT, 0].tolist())
                assert set(range(start, (bar + 1) * BAR, sixteenth)) <= hats, (bar, hats)
                fills += 1
                rolls += int(np.isin(fill[:, 1], [37, 39]).sum() >= 4)  # the clip: 2 or 3
                fill_bars.append(len(here))
    assert rolls >= 0.75 * fills, (rolls, fills)  # the fill's own hits are still there
    assert np.mean(fill_bars) > np.mean(groove_bars) + 2, (fill_bars, groove_bars)


def test_the_time_kept_under_a_fill_is_the_loops_hats_where_the_take_strikes_none() -> None:
    from segue.model.drumming import kept_time, time_keepers

    rows = clip_rows(groove())
    fills = fills_for("phrase", kit_mask(rows, "clip", 0, 127), 4 * BAR, FOUR, TICKS_PER_BEAT)
    assert fills is not None
    keepers = time_keepers(rows, 4 * BAR, BAR, fills)
    assert keepers.tolist() == [HAT]  # not the crash struck once, nor the fill's snare
    eighth = TICKS_PER_BEAT // 2
    start = 4 * BAR + 3 * BAR + 2 * TICKS_PER_BEAT  # the continuation's 4th bar, beats 3-4
    take = np.array(
        [[start, SNARE, 6, 110], [start, HAT, 6, 50], [start + 3, SNARE, 3, 110]], dtype=np.int64
    )
    hits = kept_time(take, rows, fills, keepers, 12 * BAR)
    assert hits[:, 0].tolist() == list(range(start + eighth, 8 * BAR, eighth)) + list(
        range(11 * BAR + TICKS_PER_BEAT, 12 * BAR, eighth)  # the 8th bar's fill: 3 beats
    )  # its own hat on the fill's first 8th, not struck twice
    assert set(hits[:, 1].tolist()) == {HAT} and hits[:, 3].tolist()[:3] == [60, 90, 60]
    assert kept_time(take, rows, fills, keepers, start + eighth).size == 0  # up to its end
    assert kept_time(take, rows, fills, keepers, None).size == 0  # to its last note
    hat_kit = clip_rows(Clip(tuple(Note(HAT, e / 2, 0.25, 90) for e in range(32)), 16.0))
    rolled = fills_for("phrase", kit_mask(hat_kit, "clip", 0, 127), 4 * BAR, FOUR, TICKS_PER_BEAT)
    assert rolled is not None and not len(time_keepers(hat_kit, 4 * BAR, BAR, rolled))
    toms = np.concatenate([take, [[start + 2 * eighth, 45, 6, 110]]])  # a tom in the 1st fill
    under = kept_time(toms, rows, fills, keepers, 12 * BAR)  # hands on the toms: no hats
    assert under[:, 0].tolist() == list(range(11 * BAR + TICKS_PER_BEAT, 12 * BAR, eighth))


def test_notes_n_counts_a_beats_every_hit_its_kept_hats_and_crashes_too() -> None:
    """--notes 128 on a house beat with phrase fills came back with 129 notes in half its
    takes (a rock beat with a ride: up to 133): the hats kept under the fills and the
    crashes after them were added past the count."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    drums = load_checkpoint(find_model("drums")).model
    counts, crashes = [], 0
    for rng_seed in (1, 2):
        params = GenerationParams(
            notes=128, variations=4, rng_seed=rng_seed, fills="phrase", kit="gm"
        )
        for variation in generate(drums, house(), params).variations:
            counts.append(len(variation.clip.notes))
            crashes += sum(n.pitch == CRASH for n in variation.clip.notes)
    assert max(counts) <= 128 and min(counts) >= 124, counts  # a chord left out whole at most
    assert crashes, "the crashes are still there, inside the count"


def test_a_four_on_the_floor_kick_strikes_no_backbeat() -> None:
    """A kick on every beat struck 2 and 4 as often as the clap: it was the first backbeat
    pad, so a techno take's ghost-note touch was a kick pickup on the "a" of 4, and a Drum
    Rack laid out its own way (kick 36, clap 37, hats 38 and 39) filled on its kick."""
    from segue.model.drum_touches import touches
    from segue.model.drumming import backbeat_pads

    rows = clip_rows(techno())
    assert backbeat_pads(rows, TICKS_PER_BEAT, 4) == (39,)  # the clap alone
    kinds = touches(rows, 4 * BAR, BAR, kit_mask(rows, "clip", 0, 127), TICKS_PER_BEAT, 24, 4, 4)
    assert kinds and KICK not in {t.pad for t in kinds}
    notes = [Note(36, float(b), 0.25, 118) for b in range(16)]  # the rack's four on the floor
    notes += [Note(37, float(b), 0.25, 100) for b in range(1, 16, 2)]
    notes += [Note(38, b / 4, 0.125, 80) for b in range(64)]
    notes += [Note(39, b + 0.5, 0.25, 85) for b in range(16)]
    own = clip_rows(Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 16.0))
    fills = fills_for("phrase", kit_mask(own, "clip", 0, 127), 4 * BAR, FOUR, TICKS_PER_BEAT, own)
    assert fills is not None and fills.pads.tolist() == [37]  # its clap, not its kick
    waltz = [Note(36, b * 3.0, 0.25, 110) for b in range(4)]
    waltz += [Note(38, b * 3.0 + k, 0.25, 90) for b in range(4) for k in (1, 2)]
    waltz += [Note(HAT, e / 2, 0.25, 70) for e in range(24)]
    three = clip_rows(Clip(tuple(sorted(waltz, key=lambda n: n.start)), 12.0, TimeSignature(3, 4)))
    assert backbeat_pads(three, TICKS_PER_BEAT, 3) == (38,)  # oom-pah-pah: as before


def test_an_open_hat_struck_every_beat_keeps_time_under_a_fill() -> None:
    """A techno or house open hat on the offbeats stopped in the fill bar (2 and 3 of 24
    fill halves had one): it keeps the time as the closed hats do. A rock beat's open hat
    once a bar is an accent, not kept; nor under a fill on the toms, nor beside a hat roll."""
    from segue.model.drumming import kept_time, time_keepers

    rows = clip_rows(techno())
    fills = fills_for("phrase", kit_mask(rows, "clip", 0, 127), 4 * BAR, FOUR, TICKS_PER_BEAT)
    assert fills is not None
    keepers = time_keepers(rows, 4 * BAR, BAR, fills)
    assert keepers.tolist() == [HAT, 46]  # not the kick, nor the fill's clap and rim
    start = 4 * BAR + 3 * BAR + 2 * TICKS_PER_BEAT  # the continuation's 4th bar, beats 3-4
    take = np.array([[start, 39, 6, 110], [start + 6, 39, 6, 110]], dtype=np.int64)
    hits = kept_time(take, rows, fills, keepers, 8 * BAR)
    half = TICKS_PER_BEAT // 2
    assert hits[hits[:, 1] == 46, 0].tolist() == [start + half, start + 3 * half]
    assert hits[hits[:, 1] == 46, 3].tolist() == [80, 80]  # as the clip plays it
    toms = np.concatenate([take, [[start + 12, TOM, 6, 110]]])
    assert not len(kept_time(toms, rows, fills, keepers, 8 * BAR))  # hands on the toms
    rock = groove()
    accent = clip_rows(Clip((*rock.notes, *(Note(46, b * 4 + 3.5, 0.25, 80) for b in range(4)))))
    rock_fills = fills_for(
        "phrase", kit_mask(accent, "clip", 0, 127), 4 * BAR, FOUR, TICKS_PER_BEAT
    )
    assert rock_fills is not None
    assert time_keepers(accent, 4 * BAR, BAR, rock_fills).tolist() == [HAT]
    hats = [Note(HAT, e / 4, 0.125, 80) for e in range(64) if e % 4 != 2]
    hats += [Note(46, b + 0.5, 0.25, 90) for b in range(16)]  # a kit of hats: a hat roll
    hat_kit = clip_rows(Clip(tuple(sorted(hats, key=lambda n: n.start)), 16.0))
    rolled = fills_for("phrase", kit_mask(hat_kit, "clip", 0, 127), 4 * BAR, FOUR, TICKS_PER_BEAT)
    assert rolled is not None and rolled.rolls()
    assert not len(time_keepers(hat_kit, 4 * BAR, BAR, rolled))


def rack(bars: int = 4) -> Clip:
    """A Drum Rack laid out its own way: kick 36 on every beat, clap 37 on 2 and 4, hat 38 on
    every 16th (90 and 70), open hat 39 on the offbeats, a shaker sample on 45 (a GM tom's
    note) on every 8th."""
    notes = []
    for beat in range(4 * bars):
        notes += [Note(36, beat, 0.25, 118), Note(39, beat + 0.5, 0.25, 85)]
        notes += [Note(38, beat + s / 4, 0.125, 90 if s % 2 == 0 else 70) for s in range(4)]
        notes += [Note(45, beat + e / 2, 0.125, 75) for e in range(2)]
        if beat % 2:
            notes.append(Note(37, beat, 0.25, 100))
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0 * bars)


def test_a_rack_laid_out_its_own_way_keeps_the_pads_struck_as_hats_under_a_fill() -> None:
    """A rack of kick 36, clap 37, hat 38, open hat 39 kept no time under its fills (its
    families are known by General MIDI note only), and its fill bars were less busy than
    its groove (21.6 notes against 26.1). Pads struck in every 8th, or on every offbeat and
    no beat, at a steady velocity, keep the time; not a kick on every beat, nor a snare whose
    16ths are ghost notes."""
    from segue.model.drumming import kept_time, time_keepers

    rows = clip_rows(rack())
    fills = fills_for("phrase", kit_mask(rows, "clip", 0, 127), 4 * BAR, FOUR, TICKS_PER_BEAT, rows)
    assert fills is not None and fills.pads.tolist() == [37]
    keepers = time_keepers(rows, 4 * BAR, BAR, fills)
    assert keepers.tolist() == [38, 39, 45]  # not the four-on-the-floor kick, nor the clap
    start = 4 * BAR + 3 * BAR + 2 * TICKS_PER_BEAT
    take = np.array([[start, 37, 6, 110], [start + 6, 41, 6, 110]], dtype=np.int64)
    hits = kept_time(take, rows, fills, keepers, 8 * BAR)  # a pad on a GM tom's note: no tom
    assert len(hits[hits[:, 1] == 38]) == 8 and len(hits[hits[:, 1] == 45]) == 4
    ghosts = [Note(38, s / 4, 0.125, 100 if s % 8 == 4 else 30) for s in range(64)]
    ghosts += [Note(36, float(b), 0.25, 118) for b in range(16)]
    ghosts += [Note(40, b + 0.5, 0.25, 80) for b in range(0, 16, 2)]
    snare = clip_rows(Clip(tuple(sorted(ghosts, key=lambda n: (n.start, n.pitch))), 16.0))
    snare_fills = fills_for(
        "phrase", kit_mask(snare, "clip", 0, 127), 4 * BAR, FOUR, TICKS_PER_BEAT, snare
    )
    assert snare_fills is not None
    assert not len(time_keepers(snare, 4 * BAR, BAR, snare_fills))


def test_a_racks_fill_is_played_over_its_hats() -> None:
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    drums = load_checkpoint(find_model("drums")).model
    sixteenth = TICKS_PER_BEAT // 4
    params = GenerationParams(bars=8, variations=4, rng_seed=1, fills="phrase")
    for variation in generate(drums, rack(), params).variations:
        rows = clip_rows(variation.clip)
        for bar in (3, 7):
            start = (bar + 1) * BAR - (3 if bar == 7 else 2) * TICKS_PER_BEAT
            fill = rows[(rows[:, 0] >= start) & (rows[:, 0] < (bar + 1) * BAR)]
            hats = set(fill[fill[:, 1] == 38, 0].tolist())
            assert set(range(start, (bar + 1) * BAR, sixteenth)) <= hats, (bar, hats)
            offbeats = set(range(start + 2 * sixteenth, (bar + 1) * BAR, 4 * sixteenth))
            assert offbeats <= set(fill[fill[:, 1] == 39, 0].tolist()), bar


def compound(signature: TimeSignature, opens: set[int], bars: int = 4) -> Clip:
    """A beat of my own in 6/8 or 12/8: a closed hat on every 8th but where the open hat
    (46) is struck (``opens``: 8ths of the bar), a kick on the downbeat, a snare on the
    second pulse (and the fourth, in 12/8)."""
    eighths = signature.numerator
    notes = []
    for bar in range(bars):
        start = bar * eighths / 2
        for e in range(eighths):
            pad = 46 if e in opens else HAT
            notes.append(Note(pad, start + e / 2, 0.25, 85 if pad == 46 else 70))
            if e == 0:
                notes.append(Note(KICK, start, 0.25, 110))
            if e % 6 == 3:
                notes.append(Note(SNARE, start + e / 2, 0.25, 100))
    notes.sort(key=lambda n: (n.start, n.pitch))
    return Clip(tuple(notes), bars * eighths / 2, signature)


def test_an_open_hat_on_every_dotted_quarter_keeps_time_under_a_fill() -> None:
    """A 12/8 afrobeat's open hat on each dotted quarter's last 8th, over closed 8ths, was
    counted in quarter notes, which it does not strike every one of, and stopped in every
    fill (0 of 48 fills, own 12/8 and 6/8 beats, 24 takes each): it keeps the meter's beat,
    the dotted quarter, as a house open hat keeps the quarter's. So does one on each pulse
    of a 6/8 beat, or on its off-beat; one on the second pulse alone is an accent."""
    from segue.model.drumming import kept_time, time_keepers

    eight = TimeSignature(6, 8)
    twelve = TimeSignature(12, 8)
    for signature, opens in ((twelve, {2, 5, 8, 11}), (twelve, {0, 3, 6, 9}), (eight, {1, 4})):
        rows = clip_rows(compound(signature, opens))
        bar = signature.numerator * TICKS_PER_BEAT // 2
        kit = kit_mask(rows, "clip", 0, 127)
        fills = fills_for("phrase", kit, 4 * bar, signature, TICKS_PER_BEAT, rows)
        assert fills is not None
        keepers = time_keepers(rows, 4 * bar, bar, fills)
        assert keepers.tolist() == [HAT, 46], (signature, opens)
    rows = clip_rows(compound(twelve, {2, 5, 8, 11}))
    bar = 6 * TICKS_PER_BEAT
    fills = fills_for("phrase", kit_mask(rows, "clip", 0, 127), 4 * bar, twelve, TICKS_PER_BEAT)
    assert fills is not None and fills.ticks == 3 * TICKS_PER_BEAT  # the last 2 dotted quarters
    start = 4 * bar + 3 * bar + 3 * TICKS_PER_BEAT
    take = np.array([[start, SNARE, 6, 110], [start + 6, SNARE, 6, 110]], dtype=np.int64)
    hits = kept_time(take, rows, fills, time_keepers(rows, 4 * bar, bar, fills), 8 * bar)
    eighth = TICKS_PER_BEAT // 2
    assert hits[hits[:, 1] == 46, 0].tolist() == [start + 2 * eighth, start + 5 * eighth]
    once = clip_rows(compound(eight, {3}))  # the second pulse alone: an accent, not kept
    bar = 3 * TICKS_PER_BEAT
    fills = fills_for("phrase", kit_mask(once, "clip", 0, 127), 4 * bar, eight, TICKS_PER_BEAT)
    assert fills is not None
    assert time_keepers(once, 4 * bar, bar, fills).tolist() == [HAT]


def compound_rack(signature: TimeSignature, opens: set[int], open_pad: int) -> Clip:
    """A Drum Rack of my own in 6/8 or 12/8: kick 36 on the downbeat, snare 37 on the
    second pulse (and the fourth), a closed hat on 39 (a GM clap's note) on every 8th, an
    open hat on ``open_pad`` (a GM snare's or tom's note) on the bar's 8ths ``opens``."""
    eighths = signature.numerator
    notes = []
    for bar in range(4):
        start = bar * eighths / 2
        for e in range(eighths):
            notes.append(Note(39, start + e / 2, 0.125, 70))
            if e in opens:
                notes.append(Note(open_pad, start + e / 2, 0.25, 85))
            if e == 0:
                notes.append(Note(36, start, 0.25, 110))
            if e % 6 == 3:
                notes.append(Note(37, start + e / 2, 0.25, 100))
    notes.sort(key=lambda n: (n.start, n.pitch))
    return Clip(tuple(notes), 4 * eighths / 2, signature)


def _a_fill_in_12_8(rows: np.ndarray) -> tuple[np.ndarray, int]:
    """The hits of a 12/8 rack's fill phrase (``rows``: 4 bars of its clip) where a take
    strikes its rim twice in the 8th bar's last 2 dotted quarters, kept to the clip's time
    keepers (``kept_time``), and where those 2 dotted quarters start (ticks)."""
    from segue.model.drumming import kept_time, time_keepers

    twelve = TimeSignature(12, 8)
    bar = 6 * TICKS_PER_BEAT
    fills = fills_for(
        "phrase", kit_mask(rows, "clip", 0, 127), 4 * bar, twelve, TICKS_PER_BEAT, rows
    )
    assert fills is not None
    start = 4 * bar + 3 * bar + 3 * TICKS_PER_BEAT  # the last 2 dotted quarters
    take = np.array([[start, 37, 6, 110], [start + 6, 37, 6, 110]], dtype=np.int64)
    return kept_time(take, rows, fills, time_keepers(rows, 4 * bar, bar, fills), 8 * bar), start


def test_a_racks_open_hat_on_every_dotted_quarter_keeps_time_under_a_fill() -> None:
    """A rack's pads are known by how they are struck, and its open hat was one struck on
    every offbeat 8th, read in quarter notes: in 12/8 and 6/8, an open hat on each dotted
    quarter's last 8th (38) or middle 8th (50) stopped in every fill (own beats, fills
    phrase, 4 takes x rng seeds 1-6: 0 and 1 of 48 fills kept it, 8 of 48 in 6/8 on the
    middle 8th). Read in the meter's pulse, as General MIDI's open hat is: struck in every
    pulse and never on its first 8th; once a bar (the second pulse) is an accent still."""
    from segue.model.drumming import time_keepers

    eight, twelve = TimeSignature(6, 8), TimeSignature(12, 8)
    for signature, opens, pad in (
        (twelve, {2, 5, 8, 11}, 38),
        (twelve, {1, 4, 7, 10}, 50),
        (eight, {2, 5}, 38),
        (eight, {1, 4}, 50),
    ):
        rows = clip_rows(compound_rack(signature, opens, pad))
        bar = signature.numerator * TICKS_PER_BEAT // 2
        kit = kit_mask(rows, "clip", 0, 127)
        fills = fills_for("phrase", kit, 4 * bar, signature, TICKS_PER_BEAT, rows)
        assert fills is not None and fills.pads.tolist() == [37]
        assert time_keepers(rows, 4 * bar, bar, fills).tolist() == sorted([39, pad])
    hits, start = _a_fill_in_12_8(clip_rows(compound_rack(twelve, {2, 5, 8, 11}, 50)))
    eighth = TICKS_PER_BEAT // 2
    assert hits[hits[:, 1] == 50, 0].tolist() == [start + 2 * eighth, start + 5 * eighth]
    once = clip_rows(compound_rack(eight, {3}, 38))  # the second pulse alone: an accent
    bar = 3 * TICKS_PER_BEAT
    fills = fills_for(
        "phrase", kit_mask(once, "clip", 0, 127), 4 * bar, eight, TICKS_PER_BEAT, once
    )
    assert fills is not None
    assert time_keepers(once, 4 * bar, bar, fills).tolist() == [39]


def choked_rack(signature: TimeSignature, opens: set[int]) -> Clip:
    """A Drum Rack of my own whose closed hat (39) its open hat (50) chokes: the closed hat
    on every 8th but the open hat's (``opens``: 8ths of the bar), kick 36 on the downbeat,
    snare 37 on the second pulse (the fourth in 12/8; 2 and 4 in 4/4)."""
    eighths = signature.numerator if signature.denominator == 8 else 8
    notes = []
    for bar in range(4):
        start = bar * eighths / 2
        for e in range(eighths):
            open_hat = e in opens
            notes.append(Note(50 if open_hat else 39, start + e / 2, 0.25, 85 if open_hat else 70))
            if e == 0:
                notes.append(Note(36, start, 0.25, 110))
            if (signature.denominator == 8 and e % 6 == 3) or (eighths == 8 and e in (2, 6)):
                notes.append(Note(37, start + e / 2, 0.25, 100))
    notes.sort(key=lambda n: (n.start, n.pitch))
    return Clip(tuple(notes), 4 * eighths / 2, signature)


def test_a_racks_closed_hat_choked_by_its_open_hat_keeps_time_under_a_fill() -> None:
    """A rack's closed hat choked by its open hat (struck on every 8th but the open hat's)
    was no pad struck in every 8th, and stopped in the fill's bar: in 12/8 with the open hat
    on each dotted quarter's last 8th, kept in 0 of 24 fills, 4/4 with one on the "and" of
    4, 0 of 24 (own racks, fills phrase, 4 takes x rng seeds 1-3). It keeps the time where
    it strikes off the pulse's first 8th; on the beats alone, under an open hat on the
    offbeats, it strikes as a four-on-the-floor kick does and is left to the fill."""
    from segue.model.drumming import time_keepers

    eight, twelve = TimeSignature(6, 8), TimeSignature(12, 8)
    for signature, opens, keepers in (
        (twelve, {2, 5, 8, 11}, [39, 50]),
        (twelve, {1, 4, 7, 10}, [39, 50]),
        (eight, {2, 5}, [39, 50]),
        (FOUR, {7}, [39]),  # the "and" of 4: an accent, the closed hat keeps the time
        (FOUR, {1, 3, 5, 7}, [50]),  # the closed hat on the beats alone: a kick's rhythm
    ):
        rows = clip_rows(choked_rack(signature, opens))
        bar = round(signature.beats_per_bar * TICKS_PER_BEAT)
        kit = kit_mask(rows, "clip", 0, 127)
        fills = fills_for("phrase", kit, 4 * bar, signature, TICKS_PER_BEAT, rows)
        assert fills is not None and fills.pads.tolist() == [37], (signature, opens)
        assert time_keepers(rows, 4 * bar, bar, fills).tolist() == keepers, (signature, opens)
    hits, start = _a_fill_in_12_8(clip_rows(choked_rack(twelve, {2, 5, 8, 11})))
    eighth = TICKS_PER_BEAT // 2
    assert hits[hits[:, 1] == 39, 0].tolist() == [start + e * eighth for e in (0, 1, 3, 4)]


def half_time(bars: int = 1) -> Clip:
    """A half-time trap beat: a kick on 1 and the "a" of 1, a clap on 3 alone, hats on
    every 16th."""
    notes = []
    for bar in range(bars):
        at = 4.0 * bar
        notes += [Note(HAT, at + i / 4, 0.1, 80 if i % 2 == 0 else 70) for i in range(16)]
        notes += [Note(KICK, at, 0.25, 115), Note(KICK, at + 0.75, 0.25, 115)]
        notes.append(Note(39, at + 2.0, 0.25, 100))
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0 * bars)


def test_a_half_time_clap_on_3_alone_is_the_beat_s_backbeat_and_an_anchor() -> None:
    """A trap beat's clap on 3 alone struck no 2 and 4: it was no backbeat, so the beat's
    touch had no ghost clap, memory 0 let it go, and a rack laid out its own way filled on
    GM numbers. A kick on 1 and 3 is no half-time backbeat, nor a clap on 1 and 3."""
    from segue.model.drumming import anchors, backbeat_pads, backbeat_pads_on, backbone

    beat = TICKS_PER_BEAT
    rows = clip_rows(half_time(4))
    assert backbeat_pads_on(rows, beat, 4) == ((39,), (2,))  # the bar's middle beat
    assert backbeat_pads(rows, beat, 4) == (39,)
    kept = anchors(backbone(rows, 4 * BAR, BAR), rows, beat, beat, 4)
    assert kept == {(0, KICK), (2 * beat, 39)}  # before: the kick's alone
    rock = clip_rows(groove())  # 2 and 4: as before
    assert backbeat_pads_on(rock, beat, 4) == ((SNARE,), (1, 3))
    kicks = [Note(KICK, float(b), 0.25, 110) for b in range(0, 16, 2)]  # 1 and 3
    kicks += [Note(HAT, b / 2, 0.25, 80) for b in range(32)]
    assert (
        backbeat_pads(clip_rows(Clip(tuple(sorted(kicks, key=lambda n: n.start)), 16.0)), beat, 4)
        == ()
    )
    claps = [Note(39, float(b), 0.25, 100) for b in range(0, 16, 2)] + kicks[8:]  # on 1 and 3
    assert (
        backbeat_pads(clip_rows(Clip(tuple(sorted(claps, key=lambda n: n.start)), 16.0)), beat, 4)
        == ()
    )
    waltz = [Note(36, b * 3.0, 0.25, 110) for b in range(4)]  # 3/4: no half time
    waltz += [Note(38, b * 3.0 + 1.5, 0.25, 90) for b in range(4)]
    three = clip_rows(Clip(tuple(sorted(waltz, key=lambda n: n.start)), 12.0, TimeSignature(3, 4)))
    assert backbeat_pads_on(three, beat, 3) == ((), ())


def test_a_programmed_beat_s_repeats_keep_the_slips_of_their_feel() -> None:
    """A melodic loop's programmed levels come back as programmed (a trance gate's 100/75,
    ``segue.model.loop.programmed_levels``); a beat's hits keep their feel's velocity slips,
    as a drummer's repeats breathe: with the levels kept on drums (a hat's 100/75, a kick's
    110) no repeated hit slipped (0 to 1 of about 180 a request), and the groove came back on
    the downbeat after a phrase's fill in fewer takes (bench_drums: 143 of 152, against 150)."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    hits = []
    for eighth in range(32):
        at = eighth * 0.5
        hits.append(Note(42, at, 0.25, 100 if eighth % 2 == 0 else 75))
        if eighth % 8 in (0, 4):
            hits.append(Note(36, at, 0.25, 110))
        if eighth % 8 in (2, 6):
            hits.append(Note(38, at, 0.25, 105))
    beat = Clip(tuple(hits), 16.0)
    own = {(n.start % 16, n.pitch): n.velocity for n in hits}
    drums = load_checkpoint(find_model("drums")).model
    for rng_seed in (1, 2, 3):
        result = generate(drums, beat, GenerationParams(variations=4, bars=4, rng_seed=rng_seed))
        repeats = [
            (n.velocity, own[(n.start % 16, n.pitch)])
            for v in result.variations
            for n in v.clip.notes
            if (n.start % 16, n.pitch) in own
        ]
        slipped = sum(velocity != level for velocity, level in repeats)
        assert len(repeats) > 100 and slipped > len(repeats) / 10, (rng_seed, slipped)

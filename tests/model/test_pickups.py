"""A clip with a pickup: where its music begins, and its continuation on the music's bars."""

from __future__ import annotations

from dataclasses import replace

import pytest

from segue.model.checkpoint import load_checkpoint
from segue.model.generate import generate
from segue.model.pickups import downbeat_problem, music_start
from segue.model.registry import find_model
from segue.model.settings import GenerationError, GenerationParams
from segue.notes import Clip, Note


def _line(notes: list[tuple[int | tuple[int, ...], float]], at: float = 0.0) -> list[Note]:
    """A part of (pitch or chord, beats) notes one after another from beat ``at``."""
    out, t = [], at
    for pitches, beats in notes:
        for p in pitches if isinstance(pitches, tuple) else (pitches,):
            out.append(Note(p, t, beats * 0.9, 96))
        t += beats
    return out


E_PHRYGIAN_BASS = _line(  # 4 bars on an E2 pedal, its F2 off the beat, D3 C3 leading back
    [(40, 1), (40, 0.5), (41, 0.5), (40, 1), (43, 1)] * 3
    + [(40, 1), (41, 0.5), (40, 0.5), (50, 1), (48, 1)]
)
B_C_D = [(35, 0.5), (36, 0.5), (38, 0.5)]  # the walk up into its E2
A_MINOR_TUNE = _line(  # A4 on the downbeat after an E4
    [(69, 1.5), (71, 0.5), (72, 1), (71, 1), (69, 2), (64, 2)]
    + [(65, 1.5), (67, 0.5), (69, 1), (67, 1), (64, 4)]
)


def _beat() -> list[Note]:
    """4 bars of a rock beat: 8th hats, kick on 1 and the and of 3, snare on 2 and 4."""
    out = []
    for bar in range(4):
        out += [Note(42, bar * 4 + i * 0.5, 0.25, 80) for i in range(8)]
        out += [Note(36, bar * 4 + k, 0.25, 110) for k in (0, 2.5)]
        out += [Note(38, bar * 4 + s, 0.25, 105) for s in (1, 3)]
    return out


SNARE_ROLL = [(38, 0.25)] * 4  # 16ths in the last beat before bar 1


def _after(pickup: list[tuple[int, float]], body: list[Note], form: str, bars: int = 4) -> Clip:
    """``body`` (``bars`` bars) after ``pickup``, as Live sends it: "marker", the start marker moved
    back to the pickup (its bars and the pickup long); "bar", a bar more, the first holding nothing
    but the pickup in its last beats (a MIDI file's pickup bar)."""
    span = sum(beats for _, beats in pickup)
    at = 0.0 if form == "marker" else 4.0 - span
    notes = _line(pickup, at) + [n.shifted(at + span) for n in body]
    return Clip(tuple(notes), 4.0 * bars + (span if form == "marker" else 4.0))


def test_the_music_starts_on_the_first_downbeat_after_a_pickup() -> None:
    bass = E_PHRYGIAN_BASS
    assert music_start(_after(B_C_D, bass, "bar").notes, 4.0, 20.0) == 4.0
    assert music_start(_after(SNARE_ROLL, _beat(), "bar").notes, 4.0, 20.0) == 4.0
    # a pickup bar before 2 bars, 8 (a phrase), and 12 (a blues): the phrase is the loop
    for bars in (2, 8, 12):
        body = [n.shifted(16.0 * i) for i in range(bars // 4) for n in bass] if bars > 2 else bass
        body = [n for n in body if n.start < 4.0 * bars]
        clip = _after(B_C_D, body, "bar", bars)
        assert music_start(clip.notes, 4.0, 4.0 * (bars + 1)) == 4.0, bars
    # whole bars from beat 0, as every loop without a pickup: as before
    assert music_start(tuple(bass), 4.0, 16.0) == 0.0
    assert music_start(tuple(_beat()), 4.0, 16.0) == 0.0
    # a 4-bar loop whose first bar rests until a pickup: Live loops the 4 bars, the pickup
    # heard on every pass (its breath is the loop's)
    tune = [n for n in A_MINOR_TUNE if n.start < 12.0]
    assert music_start(_after([(64, 1)], tune, "bar", 3).notes, 4.0, 16.0) == 0.0
    # a 6-beat figure in 4/4 (a bar and a half) loops at its own length, no pickup and a bar
    figure = tuple(_line([(60, 0.5), (62, 0.5), (64, 0.5), (65, 0.5)] * 3))
    assert music_start(figure, 4.0, 6.0) == 0.0


def test_a_clip_of_no_whole_bars_loops_whole_as_live_loops_it() -> None:
    """A clip 4 bars and a pickup long (its start marker moved back before bar 1) and one of
    4 bars that ends half a bar later (trimmed where its notes end, or a loop of 4 and a half
    bars) send the same kind of notes: read as a pickup, the 18-beat reel of bench_generate,
    8ths from its downbeat, lost its first half bar and its takes' bars moved by two beats.
    Without the start marker, which only Live knows, such a clip loops whole, as before."""
    assert music_start(_after(B_C_D, E_PHRYGIAN_BASS, "marker").notes, 4.0, 17.5) == 0.0
    assert music_start(_after(SNARE_ROLL, _beat(), "marker").notes, 4.0, 17.0) == 0.0
    reel = [67, 71, 74, 71] + [67, 71, 74, 79, 78, 74, 72, 71] * 4
    line = tuple(Note(p, 0.5 * i, 0.5, 90) for i, p in enumerate(reel))
    assert music_start(line, 4.0, 18.0) == 0.0


@pytest.fixture(scope="module")
def models() -> dict[str, object]:
    return {name: load_checkpoint(find_model(name)).model for name in ("producer", "drums")}


@pytest.mark.parametrize("form", ["bar"])
@pytest.mark.parametrize(
    ("name", "pickup", "body"),
    [
        ("producer", B_C_D, E_PHRYGIAN_BASS),
        ("producer", [(64, 1.0)], A_MINOR_TUNE),
        ("drums", SNARE_ROLL, _beat()),
    ],
)
def test_a_clip_after_a_pickup_is_continued_on_its_bars(models, name, pickup, body, form) -> None:
    """An E phrygian bass after B1 C2 D2, a tune after its E4, a beat after a snare roll:
    every take replayed the whole clip, pickup first, from its beat 0, so its downbeats fell
    a pickup's length late (the start marker before bar 1), or a near-empty bar came before
    every 4 (a pickup bar). The takes go on with the 4 bars, as those 4 bars alone would, the
    pickup heard once before them, each take placed at the clip's end."""
    clip = _after(pickup, body, form)
    for fills in ("none", "phrase") if name == "drums" else ("none",):
        params = GenerationParams(bars=8, variations=4, rng_seed=3, fills=fills)
        result = generate(models[name], clip, params)
        alone = generate(models[name], Clip(tuple(body), 16.0), params)
        assert [v.clip for v in result.variations] == [v.clip for v in alone.variations]
        assert all(v.start == clip.length for v in result.variations)
        downbeat = {n.pitch for n in body if n.start == 0}
        for v in result.variations:
            assert downbeat <= {n.pitch for n in v.clip.notes if n.start == 0}
        assert result.seed == clip
    # with the seed, the continuation after the whole clip, pickup and all
    params = GenerationParams(bars=4, variations=1, rng_seed=3, include_seed=True)
    (whole,) = generate(models[name], clip, params).clips()
    assert whole.length == clip.length + 16.0
    assert whole.notes[: len(clip.notes)] == clip.notes


@pytest.mark.parametrize("form", ["bar"])
def test_a_played_clip_after_a_pickup_is_continued_on_its_bars(models, form) -> None:
    """The bass played, each note after the first 0.02 beats early (its downbeat too, before
    the bar line): the takes went on with the pickup at their beat 0. They go on with the
    bass's E2 on the downbeat, the clip's feel kept."""
    notes = _after(B_C_D, E_PHRYGIAN_BASS, form).notes
    clip = Clip(
        tuple(Note(n.pitch, max(n.start - 0.02, 0.0), n.duration, 96) for n in notes),
        16.0 + (1.5 if form == "marker" else 4.0),
    )
    params = GenerationParams(bars=4, variations=4, rng_seed=1)
    for v in generate(models["producer"], clip, params).variations:
        assert v.start == clip.length
        assert (v.clip.notes[0].pitch, v.clip.notes[0].start) == (40, 0.0)
        assert all(n.pitch != 35 for n in v.clip.notes if n.start < 2.0)


@pytest.mark.parametrize(
    ("name", "pickup", "body"),
    [
        ("producer", B_C_D, E_PHRYGIAN_BASS),
        ("producer", [(64, 1.0)], A_MINOR_TUNE),
        ("drums", SNARE_ROLL, _beat()),
    ],
)
def test_a_clip_told_where_bar_1_lies_is_continued_on_its_bars(models, name, pickup, body) -> None:
    """Live's clip with its start marker moved back before bar 1 to hold a pickup (17.5
    beats, the bass's walk-up at 0): the notes alone cannot tell it from a phrase that ends
    mid-bar, and every take went on with the whole clip, pickup first, its bars a pickup's
    length off Live's. Told where bar 1 lies (``downbeat``: the device knows), the takes go
    on as the 4 bars alone would, placed after the whole clip; the key is read from bar 1."""
    clip = _after(pickup, body, "marker")
    span = clip.length - 16.0
    params = GenerationParams(bars=8, variations=4, rng_seed=3, downbeat=span)
    result = generate(models[name], clip, params)
    alone = generate(models[name], Clip(tuple(body), 16.0), replace(params, downbeat=None))
    assert [v.clip for v in result.variations] == [v.clip for v in alone.variations]
    assert all(v.start == clip.length for v in result.variations)
    assert result.params.downbeat == span and result.seed == clip
    untold = generate(models[name], clip, replace(params, downbeat=None))  # as before
    assert [v.clip for v in untold.variations] != [v.clip for v in alone.variations]


def test_a_told_downbeat_overrides_the_notes_and_is_refused_outside_the_clip(models) -> None:
    """Told bar 1 at the clip's start, a clip whose first bar holds only a pickup (a MIDI
    file's pickup bar, read as one) loops whole, as Live loops it; a downbeat at or past the
    clip's end, or a bar or less before it, or after its last note, is refused in one line."""
    clip = _after(B_C_D, E_PHRYGIAN_BASS, "bar")
    params = GenerationParams(bars=4, variations=2, rng_seed=1, key="auto")
    read = generate(models["producer"], clip, params)
    whole = generate(models["producer"], clip, replace(params, downbeat=0.0))
    assert [v.clip for v in read.variations] != [v.clip for v in whole.variations]
    assert str(read.key) == str(whole.key) == "E phrygian"  # the bars from bar 1 say it
    with pytest.raises(GenerationError, match=r"^the downbeat 20 lies at or past the seed's end"):
        generate(models["producer"], clip, replace(params, downbeat=20.0))
    # at its last note or after it, bar 1 would begin no music: a run on notes the clip
    # never plays (helper-151: --downbeat 17.5 of a 20-beat reading of a 17.5-beat clip)
    last = max(n.start for n in clip.notes)
    longer = Clip(clip.notes, clip.length + 4.0, clip.time_signature)  # a bar of silence
    with pytest.raises(GenerationError, match=r"leaves no note of the seed after it: bar 1 is"):
        generate(models["producer"], longer, replace(params, downbeat=last + 0.5))
    with pytest.raises(GenerationError, match=r"leaves 1 beat of the seed after it, less than"):
        generate(models["producer"], clip, replace(params, downbeat=clip.length - 1.0))


def test_bar_1_begins_music_with_a_bar_of_it_or_more_after_it() -> None:
    assert downbeat_problem(1.5, 17.5, 4.0, [0.0, 1.5, 16.0]) is None
    assert downbeat_problem(0.0, 2.0, 2.0) is None  # a bar of 2/4 after it
    assert downbeat_problem(17.5, 17.5, 4.0) == "lies at or past the seed's end (17.5 beats)"
    assert downbeat_problem(16.0, 17.5, 4.0) == (
        "leaves 1.5 beats of the seed after it, less than a bar"
    )
    assert downbeat_problem(16.0, 20.0, 4.0, [0.0, 1.5, 15.0]) == (
        "leaves no note of the seed after it"
    )

"""The clip memory's views: the same intervals, the same rhythm."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from segue.model.architecture import ModelConfig
from segue.model.generate import generate
from segue.model.keys import Key
from segue.model.lstm import SegueLSTM
from segue.model.memory import ORDERS, Matcher, Recollection, joint_losses, mixed_joint
from segue.model.memory_views import (
    NO_STEP,
    SCALE,
    VIEWS,
    ViewMemory,
    check_views,
    degree_pitch,
    degrees_of,
    fit_views,
    intervals_of,
    scale_tonic,
    stacked,
    view_fields,
    view_of,
    view_recalls,
)
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

STRONG = (0.99,) * len(ORDERS)
INTERVALS, DEGREES, RHYTHM = view_of("intervals"), view_of("degrees"), view_of("rhythm")
C_MAJOR = [0, 2, 4, 5, 7, 9, 11]


def test_views_read_steps_and_leave_the_pitch_out() -> None:
    notes = np.array([[0, 60, 12], [12, 62, 12], [6, 59, 6]])
    assert intervals_of(notes[:, 1]).tolist() == [NO_STEP, 130, 125]
    assert intervals_of(notes[:, 1], before=58).tolist() == [130, 130, 125]
    assert view_fields(INTERVALS, notes)[:, 1].tolist() == [NO_STEP, 130, 125]
    assert view_fields(RHYTHM, notes).tolist() == [[0, 0, 12], [12, 0, 12], [6, 0, 6]]
    assert view_fields(RHYTHM, notes)[:, [0, 2]].tolist() == notes[:, [0, 2]].tolist()
    assert [v.name for v in VIEWS] == ["intervals", "degrees", "rhythm"]


def test_the_degree_view_reads_steps_along_the_clips_scale() -> None:
    # C D E then E F G: semitone steps 2 2 then 1 2, one degree each in C major
    pitches = np.array([60, 62, 64, 64, 65, 67, 66, 72])
    assert scale_tonic(pitches) == 0
    assert scale_tonic(np.array([67, 69, 71, 71, 72, 74, 78])) == 7  # G A B B C D F#: G major
    assert SCALE.tolist() == C_MAJOR
    steps = degrees_of(pitches, 0)
    assert intervals_of(pitches)[1:3].tolist() != intervals_of(pitches)[4:6].tolist()
    assert steps[1:3].tolist() == steps[4:6].tolist() == [130, 130]  # 2 * (64 + 1)
    assert steps[0] == NO_STEP and steps[3] == 128  # a repeated note: no step
    assert steps[6] == 2 * (64 - 1) + 1  # G down to F#: F, a semitone above it
    assert degrees_of(pitches, 0, before=59).tolist()[0] == 130  # B up to C: one degree
    assert degree_pitch(pitches[:-1], steps[1:], 0).tolist() == pitches[1:].tolist()
    # the same steps in G major lead to the same places in G's scale
    assert degree_pitch(np.array([71]), np.array([130]), 7).tolist() == [72]
    assert degree_pitch(np.array([71]), np.array([130]), 0).tolist() == [72]
    assert degree_pitch(np.array([64]), np.array([130]), 0).tolist() == [65]
    fields = np.stack([np.full(8, 6), pitches, np.full(8, 6)], axis=1)
    assert view_fields(DEGREES, fields)[:, 1].tolist() == steps.tolist()


def test_a_stored_view_table_is_checked_and_round_trips() -> None:
    weights = (0.1,) * len(ORDERS)
    assert check_views({"rhythm": list(weights), "intervals": []}) == {"rhythm": weights}
    with pytest.raises(ValueError, match="unknown memory view 'melody'"):
        check_views({"melody": list(weights)})
    with pytest.raises(ValueError, match="weights in"):
        check_views({"rhythm": [0.5, 0.5]})
    config = ModelConfig(memory_views={"rhythm": weights, "intervals": weights})
    again = ModelConfig.from_dict(config.to_dict())
    assert again.memory_views == {"intervals": weights, "rhythm": weights}
    assert ModelConfig.from_dict({"vocab": config.to_dict()["vocab"]}).memory_views == {}


def _sequence(repeats: int = 6) -> np.ndarray:
    """A figure of 4 notes (C D E C) climbing a step each time: the steps repeat, the
    pitches do not, the rhythm repeats too."""
    figure = [0, 2, 4, 0]
    return np.array(
        [[6, 60 + 2 * r + f, 6] for r in range(repeats) for f in figure], dtype=np.int64
    )


def _scale_sequence(repeats: int = 6) -> np.ndarray:
    """C D E C, D E F D, E F G E, ...: a figure moved up C major a degree at a time, its
    semitone steps changing with the scale's and its degree steps the same."""
    degrees = [r + f for r in range(repeats) for f in (0, 1, 2, 0)]
    return np.array([[6, 60 + 12 * (d // 7) + C_MAJOR[d % 7], 6] for d in degrees])


def _new_pitches_old_rhythm(repeats: int = 8, seed: int = 0) -> np.ndarray:
    """A dotted rhythm again and again, with pitches drawn at random: only the rhythm repeats."""
    rng = np.random.default_rng(seed)
    rhythm = [(18, 18), (6, 6), (12, 12)]
    return np.array(
        [[o, int(rng.integers(50, 80)), d] for _ in range(repeats) for o, d in rhythm],
        dtype=np.int64,
    )


def _uniform(n: int) -> np.ndarray:
    return np.log(np.full((n, 4), 0.1))


def test_each_view_is_trusted_where_its_kind_of_repetition_is() -> None:
    for notes, trusted, not_trusted in (
        (_sequence(), "intervals", None),
        (_new_pitches_old_rhythm(), "rhythm", "intervals"),
    ):
        lp = _uniform(len(notes))
        seen = view_recalls(notes)
        base = mixed_joint(lp, seen["rhythm"], np.zeros(0))  # the network alone
        weights = fit_views(base, lp, seen)
        assert max(weights[trusted]) > 0.8
        if not_trusted is not None:
            assert not_trusted not in weights or max(weights[not_trusted]) < 0.1
        after = joint_losses(stacked(base, lp, seen, weights), lp)[:, :3].sum(axis=1)
        assert after.mean() < -lp[:, :3].sum(axis=1).mean() - 0.5


def test_the_degree_view_is_trusted_where_a_figure_moves_along_the_scale() -> None:
    notes = _scale_sequence(8)
    lp = _uniform(len(notes))
    seen = view_recalls(notes)
    base = mixed_joint(lp, seen["rhythm"], np.zeros(0))  # the network alone
    weights = fit_views(base, lp, seen)
    assert max(weights["degrees"]) > 0.8
    without = {k: w for k, w in weights.items() if k != "degrees"}
    after = joint_losses(stacked(base, lp, seen, weights), lp)[:, :3].sum(axis=1)
    before = joint_losses(stacked(base, lp, seen, without), lp)[:, :3].sum(axis=1)
    assert after.mean() < before.mean() - 0.5
    # a chromatic sequence (the figure a whole tone up each time) is the interval view's
    chromatic = fit_views(base, lp, view_recalls(_sequence(8)))
    assert max(chromatic["intervals"]) > 0.8


def test_stacking_is_a_mixture_of_each_view_on_top_of_the_last() -> None:
    notes = _new_pitches_old_rhythm()
    rng = np.random.default_rng(1)
    lp = np.log(rng.uniform(0.05, 0.9, (len(notes), 4)))
    seen = view_recalls(notes)
    base = np.exp(np.cumsum(lp[:, :3], axis=1))
    assert np.allclose(stacked(base, lp, seen, {}), base)
    w = {"rhythm": (0.4,) * len(ORDERS)}
    joint = stacked(base, lp, seen, w)
    r = seen["rhythm"]
    weight = np.where(r.bucket >= 0, 0.4, 0.0)
    # the rhythm's copy brings onset and length; the network's pitch for that onset
    theirs = r.agree[:, 2] * np.exp(lp[:, 1])
    assert np.allclose(joint[:, 2], (1 - weight) * base[:, 2] + weight * theirs)
    assert np.allclose(stacked(base, lp, seen, w, strength=0.0), base)


def test_view_memory_copies_a_step_from_the_last_note_and_leaves_a_rhythm_pitch_open() -> None:
    notes = _sequence(3)  # ... E F G E: the figure's steps say the next note is 2 up
    memory = ViewMemory({"intervals": STRONG}, 1.0, notes, rows=200, capacity=64)
    copy = memory.recollect(None, np.random.default_rng(0))
    assert copy is not None and copy.use.mean() > 0.9
    assert set(copy.fields[copy.use, 1].tolist()) == {notes[-1, 1] + 2}
    assert copy.network_pitch is not None and not copy.network_pitch[copy.use].any()
    rhythm = ViewMemory({"rhythm": STRONG}, 1.0, _new_pitches_old_rhythm(), 200, 64)
    earlier = Recollection(np.ones(200, dtype=bool), np.tile([1, 99, 1], (200, 1)))
    replaced = rhythm.recollect(earlier, np.random.default_rng(0))
    assert replaced is not None and replaced.network_pitch is not None
    assert replaced.network_pitch.mean() > 0.9  # the rhythm's copies replace the memory's
    assert (replaced.fields[replaced.network_pitch][:, [0, 2]] == [18, 18]).all()
    assert ViewMemory.of({}, 1.0, notes, 2, 64) is None
    assert ViewMemory.of({"rhythm": STRONG}, 0.0, notes, 2, 64) is None


def test_view_memory_copies_a_degree_step_in_the_clips_key() -> None:
    notes = _scale_sequence(3)  # ... E F G E: the next figure begins on F, a degree up
    memory = ViewMemory({"degrees": STRONG}, 1.0, notes, rows=200, capacity=64)
    copy = memory.recollect(None, np.random.default_rng(0))
    assert copy is not None and copy.use.mean() > 0.9
    assert set(copy.fields[copy.use, 1].tolist()) == {65}  # F, not F# (two semitones)
    g_major = ViewMemory({"degrees": STRONG}, 1.0, notes + [0, 7, 0], rows=200, capacity=64)
    copy = g_major.recollect(None, np.random.default_rng(0))
    assert copy is not None and set(copy.fields[copy.use, 1].tolist()) == {72}  # C, in G


def test_generation_pushes_steps_as_the_likelihood_reads_them() -> None:
    notes = _scale_sequence(3)
    both = {"intervals": STRONG, "degrees": STRONG, "rhythm": STRONG}
    memory = ViewMemory(both, 1.0, notes[:5], rows=3, capacity=64)
    for note in notes[5:]:
        memory.push(np.repeat(note[None], 3, axis=0))
    assert memory.tonic == scale_tonic(notes[:5, 1]) == 0  # the seed's first notes' key
    for k, view in enumerate((INTERVALS, DEGREES, RHYTHM)):  # each view's rows, in turn
        whole = Matcher(view_fields(view, notes, tonic=memory.tonic))
        for row in range(3 * k, 3 * k + 3):
            assert (
                memory.matcher.tokens[row, : whole.n].tolist()
                == whole.tokens[0, : whole.n].tolist()
            )
            assert (
                memory.matcher.match[row, : whole.n].tolist() == whole.match[0, : whole.n].tolist()
            )


# ---------------------------------------------------------------------------
# generation
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def untrained() -> SegueLSTM:
    torch.manual_seed(0)
    return SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1)).eval()


def _with_views(model: SegueLSTM, **views: tuple[float, ...]) -> SegueLSTM:
    out = SegueLSTM(replace(model.config, memory=(0.0,) * len(ORDERS), memory_views=views))
    out.load_state_dict(model.state_dict())
    return out.eval()


def _dotted_seed() -> Clip:
    pitches = [60, 67, 64, 72, 62, 65, 71, 59, 69, 63, 66, 70]
    rhythm = [(0.0, 0.75), (0.75, 0.25), (1.0, 1.0)]  # dotted eighth, sixteenth, quarter
    notes = [
        Note(pitches[i % len(pitches)], 2 * bar + start, length, 90)
        for i, (bar, (start, length)) in enumerate((b, r) for b in range(8) for r in rhythm)
    ]
    return Clip(tuple(notes))


def _keeps_the_rhythm(clip: Clip) -> float:
    rhythm = {0.0: 0.75, 0.75: 0.25, 1.0: 1.0}
    return float(np.mean([rhythm.get(n.start % 2, -1) == n.duration for n in clip.notes]))


def test_a_strong_rhythm_view_keeps_the_clips_rhythm_with_the_networks_pitches(untrained) -> None:
    model = _with_views(untrained, rhythm=STRONG)
    params = GenerationParams(notes=24, variations=4, rng_seed=3)
    kept = generate(model, _dotted_seed(), params)
    alone = generate(untrained, _dotted_seed(), params)
    off = generate(model, _dotted_seed(), replace(params, memory=0.0))
    assert min(_keeps_the_rhythm(v.clip) for v in kept.variations) >= 0.8  # a miss costs a few
    assert max(_keeps_the_rhythm(v.clip) for v in alone.variations) < 0.5
    # as a model without the view at memory 0 (which holds a legato part's notes too and
    # leans the strikes to the clip's gaps)
    alone_off = generate(untrained, _dotted_seed(), replace(params, memory=0.0))
    assert [v.clip for v in off.variations] == [v.clip for v in alone_off.variations]
    seed_pitches = [n.pitch for n in _dotted_seed().notes]
    played = [n.pitch for v in kept.variations for n in v.clip.notes]
    assert len(set(played)) > 8  # the network's pitches, not a copy of the seed's order
    assert played[:12] != seed_pitches[:12]


def _climbing_seed() -> Clip:
    figure = [0, 2, 4, 0]
    notes = [
        Note(60 + r + f, (4 * r + i) * 0.5, 0.5, 90) for r in range(6) for i, f in enumerate(figure)
    ]
    return Clip(tuple(notes))  # C D E C, C# D# F C#, ...: the figure a semitone up each time


def test_a_strong_interval_view_carries_a_sequence_on_and_masks_still_hold(untrained) -> None:
    model = _with_views(untrained, intervals=STRONG)
    result = generate(model, _climbing_seed(), GenerationParams(notes=12, variations=2, rng_seed=4))
    seed = [n.pitch for n in _climbing_seed().notes]
    for variation in result.variations:
        pitches = seed + [n.pitch for n in variation.clip.notes]
        steps = np.diff(pitches)[len(seed) - 1 :]
        expected = np.diff(seed)[-8:]  # the figure's steps, 8 notes before
        assert np.mean(steps == np.resize(expected, len(steps))) >= 0.9
    locked = generate(
        model,
        _climbing_seed(),
        GenerationParams(notes=30, variations=4, key="C major", low=55, high=72, rng_seed=5),
    )
    allowed = Key(0, "major").pitch_classes()
    for variation in locked.variations:
        assert all(n.pitch % 12 in allowed and 55 <= n.pitch <= 72 for n in variation.clip.notes)


def _scale_seed() -> Clip:
    notes = _scale_sequence(6)
    return Clip(tuple(Note(int(p), 0.5 * i, 0.5, 90) for i, p in enumerate(notes[:, 1])))


def test_a_strong_degree_view_carries_a_sequence_up_the_scale(untrained) -> None:
    model = _with_views(untrained, degrees=STRONG)
    result = generate(model, _scale_seed(), GenerationParams(notes=12, variations=4, rng_seed=4))
    for variation in result.variations:
        pitches = [n.pitch for n in variation.clip.notes]
        # after ... A B C A the figure goes on: B C D B, C D E C, D E F D
        assert np.mean(np.array(pitches) == [71, 72, 74, 71, 72, 74, 76, 72, 74, 76, 77, 74]) >= 0.9
    alone = generate(untrained, _scale_seed(), GenerationParams(notes=12, variations=4, rng_seed=4))
    assert all(v.clip.notes[0].pitch != 71 or v.clip.notes[1].pitch != 72 for v in alone.variations)


def test_views_continue_no_seed_an_empty_seed_and_a_one_note_seed(untrained) -> None:
    model = _with_views(untrained, intervals=STRONG, degrees=STRONG, rhythm=STRONG)
    params = GenerationParams(notes=6, variations=2, rng_seed=6)
    for seed in (None, Clip((), 4.0), Clip((Note(60, 0.0, 1.0, 90),))):
        result = generate(model, seed, params)
        assert all(len(v.clip.notes) == 6 for v in result.variations)

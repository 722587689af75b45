"""The octave a model hears a clip in: a bass continued by the melody model stays a bass."""

from __future__ import annotations

import statistics
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from segue.grid import clip_rows
from segue.model.architecture import Network
from segue.model.checkpoint import LoadedModel, load_checkpoint
from segue.model.generate import generate
from segue.model.register import into_range, moves, octave_for
from segue.model.registry import find_model
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note


@pytest.fixture(scope="module")
def bundled() -> dict[str, LoadedModel]:
    return {name: load_checkpoint(find_model(name)) for name in ("melody", "producer", "drums")}


def eighths_bass() -> Clip:
    """4 bars of 8ths around C2: the root on the beats, its octave, fifth and seventh between."""
    notes = []
    for bar, root in enumerate((36, 36, 34, 39)):
        for k, step in enumerate((0, 12, 0, 7, 0, 10, 0, 7)):
            notes.append(Note(root + step, bar * 4 + k * 0.5, 0.4, 100 if k % 2 == 0 else 80))
    return Clip(tuple(notes), 16.0)


def _median(result) -> float:
    return statistics.median(n.pitch for v in result.variations for n in v.clip.notes)


def test_a_bass_continued_by_the_melody_model_stays_in_the_bass(bundled) -> None:
    """The melody model asked by name to continue a bass around C2 answered two and a half
    octaves up (median 71 against the clip's 40), as its fiddle tunes lie: on a bass synth,
    a line nobody can use. It now hears the clip three octaves up and brings its line back
    down, within an octave of the clip's register."""
    seed = eighths_bass()
    params = GenerationParams(variations=4, bars=4, rng_seed=3)
    result = generate(bundled["melody"].model, seed, params)
    own = statistics.median(n.pitch for n in seed.notes)
    assert abs(_median(result) - own) <= 12
    assert result.seed == seed and result.params == params  # the clip as it was given
    whole = replace(result, params=replace(params, include_seed=True)).clips()
    assert all(c.notes[: len(seed.notes)] == seed.notes for c in whole)


def test_the_musician_s_range_holds_where_the_model_hears_the_clip_elsewhere(bundled) -> None:
    result = generate(
        bundled["melody"].model,
        eighths_bass(),
        GenerationParams(variations=4, bars=4, low=36, high=47, rng_seed=1),
    )
    pitches = [n.pitch for v in result.variations for n in v.clip.notes]
    assert pitches and all(36 <= p <= 47 for p in pitches)


def test_a_model_that_knows_the_clip_s_register_hears_it_where_it_is(bundled) -> None:
    """The producer model knows basses, and a drum model's notes are pads: neither moves."""
    rows = clip_rows(eighths_bass()).astype(np.int64)
    assert octave_for(bundled["melody"].model, rows, 96, 0, 127) == 36
    assert octave_for(bundled["producer"].model, rows, 96, 0, 127) == 0
    assert octave_for(bundled["drums"].model, rows, 96, 0, 127) == 0


def test_moves_keep_the_clip_and_an_octave_of_the_range_within_midi() -> None:
    rows = clip_rows(eighths_bass()).astype(np.int64)  # pitches 34-51
    assert moves(rows, 0, 127) == [-24, -12, 12, 24, 36]  # -36 would take 34 below 0
    assert moves(rows, 100, 127) == [-24, -12, 12]  # +12 leaves 112-127; +24 only 124-127
    assert moves(rows, 40, 44) == [-24, -12, 12, 24, 36]  # a range under an octave: all of it
    assert moves(rows[:0], 0, 127) == []


def test_a_tune_above_the_musician_s_range_goes_on_in_it_by_octaves(bundled) -> None:
    """A reel at 67-81 under --low 30 --high 50 came back as one pitch, 50, every note of
    every take: the network's pitches were cut but the range's edge (helper-62). The clip is
    now moved into the range by whole octaves first, as many as put the most of its notes
    in it (three: 31-45; two left 52-57 out, helper-67), and the tune goes on there."""
    from segue.midi_io import read_midi

    reel = read_midi(Path(__file__).parents[2] / "examples" / "seeds" / "reel.mid")
    params = GenerationParams(variations=2, bars=4, low=30, high=50, rng_seed=3)
    result = generate(bundled["melody"].model, reel, params)
    own = statistics.median(n.pitch for n in reel.notes)
    for take in result.variations:
        pitches = [n.pitch for n in take.clip.notes]
        assert len(set(pitches)) >= 5 and all(30 <= p <= 50 for p in pitches)
        assert abs(statistics.median(pitches) - (own - 36)) <= 6  # all its notes in 30-50
    assert result.seed == reel


def test_into_range_moves_by_octaves_only_a_clip_outside_the_range() -> None:
    rows = clip_rows(eighths_bass()).astype(np.int64)  # pitches 34-51, median 40
    assert into_range(rows, 0, 127) == 0 and into_range(rows, 36, 44) == 0
    assert into_range(rows, 60, 84) == 36  # 70-87: 2 notes of 32 out; +24 (58-75): 4
    assert into_range(rows, 60, 64) == 24  # 64 in it; +12 leaves 52, 8 below
    assert into_range(rows, 0, 20) == -24  # median 16; -36 would take 34 below 0
    assert into_range(rows[:0], 60, 84) == 0


def test_a_bass_three_octaves_below_a_model_s_register_is_heard_where_it_knows_it(
    bundled,
) -> None:
    """A half-note bass at 24-31 under the melody model: both octaves next to it are as
    hopeless as its own (12-15 nats), and a search that went by the nearer one moved it an
    octave down; its notes came back at 80-94 (helper-67). Every move is heard now."""
    roots = (24, 24, 31, 29, 27, 27, 24, 31)
    seed = Clip(tuple(Note(p, 2.0 * i, 1.9, 90) for i, p in enumerate(roots)), 16.0)
    rows = clip_rows(seed).astype(np.int64)
    assert octave_for(bundled["melody"].model, rows, 96, 0, 127) == 36
    result = generate(bundled["melody"].model, seed, GenerationParams(bars=4, rng_seed=1))
    assert abs(_median(result) - statistics.median(roots)) <= 12


def test_a_key_with_no_pitch_in_the_range_is_said_in_the_range_asked(bundled) -> None:
    """The bassline under the melody model, --low 42 --high 42 --key 'C major', said "no
    pitch of C major lies in the range 66-66": the range moved with the clip (helper-67)."""
    from segue.model.settings import GenerationError

    with pytest.raises(GenerationError, match="in the range 42-42;"):
        generate(
            bundled["melody"].model,
            eighths_bass(),
            GenerationParams(bars=4, low=42, high=42, key="C major", rng_seed=1),
        )


def test_a_clip_heard_again_is_heard_in_the_octave_it_was_heard_in_afresh(bundled) -> None:
    # the next takes of a clip: octave_for hears it once per range, and gives what hearing it
    # afresh gives, other clips and ranges heard between
    from segue.model.register import OCTAVES_SLOT, _octave_for

    model = bundled["melody"].model
    model.__dict__.pop(OCTAVES_SLOT, None)  # what the tests before heard
    bass = clip_rows(eighths_bass()).astype(np.int64)
    tune = bass.copy()
    tune[:, 1] += 36
    asked = [(bass, 0, 127), (tune, 0, 127), (bass, 36, 60), (bass, 0, 127), (tune, 0, 127)]
    for rows, low, high in asked:
        assert octave_for(model, rows, 96, low, high) == _octave_for(model, rows, 96, low, high)
    assert octave_for(model, bass, 96, 0, 127) == 36
    assert len(model.__dict__[OCTAVES_SLOT][1]) == 3  # each clip and range heard once


def unheard(loaded: LoadedModel) -> Network:
    """``loaded``'s network, the octaves it heard in the tests before forgotten."""
    from segue.model.register import OCTAVES_SLOT

    loaded.model.__dict__.pop(OCTAVES_SLOT, None)
    return loaded.model


def counted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """Each call of ``segue.model.register``'s ``name`` from now on (the real one answers)."""
    import segue.model.register as register

    calls: list[int] = []
    real = getattr(register, name)
    monkeypatch.setattr(register, name, lambda *a: calls.append(1) or real(*a))
    return calls


def test_a_clip_edited_before_the_notes_it_is_heard_by_keeps_its_octave(
    bundled, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a new clip in Live (an edit): one edited before its last HEARD_NOTES notes, leaving it
    # the same moves, is heard as it was heard, without a pass; one edited among them, or
    # so that other moves fit, afresh; each as hearing it afresh hears it
    from segue.model.register import HEARD_NOTES, _octave_for

    model = unheard(bundled["melody"])
    passes = counted(monkeypatch, "pitch_surprise")
    bass = clip_rows(eighths_bass()).astype(np.int64)
    assert len(bass) > HEARD_NOTES
    early, late, wide = bass.copy(), bass.copy(), bass.copy()
    early[0, 1], early[1, 3] = 40, 30  # a pitch within the clip's span, a velocity
    late[-1, 1] += 1
    wide[0, 1] = 100  # three octaves up no longer fit
    assert moves(wide, 0, 127) != moves(bass, 0, 127) == moves(early, 0, 127)
    heard = []
    for rows in (bass, early, late, wide):
        heard.append(octave_for(model, rows, 96, 0, 127))
        assert heard[-1] == _octave_for(model, rows, 96, 0, 127)
    assert heard[:2] == [36, 36]
    assert len(passes) == 3 + 4  # bass, late and wide heard; the afresh hearings


def test_a_new_clip_s_notes_are_read_into_steps_once_for_every_move(
    bundled, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a move changes a step's pitch alone: the batch of the moves is the steps of the notes
    # heard with their pitches moved, bit for bit, as reading each move's notes gives it
    from segue.model.register import HEARD_NOTES, OCTAVES, moved_steps
    from segue.model.vocab import steps_of

    bass = clip_rows(eighths_bass()).astype(np.int64)
    tried = [0, *moves(bass, 0, 127)]
    assert len(tried) == 1 + len(OCTAVES) - 1  # all but three octaves down
    vocab = bundled["melody"].model.config.vocab
    one_by_one = []
    for move in tried:
        moved = bass[-HEARD_NOTES:].copy()
        moved[:, 1] += move
        one_by_one.append(steps_of(moved, 96, vocab))
    batch = moved_steps(bass[-HEARD_NOTES:], 96, vocab, tried)
    assert batch.dtype == torch.int64 and (batch.numpy() == np.stack(one_by_one)).all()
    # so a new clip's octave pass reads its notes into steps once: for the key of what it
    # hears, and for the batch (they were read again for each move tried: 7 reads here)
    reads = counted(monkeypatch, "steps_of")
    assert octave_for(unheard(bundled["melody"]), bass, 96, 0, 127) == 36 and len(reads) == 1

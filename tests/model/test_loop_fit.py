"""The loop's fit and likelihood on continuation windows."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from segue.grid import clip_rows
from segue.model.architecture import ModelConfig
from segue.model.loop import CELLS, STATES
from segue.model.loop_fit import (
    KEEP,
    STRENGTHS,
    LoopScore,
    choose_strength,
    continuation_losses,
    fit_loop,
    fit_rates,
    prepare_continuations,
    score_continuations,
    windows_of,
)
from segue.model.lstm import SegueLSTM
from segue.model.vocab import Vocab
from segue.notes import Clip, Note, TimeSignature


def looping_piece(bars: int = 16, vary_every: int = 0) -> np.ndarray:
    """A one-bar bassline of 8th notes over ``bars`` bars; every ``vary_every``-th bar
    changes its last note."""
    notes = []
    for bar in range(bars):
        for i, p in enumerate([36, 36, 43, 36, 48, 36, 43, 46]):
            if vary_every and bar % vary_every == vary_every - 1 and i == 7:
                p = 41
            notes.append(Note(p, bar * 4 + i * 0.5, 0.25, 100))
    return clip_rows(Clip(tuple(notes), bars * 4.0, TimeSignature()))


def test_windows_are_a_clip_and_what_came_next() -> None:
    windows = windows_of(looping_piece(16), TimeSignature())
    assert len(windows) == 3  # clips of 4 bars starting at bars 0, 4, 8
    w = windows[0]
    assert w.seed_notes == 32 and w.clip_end == 4 * 96 and len(w.real()) == 32
    assert w.clip().length == 16.0 and len(w.clip().notes) == 32
    assert (w.rows[: w.seed_notes, 0] + w.rows[: w.seed_notes, 2] <= w.clip_end).all()


def test_rates_are_how_often_the_next_notes_repeat_the_loop() -> None:
    exact = windows_of(looping_piece(16), TimeSignature())
    rates = fit_rates(exact, Vocab())
    assert sum(rates.counts) == 3 * 32 and rates.slip < 0.05 and rates.velocity_slip < 0.05
    assert max(rates.phi) > 0.95  # a loop copied exactly
    assert sum(rates.counts[CELLS:]) == 0  # never a note of its own, so none after one
    varied = windows_of(looping_piece(16, vary_every=3), TimeSignature())  # not every 4
    assert max(fit_rates(varied, Vocab()).phi) < max(rates.phi)


def test_rates_by_the_notes_before_see_that_a_variation_runs_for_a_few_notes() -> None:
    # the last 4 notes of every second bar are the piece's own: after one of them, the
    # next note is its own too 3 times in 4; after two repeats, it repeats
    notes = []
    for bar in range(16):
        for i, p in enumerate([36, 36, 43, 36, 48, 36, 43, 46]):
            varied = bar % 2 == 1 and bar >= 4 and i >= 4
            notes.append(Note(p + (5 if varied else 0), bar * 4 + i * 0.5, 0.25, 100))
    piece = clip_rows(Clip(tuple(notes), 64.0, TimeSignature()))
    rates = fit_rates(windows_of(piece, TimeSignature()), Vocab())
    counts = np.array(rates.counts).reshape(STATES, CELLS)
    repeats = counts * np.array(rates.after).reshape(STATES, CELLS)
    after_loop = repeats[0].sum() / counts[0].sum()  # the two notes before repeated
    after_own = repeats[1::2].sum() / counts[1::2].sum()  # the note before was its own
    assert after_loop > 0.8 and after_own < 0.35
    # phi: per cell whatever the notes before did, between the two
    assert counts.sum() == sum(rates.counts)
    mean_phi = (counts.sum(axis=0) @ np.array(rates.phi)) / counts.sum()
    assert after_own < mean_phi < after_loop


@pytest.fixture
def network() -> SegueLSTM:
    torch.manual_seed(0)
    return SegueLSTM(ModelConfig(hidden=16, embed=8, layers=1)).eval()


def test_the_loop_makes_a_repeated_continuation_likely(network: SegueLSTM) -> None:
    windows = windows_of(looping_piece(16), TimeSignature())
    before = np.concatenate(continuation_losses(network, windows))
    assert before.shape == (96, 4)
    network.config = replace(network.config, loop=(0.95,) * CELLS, loop_strength=2.0)
    after = np.concatenate(continuation_losses(network, windows))
    assert after[:, :3].sum(axis=1).mean() < 0.2 < before[:, :3].sum(axis=1).mean()
    off = np.concatenate(continuation_losses(network, windows, strength=0.0))
    np.testing.assert_allclose(off, before)  # memory 0: the network alone, as before


def test_windows_prepared_once_score_as_the_network_is_after_its_heads_change(
    network: SegueLSTM,
) -> None:
    """The recurrent pass, the loop's proposals and the memory's recalls of windows
    prepared once; their scores follow the heads, changed since (a calibration's
    temperatures), as scoring the windows afresh does: the loop, the memory and the palette
    mixed in, or the network alone at strength 0."""
    windows = windows_of(looping_piece(16, vary_every=3), TimeSignature())
    network.config = replace(network.config, loop=(0.6,) * CELLS, memory=(0.5,) * 9, palette=True)
    ready = prepare_continuations(network, windows)
    alone = prepare_continuations(network, windows, strength=0.0)
    with torch.no_grad():
        for head in (network.offset_head, network.pitch_head, network.duration_head):
            head[-1].weight.mul_(3.0)
    for prepared, strength in ((ready, 1.0), (alone, 0.0)):
        afresh = np.concatenate(continuation_losses(network, windows, strength))
        scored = np.concatenate(score_continuations(network, prepared))
        assert scored.shape == (len(afresh), 4)
        np.testing.assert_allclose(scored, afresh, rtol=1e-6, atol=1e-6)
    unchanged = np.concatenate(continuation_losses(network, windows))
    network.offset_head[-1].weight.data /= 3.0  # the scores moved with the heads
    assert not np.allclose(np.concatenate(score_continuations(network, ready)), unchanged)


def test_notes_off_the_loop_are_likelier_when_the_clip_memory_knows_them(
    network: SegueLSTM,
) -> None:
    # quarter notes cycling C, E, G for 8 bars: after the first 4, every note differs from
    # the loop's (4 bars earlier), and the clip memory knows what follows
    notes = [Note((60, 64, 67)[i % 3], float(i), 0.5, 100) for i in range(32)]
    windows = windows_of(clip_rows(Clip(tuple(notes), 32.0, TimeSignature())), TimeSignature())
    network.config = replace(network.config, loop=(0.5,) * CELLS, loop_strength=1.0)
    alone = np.concatenate(continuation_losses(network, windows))[:, :3].sum(axis=1)
    network.config = replace(network.config, memory=(0.9,) * 9)
    remembered = np.concatenate(continuation_losses(network, windows))[:, :3].sum(axis=1)
    # each note: 1 - phi for leaving the loop, then memory's copy (about 0.9) or the network
    assert remembered.mean() < np.log(2) + 0.3 < alone.mean()
    # the memory's copy that is the loop's own note falls back to the network (and a
    # note it does not know, too): never likelier than the loop leaves it
    assert (remembered >= np.log(2) - 1e-6).all()


def test_the_loop_likelihood_sums_to_one_over_every_next_note(network: SegueLSTM) -> None:
    """Onset, then pitch given the onset, summed over every choice of the first note after
    the clip: the loop's repeat, the clip memory's copies (not the proposal) and the
    network's rest (the proposal excluded) make one distribution."""
    # the clip's last three notes came twice before: once followed by the loop's next note
    # (the clip's first), once by another, so half the memory's copies are the proposal
    pitches = list(range(50, 82))
    pitches[5:8] = pitches[15:18] = pitches[29:32] = [40, 41, 42]
    pitches[8], pitches[18] = pitches[0], 43
    notes = [Note(p, i * 0.5, 0.25, 100) for i, p in enumerate(pitches * 2)]
    window = windows_of(clip_rows(Clip(tuple(notes), 32.0, TimeSignature())), TimeSignature())[0]
    network.config = replace(
        network.config,
        loop=(0.6,) * CELLS,
        loop_after=tuple(np.linspace(0.2, 0.9, CELLS * STATES)),
        memory=(0.7,) * 9,
    )
    k, vocab = window.seed_notes, network.config.vocab
    last, proposed = window.rows[k - 1], window.rows[k]

    def first_losses(rows: list[np.ndarray]) -> np.ndarray:
        windows = [replace(window, rows=np.vstack([window.rows[:k], r[None]])) for r in rows]
        return np.array([w[0] for w in continuation_losses(network, windows)])

    onsets = [np.array([last[0] + t, *proposed[1:]]) for t in vocab.time_values]
    assert np.exp(-first_losses(onsets)[:, 0]).sum() == pytest.approx(1.0, abs=1e-6)
    for onset in (proposed[0], proposed[0] + 6):  # the proposal's onset, and another
        pitches = [np.array([onset, p, *proposed[2:]]) for p in range(128)]
        assert np.exp(-first_losses(pitches)[:, 1]).sum() == pytest.approx(1.0, abs=1e-6)


def test_fit_chooses_the_smallest_strength_that_keeps_the_loop(network: SegueLSTM) -> None:
    windows = windows_of(looping_piece(24, vary_every=4), TimeSignature())
    network.config = replace(network.config, drums=True)  # no takes: the weakest that meets
    try:
        fit = fit_loop(network, windows)
    finally:
        network.config = replace(network.config, drums=False)
    assert fit.table.strength in STRENGTHS and fit.windows == len(windows)
    assert list(fit.scores) == sorted(fit.scores)  # tried weakest first
    scores = list(fit.scores.values())
    assert scores[-1].keep >= scores[0].keep  # stronger keeps more
    assert fit.table.strength == choose_strength(fit.scores)
    assert network.config.loop == ()  # fitting leaves the model as it was
    melodic = fit_loop(network, windows)  # takes: tried strongest first
    assert list(melodic.scores) == sorted(melodic.scores, reverse=True)
    assert melodic.table.strength == choose_strength(melodic.scores, strongest=True)


def score(keep: float, diversity: float, exact: float = 0.0) -> LoopScore:
    return LoopScore(keep, diversity, exact, real_exact=0.3)


def test_the_strength_keeps_enough_while_takes_differ_or_else_keeps_them_different() -> None:
    assert KEEP == 0.9  # the smallest that keeps 90% of repeat's F1 while the takes differ
    assert (
        choose_strength({1.0: score(0.8, 0.4), 2.0: score(0.92, 0.3), 3.0: score(0.95, 0.2)}) == 2.0
    )
    # none keeps 90%: the one keeping most of those whose takes still differ, not the
    # strongest, whose takes are alike (or repeat the clip more often than the real ones)
    weak = {
        1.0: score(0.7, 0.4),
        3.0: score(0.8, 0.2),
        6.0: score(0.85, 0.1),
        8.0: score(0.86, 0.3, 0.5),
    }
    assert choose_strength(weak) == 3.0
    # none differs either: the one keeping most
    assert choose_strength({1.0: score(0.7, 0.1), 2.0: score(0.8, 0.05)}) == 2.0


def test_where_takes_vary_a_beat_of_their_own_the_strongest_that_meets_is_kept() -> None:
    scores = {
        1.0: score(0.8, 0.4),
        2.0: score(0.92, 0.3),
        3.0: score(0.95, 0.2),
        6.0: score(0.97, 0.1),  # takes alike
    }
    assert choose_strength(scores, strongest=True) == 3.0
    assert choose_strength(scores) == 2.0
    assert choose_strength({1.0: score(0.7, 0.4)}, strongest=True) == 1.0  # none meets


def test_the_fitted_loop_is_written_into_the_checkpoint(network: SegueLSTM, tmp_path) -> None:
    from segue.bridge.testing import make_test_model
    from segue.model.checkpoint import load_checkpoint, rewrite_checkpoint
    from segue.model.loop_fit import write_loop

    source = make_test_model(tmp_path, "tiny", rng_seed=0)
    views = {"rhythm": [0.5] * 9}  # a loop's takes keep the rhythm: the views go
    rewrite_checkpoint(source, source, config={"memory_views": views})
    assert load_checkpoint(source).config.memory_views
    windows = windows_of(looping_piece(24, vary_every=4), TimeSignature())
    fit = fit_loop(network, windows)
    fit = replace(fit, table=replace(fit.table, velocity_slip=0.25))
    write_loop(source, tmp_path / "looped.pt", fit, "loops.ds", "valid")
    loaded = load_checkpoint(tmp_path / "looped.pt")
    assert loaded.config.memory_views == {}
    table = loaded.config.loop_table()
    assert table is not None
    assert list(table.phi) == pytest.approx(list(fit.table.phi))
    assert (table.slip, table.velocity_slip, table.strength) == pytest.approx(
        (fit.table.slip, 0.25, fit.table.strength)
    )
    assert loaded.info["loop"]["strength"] == fit.table.strength

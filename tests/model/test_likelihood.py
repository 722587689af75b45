"""Held-out likelihood note by note: against the training loss, and with the pitch-class pull."""

from __future__ import annotations

import numpy as np
import pytest
from tiny_training import evaluate

from segue.model.checkpoint import load_checkpoint
from segue.model.likelihood import CLASSES, memory_losses, note_log_probs, pulled
from segue.model.memory import recall
from segue.model.pitch_classes import class_probabilities
from segue.model.training.run_folder import BEST


def test_note_log_probs_agree_with_evaluate(trained, encoded) -> None:
    _, valid = encoded
    model = load_checkpoint(trained.run_dir / BEST).model
    per_note = memory_losses(note_log_probs(model, valid, batch_notes=500), [], ())
    whole = evaluate(model, valid, window=int(valid.lengths.max()))
    for name, value in whole.items():
        assert per_note[name] == pytest.approx(value, rel=1e-4, abs=1e-6)


def test_the_pull_lowers_the_loss_of_a_clip_that_keeps_to_its_pitch_classes() -> None:
    """A network that knows nothing (uniform pitch) gains from the pull on a triad clip,
    loses on a clip that never repeats a pitch class, and a weight of 0 changes nothing."""

    def rows_and_recall(pitches: list[int]):
        fields = np.array([[4, p, 10] for p in pitches])
        rows = np.zeros((len(pitches), 4 + 12))
        rows[:, :4] = np.log([1.0, 1 / 128, 1.0, 1.0])
        rows[:, CLASSES] = class_probabilities(np.full((len(pitches), 128), 1 / 128))
        return rows, recall(fields)

    triad, triad_recall = rows_and_recall([60, 64, 67] * 20)
    pulled_pitch = pulled(triad, triad_recall, 0.5)[:, 1]
    assert pulled_pitch[10:].mean() > triad[10:, 1].mean() + 0.5  # nats gained per note
    assert np.array_equal(pulled(triad, triad_recall, 0.0), triad[:, :4])
    chromatic, chromatic_recall = rows_and_recall(list(range(60, 72)))
    assert pulled(chromatic, chromatic_recall, 0.5)[:, 1].mean() < chromatic[:, 1].mean()
    plain = memory_losses([triad], [triad_recall], (), 1.0, 0.0)["pitch"]
    pulled_loss = memory_losses([triad], [triad_recall], (), 1.0, 0.5)["pitch"]
    assert pulled_loss < plain == pytest.approx(np.log(128))
    assert memory_losses([triad], [triad_recall], (), 0.0, 0.5)["pitch"] == plain  # strength 0


def test_the_fit_stacks_the_views_and_the_losses_say_what_the_fit_said(trained, encoded) -> None:
    """A model without a loop gets its memory's views fitted on the split; scored with them,
    the split costs what the fit reported, and no more than without them."""
    from segue.model.likelihood import fit_memory, recalls, views_of

    _, valid = encoded
    model = load_checkpoint(trained.run_dir / BEST).model
    fit = fit_memory(model, valid)
    assert not model.config.loop
    assert set(fit.views) <= {"intervals", "degrees", "rhythm"} and fit.views  # they help
    assert fit.after < fit.without_views - 0.05
    log_probs = note_log_probs(model, valid)
    args = (log_probs, recalls(valid), fit.weights, 1.0, fit.pitch_class_weight)
    without = memory_losses(*args)["total"]
    with_views = memory_losses(*args, views_of(valid), fit.views)
    assert without == pytest.approx(fit.without_views, rel=1e-6)
    assert with_views["total"] == pytest.approx(fit.after, rel=1e-6)
    plain = -np.concatenate(log_probs)[:, 3].mean()  # velocity stays the network's
    assert with_views["velocity"] == pytest.approx(plain, rel=1e-6)
    assert with_views["total"] <= without + 1e-9

"""Pictures of training: the loss plot."""

from __future__ import annotations

from tiny_training import PNG

from segue.model.plots import plot_losses


def test_loss_plot_without_validation(tmp_path) -> None:
    history = [{"epoch": e, "train": {"offset": 1.0 / e, "pitch": 2.0, "duration": 1.0,
                                      "velocity": 0.5, "total": 3.5 + 1.0 / e}, "valid": None}
               for e in (1, 2, 3)]
    out = plot_losses(history, tmp_path / "sub" / "loss.png", title="x")
    assert out.read_bytes().startswith(PNG)
    assert not [p for p in out.parent.iterdir() if p.name != "loss.png"]


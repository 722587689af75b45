"""Pictures of training and of notes, drawn with matplotlib's Agg backend.

Each function draws one figure on its own ``Figure`` (no pyplot, no global
state, no display needed) and writes a PNG atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from segue.files import write_file_atomically
from segue.model.vocab import FIELDS

_FIELD_COLOURS = {"offset": "tab:blue", "pitch": "tab:orange", "duration": "tab:green",
                  "velocity": "tab:purple"}


def _new_figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Any, path: str | os.PathLike[str]) -> Path:
    return write_file_atomically(Path(path), lambda tmp: fig.savefig(tmp, format="png"))


def plot_losses(
    history: Sequence[dict[str, Any]], path: str | os.PathLike[str], title: str | None = None
) -> Path:
    """Loss per epoch: train and valid totals (left), each field's valid loss (right).

    ``history`` holds one dict per epoch with ``epoch`` and ``train``/``valid``
    dicts of per-field losses plus ``total`` (``valid`` may be None). Where no
    epoch has a valid loss the right panel shows the training losses.
    """
    from matplotlib.ticker import MaxNLocator

    epochs = [int(h["epoch"]) for h in history]
    fig = _new_figure(11, 4.2)
    total_ax, field_ax = fig.subplots(1, 2)

    def series(split: str, key: str) -> list[float]:
        return [h[split][key] if h.get(split) else float("nan") for h in history]

    has_valid = any(h.get("valid") for h in history)
    total_ax.plot(epochs, series("train", "total"), "o-", label="train", color="tab:gray")
    if has_valid:
        total_ax.plot(epochs, series("valid", "total"), "o-", label="valid", color="tab:red")
        best = min((h for h in history if h.get("valid")), key=lambda h: h["valid"]["total"])
        total_ax.axvline(best["epoch"], color="tab:red", alpha=0.25, linestyle="--",
                         label=f"best (epoch {best['epoch']})")
    total_ax.set_title("total loss")
    split = "valid" if has_valid else "train"
    for name in FIELDS:
        field_ax.plot(epochs, series(split, name), "o-", label=name, color=_FIELD_COLOURS[name])
    field_ax.set_title(f"{split} loss per field")
    for ax in (total_ax, field_ax):
        ax.set_xlabel("epoch")
        ax.set_ylabel("nats per note")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    return _save(fig, path)

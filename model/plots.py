"""Every picture segue draws, with matplotlib's Agg backend: training losses, piano rolls of
continuations, and the evaluation's histograms and metrics.

Each function draws one figure on its own ``Figure`` (no pyplot, no global
state, no display needed) and writes a PNG atomically.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from segue.files import write_file_atomically
from segue.grid import TICKS_PER_BEAT
from segue.model.metrics import METRICS, TIME_CAP
from segue.model.spelling import PITCH_NAMES
from segue.model.vocab import FIELDS
from segue.notes import Clip, Note

SEED_COLOUR = "#4c72b0"  # blue: the seed
NEW_COLOUR = "#dd8452"  # orange: a continuation the model made
REAL_COLOUR = "#55a868"  # green: the continuation the composer wrote
BAR_LINE_COLOUR = "#cccccc"
NOTE_EDGE = (0.1, 0.1, 0.1, 0.85)
"""The outline of every note in a piano roll, as Live draws one: a note struck again at its
pitch reads as two notes, not one long one."""
NOTE_EDGE_WIDTH = 0.6  # points
FIELD_COLOURS = {
    "offset": "tab:blue",
    "pitch": "tab:orange",
    "duration": "tab:green",
    "velocity": "tab:purple",
}


def _new_figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def drawable(text: str) -> str:
    """``text`` as a font can draw it: a file name that the system's encoding could not decode
    (its bytes kept as lone surrogates, as Python keeps them under a C or POSIX locale) read
    as the UTF-8 it is, or with a replacement character where it is not. Matplotlib refuses
    a lone surrogate with a traceback, after the takes were written."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _save(fig: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``fig`` as a PNG, its texts made :func:`drawable`; a letter its font lacks (a
    Japanese file name's, in DejaVu Sans) is drawn as a box, without a warning per letter."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_text(drawable(text.get_text()))

    def draw(tmp: Path) -> None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
            fig.savefig(tmp, format="png")

    return write_file_atomically(Path(path), draw)


# ---------------------------------------------------------------------------
# training
# ---------------------------------------------------------------------------
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
        total_ax.axvline(
            best["epoch"],
            color="tab:red",
            alpha=0.25,
            linestyle="--",
            label=f"best (epoch {best['epoch']})",
        )
    total_ax.set_title("total loss")
    split = "valid" if has_valid else "train"
    for name in FIELDS:
        field_ax.plot(epochs, series(split, name), "o-", label=name, color=FIELD_COLOURS[name])
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


# ---------------------------------------------------------------------------
# piano rolls
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Lane:
    """One lane of a piano roll: the seed, then ``notes`` (in beats from the seed's end)."""

    label: str
    notes: Sequence[Note]
    colour: str = NEW_COLOUR


def plot_piano_roll(
    seed: Clip,
    lanes: Sequence[Lane],
    path: str | os.PathLike[str],
    *,
    end: float,
    title: str = "",
    caption: str = "beats (seed in blue, continuation in orange)",
) -> Path:
    """Write a PNG: one lane per continuation, the seed then the continuation on one time
    axis up to ``end`` beats, with bar lines and a black line where the seed ends. Each note
    is outlined (:data:`NOTE_EDGE`), its colour as loud as it is played."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    lanes = lanes or [Lane("pitch", ())]
    bar = seed.time_signature.beats_per_bar
    end = max(end, bar)
    pitches = [n.pitch for n in seed.notes] + [n.pitch for lane in lanes for n in lane.notes]
    low, high = (min(pitches) - 2, max(pitches) + 2) if pitches else (48, 84)
    fig = _new_figure(12, 1.9 * len(lanes) + 0.6)
    axes = fig.subplots(len(lanes), 1, squeeze=False, sharex=True)[:, 0]
    for ax, lane in zip(axes, lanes, strict=True):
        for notes, offset, colour in (
            (seed.notes, 0.0, SEED_COLOUR),
            (lane.notes, seed.length, lane.colour),
        ):
            for n in notes:
                ax.add_patch(
                    Rectangle(
                        (n.start + offset, n.pitch - 0.4),
                        n.duration,
                        0.8,
                        facecolor=to_rgba(colour, 0.35 + 0.65 * n.velocity / 127),
                        edgecolor=NOTE_EDGE,
                        linewidth=NOTE_EDGE_WIDTH,
                    )
                )
        for x in range(0, int(end // bar) + 1):
            ax.axvline(x * bar, color=BAR_LINE_COLOUR, linewidth=0.6, zorder=0)
        ax.axvline(seed.length, color="black", linewidth=1.2)
        ax.set_xlim(0, end)
        ax.set_ylim(low, high)
        ax.set_ylabel(lane.label, fontsize=9)
    axes[-1].set_xlabel(caption)
    if title:
        axes[0].set_title(title)
    return _save(fig, path)


def plot_variations(
    seed: Clip, continuations: Sequence[Clip], path: str | os.PathLike[str], title: str = ""
) -> Path:
    """A piano roll of a seed and its variations, one lane each (`segue generate --plot`)."""
    lanes = [Lane(f"variation {i}\npitch", c.notes) for i, c in enumerate(continuations, 1)]
    end = seed.length + max((c.length for c in continuations), default=0.0)
    return plot_piano_roll(seed, lanes, path, end=end, title=title)


# ---------------------------------------------------------------------------
# the evaluation
# ---------------------------------------------------------------------------
def plot_histograms(
    histograms: dict[str, dict[str, np.ndarray]], temperature: str, path: str | os.PathLike[str]
) -> Path:
    """Pitch classes, inter-onset intervals and durations pooled over the continuations of
    each model (``histograms``: model name -> "pitch_class", "ioi", "duration" counts, the
    composer's under "real")."""
    fig = _new_figure(14, 4.2)
    axes = fig.subplots(1, 3)
    beats = np.arange(TIME_CAP + 2) / TICKS_PER_BEAT
    panels = (
        ("pitch_class", "pitch class", np.arange(12)),
        ("ioi", "inter-onset interval (beats)", beats),
        ("duration", "duration (beats)", beats),
    )
    for ax, (key, label, xs) in zip(axes, panels, strict=True):
        for name, hist in histograms.items():
            values = hist[key] / max(hist[key].sum(), 1)
            style = dict(color="black", linewidth=2.2) if name == "real" else dict(alpha=0.8)
            if key == "pitch_class":
                ax.plot(xs, values, "o-", label=name, **style)
            else:
                shown = values > 0
                ax.plot(xs[shown], values[shown], "o", label=name, markersize=4, **style)
        ax.set_xlabel(label)
        ax.set_ylabel("share")
        ax.grid(alpha=0.3)
        if key == "pitch_class":
            ax.set_xticks(range(12), PITCH_NAMES)
        else:
            ax.set_xlim(0, 4.2)
    axes[0].legend(fontsize=8)
    fig.suptitle(
        f"continuations at T={temperature}: pooled histograms (real = what the composer wrote)"
    )
    return _save(fig, path)


def plot_metrics(report: dict[str, Any], temperature: str, path: str | os.PathLike[str]) -> Path:
    """One panel per metric of a judged `segue eval` report: each model's mean at
    ``temperature`` (green within tolerance, red outside), the real mean and its band."""
    names = [m["name"] for m in report["models"]]
    columns = 4
    rows = math.ceil(len(METRICS) / columns)
    fig = _new_figure(3.6 * columns, 2.6 * rows)
    axes = fig.subplots(rows, columns, squeeze=False).reshape(-1)
    for ax, m in zip(axes, METRICS, strict=False):
        real = report["real"][m.key]["mean"]
        tol = report["tolerance"][m.key]
        measured = [report["continuations"][n][temperature]["metrics"][m.key] for n in names]
        ax.barh(
            range(len(names)),
            [v["mean"] if math.isfinite(v["mean"]) else 0 for v in measured],
            color=["tab:green" if v["within"] else "tab:red" for v in measured],
            alpha=0.8,
        )
        if math.isfinite(real):
            ax.axvline(real, color="black", linewidth=1.5)
            if math.isfinite(tol):
                ax.axvspan(real - tol, real + tol, color="black", alpha=0.1)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"{m.label} ({m.unit})", fontsize=9)
    for ax in axes[len(METRICS) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"metrics at T={temperature}: black line = real continuation, band = tolerance, "
        "green = within"
    )
    return _save(fig, path)

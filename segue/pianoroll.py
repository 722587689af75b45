"""Piano-roll pictures: the seed in one colour, each continuation in another."""

from __future__ import annotations

import os
from pathlib import Path

from segue.notes import Clip

SEED_COLOUR = "#4c72b0"
NEW_COLOUR = "#dd8452"


def plot_piano_roll(
    seed: Clip,
    continuations: list[Clip],
    path: str | os.PathLike[str],
    title: str = "",
) -> Path:
    """Write a PNG: one row per variation, seed then continuation on one time axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    rows = max(1, len(continuations))
    fig, axes = plt.subplots(rows, 1, figsize=(12, 2.6 * rows), squeeze=False, sharex=True)
    bar = seed.time_signature.beats_per_bar
    total = seed.length + max((c.length for c in continuations), default=0.0)
    pitches = [n.pitch for n in seed.notes] + [n.pitch for c in continuations for n in c.notes]
    low, high = (min(pitches) - 2, max(pitches) + 2) if pitches else (48, 84)
    for i, ax in enumerate(axes[:, 0]):
        layers = [(seed.notes, 0.0, SEED_COLOUR)]
        if i < len(continuations):
            layers.append((continuations[i].notes, seed.length, NEW_COLOUR))
        for notes, offset, colour in layers:
            for n in notes:
                ax.add_patch(Rectangle((n.start + offset, n.pitch - 0.4), n.duration, 0.8,
                                       color=colour, alpha=0.4 + 0.6 * n.velocity / 127))
        for x in range(0, int(total // bar) + 1):
            ax.axvline(x * bar, color="#cccccc", linewidth=0.6, zorder=0)
        ax.axvline(seed.length, color="black", linewidth=1.2)
        ax.set_xlim(0, max(total, bar))
        ax.set_ylim(low, high)
        ax.set_ylabel(f"variation {i + 1}\npitch" if continuations else "pitch")
    axes[-1, 0].set_xlabel("beats (seed in blue, continuation in orange)")
    if title:
        axes[0, 0].set_title(title)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out

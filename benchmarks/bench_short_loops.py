"""Short loops: a one- or two-bar clip continued for 8 bars keeps its groove, bar by bar.

A clip in Live is often one or two bars of a beat or a bassline, played looped.
This cuts the first 1 and 2 bars of segue's own example seeds (``examples/seeds``:
``beat.mid``, ``bassline.mid``), continues each for 8 bars with segue's default
choices (``auto``; 4 variations, several random seeds; drums with and without
fills) and prints, for each bar of the continuation, the share of its notes that
the clip's loop has at the same place (onset within the loop, and pitch): 1.00 is
the loop played again. Bars 4 and 8 end a phrase, where takes vary.

    python benchmarks/bench_short_loops.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.midi_io import read_part
from segue.model.choice import choose_model
from segue.model.generate import generate
from segue.model.settings import GenerationParams
from segue.notes import Clip

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
BARS = 8


def first_bars(clip: Clip, bars: int) -> Clip:
    """The clip's first ``bars`` bars, as a clip of that length."""
    length = bars * clip.time_signature.beats_per_bar
    notes = tuple(n for n in clip.notes if n.start < length)
    return Clip(notes, float(length), clip.time_signature)


def kept_by_bar(clip: Clip, rows: np.ndarray) -> np.ndarray:
    """For each bar of a continuation (grid rows from the clip's end): the share of its notes
    that the clip's loop (its whole length) has at the same place."""
    loop = to_ticks(clip.length)
    bar = to_ticks(clip.time_signature.beats_per_bar)
    own = {(int(o) % loop, int(p)) for o, p in clip_rows(clip)[:, :2]}
    shares = np.full(BARS, np.nan)
    for b in range(BARS):
        inside = rows[(rows[:, 0] >= b * bar) & (rows[:, 0] < (b + 1) * bar)]
        if len(inside):
            shares[b] = np.mean([(int(o) % loop, int(p)) in own for o, p in inside[:, :2]])
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=8, help="random seeds per clip")
    args = parser.parse_args()
    chooser = choose_model("auto")
    print(f"8 bars after each clip, 4 variations x {args.seeds} random seeds, `auto`\n")
    print("| clip | fills | model | " + " | ".join(f"bar {b + 1}" for b in range(BARS)) + " |")
    print("|---|---|---|" + "---:|" * BARS)
    for name in ("beat.mid", "bassline.mid"):
        whole, drums = read_part(SEEDS / name)
        for bars in (1, 2):
            clip = first_bars(whole, bars)
            model_name, loaded = chooser.choose(clip, drums=drums)
            for fills in ("none", "phrase") if drums else ("none",):
                shares = []
                for seed in range(args.seeds):
                    params = GenerationParams(bars=BARS, variations=4, rng_seed=seed, fills=fills)
                    for v in generate(loaded.model, clip, params).variations:
                        shares.append(kept_by_bar(clip, clip_rows(v.clip)))
                mean = np.nanmean(np.array(shares), axis=0)
                print(
                    f"| {name}, first {bars} bar{'s' if bars > 1 else ''} | "
                    f"{fills if drums else '-'} | {model_name} | "
                    + " | ".join(f"{x:.2f}" for x in mean)
                    + " |"
                )


if __name__ == "__main__":
    main()

"""Drum clips: segue's continuations of real beats, as a drummer would play them (#17).

Cuts every drum track of a folder of MIDI files (default: the Hydrogen demo songs in
``../shared/eval/hydrogen-dev``, measured only, never trained or tuned on) into 8-bar
windows (4 bars of clip, the next 4 what the song really does), continues each clip
with each contender (4 variations of 4 bars, segue's default choices: the drums mode
a drum track gets) and prints the goal table of the issue beside the real continuation
and the "repeat the last 4 bars" baseline. Then the fills: with ``fills phrase``, 8-bar
continuations, how many fill the last bar of the first 4-bar phrase (more hits there
than the groove has, or toms, or a snare run) and bring the groove back on the next
downbeat.

    python benchmarks/bench_drums.py
    python benchmarks/bench_drums.py --models drums --every 2
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from segue.drums import family
from segue.grid import clip_rows
from segue.midi_io import read_part
from segue.model.choice import choose_model
from segue.model.generate import generate
from segue.model.loop_fit import ContinuationWindow, windows_of
from segue.model.metrics import Context, diversity, loop_metrics, replay
from segue.model.settings import GenerationParams

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "hydrogen-dev"
BARS = 4
TPB = 24

Continue = Callable[[ContinuationWindow, int], list[np.ndarray]]


def drum_windows(folder: Path, every: int) -> list[ContinuationWindow]:
    out = []
    for path in sorted(folder.rglob("*.mid")):
        clip, drums = read_part(path)
        if drums:
            out += windows_of(clip_rows(clip), clip.time_signature, every=every)
    return out


def contender(name: str, models_dir: Path | None, fills: str = "none") -> Continue:
    if name == "repeat":
        return lambda w, i: [replay(w.rows[: w.seed_notes], w.clip_end, BARS * w.bar_ticks)] * 4
    chooser = choose_model(name, models_dir)

    def run(window: ContinuationWindow, rng_seed: int) -> list[np.ndarray]:
        model = chooser(window.clip(), drums=True).model
        params = GenerationParams(bars=BARS, variations=4, rng_seed=rng_seed, fills=fills)
        return [clip_rows(v.clip) for v in generate(model, window.clip(), params).variations]

    return run


def mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan


def goal_table(
    windows: list[ContinuationWindow], names: list[str], models_dir: Path | None
) -> None:
    print(
        "| model | windows | hits on the seed's pads | onsets on seed positions real -> "
        "segue | hits per bar real -> segue | note F1 | F1 / repeat's | diversity | exact "
        "repeats real -> segue | goals met |"
    )
    print("|" + "---|" * 10)
    repeat_f1 = math.nan
    for name in ["repeat", *names]:
        run = contender(name, models_dir)
        pads, positions, real_positions, hits, real_hits, f1s, spread, exact, real_exact = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        for i, w in enumerate(windows):
            seed, real = w.rows[: w.seed_notes], w.real()
            context = Context.of_seed(seed, w.clip_end, BARS, w.bar_ticks, real)
            outs = run(w, i)
            kit = set(seed[:, 1].tolist())
            for rows in outs:
                m = loop_metrics(rows, context)
                pads.append(float(np.isin(rows[:, 1], list(kit)).mean()) if len(rows) else 1.0)
                positions.append(m["seed_positions"])
                hits.append(len(rows) / BARS)
                f1s.append(m["note_f1"])
                exact.append(m["exact_repeat"])
            spread.append(diversity(outs))
            truth = loop_metrics(real, context)
            real_positions.append(truth["seed_positions"])
            real_hits.append(len(real) / BARS)
            real_exact.append(truth["exact_repeat"])
        if name == "repeat":
            repeat_f1 = mean(f1s)
        ratio = mean(f1s) / repeat_f1 if repeat_f1 else math.nan
        checks = {
            "pads": mean(pads) >= 0.97,
            "positions": mean(positions) >= 0.9,
            "hits": abs(mean(hits) - mean(real_hits)) <= 0.15 * mean(real_hits),
            "f1": ratio >= 0.9,
            "diversity": mean(spread) >= 0.1,
        }
        met = sum(checks.values())
        missed = ", ".join(k for k, ok in checks.items() if not ok)
        print(
            f"| {name} | {len(windows)} | {mean(pads):.3f} | {mean(real_positions):.2f} -> "
            f"{mean(positions):.2f} | {mean(real_hits):.1f} -> {mean(hits):.1f} | "
            f"{mean(f1s):.3f} | {ratio:.2f} | {mean(spread):.2f} | {mean(real_exact):.2f} -> "
            f"{mean(exact):.2f} | {met}/{len(checks)}" + (f" ({missed})" if missed else "") + " |"
        )
        sys.stdout.flush()


def is_fill(end: np.ndarray, groove: float) -> bool:
    """Hits in the last 2 beats of a bar that make a fill: toms, a snare run (3 or more), or
    more hits than the groove plays there (``groove``: its mean)."""
    kinds = [family(int(p)) for p in end[:, 1]]
    return "tom" in kinds or kinds.count("snare") >= 3 or len(end) > groove


def fill_table(
    windows: list[ContinuationWindow], names: list[str], models_dir: Path | None
) -> None:
    """8-bar continuations with fills at phrase ends: a fill in bar 4, the groove on bar 5."""
    print()
    print(
        "| model, fills phrase | variations | a fill in the last bar of the phrase | the "
        "groove back on the next downbeat |"
    )
    print("|---|---|---|---|")
    for name in names:
        chooser = choose_model(name, models_dir)
        filled = back = total = 0
        for i, w in enumerate(windows):
            model = chooser(w.clip(), drums=True).model
            params = GenerationParams(bars=8, variations=4, rng_seed=i, fills="phrase")
            seed, bar = w.rows[: w.seed_notes], w.bar_ticks
            late = seed[(seed[:, 0] % bar) >= bar // 2]  # the second half of each seed bar
            groove = len(late) / max(1, w.clip_end // bar)
            downbeats = [
                {int(p) for s, p, _, _ in seed if s == k * bar} for k in range(w.clip_end // bar)
            ]
            kept = set.intersection(*downbeats) if downbeats else set()  # on every downbeat
            for v in generate(model, w.clip(), params).variations:
                rows = clip_rows(v.clip)
                end = rows[(rows[:, 0] >= 3 * bar + bar // 2) & (rows[:, 0] < 4 * bar)]
                filled += is_fill(end, groove)
                back += kept <= {int(p) for s, p, _, _ in rows if s == 4 * bar}
                total += 1
        print(f"| {name} | {total} | {filled / total:.2f} | {back / total:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEV)
    parser.add_argument("--models", default="auto", help="comma-separated model names")
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument("--every", type=int, default=4, help="bars between window starts")
    args = parser.parse_args()
    if not args.folder.is_dir():
        sys.exit(
            f"{args.folder}: no such folder of MIDI files; give a folder of "
            "drum songs (the Hydrogen demo songs: Debian's hydrogen-data) as FOLDER"
        )
    windows = drum_windows(args.folder, args.every)
    print(f"{len(windows)} windows of {args.folder.name} (4 bars of clip, 4 after it)\n")
    names = [n.strip() for n in args.models.split(",")]
    goal_table(windows, names, args.models_dir)
    fill_table(windows, names, args.models_dir)
    print(
        "\nnote F1: against the real continuation, as (onset, pad); repeat: the last 4 bars "
        "played again. The goals: pads >= 0.97, positions >= 0.9, hits per bar within 15%, "
        "F1 >= 0.9 x repeat's, diversity >= 0.1."
    )


if __name__ == "__main__":
    main()

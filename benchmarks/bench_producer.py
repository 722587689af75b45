"""Producers' clips: segue's continuations of real basslines, chord loops and leads (#16).

Cuts every track of a folder of MIDI files (default: the LMMS demo songs in
``../shared/eval/lmms-dev``, measured only, never trained or tuned on) into 8-bar
windows (the first 4 bars are the clip, the next 4 what the song really does), sorts
each window into a role by its clip (bass: median pitch below 52; chords:
time-weighted polyphony 2.5 or more; lead/arp: the rest), continues every clip
with each contender (4 variations of 4 bars, segue's default choices) and prints,
per role, the goal table of the issue: the real continuation's figures beside each
contender's, with the "repeat the last 4 bars" baseline, and the NLL per note of
the real continuation given the clip (offset, pitch and duration: LMMS velocities
are mixer volumes).

    python benchmarks/bench_producer.py                       # auto, melody, polyphonic
    python benchmarks/bench_producer.py --models auto --limit 60
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from segue.grid import clip_rows
from segue.midi_io import read_midi
from segue.model.architecture import Network
from segue.model.loop_fit import ContinuationWindow, continuation_losses, windows_of
from segue.model.metrics import (
    Context,
    diversity,
    loop_metrics,
    median_pitch,
    notes_per_bar,
    replay,
    silent_share,
)

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "lmms-dev"
ROLES = ("bass", "chords", "lead")
BARS = 4


def role_of(window: ContinuationWindow) -> str:
    seed = window.rows[: window.seed_notes]
    if median_pitch(seed) < 52:
        return "bass"
    span = window.clip_end
    sounding = np.zeros(span + 1, dtype=np.int64)
    np.add.at(sounding, np.clip(seed[:, 0], 0, span), 1)
    np.add.at(sounding, np.clip(seed[:, 0] + seed[:, 2], 0, span), -1)
    cover = np.cumsum(sounding)[:span]
    return "chords" if cover[cover > 0].mean() >= 2.5 else "lead"


def dev_windows(folder: Path, every: int) -> list[ContinuationWindow]:
    out = []
    for path in sorted(folder.rglob("*.mid")):
        clip = read_midi(path)
        out += windows_of(clip_rows(clip), clip.time_signature, every=every)
    return out


Continuations = Callable[[ContinuationWindow, int], list[np.ndarray]]
Scorer = Callable[[ContinuationWindow], np.ndarray]


def continue_with(name: str, models_dir: Path | None) -> tuple[Continuations, Scorer | None]:
    """(window, rng seed) -> 4 continuations as rows, and the model's NLL function."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    if name == "repeat":

        def repeat(window: ContinuationWindow, rng_seed: int) -> list[np.ndarray]:
            seed = window.rows[: window.seed_notes]
            return [replay(seed, window.clip_end, BARS * window.bar_ticks)] * 4

        return repeat, None

    chooser = choose_model(name, models_dir)
    chosen: dict[int, Network] = {}  # window -> the model that continues it

    def model_for(window: ContinuationWindow) -> Network:
        if id(window) not in chosen:
            chosen[id(window)] = chooser(window.clip()).model
        return chosen[id(window)]

    def run(window: ContinuationWindow, rng_seed: int) -> list[np.ndarray]:
        params = GenerationParams(bars=BARS, variations=4, rng_seed=rng_seed)
        result = generate(model_for(window), window.clip(), params)
        return [clip_rows(v.clip) for v in result.variations]

    def nll(window: ContinuationWindow) -> np.ndarray:
        return continuation_losses(model_for(window), [window])[0][:, :3].sum(axis=1)

    return run, nll


def measure(
    windows: list[ContinuationWindow], roles: list[str], run: Continuations, nll: Scorer | None
) -> dict[str, dict[str, list[float]]]:
    by_role: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for i, (window, role) in enumerate(zip(windows, roles, strict=True)):
        real = window.real()
        context = Context.of_seed(
            window.rows[: window.seed_notes], window.clip_end, BARS, window.bar_ticks, real
        )
        outs = run(window, i)
        r = by_role[role]
        for rows in outs:
            m = loop_metrics(rows, context)
            for key, value in m.items():
                r[key].append(value)
            r["notes_per_bar"].append(notes_per_bar(rows, BARS))
        r["diversity"].append(diversity(outs))
        r["real_notes_per_bar"].append(notes_per_bar(real, BARS))
        r["real_silent"].append(silent_share(real, BARS * window.bar_ticks))
        r["seed_length"].append(float(window.rows[: window.seed_notes, 2].mean() / 24))
        r["real_exact"].append(loop_metrics(real, context)["exact_repeat"])
        r["real_positions"].append(loop_metrics(real, context)["seed_positions"])
        r["real_loop"].append(loop_metrics(real, context)["loop_share"])
        if nll is not None:
            r["nll"] += list(nll(window))
    return by_role


def mean(values: list[float]) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan


def goal_rows(
    name: str, by_role: dict[str, dict[str, list[float]]], repeat_f1: dict[str, float]
) -> list[str]:
    lines = []
    for role in ROLES:
        r = by_role.get(role)
        if not r:
            continue
        m = {k: mean(v) for k, v in r.items()}
        checks = {
            "register": m["register_error"] <= 2,
            "density": abs(m["notes_per_bar"] - m["real_notes_per_bar"])
            <= 0.25 * m["real_notes_per_bar"],
            "silence": abs(m["silent"] - m["real_silent"]) <= 0.1,
            "held": role != "chords"
            or abs(m["note_length"] - m["seed_length"]) <= 0.2 * m["seed_length"],
            "positions": m["seed_positions"] >= 0.9,
            "f1": m["note_f1"] >= 0.9 * repeat_f1.get(role, math.nan),
            "diversity": m["diversity"] >= 0.15,
            "repeats": m["exact_repeat"] <= m["real_exact"] + 1e-9,
            "nll": not r.get("nll") or m["nll"] <= 3.0,
        }
        met = sum(checks.values())
        nll = f"{m['nll']:.2f}" if r.get("nll") else "-"
        lines.append(
            f"| {name} | {role} | {len(r['diversity'])} | {m['real_notes_per_bar']:.1f} -> "
            f"{m['notes_per_bar']:.1f} | {m['real_silent']:.2f} -> {m['silent']:.2f} | "
            f"{m['seed_length']:.2f} -> {m['note_length']:.2f} | {m['register_error']:.1f} | "
            f"{m['real_positions']:.2f} -> {m['seed_positions']:.2f} | {m['real_loop']:.2f} -> "
            f"{m['loop_share']:.2f} | {m['note_f1']:.3f} | {m['onset_f1']:.3f} | "
            f"{m['diversity']:.2f} | {m['real_exact']:.2f} -> {m['exact_repeat']:.2f} | {nll} | "
            f"{met}/{len(checks)}"
            + (
                ""
                if met == len(checks)
                else " (" + ", ".join(k for k, v in checks.items() if not v) + ")"
            )
            + " |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEV)
    parser.add_argument(
        "--models",
        default="auto,melody,polyphonic",
        help="comma-separated: auto, installed model names or checkpoints",
    )
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument("--every", type=int, default=8, help="bars between window starts")
    parser.add_argument("--limit", type=int, default=0, help="at most this many windows")
    args = parser.parse_args()
    if not args.folder.is_dir():
        sys.exit(f"{args.folder}: no such folder of MIDI files")
    windows = dev_windows(args.folder, args.every)
    if args.limit and len(windows) > args.limit:
        windows = windows[:: len(windows) // args.limit][: args.limit]
    roles = [role_of(w) for w in windows]
    counts = {r: roles.count(r) for r in ROLES}
    print(
        f"{len(windows)} windows of {args.folder.name}: "
        + ", ".join(f"{r} {n}" for r, n in counts.items())
    )
    print()
    print(
        "| model | role | windows | notes/bar real -> segue | silent time | note length "
        "seed -> segue | register error | onsets on seed positions real -> segue | loop "
        "share real -> segue | note F1 | onset F1 | diversity | exact repeats real -> "
        "segue | NLL o+p+d | goals met |"
    )
    print("|" + "---|" * 15)
    repeat_f1: dict[str, float] = {}
    for name in ["repeat", *args.models.split(",")]:
        run, nll = continue_with(name.strip(), args.models_dir)
        began = time.perf_counter()
        by_role = measure(windows, roles, run, nll)
        if name == "repeat":
            repeat_f1 = {role: mean(r["note_f1"]) for role, r in by_role.items()}
        for line in goal_rows(name, by_role, repeat_f1):
            print(line)
        sys.stdout.flush()
        print(f"<!-- {name}: {time.perf_counter() - began:.0f} s -->", file=sys.stderr)


if __name__ == "__main__":
    main()

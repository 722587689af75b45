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
are mixer volumes). The note length is a mean per note, the clip's and the real
continuation's (its notes cut where the takes end, as theirs are) beside the takes': a
clip of one held note whose takes hold it 12 of its 16 beats and answer in the 4th bar
reads 16 -> 8, so on parts of a few held notes it says more of how many notes a take
adds than of how long it holds them.

    python benchmarks/bench_producer.py                       # auto, melody, polyphonic
    python benchmarks/bench_producer.py --models auto --limit 60
    python benchmarks/bench_producer.py --models auto --resample 1000   # how robust

With ``--resample``, a second table says how often each goal holds over sets of songs
drawn with replacement from the folder's (every window of a drawn song): a goal met on
the folder but in half the draws rests on a few songs, and another set of songs of the
same kind may well miss it. "repeat" is in that table too: what the songs themselves
allow (its register error is the real music's own change of register).
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
    mean_length,
    median_pitch,
    notes_per_bar,
    replay,
    silent_share,
)

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "lmms-dev"
ROLES = ("bass", "chords", "lead")
GOALS = ("register", "density", "silence", "held", "positions", "f1", "diversity", "repeats", "nll")
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


def song_windows(folder: Path, every: int) -> tuple[list[ContinuationWindow], list[str]]:
    """Every window of the folder's MIDI files, and the song of each: the first folder
    under ``folder`` (the dev set holds one folder of tracks per song), else the file."""
    out, songs = [], []
    for path in sorted(folder.rglob("*.mid")):
        clip = read_midi(path)
        found = windows_of(clip_rows(clip), clip.time_signature, every=every)
        out += found
        songs += [path.relative_to(folder).parts[0]] * len(found)
    return out, songs


def dev_windows(folder: Path, every: int) -> list[ContinuationWindow]:
    return song_windows(folder, every)[0]


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


Figures = dict[str, list[float]]


def measure_windows(
    windows: list[ContinuationWindow], run: Continuations, nll: Scorer | None
) -> list[Figures]:
    """Each window's figures: a list per figure (one value per take, per window or, for
    the NLL, per note of the real continuation)."""
    out = []
    for i, window in enumerate(windows):
        real = window.real()
        context = Context.of_seed(
            window.rows[: window.seed_notes], window.clip_end, BARS, window.bar_ticks, real
        )
        outs = run(window, i)
        r: Figures = defaultdict(list)
        for rows in outs:
            m = loop_metrics(rows, context)
            for key, value in m.items():
                r[key].append(value)
            r["notes_per_bar"].append(notes_per_bar(rows, BARS))
        r["diversity"].append(diversity(outs))
        r["real_notes_per_bar"].append(notes_per_bar(real, BARS))
        r["real_silent"].append(silent_share(real, BARS * window.bar_ticks))
        r["seed_length"].append(float(window.rows[: window.seed_notes, 2].mean() / 24))
        r["real_length"].append(mean_length(real))  # cut where the takes end, as theirs are
        real_loop = loop_metrics(real, context)
        r["real_exact"].append(real_loop["exact_repeat"])
        r["real_positions"].append(real_loop["seed_positions"])
        r["real_loop"].append(real_loop["loop_share"])
        if nll is not None:
            r["nll"] += list(nll(window))
        out.append(r)
    return out


def pooled(per_window: list[Figures], roles: list[str], chosen: list[int]) -> dict[str, Figures]:
    """The figures of the ``chosen`` windows (an index may come more than once), by role."""
    by_role: dict[str, Figures] = defaultdict(lambda: defaultdict(list))
    for i in chosen:
        for key, values in per_window[i].items():
            by_role[roles[i]][key] += values
    return by_role


def measure(
    windows: list[ContinuationWindow], roles: list[str], run: Continuations, nll: Scorer | None
) -> dict[str, Figures]:
    return pooled(measure_windows(windows, run, nll), roles, list(range(len(windows))))


def mean(values: list[float]) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan


def goal_checks(role: str, m: dict[str, float], repeat_f1: float) -> dict[str, bool]:
    """The issue's goals for one role, from the role's mean figures ``m``."""
    return {
        "register": m["register_error"] <= 2,
        "density": abs(m["notes_per_bar"] - m["real_notes_per_bar"])
        <= 0.25 * m["real_notes_per_bar"],
        "silence": abs(m["silent"] - m["real_silent"]) <= 0.1,
        "held": role != "chords"
        or abs(m["note_length"] - m["seed_length"]) <= 0.2 * m["seed_length"],
        "positions": m["seed_positions"] >= 0.9,
        "f1": m["note_f1"] >= 0.9 * repeat_f1,
        "diversity": m["diversity"] >= 0.15,
        "repeats": m["exact_repeat"] <= m["real_exact"] + 1e-9,
        "nll": math.isnan(m.get("nll", math.nan)) or m["nll"] <= 3.0,
    }


def goal_rows(name: str, by_role: dict[str, Figures], repeat_f1: dict[str, float]) -> list[str]:
    lines = []
    for role in ROLES:
        r = by_role.get(role)
        if not r:
            continue
        m = {k: mean(v) for k, v in r.items()}
        checks = goal_checks(role, m, repeat_f1.get(role, math.nan))
        met = sum(checks.values())
        nll = f"{m['nll']:.2f}" if r.get("nll") else "-"
        lines.append(
            f"| {name} | {role} | {len(r['diversity'])} | {m['real_notes_per_bar']:.1f} -> "
            f"{m['notes_per_bar']:.1f} | {m['real_silent']:.2f} -> {m['silent']:.2f} | "
            f"{m['seed_length']:.2f} / {m.get('real_length', math.nan):.2f} -> "
            f"{m['note_length']:.2f} | {m['register_error']:.1f} | "
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


def resampled_rows(
    name: str,
    songs: list[str],
    roles: list[str],
    figures: list[Figures],
    repeat: list[Figures],
    draws: int,
) -> list[str]:
    """How often each goal holds on other songs like these: ``draws`` sets of songs drawn
    with replacement from the folder's songs (every window of a drawn song, the "repeat"
    baseline's F1 on the same windows), the share of draws that meet each goal, per role.
    A goal met on the folder but in few draws rests on a few songs and may not hold on
    another set of songs of the same kind."""
    names = sorted(set(songs))
    windows_of_song = {song: [i for i, s in enumerate(songs) if s == song] for song in names}
    rng = np.random.default_rng(0)
    met: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seen: dict[str, int] = defaultdict(int)
    for _ in range(draws):
        chosen = [
            i for k in rng.integers(len(names), size=len(names)) for i in windows_of_song[names[k]]
        ]
        ours, theirs = pooled(figures, roles, chosen), pooled(repeat, roles, chosen)
        for role, r in ours.items():
            m = {k: mean(v) for k, v in r.items()}
            checks = goal_checks(role, m, mean(theirs[role]["note_f1"]))
            seen[role] += 1
            for goal, ok in checks.items():
                met[role][goal] += ok
            met[role]["all"] += all(checks.values())
    lines = []
    for role in ROLES:
        if not seen[role]:
            continue
        shares = " | ".join(f"{met[role][g] / seen[role]:.2f}" for g in (*GOALS, "all"))
        lines.append(f"| {name} | {role} | {seen[role]} | {shares} |")
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
    parser.add_argument(
        "--resample",
        type=int,
        default=0,
        metavar="DRAWS",
        help="also print how often each goal holds over DRAWS sets of songs drawn with "
        "replacement from the folder's (how much each goal rests on a few songs)",
    )
    args = parser.parse_args()
    if not args.folder.is_dir():
        sys.exit(
            f"{args.folder}: no such folder of MIDI files; give a folder of "
            "producers' songs (the LMMS demo songs: Debian's lmms-common) as FOLDER"
        )
    windows, songs = song_windows(args.folder, args.every)
    if args.limit and len(windows) > args.limit:
        keep = list(range(0, len(windows), len(windows) // args.limit))[: args.limit]
        windows, songs = [windows[i] for i in keep], [songs[i] for i in keep]
    roles = [role_of(w) for w in windows]
    counts = {r: roles.count(r) for r in ROLES}
    print(
        f"{len(windows)} windows of {args.folder.name}: "
        + ", ".join(f"{r} {n}" for r, n in counts.items())
    )
    print()
    print(
        "| model | role | windows | notes/bar real -> segue | silent time | note length "
        "seed / real -> segue | register error | onsets on seed positions real -> segue | loop "
        "share real -> segue | note F1 | onset F1 | diversity | exact repeats real -> "
        "segue | NLL o+p+d | goals met |"
    )
    print("|" + "---|" * 15)
    repeat_f1: dict[str, float] = {}
    figures: dict[str, list[Figures]] = {}
    everything = list(range(len(windows)))
    for name in ["repeat", *args.models.split(",")]:
        run, nll = continue_with(name.strip(), args.models_dir)
        began = time.perf_counter()
        figures[name] = measure_windows(windows, run, nll)
        by_role = pooled(figures[name], roles, everything)
        if name == "repeat":
            repeat_f1 = {role: mean(r["note_f1"]) for role, r in by_role.items()}
        for line in goal_rows(name, by_role, repeat_f1):
            print(line)
        sys.stdout.flush()
        print(f"<!-- {name}: {time.perf_counter() - began:.0f} s -->", file=sys.stderr)
    if args.resample:
        print()
        print(
            f"Share of {args.resample} draws of {len(set(songs))} songs (with replacement) "
            "that meet each goal:"
        )
        print()
        print("| model | role | draws | " + " | ".join((*GOALS, "all")) + " |")
        print("|" + "---|" * (len(GOALS) + 4))
        for name in ["repeat", *args.models.split(",")]:  # repeat: what the songs allow
            for line in resampled_rows(
                name, songs, roles, figures[name], figures["repeat"], args.resample
            ):
                print(line)


if __name__ == "__main__":
    main()

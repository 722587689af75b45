"""Tuning on your own material (#18): how much a minute or two of `segue tune` learns.

Four goals, each a row of the printed table:

* Essen folk songs (music21's corpus, the melody model): tuned on 100 songs within 120 s,
  NLL per note (four fields, with the clip memory: `segue eval`'s) on 100 other songs at
  most 2.2 (the issue measured 2.90 before), and the continuation metrics within tolerance
  of the real ones (`segue eval`'s, at T=1) no fewer than before.
* Palestrina (the polyphonic model): tuned on 60 pieces within 120 s, NLL on 40 others at
  most 3.6 (the issue measured 4.61 before).
* Producers' tracks (``../shared/eval/lmms-dev``; the one use of that folder for tuning: this
  measures tuning, and the tuned model is never bundled): tuned on the tracks of 10 songs,
  NLL (offset, pitch and duration, as bench_producer measures it) on 8-bar windows of the
  other 5 songs at least 25% below the untuned model's (segue's auto choice), and the
  producer goals of bench_producer met more often than untuned.
* The bridge while it tunes (``--only bridge``): the standard request answered within 150 ms
  p95 while the melody model tunes on Essen songs in the bridge's background.

The scores are exported from music21's corpus once into ``--data`` (default: a folder in the
system's temporary folder); tuned models go into a temporary segue home, never yours.

    nice python benchmarks/bench_tune.py
    python benchmarks/bench_tune.py --only essen --seconds 60
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_producer  # noqa: E402

from segue.home import HOME_VARIABLE  # noqa: E402
from segue.model.tuning.fit import TuneSettings  # noqa: E402
from segue.model.tuning.install import Card  # noqa: E402

TEMPERATURE = 1.0


@dataclass(frozen=True)
class Goal:
    key: str
    collection: str  # music21's corpus collection, or "" for the LMMS folder
    base: str
    tune: int
    test: int
    target: float  # NLL at most this ("" relative goals: see lmms)
    issue_before: float


GOALS = (
    Goal("essen", "essenFolksong", "melody", 100, 100, 2.2, 2.90),
    Goal("palestrina", "palestrina", "polyphonic", 60, 40, 3.6, 4.61),
)


def export(collection: str, count: int, data: Path) -> list[Path]:
    """``count`` works spread over a music21 collection, as MIDI files (exported once)."""
    from segue.corpus.export import export_works, work_path
    from segue.corpus.listing import find_collections
    from segue.corpus.works import collection_works

    works = collection_works(find_collections([collection])[0])
    chosen = [works[int(i)] for i in np.linspace(0, len(works) - 1, count).round().astype(int)]
    export_works(chosen, data, workers=1, progress=False)
    return [p for p in (work_path(data, w) for w in chosen) if p.exists()]


def link_folder(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        target = folder / f.name
        if not target.exists():
            target.write_bytes(f.read_bytes())
    return folder


def evaluate(model_path: Path, name: str, dataset: Path) -> tuple[float, int, int]:
    """(NLL per note, metrics within tolerance at T=1, metrics judged) of `segue eval`."""
    from segue.model.evaluation.run import run_evaluation
    from segue.model.evaluation.settings import EvalSettings, temperature_key

    settings = EvalSettings(
        temperatures=(TEMPERATURE,),
        ngram=False,
        pitch_only=None,
        memory_ablation=False,
        examples=0,
    )
    report = run_evaluation((name, model_path), dataset, settings=settings).report
    run = report["continuations"][name][temperature_key(TEMPERATURE)]
    judged = len(run["metrics"]) - 1  # diversity is measured, not judged
    return report["nll"][name]["nats"]["total"], int(run["within"]), judged


POSITIONS = ((0, 1, "note 1"), (1, 8, "2-8"), (8, None, "the rest"))
"""Where in a piece the test notes lie, as :func:`by_position` splits their NLL: a piece's
first note has no context to go by, and the next few little."""


def position_nll(model_path: Path, dataset: Path) -> list[tuple[str, float, int]]:
    """The NLL per note of ``dataset``'s test pieces (`segue eval`'s: the clip memory mixed
    in, and for a model that hears the song's key the mixture over its transpositions) at
    each of the :data:`POSITIONS` of a piece: (positions, nats per note, notes)."""
    from segue.dataset.loading import load_dataset
    from segue.model.checkpoint import load_checkpoint
    from segue.model.likelihood import piece_losses
    from segue.model.training.batches import encode_split

    loaded = load_checkpoint(model_path)
    test = encode_split(load_dataset(dataset), "test", loaded.config.vocab)
    losses = [piece.sum(axis=1) for piece in piece_losses(loaded.model, test)]
    out = []
    for start, stop, name in POSITIONS:
        chosen = [n for piece in losses for n in piece[start:stop]]
        out.append((name, float(np.mean(chosen)) if chosen else math.nan, len(chosen)))
    return out


def by_position(model_path: Path, dataset: Path) -> str:
    """:func:`position_nll` in words: "note 1 6.39, 2-8 2.64, the rest 2.17"."""
    return ", ".join(f"{name} {nats:.2f}" for name, nats, _ in position_nll(model_path, dataset))


def tuning(card: Card, took: float) -> str:
    """How a tuning went: its pieces (tuned on + held out), its steps and seconds, and the
    loss of its own held-out pieces (the network alone, four fields: the figure it keeps
    its best weights by), which may say more or less than the test figures beside it
    (held-out tracks of the songs it tunes on share their harmony)."""
    counts = card.counts
    return (
        f"{counts['pieces']}+{counts['held_out_pieces']} pieces, {card.steps} steps in "
        f"{card.seconds:.0f} s (held out: {card.before:.2f} -> {card.after:.2f}), "
        f"{took:.0f} s in all"
    )


def corpus_goal(goal: Goal, data: Path, work: Path, settings: TuneSettings) -> str:
    from segue.dataset.prepare import prepare_dataset
    from segue.model.registry import find_model
    from segue.model.tuning.material import read_sources
    from segue.model.tuning.tune import tune

    files = export(goal.collection, 2 * max(goal.tune, goal.test), data)
    tune_files, test_files = files[0::2][: goal.tune], files[1::2][: goal.test]
    test_dir = link_folder(test_files, work / goal.key / "test")
    dataset = work / goal.key / "test.ds"
    if not dataset.exists():
        prepare_dataset(
            [test_dir], dataset, valid_fraction=0, test_fraction=1, workers=1, progress=False
        )
    before = evaluate(find_model(goal.base), goal.base, dataset)
    began = time.monotonic()
    result = tune(
        read_sources(tune_files),
        f"{goal.key}-tuned",
        goal.base,
        settings,
        replace=True,
    )
    took = time.monotonic() - began
    after = evaluate(result.path, f"{goal.key}-tuned", dataset)
    met = (
        after[0] <= goal.target
        and after[1] >= before[1]
        and result.card.seconds <= settings.seconds + 1
    )
    return (
        f"| {goal.key} ({goal.base}) | {tuning(result.card, took)} | "
        f"{len(test_files)} pieces: {before[0]:.2f} -> "
        f"{after[0]:.2f} (issue: {goal.issue_before:.2f} -> <= {goal.target:g}; by place in "
        f"the piece: {by_position(find_model(goal.base), dataset)} -> "
        f"{by_position(result.path, dataset)}) | "
        f"{before[1]}/{before[2]} -> {after[1]}/{after[2]} | {'yes' if met else 'no'} |"
    )


COMPARED = (
    ("note_f1", "note F1", 3),
    ("diversity", "diversity", 3),
    ("register_error", "register", 2),
)
"""The figures of bench_producer's rows that say whether a tuned model plays otherwise:
(figure, its name, decimals)."""


def compared(
    untuned: dict[str, bench_producer.Figures], tuned: dict[str, bench_producer.Figures]
) -> list[str]:
    """Per role, each of :data:`COMPARED`'s figures of the untuned and the tuned model, from
    bench_producer's rows: goals met alike may hide figures that moved, or show that none
    did (a tuned model whose takes were the untuned one's, reshuffled)."""
    lines = []
    for role in bench_producer.ROLES:
        before, after = untuned.get(role), tuned.get(role)
        if not before or not after:
            continue
        parts = [
            f"{label} {bench_producer.mean(before[key]):.{places}f} -> "
            f"{bench_producer.mean(after[key]):.{places}f}"
            for key, label, places in COMPARED
        ]
        lines.append(f"lmms-dev {role}, untuned -> tuned: " + ", ".join(parts))
    return lines


@contextmanager
def temporary_home(prefix: str) -> Iterator[Path]:
    """A segue home of its own for what runs inside (``HOME_VARIABLE`` pointed at it), removed
    with the models tuned into it at the end, and the variable put back as it was: a run
    leaves no tuned model behind in the temporary folder, and never touches the user's home."""
    before = os.environ.get(HOME_VARIABLE)
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as home:
        os.environ[HOME_VARIABLE] = home
        try:
            yield Path(home)
        finally:
            if before is None:
                os.environ.pop(HOME_VARIABLE, None)
            else:
                os.environ[HOME_VARIABLE] = before


def lmms_goal(folder: Path, settings: TuneSettings) -> str:
    """The goal runs in a segue home of its own, and the untuned auto choice is measured
    before tuning: auto (and tuning's choice of a base) chooses among the installed models,
    tuned ones too, and a baseline that may pick the tuned model (or a base tuned on Essen
    songs by the goals before) is no baseline."""
    with temporary_home("bench-tune-lmms-home-"):
        return _lmms_goal(folder, settings)


def _lmms_goal(folder: Path, settings: TuneSettings) -> str:
    from segue.model.tuning.material import read_sources
    from segue.model.tuning.tune import tune

    songs = sorted(p for p in folder.iterdir() if p.is_dir())
    tune_songs, test_songs = songs[:10], songs[10:]
    windows = [w for song in test_songs for w in bench_producer.dev_windows(song, 8)]
    roles = [bench_producer.role_of(w) for w in windows]
    repeat = bench_producer.measure(windows, roles, *bench_producer.continue_with("repeat", None))
    repeat_f1 = {role: bench_producer.mean(r["note_f1"]) for role, r in repeat.items()}
    scores = {}
    figures: dict[str, dict[str, bench_producer.Figures]] = {}

    def score(name: str) -> None:
        by_role = bench_producer.measure(windows, roles, *bench_producer.continue_with(name, None))
        figures[name] = by_role
        nll = bench_producer.mean([v for r in by_role.values() for v in r["nll"]])
        rows = bench_producer.goal_rows(name, by_role, repeat_f1)
        goals = sum(int(row.rsplit("|", 2)[-2].strip().split("/")[0]) for row in rows)
        total = sum(int(row.rsplit("|", 2)[-2].strip().split("/")[1].split()[0]) for row in rows)
        scores[name] = (nll, goals, total)
        for row in rows:
            print(f"<!-- {row} -->", file=sys.stderr)

    score("auto")  # bundled models only
    began = time.monotonic()
    result = tune(read_sources(tune_songs), "lmms-tuned", None, settings, replace=True)
    took = time.monotonic() - began
    score("lmms-tuned")
    for line in compared(figures["auto"], figures["lmms-tuned"]):
        print(f"<!-- {line} -->", file=sys.stderr)
    (b_nll, b_goals, total), (a_nll, a_goals, _) = scores["auto"], scores["lmms-tuned"]
    met = a_nll <= 0.75 * b_nll and a_goals > b_goals
    return (
        f"| lmms-dev ({result.card.base}) | tracks of {len(tune_songs)} songs: "
        f"{tuning(result.card, took)} | {len(windows)} windows of "
        f"{len(test_songs)} songs, o+p+d: {b_nll:.2f} -> {a_nll:.2f} "
        f"(ratio {a_nll / b_nll:.3f}, goal <= 0.75) | producer goals {b_goals}/{total} -> "
        f"{a_goals}/{total} | {'yes' if met else 'no'} |"
    )


def bridge_during_tune(data: Path, seconds: float) -> str:
    """The standard request (bench_bridge's) answered by a bridge while it tunes the melody
    model on Essen songs in the background: p50 and p95 against those of an idle bridge."""
    import threading

    from bench_generate import standard_seed

    from segue.bridge.client import BridgeClient
    from segue.bridge.testing import running_server
    from segue.model.tuning.material import read_sources

    files = export("essenFolksong", 200, data)[0::2][:100]
    clips = [(p.clip(), False) for p in read_sources(files).pieces]
    seed, standard = standard_seed(), {"bars": 8.0, "variations": 4, "model": "melody"}

    def times(client: BridgeClient, until: Callable[[], bool], count: int) -> list[float]:
        out: list[float] = []
        while until() and len(out) < count:
            out.append(client.generate(seed, {**standard, "rng_seed": len(out)}).round_trip_ms)
            time.sleep(0.1)
        return out

    with (
        tempfile.TemporaryDirectory(prefix="bench-tune-", ignore_cleanup_errors=True) as home,
        running_server(Path(home), "melody") as server,
    ):
        port = server.address[1]
        with BridgeClient(port=port, timeout=10) as learner, BridgeClient(port=port) as client:
            client.generate(seed, standard)  # warm up
            idle = times(client, lambda: True, 30)
            outcome: dict[str, object] = {}
            thread = threading.Thread(
                target=lambda: outcome.update(
                    result=learner.learn(clips, "essen-bridge", seconds, "melody")
                )
            )
            thread.start()
            time.sleep(5)  # the tuning process is up and tuning
            busy = times(client, thread.is_alive, 10_000)
            thread.join()
    p50, p95 = (float(np.percentile(busy, q)) for q in (50, 95))
    i50, i95 = (float(np.percentile(idle, q)) for q in (50, 95))
    return (
        f"| bridge while tuning (melody on {len(clips)} Essen songs, {seconds:g} s) | standard "
        f"request x {len(busy)}: p50 {p50:.0f} ms, p95 {p95:.0f} ms (idle: p50 {i50:.0f}, "
        f"p95 {i95:.0f}) | tuned: {'result' in outcome} | goal p95 <= 150 ms | "
        f"{'yes' if p95 <= 150 else 'no'} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "bench-tune")
    parser.add_argument("--seconds", type=float, default=120.0, help="the tuning budget")
    parser.add_argument("--only", choices=["essen", "palestrina", "lmms", "bridge"], default=None)
    parser.add_argument("--lmms", type=Path, default=bench_producer.DEV)
    parser.add_argument("--lr", type=float, default=TuneSettings.lr, help="the tuning's rate")
    args = parser.parse_args()
    settings = TuneSettings(seconds=args.seconds, lr=args.lr)
    with temporary_home("bench-tune-home-"):  # tuned models go here, never into the user's home
        run(args, settings)


def run(args: argparse.Namespace, settings: TuneSettings) -> None:
    work = args.data / "work"
    print(
        "| material (base model) | tuned on | NLL per note before -> after | metrics within "
        "tolerance before -> after | goal met |"
    )
    print("|---|---|---|---|---|")
    for goal in GOALS:
        if args.only in (None, goal.key):
            print(corpus_goal(goal, args.data, work, settings), flush=True)
    if args.only in (None, "lmms"):
        if args.lmms.is_dir():
            print(lmms_goal(args.lmms, settings), flush=True)
        else:
            print(f"| lmms-dev | {args.lmms}: no such folder | | | - |")
    if args.only in (None, "bridge"):
        print(bridge_during_tune(args.data, min(args.seconds, 60.0)), flush=True)


if __name__ == "__main__":
    main()

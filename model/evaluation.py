"""Evaluation: how good are the continuations, against the seed projects' ways and real music.

:func:`run_evaluation` measures every contender on one prepared dataset:

1. **Held-out likelihood**: negative log-likelihood per note on the test split,
   per field and in total, in nats and bits. Every piece is read from its first
   note with the state carried to its last (no windows).
2. **Continuations**: each test piece long enough gives a case: its first
   ``seed_bars`` bars are the seed, the next ``bars`` bars are what the
   composer wrote. Each contender continues the seed ``samples`` times at each
   temperature (once when greedy, temperature 0, which has one answer), and
   every figure of :mod:`segue.model.metrics` is computed on its notes and on
   the composer's, against the same seed.

The contenders are segue's model, any other segue checkpoints given as
baselines (the seed projects' independent heads without bar position is one
such: ``segue train --independent-heads --no-bar-position``), an n-gram model
and a pitch-only LSTM with a fixed rhythm (:mod:`segue.model.baselines`),
trained on the dataset's training split in the run.

A figure of a contender is *within tolerance* when its mean over the cases is
no further from the real continuations' mean than ``tolerance`` times that
mean, or ``spread`` times the standard deviation of the real figure across the
cases, whichever is larger. :func:`write_report` writes the markdown report,
its JSON twin and the plots to a folder.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

from segue.errors import SegueError
from segue.files import check_replaceable, write_folder_atomically
from segue.grid import TICKS_PER_BEAT
from segue.model import metrics
from segue.model.memory import MAX_STRENGTH
from segue.model.metrics import FIGURE_KEYS, FIGURES, Context, CopyIndex
from segue.model.vocab import FIELDS
from segue.notes import Clip, Note, TimeSignature

REPORT_KIND = "segue-eval-report"
REPORT_VERSION = 1
REPORT_MD = "report.md"
REPORT_JSON = "report.json"
PITCH_ONLY_FILE = "pitch_only.pt"
LN2 = math.log(2)


# ---------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class EvalSettings:
    """Everything that decides an evaluation run (stored in its report)."""

    seed_bars: float = 4.0
    bars: float = 4.0
    samples: int = 4
    temperatures: tuple[float, ...] = (0.0, 0.8, 1.0, 1.2)
    recommended_temperature: float = 1.0
    top_p: float = 0.95
    max_pieces: int | None = None
    rng_seed: int = 0
    tolerance: float = 0.10
    spread: float = 1.0
    ngram: bool = True
    ngram_order: int | None = None  # None: each field's order chosen on the validation split
    pitch_only: str | None = "train"  # "train" (in the run), a saved file, or None (left out)
    pitch_only_seconds: float = 600.0
    pitch_only_epochs: int = 30
    device: str = "cpu"  # where the pitch-only LSTM trains
    examples: int = 3
    threads: int = 1
    memory: float = 1.0  # clip-memory strength of the evaluated model (baselines: none)
    memory_ablation: bool = True  # also the evaluated model with its memory off

    def validated(self) -> EvalSettings:
        """The settings, checked (a SegueError names the bad one), temperatures sorted."""

        def need(ok: bool, message: str) -> None:
            if not ok:
                raise SegueError(message)

        need(
            0.25 <= self.seed_bars <= 64,
            f"seed bars must be from 0.25 to 64, got {self.seed_bars:g}",
        )
        need(0.25 <= self.bars <= 64, f"bars must be from 0.25 to 64, got {self.bars:g}")
        need(1 <= self.samples <= 16, f"samples must be from 1 to 16, got {self.samples}")
        need(len(self.temperatures) > 0, "give at least one temperature")
        for t in (*self.temperatures, self.recommended_temperature):
            need(math.isfinite(t) and 0 <= t <= 5, f"temperatures must be from 0 to 5, got {t:g}")
        need(0.01 <= self.top_p <= 1, f"top-p must be from 0.01 to 1, got {self.top_p:g}")
        need(
            self.max_pieces is None or self.max_pieces >= 1,
            f"max pieces must be at least 1, got {self.max_pieces}",
        )
        need(0 <= self.rng_seed < 2**63, f"rng seed must be from 0 to 2**63-1, got {self.rng_seed}")
        need(self.tolerance >= 0 and self.spread >= 0, "tolerance and spread must be 0 or more")
        need(
            self.ngram_order is None or 1 <= self.ngram_order <= 6,
            f"n-gram order must be from 1 to 6, got {self.ngram_order}",
        )
        need(
            self.pitch_only_seconds > 0 and self.pitch_only_epochs >= 1,
            "the pitch-only LSTM needs some time and at least one epoch",
        )
        need(self.examples >= 0, f"examples must be 0 or more, got {self.examples}")
        need(self.threads >= 1, f"threads must be at least 1, got {self.threads}")
        need(
            0 <= self.memory <= MAX_STRENGTH,
            f"memory must be from 0 to {MAX_STRENGTH:g}, got {self.memory:g}",
        )
        temperatures = tuple(
            sorted({float(t) for t in self.temperatures} | {float(self.recommended_temperature)})
        )
        return EvalSettings(**{**asdict(self), "temperatures": temperatures})

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["temperatures"] = list(self.temperatures)
        return d


def parse_temperatures(text: str) -> tuple[float, ...]:
    """'0,0.8,1.0,1.2' -> (0.0, 0.8, 1.0, 1.2)."""
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise SegueError(
            f"temperatures must be numbers separated by commas, got {text!r}"
        ) from None
    if not values:
        raise SegueError("give at least one temperature")
    return values


def temperature_key(t: float) -> str:
    """A temperature as a JSON key and a column label: 0, 0.8, 1, 1.2."""
    return f"{t:g}"


# ---------------------------------------------------------------------------
# cases: seeds and what the composer wrote next
# ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Case:
    """One test piece cut into a seed and the real continuation after it."""

    number: int  # index of the piece in the dataset
    source: str
    time_signature: TimeSignature
    bar_ticks: int
    seed_ticks: int  # the seed clip's length; the continuation starts here
    span_ticks: int  # the continuation's length
    real: np.ndarray  # rows starting at 0, cut at the end of the span
    context: Context

    @property
    def seed(self) -> np.ndarray:
        return self.context.seed

    def seed_clip(self) -> Clip:
        notes = tuple(
            Note(int(p), s / TICKS_PER_BEAT, d / TICKS_PER_BEAT, int(v)) for s, p, d, v in self.seed
        )
        return Clip(notes, self.seed_ticks / TICKS_PER_BEAT, self.time_signature)


def _note_key(notes: np.ndarray) -> bytes:
    """A piece's onsets, pitches and durations as bytes: equal for the same notes."""
    return np.ascontiguousarray(np.asarray(notes, dtype=np.int64)[:, :3]).tobytes()


def training_copies(dataset: Any, split: str = "test") -> set[int]:
    """Indices of the pieces of ``split`` whose notes (onsets, pitches and durations) are
    those of a training piece: the same tune in two collections, say. They are not held
    out, so the evaluation leaves them out."""
    seen = {_note_key(piece.notes) for piece in dataset.pieces("train")}
    return {int(i) for i in dataset.indices(split)
            if _note_key(dataset.piece(int(i)).notes) in seen}


def continuation_cases(
    dataset: Any, seed_bars: float, bars: float, max_pieces: int | None = None,
    split: str = "test", leave_out: Collection[int] = (),
) -> tuple[list[Case], dict[str, int], int]:
    """The cases of one split, the pieces left out by reason, and how many pieces it holds.

    A piece is used when it lasts at least ``seed_bars + bars`` bars and has
    notes in both parts, and its index is not in ``leave_out`` (see
    :func:`training_copies`). With ``max_pieces``, that many are taken evenly spread
    over the usable ones (the dataset is in path order, so this mixes collections).
    """
    usable: list[tuple[int, Any]] = []
    skipped = {
        "the same notes as a training piece": 0,
        "shorter than seed and continuation": 0,
        "no notes in the seed": 0,
        "no notes in the continuation": 0,
    }
    indices = [int(i) for i in dataset.indices(split)]
    tpb = dataset.ticks_per_beat
    if tpb != TICKS_PER_BEAT:
        raise SegueError(
            f"{dataset.path}: the dataset has {tpb} ticks per beat; segue's grid "
            f"has {TICKS_PER_BEAT}"
        )
    for number in indices:
        piece = dataset.piece(number)
        bar = round(piece.time_signature.beats_per_bar * tpb)
        seed_ticks, span = round(seed_bars * bar), round(bars * bar)
        notes = np.asarray(piece.notes, dtype=np.int64)
        if number in leave_out:
            skipped["the same notes as a training piece"] += 1
        elif piece.length_ticks < seed_ticks + span:
            skipped["shorter than seed and continuation"] += 1
        elif not (notes[:, 0] < seed_ticks).any():
            skipped["no notes in the seed"] += 1
        elif not ((notes[:, 0] >= seed_ticks) & (notes[:, 0] < seed_ticks + span)).any():
            skipped["no notes in the continuation"] += 1
        else:
            usable.append((number, piece))
    if max_pieces is not None and len(usable) > max_pieces:
        chosen = np.unique(np.linspace(0, len(usable) - 1, max_pieces).round().astype(int))
        skipped["not chosen (--max-pieces)"] = len(usable) - len(chosen)
        usable = [usable[i] for i in chosen]
    cases = []
    for number, piece in usable:
        bar = round(piece.time_signature.beats_per_bar * tpb)
        seed_ticks, span = round(seed_bars * bar), round(bars * bar)
        notes = np.asarray(piece.notes, dtype=np.int64)
        seed = notes[notes[:, 0] < seed_ticks]
        real = metrics.window(notes, seed_ticks, seed_ticks + span)
        cases.append(
            Case(
                number,
                dataset.sources[number],
                piece.time_signature,
                bar,
                seed_ticks,
                span,
                real,
                Context.of_seed(seed, seed_ticks, bars),
            )
        )
    return cases, {k: v for k, v in skipped.items() if v}, len(indices)


# ---------------------------------------------------------------------------
# contenders
# ---------------------------------------------------------------------------
Continue = Callable[[Case, float, int, int], list[np.ndarray]]
"""(case, temperature, samples, rng seed) -> rows of each continuation, starting at 0."""


@dataclass
class Contender:
    name: str
    kind: str  # "segue" (the model evaluated), "segue ablation", "segue baseline",
    # "n-gram", "pitch-only"
    description: str
    path: str | None
    nll: Callable[[Any], dict[str, float]]
    continuations: Continue
    config: Any = None  # a segue checkpoint's ModelConfig


def _segue_description(config: Any, memory: float) -> str:
    heads = "chained heads" if config.chained else "independent heads"
    bar = "bar position" if config.bar_position else "no bar position"
    if not config.memory:
        recall = "no clip memory"
    elif memory == 0:
        recall = "clip memory off"
    else:
        recall = f"clip memory at strength {memory:g}"
        if config.pitch_class_weight:
            recall += f" (pitch-class pull {config.pitch_class_weight * memory:g})"
    return f"segue LSTM {config.layers}x{config.hidden}, {heads}, {bar}, {recall}"


def segue_contender(
    name: str, kind: str, loaded: Any, settings: EvalSettings, memory: float | None = None
) -> Contender:
    """A loaded segue checkpoint: likelihood from the network (and its clip memory, if
    fitted, at strength ``memory``, default the settings'), continuations from
    ``generate``."""
    from segue.model.generate import GenerationParams, generate
    from segue.model.likelihood import memory_losses, note_log_probs, recalls

    model = loaded.model
    strength = settings.memory if memory is None else memory
    weights = loaded.config.memory if strength > 0 else ()
    pull = loaded.config.pitch_class_weight if strength > 0 else 0.0

    def nll(data: Any) -> dict[str, float]:
        log_probs = note_log_probs(model, data)
        memories = recalls(data) if weights or pull else []
        means = memory_losses(log_probs, memories, weights, strength, pull)
        return {**{f: means.get(f, math.nan) for f in FIELDS}, "notes": float(data.notes)}

    def continuations(
        case: Case, temperature: float, samples: int, rng_seed: int
    ) -> list[np.ndarray]:
        params = GenerationParams(
            temperature=temperature,
            top_p=settings.top_p,
            bars=settings.bars,
            variations=samples,
            seed=rng_seed,
            memory=strength,
        )
        result = generate(model, case.seed_clip(), params, threads=settings.threads)
        return [metrics.as_rows(v.clip.notes) for v in result.variations]

    return Contender(
        name,
        kind,
        _segue_description(loaded.config, strength),
        str(loaded.path),
        nll,
        continuations,
        loaded.config,
    )


def _baseline_continuations(baseline: Any, settings: EvalSettings) -> Continue:
    """A baseline's ``continuations`` method (n-gram or pitch-only) as a :data:`Continue`."""

    def continuations(
        case: Case, temperature: float, samples: int, rng_seed: int
    ) -> list[np.ndarray]:
        return baseline.continuations(
            case.seed,
            case.seed_ticks,
            case.bar_ticks,
            case.span_ticks,
            temperature,
            settings.top_p,
            samples,
            rng_seed,
        )

    return continuations


def ngram_contender(model: Any, settings: EvalSettings) -> Contender:
    orders = ", ".join(f"{f} {o}" for f, o in model.orders.items())
    return Contender(
        "n-gram",
        "n-gram",
        f"one Witten-Bell smoothed Markov chain per field (orders: {orders})",
        None,
        model.nll,
        _baseline_continuations(model, settings),
    )


def pitch_only_contender(
    baseline: Any, path: str | None, training: dict[str, Any] | None, settings: EvalSettings
) -> Contender:
    config = baseline.model.config
    how = (
        f"trained in the run ({training['epochs']:g} epochs, {training['seconds']:.0f} s, "
        f"stopped by {training['stopped']})"
        if training
        else f"loaded from {path}"
    )
    return Contender(
        "pitch-only",
        "pitch-only",
        f"LSTM {config.layers}x{config.hidden} over pitches alone, {how}; fixed "
        "rhythm from the seed; offset, duration and velocity likelihood from the "
        "training split's unigram distributions",
        path,
        baseline.nll,
        _baseline_continuations(baseline, settings),
    )


# ---------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------
@dataclass
class EvalResult:
    """A finished evaluation: the report (plain data) and what the plots and files need."""

    report: dict[str, Any]
    pitch_only: Any = None  # a PitchLSTM trained in the run, to save beside the report
    examples: list[dict[str, Any]] = field(default_factory=list)
    histograms: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)


@contextmanager
def _torch_threads(threads: int) -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _rng_seed(base: int, *parts: int) -> int:
    return int(np.random.SeedSequence([base, *parts]).generate_state(1, np.uint32)[0])


def _quiet(message: str) -> None:
    pass


def run_evaluation(
    model: tuple[str, str | os.PathLike[str]],
    dataset_path: str | os.PathLike[str],
    baselines: Sequence[tuple[str, str | os.PathLike[str]]] = (),
    settings: EvalSettings | None = None,
    *,
    log: Callable[[str], None] | None = None,
    progress: bool = False,
) -> EvalResult:
    """Evaluate segue's ``model`` (name, checkpoint path) beside the baselines on a dataset."""
    settings = (settings or EvalSettings()).validated()
    say = log or _quiet
    began = time.monotonic()
    with _torch_threads(settings.threads):
        return _run(model, Path(dataset_path), baselines, settings, say, progress, began)


def _run(
    model: tuple[str, str | os.PathLike[str]],
    dataset_path: Path,
    baselines: Sequence[tuple[str, str | os.PathLike[str]]],
    settings: EvalSettings,
    say: Callable[[str], None],
    progress: bool,
    began: float,
) -> EvalResult:
    from segue import __version__
    from segue.dataset import load_dataset
    from segue.model.baselines import NGramModel, PitchOnly, load_pitch_lstm
    from segue.model.checkpoint import load_checkpoint
    from segue.model.train import encode_split

    names = [model[0], *(name for name, _ in baselines)]
    ablation = f"{model[0]} (no memory)"
    if len(set(names)) != len(names) or {"n-gram", "pitch-only", "real"} & set(names):
        raise SegueError(
            "every model needs its own name (n-gram, pitch-only and real are "
            f"taken), got {', '.join(names)}"
        )
    dataset = load_dataset(dataset_path)
    evaluated = load_checkpoint(Path(model[1]))
    contenders = [segue_contender(model[0], "segue", evaluated, settings)]
    vocab = contenders[0].config.vocab
    if settings.memory_ablation and settings.memory > 0 and contenders[0].config.memory:
        if ablation in names:
            raise SegueError(f"the name {ablation!r} is taken by the memory ablation")
        contenders.append(
            segue_contender(ablation, "segue ablation", evaluated, settings, memory=0.0)
        )
    for name, path in baselines:
        # baselines stand for the seed projects' ways, which had no clip memory
        contender = segue_contender(
            name, "segue baseline", load_checkpoint(Path(path)), settings, memory=0.0
        )
        if contender.config.vocab != vocab:
            raise SegueError(
                f"{path}: its vocabulary differs from {model[1]}'s, so their "
                "likelihoods are not comparable"
            )
        contenders.append(contender)
    if vocab.ticks_per_beat != dataset.ticks_per_beat:
        raise SegueError(
            f"{dataset_path}: {dataset.ticks_per_beat} ticks per beat, but the "
            f"model uses {vocab.ticks_per_beat}"
        )
    train = encode_split(dataset, "train", vocab)
    valid = encode_split(dataset, "valid", vocab)
    copies = training_copies(dataset)
    if copies:
        say(f"leaving out {len(copies)} test pieces with the same notes as a training piece")
    test = encode_split(dataset, "test", vocab, leave_out=copies)
    if test.notes == 0:
        raise SegueError(f"{dataset_path}: the test split has no notes to evaluate on")
    baseline_info: dict[str, Any] = {}
    if settings.ngram:
        started = time.monotonic()
        ngram = NGramModel.fit(train, vocab, settings.ngram_order, valid)
        baseline_info["n-gram"] = {
            "orders": ngram.orders,
            "seconds": round(time.monotonic() - started, 2),
        }
        say(f"n-gram: orders {ngram.orders}, fitted in {time.monotonic() - started:.1f} s")
        contenders.append(ngram_contender(ngram, settings))
    trained = None
    if settings.pitch_only is not None:
        training = None
        path = None
        if settings.pitch_only == "train":
            trained, training = _train_pitch_only(
                train, valid, contenders[0], settings, say, progress
            )
            pitch_model = trained
        else:
            path = settings.pitch_only
            pitch_model, _ = load_pitch_lstm(path)
        baseline = PitchOnly.with_unigrams(pitch_model, vocab, train)
        baseline_info["pitch-only"] = {
            "config": pitch_model.config.to_dict(),
            "training": training,
            "path": path,
        }
        contenders.append(pitch_only_contender(baseline, path, training, settings))

    say(f"held-out likelihood on {test.pieces} test pieces ({test.notes:,} notes)")
    nll = {c.name: _with_bits(c.nll(test)) for c in contenders}

    cases, skipped, split_pieces = continuation_cases(
        dataset, settings.seed_bars, settings.bars, settings.max_pieces, leave_out=copies
    )
    say(
        f"continuations: {len(cases)} of {split_pieces} test pieces "
        f"({settings.seed_bars:g} bars of seed, {settings.bars:g} bars after it)"
    )
    if not cases:
        say(
            "warning: no test piece is long enough for the seed and the continuation; "
            "lower --seed-bars or --bars"
        )
    training_index = CopyIndex(p.notes for p in dataset.pieces("train"))
    result = EvalResult(report={}, pitch_only=trained)
    runs, real = _continuations(contenders, cases, training_index, settings, result, progress)

    report = {
        "kind": REPORT_KIND,
        "version": REPORT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "segue_version": __version__,
        "torch_version": str(torch.__version__),
        "dataset": {
            "path": str(Path(dataset_path).resolve()),
            "test_pieces": test.pieces,
            "test_notes": test.notes,
            "test_copies_left_out": len(copies),
            "train_notes": train.notes,
        },
        "settings": settings.to_dict(),
        "models": [
            {"name": c.name, "kind": c.kind, "description": c.description, "path": c.path}
            for c in contenders
        ],
        "baselines": baseline_info,
        "nll": nll,
        "figures": {
            f.key: {"label": f.label, "unit": f.unit, "definition": f.definition} for f in FIGURES
        },
        "pieces": {
            "split": split_pieces,
            "used": len(cases),
            "skipped": skipped,
            "sources": [c.source for c in cases],
        },
        "real": real,
        "tolerance": {},
        "continuations": runs,
        "verdict": {},
        "seconds": 0.0,
    }
    _judge(report, settings)
    report["seconds"] = round(time.monotonic() - began, 1)
    result.report = report
    return result


def _train_pitch_only(
    train: Any,
    valid: Any,
    main: Contender,
    settings: EvalSettings,
    say: Callable[[str], None],
    progress: bool,
) -> tuple[Any, dict[str, Any]]:
    from segue.model.baselines import PitchLSTMConfig, train_pitch_lstm
    from segue.model.train import resolve_device

    config = main.config
    pitch_config = PitchLSTMConfig(
        embed=config.embed, hidden=config.hidden, layers=config.layers, dropout=config.dropout
    )
    say(
        f"pitch-only LSTM {pitch_config.layers}x{pitch_config.hidden}: training for at most "
        f"{settings.pitch_only_epochs} epochs or {settings.pitch_only_seconds:g} s"
    )
    model, training = train_pitch_lstm(
        train,
        valid,
        pitch_config,
        seconds=settings.pitch_only_seconds,
        epochs=settings.pitch_only_epochs,
        seed=settings.rng_seed,
        device=resolve_device(settings.device),
        log=say,
        progress=progress,
    )
    return model, training.to_dict()


def _with_bits(means: dict[str, float]) -> dict[str, Any]:
    nats = {f: float(means[f]) for f in FIELDS}
    nats["total"] = sum(nats.values())
    return {
        "nats": nats,
        "bits": {k: v / LN2 for k, v in nats.items()},
        "notes": int(means.get("notes", 0)),
    }


def _figures_of(
    rows_list: list[np.ndarray], case: Case, training: CopyIndex, seed_index: CopyIndex
) -> np.ndarray:
    """(samples, figures) of the continuations of one case."""
    figures = [
        metrics.continuation_figures(rows, case.context, training, seed_index) for rows in rows_list
    ]
    return np.array([[f[k] for k in FIGURE_KEYS] for f in figures], dtype=np.float64).reshape(
        len(rows_list), len(FIGURE_KEYS)
    )


def _mean_rows(values: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a figure nan in every sample
        return np.nanmean(values, axis=0)


def _summary(per_case: np.ndarray) -> dict[str, dict[str, float]]:
    return {key: metrics.summarise(per_case[:, i]) for i, key in enumerate(FIGURE_KEYS)}


def _histograms(rows_list: list[np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "pitch_class": sum(
            (np.bincount(r[:, 1] % 12, minlength=12) for r in rows_list), np.zeros(12)
        ),
        "ioi": sum((metrics.ioi_histogram(r) for r in rows_list), np.zeros(metrics.TIME_CAP + 2)),
        "duration": sum(
            (metrics.duration_histogram(r) for r in rows_list), np.zeros(metrics.TIME_CAP + 2)
        ),
    }


def _add_histograms(
    total: dict[str, np.ndarray] | None, more: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    return more if total is None else {k: total[k] + more[k] for k in total}


def _continuations(
    contenders: list[Contender],
    cases: list[Case],
    training: CopyIndex,
    settings: EvalSettings,
    result: EvalResult,
    progress: bool,
) -> tuple[dict[str, Any], dict[str, Any]]:
    from tqdm import tqdm

    seed_indexes = [CopyIndex([c.seed]) for c in cases]
    real_values = np.array(
        [_figures_of([c.real], c, training, s)[0] for c, s in zip(cases, seed_indexes, strict=True)]
    ).reshape(len(cases), len(FIGURE_KEYS))
    real = _summary(real_values)
    result.histograms["real"] = _histograms([c.real for c in cases])
    shown = (
        set(np.unique(np.linspace(0, len(cases) - 1, settings.examples).round().astype(int)))
        if cases and settings.examples
        else set()
    )
    examples = {
        i: {"source": cases[i].source, "case": cases[i], "real": cases[i].real, "models": {}}
        for i in sorted(shown)
    }
    recommended = settings.recommended_temperature
    runs: dict[str, Any] = {}
    bar = tqdm(
        total=len(contenders) * len(settings.temperatures) * len(cases),
        desc="continuations",
        unit="seed",
        disable=not progress,
        leave=False,
        file=sys.stderr,
        dynamic_ncols=True,
    )
    with bar:
        for contender in contenders:
            runs[contender.name] = {}
            for t_index, temperature in enumerate(settings.temperatures):
                samples = 1 if temperature == 0 else settings.samples
                started = time.monotonic()
                per_case = np.full((len(cases), len(FIGURE_KEYS)), np.nan)
                empty = 0
                hist = None
                for i, case in enumerate(cases):
                    rows = contender.continuations(
                        case,
                        temperature,
                        samples,
                        _rng_seed(settings.rng_seed, case.number, t_index),
                    )
                    empty += sum(len(r) == 0 for r in rows)
                    per_case[i] = _mean_rows(_figures_of(rows, case, training, seed_indexes[i]))
                    if temperature == recommended:
                        hist = _add_histograms(hist, _histograms(rows))
                        if i in examples:
                            examples[i]["models"][contender.name] = rows[0]
                    bar.update(1)
                runs[contender.name][temperature_key(temperature)] = {
                    "samples": samples,
                    "empty": empty,
                    "seconds": round(time.monotonic() - started, 2),
                    "figures": _summary(per_case),
                }
                if hist is not None:
                    result.histograms[contender.name] = hist
    result.examples = list(examples.values())
    return runs, real


# ---------------------------------------------------------------------------
# judging
# ---------------------------------------------------------------------------
def tolerance_of(real: dict[str, float], settings: EvalSettings) -> float:
    """How far a contender's mean may lie from the real mean and still count as within."""
    mean, std = real.get("mean", math.nan), real.get("std", math.nan)
    if not math.isfinite(mean):
        return math.nan
    spread = settings.spread * std if math.isfinite(std) else 0.0
    return max(settings.tolerance * abs(mean), spread)


def _judge(report: dict[str, Any], settings: EvalSettings) -> None:
    """Mark each figure within or outside tolerance; the verdicts on likelihood and figures."""
    tolerance = {k: tolerance_of(report["real"][k], settings) for k in FIGURE_KEYS}
    report["tolerance"] = tolerance
    for runs in report["continuations"].values():
        for run in runs.values():
            within = 0
            for key in FIGURE_KEYS:
                figure = run["figures"][key]
                real = report["real"][key]["mean"]
                ok = (
                    math.isfinite(figure["mean"])
                    and math.isfinite(tolerance[key])
                    and abs(figure["mean"] - real) <= tolerance[key] + 1e-12
                )
                figure["within"] = bool(ok)
                within += ok
            run["within"] = within
            run["all_within"] = within == len(FIGURE_KEYS)
    main = report["models"][0]["name"]
    others = [m["name"] for m in report["models"][1:]]
    total = {name: report["nll"][name]["nats"]["total"] for name in report["nll"]}
    recommended = temperature_key(settings.recommended_temperature)
    main_run = report["continuations"][main][recommended]
    report["verdict"] = {
        "model": main,
        "recommended_temperature": settings.recommended_temperature,
        "nll_beats": {name: bool(total[main] < total[name]) for name in others},
        "nll_beats_all": all(total[main] < total[name] for name in others),
        "model_all_within": main_run["all_within"],
        "model_within": main_run["within"],
        "baselines_all_within": {
            name: [t for t, run in report["continuations"][name].items() if run["all_within"]]
            for name in others
        },
        "no_baseline_all_within": not any(
            report["continuations"][name][recommended]["all_within"] for name in others
        ),
    }


# ---------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------
def _num(value: float, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def _zero(value: float) -> float:
    """The value, with rounding noise around zero (-0.0000001 nats) shown as 0."""
    return 0.0 if abs(value) < 5e-7 else value


def nll_table(report: dict[str, Any]) -> str:
    lines = [
        "| model | kind | offset | pitch | duration | velocity | total nats | total bits |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    best = min(v["nats"]["total"] for v in report["nll"].values())
    for model in report["models"]:
        values = report["nll"][model["name"]]
        nats, bits = values["nats"], values["bits"]
        cells = [f"{_zero(nats[f]):.3f} ({_zero(bits[f]):.3f})" for f in FIELDS]
        total = f"{nats['total']:.3f}"
        if nats["total"] == best:
            total = f"**{total}**"
        lines.append(
            f"| {model['name']} | {model['kind']} | "
            + " | ".join(cells)
            + f" | {total} | {_zero(bits['total']):.3f} |"
        )
    return "\n".join(lines)


def figure_table(report: dict[str, Any], temperature: str) -> str:
    """Rows: figures; columns: the real continuation, its tolerance, each model."""
    names = [m["name"] for m in report["models"]]
    lines = [
        "| figure | real (mean ± sd) | tolerance | " + " | ".join(names) + " |",
        "|---|---:|---:|" + "---:|" * len(names),
    ]
    for f in FIGURES:
        real = report["real"][f.key]
        cells = []
        for name in names:
            figure = report["continuations"][name][temperature]["figures"][f.key]
            mark = "✓" if figure["within"] else "✗"
            cells.append(f"{_num(figure['mean'])} {mark}")
        lines.append(
            f"| {f.label} | {_num(real['mean'])} ± {_num(real['std'])} | "
            f"±{_num(report['tolerance'][f.key])} | " + " | ".join(cells) + " |"
        )
    within = [
        f"{report['continuations'][n][temperature]['within']}/{len(FIGURES)}"
        + (" **all**" if report["continuations"][n][temperature]["all_within"] else "")
        for n in names
    ]
    lines.append("| *within tolerance* | | | " + " | ".join(within) + " |")
    return "\n".join(lines)


def summary_table(report: dict[str, Any]) -> str:
    temperatures = list(next(iter(report["continuations"].values())).keys())
    lines = [
        "| model | " + " | ".join(f"T={t}" for t in temperatures) + " |",
        "|---|" + "---:|" * len(temperatures),
    ]
    for model in report["models"]:
        runs = report["continuations"][model["name"]]
        cells = [
            f"{runs[t]['within']}/{len(FIGURES)}" + (" all" if runs[t]["all_within"] else "")
            for t in temperatures
        ]
        lines.append(f"| {model['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict_lines(report: dict[str, Any]) -> list[str]:
    v = report["verdict"]
    t = temperature_key(v["recommended_temperature"])
    lines = []
    beaten = [n for n, ok in v["nll_beats"].items() if ok]
    lost = [n for n, ok in v["nll_beats"].items() if not ok]
    if not v["nll_beats"]:
        lines.append(f"- Likelihood: {v['model']} has no baseline to compare with.")
    elif v["nll_beats_all"]:
        lines.append(
            f"- Likelihood: {v['model']} beats every baseline on held-out NLL per note "
            f"({', '.join(beaten)})."
        )
    else:
        lines.append(
            f"- Likelihood: {v['model']} does **not** beat {', '.join(lost)} on held-out "
            "NLL per note."
        )
    lines.append(
        f"- Continuations at T={t}: {v['model']} has {v['model_within']}/{len(FIGURES)} "
        "figures within tolerance" + (" (all)." if v["model_all_within"] else ".")
    )
    for name, temps in v["baselines_all_within"].items():
        where = (
            f"all figures within at T={', '.join(temps)}"
            if temps
            else "never has all figures within"
        )
        lines.append(f"- {name}: {where}.")
    return lines


def _copies_left_out(report: dict[str, Any]) -> str:
    copies = report["dataset"].get("test_copies_left_out", 0)
    return f" ({copies} more left out: the same notes as a training piece)" if copies else ""


def markdown_report(report: dict[str, Any], plots: Sequence[str] = ()) -> str:
    """The whole report as markdown."""
    s = report["settings"]
    pieces = report["pieces"]
    skipped = ", ".join(f"{n} {r}" for r, n in pieces["skipped"].items()) or "none"
    title = f"{report['models'][0]['name']} on {Path(report['dataset']['path']).name}"
    parts = [
        f"# segue evaluation: {title}",
        "",
        f"Dataset `{report['dataset']['path']}`: {report['dataset']['test_pieces']} test pieces"
        f"{_copies_left_out(report)}, "
        f"{report['dataset']['test_notes']:,} test notes; {report['dataset']['train_notes']:,} "
        f"training notes. Made {report['created']} by segue {report['segue_version']} in "
        f"{report['seconds']:.0f} s.",
        "",
        "## Models",
        "",
    ]
    parts += [
        f"- **{m['name']}** ({m['kind']}): {m['description']}"
        + (f" — `{m['path']}`" if m["path"] else "")
        for m in report["models"]
    ]
    parts += [
        "",
        "## Held-out negative log-likelihood per note (test split)",
        "",
        "Nats per note for each field, bits in brackets; lower is better. Each test piece is "
        "read from its first note to its last with the state carried (no windows). The fields "
        "are classes of segue's vocabulary (offset and duration on the 24-tick grid, velocity "
        "in bins of 4) for every model. The pitch-only model's offset, duration and velocity "
        "come from the training split's unigram distributions (Witten-Bell smoothed with a "
        "uniform one); the n-gram model predicts each field from that field's own previous "
        "values (orders chosen on the validation split).",
        "",
        nll_table(report),
        "",
        "## Continuations",
        "",
        f"{pieces['used']} of {pieces['split']} test pieces (left out: {skipped}). Seed: the "
        f"first {s['seed_bars']:g} bars; continuation: the next {s['bars']:g} bars, "
        f"{s['samples']} samples per seed (1 when greedy, T=0), top-p {s['top_p']:g}, random "
        f"seed {s['rng_seed']}. Each figure is averaged over a seed's samples, then over the "
        "seeds; the real column is the composer's continuation of the same seeds, measured the "
        f"same way. ✓ = within tolerance: no further from the real mean than "
        f"{s['tolerance'] * 100:g}% of it or {s['spread']:g} × its standard deviation across "
        "pieces, whichever is larger.",
        "",
        "### Figures within tolerance, per temperature",
        "",
        summary_table(report),
        "",
        "### Verdict",
        "",
        *verdict_lines(report),
        "",
    ]
    for t in report["continuations"][report["models"][0]["name"]]:
        mark = " (recommended)" if float(t) == s["recommended_temperature"] else ""
        parts += [f"### T={t}{mark}", "", figure_table(report, t), ""]
    parts += ["## Figures", ""]
    parts += [f"- **{f.label}** ({f.unit}): {f.definition}" for f in FIGURES]
    if plots:
        parts += ["", "## Plots", ""]
        parts += [f"![{Path(p).stem}]({p})" for p in plots]
    return "\n".join(parts) + "\n"


def card_section(report: dict[str, Any]) -> str:
    """The evaluation as a model card's section: likelihood, figures at the recommended
    temperature, the per-temperature summary and the verdict."""
    s, pieces = report["settings"], report["pieces"]
    t = temperature_key(s["recommended_temperature"])
    baselines = ", ".join(m["name"] for m in report["models"][1:]) or "none"
    return "\n".join(
        [
            "## Evaluation (`segue eval`)",
            "",
            f"Test split of `{Path(report['dataset']['path']).name}`: "
            f"{report['dataset']['test_pieces']} pieces{_copies_left_out(report)}, "
            f"{report['dataset']['test_notes']:,} "
            f"notes; baselines trained on the same data: {baselines}. Made {report['created']} "
            f"by segue {report['segue_version']}.",
            "",
            *[f"- **{m['name']}** ({m['kind']}): {m['description']}" for m in report["models"]],
            "",
            "Held-out negative log-likelihood per note, nats (bits):",
            "",
            nll_table(report),
            "",
            f"Continuations of {pieces['used']} test pieces: {s['samples']} samples of "
            f"{s['bars']:g} bars after the first {s['seed_bars']:g}, top-p {s['top_p']:g}; "
            f"figures at T={t} beside the composer's continuation (✓ within "
            f"{s['tolerance'] * 100:g}% or {s['spread']:g} sd of it):",
            "",
            figure_table(report, t),
            "",
            "Figures within tolerance, per temperature:",
            "",
            summary_table(report),
            "",
            *verdict_lines(report),
        ]
    )


def console_report(report: dict[str, Any]) -> str:
    """What `segue eval` prints: the likelihood table, the figures at the recommended
    temperature, the summary and the verdict."""
    t = temperature_key(report["settings"]["recommended_temperature"])
    return "\n".join(
        [
            "Held-out NLL per note, nats (bits):",
            nll_table(report),
            "",
            f"Continuation figures at T={t} (recommended):",
            figure_table(report, t),
            "",
            "Figures within tolerance per temperature:",
            summary_table(report),
            "",
            *verdict_lines(report),
        ]
    )


# ---------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------
def _is_report(folder: Path) -> bool:
    try:
        data = json.loads((folder / REPORT_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("kind") == REPORT_KIND


def check_report_dir(folder: Path, force: bool) -> None:
    """Refuse an existing folder unless forced, and never replace one that holds no report."""
    check_replaceable(folder, force, "a segue eval report", _is_report)


def report_json(report: dict[str, Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, np.generic):
            return plain(value.item())
        return value

    return json.dumps(plain(report), indent=1, ensure_ascii=False) + "\n"


def write_report(
    result: EvalResult, folder: str | os.PathLike[str], force: bool = False, plots: bool = True
) -> list[Path]:
    """Write report.md, report.json, the plots and a pitch-only LSTM trained in the run.

    Everything goes to a fresh folder beside ``folder`` that then takes its
    place, so a failure never leaves half a report.
    """
    out = Path(folder)
    check_report_dir(out, force)

    def write(tmp: Path) -> None:
        names = write_plots(result, tmp) if plots else []
        if result.pitch_only is not None:
            from segue.model.baselines import save_pitch_lstm

            save_pitch_lstm(
                tmp / PITCH_ONLY_FILE,
                result.pitch_only,
                {
                    "dataset": result.report["dataset"]["path"],
                    "training": result.report["baselines"]["pitch-only"]["training"],
                },
            )
        (tmp / REPORT_MD).write_text(markdown_report(result.report, names), encoding="utf-8")
        (tmp / REPORT_JSON).write_text(report_json(result.report), encoding="utf-8")

    write_folder_atomically(out, write, lambda: check_report_dir(out, force))
    return sorted(p for p in out.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------
# plots
# ---------------------------------------------------------------------------
_SEED_COLOUR = "#4c72b0"
_REAL_COLOUR = "#55a868"
_NEW_COLOUR = "#dd8452"


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def write_plots(result: EvalResult, folder: Path) -> list[str]:
    """The plots, as paths relative to ``folder``."""
    written = []
    if result.histograms:
        _plot_histograms(result, folder / "histograms.png")
        written.append("histograms.png")
    if result.report["pieces"]["used"]:
        _plot_figures(result.report, folder / "figures.png")
        written.append("figures.png")
    for number, example in enumerate(result.examples, start=1):
        stem = Path(example["source"]).stem.replace(" ", "_")[:40]
        name = f"examples/{number:02d}-{stem}.png"
        (folder / "examples").mkdir(exist_ok=True)
        _plot_example(example, result.report, folder / name)
        written.append(name)
    return written


def _plot_histograms(result: EvalResult, path: Path) -> None:
    fig = _figure(14, 4.2)
    axes = fig.subplots(1, 3)
    from segue.model.keys import PITCH_CLASSES

    beats = np.arange(metrics.TIME_CAP + 2) / TICKS_PER_BEAT
    panels = (
        ("pitch_class", "pitch class", np.arange(12)),
        ("ioi", "inter-onset interval (beats)", beats),
        ("duration", "duration (beats)", beats),
    )
    t = temperature_key(result.report["settings"]["recommended_temperature"])
    for ax, (key, label, xs) in zip(axes, panels, strict=True):
        for name, hist in result.histograms.items():
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
            ax.set_xticks(range(12), PITCH_CLASSES)
        else:
            ax.set_xlim(0, 4.2)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"continuations at T={t}: pooled histograms (real = what the composer wrote)")
    fig.savefig(path, format="png")


def _plot_figures(report: dict[str, Any], path: Path) -> None:
    t = temperature_key(report["settings"]["recommended_temperature"])
    names = [m["name"] for m in report["models"]]
    columns = 4
    rows = math.ceil(len(FIGURES) / columns)
    fig = _figure(3.6 * columns, 2.6 * rows)
    axes = fig.subplots(rows, columns, squeeze=False).reshape(-1)
    for ax, f in zip(axes, FIGURES, strict=False):
        real = report["real"][f.key]["mean"]
        tol = report["tolerance"][f.key]
        values = [report["continuations"][n][t]["figures"][f.key]["mean"] for n in names]
        colours = [
            "tab:green" if report["continuations"][n][t]["figures"][f.key]["within"] else "tab:red"
            for n in names
        ]
        ax.barh(
            range(len(names)),
            [v if math.isfinite(v) else 0 for v in values],
            color=colours,
            alpha=0.8,
        )
        if math.isfinite(real):
            ax.axvline(real, color="black", linewidth=1.5)
            if math.isfinite(tol):
                ax.axvspan(real - tol, real + tol, color="black", alpha=0.1)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"{f.label} ({f.unit})", fontsize=9)
    for ax in axes[len(FIGURES) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"figures at T={t}: black line = real continuation, band = tolerance, green = within"
    )
    fig.savefig(path, format="png")


def _plot_example(example: dict[str, Any], report: dict[str, Any], path: Path) -> None:
    from matplotlib.patches import Rectangle

    case: Case = example["case"]
    layers = [("real", example["real"]), *example["models"].items()]
    fig = _figure(12, 1.9 * len(layers) + 0.6)
    axes = fig.subplots(len(layers), 1, squeeze=False, sharex=True)[:, 0]
    pitches = [int(p) for p in case.seed[:, 1]] + [int(p) for _, rows in layers for p in rows[:, 1]]
    low, high = min(pitches) - 2, max(pitches) + 2
    end = case.seed_ticks + case.span_ticks
    for ax, (name, rows) in zip(axes, layers, strict=True):
        colour = _REAL_COLOUR if name == "real" else _NEW_COLOUR
        for notes, shift, c in ((case.seed, 0, _SEED_COLOUR), (rows, case.seed_ticks, colour)):
            for s, p, d, v in notes:
                ax.add_patch(
                    Rectangle(
                        ((s + shift) / TICKS_PER_BEAT, p - 0.4),
                        d / TICKS_PER_BEAT,
                        0.8,
                        color=c,
                        alpha=0.35 + 0.65 * v / 127,
                    )
                )
        for x in range(0, end + 1, case.bar_ticks):
            ax.axvline(x / TICKS_PER_BEAT, color="#cccccc", linewidth=0.6, zorder=0)
        ax.axvline(case.seed_ticks / TICKS_PER_BEAT, color="black", linewidth=1.2)
        ax.set_xlim(0, end / TICKS_PER_BEAT)
        ax.set_ylim(low, high)
        ax.set_ylabel(name, fontsize=9)
    axes[-1].set_xlabel(
        "beats (seed in blue; after the black line, the real continuation in "
        "green and each model's first sample in orange)"
    )
    t = temperature_key(report["settings"]["recommended_temperature"])
    axes[0].set_title(f"{example['source']} at T={t}")
    fig.savefig(path, format="png")

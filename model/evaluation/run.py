"""The run of an evaluation: load the contenders, fit the baselines, measure likelihood and
continuations, judge, and give the report as plain data (:class:`EvalResult`)."""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

from segue import __version__
from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset
from segue.dataset.storage import is_dataset
from segue.errors import SegueError
from segue.model.baselines.ngram import NGramModel
from segue.model.baselines.pitch_only import (
    PitchLSTM,
    PitchLSTMConfig,
    PitchOnly,
    load_pitch_lstm,
    train_pitch_lstm,
)
from segue.model.checkpoint import load_checkpoint
from segue.model.evaluation.cases import continuation_cases, training_copies
from segue.model.evaluation.contenders import (
    Contender,
    ngram_contender,
    pitch_only_contender,
    repeat_contender,
    segue_contender,
)
from segue.model.evaluation.continuations import Example, measure_continuations
from segue.model.evaluation.judging import judge
from segue.model.evaluation.report import REPORT_KIND, REPORT_VERSION
from segue.model.evaluation.settings import EvalSettings
from segue.model.metrics import METRICS, CopyIndex
from segue.model.training.batches import EncodedPieces, encode_split
from segue.model.training.devices import resolve_device
from segue.model.vocab import FIELDS

LN2 = math.log(2)
Log = Callable[[str], None]


@dataclass
class EvalResult:
    """A finished evaluation: the report (plain data) and what the plots and files need."""

    report: dict[str, Any]
    pitch_only: PitchLSTM | None = None  # trained in the run, to save beside the report
    examples: list[Example] = field(default_factory=list)
    histograms: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)


@contextmanager
def _torch_threads(threads: int) -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _quiet(message: str) -> None:
    pass


def run_evaluation(
    model: tuple[str, str | os.PathLike[str]],
    dataset_path: str | os.PathLike[str],
    baselines: Sequence[tuple[str, str | os.PathLike[str]]] = (),
    settings: EvalSettings | None = None,
    *,
    log: Log | None = None,
    progress: bool = False,
) -> EvalResult:
    """Evaluate segue's ``model`` (name, checkpoint path) beside the baselines on a dataset."""
    settings = (settings or EvalSettings()).validated()
    say = log or _quiet
    began = time.monotonic()
    _check_names([model[0], *(name for name, _ in baselines)])
    path = Path(dataset_path)
    with _torch_threads(settings.threads), _dataset_at(path, say, model[1]) as prepared:
        return _run(model, prepared, path, baselines, settings, say, progress, began)


def _check_names(names: list[str]) -> None:
    if len(set(names)) != len(names) or {"n-gram", "pitch-only", "repeat", "real"} & set(names):
        raise SegueError(
            "every model needs its own name (n-gram, pitch-only, repeat and real are "
            f"taken), got {', '.join(names)}"
        )


def _segue_contenders(
    model: tuple[str, str | os.PathLike[str]],
    baselines: Sequence[tuple[str, str | os.PathLike[str]]],
    settings: EvalSettings,
) -> list[Contender]:
    """The model evaluated, its memory ablation and the segue checkpoints given as baselines."""
    names = [model[0], *(name for name, _ in baselines)]
    ablation = f"{model[0]} (no memory)"
    evaluated = load_checkpoint(Path(model[1]))
    contenders = [segue_contender(model[0], "segue", evaluated, settings)]
    if settings.memory_ablation and settings.memory > 0 and evaluated.config.memory:
        if ablation in names:
            raise SegueError(f"the name {ablation!r} is taken by the memory ablation")
        contenders.append(
            segue_contender(ablation, "segue ablation", evaluated, settings, memory=0.0)
        )
    for name, path in baselines:
        # baselines stand for the predecessor projects' ways, which had no clip memory
        loaded = load_checkpoint(Path(path))
        if loaded.config.vocab != evaluated.config.vocab:
            raise SegueError(
                f"{path}: its vocabulary differs from {model[1]}'s, so their "
                "likelihoods are not comparable"
            )
        contenders.append(segue_contender(name, "segue baseline", loaded, settings, memory=0.0))
    return contenders


def _baseline_contenders(
    train: EncodedPieces,
    valid: EncodedPieces,
    main: Contender,
    settings: EvalSettings,
    say: Log,
    progress: bool,
) -> tuple[list[Contender], dict[str, Any], PitchLSTM | None]:
    """The n-gram and pitch-only contenders the settings ask for, what the report says of
    them, and a pitch-only LSTM trained in the run."""
    assert main.config is not None
    vocab = main.config.vocab
    contenders: list[Contender] = []
    info: dict[str, Any] = {}
    if train.notes == 0 and (settings.ngram or settings.pitch_only is not None):
        say("no training split: the n-gram and pitch-only baselines are left out")
        return contenders, info, None
    if settings.ngram:
        started = time.monotonic()
        ngram = NGramModel.fit(train, vocab, settings.ngram_order, valid)
        info["n-gram"] = {"orders": ngram.orders, "seconds": round(time.monotonic() - started, 2)}
        say(f"n-gram: orders {ngram.orders}, fitted in {time.monotonic() - started:.1f} s")
        contenders.append(ngram_contender(ngram, settings))
    trained = None
    if settings.pitch_only is not None:
        training = None
        path = None
        if settings.pitch_only == "train":
            trained, training = _train_pitch_only(train, valid, main, settings, say, progress)
            pitch_model = trained
        else:
            path = settings.pitch_only
            pitch_model, _ = load_pitch_lstm(path)
        baseline = PitchOnly.with_unigrams(pitch_model, vocab, train)
        info["pitch-only"] = {
            "config": pitch_model.config.to_dict(),
            "training": training,
            "path": path,
        }
        contenders.append(pitch_only_contender(baseline, path, training, settings))
    return contenders, info, trained


def _drums(checkpoint: str | os.PathLike[str]) -> bool:
    """Whether the checkpoint is a drum model (its info says so)."""
    from segue.model.checkpoint import read_checkpoint

    info = read_checkpoint(checkpoint).get("info", {})
    return bool(isinstance(info, dict) and info.get("drums"))


@contextmanager
def _dataset_at(
    path: Path, say: Log, checkpoint: str | os.PathLike[str] | None = None
) -> Iterator[Path]:
    """A prepared dataset as it is; a folder of MIDI files prepared into a temporary dataset
    in which every piece is a test piece (no split, so no baselines that need training), its
    drum tracks read when ``checkpoint`` is a drum model (a folder of beats was refused as
    "only drum notes", and the melodic tracks of a mixed folder were scored by the drum
    model). A file goes the folder's way, to be told to give the folder that holds it (a
    MIDI file was told it is no dataset, as though a folder of them would not do)."""
    if is_dataset(path) or not path.exists():
        yield path
        return
    drums = checkpoint is not None and _drums(checkpoint)  # (a dataset never needs it)
    # the arrays are memory-mapped: Windows cannot delete them until they are closed
    with tempfile.TemporaryDirectory(prefix="segue-eval-", ignore_cleanup_errors=True) as temp:
        out = Path(temp) / "dataset"
        summary = prepare_dataset(
            [path],
            out,
            valid_fraction=0.0,
            test_fraction=1.0,
            progress=False,
            drums=drums,
        )
        reasons = summary.meta.get("skipped", {})
        unread = sum(reasons.values())
        say(
            f"{path}: a folder of MIDI files; every piece is scored "
            f"({summary.meta['counts']['pieces']:,} pieces"
            + (", their drum tracks alone" if drums else "")
            + (
                f"; {unread} file{'s' if unread > 1 else ''} not read: "
                + ", ".join(f"{n} {why}" for why, n in reasons.items())
                if unread
                else ""
            )
            + ")"
        )
        yield out


def _run(
    model: tuple[str, str | os.PathLike[str]],
    prepared: Path,
    dataset_path: Path,
    baselines: Sequence[tuple[str, str | os.PathLike[str]]],
    settings: EvalSettings,
    say: Log,
    progress: bool,
    began: float,
) -> EvalResult:
    dataset = load_dataset(prepared)
    contenders = _segue_contenders(model, baselines, settings)
    assert contenders[0].config is not None
    vocab = contenders[0].config.vocab
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
    more, baseline_info, trained = _baseline_contenders(
        train, valid, contenders[0], settings, say, progress
    )
    contenders += more
    if settings.repeat:
        contenders.append(repeat_contender())

    say(f"held-out likelihood on {test.pieces} test pieces ({test.notes:,} notes)")
    nll = {c.name: _with_bits(c.nll(test)) for c in contenders if c.nll is not None}

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
    measured = measure_continuations(contenders, cases, training_index, settings, progress)

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
        "metrics": {
            m.key: {"label": m.label, "unit": m.unit, "definition": m.definition} for m in METRICS
        },
        "pieces": {
            "split": split_pieces,
            "used": len(cases),
            "skipped": skipped,
            "sources": [c.source for c in cases],
        },
        "real": measured.real,
        "tolerance": {},
        "continuations": measured.runs,
        "verdict": {},
        "seconds": 0.0,
    }
    judge(report, settings)
    report["seconds"] = round(time.monotonic() - began, 1)
    return EvalResult(report, trained, measured.examples, measured.histograms)


def _train_pitch_only(
    train: EncodedPieces,
    valid: EncodedPieces,
    main: Contender,
    settings: EvalSettings,
    say: Log,
    progress: bool,
) -> tuple[PitchLSTM, dict[str, Any]]:
    """A pitch-only LSTM of the evaluated model's sizes, trained on the training split."""
    config = main.config
    assert config is not None
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
        rng_seed=settings.rng_seed,
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

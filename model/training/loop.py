"""The training loop: :func:`train` fits a network to a prepared dataset.

:func:`train` runs unchanged on one CPU, one GPU (mixed precision) or several
processes under ``torchrun`` (DistributedDataParallel; rank 0 prints and
writes). It keeps ``best.pt`` (lowest validation loss) and ``last.pt`` (with
everything needed to resume) in the run folder and redraws ``loss.png`` after
every epoch. Ctrl-C or SIGTERM stops after the current batch and saves
``last.pt``; a run resumed from it ends with the weights of a run that never
stopped. At the end the clip memory of ``best.pt`` is fitted on the validation
pieces.
"""

from __future__ import annotations

import math
import os
import secrets
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm

from segue import __version__
from segue.dataset.loading import load_dataset
from segue.errors import SegueError
from segue.model.architecture import Network
from segue.model.architectures import build_network
from segue.model.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from segue.model.likelihood import fit_memory, write_memory
from segue.model.plots import plot_losses
from segue.model.training.batches import (
    Batch,
    EncodedPieces,
    Windows,
    batches_per_epoch,
    encode_split,
    make_batch,
    plan_epoch,
    plan_validation,
)
from segue.model.training.config import TrainConfig
from segue.model.training.devices import (
    Processes,
    all_reduce,
    grad_scaler,
    mixed_precision,
    process_group,
    resolve_device,
    sums_dtype,
    torch_threads,
)
from segue.model.training.losses import batch_losses, loss_means, loss_sums
from segue.model.training.pace import Pace, compute_on
from segue.model.training.rng import INIT, torch_rng_seed
from segue.model.training.run_folder import (
    BEST,
    LAST,
    PLOT,
    check_resumed_config,
    check_run_dir,
    plain,
    read_last,
)
from segue.model.training.signals import StopFlag, stop_on_signals
from segue.model.vocab import FIELDS, Vocab
from segue.shell import suggested


@dataclass
class TrainResult:
    run_dir: Path
    status: str
    """``completed``, ``early-stopped``, ``interrupted`` or ``finished`` (nothing left to do)."""
    epochs: int  # epochs completed
    best_epoch: int | None
    best_loss: float | None
    history: list[dict[str, Any]]
    seconds: float
    model: Network  # the final weights, on the CPU, in eval mode
    rank: int = 0
    world: int = 1


def _fmt(losses: dict[str, float] | None) -> str:
    if losses is None:
        return "-"
    parts = " ".join(f"{f[:3]} {losses[f]:.3f}" for f in FIELDS)
    return f"{losses['total']:.3f} ({parts})"


class _Run:
    """One training run in one process; :func:`train` is the way in."""

    def __init__(
        self,
        dataset: Any,
        run_dir: Path,
        config: TrainConfig,
        procs: Processes,
        device: torch.device,
        log: Callable[[str], None],
        progress: bool,
        command: Sequence[str] | None,
        pace: Pace | None = None,
    ) -> None:
        self.dataset, self.run_dir, self.config = dataset, run_dir, config
        # the CPU threads each step is taken on (all of them, or one while one is faster)
        self.pace = pace or Pace((max(1, torch.get_num_threads()),))
        self.procs, self.device, self.log, self.progress = procs, device, log, progress
        self.commands = [list(command)] if command is not None else []
        assert config.rng_seed is not None  # train() draws one when none is given
        self.rng_seed = int(config.rng_seed)
        tpb = int(dataset.ticks_per_beat)
        self.vocab = Vocab(ticks_per_beat=tpb, max_bar_ticks=8 * tpb)
        self.train_data = encode_split(dataset, "train", self.vocab)
        self.valid_data = encode_split(dataset, "valid", self.vocab)
        if self.train_data.notes == 0:
            raise SegueError(f"{dataset.path}: the dataset has no training notes")
        self.fingerprint = {
            "ticks_per_beat": tpb,
            "train_pieces": self.train_data.pieces,
            "train_notes": self.train_data.notes,
            "valid_pieces": self.valid_data.pieces,
            "valid_notes": self.valid_data.notes,
        }
        torch.manual_seed(torch_rng_seed(self.rng_seed, 0, 0, purpose=INIT))
        self.model = build_network(config.model_config(self.vocab)).to(device)
        self.amp = mixed_precision(device)
        self.opt = torch.optim.AdamW(
            self.model.parameters(), lr=config.lr, weight_decay=config.weight_decay
        )
        self.scaler = grad_scaler(device, self.amp)
        self.net: nn.Module = self.model
        # progress, restored by resume()
        self.epoch = 0  # epochs completed
        self.batch = 0  # batches done in the epoch under way
        self.partial = torch.zeros(5, dtype=sums_dtype(device), device=device)
        self.history: list[dict[str, Any]] = []
        self.best_loss: float | None = None
        self.best_epoch: int | None = None
        self.bad_epochs = 0
        self.seconds = 0.0
        self.rng_state: dict[str, Tensor] | None = None

    # ---- state ---------------------------------------------------------------
    def resume(self, payload: dict[str, Any]) -> None:
        state = payload["training_state"]
        if state.get("data") != self.fingerprint:
            raise SegueError(
                f"the dataset {self.dataset.path} differs from the one this run was trained on "
                f"(run: {state.get('data')}, now: {self.fingerprint})"
            )
        try:
            self.model.load_state_dict(payload["state_dict"])
            self.opt.load_state_dict(state["optimizer"])
            if state.get("scaler"):
                self.scaler.load_state_dict(state["scaler"])
            self.epoch, self.batch = int(state["epoch"]), int(state["batch"])
            partial = state["partial"] if self.procs.main else [0.0] * 5
            self.partial = torch.tensor(partial, dtype=sums_dtype(self.device), device=self.device)
            self.history = list(state["history"])
            self.best_loss, self.best_epoch = state["best_loss"], state["best_epoch"]
            self.bad_epochs, self.seconds = int(state["bad_epochs"]), float(state["seconds"])
            self.rng_state = state.get("rng")
            self.commands = list(state.get("commands", [])) + self.commands
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CheckpointError(
                f"{self.run_dir / LAST}: its training state does not fit this run ({reason})"
            ) from None

    def _info(self, epoch: int) -> dict[str, Any]:
        return {
            "kind": "segue-training-run",
            "dataset": {
                "path": str(Path(self.dataset.path).resolve()),
                "summary": str(self.dataset.summary()),
                "meta": plain(dict(self.dataset.meta)),
                **self.fingerprint,
            },
            "epoch": epoch,
            "history": plain(self.history),
            "best": {"epoch": self.best_epoch, "valid_loss": self.best_loss},
            "config": self.config.to_dict(),
            "commands": self.commands,
            "seconds": round(self.seconds, 3),
            "parameters": _count_parameters(self.model),
            "device": str(self.device),
            "world_size": self.procs.world,
            "segue_version": __version__,
            "torch_version": str(torch.__version__),
        }

    def _training_state(self) -> dict[str, Any]:
        rng = None
        if self.procs.world == 1 and self.batch > 0:
            rng = {"cpu": torch.get_rng_state()}
            if self.device.type == "cuda":
                rng["cuda"] = torch.cuda.get_rng_state(self.device)
            elif self.device.type == "mps":  # a Mac's GPU draws dropout from its own
                rng["mps"] = torch.mps.get_rng_state()
        return {
            "config": self.config.to_dict(),
            "rng_seed": self.rng_seed,
            "epoch": self.epoch,
            "batch": self.batch,
            "partial": self.partial.tolist(),
            "history": plain(self.history),
            "best_loss": self.best_loss,
            "best_epoch": self.best_epoch,
            "bad_epochs": self.bad_epochs,
            "seconds": round(self.seconds, 3),
            "optimizer": self.opt.state_dict(),
            "scaler": self.scaler.state_dict() if self.scaler.is_enabled() else None,
            "rng": rng,
            "data": dict(self.fingerprint),
            "commands": self.commands,
        }

    def save_last(self) -> None:
        if self.procs.main:
            save_checkpoint(
                self.run_dir / LAST, self.model, self._info(self.epoch), self._training_state()
            )

    # ---- the loop ------------------------------------------------------------
    def run(self, stop: StopFlag) -> str:
        cfg = self.config
        if self.procs.world > 1:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.net = DistributedDataParallel(self.model, device_ids=ids)
        self.model.train()
        count = batches_per_epoch(
            self.train_data, cfg.window, cfg.batch_size, self.procs.world, cfg.steps_per_epoch
        )
        while not self.finished():
            started = time.monotonic()
            plan = plan_epoch(
                self.train_data,
                cfg.window,
                cfg.batch_size,
                rng_seed=self.rng_seed,
                epoch=self.epoch,
                rank=self.procs.rank,
                world=self.procs.world,
                batches=count,
            )
            self._torch_rng_for_epoch()
            stopped = self._train_batches(plan, stop)
            self.seconds += time.monotonic() - started
            if stopped:
                self.partial = all_reduce(self.partial, self.procs)  # rank 0 keeps the sums
                self.save_last()
                return "interrupted"
            self._end_epoch()
            if self._stop_agreed(stop) and not self.finished():
                return "interrupted"
        return "early-stopped" if self._stopped_early() else "completed"

    def _stopped_early(self) -> bool:
        return self.config.patience > 0 and self.bad_epochs >= self.config.patience

    def finished(self) -> bool:
        return self.epoch >= self.config.epochs or self._stopped_early()

    def _torch_rng_for_epoch(self) -> None:
        if self.batch == 0:
            self.partial.zero_()
            torch.manual_seed(torch_rng_seed(self.rng_seed, self.epoch, self.procs.rank))
        elif self.rng_state is not None:
            torch.set_rng_state(self.rng_state["cpu"])
            if "cuda" in self.rng_state and self.device.type == "cuda":
                torch.cuda.set_rng_state(self.rng_state["cuda"], self.device)
            if "mps" in self.rng_state and self.device.type == "mps":
                torch.mps.set_rng_state(self.rng_state["mps"])
        else:
            torch.manual_seed(
                torch_rng_seed(self.rng_seed, self.epoch, self.procs.rank, self.batch)
            )
        self.rng_state = None

    def _train_batches(self, plan: list[Windows], stop: StopFlag) -> bool:
        """Train on the plan's remaining batches; True if asked to stop before the end."""
        cfg = self.config
        bar = tqdm(
            total=len(plan),
            initial=self.batch,
            unit="batch",
            leave=False,
            desc=f"epoch {self.epoch + 1}/{cfg.epochs}",
            dynamic_ncols=True,
            disable=not (self.progress and self.procs.main),
            file=sys.stderr,
        )
        with bar:
            for b in range(self.batch, len(plan)):
                if self._stop_agreed(stop):
                    self.log(f"stopping at epoch {self.epoch + 1}, batch {b}/{len(plan)}")
                    return True
                batch = make_batch(
                    self.train_data,
                    plan[b],
                    cfg.window,
                    cfg.transpose,
                    self.vocab.n_pitch,
                    cfg.velocity_shift,
                    self.vocab.n_velocity,
                )
                self.partial += self._step(batch)
                self.batch = b + 1
                bar.update(1)
                if b % 10 == 0 or b == len(plan) - 1:
                    bar.set_postfix(loss=f"{float(self.partial[:4].sum() / self.partial[4]):.3f}")
        return False

    def _stop_agreed(self, stop: StopFlag) -> bool:
        if self.procs.world == 1:
            return stop.requested
        flag = torch.tensor([1.0 if stop.requested else 0.0], device=self.device)
        return bool(all_reduce(flag, self.procs, "max").item() > 0)

    def _step(self, batch: Batch) -> Tensor:
        compute_on(self.pace.threads())
        stepping = time.perf_counter()
        sums = train_step(
            self.net, self.opt, self.scaler, batch, self.device, self.amp, self.config.grad_clip
        )
        self.pace.took(time.perf_counter() - stepping, batch.mask.size)
        return sums

    def _end_epoch(self) -> None:
        cfg = self.config
        started = time.monotonic()
        compute_on(self.pace.best)
        train = loss_means(all_reduce(self.partial.clone(), self.procs).cpu())
        batches = plan_validation(
            self.valid_data, cfg.window, cfg.batch_size, self.procs.rank, self.procs.world
        )
        sums = loss_sums(self.model, self.valid_data, batches, cfg.window, self.device, self.amp)
        valid = loss_means(all_reduce(sums, self.procs).cpu())
        self.seconds += time.monotonic() - started
        self.epoch += 1
        self.batch = 0
        self.partial.zero_()
        score = (valid or train or {"total": math.inf})["total"]
        improved = self.best_loss is None or score < self.best_loss
        if improved:
            self.best_loss, self.best_epoch, self.bad_epochs = score, self.epoch, 0
        else:
            self.bad_epochs += 1
        before = self.history[-1]["elapsed"] if self.history else 0.0
        self.history.append(
            {
                "epoch": self.epoch,
                "train": train,
                "valid": valid,
                "seconds": round(self.seconds - before, 3),
                "elapsed": round(self.seconds, 3),
            }
        )
        if self.procs.main:
            if improved:
                save_checkpoint(self.run_dir / BEST, self.model, self._info(self.epoch))
            self.save_last()
            self._plot()
        mark = "  *best" if improved else ""
        self.log(
            f"epoch {self.epoch}/{cfg.epochs}  train {_fmt(train)}  "
            f"valid {_fmt(valid)}  {self.seconds - before:.0f}s{mark}"
        )

    def _plot(self) -> None:
        try:
            plot_losses(self.history, self.run_dir / PLOT, title=self.run_dir.name)
        except (OSError, ValueError, RuntimeError) as exc:  # a plot never stops training
            self.log(f"warning: could not draw {self.run_dir / PLOT}: {exc}")


def train_step(
    net: nn.Module,
    opt: torch.optim.Optimizer,
    scaler: Any,
    batch: Batch,
    device: torch.device,
    amp: torch.dtype | None,
    grad_clip: float,
) -> Tensor:
    """One optimizer step on ``batch`` (gradients clipped to ``grad_clip`` unless 0); the
    batch's per-field loss sums and note count (5,). ``net`` may be a DDP wrapper. Training
    and tuning (``segue.model.tuning``) both step through here."""
    loss, sums = batch_losses(net, batch, device, amp)
    opt.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    if grad_clip > 0:
        scaler.unscale_(opt)
        nn.utils.clip_grad_norm_(net.parameters(), grad_clip)
    scaler.step(opt)
    scaler.update()
    return sums


def train(
    dataset_path: str | os.PathLike[str] | None,
    run_dir: str | os.PathLike[str],
    config: TrainConfig | None = None,
    *,
    resume: bool = False,
    force: bool = False,
    progress: bool = True,
    command: Sequence[str] | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainResult:
    """Train a model on a prepared dataset; checkpoints and ``loss.png`` go to ``run_dir``.

    ``resume`` continues from ``run_dir/last.pt`` with the run's own settings:
    ``config`` may be None, and of its fields only epochs, patience, device and
    threads may differ from the run's; ``dataset_path`` may be None to use the
    run's. Without ``resume`` a folder that already holds a run is refused
    unless ``force``. ``command`` (the command line) is stored in the
    checkpoints' ``info["commands"]``, after those of the run's earlier
    sessions. Under ``torchrun`` only rank 0 logs and writes files.
    """
    if resume and force:
        raise SegueError("choose either --resume (continue the run) or --force (start over)")
    run = Path(run_dir)
    procs = Processes.from_env()
    check_run_dir(run, resume, force)
    payload = None
    if resume:
        payload = read_last(run)
        stored = TrainConfig.from_dict(payload["training_state"]["config"])
        config = stored if config is None else check_resumed_config(stored, config)
        dataset_path = dataset_path or payload["info"]["dataset"]["path"]
    config = config or TrainConfig()
    if dataset_path is None:
        raise SegueError("name the dataset to train on")
    device = resolve_device(config.device, procs.local_rank)
    say = (log or _print) if procs.main else _quiet
    with torch_threads(device, config.threads, procs) as threads, process_group(procs, device):
        if config.rng_seed is None:
            drawn = torch.tensor([secrets.randbits(62)], dtype=torch.int64, device=device)
            config = replace(config, rng_seed=int(all_reduce(drawn, procs, "max").item()))
        # one process on the CPU, no --threads: all cores or one, whichever is faster now (a
        # busy computer's two threads wait for each other at every step: training.pace)
        fixed = config.threads is not None or device.type != "cpu" or procs.world > 1
        pace = Pace.of(threads, fixed=fixed)
        job = _Run(
            load_dataset(dataset_path), run, config, procs, device, say, progress, command, pace
        )
        if payload is not None:
            job.resume(payload)
        elif force and procs.main:
            for name in (LAST, BEST, PLOT):
                (run / name).unlink(missing_ok=True)
        if procs.main:
            run.mkdir(parents=True, exist_ok=True)
        say(_opening(job, threads))
        if job.valid_data.notes == 0:
            say(
                "warning: the dataset has no validation pieces; best.pt and early stopping "
                "follow the training loss"
            )
        with stop_on_signals(StopFlag()) as stop:
            if job.finished():
                status = "finished"
                say(
                    f"nothing to do: the run has finished after {job.epoch} epochs "
                    "(raise --epochs or --patience to go on)"
                )
            else:
                status = job.run(stop)
        if status == "interrupted":
            where = (
                f"in epoch {job.epoch + 1} after batch {job.batch}"
                if job.batch
                else f"after epoch {job.epoch}"
            )
            say(f"stopped {where}; saved {run / LAST}")
        elif job.best_epoch is not None:
            say(
                f"{status}: best loss {job.best_loss:.4f} nats/note at epoch {job.best_epoch}; "
                f"model in {run / BEST}"
            )
    if procs.main and status != "interrupted":
        try:
            _fit_memory(run / BEST, job.valid_data, Path(dataset_path).name, say)
            _measure_home(run / BEST, Path(dataset_path), job.valid_data.notes, say)
        except KeyboardInterrupt:  # a finished run, stopped while its memory was fitted
            fit_again = suggested(
                "segue memory", ("RUN", run), ("DATASET", Path(dataset_path)), "--in-place"
            )
            say(
                f"stopped before the clip memory was fitted and measured: {run / BEST} is "
                f"kept without them; `{fit_again}` fits them"
            )
            raise
    return TrainResult(
        run,
        status,
        job.epoch,
        job.best_epoch,
        job.best_loss,
        job.history,
        job.seconds,
        job.model.cpu().eval(),
        procs.rank,
        procs.world,
    )


def _fit_memory(best: Path, valid: EncodedPieces, dataset: str, say: Callable[[str], None]) -> None:
    """Fit the clip memory of ``best.pt`` on the validation pieces (unless it has one); with
    none, say how to fit it on another split (it was skipped without a word)."""
    if not best.exists():
        return
    if valid.notes == 0:
        say(
            "no clip memory, and `auto` will give the model any clip: the dataset has no "
            "validation pieces to fit and measure them on; use its training pieces with "
            f"`{suggested('segue memory', ('RUN', best), 'DATASET --split train --in-place')}`"
        )
        return
    loaded = load_checkpoint(best)
    if loaded.config.memory:
        return
    fit = fit_memory(loaded.model, valid)
    write_memory(best, best, fit, dataset, "valid")
    say(f"clip memory fitted on the validation split, {fit.summary()}")


def _measure_home(
    best: Path, dataset_path: Path, valid_notes: int, say: Callable[[str], None]
) -> None:
    """Record how much ``best.pt``'s own validation clips surprise it, as ``segue memory``
    does: without it ``auto`` takes the model to be at home with any clip, and a model
    trained on chorales took producers' chord parts and leads from the producer model."""
    from segue.dataset.loading import load_dataset
    from segue.model.choice import record_home_surprise

    if not best.exists():
        return
    home = record_home_surprise(best, load_dataset(dataset_path))
    if home is None:  # with no validation pieces at all, _fit_memory has said so
        if valid_notes:
            say("no 4-bar clip among its validation pieces: `auto` will give it any clip")
        return
    say(
        f"its own validation clips surprise it {home['p50']:.2f} nats/note (median), "
        f"{home['p95']:.2f} at most for 95%: `auto` gives it clips like them"
    )


def _opening(job: _Run, threads: int) -> str:
    cfg, fp = job.config, job.fingerprint
    where = f"{job.device}" + (
        f" ({threads} thread{'s' * (threads != 1)}"
        + (", or 1 while it is faster" if len(job.pace.counts) > 1 else "")
        + ")"
        if job.device.type == "cpu"
        else ""
    )
    if job.procs.world > 1:
        where += f" x {job.procs.world} processes"
    if job.amp is not None:
        where += f", {str(job.amp).removeprefix('torch.')}"
    count = batches_per_epoch(
        job.train_data, cfg.window, cfg.batch_size, job.procs.world, cfg.steps_per_epoch
    )
    start = (
        f"resuming at epoch {job.epoch + 1}" + (f", batch {job.batch}" if job.batch else "")
        if job.epoch or job.batch
        else "training"
    )
    return (
        f"{start}: {fp['train_notes']:,} notes in {fp['train_pieces']:,} pieces "
        f"(valid {fp['valid_notes']:,} in {fp['valid_pieces']:,}); "
        f"{_count_parameters(job.model):,} parameters on {where}; "
        f"{count} batches of {cfg.batch_size} x {cfg.window} steps per epoch; "
        f"rng seed {job.rng_seed}"
    )


def _count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _print(message: str) -> None:
    tqdm.write(message, file=sys.stdout)
    sys.stdout.flush()


def _quiet(message: str) -> None:
    pass

"""Fine-tuning a network on a few pieces within a time budget (:func:`tune_network`).

Training's own batches, augmentation (transposition, velocity shift; the pieces at double
and half their note values, ``segue.model.tuning.material.time_scaled``), loss and optimizer
step (``segue.model.training``) run on the pieces to tune on, at a lower learning rate,
until the budget of seconds is spent. The held-out pieces are scored every round (an
epoch of the tuning pieces, within bounds set by :data:`ROUNDS`): the best
weights so far are kept, tuning stops early after :attr:`TuneSettings.patience` rounds
without a gain, and a stop request (Ctrl-C, a cancel) ends it with the best so far, the
steps since the last round scored first (a stop early in a long budget kept the base's).
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import torch
from torch import nn

from segue.model.architecture import Network
from segue.model.training.batches import (
    EncodedPieces,
    batches_per_epoch,
    make_batch,
    plan_epoch,
    plan_validation,
)
from segue.model.training.devices import (
    Processes,
    grad_scaler,
    mixed_precision,
    resolve_device,
    torch_threads,
)
from segue.model.training.loop import train_step
from segue.model.training.losses import loss_means, loss_sums
from segue.model.training.pace import Pace, compute_on
from segue.model.training.signals import StopFlag
from segue.model.tuning.material import HELD_OUT_NOTES

DEFAULT_SECONDS = 60.0
ROUNDS = 8
"""A round is an epoch of the tuning pieces, but at least a quarter of, and at most, this share
of the budget (a round of a few pieces' epoch would see the held-out loss wobble, not fall)."""
HELD_OUT_BATCH = 32
"""Windows per batch when the held-out pieces are scored (no gradients: larger batches are
only faster, and the loss is the same)."""


@dataclass(frozen=True)
class TuneSettings:
    """How a network is tuned: a time budget and training's settings, scaled for a few
    pieces (a lower learning rate, smaller batches, a milder velocity shift)."""

    seconds: float = DEFAULT_SECONDS
    steps: int | None = None
    """At most this many steps, within the budget of seconds (None: as many as it buys). Set,
    the held-out pieces are scored every :data:`ROUNDS`-th share of the steps rather than of
    the seconds, so that a tuning learns the same on a fast or a busy computer: for tests,
    benchmarks and settings compared step for step (a budget of 30 s bought one tuning 23
    steps and another 252 on a loaded 2-core machine)."""
    lr: float = 1e-3
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    batch_size: int = 8
    """Windows per step. A budget of seconds buys steps, not epochs: half the batch gives 1.6-1.9
    times the steps, and a tuning that learns for its whole budget gets further. The tuning's
    own held-out loss (network alone) against 16: the LMMS tracks of bench_tune in the default
    60 s 3.07 against 3.30, in 120 s 2.77 and 2.80 (two runs) against 2.86, 2.89 and 2.92;
    Palestrina 3.04 against 3.06 (60 s) and 2.93 against 2.94 (120 s). Essen songs, which are
    learned by heart and stop early, 2.80 against 2.77 (60 s), 2.78 against 2.77 (120 s): within
    the 2.76-2.80 that their runs land in as the held-out curve of 15 songs wobbles. 4 was worse
    again (LMMS, 120 s: 2.88; it stops early, wobbling)."""
    window: int = 128
    transpose: tuple[int, int] = (-5, 6)
    velocity_shift: tuple[int, int] = (-24, 24)
    """Velocity classes a piece's velocities are shifted by, at random; none for material at
    one velocity throughout (:func:`one_velocity`)."""
    time_scaled: bool = True
    """The network also learns each piece at double and at half its note values
    (``segue.model.tuning.material.time_scaled``; the clip memory is fitted on the pieces as
    they are). Chosen by the tuning's own held-out loss (network alone): Essen
    songs 2.90 -> 2.79, the LMMS tracks of bench_tune 2.78 -> 2.71. Measured again step for
    step (:attr:`steps`, 3 seeds, NLL per note of clips neither tuned on nor held out): they
    slow the first steps (after 60: a musician's E minor basslines 5.23 -> 5.82 nats, house
    chord stabs 0.82 -> 0.98, the bars played at ``--memory 0`` in one of the clips' own
    rhythms 203 -> 120 and 150 -> 30 of 240) and pay off after a few hundred, which a
    default budget buys (after 250: basslines 4.69 -> 4.48, stabs 0.73 -> 0.69, Essen songs
    2.84 -> 2.78 with no early stop; at ``--memory 0`` 240 -> 228 and 239 -> 209 of 240 bars
    in the clips' rhythms, at 0.5 all 240 either way; segue's own arpeggios and leads, which
    the producer model knows, learn nothing either way)."""
    patience: int = 4
    dropout: float | None = 0.3
    """Dropout while tuning (None: the base model's own, 0.1 for the bundled ones). A few
    pieces are learned by heart within a few dozen steps; more dropout slows that, and the
    held-out loss goes lower before it turns (Essen songs: 3.02 -> 2.95 nats with the
    network alone; Palestrina, which learns for the whole budget, is no worse)."""
    toward_base: tuple[float, ...] = (0.1, 0.2, 0.3)
    """Shares of the way back to the base's weights tried at the end, the tuned weights
    interpolated (``(1 - a) * tuned + a * base``, as WiSE-FT does, Wortsman et al. 2022);
    the held-out pieces keep the best of them or the tuned weights as they are (0)."""
    rng_seed: int = 0
    held_out_notes: int = HELD_OUT_NOTES
    """At most this many held-out notes are scored, refitted and calibrated on, drawn
    across the held-out pieces (``segue.model.tuning.material.bounded``)."""
    threads: int | None = None
    """CPU threads; None: all cores or one, whichever takes steps faster as the tuning goes
    (``segue tune``'s default; ``segue.model.training.pace``: on a quiet 2-core computer all
    cores take 1.6 times the steps of one thread, on a busy one a fifteenth). The bridge's
    background tuning uses one, as it shares the computer with Live while the bridge keeps
    answering."""
    device: str = "auto"  # a GPU when there is one (``segue.model.training.devices``)


@dataclass(frozen=True)
class Progress:
    """Where a tuning stands, after each round."""

    steps: int
    seconds: float
    budget: float
    held_out: float  # nats per note now
    best: float  # the lowest so far
    before: float  # before tuning

    @property
    def share(self) -> float:
        """How much of the budget is spent, 0 to 1."""
        return min(1.0, self.seconds / self.budget) if self.budget > 0 else 1.0


@dataclass
class Tuned:
    """A tuned network (the best weights, eval mode, CPU) and how the tuning went."""

    model: Network
    before: float  # held-out nats per note (network alone) before tuning
    after: float  # and with the weights kept
    steps: int
    seconds: float
    status: str  # "time" (budget spent), "steps" (its steps taken), "early-stopped", "stopped"
    toward_base: float = 0.0
    """The share of the way back to the base's weights kept (``TuneSettings.toward_base``)."""


def one_velocity(data: EncodedPieces) -> bool:
    """Whether every note of ``data`` has the same velocity (a score's export, a step
    sequencer's clip): shifting it would teach the network velocities the material never
    has (Essen songs: held-out loss 3.18 -> 3.12-3.14 nats per note without the shift)."""
    notes = np.ones(len(data.steps), dtype=bool)
    notes[data.starts] = False  # each piece's BOS step
    return len(np.unique(data.steps[notes, 3])) <= 1


def held_out_loss(
    model: Network, data: EncodedPieces, window: int, batch_size: int, device: torch.device
) -> float:
    """Mean loss per note (nats, four fields, network alone) of ``data`` as validation
    measures it; infinity without notes."""
    batches = plan_validation(data, window, batch_size)
    means = loss_means(loss_sums(model, data, batches, window, device).cpu())
    return means["total"] if means else math.inf


def _dropouts(net: nn.Module) -> list[tuple[nn.Module, str, float]]:
    """Each dropout of ``net``'s layers: (layer, attribute, value)."""
    found: list[tuple[nn.Module, str, float]] = []
    for m in net.modules():
        if isinstance(m, nn.Dropout):
            found.append((m, "p", m.p))
        elif isinstance(m, nn.RNNBase):
            found.append((m, "dropout", m.dropout))
    return found


def tune_network(
    model: Network,
    train: EncodedPieces,
    held: EncodedPieces,
    settings: TuneSettings,
    stop: StopFlag | None = None,
    report: Callable[[Progress], None] | None = None,
) -> Tuned:
    """Tune a copy of ``model`` on ``train`` for ``settings.seconds``, keeping the weights
    that score best on ``held``. ``report`` hears the progress after each round."""
    device = resolve_device(settings.device)
    with torch_threads(device, settings.threads, Processes()) as threads:
        pace = Pace.of(threads, fixed=settings.threads is not None or device.type != "cpu")
        # dropout draws from torch's generator: seeded here (and put back after), so that
        # a tuning's randomness is its own and the same material tunes alike run to run
        cuda = [device.index or 0] if device.type == "cuda" else []
        with torch.random.fork_rng(devices=cuda):
            torch.manual_seed(settings.rng_seed)
            return _tune(model, train, held, settings, stop or StopFlag(), report, device, pace)


def _tune(
    model: Network,
    train: EncodedPieces,
    held: EncodedPieces,
    settings: TuneSettings,
    stop: StopFlag,
    report: Callable[[Progress], None] | None,
    device: torch.device,
    pace: Pace,
) -> Tuned:
    if one_velocity(train):
        settings = replace(settings, velocity_shift=(0, 0))
    net = copy.deepcopy(model).to(device)
    own = _dropouts(net)  # restored at the end: the tuned model keeps its base's
    for layer, attribute, _ in own:
        if settings.dropout is not None:
            setattr(layer, attribute, settings.dropout)
    amp = mixed_precision(device)
    opt = torch.optim.AdamW(net.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    scaler = grad_scaler(device, amp)
    vocab = net.config.vocab

    def score() -> float:
        compute_on(pace.best)
        return held_out_loss(net, held, settings.window, HELD_OUT_BATCH, device)

    scoring = time.monotonic()
    before = best = score()
    began = time.monotonic()  # the budget is for tuning: it starts after the first score
    # the end's tries towards the base are scored within the budget (a quarter at most)
    reserve = min(len(settings.toward_base) * (began - scoring), settings.seconds / 4)
    learning = settings.seconds - reserve
    best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    per_epoch = batches_per_epoch(train, settings.window, settings.batch_size)
    round_seconds = settings.seconds / ROUNDS
    limit = settings.steps
    round_steps = max(1, math.ceil(limit / ROUNDS)) if limit is not None else 0
    steps = scored = bad = epoch = 0
    status = "time"

    def elapsed() -> float:
        return time.monotonic() - began

    def spent() -> bool:
        return elapsed() >= learning or (limit is not None and steps >= limit)

    def end_round() -> None:
        nonlocal best, best_state, bad, scored
        now, scored = score(), steps
        if now < best - 1e-6:
            best, bad = now, 0
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        else:
            bad += 1
        if report is not None:
            report(Progress(steps, elapsed(), settings.seconds, now, best, before))

    net.train()
    round_began = 0.0
    while status == "time" and not spent():
        plan = plan_epoch(
            train, settings.window, settings.batch_size, rng_seed=settings.rng_seed, epoch=epoch
        )
        epoch += 1
        for b, windows in enumerate(plan):
            if stop.requested:
                status = "stopped"
                break
            if spent():
                break
            batch = make_batch(
                train,
                windows,
                settings.window,
                settings.transpose,
                vocab.n_pitch,
                settings.velocity_shift,
                vocab.n_velocity,
            )
            compute_on(pace.threads())
            stepping = time.perf_counter()
            train_step(net, opt, scaler, batch, device, amp, settings.grad_clip)
            pace.took(time.perf_counter() - stepping, batch.mask.size)
            steps += 1
            if round_steps:
                if steps % round_steps:
                    continue
            else:
                taken = elapsed() - round_began
                if taken < round_seconds and (b < per_epoch - 1 or taken < round_seconds / 4):
                    continue
            end_round()
            net.train()
            round_began = elapsed()
            if bad >= settings.patience:
                status = "early-stopped"
                break
    if status == "time" and limit is not None and steps >= limit:
        status = "steps"
    if steps > scored:  # the steps since the last round (a stop too: what they learnt is kept)
        end_round()
    net.load_state_dict(best_state)
    share = 0.0
    if status != "stopped" and steps:
        share, best = _toward_base(net, model, best_state, settings.toward_base, score, best)
    for layer, attribute, value in own:
        setattr(layer, attribute, value)
    net.cpu().eval()
    return Tuned(net, before, best, steps, elapsed(), status, share)


def _toward_base(
    net: nn.Module,
    base: nn.Module,
    tuned: dict[str, torch.Tensor],
    shares: tuple[float, ...],
    score: Callable[[], float],
    best: float,
) -> tuple[float, float]:
    """Leave ``net`` with the tuned weights moved back towards ``base``'s by the share (of
    ``shares``, or none) that scores best on the held-out pieces: (that share, its score)."""
    own = {k: v.detach().to(tuned[k].device) for k, v in base.state_dict().items()}

    def at(share: float) -> dict[str, torch.Tensor]:
        return {
            k: torch.lerp(v, own[k].to(v.dtype), share) if v.is_floating_point() else v
            for k, v in tuned.items()
        }

    chosen = 0.0
    for share in shares:
        net.load_state_dict(at(share))
        now = score()
        if now < best - 1e-6:
            best, chosen = now, share
    net.load_state_dict(at(chosen) if chosen else tuned)
    return chosen, best

"""How sure a tuned network is, fitted on the held-out pieces (:func:`calibrate`).

A network tuned on a few songs, and the bundled one it starts from, are too sure of
themselves on the next song: most of what tuning gains on other songs' continuations is on
the few notes the base gave almost nothing (3 songs of the LMMS ones bench_tune tunes on,
scored after tuning on 6 others: the 21 of 2,258 notes the base gave under e^-15 gained 148
nats, the other 2,237 gained 42; 4 other songs: 52 of 4,174 gained 217, the rest lost 490).
Each head's logits (offset, pitch and duration) are divided by a temperature, the one of
:data:`TEMPERATURES` under which the held-out pieces' continuations score best as
generation draws them (the loop, the clip memory and the palette mixed in:
``segue.model.loop_fit.continuation_losses``), and it is kept in the heads' last layer, so
generation draws from it too. Velocity, which the continuations are not scored by, is left
as it is.

Measured on the 10 LMMS songs that bench_tune tunes on, never on its 5 test songs (a
tuning of 175-200 steps on 6 of them, the tuning's held-out song choosing the temperature,
the other 3-4 scored: NLL per note, offset, pitch and duration, of their 8-bar windows):
with CapDan-ReggaeTry held out, it chose 1.5 or more (held out 1.096 -> 1.063 at 1.5) and
the four songs scored 1.849 -> 1.792 at 1.5 (their untuned base: 1.783); with Momo64-esp
held out it kept 1 (1.468 against 1.471 at 1.25), where the three songs scored would have
gained (1.106 -> 1.074 at 1.5). On those songs the bundled producer model at 1.5 did
better too (1.188 -> 1.124): the temperature is fitted per tuning, the base kept as it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from segue.model.architecture import Network
from segue.model.loop_fit import (
    ContinuationWindow,
    mean_nats,
    prepare_continuations,
    score_continuations,
    windows_of,
)
from segue.model.tuning.material import Piece

TEMPERATURES = (1.0, 1.25, 1.5)
"""The temperatures tried (1: the network as tuned). None above 1.5: a held-out song or two
is little to fit a confidence on, and the fits above it were its noise. Measured on the 10
LMMS songs bench_tune tunes on, never on its 5 test songs (3 folds: 400 and 700 steps on 6
of them, the weights chosen as ``segue tune`` chooses them, the held-out song fitting the
temperature, the 3-4 others scored, NLL per note of 8-bar windows): the fold holding out
CapDan-ReggaeTry (11 windows) fitted 2 at both step counts, where its other songs did best
at 1.25 (1.256 at 2 against 1.218 at 1.5, 400 steps; 1.258 against 1.222, 700 steps); the
two folds holding out Momo64-esp fitted 1-1.5 and are as they were (helper-242's folds at
200 steps the same: CapDan-ReggaeTry fitted 1.75-2 at every round tuned, where its others did
best at 1-1.25)."""
HEADS = ("offset", "pitch", "duration")
"""The heads tempered: the fields a continuation is scored by."""
WINDOWS = 100
"""At most this many held-out windows score each temperature (spread over them all): about
the work of 64 at each of five temperatures. On the LMMS folds above, 64 windows of
Momo64-esp's 224 kept 1 after 400 steps and 100 chose 1.25, where the other songs went
0.993 -> 0.970 (and all 224 chose as 100 did)."""


@dataclass(frozen=True)
class Calibration:
    """The temperature kept and the held-out continuations' loss (nats per note, offset +
    pitch + duration) at 1 and at it; NaN losses where there was nothing to score."""

    temperature: float
    before: float
    after: float
    windows: int

    def summary(self) -> str:
        if self.temperature == 1.0:
            return "its confidence kept as tuned"
        return (
            f"its confidence tempered by {self.temperature:g} on {self.windows} held-out "
            f"continuations: {self.before:.3f} -> {self.after:.3f} nats/note"
        )

    def to_info(self) -> dict[str, float | int]:
        return {
            "temperature": self.temperature,
            "before": self.before,
            "after": self.after,
            "windows": self.windows,
        }


def last_layers(model: nn.Module) -> list[nn.Linear]:
    """The last linear layer of each of ``model``'s :data:`HEADS` it has."""
    found = []
    for name in HEADS:
        head = getattr(model, f"{name}_head", None)
        last = head[-1] if isinstance(head, nn.Sequential) and len(head) else head
        if isinstance(last, nn.Linear):
            found.append(last)
    return found


@torch.no_grad()
def temper(model: nn.Module, temperature: float) -> None:
    """Divide ``model``'s :data:`HEADS`' logits by ``temperature``, in place."""
    for layer in last_layers(model):
        layer.weight.div_(temperature)
        if layer.bias is not None:
            layer.bias.div_(temperature)


def held_windows(pieces: Sequence[Piece], most: int = WINDOWS) -> list[ContinuationWindow]:
    """Continuation windows of ``pieces`` (``windows_of``), at most ``most``, spread evenly."""
    found = [w for p in pieces for w in windows_of(p.rows, p.time_signature)]
    if len(found) <= most:
        return found
    return [found[i * len(found) // most] for i in range(most)]


def calibrate(
    model: Network, held: Sequence[Piece], temperatures: Sequence[float] = TEMPERATURES
) -> Calibration:
    """Leave ``model`` at the temperature of ``temperatures`` under which the continuations
    of the ``held`` pieces score best (1 when none scores, or the model has no heads to
    temper), and say which. The network's recurrent part runs once over each window: a
    temperature changes only the heads' last layers."""
    windows = held_windows(held)
    if not windows or not last_layers(model):
        return Calibration(1.0, math.nan, math.nan, len(windows))
    ready = prepare_continuations(model, windows)
    scores: dict[float, float] = {}
    at = 1.0
    for t in sorted({1.0, *temperatures}):
        temper(model, t / at)
        at = t
        scores[t] = mean_nats(score_continuations(model, ready))
    valid = {t: s for t, s in scores.items() if not math.isnan(s)}
    best = min(valid, key=lambda t: (valid[t], t)) if valid else 1.0
    temper(model, best / at)
    return Calibration(best, scores[1.0], scores[best], len(windows))

"""The LSTM's generation step, refactored for speed on a CPU.

``segue.model.lstm.SegueLSTM`` is written to be read and trained. Generating, one
note step for a handful of variations, is a different job: every matrix is
multiplied by only 1-16 rows, so the time goes into reading weights and into the
dispatch of many small operations, not into arithmetic. This module does the same
maths as the network's ``encode``, one step at a time, and its heads with less of
both:

* **Input tables.** The first LSTM layer's input is five embeddings, concatenated
  and multiplied by ``weight_ih_l0``. Multiplying each embedding table by its
  slice of that matrix once, up front, turns the product into five row lookups.
* **Head tables.** Each head begins ``Linear(h + given...)``. Its first layer is
  linear, so ``W (h + e[i]) = W h + (W e)[i]``: one product of ``h`` with the four
  first layers stacked serves all four heads, and what the chain adds (offset,
  bar position, pitch, loudness) becomes row lookups in precomputed tables.
* **Packed half-precision weights.** The remaining products go through FBGEMM's
  fp16-weight, fp32-activation kernel where PyTorch has it (x86 with AVX2): half
  the bytes to read and a kernel made for few rows, about 3x faster than an
  fp32 ``linear`` here. The bundled models are stored in fp16, so for them this
  rounds nothing; elsewhere (ARM, say) plain fp32 ``linear`` does the same job.

``tests/model/test_lstm_fused.py`` checks every output against the network's own.
``SegueLSTM.stepper()`` gives one (:func:`fused`: cached on the model until its
weights change); it is the network's :class:`segue.model.architecture.Stepper`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from segue.model.architecture import (
    ModelConfig,
    Readings,
    per_weights,
    read,
    seed_readings,
    weights_version,
)

FUSED_SLOT = "_segue_fused"

State = tuple[Tensor, Tensor]
"""``nn.LSTM``'s state: hidden and cell, each (layers, B, H)."""
Linear = Callable[[Tensor], Tensor]
LayerStates = list[tuple[Tensor, Tensor]]


class LSTMParts(Protocol):
    """What the fused step reads of ``segue.model.lstm.SegueLSTM``."""

    config: ModelConfig
    lstm: nn.LSTM
    in_offset: nn.Embedding
    in_pitch: nn.Embedding
    in_duration: nn.Embedding
    in_velocity: nn.Embedding
    in_position: nn.Embedding | None
    given_offset: nn.Embedding | None
    given_position: nn.Embedding | None
    given_pitch: nn.Embedding | None
    given_loudness: nn.Embedding | None
    offset_head: nn.Sequential
    pitch_head: nn.Sequential
    duration_head: nn.Sequential
    velocity_head: nn.Sequential

    def encode(self, steps: Tensor, state: State | None = None) -> tuple[Tensor, State]: ...

    def parameters(self, recurse: bool = True) -> Iterator[nn.Parameter]: ...


def _fbgemm_available() -> bool:
    """Whether this PyTorch has FBGEMM's fp16-weight linear (x86 builds with AVX2).

    PyTorch marks these functions deprecated (once per process, at first use),
    in favour of a quantization op that costs 25 us more per call here; the probe
    takes that warning, and a PyTorch without them falls back to fp32.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            packed = torch.fbgemm_pack_gemm_matrix_fp16(torch.ones(8, 8))
            torch.fbgemm_linear_fp16_weight_fp32_activation(
                torch.ones(1, 8), packed, torch.zeros(8)
            )
    except (RuntimeError, AttributeError):
        return False
    return True


def _linear(weight: Tensor, bias: Tensor | None, half: bool) -> Linear:
    """``x -> x @ weight.T + bias`` with fp16 packed weights when ``half``."""
    weight = weight.detach().float().contiguous()
    bias = (
        bias.detach().float() if bias is not None else torch.zeros(weight.shape[0])
    ).contiguous()
    if half:
        packed = torch.fbgemm_pack_gemm_matrix_fp16(weight)
        return lambda x: torch.fbgemm_linear_fp16_weight_fp32_activation(x, packed, bias)
    return lambda x: F.linear(x, weight, bias)


@dataclass(frozen=True)
class _Head:
    """The second half of a head: GELU, then the output layer."""

    output: Linear

    def __call__(self, pre: Tensor) -> Tensor:
        return self.output(F.gelu(pre))


class FusedStep:
    """The LSTM's step and chained heads of one model, prepared for inference.

    The methods mirror the network's: :meth:`step` (one step of ``encode``),
    :meth:`offset_logits`, :meth:`after_offset` (returns the pre-activations of the
    later heads rather than a context vector), :meth:`pitch_logits`,
    :meth:`duration_velocity_logits` (or :meth:`duration_logits` alone). :meth:`start` reads
    the seed through the network itself, and keeps its readings in ``seeds`` (:func:`fused`'s:
    the network's own, which ``auto``'s choice reads a clip into; else the stepper's own).
    """

    def __init__(
        self, model: LSTMParts, half: bool | None = None, seeds: Readings | None = None
    ) -> None:
        config = model.config
        self.encode = model.encode
        self.module = cast(nn.Module, model)  # in training mode, dropout reads otherwise
        self.layers = config.layers
        self.hidden = config.hidden
        self.half = _fbgemm_available() if half is None else half
        self.seeds = Readings() if seeds is None else seeds  # the seeds read (start)
        with torch.no_grad():
            lstm = dict(model.lstm.named_parameters())  # weight_ih_l0, bias_hh_l1, ...
            w_ih0 = lstm["weight_ih_l0"].detach().float()
            bias0 = (lstm["bias_ih_l0"] + lstm["bias_hh_l0"]).detach().float()
            # input tables: each embedding times its columns of weight_ih_l0,
            # stacked into one table that one embedding_bag sums rows of
            tables, column = [], 0
            embeddings = [model.in_offset, model.in_pitch, model.in_duration, model.in_velocity]
            if model.in_position is not None:
                embeddings.append(model.in_position)
            for emb in embeddings:
                width = emb.weight.shape[1]
                tables.append(emb.weight.detach().float() @ w_ih0[:, column : column + width].T)
                column += width
            tables[0] = tables[0] + bias0  # every step reads the offset table once
            self.input_table, self.input_starts = _stacked(tables)
            self.recurrent = [_linear(lstm["weight_hh_l0"], None, self.half)]
            for layer in range(1, self.layers):
                w = torch.cat([lstm[f"weight_ih_l{layer}"], lstm[f"weight_hh_l{layer}"]], dim=1)
                b = lstm[f"bias_ih_l{layer}"] + lstm[f"bias_hh_l{layer}"]
                self.recurrent.append(_linear(w, b, self.half))
            # heads: the four first layers in one product, the chain as tables
            heads = [model.offset_head, model.pitch_head, model.duration_head, model.velocity_head]
            firsts = [cast(nn.Linear, head[0]) for head in heads]
            self.first = _linear(
                torch.cat([f.weight for f in firsts]),
                torch.cat([f.bias for f in firsts]),
                self.half,
            )
            outputs = [cast(nn.Linear, head[2]) for head in heads]
            self.heads = [_Head(_linear(out.weight, out.bias, self.half)) for out in outputs]
            w_pitch, w_dur, w_vel = (f.weight.detach().float() for f in firsts[1:])
            later = torch.cat([w_pitch, w_dur, w_vel])  # (3h, h): what ctx feeds

            def table(given: nn.Embedding, weight: Tensor) -> Tensor:
                return given.weight.detach().float() @ weight.T

            # what the chain adds to the later heads' first layers, as row lookups
            told = [
                table(given, later)
                for given in (model.given_offset, model.given_position)
                if given is not None
            ]
            self.told_placement = _stacked(told) if told else None
            self.told_pitch: tuple[Tensor, np.ndarray] | None = None
            if model.given_pitch is not None and model.given_loudness is not None:
                last = torch.cat([w_dur, w_vel])
                self.told_pitch = _stacked(
                    [table(model.given_pitch, last), table(model.given_loudness, last)]
                )

    # ---- the recurrent part -------------------------------------------------------
    def start(
        self, seed_steps: np.ndarray, variations: int, outputs: list[Tensor] | None = None
    ) -> tuple[Tensor, LayerStates]:
        """The seed's steps (T, 5) through the network once; output and state for each of
        ``variations`` rows (``outputs`` receives the output after every step). A seed read
        before (the same clip asked again) is not read again (:class:`Readings`)."""
        h_seq, (h, c) = read(self.seeds, seed_steps, self.encode, self.module.training)
        if outputs is not None:
            outputs.append(h_seq[0])
        last = h_seq[:, -1].expand(variations, -1).contiguous()
        return last, self.state((h.expand(-1, variations, -1), c.expand(-1, variations, -1)))

    def state(self, state: State) -> LayerStates:
        """``nn.LSTM``'s state (layers, B, H) as this class carries it: one pair per layer."""
        return [(state[0][i].contiguous(), state[1][i].contiguous()) for i in range(self.layers)]

    def step(self, fields: np.ndarray, state: LayerStates) -> tuple[Tensor, LayerStates]:
        """One note for a batch: fields (B, 5) int64 -> the top layer's output (B, H), state."""
        gates = _sum_rows(self.input_table, fields[:, : len(self.input_starts)] + self.input_starts)
        h, c = state[0]
        x, c = self._cell(gates + self.recurrent[0](h), c)
        carried = [(x, c)]
        for layer in range(1, self.layers):
            h, c = state[layer]
            x, c = self._cell(self.recurrent[layer](torch.cat([x, h], dim=1)), c)
            carried.append((x, c))
        return x, carried

    def _cell(self, gates: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
        n = self.hidden
        # the input, forget and output gates as views of one sigmoid in one call: each
        # slice of a tensor costs a dispatch (a trance gate's request makes 386 cells)
        into, forget, _, out = torch.sigmoid(gates).chunk(4, dim=1)
        c = forget * c + into * torch.tanh(gates[:, 2 * n : 3 * n])
        return out * torch.tanh(c), c

    # ---- heads: pre-activations of all four first layers, then the chain -----------
    def begin(self, h: Tensor) -> Tensor:
        """The first layers of all four heads on ``h``: (B, 4H), read by the steps below."""
        return self.first(h)

    def offset_logits(self, pre: Tensor) -> np.ndarray:
        return self.heads[0](pre[:, : self.hidden]).numpy()

    def after_offset(self, pre: Tensor, offset: np.ndarray, position: np.ndarray) -> Tensor:
        """Pre-activations of the pitch, duration and velocity heads, told offset and position."""
        later = pre[:, self.hidden :]
        if self.told_placement is None:
            return later
        table, starts = self.told_placement
        rows = np.stack([offset, position][: len(starts)], axis=1) + starts
        return later + _sum_rows(table, rows)

    def pitch_logits(self, later: Tensor) -> np.ndarray:
        return self.heads[1](later[:, : self.hidden]).numpy()

    def duration_velocity_logits(
        self, later: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Duration and velocity logits, told the pitch and the previous note's velocity."""
        last = self._last(later, pitch, previous_velocity)
        return (
            self.heads[2](last[:, : self.hidden]).numpy(),
            self.heads[3](last[:, self.hidden :]).numpy(),
        )

    def duration_logits(
        self, later: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray
    ) -> np.ndarray:
        """:meth:`duration_velocity_logits`' duration alone: the velocity head is not run."""
        return self.heads[2](self._last(later, pitch, previous_velocity)[:, : self.hidden]).numpy()

    def _last(self, later: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray) -> Tensor:
        """Pre-activations of the duration and velocity heads (B, 2H), told the pitch and the
        previous note's velocity."""
        last = later[:, self.hidden :]
        if self.told_pitch is None:
            return last
        table, starts = self.told_pitch
        return last + _sum_rows(table, np.stack([pitch, previous_velocity], axis=1) + starts)


def _sum_rows(table: Tensor, rows: np.ndarray) -> Tensor:
    """For each row of indices (B, k), the sum of those rows of ``table``: (B, width).

    The ATen ``embedding_bag`` op itself, with the bags' offsets made in numpy:
    ``F.embedding_bag`` builds them with torch ops on every call, which costs
    more here than the lookup.
    """
    flat = torch.from_numpy(np.ascontiguousarray(rows, dtype=np.int64).reshape(-1))
    bags = torch.from_numpy(np.arange(0, rows.size, rows.shape[1]))
    return torch.embedding_bag(table, flat, bags, False, 0)[0]


def _stacked(tables: list[Tensor]) -> tuple[Tensor, np.ndarray]:
    """Tables stacked into one, and where each begins (add it to that column's indices)."""
    starts = np.cumsum([0] + [t.shape[0] for t in tables[:-1]])
    return torch.cat(tables).contiguous(), starts


def is_fused(model: LSTMParts) -> bool:
    """Whether the model's :class:`FusedStep` is built for its current weights."""
    cached = model.__dict__.get(FUSED_SLOT)
    return cached is not None and cached[0] == weights_version(cast(nn.Module, model))


def fused(model: LSTMParts) -> FusedStep:
    """The model's :class:`FusedStep`, built once and rebuilt when its weights change; it
    reads seeds into the network's own readings (``architecture.seed_readings``)."""
    module = cast(nn.Module, model)
    return per_weights(module, FUSED_SLOT, lambda: FusedStep(model, seeds=seed_readings(module)))

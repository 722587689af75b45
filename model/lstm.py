"""segue's LSTM: embeddings -> LSTM -> heads chained inside a note.

Step t reads note t (its four fields and its place in the bar) and predicts
note t+1 in three stages, each conditioned on what was chosen before it:

1. the offset (time since note t's onset);
2. the pitch, given the offset and the bar position it lands on;
3. duration and velocity, given offset, position and pitch.

With ``chained=False`` every head reads the LSTM output alone (the predecessor
projects' independent outputs), and with ``bar_position=False`` the model never
sees the bar; both are ablations for the evaluation.

It generates through ``segue.model.lstm_fused``, the same maths made fast for a
CPU.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from segue.model.architecture import ModelConfig, Network, Stepper
from segue.model.lstm_fused import State, fused


def _head(hidden: int, classes: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, classes))


class SegueLSTM(Network):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__(config)
        v, e, h = config.vocab, config.embed, config.hidden
        # inputs: one more class per field for the start-of-piece step
        self.in_offset = nn.Embedding(v.n_offset + 1, e)
        self.in_pitch = nn.Embedding(v.n_pitch + 1, e)
        self.in_duration = nn.Embedding(v.n_duration + 1, e)
        self.in_velocity = nn.Embedding(v.n_velocity + 1, e // 2)
        self.in_position = nn.Embedding(v.n_position, e) if config.bar_position else None
        width = e * (4 if config.bar_position else 3) + e // 2
        self.lstm = nn.LSTM(
            width,
            h,
            config.layers,
            batch_first=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.drop = nn.Dropout(config.dropout)
        # what the later heads are told about the choices made before them
        self.given_offset = nn.Embedding(v.n_offset, h) if config.chained else None
        self.given_position = (
            nn.Embedding(v.n_position, h) if config.chained and config.bar_position else None
        )
        self.given_pitch = nn.Embedding(v.n_pitch, h) if config.chained else None
        # the previous note's velocity, straight to the last heads: loudness carries on
        self.given_loudness = nn.Embedding(v.n_velocity + 1, h) if config.chained else None
        for given in (
            self.given_offset,
            self.given_position,
            self.given_pitch,
            self.given_loudness,
        ):
            if given is not None:
                # Start small: added to the LSTM output, N(0, 1) vectors would drown
                # what the LSTM carries (the loudness so far, the melody's context).
                nn.init.normal_(given.weight, std=0.02)
        self.offset_head = _head(h, v.n_offset)
        self.pitch_head = _head(h, v.n_pitch)
        self.duration_head = _head(h, v.n_duration)
        self.velocity_head = _head(h, v.n_velocity)

    # ---- the recurrent part ------------------------------------------------
    def encode(self, steps: Tensor, state: State | None = None) -> tuple[Tensor, State]:
        """Steps (B, T, 5) -> LSTM outputs (B, T, H) and the carried state."""
        parts = [
            self.in_offset(steps[..., 0]),
            self.in_pitch(steps[..., 1]),
            self.in_duration(steps[..., 2]),
            self.in_velocity(steps[..., 3]),
        ]
        if self.in_position is not None:
            parts.append(self.in_position(steps[..., 4]))
        out, state = self.lstm(torch.cat(parts, dim=-1), state)
        return self.drop(out), state

    # ---- the heads, in the order generation samples them -------------------
    def offset_logits(self, h: Tensor) -> Tensor:
        return self.offset_head(h)

    def after_offset(self, h: Tensor, offset: Tensor, position: Tensor) -> Tensor:
        """The context of the later heads: h told the offset and the bar position."""
        if self.given_offset is None:
            return h
        ctx = h + self.given_offset(offset)
        if self.given_position is not None:
            ctx = ctx + self.given_position(position)
        return ctx

    def pitch_logits(self, ctx: Tensor) -> Tensor:
        return self.pitch_head(ctx)

    def duration_velocity_logits(
        self, ctx: Tensor, pitch: Tensor, previous_velocity: Tensor
    ) -> tuple[Tensor, Tensor]:
        """Duration and velocity logits, told the pitch and the previous note's velocity."""
        ctx = self._told(ctx, pitch, previous_velocity)
        return self.duration_head(ctx), self.velocity_head(ctx)

    def duration_logits(self, ctx: Tensor, pitch: Tensor, previous_velocity: Tensor) -> Tensor:
        """The duration head alone: the velocity head is not run."""
        return self.duration_head(self._told(ctx, pitch, previous_velocity))

    def _told(self, ctx: Tensor, pitch: Tensor, previous_velocity: Tensor) -> Tensor:
        """The last heads' context: ``ctx`` told the pitch and the previous note's velocity."""
        if self.given_pitch is not None:
            ctx = ctx + self.given_pitch(pitch)
        if self.given_loudness is not None:
            ctx = ctx + self.given_loudness(previous_velocity)
        return ctx

    # ---- generation ------------------------------------------------------------
    def stepper(self) -> Stepper:
        """The fused step (``segue.model.lstm_fused.FusedStep``), built once per set of weights."""
        return fused(self)

"""The segue network: embeddings -> LSTM -> heads chained inside a note.

Step t reads note t (its four fields and its place in the bar) and predicts
note t+1 in three stages, each conditioned on what was chosen before it:

1. the offset (time since note t's onset);
2. the pitch, given the offset and the bar position it lands on;
3. duration and velocity, given offset, position and pitch.

With ``chained=False`` every head reads the LSTM output alone (the seed
projects' independent outputs), and with ``bar_position=False`` the model never
sees the bar; both are ablations for the evaluation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from segue.model.memory import check_weights
from segue.model.pitch_classes import check_weight
from segue.model.vocab import Vocab

State = tuple[Tensor, Tensor]


@dataclass(frozen=True)
class ModelConfig:
    vocab: Vocab = field(default_factory=Vocab)
    embed: int = 64
    hidden: int = 256
    layers: int = 2
    dropout: float = 0.1
    chained: bool = True
    bar_position: bool = True
    memory: tuple[float, ...] = ()
    """The clip memory's weight per match length (see ``segue.model.memory``), fitted
    after training; empty: not fitted, generation uses the network alone."""
    pitch_class_weight: float = 0.0
    """How hard the clip's pitch classes pull the network's pitch (see
    ``segue.model.pitch_classes``), fitted with the memory; 0: no pull."""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["vocab"] = self.vocab.to_dict()
        d["memory"] = list(self.memory)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfig:
        d = dict(d)
        d["vocab"] = Vocab.from_dict(d["vocab"])
        d["memory"] = check_weights(d.get("memory", ()))
        d["pitch_class_weight"] = check_weight(d.get("pitch_class_weight", 0.0))
        return cls(**d)


def _head(hidden: int, classes: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, classes))


class SegueLSTM(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        v, e, h = config.vocab, config.embed, config.hidden
        # inputs: one more class per field for the start-of-piece step
        self.in_offset = nn.Embedding(v.n_offset + 1, e)
        self.in_pitch = nn.Embedding(v.n_pitch + 1, e)
        self.in_duration = nn.Embedding(v.n_duration + 1, e)
        self.in_velocity = nn.Embedding(v.n_velocity + 1, e // 2)
        self.in_position = nn.Embedding(v.n_position, e) if config.bar_position else None
        width = e * (4 if config.bar_position else 3) + e // 2
        self.lstm = nn.LSTM(width, h, config.layers, batch_first=True,
                            dropout=config.dropout if config.layers > 1 else 0.0)
        self.drop = nn.Dropout(config.dropout)
        # what the later heads are told about the choices made before them
        self.given_offset = nn.Embedding(v.n_offset, h) if config.chained else None
        self.given_position = (nn.Embedding(v.n_position, h)
                               if config.chained and config.bar_position else None)
        self.given_pitch = nn.Embedding(v.n_pitch, h) if config.chained else None
        # the previous note's velocity, straight to the last heads: loudness carries on
        self.given_loudness = nn.Embedding(v.n_velocity + 1, h) if config.chained else None
        for given in (self.given_offset, self.given_position, self.given_pitch,
                      self.given_loudness):
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

    def step(self, steps: Tensor, state: State) -> tuple[Tensor, State]:
        """One note for a batch, (B, 5) -> (B, H): the same maths as :meth:`encode`.

        Calls ``torch.lstm_cell`` layer by layer with the LSTM's own weights,
        which is faster than ``nn.LSTM`` for a single step at inference.
        """
        parts = [
            self.in_offset(steps[:, 0]),
            self.in_pitch(steps[:, 1]),
            self.in_duration(steps[:, 2]),
            self.in_velocity(steps[:, 3]),
        ]
        if self.in_position is not None:
            parts.append(self.in_position(steps[:, 4]))
        x = torch.cat(parts, dim=-1)
        hs, cs = [], []
        for layer in range(self.config.layers):
            weights = [getattr(self.lstm, f"{name}_l{layer}")
                       for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            h, c = torch.lstm_cell(x, (state[0][layer], state[1][layer]), *weights)
            hs.append(h)
            cs.append(c)
            x = h
        return x, (torch.stack(hs), torch.stack(cs))

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
        if self.given_pitch is not None:
            ctx = ctx + self.given_pitch(pitch)
        if self.given_loudness is not None:
            ctx = ctx + self.given_loudness(previous_velocity)
        return self.duration_head(ctx), self.velocity_head(ctx)

    # ---- training ------------------------------------------------------------
    def forward(self, steps: Tensor, targets: Tensor) -> dict[str, Tensor]:
        """Teacher-forced logits for each field of the next note.

        ``steps`` and ``targets`` are (B, T, 5); ``targets[:, t]`` is the note
        after ``steps[:, t]``. Padded target rows may hold any valid index.
        """
        h, _ = self.encode(steps)
        offset, pitch, position = targets[..., 0], targets[..., 1], targets[..., 4]
        ctx = self.after_offset(h, offset, position)
        duration, velocity = self.duration_velocity_logits(ctx, pitch, steps[..., 3])
        return {
            "offset": self.offset_logits(h),
            "pitch": self.pitch_logits(ctx),
            "duration": duration,
            "velocity": velocity,
        }


def field_losses(
    logits: dict[str, Tensor], targets: Tensor, mask: Tensor
) -> dict[str, Tensor]:
    """Mean cross-entropy (nats per note) of each field over the unmasked targets."""
    columns = {"offset": 0, "pitch": 1, "duration": 2, "velocity": 3}
    flat_mask = mask.reshape(-1)
    losses = {}
    for name, col in columns.items():
        lg = logits[name].reshape(-1, logits[name].shape[-1])[flat_mask]
        tg = targets[..., col].reshape(-1)[flat_mask]
        losses[name] = F.cross_entropy(lg.float(), tg)
    return losses


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())

"""What every network of segue is: its configuration, its methods, and its generation step.

A network reads notes as steps (B, T, 5: offset, pitch, duration and velocity
classes and the bar position, see ``segue.model.vocab``) and predicts the next
note field by field, each field told the ones chosen before it: the offset,
then the pitch (told the offset and the bar position it lands on), then
duration and velocity (told the pitch and the previous note's loudness).

:class:`Network` is that contract. Training and likelihood call it
teacher-forced (``model(steps, targets)``); checkpoints store its
:class:`ModelConfig`, whose ``architecture`` names its class in
``segue.model.architectures``; generation asks it for a :class:`Stepper` and
calls that once per note. :class:`ModuleStepper` is a stepper built from the
network's own methods, so any network generates; one may answer
:meth:`Network.stepper` with a faster one of its own (the LSTM does).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, TypeVar, cast

import numpy as np
import torch
from torch import Tensor, nn

from segue.model.array_keys import array_key
from segue.model.loop import LoopTable, check_loop
from segue.model.memory import check_weights
from segue.model.memory_views import check_views
from segue.model.pitch_classes import check_weight
from segue.model.vocab import Vocab

DEFAULT_ARCHITECTURE = "lstm"
"""The network of checkpoints written before there was a choice, and of new runs."""


@dataclass(frozen=True)
class ModelConfig:
    """A network's architecture and sizes, and what was fitted after training."""

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
    memory_views: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """The clip memory's views (the same intervals, scale steps or rhythm; see
    ``segue.model.memory_views``): each one's weight per match length, fitted with the
    memory; a view not named is not used."""
    loop: tuple[float, ...] = ()
    """How often a continuation repeats the clip's loop, per cell (see
    ``segue.model.loop``), fitted after training; empty: no loop, the clip memory alone."""
    loop_slip: float = 0.0
    """How often a repeated note takes another duration."""
    loop_velocity_slip: float = 0.0
    """How often a repeated note takes another velocity."""
    loop_strength: float = 1.0
    """How faithfully the loop is kept at memory 1 (``1 - (1 - phi) ** strength``)."""
    loop_after: tuple[float, ...] = ()
    """How often a continuation repeats the loop, per cell, by whether the notes before
    repeated it (the likelihood's; empty: ``loop`` after any)."""
    palette: bool = False
    """Mix the clip's palette into the network's choices, weighted as each clip's own notes
    say (see ``segue.model.palette``)."""
    drums: bool = False
    """A drum model: its notes are drum pads (General MIDI, see ``segue.drums``), not pitches."""
    architecture: str = DEFAULT_ARCHITECTURE
    """The network's name in ``segue.model.architectures`` (checkpoints written before
    there was a choice lack it: they load as :data:`DEFAULT_ARCHITECTURE`)."""
    transpositions: tuple[int, ...] = ()
    """The moves (semitones) the model is the mixture of its network over, each as likely
    before a note is heard (``segue.model.transpositions``): a tuned model that hears the
    song's key, chosen by ``segue tune`` on its held-out pieces; empty (every bundled model,
    and checkpoints written before it): the network as it is."""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["vocab"] = self.vocab.to_dict()
        d["memory"] = list(self.memory)
        d["memory_views"] = {name: list(w) for name, w in self.memory_views.items()}
        d["loop"] = list(self.loop)
        d["loop_after"] = list(self.loop_after)
        d["transpositions"] = list(self.transpositions)
        return d

    def loop_table(self) -> LoopTable | None:
        """The fitted loop (``segue.model.loop``), or None."""
        return check_loop(
            self.loop, self.loop_slip, self.loop_velocity_slip, self.loop_strength, self.loop_after
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelConfig:
        d = dict(d)
        d["vocab"] = Vocab.from_dict(d["vocab"])
        d["memory"] = check_weights(d.get("memory", ()))
        d["pitch_class_weight"] = check_weight(d.get("pitch_class_weight", 0.0))
        d["memory_views"] = check_views(d.get("memory_views", {}))
        table = check_loop(
            d.get("loop", ()),
            d.get("loop_slip", 0.0),
            d.get("loop_velocity_slip", 0.0),
            d.get("loop_strength", 1.0),
            d.get("loop_after", ()),
        )
        d["loop"] = table.phi if table else ()
        d["loop_after"] = table.after if table else ()
        d["transpositions"] = check_transpositions(d.get("transpositions", ()))
        return cls(**d)


def check_transpositions(shifts: Any) -> tuple[int, ...]:
    """A checkpoint's :attr:`ModelConfig.transpositions`, checked: distinct whole semitones
    within an octave either way, 0 (no move) among them; empty: no mixture."""
    out = tuple(int(s) for s in shifts)
    if out and (0 not in out or len(set(out)) != len(out) or any(abs(s) > 12 for s in out)):
        raise ValueError(f"transpositions {list(out)}: distinct semitones within 12, with 0")
    return out


class Stepper(Protocol):
    """One network's generation, a note at a time for a batch of variations.

    Generation calls :meth:`start` once with the seed, then for every note
    :meth:`begin`, the three head methods in order, and :meth:`step` with the
    chosen note. What :meth:`begin` and :meth:`after_offset` return and what the
    state holds is the stepper's own business; generation only passes them on.
    """

    def start(
        self, seed_steps: np.ndarray, variations: int, outputs: list[Tensor] | None = None
    ) -> tuple[Tensor, Any]:
        """The seed's steps (T, 5), read once: the output after its last step and the state,
        both for ``variations`` rows. ``outputs``, when given, receives the outputs after
        every step (T, H): what the heads read, teacher-forced, of the seed's own notes."""
        ...

    def step(self, fields: np.ndarray, state: Any) -> tuple[Tensor, Any]:
        """One chosen note per row (B, 5) int64 -> the output after it and the new state."""
        ...

    def begin(self, h: Tensor) -> Tensor:
        """What the heads read of the output ``h``, for the calls below."""
        ...

    def offset_logits(self, pre: Tensor) -> np.ndarray: ...

    def after_offset(self, pre: Tensor, offset: np.ndarray, position: np.ndarray) -> Tensor:
        """The later heads' context, told the chosen offset and bar position."""
        ...

    def pitch_logits(self, ctx: Tensor) -> np.ndarray: ...

    def duration_velocity_logits(
        self, ctx: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]: ...

    def duration_logits(
        self, ctx: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray
    ) -> np.ndarray:
        """:meth:`duration_velocity_logits`' duration alone, bit for bit, without running the
        velocity head (the palette's pass over the seed reads no velocity)."""
        ...


Made = TypeVar("Made")


def weights_version(model: nn.Module) -> tuple[tuple[int, int], ...]:
    """A key that changes when any of ``model``'s weights is replaced or changed in place:
    each parameter's identity and version counter (which every in-place change bumps: an
    optimiser's step, ``load_state_dict``'s copy), read as ``model.parameters()`` reads them,
    from every module's ``_parameters``, without the names and the set of parameters seen
    that it builds: a shared parameter counts twice. 10 us for a bundled model, against 35
    us through ``parameters()``; :func:`per_weights` asks 3-8 times a request."""
    return tuple(_parameter_versions(model, []))


def _parameter_versions(module: nn.Module, into: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``into`` with (identity, version) of ``module``'s own parameters, then its children's,
    depth first: ``nn.Module.parameters``' order."""
    for p in module._parameters.values():
        if p is not None:
            into.append((id(p), p._version))
    for child in module._modules.values():
        if child is not None:
            _parameter_versions(child, into)
    return into


def per_weights(model: nn.Module, slot: str, build: Callable[[], Made]) -> Made:
    """What ``build`` makes of ``model``, made once per set of its weights: kept on the model
    under ``slot`` and made again when a weight changes (a tuning in the bridge)."""
    key = weights_version(model)
    cached = model.__dict__.get(slot)
    if cached is None or cached[0] != key:
        cached = (key, build())
        model.__dict__[slot] = cached
    return cached[1]


READINGS = 16
"""How many clips' readings a set of weights remembers (:class:`Readings`): a musician asks
again and again for the same clip (more takes, another temperature), as ``auto`` remembers
its choice for (``segue.model.choice.REMEMBERED``)."""


class Readings:
    """What a network read of its latest :data:`READINGS` clips, by a key that holds all it
    read them from: the same clip read again (the next takes of a clip) costs nothing, and
    gives what reading it gave, bit for bit. Kept with the weights (:func:`per_weights`),
    so a tuning reads afresh; a bridge reads for clients on several threads."""

    def __init__(self, size: int = READINGS) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, key: Hashable, read: Callable[[], Made]) -> Made:
        """The reading kept for ``key``, else ``read()``'s, kept."""
        key = (key, torch.get_num_threads())  # another thread count may round otherwise
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return cast(Made, self._kept[key])
        made = read()
        with self._lock:
            self._kept[key] = made
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._kept)

    def __reduce__(self) -> tuple[type[Readings], tuple[int]]:
        """A copy (a tuning copies the model it tunes) reads afresh: its weights will change."""
        return Readings, (self.size,)


SEEDS_SLOT = "_segue_seeds"
"""Where a network keeps its readings of its latest seeds (:func:`seed_readings`)."""
Encode = Callable[[Tensor], tuple[Tensor, Any]]
"""A network's ``encode`` over steps (B, T, 5), from the start of a piece."""


def seed_readings(model: nn.Module) -> Readings:
    """The network's readings of its latest seeds (:func:`read`), kept with its weights: one
    pass over a clip serves ``auto``'s choice (``segue.model.choice.surprise``) and the
    chosen model's generation from it (its stepper's ``start``)."""
    return per_weights(model, SEEDS_SLOT, Readings)


def read(
    readings: Readings, steps: np.ndarray, encode: Encode, training: bool = False
) -> tuple[Tensor, Any]:
    """``encode``'s outputs (1, T, H) after each of ``steps`` (T, 5) and its state after the
    last, kept in ``readings`` by the steps whole (and ``training``: dropout's mode). The
    outputs after steps[:-1] are those of a reading of steps[:-1] alone, bit for bit (a
    network reads forwards): scoring a clip's notes reads all its steps, as generating from
    them does."""
    return readings((array_key(steps), training), lambda: _encoded(encode, steps))


@torch.inference_mode()
def _encoded(encode: Encode, steps: np.ndarray) -> tuple[Tensor, Any]:
    return encode(torch.from_numpy(steps)[None])


class Network(nn.Module, ABC):
    """A segue network: a sequence model under the chain of heads described above.

    A subclass builds its layers from ``config`` and implements :meth:`encode`
    and the four head methods; :meth:`forward` (training, likelihood) and
    :meth:`stepper` (generation) are built from them.
    """

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config

    @abstractmethod
    def encode(self, steps: Tensor, state: Any = None) -> tuple[Tensor, Any]:
        """Steps (B, T, 5) -> outputs (B, T, H) and the state carried after the last step
        (None: start of a piece). It reads forwards: output t depends on steps up to t
        only, and encoding in parts, carrying the state, gives what encoding the whole
        gives."""

    @abstractmethod
    def offset_logits(self, h: Tensor) -> Tensor:
        """The next note's offset, from the output after the note before it."""

    @abstractmethod
    def after_offset(self, h: Tensor, offset: Tensor, position: Tensor) -> Tensor:
        """The context of the later heads: ``h`` told the offset and the bar position."""

    @abstractmethod
    def pitch_logits(self, ctx: Tensor) -> Tensor:
        """The next note's pitch, from :meth:`after_offset`'s context."""

    @abstractmethod
    def duration_velocity_logits(
        self, ctx: Tensor, pitch: Tensor, previous_velocity: Tensor
    ) -> tuple[Tensor, Tensor]:
        """Duration and velocity logits, told the pitch and the previous note's velocity."""

    def duration_logits(self, ctx: Tensor, pitch: Tensor, previous_velocity: Tensor) -> Tensor:
        """:meth:`duration_velocity_logits`' duration alone (scoring a clip leaves its
        velocities out: ``segue.model.choice.surprise``); a network may skip the velocity."""
        return self.duration_velocity_logits(ctx, pitch, previous_velocity)[0]

    def forward(self, steps: Tensor, targets: Tensor) -> dict[str, Tensor]:
        """Teacher-forced logits for each field of the next note.

        ``steps`` and ``targets`` are (B, T, 5); ``targets[:, t]`` is the note
        after ``steps[:, t]``. Padded target rows may hold any valid index.
        """
        h, _ = self.encode(steps)
        return self.heads(h, steps, targets)

    def heads(
        self, h: Tensor, steps: Tensor, targets: Tensor, velocity: bool = True
    ) -> dict[str, Tensor]:
        """:meth:`forward`'s logits from the recurrent outputs ``h`` after ``steps`` (of
        :meth:`encode`, or kept: a calibration's temperatures, a clip auto scored), the heads
        chained as the network chains them; without the ``velocity`` head where a clip is
        scored without its velocities (``segue.model.choice.surprise``)."""
        offset, pitch, position = targets[..., 0], targets[..., 1], targets[..., 4]
        ctx = self.after_offset(h, offset, position)
        logits = {"offset": self.offset_logits(h), "pitch": self.pitch_logits(ctx)}
        if not velocity:
            return {**logits, "duration": self.duration_logits(ctx, pitch, steps[..., 3])}
        duration, loudness = self.duration_velocity_logits(ctx, pitch, steps[..., 3])
        return {**logits, "duration": duration, "velocity": loudness}

    def stepper(self) -> Stepper:
        """How this network generates: :class:`ModuleStepper` unless it has a faster way."""
        return ModuleStepper(self)


class ModuleStepper:
    """A :class:`Stepper` from a network's own methods: :meth:`Network.encode` one note at a
    time, carrying its state, and its heads on tensors."""

    def __init__(self, network: Network) -> None:
        self.network = network

    def start(
        self, seed_steps: np.ndarray, variations: int, outputs: list[Tensor] | None = None
    ) -> tuple[Tensor, Any]:
        history = torch.from_numpy(seed_steps)[None].expand(variations, -1, -1)
        h, state = self.network.encode(history)
        if outputs is not None:
            outputs.append(h[0])
        return h[:, -1], state

    def step(self, fields: np.ndarray, state: Any) -> tuple[Tensor, Any]:
        h, state = self.network.encode(torch.from_numpy(fields)[:, None], state)
        return h[:, 0], state

    def begin(self, h: Tensor) -> Tensor:
        return h

    def offset_logits(self, pre: Tensor) -> np.ndarray:
        return self.network.offset_logits(pre).numpy()

    def after_offset(self, pre: Tensor, offset: np.ndarray, position: np.ndarray) -> Tensor:
        return self.network.after_offset(pre, _classes(offset), _classes(position))

    def pitch_logits(self, ctx: Tensor) -> np.ndarray:
        return self.network.pitch_logits(ctx).numpy()

    def duration_velocity_logits(
        self, ctx: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        duration, velocity = self.network.duration_velocity_logits(
            ctx, _classes(pitch), _classes(previous_velocity)
        )
        return duration.numpy(), velocity.numpy()

    def duration_logits(
        self, ctx: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray
    ) -> np.ndarray:
        return self.network.duration_logits(
            ctx, _classes(pitch), _classes(previous_velocity)
        ).numpy()


def _classes(values: np.ndarray) -> Tensor:
    return torch.from_numpy(np.asarray(values, dtype=np.int64))

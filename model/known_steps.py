"""The LSTM's steps a clip's takes took together before, kept: the next takes of the clip
find the network's state there without running it.

A take's state after a step depends only on the seed it continues and on the notes it
played since, one take's row never on another's (each row of the fused step's batch is
its own product and its own cell). On a loop, most notes of most takes repeat the clip's
loop, so the takes of a clip asked again (Generate pressed again, another temperature)
walk the same notes for bars before their first turn or slip: a trance gate's request
stepped the network 192 times, the first 97 (the bars before the takes' turns) with every
take's state known from the requests before. :class:`KnownSteps` keeps the states that two
takes or more of a request reached together, as a tree of the notes played since the seed
(a node per state, its children by the next note); :class:`KnownStepper` steps the fused
network of one request through it: a step whose every take's note leads to a known state
takes those states (a copy of the same bits); any other step runs the network and keeps the
states takes reached together, while there is room (:data:`KNOWN_ROWS` per clip), until a
take leaves the others' notes (after that, the network's own steps). A clip's first request
keeps nothing (a new clip each time costs what it cost). The trees live with the model's
weights, as its readings of seeds do (``architecture.per_weights``): a tuning starts afresh;
the latest :data:`KNOWN_CLIPS` clips (their seed steps and number of takes) have one each.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import torch
from torch import Tensor, nn

from segue.model.architecture import Readings, Stepper, per_weights
from segue.model.array_keys import array_key
from segue.model.lstm_fused import FusedStep, LayerStates

KNOWN_SLOT = "_segue_known_steps"
"""Where a network keeps the states its latest clips' takes reached (:func:`known_stepper`)."""
KNOWN_CLIPS = 4
"""How many clips' trees a set of weights keeps (the latest asked)."""
KNOWN_ROWS = 1024
"""How many states a clip's tree keeps at most: a take's state is 4 KB of a bundled model
(2 layers of 256, hidden and cell), so 4 MB a clip. A trance gate's takes reach about 100
together, the first time it is asked again."""
SEED = -1
"""The node of the state after the seed: every take starts there."""
LOST = -2
"""The node of a take that left the notes the others played with it, or whose state the tree
has no room for: nothing after it is known."""

Edge = tuple[int, tuple[int, ...]]
"""A node and the next note's fields (offset, pitch, duration, velocity, position)."""


class KnownSteps:
    """The states one clip's takes reached together, as a tree of the notes played after its
    seed: a node per state, numbered in the order they were kept, its children by the next
    note. A bridge steps for clients on several threads: a state is written before its node
    is found by others."""

    def __init__(self, layers: int, hidden: int, size: int = KNOWN_ROWS) -> None:
        self.layers, self.hidden, self.size = layers, hidden, size
        self._next: dict[Edge, int] = {}
        self._states: Tensor | None = None  # (size, 2 * layers * hidden), made at the first
        self._count = 0
        self._asked = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many states are kept."""
        return self._count

    def asked_again(self) -> bool:
        """Whether the clip was asked before this request (counted here): a clip asked once
        (a new clip each time) keeps nothing, and its steps cost what they cost."""
        with self._lock:
            self._asked += 1
            return self._asked > 1

    def nodes(self, edges: Sequence[Edge]) -> list[int]:
        """The node each edge leads to, :data:`LOST` where none is kept."""
        return [self._next.get(edge, LOST) for edge in edges]

    def state_of(self, nodes: list[int]) -> tuple[Tensor, LayerStates]:
        """The kept states of ``nodes``, one row each, as ``FusedStep.step`` returns them:
        the top layer's output and each layer's hidden and cell."""
        assert self._states is not None  # (a node is kept)
        rows = torch.index_select(self._states, 0, torch.tensor(nodes))
        parts = rows.split(self.hidden, dim=1)  # h and c of each layer, in order
        state = [(parts[2 * layer], parts[2 * layer + 1]) for layer in range(self.layers)]
        return state[-1][0], state

    def kept(self, edges: Sequence[Edge], nodes: list[int], state: LayerStates) -> list[int]:
        """Each row's node after its ``edges`` (``nodes``: those kept already), the states
        (``state``: each layer's hidden and cell, one row per edge) that two takes or more
        reached together kept once, while there is room: a take that left the others' notes
        (its own turn, a slip) is :data:`LOST`, as is a row with no room; its notes are
        seldom played again, and keeping them cost more than their finds saved."""
        new: dict[Edge, list[int]] = {}  # each edge not yet kept: its rows
        for row, (edge, node) in enumerate(zip(edges, nodes, strict=True)):
            if node == LOST and edge[0] != LOST:
                new.setdefault(edge, []).append(row)
        shared = [(edge, rows[0]) for edge, rows in new.items() if len(rows) > 1]
        if not shared:
            return nodes
        with self._lock:
            first = self._count
            room = min(len(shared), self.size - first)
            self._count += room
            if self._states is None:
                self._states = torch.empty(self.size, 2 * self.layers * self.hidden)
        if room:
            made = torch.cat([part for layer in state for part in layer], dim=1)
            self._states[first : first + room] = made[[row for _, row in shared[:room]]]
            for number, (edge, _) in enumerate(shared[:room], start=first):
                self._next[edge] = number
        return self.nodes(edges)


class KnownStepper:
    """A request's stepper: the fused network's (``lstm_fused.FusedStep``), whose steps go
    through the clip's :class:`KnownSteps` (a known state taken, not computed), each take's
    place in it carried from step to step, until a take leaves the known notes (nothing
    after it is known: the steps are the network's own); the heads are the network's own."""

    def __init__(self, net: FusedStep, known: KnownSteps) -> None:
        self.net, self.known = net, known
        self._at: list[int] = []
        self._lost = False

    def start(
        self, seed_steps: np.ndarray, variations: int, outputs: list[Tensor] | None = None
    ) -> tuple[Tensor, LayerStates]:
        """``FusedStep.start``; every take at the seed's node."""
        self._at, self._lost = [SEED] * variations, False
        return self.net.start(seed_steps, variations, outputs)

    def step(self, fields: np.ndarray, state: LayerStates) -> tuple[Tensor, LayerStates]:
        """``FusedStep.step``'s output and state, bit for bit: taken from the tree where every
        take's note leads to a known state, else computed and kept."""
        if self._lost:  # a take left the known notes: no later step is known
            return self.net.step(fields, state)
        edges = [(at, tuple(row)) for at, row in zip(self._at, fields.tolist(), strict=True)]
        nodes = self.known.nodes(edges)
        if LOST not in nodes:
            self._at = nodes
            return self.known.state_of(nodes)
        h, state = self.net.step(fields, state)
        self._at = self.known.kept(edges, nodes, state)
        self._lost = LOST in self._at
        return h, state

    def begin(self, h: Tensor) -> Tensor:
        return self.net.begin(h)

    def offset_logits(self, pre: Tensor) -> np.ndarray:
        return self.net.offset_logits(pre)

    def after_offset(self, pre: Tensor, offset: np.ndarray, position: np.ndarray) -> Tensor:
        return self.net.after_offset(pre, offset, position)

    def pitch_logits(self, ctx: Tensor) -> np.ndarray:
        return self.net.pitch_logits(ctx)

    def duration_velocity_logits(
        self, ctx: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.net.duration_velocity_logits(ctx, pitch, previous_velocity)

    def duration_logits(
        self, ctx: Tensor, pitch: np.ndarray, previous_velocity: np.ndarray
    ) -> np.ndarray:
        return self.net.duration_logits(ctx, pitch, previous_velocity)


def known_stepper(model: nn.Module, net: Stepper, seed_steps: np.ndarray, rows: int) -> Stepper:
    """``net`` (``model``'s stepper) stepping through the states the takes of this seed
    (``seed_steps``, in ``rows`` takes) reached before (:class:`KnownStepper`), where it is
    the fused LSTM's on FBGEMM's fp16 kernels (x86: Linux, Windows, an Intel Mac), whose rows
    CI finds bit for bit alike in any batch; any other stepper as it is (fp32 elsewhere, an
    Apple silicon Mac's: ``test_known_steps`` there says whether its rows are too)."""
    if not isinstance(net, FusedStep) or not net.half:
        return net  # fp32 (no FBGEMM: an Apple silicon Mac) unchecked bit for bit there
    clips = per_weights(model, KNOWN_SLOT, lambda: Readings(KNOWN_CLIPS))
    known = clips(
        (array_key(seed_steps), rows, net.half), lambda: KnownSteps(net.layers, net.hidden)
    )
    return KnownStepper(net, known) if known.asked_again() else net

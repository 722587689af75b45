"""The CPU threads that take steps fastest now, measured as they are taken (:class:`Pace`).

On a quiet computer all cores take a step fastest (2 cores: about 1.6 times the steps of
one thread). On a busy one they can be many times slower than one thread: PyTorch's
threads meet after each operation, and one waits, spinning, for a partner the system has
put aside for another job (Live playing, a test run). The bundled melody model tuned on
Bach chorale parts on a 2-core machine with two other jobs running took 1,425 ms a step
on two threads and 95 ms on one, and held-out scoring slowed alike: a 30 s budget bought
13 steps. A tuning is bounded by seconds, and a training run by the musician's evening, so
each (``segue tune``, ``segue train`` in one process, when no ``--threads`` is given)
measures both counts on its own steps and uses the faster, trying the other again from
time to time (a busy computer gets quiet, a quiet one busy) within :data:`SHARE` of the
time. The count changes how fast a step is
taken, not what it computes (one and two threads give the same weights, bit for bit).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import torch

TRIAL = 3
"""Steps a thread count is timed on before it is compared (their median: a first step that
allocates, or one the system interrupted, does not decide)."""
SHARE = 0.05
"""At most this share of the time goes to trying a count that is not the fastest (the
first trials apart, and a trial the count in use asks for by slowing below the other's)."""
GIVE_UP = 3.0
"""A trial step this many times slower than the count in use ends the trial at once (a busy
computer's two threads cost a step of 15 of one)."""
SMOOTHING = 0.1
"""The weight of a step's own time in the running rate of the count in use. One step the
system interrupts (another program given the core for a moment) must not put the count in
use behind the other: all cores take a step 1.6 times as fast as one thread on a quiet
computer, so a step k times as long moves the rate SMOOTHING * (k - 1) of it, under the 0.6
between them up to 7 times as long (0.3 let a step 3 times as long decide: one step in 50
taken 4 times as long, and one thread took 66% of the steps). A busy computer's two threads
take a step 15 times as long and still move it over at once."""


@dataclass
class Pace:
    """Which of ``counts`` (CPU threads) to take the next step on: :meth:`threads` before a
    step, :meth:`took` after it. Each count is timed on :data:`TRIAL` steps, the fewest
    threads first; then the fastest is used and the other tried again when the time lost
    to trials is under :data:`SHARE` of the time spent, or at once when the one in use has
    become slower than the other was. A single count is simply used."""

    counts: tuple[int, ...]
    rate: dict[int, float] = field(default_factory=dict)
    """Seconds per unit of work of each count timed: the count in use's running rate, the
    others' last trial."""
    best: int = 0
    """The count in use between trials (the fastest timed), and for work off the steps."""
    spent: float = 0.0  # seconds of all the steps
    lost: float = 0.0  # seconds of trial steps of a count that was not the fastest
    _trying: int | None = None
    _trial: list[float] = field(default_factory=list)
    _trial_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.counts = tuple(sorted(set(self.counts)))
        if not self.counts or self.counts[0] < 1:
            raise ValueError(f"thread counts must be 1 or more, got {self.counts}")
        self.best = self.best if self.best in self.counts else self.counts[0]
        self._next()

    @classmethod
    def of(cls, threads: int, fixed: bool) -> Pace:
        """All of ``threads`` or one, the faster; only ``threads`` when ``fixed`` (asked for)."""
        return cls((threads,) if fixed else (threads, 1))

    def threads(self) -> int:
        """The thread count to take the next step on."""
        return self._trying if self._trying is not None else self.best

    def took(self, seconds: float, work: float) -> None:
        """The step just taken on :meth:`threads` took ``seconds`` for ``work`` (any measure
        of its size: a batch's windows times their steps)."""
        count, rate = self.threads(), seconds / max(work, 1.0)
        self.spent += seconds
        if self._trying is None:
            old = self.rate.get(count, rate)
            self.rate[count] = old + SMOOTHING * (rate - old)
        else:
            self._trial.append(rate)
            self._trial_seconds += seconds
            fastest = self.rate.get(self.best)
            hopeless = count != self.best and fastest is not None and rate > GIVE_UP * fastest
            if len(self._trial) < TRIAL and not hopeless:
                return
            self.rate[count] = statistics.median(self._trial)
            before = self.best
            self.best = min(self.rate, key=lambda c: (self.rate[c], c))
            if self.best != count and count != before:  # a trial of the other, lost
                self.lost += self._trial_seconds
            self._trying, self._trial, self._trial_seconds = None, [], 0.0
        self._next()

    def _next(self) -> None:
        """Start the trial that is due, if one is."""
        untimed = [c for c in self.counts if c not in self.rate]
        if untimed:
            self._trying = untimed[0]
            return
        for count in self.counts:
            if count == self.best:
                continue
            slowed = self.rate[self.best] > self.rate[count]
            if slowed or self.lost <= SHARE * self.spent:
                self._trying = count
                return


def compute_on(count: int) -> None:
    """Have torch compute on ``count`` CPU threads (the caller's ``torch_threads`` block puts
    its own count back at its end)."""
    if torch.get_num_threads() != count:
        torch.set_num_threads(count)

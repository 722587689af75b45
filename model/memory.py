"""The clip's memory: what followed, earlier in the clip, the notes just played.

Music repeats itself. A fiddle tune's second phrase restates its first; a bass
line loops; a chorale's last line echoes its first. The network knows a style
but does not copy a phrase it heard 30 notes ago. The memory does. Before each
new note it finds the longest run of the latest notes that has happened before
in this clip (the seed and what has been generated so far), and proposes the
notes that followed each earlier occurrence of that run, each counting once
(an occurrence matches only up to where it would overlap the latest run, so a
short loop cannot feed on itself). The next note is drawn from a mixture of network and memory::

    p(note) = (1 - w) * p_network(note) + w * p_memory(note)

The weight ``w`` depends on how long the matched run is (bucketed by
:data:`ORDERS`): after a 1-note match memory is a weak hint, after an 8-note
match it is usually right. The weights are fitted by expectation-maximisation
on a validation split (:func:`fit_weights`), so a model repeats about as much as
the music it learnt from, and lowers its held-out loss doing so. This is the
long-term/short-term model combination of IDyOM (Pearce, 2005) with the LSTM as
the long-term model and an exact-context cache as the short-term one.

Memory works on a note's offset, pitch and duration; velocity stays with the
network. Generation draws the source first (:func:`recollect`): with
probability ``w`` the note copies one of memory's proposals, otherwise the
network samples it as usual. Temperature and top-p shape the network's part;
masks (key lock, range, polyphony) apply to both, a copied field they forbid
falling back to the network. The matching is incremental (:class:`Matcher`,
one numpy update per note), and the same code serves generation and the
held-out likelihood. Fitted with the weights: how hard the clip's pitch classes
pull the network's pitch (``segue.model.pitch_classes``), which :class:`Recall`
carries what it needs for.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from segue.model.pitch_classes import PITCH_CLASSES, counts_before, log_shares

ORDERS = (1, 2, 3, 4, 6, 8, 12, 16, 24)
"""Lower bounds of the match-length buckets: bucket i holds runs of ORDERS[i] notes up to
the next bound. A note with no earlier match (length 0) gets no help from memory."""
TOKEN_FIELDS = 3  # offset, pitch, duration classes


def tokens(fields: np.ndarray) -> np.ndarray:
    """One int per note from its offset, pitch and duration classes (n, >=3) -> (n,)."""
    f = np.asarray(fields, dtype=np.int64)
    return (f[..., 0] << 16) | (f[..., 1] << 8) | f[..., 2]


def untokens(token: np.ndarray) -> np.ndarray:
    """The offset, pitch and duration classes of tokens (...) -> (..., 3)."""
    t = np.asarray(token, dtype=np.int64)
    return np.stack([t >> 16, (t >> 8) & 0xFF, t & 0xFF], axis=-1)


_ORDERS = np.asarray(ORDERS)


def buckets(lengths: np.ndarray) -> np.ndarray:
    """The bucket of each match length; -1 for 0 (no match)."""
    return np.searchsorted(_ORDERS, np.asarray(lengths), side="right") - 1


def bucket_weights(bucket: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weight of each bucket (:func:`buckets`; -1, no match: 0)."""
    w = np.asarray(weights, dtype=np.float64)
    return np.where(bucket >= 0, w[np.maximum(bucket, 0)], 0.0)


def length_weights(weights: np.ndarray) -> np.ndarray:
    """Memory's weight for each match length 0 .. ORDERS[-1] (longer ones: the last)."""
    bucket = buckets(np.arange(ORDERS[-1] + 1))
    if len(weights) == 0:
        return np.zeros(len(bucket))
    return bucket_weights(bucket, weights)


def strengthened(weights: np.ndarray, strength: float) -> np.ndarray:
    """The fitted weights at another strength: ``1 - (1 - w) ** strength``.

    Strength 1 is the fitted mixture, 0 turns memory off, 2 repeats the clip about as
    often as two independent chances of 1 would, and so on (the ``memory`` setting goes to 4).
    """
    w = np.asarray(weights, dtype=np.float64)
    if strength == 1.0:
        return w
    return 1.0 - np.power(1.0 - w, strength)


def _suffix_matches(history: np.ndarray) -> np.ndarray:
    """For each j < n - 1, how many notes the history ending at j shares, counting
    backwards, with the whole history (ending at n - 1): one vector step per note of the
    longest match, instead of one update per note of the history."""
    n = len(history)
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    ends = np.arange(n - 1)
    match = np.zeros(n - 1, dtype=np.int64)
    alive = np.ones(n - 1, dtype=bool)
    for back in range(n - 1):
        alive &= (ends >= back) & (history[np.maximum(ends - back, 0)] == history[n - 1 - back])
        if not alive.any():
            break
        match += alive
    return match


class Matcher:
    """Incremental longest-match over a batch of clips that grow one note per step.

    Each row is one clip's history of note tokens. ``match[r, j]`` (j < n - 1) is how
    many notes the history ending at j has in common, counting backwards, with the
    history ending at the latest note n - 1. The candidates for the next note are the
    notes after each j whose match (without overlap, see :meth:`_refresh`) is the
    longest.
    """

    def __init__(self, fields: np.ndarray, rows: int = 1, capacity: int = 256) -> None:
        seed = np.asarray(fields, dtype=np.int64).reshape(-1, np.shape(fields)[-1])
        n = len(seed)
        size = max(capacity, 2 * n + 16)
        self.tokens = np.full((rows, size), -1, dtype=np.int64)
        self.tokens[:, :n] = tokens(seed)
        self._match = np.zeros((rows, size), dtype=np.int64)
        self._match[:, : max(n - 1, 0)] = _suffix_matches(self.tokens[0, :n])
        self.n = n
        self._matched = n  # the notes whose runs are in match (push, matched)
        self._refresh()

    @classmethod
    def stacked(cls, seeds: list[np.ndarray], rows: int, capacity: int = 256) -> Matcher:
        """One matcher for several clips' histories of the same length (each seed (n, >=3)),
        ``rows`` rows for each, in turn: several memories that step together."""
        matcher = cls(seeds[0], rows * len(seeds), capacity)
        n = matcher.n
        for k, seed in enumerate(seeds[1:], start=1):
            block = slice(k * rows, (k + 1) * rows)
            matcher.tokens[block, :n] = tokens(np.asarray(seed).reshape(n, np.shape(seed)[-1]))
            matcher.match[block, : max(n - 1, 0)] = _suffix_matches(matcher.tokens[k * rows, :n])
        matcher._refresh()
        return matcher

    @property
    def rows(self) -> int:
        return self.tokens.shape[0]

    def push(self, fields: np.ndarray) -> None:
        """Append one note per row: fields (rows, >=3) offset, pitch, duration classes. Its
        runs are matched when :attr:`match` is next read (a trance gate's takes, repeating
        their loop, ask the memory nothing in a whole request: 193 updates of every run)."""
        n = self.n
        if n + 1 >= self.tokens.shape[1]:
            self._grow()
        self.tokens[:, n] = tokens(fields)
        self.n = n + 1
        self._stale = True  # the candidates are counted when next asked for (:meth:`longest`)

    @property
    def match(self) -> np.ndarray:
        """(rows, capacity) ``match`` as the class says, for every note pushed so far."""
        while self._matched < self.n:  # each note not matched yet, in the order pushed
            self._matched_to(self._matched)
        return self._match

    def _matched_to(self, n: int) -> None:
        """``match`` once the note at ``n`` is the latest, from ``match`` with the note
        before it latest (what :meth:`push` did at once)."""
        token = self.tokens[:, n]
        if n:
            # the run ending at j extends the run ending at j - 1 when note j equals the new one
            same = self.tokens[:, :n] == token[:, None]
            self._match[:, 1:n] = np.where(same[:, 1:], self._match[:, : n - 1] + 1, 0)
            self._match[:, 0] = same[:, 0]
        self._matched = n + 1

    def _grow(self) -> None:
        extra = self.tokens.shape[1]
        self.tokens = np.concatenate(
            [self.tokens, np.full((self.rows, extra), -1, dtype=np.int64)], axis=1
        )
        self._match = np.concatenate([self._match, np.zeros_like(self._match)], axis=1)

    def _refresh(self) -> None:
        """The matches as candidates count them, and the longest, for the latest note.

        A match is cut where it would overlap the latest run: an earlier occurrence
        must end before the run it matches begins. A loop of a few notes then matches
        only its own length, so a clip does not lock itself into an ever longer, ever
        more certain ostinato.
        """
        n = self.n
        self._stale = False
        if n < 2:
            self._cut = np.zeros((self.rows, 0), dtype=np.int64)
            self._longest = np.zeros(self.rows, dtype=np.int64)
            return
        self._cut = np.minimum(self.match[:, : n - 1], np.arange(n - 1, 0, -1))
        self._longest = self._cut.max(axis=1)

    def longest(self) -> np.ndarray:
        """(rows,) the longest match of each row's latest notes with an earlier run (counted
        here, once after each push: a step whose takes all repeat their loop asks nothing of
        the memory, and a dense loop's takes do at most steps)."""
        if self._stale:
            self._refresh()
        return self._longest

    def followers(self, longest: np.ndarray) -> np.ndarray:
        """(rows, n) which notes followed an earlier occurrence of the longest match."""
        if self._stale:
            self._refresh()
        out = np.zeros((self.rows, self.n), dtype=bool)
        out[:, 1:] = (self._cut == longest[:, None]) & (longest[:, None] > 0)
        return out


@dataclass
class Recollection:
    """For each row, whether its next note comes from memory, and the note it would copy
    (``use`` is narrowed as fields of the copy turn out to be forbidden)."""

    use: np.ndarray  # (rows,) bool
    fields: np.ndarray  # (rows, 3) offset, pitch and duration classes of the copied note
    network_pitch: np.ndarray | None = None
    """(rows,) bool: the copy is a rhythm, its pitch the network's (``segue.model.memory_views``);
    None: every copy brings its pitch."""


def recollect(
    matcher: Matcher, by_length: np.ndarray, rng: np.random.Generator, greedy: bool = False
) -> Recollection | None:
    """Draw, for each row, from memory or from the network, as the mixture weights
    (``by_length``, from :func:`length_weights`; (rows, lengths) for weights of each
    row's own) say.

    From memory means copying the note that followed one earlier occurrence of the
    longest match, each occurrence equally likely. Drawing the source first and then
    the note samples exactly the mixture of :func:`mixed_nll`. ``greedy`` (temperature
    0) copies where memory is the likelier source, the note after the latest
    occurrence. None when no row copies.
    """
    longest = matcher.longest()
    at = np.minimum(longest, by_length.shape[-1] - 1)
    weight = by_length[at] if by_length.ndim == 1 else by_length[np.arange(len(at)), at]
    use = weight > 0.5 if greedy else rng.random(len(weight)) < weight
    if not use.any():
        return None
    followers = matcher.followers(longest)
    if greedy:
        index = followers.shape[1] - 1 - np.argmax(followers[:, ::-1], axis=1)
    else:
        pick = (rng.random(len(weight)) * followers.sum(axis=1)).astype(np.int64)
        index = np.argmax(np.cumsum(followers, axis=1) > pick[:, None], axis=1)
    return Recollection(use, untokens(matcher.tokens[np.arange(len(index)), index]))


# ---------------------------------------------------------------------------
# the held-out likelihood and the fit
# ---------------------------------------------------------------------------
def _no_shares() -> np.ndarray:
    return np.zeros((0, PITCH_CLASSES))


@dataclass(frozen=True)
class Recall:
    """For each note of a piece, what memory knew before it: the bucket of the longest
    match (-1: none) and the share of its proposals that agree with the note's offset,
    offset and pitch, and offset, pitch and duration; and the clip's pitch-class
    log-shares so far (``segue.model.pitch_classes``), with that of the note's own class;
    and, when the loop proposed notes (``segue.model.loop``), the share of memory's
    proposals whose offset and pitch are the loop's (``loop``)."""

    bucket: np.ndarray
    agree: np.ndarray  # (n, 3)
    shares: np.ndarray = field(default_factory=_no_shares)  # (n, 12)
    own: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,)
    loop: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,) or empty

    @classmethod
    def concat(cls, recalls: list[Recall]) -> Recall:
        return cls(
            np.concatenate([r.bucket for r in recalls]),
            np.concatenate([r.agree for r in recalls]).reshape(-1, 3),
            np.concatenate([r.shares for r in recalls]).reshape(-1, PITCH_CLASSES),
            np.concatenate([r.own for r in recalls]),
        )


def recall(fields: np.ndarray, loop: np.ndarray | None = None) -> Recall:
    """Memory's view of every note of one piece (fields (n, >=3): offset, pitch, duration),
    and of the loop's proposal for each (``loop``, (n, >=2): offset and pitch classes)."""
    fields = np.asarray(fields, dtype=np.int64).reshape(-1, np.shape(fields)[-1])
    n = len(fields)
    bucket = np.full(n, -1, dtype=np.int64)
    agree = np.zeros((n, 3))
    proposed = None if loop is None else np.asarray(loop, dtype=np.int64).reshape(n, -1)[:, :2]
    loop_share = np.zeros(n if proposed is not None else 0)
    matcher = Matcher(np.zeros((0, TOKEN_FIELDS)), capacity=n + 2)
    for t in range(n):
        longest = matcher.longest()
        bucket[t] = buckets(longest)[0]
        if bucket[t] >= 0:
            chosen = matcher.followers(longest)[0]
            earlier = untokens(matcher.tokens[0, : matcher.n][chosen])
            same = np.cumprod(earlier == fields[t, :TOKEN_FIELDS], axis=1)
            agree[t] = same.mean(axis=0)
            if proposed is not None:
                loop_share[t] = np.mean(np.all(earlier[:, :2] == proposed[t], axis=1))
        matcher.push(fields[t : t + 1])
    shares = log_shares(counts_before(fields[:, 1]))
    own = shares[np.arange(n), fields[:, 1] % PITCH_CLASSES]
    return Recall(bucket, agree, shares, own, loop_share)


def mixed_nll(
    log_probs: np.ndarray, memory: Recall, weights: np.ndarray, strength: float = 1.0
) -> np.ndarray:
    """Per-note, per-field loss (nats) of the mixture, from the network's log-probabilities
    of each note's true offset, pitch, duration and velocity (n, 4) given the fields
    before it. Without a match (or at strength 0) this is the network's own loss."""
    return joint_losses(mixed_joint(log_probs, memory, weights, strength), log_probs)


def mixed_joint(
    log_probs: np.ndarray, memory: Recall, weights: np.ndarray, strength: float = 1.0
) -> np.ndarray:
    """(n, 3) the mixture's probability of each note's offset; offset and pitch; offset,
    pitch and duration (see :func:`mixed_nll`)."""
    lp = np.asarray(log_probs, dtype=np.float64)
    w = strengthened(np.asarray(weights, dtype=np.float64), strength)
    network = np.exp(np.cumsum(lp[:, :3], axis=1))  # p(o), p(o, p), p(o, p, d)
    if not len(w):
        return network
    weight = bucket_weights(memory.bucket, w)[:, None]
    return (1.0 - weight) * network + weight * memory.agree


def joint_losses(joint: np.ndarray, log_probs: np.ndarray) -> np.ndarray:
    """(n, 4) per-field losses from a joint (n, 3) as :func:`mixed_joint` gives it, and the
    velocity's from the network's log-probabilities (n, 4)."""
    log_joint = np.log(np.maximum(np.asarray(joint, dtype=np.float64), 1e-300))
    out = np.empty((len(log_joint), 4))
    out[:, 0] = -log_joint[:, 0]
    out[:, 1:3] = -(log_joint[:, 1:] - log_joint[:, :-1])
    out[:, 3] = -np.asarray(log_probs, dtype=np.float64)[:, 3]
    return out


def fit_weights(
    log_probs: np.ndarray, memory: Recall, iterations: int = 200, tolerance: float = 1e-7
) -> tuple[float, ...]:
    """The weight of each bucket that maximises the mixture's likelihood (EM)."""
    lp = np.asarray(log_probs, dtype=np.float64)
    return fit_mixture(
        np.exp(lp[:, :3].sum(axis=1)), memory.agree[:, 2], memory.bucket, iterations, tolerance
    )


def fit_mixture(
    base: np.ndarray,
    memory_p: np.ndarray,
    bucket: np.ndarray,
    iterations: int = 200,
    tolerance: float = 1e-7,
) -> tuple[float, ...]:
    """The weight of each bucket that maximises ``(1 - w) * base + w * memory_p``, the
    probabilities of each note (EM); a bucket without notes gets 0."""
    network = np.asarray(base, dtype=np.float64)
    memory_p = np.asarray(memory_p, dtype=np.float64)
    weights = np.full(len(ORDERS), 0.5)
    for _ in range(iterations):
        before = weights.copy()
        for b in range(len(ORDERS)):
            inside = bucket == b
            if not inside.any():
                weights[b] = 0.0
                continue
            w = weights[b]
            ours = w * memory_p[inside]
            total = ours + (1.0 - w) * network[inside]
            weights[b] = float(np.mean(np.where(total > 0, ours / np.maximum(total, 1e-300), 0)))
        if np.abs(weights - before).max() < tolerance:
            break
    return tuple(round(float(min(max(w, 0.0), 0.999)), 4) for w in weights)


def check_weights(weights: Iterable[float]) -> tuple[float, ...]:
    """A stored weight table, checked: () or one weight in [0, 1) per bucket."""
    values = tuple(float(w) for w in weights)
    if values and (
        len(values) != len(ORDERS) or not all(math.isfinite(w) and 0 <= w < 1 for w in values)
    ):
        raise ValueError(f"memory needs {len(ORDERS)} weights in [0, 1), got {list(values)}")
    return values

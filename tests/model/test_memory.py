"""The clip memory: matching, its likelihood and fit, generation with it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from segue.model.architecture import ModelConfig
from segue.model.generate import generate
from segue.model.keys import Key
from segue.model.lstm import SegueLSTM
from segue.model.memory import (
    ORDERS,
    Matcher,
    Recall,
    _suffix_matches,
    buckets,
    fit_weights,
    length_weights,
    mixed_nll,
    recall,
    recollect,
    strengthened,
)
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

STRONG = (0.99,) * len(ORDERS)


def _brute_longest(tokens: list[int], t: int) -> tuple[int, set[int]]:
    """Longest earlier match of tokens[:t]'s suffix, and the positions that followed it."""
    best, followers = 0, set()
    for j in range(t - 1):  # a run ending at j < t - 1, followed by j + 1 <= t - 1
        k = 0  # the earlier run must end before the latest one begins: k <= t - 1 - j
        while k <= j and k < t - 1 - j and tokens[j - k] == tokens[t - 1 - k]:
            k += 1
        if k > best:
            best, followers = k, {j + 1}
        elif k == best and k > 0:
            followers.add(j + 1)
    return best, followers


def _fields(tokens: list[int]) -> np.ndarray:
    return np.array([[t % 3, 60 + t, 12] for t in tokens], dtype=np.int64)


def test_matcher_finds_the_longest_earlier_run_and_what_followed() -> None:
    # A B C A B: the latest two notes happened at the start, and C followed them
    matcher = Matcher(_fields([0, 1, 2, 0, 1]))
    longest = matcher.longest()
    assert longest.tolist() == [2]
    assert np.nonzero(matcher.followers(longest)[0])[0].tolist() == [2]
    matcher.push(_fields([2]))  # A B C A B C: now three notes match, then A
    assert matcher.longest().tolist() == [3]
    assert np.nonzero(matcher.followers(matcher.longest())[0])[0].tolist() == [3]


def test_matcher_counts_its_candidates_only_when_asked(monkeypatch) -> None:
    """A take that repeats its loop asks the memory nothing at that step: the notes it
    pushes are matched, and the candidates counted once, when the memory is next asked
    (a trance gate's takes repeat the loop at 9 steps of 10)."""
    counted: list[int] = []
    refresh = Matcher._refresh

    def counting(self: Matcher) -> None:
        counted.append(self.n)
        refresh(self)

    matcher = Matcher(_fields([0, 1, 2]))
    monkeypatch.setattr(Matcher, "_refresh", counting)
    for token in (0, 1, 2, 0, 1):  # A B C, then A B C A B
        matcher.push(_fields([token]))
    assert counted == []
    assert matcher.longest().tolist() == [3]  # C A B, cut before the latest run: A after it
    assert np.nonzero(matcher.followers(matcher.longest())[0])[0].tolist() == [5]
    assert counted == [8]  # once, for all five notes
    matcher.push(_fields([2]))
    assert np.nonzero(matcher.followers(matcher.longest())[0])[0].tolist() == [3, 6]
    assert counted == [8, 9]


def test_matcher_matches_the_notes_pushed_when_its_runs_are_next_read(monkeypatch) -> None:
    """A push only keeps the note: a dense loop's takes ask the memory nothing for a whole
    request, and its every run was updated at each of their steps. The runs are brought
    up to date, note by note in the order pushed, when read, and are then the runs of the
    whole history (``_suffix_matches``, each row its own), through the matcher's growth."""
    matched: list[int] = []
    update = Matcher._matched_to

    def counting(self: Matcher, n: int) -> None:
        matched.append(n)
        update(self, n)

    rng = np.random.default_rng(5)
    seed = rng.integers(0, 3, 6).tolist()
    matcher = Matcher(_fields(seed), rows=2, capacity=4)  # small: it has to grow
    monkeypatch.setattr(Matcher, "_matched_to", counting)
    histories = [list(seed), list(seed)]
    for step in range(40):
        new = rng.integers(0, 3, 2)
        matcher.push(_fields(new.tolist()))
        for row in range(2):
            histories[row].append(int(new[row]))
        if step % 7 != 6:  # asked nothing: nothing matched
            continue
        assert matched == []
        for row in range(2):
            whole = _suffix_matches(np.array(histories[row]))
            assert matcher.match[row, : len(whole)].tolist() == whole.tolist()
        assert matched == list(range(matcher.n - 7, matcher.n))  # the 7 notes, in order
        matched.clear()


def test_matcher_agrees_with_brute_force_and_keeps_rows_apart() -> None:
    rng = np.random.default_rng(3)
    seed = rng.integers(0, 3, 20).tolist()
    matcher = Matcher(_fields(seed), rows=2, capacity=4)  # small: it has to grow
    histories = [list(seed), list(seed)]
    best, followers = _brute_longest(seed, len(seed))
    assert matcher.longest().tolist() == [best, best]
    assert set(np.nonzero(matcher.followers(matcher.longest())[1])[0].tolist()) == followers
    for _ in range(60):
        new = rng.integers(0, 3, 2)
        matcher.push(_fields(new.tolist()))
        for row in range(2):
            histories[row].append(int(new[row]))
        longest = matcher.longest()
        chosen = matcher.followers(longest)
        for row in range(2):
            best, followers = _brute_longest(histories[row], len(histories[row]))
            assert longest[row] == best
            assert set(np.nonzero(chosen[row])[0].tolist()) == followers


def test_recollect_copies_each_earlier_occurrence_equally_and_as_often_as_weighted() -> None:
    # after X: twice (offset 1, pitch 61) and once (offset 2, pitch 62) followed
    tokens = [
        [0, 60, 12],
        [1, 61, 12],
        [0, 60, 12],
        [1, 61, 12],
        [0, 60, 12],
        [2, 62, 12],
        [0, 60, 12],
    ]
    matcher = Matcher(np.array(tokens), rows=2000)
    rng = np.random.default_rng(0)
    copy = recollect(matcher, length_weights(np.full(len(ORDERS), 0.3)), rng)
    assert copy is not None
    assert copy.use.mean() == pytest.approx(0.3, abs=0.04)
    copied = copy.fields[copy.use]
    assert set(map(tuple, copied.tolist())) == {(1, 61, 12), (2, 62, 12)}
    assert (copied[:, 1] == 61).mean() == pytest.approx(2 / 3, abs=0.06)
    greedy = recollect(matcher, length_weights(np.full(len(ORDERS), 0.6)), rng, greedy=True)
    assert greedy is not None and greedy.use.all()
    assert greedy.fields[0].tolist() == [2, 62, 12]  # after the latest occurrence
    assert recollect(matcher, length_weights(np.full(len(ORDERS), 0.4)), rng, greedy=True) is None
    short = Matcher(np.array(tokens[:2]))  # no earlier match yet
    assert recollect(short, length_weights(np.full(len(ORDERS), 0.9)), rng) is None


def test_recall_shares_of_agreeing_proposals() -> None:
    memory = recall(_fields([0, 1, 0, 1, 0, 2]))
    # note 3 (token 1) after "0": "0" was followed by 1 once -> all agree
    assert memory.bucket[3] == 0 and memory.agree[3].tolist() == [1, 1, 1]
    # note 5 (token 2) after 0 1 0 1 0: "0 1 0" happened at notes 0-2, but overlaps the
    # latest "0 1 0" (notes 2-4), so it counts as "1 0"; what followed said 1: none agree
    assert memory.bucket[5] == buckets(np.array([2]))[0]
    assert memory.agree[5].tolist() == [0, 0, 0]
    assert memory.bucket[0] == -1 and memory.bucket[1] == -1  # nothing earlier to match


def test_mixed_loss_is_the_network_loss_without_weight_and_sums_to_the_joint() -> None:
    rng = np.random.default_rng(0)
    n = 50
    lp = np.log(rng.uniform(0.05, 0.9, (n, 4)))
    memory = Recall(
        rng.integers(-1, len(ORDERS), n), np.sort(rng.uniform(0, 1, (n, 3)), axis=1)[:, ::-1].copy()
    )
    assert np.allclose(mixed_nll(lp, memory, np.zeros(len(ORDERS))), -lp)
    weights = np.full(len(ORDERS), 0.3)
    losses = mixed_nll(lp, memory, weights)
    w = np.where(memory.bucket >= 0, 0.3, 0.0)
    joint = (1 - w) * np.exp(lp[:, :3].sum(axis=1)) + w * memory.agree[:, 2]
    assert np.allclose(losses[:, :3].sum(axis=1), -np.log(joint))
    assert np.allclose(losses[:, 3], -lp[:, 3])
    assert np.allclose(mixed_nll(lp, memory, weights, strength=0.0), -lp)


def test_fit_weights_trusts_memory_where_it_is_right_and_not_where_it_is_wrong() -> None:
    n = 400
    bucket = np.repeat([0, 5], n // 2)  # 1-note matches, then 8-note matches
    agree = np.zeros((n, 3))
    agree[n // 2 :] = 1.0  # long matches always right, short ones never
    lp = np.log(np.full((n, 4), 0.5))
    weights = fit_weights(lp, Recall(bucket, agree))
    assert weights[0] == pytest.approx(0.0, abs=1e-3)
    assert weights[5] > 0.95
    assert weights[1] == 0.0  # a bucket without notes: memory stays out


def test_strength_scales_the_weights() -> None:
    w = np.array([0.0, 0.5, 0.9])
    assert np.allclose(strengthened(w, 1.0), w)
    assert np.allclose(strengthened(w, 0.0), 0.0)
    assert np.allclose(strengthened(w, 2.0), [0.0, 0.75, 0.99])


# ---------------------------------------------------------------------------
# generation
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def untrained() -> SegueLSTM:
    torch.manual_seed(0)
    return SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1)).eval()


def _loop_seed() -> Clip:
    motif = [62, 66, 69, 73, 71]  # D F# A C# B: partly outside C major
    notes = [Note(p, i * 0.5, 0.5, 90) for i, p in enumerate(motif * 8)]
    return Clip(tuple(notes))  # 5 bars: the continuation goes on with the next eighth


def _follows_the_loop(clip: Clip) -> float:
    motif = [62, 66, 69, 73, 71]
    pitches = [n.pitch for n in clip.notes]
    return float(np.mean([pitches[i] == motif[i % 5] for i in range(len(pitches))]))


def test_a_strong_memory_carries_the_seed_loop_on_and_strength_0_turns_it_off(untrained) -> None:
    model = SegueLSTM(replace(untrained.config, memory=STRONG)).eval()
    model.load_state_dict(untrained.state_dict())
    params = GenerationParams(notes=20, variations=4, rng_seed=1)
    remembered = generate(model, _loop_seed(), params)
    forgotten = generate(model, _loop_seed(), replace(params, memory=0.0))
    assert min(_follows_the_loop(v.clip) for v in remembered.variations) >= 0.9
    assert max(_follows_the_loop(v.clip) for v in forgotten.variations) < 0.5
    # memory 0 holds a legato part's notes to their next (model.articulation) and leans the
    # strikes to the clip's gaps (model.rhythm_lean), as it does
    # for a model without a fitted memory: the memory is off, as if there were none
    alone = generate(untrained, _loop_seed(), replace(params, memory=0.0))
    assert [v.clip for v in alone.variations] == [v.clip for v in forgotten.variations]
    # and the loop keeps its rhythm: eighth notes
    assert all(n.duration == 0.5 for n in remembered.variations[0].clip.notes)


def test_masks_hold_against_a_strong_memory(untrained) -> None:
    model = SegueLSTM(replace(untrained.config, memory=STRONG)).eval()
    model.load_state_dict(untrained.state_dict())
    params = GenerationParams(
        notes=60, variations=4, key="C major", low=60, high=70, polyphony=1, rng_seed=2, memory=4.0
    )
    result = generate(model, _loop_seed(), params)
    allowed = Key(0, "major").pitch_classes()
    for variation in result.variations:
        notes = variation.clip.notes
        assert len(notes) == 60
        assert all(n.pitch % 12 in allowed and 60 <= n.pitch <= 70 for n in notes)
        assert all(a.end <= b.start + 1e-9 for a, b in zip(notes, notes[1:], strict=False))


def test_memory_generation_is_reproducible_with_a_seed(untrained) -> None:
    model = SegueLSTM(replace(untrained.config, memory=(0.5,) * len(ORDERS))).eval()
    model.load_state_dict(untrained.state_dict())
    params = GenerationParams(bars=4, variations=3, rng_seed=11)
    first = generate(model, _loop_seed(), params)
    again = generate(model, _loop_seed(), params)
    assert [v.clip for v in first.variations] == [v.clip for v in again.variations]


def test_greedy_with_memory_is_deterministic(untrained) -> None:
    model = SegueLSTM(replace(untrained.config, memory=STRONG)).eval()
    model.load_state_dict(untrained.state_dict())
    a = generate(model, _loop_seed(), GenerationParams(notes=10, temperature=0))
    b = generate(model, _loop_seed(), GenerationParams(notes=10, temperature=0))
    assert a.variations[0].clip == b.variations[0].clip
    assert _follows_the_loop(a.variations[0].clip) == 1.0

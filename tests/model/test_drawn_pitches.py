"""The pitches a line's turned notes, answers and pickups may take, ranked in an order each
take's rng draws (segue.model.drawn_pitches), and the loop's notes around a turn."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note

BAR = 96


def _root_fifth(roots: tuple[int, ...] = (33, 29, 36, 31)) -> Clip:
    """A sparse bass: a root on 1 and its fifth on 3, a beat each, on each of ``roots``."""
    figure = ((0.0, 0), (2.0, 7))
    notes = [Note(r + iv, b * 4.0 + at, 1.0, 100) for b, r in enumerate(roots) for at, iv in figure]
    return Clip(tuple(notes), 4.0 * len(roots))


def _turns_of(clip: Clip) -> Turns:
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return Turns(made, 4, np.random.default_rng(0))


def test_each_request_s_copy_draws_its_pickups_with_its_own_rng_at_its_own_places() -> None:
    """The turns kept for a clip are copied for each request (``Turns.drawing_with``): the
    copy's drawn pitches rank a sparse bass's pickups with the request's rng, where the
    copy's own turns' places answer; the same rng seed ranks them the same, another seed
    otherwise, and the kept turns draw nothing."""
    kept = _turns_of(_root_fifth())
    assert kept.sparse

    def pickups(turns: Turns) -> list[list[int]]:
        out = []
        for phrase in range(3):  # beat 4 of each phrase's last bar, into its next root, A1
            at = turns.clip_end + (4 * phrase + 3) * BAR + 72
            ranks = turns.picking_up(np.full(4, at), np.full(4, 33))
            assert (ranks > 0).any(), phrase
            out += ranks.tolist()
        return out

    drawn = set()
    for seed in range(1, 9):
        copy = kept.drawing_with(np.random.default_rng(seed))
        assert copy._drawn._rng is copy._rng
        assert copy._drawn._turn_places is copy._turn_places
        again = kept.drawing_with(np.random.default_rng(seed))
        assert pickups(copy) == pickups(again)
        drawn.add(str(pickups(copy)))
    assert len(drawn) > 1
    assert not kept._drawn._pickup_ranks and not kept._turn_places.turns


def test_a_line_s_turned_notes_are_ranked_once_an_onset_by_the_request_s_rng() -> None:
    """A line's turned note at an onset is ranked among the loop's own classes once
    (``DrawnPitches.turning``): asked again, the same ranks; each request's copy ranks with
    its own rng."""
    kept = _turns_of(_root_fifth())
    at = np.array([kept.clip_end + 3 * BAR + 48])
    ranked = set()
    for seed in range(1, 9):
        copy = kept.drawing_with(np.random.default_rng(seed))
        first = copy.turning(at)
        ranks = first[0][first[0] > 0]
        assert sorted(ranks.tolist()) == list(range(1, len(ranks) + 1))  # 1, 2, ... each once
        assert {p % 12 for p in np.flatnonzero(first[0])} == {0, 2, 4, 5, 7, 9}  # A E F C G D
        assert (copy.turning(at) == first).all()  # drawn once for the onset
        ranked.add(first.tobytes())
    assert len(ranked) > 1
    assert not kept._drawn._turn_ranks

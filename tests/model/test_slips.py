"""A repeated note's slips (model/slips.py): a player's touch, either way round the clip's
own velocity, within its dynamics."""

from __future__ import annotations

import numpy as np

from segue.model.slips import (
    SLIP_BEYOND,
    SLIP_REACH,
    loop_loudness,
    near_velocity,
    slipped_velocity,
)


def test_a_velocity_slip_moves_mostly_a_class_either_way_whatever_the_network_says() -> None:
    """A network that wants the hats much louder (or much softer) than the clip plays them:
    its slips piled at the reach's edge, ghost notes of 45 came back at 60 and accents of 100
    at 84 (helper-42); then they went the network's way, and the producer model's way is
    toward a part's middle (a lead's accents softer, its ghost notes louder). A player's
    touch goes either way as often: most moves are one class, louder or softer alike, and
    never more than two classes past the clip's loudest and softest, nor past 1-127."""
    loop = np.array([10, 10, 10, 10, 30])
    levels = loop * 4 + 4  # 44 (124): each class's own
    logits = np.full((5, 32), -30.0, dtype=np.float32)
    logits[[0, 2, 3, 4], 28] = 8.0  # much louder
    logits[1, 0] = 8.0  # much softer
    span = np.array([(20, 70), (20, 70), (20, 44), (44, 44), (20, 124)])
    rng = np.random.default_rng(0)
    for row in range(5):
        one = np.arange(5) == row
        adjusted = near_velocity(logits, one, loop, levels, tuple(span[row]))
        p = np.exp(adjusted[row] - adjusted[row].max())
        moves = rng.choice(32, 4000, p=p / p.sum()) - loop[row]
        assert np.abs(moves).max() <= SLIP_REACH and (moves != 0).all()
        landed = levels[row] + 4 * moves
        beyond = 4 * SLIP_BEYOND
        assert ((landed >= span[row][0] - beyond) & (landed <= span[row][1] + beyond)).all()
        if row < 4:  # room both ways: as often louder as softer, whatever the network says
            assert 0.45 < (moves > 0).mean() < 0.55
        if row < 2:
            assert 0.6 < (np.abs(moves) == 1).mean() < 0.75  # a touch, not the reach's edge
            assert (np.abs(moves) == SLIP_REACH).mean() < 0.05
        elif row < 4:  # at the clip's loudest (or its one velocity): a touch past it
            assert moves.max() == SLIP_BEYOND
        else:  # at 124 no class fits under 127: softer only
            assert (moves < 0).all()
    untouched = near_velocity(
        logits, np.array([False, True, True, True, True]), loop, levels, (1, 127)
    )
    assert (untouched[0] == logits[0]).all()


def test_a_slipped_velocity_moves_the_clip_note_s_own_by_whole_classes() -> None:
    """A lead's 62 slipped to its class's neighbours' middles, 60 or 68; it moves by 4."""
    levels, loop = np.array([62, 62, 3, 125]), np.array([15, 15, 0, 31])
    drawn = np.array([14, 16, 0, 31]) + np.array([0, 0, -1, 1])
    assert slipped_velocity(levels, loop, drawn).tolist() == [58, 66, 1, 127]


def test_the_loop_s_loudness_is_its_softest_and_loudest_note() -> None:
    """Of the loop's notes only (the clip's last bars as Live loops them): 1-127 without."""
    rows = np.array([[0, 60, 12, 30], [96, 62, 12, 100], [192, 64, 12, 80]])
    assert loop_loudness(rows, 384, 96) == (30, 100)
    assert loop_loudness(rows[:0], 384, 96) == (1, 127)

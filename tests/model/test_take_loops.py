"""The loop each take of a request plays, and its takes' turns made once for a clip
(``segue.model.take_loops``)."""

from __future__ import annotations

import numpy as np
import pytest
from request_plans import eighths, planned, tiny_net

import segue.model.take_loops as take_loops
from segue.model.architecture import Readings, per_weights
from segue.model.loop import LoopHistory, LoopRows
from segue.model.request_plan import RequestPlan
from segue.model.take_loops import TURNS_SLOT, TurnSettings, kept_turns
from segue.model.takes import Turns
from segue.model.turn_sizes import reach_for, turn_for
from segue.model.vocab import steps_of


def _steps(plan: RequestPlan) -> np.ndarray:
    """The network's steps of the plan's notes, as ``generate`` reads them (no start step)."""
    return steps_of(plan.rows, plan.time.bar_ticks, tiny_net().config.vocab)[1:]


def _loops(
    plan: RequestPlan, temperature: float = 1.0, memory: float = 1.0, loops: bool = True
) -> LoopRows | None:
    """``plan``'s loops on a tiny network (``loops``: with a loop table)."""
    net = tiny_net(loops=loops)
    rng = np.random.default_rng(1)
    return take_loops.take_loops(net, plan, _steps(plan), memory, temperature, 0, rng)


def test_a_model_without_a_loop_table_plays_no_loop() -> None:
    plan = planned(tiny_net(), eighths(bars=4), bars=2, variations=3)
    assert _loops(plan, loops=False) is None


def test_each_take_has_its_loop_and_its_turns() -> None:
    plan = planned(tiny_net(loops=True), eighths(bars=4), bars=2, variations=3)
    loop = _loops(plan)
    assert loop is not None
    assert len(loop.histories) == 3  # one history a take, each its own
    assert loop.histories[0] is not loop.histories[1]
    assert isinstance(loop.turns, Turns)  # a melodic model's takes turn


def test_temperature_0_keeps_the_loop_with_no_turns() -> None:
    plan = planned(tiny_net(loops=True), eighths(bars=4), bars=2, variations=2, temperature=0)
    loop = _loops(plan, temperature=0.0)
    assert loop is not None and loop.turns is None


def test_memory_0_keeps_no_loop_but_a_beat_s_anchors() -> None:
    # a line at memory 0 has no anchors (those are a beat's kick and backbeat): no loop
    plan = planned(tiny_net(loops=True), eighths(bars=4), bars=2, memory=0)
    assert not any(plan.drum.kept_hits)
    assert _loops(plan, memory=0.0) is None


def test_the_turn_settings_are_the_tuple_turns_are_made_and_kept_by() -> None:
    # a clip's turns are kept under a key that holds its settings: as a tuple's, its hash and
    # equality (a request with the same settings finds them), and unpacked as Turns' arguments
    settings = TurnSettings(turn_for(1.0, 96), (0, 12), reach_for(1.0), 12, 24)
    plain = (turn_for(1.0, 96), (0, 12), reach_for(1.0), 12, 24)
    assert settings == plain and hash(settings) == hash(plain)
    assert (settings.length, settings.shape, settings.moved, settings.pulse) == (
        plain[0],
        (0, 12),
        12,
        24,
    )
    assert settings != TurnSettings(*plain[:3], 0, 24)  # another octave moved: other turns


def test_a_clip_s_turns_are_made_once_and_each_request_draws_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    net = tiny_net(loops=True)
    plan = planned(net, eighths(bars=4), bars=2, variations=2)
    steps = _steps(plan)
    made: list[int] = []

    class Counted(Turns):
        def __init__(self, *args: object) -> None:
            made.append(1)
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(take_loops, "Turns", Counted)
    time = plan.time
    history = LoopHistory.of_seed(plan.looped, steps, time.bar_ticks, time.clip_end, True)
    assert history is not None
    settings = TurnSettings(turn_for(1.0, 96), None, reach_for(1.0), 0, plan.time.pulse)
    first = kept_turns(net, plan, steps, history, np.random.default_rng(1), settings)
    again = kept_turns(net, plan, steps, history, np.random.default_rng(2), settings)
    assert len(made) == 1  # made once, kept with the model's weights
    assert len(per_weights(net, TURNS_SLOT, Readings)) == 1
    assert first is not again and first._rng is not again._rng  # each draws with its own
    other = TurnSettings(turn_for(2.0, 96), None, reach_for(2.0), 0, plan.time.pulse)
    kept_turns(net, plan, steps, history, np.random.default_rng(1), other)
    assert len(made) == 2  # other settings, other turns


def test_a_clip_s_loop_is_read_once_and_each_take_plays_on_in_its_own_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # reading a loop pushes each of the clip's notes: a clip asked again reads it no more,
    # and the history kept is never the one a take plays on
    net = tiny_net(loops=True)
    plan = planned(net, eighths(bars=4), bars=2, variations=2)
    read: list[int] = []
    of_seed = LoopHistory.of_seed

    def counted(*args: object, **kwargs: object) -> LoopHistory | None:
        read.append(1)
        return of_seed(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(LoopHistory, "of_seed", counted)

    def loops(plan: RequestPlan) -> LoopRows | None:  # on the one network
        rng = np.random.default_rng(1)
        return take_loops.take_loops(net, plan, _steps(plan), 1.0, 1.0, 0, rng)

    first, again = loops(plan), loops(plan)
    assert first is not None and again is not None
    assert len(read) == 1  # read once, kept with the model's weights
    kept = first.histories + again.histories
    assert len({id(h) for h in kept}) == 4  # each take's history its own
    before = list(kept[0].onsets)
    first.histories[0].push(kept[0].onsets[-1] + 96, 60, 1, 1)  # a take plays on
    assert again.histories[0].onsets == before  # the next request's take does not hear it
    time = plan.time
    fresh = of_seed(plan.looped, _steps(plan), time.bar_ticks, time.clip_end, True)
    assert fresh is not None and fresh.onsets == before  # the clip's own loop, as read
    other = planned(net, eighths(bars=2), bars=2, variations=2)
    assert loops(other) is not None
    assert len(read) == 2  # another clip: read for itself

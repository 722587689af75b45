"""The thread count a tuning steps on: the faster of all cores and one, measured as it goes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from segue.model.training.pace import SHARE, TRIAL, Pace


def _run(pace: Pace, seconds: Callable[[int, int], float], steps: int) -> list[int]:
    """Take ``steps`` steps of one unit of work, step ``i`` on ``n`` threads costing
    ``seconds(n, i)``: the thread count of each."""
    used = []
    for i in range(steps):
        n = pace.threads()
        used.append(n)
        pace.took(seconds(n, i), 1.0)
    return used


def test_a_quiet_computer_steps_on_all_cores():
    used = _run(Pace.of(2, fixed=False), lambda n, i: 0.036 if n == 2 else 0.058, 1000)
    assert used[:TRIAL] == [1] * TRIAL and used[TRIAL : 2 * TRIAL] == [2] * TRIAL
    assert used[-100:].count(2) >= 90  # a trial of one thread now and then
    one = used.count(1) * 0.058
    assert one <= SHARE * (one + used.count(2) * 0.036) + 2 * TRIAL * 0.058  # the first trial,
    # and the last one started within the share


def test_a_quiet_computer_stays_on_all_cores_through_a_step_the_system_interrupts():
    """One step in 50 four times as long (the system gave the core to another program for a
    moment): a running rate that weighed that step 0.3 put two threads' over one thread's,
    and one thread took 66% of the steps, where always stepping on all cores is faster."""
    for every, times in ((50, 4.0), (25, 6.0), (100, 6.0)):

        def seconds(n: int, i: int, every: int = every, times: float = times) -> float:
            return (0.036 if n == 2 else 0.058) * (times if i % every == every - 1 else 1.0)

        used = _run(Pace.of(2, fixed=False), seconds, 1000)
        assert used[100:].count(2) >= 0.9 * 900, (every, times, used[100:].count(2))


def test_a_busy_computer_steps_on_one_thread_and_gives_up_two_at_their_first_slow_step():
    """Two threads that wait for each other on a busy 2-core machine: 1,425 ms a step, one
    thread 95 ms (the melody model on Bach chorale parts with two other jobs running)."""
    used = _run(Pace.of(2, fixed=False), lambda n, i: 1.425 if n == 2 else 0.095, 600)
    assert used[: TRIAL + 2] == [1] * TRIAL + [2, 1]  # one slow step ends the trial
    two = used.count(2) * 1.425
    assert two <= SHARE * (two + used.count(1) * 0.095) + 2 * 1.425  # the first trial's step,
    # and the last one started within the share
    assert used.count(1) >= 580


def test_the_count_follows_the_computer_getting_busy_and_quiet_again():
    def seconds(n: int, i: int) -> float:
        busy = 300 <= i < 600
        return (1.425 if busy else 0.036) if n == 2 else (0.095 if busy else 0.058)

    used = _run(Pace.of(2, fixed=False), seconds, 900)
    assert used[250:300].count(2) >= 45
    assert used[310:600].count(1) >= 270  # at once when two threads slow
    assert used[850:].count(2) >= 45  # and back to all cores, tried within the share


def test_a_count_asked_for_is_the_one_used():
    assert set(_run(Pace.of(2, fixed=True), lambda n, i: 1.0 if n == 2 else 0.1, 50)) == {2}
    assert set(_run(Pace.of(1, fixed=False), lambda n, i: 0.1, 50)) == {1}


def test_work_measures_steps_of_different_sizes():
    """A batch of short windows is quicker whatever the threads: rates are per unit of work."""
    pace = Pace.of(2, fixed=False)
    for _ in range(40):
        n = pace.threads()
        work = 10.0 if n == 1 else 100.0  # two threads got the long batches: still faster
        pace.took(work * (0.005 if n == 2 else 0.008), work)
    assert pace.best == 2


def test_thread_counts_must_be_positive():
    with pytest.raises(ValueError):
        Pace((0,))

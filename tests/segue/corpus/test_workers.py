"""Worker processes with a time limit per job: spawned, and ended from outside."""

from __future__ import annotations

import os
import threading
import time

from segue.corpus.workers import in_workers


def _lost(job: object, reason: str, detail: str) -> tuple[object, str, str]:
    return job, reason, detail


def test_a_job_past_the_time_limit_is_lost_and_the_rest_go_on() -> None:
    started = time.monotonic()
    results = list(in_workers(time.sleep, [0.1, 600, 0.2, 0.1], 2, 5, _lost))
    assert time.monotonic() - started < 60
    assert results.count(None) == 3  # what time.sleep returns
    assert (600, "timeout", "took longer than 5 s") in results


def test_a_worker_that_dies_loses_its_job_only() -> None:
    results = list(in_workers(os._exit, [3], 1, None, _lost))
    assert results == [(3, "crashed", "exit code 3")]


def test_workers_that_finish_together_near_the_end_all_go() -> None:
    """Both workers done at once with one job left: one takes it, and the other, with
    nothing to do, must end rather than be waited on for ever."""
    results: list[object] = []

    def consume() -> None:
        for result in in_workers(time.sleep, [0.5, 0.5, 0.05], 2, None, _lost):
            results.append(result)
            time.sleep(2)  # meanwhile the other worker finishes its job too

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    thread.join(90)
    assert not thread.is_alive(), f"still waiting after {results}"
    assert results == [None, None, None]

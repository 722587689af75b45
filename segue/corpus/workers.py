"""Worker processes for slow jobs, each job within a time limit, on every OS.

Workers start by spawning a fresh Python (the one way Windows has, and the safe
one on macOS, where forking a process that has threads and system libraries is
not) and get one job at a time through a pipe. A worker whose job runs past the
time limit is ended from outside and replaced (Windows has no SIGALRM to stop a
job from inside), as is one that dies; either way its job counts as lost and
the rest go on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Generator
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

from segue.cores import worker_count

Job = TypeVar("Job")
Result = TypeVar("Result")

JOBS_PER_WORKER = 200
"""A worker is replaced after this many jobs (music21's caches grow)."""


def _serve(function: Callable[[Job], Result], conn: Connection) -> None:
    """A worker: run ``function`` on each job it is sent and send back the result, until
    sent None. Ctrl-C is left to the parent, which ends the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while (job := conn.recv()) is not None:
        conn.send(function(job))


class _Worker(Generic[Job]):
    """A worker process, the job it is on and since when."""

    def __init__(self, function: Callable[[Job], object]) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(function, theirs), daemon=True)
        self.process.start()
        theirs.close()
        self.job: Job | None = None
        self.since = 0.0
        self.done = 0

    def give(self, job: Job) -> None:
        self.job, self.since = job, time.monotonic()
        self.conn.send(job)

    def stop(self) -> None:
        """End the process: at once if it is on a job, else when it has read its last one."""
        if self.job is None and self.process.is_alive():
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.conn.close()


def in_workers(
    function: Callable[[Job], Result],
    jobs: list[Job],
    workers: int,
    timeout: float | None,
    lost: Callable[[Job, str, str], Result],
) -> Generator[Result]:
    """``function``'s result for each job, as they finish, from ``workers`` processes.

    ``function`` must be importable (a module's function). A job that takes longer than
    ``timeout`` seconds gives ``lost(job, "timeout", detail)``, one whose worker dies
    ``lost(job, "crashed", detail)``."""
    workers = worker_count(workers, handles=2, spare=0)  # each waited on: its pipe, its end
    waiting = deque(jobs)
    pool: list[_Worker[Job]] = []
    try:
        while waiting or pool:
            busy = sum(w.job is not None for w in pool)
            wanted = min(workers, busy + len(waiting)) - len(pool)
            pool += [_Worker(function) for _ in range(wanted)]
            for worker in list(pool):
                if worker.job is None and waiting:
                    worker.give(waiting.popleft())
                elif worker.job is None:  # nothing left for it
                    worker.stop()
                    pool.remove(worker)
            if not pool:
                break
            left = [timeout - (time.monotonic() - w.since) for w in pool] if timeout else []
            wait(
                [w.conn for w in pool] + [w.process.sentinel for w in pool],
                timeout=max(0.0, min(left)) if left else None,
            )
            for worker in list(pool):
                result = _finished(worker, timeout, lost)
                if result is None:
                    continue
                yield result[0]
                worker.done += 1
                # one that failed is gone; one that has done its share makes way for a
                # fresh one
                if worker.job is not None or worker.done >= JOBS_PER_WORKER:
                    worker.stop()
                    pool.remove(worker)
    finally:
        for worker in pool:
            worker.stop()


def _finished(
    worker: _Worker[Job], timeout: float | None, lost: Callable[[Job, str, str], Result]
) -> tuple[Result] | None:
    """The worker's result, if its job has one: what it sent (``worker.job`` is then
    cleared), or ``lost`` when it died or ran out of time (it is then ended). None while
    it works."""
    job = worker.job
    if job is None:
        return None
    if worker.conn.poll():
        try:
            result: Result = worker.conn.recv()
        except (EOFError, OSError):
            pass  # it died as it answered: counted below
        else:
            worker.job = None
            return (result,)
    if not worker.process.is_alive():
        return (lost(job, "crashed", f"exit code {worker.process.exitcode}"),)
    if timeout and time.monotonic() - worker.since > timeout:
        worker.process.terminate()
        worker.process.join()
        return (lost(job, "timeout", f"took longer than {timeout:g} s"),)
    return None

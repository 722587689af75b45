"""Generation off the receiving thread: a bounded queue and worker threads.

:meth:`Worker.submit` never blocks: when ``queue_size`` jobs are already
waiting it raises ``busy``, so a flood of requests cannot grow memory or
delay the answers of everyone else. Jobs are keyed by (client, request id);
a key already queued or running is refused as ``duplicate_id``, so the
answers of two requests can never mix. A queued job can be cancelled at once;
a running one sees :meth:`Worker.cancelled` before its next note step, stops
and sends nothing but the ``cancelled`` error.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from segue.bridge.errors import ProtocolError

JobKey = tuple[tuple[str, int], int]


@dataclass
class Job:
    client: tuple[str, int]
    request_id: int
    reply_to: tuple[str, int]
    seed: Any  # a Clip
    params: Any  # GenerationParams
    model: str
    accepted: float  # time.perf_counter() when the request arrived
    button: bool = False

    @property
    def key(self) -> JobKey:
        return (self.client, self.request_id)


class Worker:
    def __init__(self, run: Callable[[Job], None], queue_size: int = 8, threads: int = 1) -> None:
        self._run = run
        self.queue_size = max(1, queue_size)
        self._queue: deque[Job] = deque()
        self._running: set[JobKey] = set()
        self._cancelled: set[JobKey] = set()
        self._cond = threading.Condition()
        self._stopping = False
        self._threads = [
            threading.Thread(target=self._loop, name=f"segue-worker-{i}", daemon=True)
            for i in range(max(1, threads))
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def submit(self, job: Job, on_queued: Callable[[int], None] | None = None) -> int:
        """Queue a job; returns its position (1 = next). Raises busy or duplicate_id.

        ``on_queued(position)`` runs before any worker can take the job, so a
        "queued" status always goes out before the job's "running".
        """
        with self._cond:
            if self._stopping:
                raise ProtocolError("busy", "the bridge is stopping", job.request_id)
            if job.key in self._running or any(j.key == job.key for j in self._queue):
                raise ProtocolError(
                    "duplicate_id",
                    f"request {job.request_id} is still queued or running; use a new request id",
                    job.request_id,
                )
            if len(self._queue) >= self.queue_size:
                raise ProtocolError(
                    "busy",
                    f"the bridge is busy ({len(self._queue)} requests waiting); try again shortly",
                    job.request_id,
                )
            self._queue.append(job)
            position = len(self._queue)
            if on_queued is not None:
                on_queued(position)
            self._cond.notify()
            return position

    def cancel(self, key: JobKey) -> Job | str | None:
        """Cancel a job: the queued Job itself (removed), "running", or None if unknown."""
        with self._cond:
            for job in self._queue:
                if job.key == key:
                    self._queue.remove(job)
                    return job
            if key in self._running:
                self._cancelled.add(key)
                return "running"
        return None

    def cancelled(self, key: JobKey) -> bool:
        with self._cond:
            return key in self._cancelled

    def release(self, key: JobKey) -> None:
        """A running job is about to send its last answer: its id is free again.

        Called before ``done`` (or the final error) goes out, so a client that
        answers ``done`` at once with the same id (a button, say) is not refused.
        """
        with self._cond:
            self._running.discard(key)
            self._cancelled.discard(key)

    def busy(self) -> tuple[int, int]:
        """(jobs running, jobs waiting)."""
        with self._cond:
            return len(self._running), len(self._queue)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                job = self._queue.popleft()
                self._running.add(job.key)
            try:
                self._run(job)
            except Exception:  # the run function answers its own errors; never lose a thread
                logging.getLogger("segue.bridge").exception("worker: job %s failed", job.key)
            finally:
                with self._cond:
                    self._running.discard(job.key)
                    self._cancelled.discard(job.key)
                    self._cond.notify_all()

    def stop(self, timeout: float = 5.0) -> list[Job]:
        """Stop taking jobs; returns the jobs that were still waiting (never run)."""
        with self._cond:
            self._stopping = True
            dropped = list(self._queue)
            self._queue.clear()
            self._cond.notify_all()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout)
        return dropped

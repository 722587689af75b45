"""Generation off the receiving thread: a bounded queue and worker threads.

:meth:`Worker.submit` never blocks: when ``queue_size`` jobs are already
waiting it raises ``busy``, so a flood of requests cannot grow memory or
delay the answers of everyone else. Another computer (``--host 0.0.0.0``) has one job
queued or running at a time, and this computer's jobs (Live's) are queued before
another computer's. Jobs are keyed by (client, request id);
a key already queued or running is refused as ``duplicate_id``, so the
answers of two requests can never mix. A queued job can be cancelled at once;
a running one sees :meth:`Worker.cancelled` before its next note (while it is
generated or while it is sent), stops and sends nothing but the ``cancelled``
error. Whoever sends a job's last answer first releases it (:meth:`Worker.release`), so a
job is answered once: by itself, or by the bridge when it stops
(:meth:`Worker.stop`, then :meth:`Worker.join`, which hands back the jobs that did
not finish in time).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from segue.bridge.allow import is_loopback
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
    drums: bool = False  # the seed is a drum part (the client's ``drums`` parameter)

    @property
    def key(self) -> JobKey:
        return (self.client, self.request_id)


class Worker:
    def __init__(self, run: Callable[[Job], None], queue_size: int = 8, threads: int = 1) -> None:
        self._run = run
        self.queue_size = max(1, queue_size)
        self._queue: deque[Job] = deque()
        self._running: dict[JobKey, Job] = {}
        self._cancelled: set[JobKey] = set()
        self._senders: dict[JobKey, tuple[Job, threading.Thread]] = {}
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
            host = job.client[0]
            remote = not is_loopback(host)
            if remote and any(j.client[0] == host for j in (*self._running.values(), *self._queue)):
                raise ProtocolError(  # one host with many ports held the queue and worker
                    "busy",
                    f"a request from {host} is still queued or running; another computer's "
                    "requests go one at a time",
                    job.request_id,
                )
            if len(self._queue) >= self.queue_size:
                raise ProtocolError(
                    "busy",
                    f"the bridge is busy ({len(self._queue)} "
                    f"request{'' if len(self._queue) == 1 else 's'} waiting); try again shortly",
                    job.request_id,
                )
            if remote:
                self._queue.append(job)
                position = len(self._queue)
            else:  # this computer's requests (Live's) go before another computer's
                ahead = sum(is_loopback(j.client[0]) for j in self._queue)  # all at the front
                self._queue.insert(ahead, job)
                position = ahead + 1
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
        """Whether a running job should stop: it was cancelled, or the bridge is stopping."""
        with self._cond:
            return self._stopping or key in self._cancelled

    @property
    def stopping(self) -> bool:
        return self._stopping

    def holds(self, key: JobKey) -> bool:
        """Whether a job of this key is queued or running."""
        with self._cond:
            return key in self._running or any(j.key == key for j in self._queue)

    def release(self, key: JobKey) -> bool:
        """A running job is about to send its last answer: its id is free again.

        Called before ``done`` (or the final error) goes out, so a client that
        answers ``done`` at once with the same id (a button, say) is not refused.
        False when the job was released already: its last answer went out.
        """
        with self._cond:
            self._cancelled.discard(key)
            return self._running.pop(key, None) is not None

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
                self._running[job.key] = job
            try:
                self._run(job)
            except Exception:  # the run function answers its own errors; never lose a thread
                logging.getLogger("segue.bridge").exception("worker: job %s failed", job.key)
            finally:
                with self._cond:
                    if self._senders.get(job.key, (None,))[0] is not job:  # not handed off
                        self._ended(job)

    def hand_off(self, job: Job, send: Callable[[], None], limit: int) -> bool:
        """Run ``send`` (the rest of a running job: its paced answer) on a thread of its own,
        so this worker takes the next job; the job stays running (its id held, its client's
        one job) until ``send`` releases it or ends. False (the caller sends itself) while
        ``limit`` answers are being sent, or when the job is not running."""
        with self._cond:
            if (
                self._stopping
                or len(self._senders) >= limit
                or job.key in self._senders
                or self._running.get(job.key) is not job
            ):
                return False
            thread = threading.Thread(
                target=self._send_rest, args=(job, send), name="segue-sender", daemon=True
            )
            self._senders[job.key] = (job, thread)
            thread.start()
        return True

    def _send_rest(self, job: Job, send: Callable[[], None]) -> None:
        try:
            send()
        except Exception:  # as in _loop: the answer's own errors are answered by it
            logging.getLogger("segue.bridge").exception("worker: job %s failed", job.key)
        finally:
            with self._cond:
                if self._senders.get(job.key, (None,))[0] is job:
                    del self._senders[job.key]
                self._ended(job)

    def _ended(self, job: Job) -> None:
        """A job's run (or its handed-off answer) ended: it is no longer running, unless it
        was released already or its key reused (called holding the lock)."""
        if self._running.get(job.key) is job:
            del self._running[job.key]
            self._cancelled.discard(job.key)
        self._cond.notify_all()

    def stop(self) -> list[Job]:
        """Take no more jobs and tell the running ones to stop; returns the jobs that were
        still waiting (never run)."""
        with self._cond:
            self._stopping = True
            dropped = list(self._queue)
            self._queue.clear()
            self._cond.notify_all()
        return dropped

    def join(self, deadline: float) -> list[Job]:
        """Wait until the running jobs have ended or ``deadline`` (``time.monotonic()``) has
        passed; returns those still running, released (their caller answers them)."""
        with self._cond:
            senders = [thread for _, thread in self._senders.values()]
        for thread in (*self._threads, *senders):
            if thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))
        with self._cond:
            unfinished = list(self._running.values())
            self._running.clear()
        return unfinished

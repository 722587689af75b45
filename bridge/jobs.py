"""The bridge's jobs, run on its worker threads: a generation, and a Live continuation.

A job reads only its :class:`Job` and sends: the notes of each variation
(paced, so a long answer is not lost), or the clips it wrote into Live; it
ends with ``done`` or with the error :func:`segue.bridge.error_codes.error_for`
gives its exception.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from segue.bridge import protocol as P
from segue.bridge.error_codes import INTERNAL, cancelled, error_for
from segue.bridge.errors import ProtocolError
from segue.bridge.session import client_text
from segue.bridge.values import clip_text
from segue.bridge.worker import Job, Worker
from segue.notes import Clip

if TYPE_CHECKING:
    from segue.bridge.dispatch import Bridge

GenerateFn = Callable[[Any, Clip, Any, Callable[[], bool]], Any]


def default_generate(
    model: Any, seed: Clip, generation_params: Any, should_stop: Callable[[], bool]
) -> Any:
    from segue.model.generate import generate

    return generate(model, seed, generation_params, threads=1, should_stop=should_stop)


class Pacer:
    """Spaces out a long reply: ``burst`` datagrams at once, then ``rate`` per second.

    A receiver (python-osc, Max) empties its socket buffer more slowly than a
    sender can fill it; without pacing, the notes of a long answer would be lost.
    The standard request (4 variations of 8 bars) fits in one burst.
    """

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.tokens = float(burst)
        self.burst = burst
        self.last = time.perf_counter()

    def wait(self) -> None:
        now = time.perf_counter()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            batch = min(32, self.burst)
            time.sleep((batch - self.tokens) / self.rate)
            self.tokens = float(batch)
            self.last = time.perf_counter()
        self.tokens -= 1


def _finish_error(bridge: Bridge, job: Job, error: ProtocolError, worker: Worker) -> None:
    worker.release(job.key)
    bridge.fail(job.reply_to, job.client, error.for_request(job.request_id))
    if job.button:
        bridge.send(job.reply_to, P.LABEL_STATUS, f"error: {error.code}")


def _failed(bridge: Bridge, job: Job, exc: Exception, what: str, worker: Worker) -> None:
    """Answer a job's exception by the one table; a fault of ours is logged with its trace."""
    error = error_for(exc, job.request_id, f"{what} failed")
    if error.code == INTERNAL:
        bridge.log.exception(
            "%s request %s: %s failed", client_text(job.client), job.request_id, what
        )
    _finish_error(bridge, job, error, worker)


def run_generation(bridge: Bridge, job: Job) -> None:
    """A generation request: its variations' notes, then ``done``."""
    dest, rid, worker = job.reply_to, job.request_id, bridge.worker
    bridge.send(dest, P.STATUS, rid, "running", 0)
    try:
        loaded = bridge.models.get(job.model)
        result = bridge.generate(
            loaded.model, job.seed, job.params, lambda: worker.cancelled(job.key)
        )
    except Exception as exc:
        return _failed(bridge, job, exc, "generation", worker)
    if worker.cancelled(job.key):
        return _finish_error(bridge, job, cancelled(rid), worker)
    notes_out = 0
    pace = Pacer(bridge.pace_rate, bridge.pace_burst)
    for index, variation in enumerate(result.variations):
        clip = variation.clip
        bridge.send(
            dest,
            P.VARIATION_BEGIN,
            rid,
            index,
            len(clip),
            float(clip.length),
            float(variation.start),
        )
        for note in clip.notes:
            pace.wait()
            bridge.send(
                dest,
                P.VARIATION_NOTE,
                rid,
                index,
                note.pitch,
                note.start,
                note.duration,
                note.velocity,
            )
        bridge.send(dest, P.VARIATION_END, rid, index)
        notes_out += len(clip)
    ms = (time.perf_counter() - job.accepted) * 1000
    worker.release(job.key)
    bridge.send(dest, P.DONE, rid, len(result.variations), round(ms, 2), int(result.rng_seed))
    bridge.log.info(
        "%s request %s: %d notes in, %d notes out (%d variation%s), %.0f ms",
        client_text(job.client),
        rid,
        len(job.seed),
        notes_out,
        len(result.variations),
        "" if len(result.variations) == 1 else "s",
        ms,
    )
    if job.button:
        bridge.send(
            dest,
            P.LABEL_STATUS,
            f"{len(result.variations)} variations, {notes_out} notes, {ms:.0f} ms",
        )


def run_live(bridge: Bridge, job: Job) -> None:
    """/segue/live/continue: the selected clip in Live -> new clips in Live."""
    from segue.bridge.live_continue import continue_in_live, summary

    dest, rid, worker, live = job.reply_to, job.request_id, bridge.live_worker, bridge.live
    assert worker is not None and live is not None  # both exist with a Live client only
    bridge.send(dest, P.STATUS, rid, "running", 0)

    def generate(seed: Clip) -> Any:
        loaded = bridge.models.get(job.model)
        return bridge.generate(loaded.model, seed, job.params, lambda: worker.cancelled(job.key))

    def progress(text: str) -> None:
        bridge.send(dest, P.LABEL_STATUS, clip_text(text, P.MAX_TEXT))

    try:
        result = continue_in_live(live, generate, int(job.params.variations), progress=progress)
    except Exception as exc:
        return _failed(bridge, job, exc, "Live continuation", worker)
    for clip in result.written:
        bridge.send(
            dest,
            P.LIVE_CLIP,
            rid,
            clip.track,
            clip.scene,
            clip.notes,
            float(clip.length),
            clip_text(clip.name, 64),
        )
    ms = (time.perf_counter() - job.accepted) * 1000
    worker.release(job.key)
    bridge.send(dest, P.DONE, rid, len(result.written), round(ms, 2), int(result.rng_seed))
    line = summary(result)
    bridge.log.info("%s Live: %s (from %d notes)", client_text(job.client), line, len(result.seed))
    bridge.send(dest, P.LABEL_STATUS, clip_text(line, P.MAX_TEXT))

"""The bridge's jobs, run on its worker threads: a generation, and a Live continuation.

A job reads only its :class:`Job` and sends: the notes of each variation
(paced, so a long answer is not lost, and within the reply budget of a host
that is not this computer), or the clips it wrote into Live; it ends with
``done`` or with the error :func:`segue.bridge.error_codes.error_for` gives its
exception. A cancel (or the bridge stopping) is seen before each note, while
the notes are generated and while they are sent. The lengths are held to the
limits of :mod:`segue.bridge.lengths` in the seed's own time signature.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from segue.bridge import lengths
from segue.bridge import protocol as P
from segue.bridge.error_codes import INTERNAL, cancelled, error_for, stopping
from segue.bridge.errors import ProtocolError
from segue.bridge.session import client_text
from segue.bridge.values import clip_text
from segue.bridge.worker import Job, Worker
from segue.model.drum_touches import length_setting, takes_notice
from segue.model.registry import DRUMS
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
    The standard request (4 variations of 8 bars, about 260 datagrams) goes out in 7 ms.
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
    if not worker.release(job.key):
        return  # the bridge, stopping, has answered it already
    answer = error.for_request(job.request_id)
    bridge.fail(job.reply_to, job.client, answer, lambda: worker.stopping)
    if job.button:
        bridge.send(job.reply_to, P.LABEL_STATUS, error.label(P.MAX_TEXT))


def _stopped(job: Job, worker: Worker) -> ProtocolError:
    """The error of a job that stopped at a cancel, or because the bridge is stopping."""
    return stopping(job.request_id) if worker.stopping else cancelled(job.request_id)


def _failed(bridge: Bridge, job: Job, exc: Exception, what: str, worker: Worker) -> None:
    """Answer a job's exception by the one table; a fault of ours is logged with its trace."""
    error = error_for(exc, job.request_id, f"{what} failed")
    if error.code == "cancelled":
        error = _stopped(job, worker)
    if error.code == INTERNAL:
        bridge.log.exception(
            "%s request %s: %s failed", client_text(job.client), job.request_id, what
        )
    _finish_error(bridge, job, error, worker)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _send_variations(bridge: Bridge, job: Job, variations: tuple[Any, ...], worker: Worker) -> bool:
    """Each variation: begin, its notes, end; False when a cancel stopped the stream."""
    dest, rid = job.reply_to, job.request_id

    def stop() -> bool:
        return worker.cancelled(job.key)

    pace = Pacer(bridge.pace_rate, bridge.pace_burst)
    for index, variation in enumerate(variations):
        clip = variation.clip
        begin = (rid, index, len(clip), float(clip.length), float(variation.start))
        if not bridge.stream(dest, stop, P.VARIATION_BEGIN, *begin):
            return False
        for note in clip.notes:
            pace.wait()
            if stop() or not bridge.stream(
                dest,
                stop,
                P.VARIATION_NOTE,
                rid,
                index,
                note.pitch,
                note.start,
                note.duration,
                note.velocity,
            ):
                return False
        if not bridge.stream(dest, stop, P.VARIATION_END, rid, index):
            return False
    return True


def saying(say: Callable[[], None], every: float, stop: Callable[[], bool]) -> Callable[[], bool]:
    """``stop``, which generation asks before every note step, also calling ``say`` each time
    ``every`` seconds have passed since it was made or last said: a long request's client
    hears that it still runs."""
    said = time.monotonic()

    def asked() -> bool:
        nonlocal said
        now = time.monotonic()
        if now - said >= every:
            said = now
            say()
        return stop()

    return asked


def made_by(loaded: Any, result: Any) -> tuple[str, str]:
    """What ``done`` says made the notes: the model's name (the installed model a
    ``LoadedModel`` was loaded from: with auto, the one chosen) and the key they were locked
    to ("" for none)."""
    key = str(result.key) if result.key is not None else ""
    return clip_text(loaded.path.stem, 64), clip_text(key, 64)


def _by(model: str, key: str) -> str:
    return f"{model}, {key}" if key else model


def run_generation(bridge: Bridge, job: Job) -> None:
    """A generation request: its variations' notes, then ``done``."""
    dest, rid, worker = job.reply_to, job.request_id, bridge.worker

    def stop() -> bool:
        return worker.stopping

    def running() -> None:
        bridge.send(dest, P.STATUS, rid, "running", 0)

    bridge.stream(dest, stop, P.STATUS, rid, "running", 0)
    try:
        drums = job.drums or job.model == DRUMS
        loaded = bridge.models.for_clip(job.model, job.seed, drums)
        asked = saying(running, bridge.running_every, lambda: worker.cancelled(job.key))
        result = bridge.generate(loaded.model, job.seed, job.params, asked)
    except Exception as exc:
        return _failed(bridge, job, exc, "generation", worker)
    variations = lengths.capped(result.variations)

    def answer() -> None:
        _answer(bridge, job, loaded, result, variations)

    if not (bridge.paced(dest) and worker.hand_off(job, answer, P.MAX_PACED_SENDERS)):
        answer()


def _answer(
    bridge: Bridge, job: Job, loaded: Any, result: Any, variations: tuple[Any, ...]
) -> None:
    """A generation's notes, then ``done``: on the worker, or beside it for an answer paced
    by another computer's reply budget (:meth:`Worker.hand_off`)."""
    dest, rid, worker = job.reply_to, job.request_id, bridge.worker

    def stop() -> bool:
        return worker.stopping

    if worker.cancelled(job.key) or not _send_variations(bridge, job, variations, worker):
        return _finish_error(bridge, job, _stopped(job, worker), worker)
    notes_out = sum(len(v.clip) for v in variations)
    ms = (time.perf_counter() - job.accepted) * 1000
    if not worker.release(job.key):
        return
    model, key = made_by(loaded, result)
    drums = bool(loaded.model.config.drums)
    said = _beat(bridge, job.model, job.drums, job.seed, loaded)
    slips = result.slip_lines(drums) or ("", "")  # the command line's and the device's
    told = _joined(said, slips[1])  # the device's status line
    done = (rid, len(variations), round(ms, 2), int(result.rng_seed), model, key)
    bridge.stream(dest, stop, P.DONE, *done, clip_text(told, P.MAX_TEXT))
    made = f"{_plural(len(variations), 'variation')}, {_plural(notes_out, 'note')}"
    bridge.log.info(
        "%s request %s: %d notes in, %d notes out (%s), %s, %.0f ms",
        client_text(job.client),
        rid,
        len(job.seed),
        notes_out,
        _plural(len(variations), "variation"),
        _by(model, key),
        ms,
    )
    alike = _joined(said, _alike(result, variations, drums, slips[0]))
    if alike:
        bridge.log.info("%s request %s: %s", client_text(job.client), rid, alike)
    if job.button:
        said = f"{made}, {_by(model, key)}, {ms:.0f} ms"
        if alike:
            said = clip_text(f"{said}; {alike}", P.MAX_TEXT)
        bridge.stream(dest, stop, P.LABEL_STATUS, said)


BEAT = (
    "played as drums: it looks like a drum beat (kick, snare or clap, hats) on a melodic "
    "MIDI channel; choose producer for notes"
)
"""What the log and the label say where ``auto`` gave a part on a melodic channel the drum
model (``segue.model.choice``), as ``segue generate`` says it
(``segue.part_notices.beat_drums_notice``): the log said "drums" and nothing of why, and a
musician whose piano left hand went to the drum model could not tell why nor how to have it
played as notes."""
NOTES = (
    "played as notes: it looks like {part} on a melodic MIDI channel; choose {drums} to "
    "continue it as drums"
)
"""What they say where a melodic model continued a part on a melodic channel that looks
like a beat, a hat part or a ride part (``segue.beat_reading.beat_part``), as ``segue
generate`` says it (``segue.part_notices.beat_notice``): a Drum Rack's hat loop or a jazz
ride part, exported on channel 1 and continued as notes, got no word in Live, where the
command line said to give --model drums."""


PADS = (
    "played as drum pads: it does not look like a General MIDI beat ({why}); for notes, "
    "choose a melodic model or auto"
)
"""What they say where a drum model named for a part on a melodic channel plays it, and
the part does not look like a beat (``segue.beat_reading.not_a_beat``), as ``segue
generate`` says it (``segue.part_notices.drum_model_notice``)."""


def beat_said(model: str, drums: bool, seed: Clip, loaded: Any) -> str:
    """What to say of how ``seed``, a part on a melodic channel (not ``drums``), was played,
    where it looks like a beat (``segue.beat_reading.beat_part``): :data:`BEAT` where
    ``auto`` (``model``: the name asked for, the bridge's default resolved) gave it the drum
    model, :data:`NOTES` where a melodic model continued it; :data:`PADS` where a drum model
    named for it plays a part that is no beat; else "". Said in the log, the label, and
    ``done``'s ``said``: the device's status line."""
    from segue.beat_reading import beat_part, not_a_beat
    from segue.model.choice import AUTO
    from segue.model.drumming import pulse_beats

    if drums or not len(seed):
        return ""
    notes = [(n.start, n.pitch) for n in seed.notes]
    pulse = pulse_beats(seed.time_signature)  # a 12/8 brush feel's dotted quarter
    part = beat_part(notes, pulse)
    kit = bool(loaded.model.config.drums)
    if part and not kit:
        return NOTES.format(part=part, drums=DRUMS)
    if model.casefold() == AUTO:
        return BEAT if kit and part == "a drum beat" else ""
    why = not_a_beat(notes, pulse) if kit and not part else None
    return PADS.format(why=why) if why else ""


def _beat(bridge: Bridge, model: str, drums: bool, seed: Clip, loaded: Any) -> str:
    """:func:`beat_said` of a job's ``model`` ("" for the bridge's default)."""
    return beat_said(model or bridge.models.default, drums, seed, loaded)


def _joined(*said: str) -> str:
    return "; ".join(s for s in said if s)


def _alike(result: Any, variations: tuple[Any, ...], drums: bool, slip: str) -> str:
    """What to say of the takes, else "": where the musician's range leaves the part's
    shape no room (``GenerationResult.shape_notice``: said by ``segue generate`` alone, the
    device wrote octaves without their upper voice without a word), where ``--key auto``
    keeps a note that sounds like a slip (``slip``: ``GenerationResult.slip_lines``' first,
    worked out once with the device's), and where several came
    out with the same notes above temperature 0 (a loop kept note for note:
    ``segue.model.drum_touches``), or fewer drum takes differ than were asked."""
    said = [result.shape_notice() or "", slip]
    if result.params.temperature != 0 and variations:
        bar = result.seed.time_signature.beats_per_bar
        length = length_setting(result.params.beats, result.params.notes)  # the one set names
        hot, memory = result.params.temperature, result.params.memory
        takes = [v.clip for v in variations]
        said.append(takes_notice(takes, drums, False, length, bar, hot, memory))
    return "; ".join(s for s in said if s)


def run_live(bridge: Bridge, job: Job) -> None:
    """/segue/live/continue: the selected clip in Live -> new clips in Live."""
    from segue.bridge.live_continue import continue_in_live, meter_note, summary

    dest, rid, worker, live = job.reply_to, job.request_id, bridge.live_worker, bridge.live
    assert worker is not None and live is not None  # both exist with a Live client only
    bridge.send(dest, P.STATUS, rid, "running", 0)

    by = ("", "")  # the model and key of the continuation written
    said = ""  # how a beat on a melodic channel was played, a slip kept (done's said)
    alike = ""  # ... and what to say when its takes came out the same

    def generate(seed: Clip, drums: bool, downbeat: float | None) -> Any:
        nonlocal by, said, alike
        lengths.check(job.params, seed.time_signature)
        loaded = bridge.models.for_clip(job.model, seed, drums)
        # bar 1 after a pickup, as the clip's markers say it (the device's rule)
        params = (
            job.params
            if job.params.downbeat is not None
            else replace(job.params, downbeat=downbeat)
        )
        result = bridge.generate(loaded.model, seed, params, lambda: worker.cancelled(job.key))
        by = made_by(loaded, result)
        variations = lengths.capped(result.variations)
        beat = _beat(bridge, job.model, drums, seed, loaded)
        kit = bool(loaded.model.config.drums)
        slips = result.slip_lines(kit) or ("", "")
        said = _joined(beat, slips[1])
        alike = _joined(beat, _alike(result, variations, kit, slips[0]))
        return replace(result, variations=variations)

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
    if not worker.release(job.key):
        return
    done = (rid, len(result.written), round(ms, 2), int(result.rng_seed), *by)
    bridge.send(dest, P.DONE, *done, clip_text(said, P.MAX_TEXT))
    line = f"{summary(result)} ({_by(*by)})"
    bridge.log.info("%s Live: %s (from %d notes)", client_text(job.client), line, len(result.seed))
    meter = meter_note(result)
    if meter:
        bridge.log.info("%s Live: %s", client_text(job.client), meter)
    if alike and result.written:  # as a device's button request says it, in place of the model
        bridge.log.info("%s Live: %s", client_text(job.client), alike)
        line = f"{summary(result)}; {alike}"  # whole within the label's 200 characters
    bridge.send(dest, P.LABEL_STATUS, clip_text(line, P.MAX_TEXT))

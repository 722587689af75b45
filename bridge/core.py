"""The bridge's behaviour, without sockets: one handler per inbound address of the table.

:class:`Bridge` receives decoded messages with the client's address and
answers through a ``send(destination, address, args)`` function, so it runs
the same under the UDP server and in tests. Uploads and parameters are
touched only by the receiving thread; generation runs on the :class:`Worker`
threads, which only read their job and send.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any

from segue import __version__
from segue.bridge import arguments, params
from segue.bridge import protocol as P
from segue.bridge.codec import Message
from segue.bridge.errors import NO_REQUEST, ProtocolError
from segue.bridge.models import ModelCache
from segue.bridge.session import ClientAddr, Sessions
from segue.bridge.values import clip_text
from segue.bridge.worker import Job, Worker
from segue.errors import LiveError, NoteError, SegueError
from segue.model.generate import GenerationCancelled
from segue.notes import Clip, Note, TimeSignature

Send = Callable[[tuple[str, int], str, tuple[Any, ...]], None]
GenerateFn = Callable[[Any, Clip, Any, Callable[[], bool]], Any]


def default_generate(model: Any, seed: Clip, generation_params: Any,
                     should_stop: Callable[[], bool]) -> Any:
    from segue.model.generate import generate

    return generate(model, seed, generation_params, threads=1, should_stop=should_stop)


def client_text(client: ClientAddr) -> str:
    host, port = client
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


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


class Bridge:
    """Answers every address of :data:`segue.bridge.protocol.INBOUND`."""

    def __init__(self, models: ModelCache, send: Send, *, upload_timeout: float = 10.0,
                 queue_size: int = 8, workers: int = 1, reply_port: int | None = None,
                 max_clients: int = 64, pace: tuple[float, int] = (20000.0, 256),
                 generate: GenerateFn = default_generate,
                 log: logging.Logger | None = None,
                 clock: Callable[[], float] = time.monotonic, live: Any | None = None) -> None:
        self.models = models
        self._send = send
        self._generate = generate
        self.log = log or logging.getLogger("segue.bridge")
        self._clock = clock
        self._rng = random.Random()
        self.default_reply_port = reply_port
        self.pace_rate, self.pace_burst = pace
        self.sessions = Sessions(upload_timeout, max_clients)
        self.worker = Worker(self._run, queue_size, workers)
        self.live = live  # an AbletonOSC client (segue serve --abletonosc), or None
        self.live_worker = Worker(self._run_live, 1, 1) if live is not None else None
        self._inbound = P.inbound_paths()
        self._ignored = P.reply_only_paths()
        self._handlers: dict[str, Callable[[ClientAddr, str, list[Any]], None]] = {
            P.PING: self._ping, P.VERSION: self._version, P.REPLY_TO: self._reply_to,
            P.MODELS: self._models, P.MODEL: self._model, P.SET: self._set, P.GET: self._get,
            P.FADER: self._fader, P.SEED_BEGIN: self._seed_begin, P.SEED_NOTE: self._seed_note,
            P.SEED_END: self._seed_end, P.GENERATE: self._generate_request,
            P.CONTINUE: self._continue, P.START: self._start, P.CANCEL: self._cancel,
            P.LIVE_CONTINUE: self._live_continue,
        }
        missing = {a.path for a in P.INBOUND} ^ set(self._handlers)
        if missing:
            raise RuntimeError(f"the protocol table and the handlers differ: {sorted(missing)}")
        self._last_tick = 0.0

    # -- plumbing ---------------------------------------------------------------------------
    def start(self) -> None:
        self.worker.start()
        if self.live_worker is not None:
            self.live_worker.start()

    def stop(self) -> None:
        dropped = self.live_worker.stop() if self.live_worker is not None else []
        for job in self.worker.stop() + dropped:
            self._error(job.reply_to, job.client, job.request_id, "cancelled",
                        "the bridge is stopping")

    def reply_address(self, client: ClientAddr) -> tuple[str, int]:
        state = self.sessions.peek(client)
        port = (state.reply_port if state else None) or self.default_reply_port
        return (client[0], port or client[1])

    def send(self, dest: tuple[str, int], address: str, *args: Any) -> None:
        self._send(dest, address, args)

    def _error(self, dest: tuple[str, int], client: ClientAddr, rid: int, code: str,
               message: str) -> None:
        self.log.warning("%s request %s: error %s: %s", client_text(client), rid, code, message)
        self.send(dest, P.ERROR, rid, code, clip_text(message, P.MAX_TEXT))

    def error(self, client: ClientAddr, exc: ProtocolError) -> None:
        """Answer a ProtocolError to the client's reply address, and log it."""
        self._error(self.reply_address(client), client, exc.request_id, exc.code, exc.message)

    def handle(self, client: ClientAddr, message: Message) -> None:
        """Act on one message; every failure is answered with /segue/error and logged."""
        try:
            self._dispatch(client, message)
        except ProtocolError as exc:
            self.error(client, exc)
        except Exception as exc:  # a fault of ours: say so, log it, keep serving
            self.log.exception("%s: fault handling %s", client_text(client),
                               clip_text(message.address, 60))
            self.error(client, ProtocolError("internal", f"internal error "
                                             f"({type(exc).__name__}); see the bridge's log"))

    def _dispatch(self, client: ClientAddr, message: Message) -> None:
        path = message.address
        spec = self._inbound.get(path)
        if spec is None:
            if path in self._ignored:
                self.log.info("%s: ignored %s (a reply address)", client_text(client), path)
                return
            raise ProtocolError("unknown_address", f"unknown address {clip_text(path, 60)}; "
                                "see docs/protocol.md")
        rid = arguments.request_id(spec, message.args)
        try:
            args = arguments.parse(spec, path, message.args)
            self._handlers[spec.path](client, path, args)
        except ProtocolError as exc:
            raise exc.for_request(rid) from None

    def tick(self) -> None:
        """Drop seed uploads that timed out (called by the server between datagrams)."""
        now = self._clock()
        if now - self._last_tick < 0.05:
            return
        self._last_tick = now
        for client, rid in self.sessions.expire(now):
            self.error(client, ProtocolError(
                "upload_timeout", f"the seed upload of request {rid} did not end within "
                f"{self.sessions.upload_timeout:g} s and was dropped", rid))

    # -- handlers ---------------------------------------------------------------------------
    def _model_name(self, client: ClientAddr) -> str:
        state = self.sessions.peek(client)
        return (str(state.settings["model"]) if state else "") or self.models.default

    def _ping(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        token = args[0] if args else 0
        dest = self.reply_address(client)
        if len(args) > 1:
            dest = (client[0], args[1])
        self.send(dest, P.PONG, token, __version__, self._model_name(client),
                  P.PROTOCOL_VERSION)

    def _version(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        self.send(self.reply_address(client), P.VERSION, __version__, P.PROTOCOL_VERSION)

    def _reply_to(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        port = args[0]
        if 0 < port < 1024:
            raise ProtocolError("bad_value", f"reply port must be 0 or from 1024 to 65535, "
                                f"got {port}")
        self.sessions.client(client).reply_port = port or None
        self.log.info("%s: replies go to port %s", client_text(client), port or client[1])
        self.send(self.reply_address(client), P.REPLY_TO, port)

    def _models(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        dest = self.reply_address(client)
        entries = self.models.entries()
        for i, entry in enumerate(entries):
            self.send(dest, P.MODELS_ITEM, i, entry.name, entry.source,
                      clip_text(self.models.summary(entry), P.MAX_TEXT))
        self.send(dest, P.MODELS_END, len(entries))

    def _model(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        if args:
            self._change(client, "model", args[0])
        self.send(self.reply_address(client), P.MODEL, self._model_name(client))

    def _change(self, client: ClientAddr, name: object, value: object) -> str:
        """Set one of the client's parameters; returns the parameter's name."""
        state = self.sessions.client(client)
        settings = params.apply(state.settings, name, value)
        if name == "model":
            self.models.resolve(str(settings["model"]))
        state.settings = settings
        return str(name)

    def _set(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        name = self._change(client, args[0], args[1])
        settings = self.sessions.client(client).settings
        self.send(self.reply_address(client), P.PARAM, name, settings[name])

    def _get(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        settings = self.sessions.client(client).settings
        names = [params.lookup(args[0]).name] if args else [p.name for p in params.PARAMS]
        dest = self.reply_address(client)
        for name in names:
            self.send(dest, P.PARAM, name, settings[name])
        self.send(dest, P.PARAMS_END, len(names))

    def _fader(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        name = path.rsplit("/", 1)[1]
        param = params.PARAMS_BY_NAME[name]
        value = params.fader_value(param, args[0])
        state = self.sessions.client(client)
        state.settings = params.apply(state.settings, name, value)
        dest = self.reply_address(client)
        self.send(dest, path, params.fader_position(param, value))
        self.send(dest, P.LABEL.replace("{param}", name), params.label(param, value))

    def _seed_begin(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        rid, count, length, numerator, denominator = args
        try:
            signature = TimeSignature(numerator, denominator)
        except NoteError as exc:
            raise ProtocolError("bad_value", str(exc)) from None
        self.sessions.begin(client, rid, count, length, signature, self._clock())

    def _seed_note(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        rid, pitch, start, duration, velocity = args
        self.sessions.note(client, rid, Note(pitch, start, duration, velocity))

    def _seed_end(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        clip = self.sessions.end(client, args[0])
        self.send(self.reply_address(client), P.SEED_STORED, args[0], len(clip))

    def _generation_params(self, settings: params.Settings) -> Any:
        from segue.model.generate import GenerationParams

        params.check_combination(settings)
        seed = int(settings["rng_seed"])
        if seed < 0:
            seed = self._rng.randrange(2**31)
        try:
            return GenerationParams(**params.generation_kwargs(settings), seed=seed).validated()
        except SegueError as exc:
            raise ProtocolError("bad_value", str(exc)) from None

    def _submit(self, client: ClientAddr, rid: int, seed: Clip, settings: params.Settings,
                button: bool = False) -> None:
        generation = self._generation_params(settings)
        model = self.models.resolve(str(settings["model"]))
        dest = self.reply_address(client)
        job = Job(client, rid, dest, seed, generation, model, time.perf_counter(), button)
        self.worker.submit(job, lambda position: self.send(dest, P.STATUS, rid, "queued",
                                                           position))

    def _generate_request(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        rid = args[0]
        state = self.sessions.client(client)
        settings = params.apply_pairs(state.settings, args[1:])
        self._generation_params(settings)  # refuse bad parameters before using the seed up
        seed = self.sessions.take_seed(client, rid)
        try:
            self._submit(client, rid, seed, settings)
        except ProtocolError:
            state.seeds[rid] = seed  # not accepted: the client may ask again
            raise

    def _continue(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        """/segue/continue: the client's last seed, or nothing when it uploaded none."""
        if args[0] == 0:
            return  # a button's release
        seed = self.sessions.client(client).last_seed
        self._press(client, seed or Clip((), None, TimeSignature()))

    def _start(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        """/segue/start: from nothing; the last seed stays for /segue/continue."""
        if args[0] == 0:
            return  # a button's release
        self._press(client, Clip((), None, TimeSignature(4, 4)))

    def _press(self, client: ClientAddr, seed: Clip) -> None:
        """A generation button: ``seed`` with the client's parameters, as BUTTON_REQUEST."""
        state = self.sessions.client(client)
        try:
            self._submit(client, P.BUTTON_REQUEST, seed, state.settings, button=True)
        except ProtocolError as exc:
            if exc.code == "duplicate_id":
                exc = ProtocolError("busy", "a button's generation is still running",
                                    exc.request_id)
            self.send(self.reply_address(client), P.LABEL_STATUS, f"error: {exc.code}")
            raise exc.for_request(P.BUTTON_REQUEST) from None

    def _cancel(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        rid = args[0]
        dest = self.reply_address(client)
        dropped_seed = self.sessions.cancel_upload(client, rid)
        found = self.worker.cancel((client, rid))
        if found is None and self.live_worker is not None:
            found = self.live_worker.cancel((client, rid))
        if found == "running":
            return  # the running job answers 'cancelled' when its generation returns
        if found is None and not dropped_seed:
            raise ProtocolError("unknown_request", f"request {rid} is not uploading, queued "
                                "or running", rid)
        self._error(dest, client, rid, "cancelled", f"request {rid} was cancelled")

    def _live_continue(self, client: ClientAddr, path: str, args: list[Any]) -> None:
        if args[0] == 0:
            return  # a button's release
        dest = self.reply_address(client)
        rid = P.BUTTON_REQUEST
        try:
            if self.live_worker is None:
                raise ProtocolError("no_abletonosc", "this bridge was started without "
                                    "--abletonosc; restart it as `segue serve --abletonosc` to "
                                    "reach Live through AbletonOSC")
            settings = self.sessions.client(client).settings
            generation = self._generation_params(settings)
            model = self.models.resolve(str(settings["model"]))
            job = Job(client, rid, dest, None, generation, model, time.perf_counter(), True)
            self.live_worker.submit(job, lambda position: self.send(dest, P.STATUS, rid,
                                                                    "queued", position))
        except ProtocolError as exc:
            if exc.code in ("duplicate_id", "busy"):
                exc = ProtocolError("busy", "a Live continuation is still running", rid)
            self.send(dest, P.LABEL_STATUS, f"error: {exc.code}")
            raise exc.for_request(rid) from None

    # -- on a worker thread -----------------------------------------------------------------
    def _run_live(self, job: Job) -> None:
        """/segue/live/continue: the selected clip in Live -> new clips in Live."""
        from segue.bridge.live_continue import continue_in_live, summary

        dest, rid = job.reply_to, job.request_id
        worker = self.live_worker
        assert worker is not None
        self.send(dest, P.STATUS, rid, "running", 0)

        def generate(seed: Clip) -> Any:
            loaded = self.models.get(job.model)
            return self._generate(loaded.model, seed, job.params,
                                  lambda: worker.cancelled(job.key))

        def progress(text: str) -> None:
            self.send(dest, P.LABEL_STATUS, clip_text(text, P.MAX_TEXT))

        try:
            result = continue_in_live(self.live, generate, int(job.params.variations),
                                      progress=progress)
        except GenerationCancelled:
            return self._finish_error(job, "cancelled", f"request {rid} was cancelled", worker)
        except LiveError as exc:
            return self._finish_error(job, exc.code, str(exc), worker)
        except ProtocolError as exc:
            return self._finish_error(job, exc.code, exc.message, worker)
        except SegueError as exc:
            return self._finish_error(job, "cannot_generate", str(exc), worker)
        except OSError as exc:
            return self._finish_error(job, "live_error", f"cannot reach AbletonOSC: {exc}",
                                      worker)
        except Exception as exc:
            self.log.exception("%s request %s: Live continuation failed",
                               client_text(job.client), rid)
            return self._finish_error(job, "internal", f"Live continuation failed "
                                      f"({type(exc).__name__}); see the bridge's log", worker)
        for clip in result.written:
            self.send(dest, P.LIVE_CLIP, rid, clip.track, clip.scene, clip.notes,
                      float(clip.length), clip_text(clip.name, 64))
        ms = (time.perf_counter() - job.accepted) * 1000
        worker.release(job.key)
        self.send(dest, P.DONE, rid, len(result.written), round(ms, 2), int(result.rng_seed))
        line = summary(result)
        self.log.info("%s Live: %s (from %d notes)", client_text(job.client), line,
                      len(result.seed))
        self.send(dest, P.LABEL_STATUS, clip_text(line, P.MAX_TEXT))

    def _run(self, job: Job) -> None:
        dest, rid = job.reply_to, job.request_id
        self.send(dest, P.STATUS, rid, "running", 0)
        try:
            loaded = self.models.get(job.model)
            result = self._generate(loaded.model, job.seed, job.params,
                                    lambda: self.worker.cancelled(job.key))
        except GenerationCancelled:
            return self._finish_error(job, "cancelled", f"request {rid} was cancelled")
        except ProtocolError as exc:
            return self._finish_error(job, exc.code, exc.message)
        except SegueError as exc:
            return self._finish_error(job, "cannot_generate", str(exc))
        except Exception as exc:
            self.log.exception("%s request %s: generation failed", client_text(job.client), rid)
            return self._finish_error(job, "internal", f"generation failed "
                                      f"({type(exc).__name__}); see the bridge's log")
        if self.worker.cancelled(job.key):
            return self._finish_error(job, "cancelled", f"request {rid} was cancelled")
        notes_out = 0
        pace = Pacer(self.pace_rate, self.pace_burst)
        for index, variation in enumerate(result.variations):
            clip = variation.clip
            self.send(dest, P.VARIATION_BEGIN, rid, index, len(clip), float(clip.length),
                      float(variation.start))
            for note in clip.notes:
                pace.wait()
                self.send(dest, P.VARIATION_NOTE, rid, index, note.pitch, note.start,
                          note.duration, note.velocity)
            self.send(dest, P.VARIATION_END, rid, index)
            notes_out += len(clip)
        ms = (time.perf_counter() - job.accepted) * 1000
        self.worker.release(job.key)
        self.send(dest, P.DONE, rid, len(result.variations), round(ms, 2),
                  int(result.rng_seed))
        self.log.info("%s request %s: %d notes in, %d notes out (%d variation%s), %.0f ms",
                      client_text(job.client), rid, len(job.seed), notes_out,
                      len(result.variations), "" if len(result.variations) == 1 else "s", ms)
        if job.button:
            self.send(dest, P.LABEL_STATUS, f"{len(result.variations)} variations, "
                      f"{notes_out} notes, {ms:.0f} ms")

    def _finish_error(self, job: Job, code: str, message: str,
                      worker: Worker | None = None) -> None:
        (worker or self.worker).release(job.key)
        self._error(job.reply_to, job.client, job.request_id, code, message)
        if job.button:
            self.send(job.reply_to, P.LABEL_STATUS, f"error: {code}")


__all__ = ["NO_REQUEST", "Bridge", "client_text"]

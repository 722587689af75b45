"""One handler per inbound address of the protocol table, declared in :data:`HANDLERS`.

A handler gets the bridge, the client, the address and the arguments already
checked and cast by the table (:mod:`segue.bridge.arguments`). It answers
through the bridge or raises :class:`ProtocolError`, which the bridge answers
with /segue/error. Requests that generate become jobs on the bridge's workers
(:mod:`segue.bridge.jobs`); a handler never waits for one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from segue import __version__
from segue.bridge import lengths, params
from segue.bridge import protocol as P
from segue.bridge.error_codes import cancelled
from segue.bridge.errors import ProtocolError
from segue.bridge.session import ClientAddr, client_text
from segue.bridge.values import clip_text
from segue.bridge.worker import Job
from segue.errors import NoteError, SegueError
from segue.model.pickups import DOWNBEAT_HINT, downbeat_problem
from segue.notes import Clip, Note, TimeSignature

if TYPE_CHECKING:
    from segue.bridge.dispatch import Bridge

Handler = Callable[["Bridge", ClientAddr, str, list[Any]], None]


def _model_name(bridge: Bridge, client: ClientAddr) -> str:
    state = bridge.sessions.peek(client)
    return (str(state.settings["model"]) if state else "") or bridge.models.default


def _not_own(bridge: Bridge, port: int, what: str) -> None:
    """Refuse a reply port that is the bridge's own: its replies would come back to it."""
    if port == bridge.own_port:
        raise ProtocolError(
            "bad_value",
            f"{what} {port} is the bridge's own port: replies would come back to the bridge; "
            "give the port your client listens on",
        )


def ping(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    token = args[0] if args else 0
    dest = bridge.reply_address(client)
    if len(args) > 1:
        _not_own(bridge, args[1], "reply port")
        dest = (client[0], args[1])
    model = _model_name(bridge, client)
    bridge.send(dest, P.PONG, token, __version__, model, P.PROTOCOL_VERSION, bridge.instance)


def version(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    bridge.send(bridge.reply_address(client), P.VERSION, __version__, P.PROTOCOL_VERSION)


def reply_to(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    port = args[0]
    if 0 < port < 1024:
        raise ProtocolError("bad_value", f"reply port must be 0 or from 1024 to 65535, got {port}")
    _not_own(bridge, port, "reply port")
    state = bridge.sessions.client(client)
    wanted = port or client[1]  # 0: the sending port, whatever the bridge's --reply-port
    changed = state.reply_port != wanted
    state.reply_port = wanted
    if changed:  # (0, back to its own port, is what segue's own client says first)
        say = bridge.log.info if port else bridge.log.debug
        say("%s: replies go to port %s", client_text(client), wanted)
    bridge.answer(bridge.reply_address(client), changed, P.REPLY_TO, port)


def bye(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    if bridge.sessions.release(client):
        bridge.log.debug("%s: said bye", client_text(client))


def list_models(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    dest = bridge.reply_address(client)
    entries = bridge.models.entries()
    for i, entry in enumerate(entries):
        bridge.send(
            dest,
            P.MODELS_ITEM,
            i,
            entry.name,
            entry.source,
            clip_text(bridge.models.summary(entry), P.MAX_TEXT),
        )
    bridge.send(dest, P.MODELS_END, len(entries))


def choose_model(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    before = _model_name(bridge, client)
    if args:
        _change(bridge, client, "model", args[0])
    name = _model_name(bridge, client)
    asked = not args  # a question (never a reply) is always answered
    bridge.answer(bridge.reply_address(client), asked or name != before, P.MODEL, name)


def _change(bridge: Bridge, client: ClientAddr, name: object, value: object) -> str:
    """Set one of the client's parameters; returns the parameter's name."""
    state = bridge.sessions.client(client)
    settings = params.apply(state.settings, name, value)
    if name == "model":
        bridge.models.resolve(str(settings["model"]))
    state.settings = settings
    return str(name)


def set_param(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    name = _change(bridge, client, args[0], args[1])
    settings = bridge.sessions.client(client).settings
    bridge.send(bridge.reply_address(client), P.PARAM, name, settings[name])


def get_params(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    state = bridge.sessions.peek(client)
    settings = state.settings if state is not None else params.defaults()
    names = [params.lookup(args[0]).name] if args else [p.name for p in params.PARAMS]
    dest = bridge.reply_address(client)
    for name in names:
        bridge.send(dest, P.PARAM, name, settings[name])
    bridge.send(dest, P.PARAMS_END, len(names))


def fader(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    name = path.rsplit("/", 1)[1]
    param = params.PARAMS_BY_NAME[name]
    value = params.fader_value(param, args[0])
    state = bridge.sessions.client(client)
    settings = params.apply(state.settings, name, value)
    changed, state.settings = settings != state.settings, settings
    dest = bridge.reply_address(client)
    if bridge.answer(dest, changed, path, params.fader_position(param, value)):
        bridge.send(dest, P.LABEL.replace("{param}", name), params.label(param, value))


def faders(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    state = bridge.sessions.peek(client)
    settings = state.settings if state is not None else params.defaults()
    dest = bridge.reply_address(client)
    for param, value in params.fader_values(settings):
        bridge.send(
            dest, P.FADER.replace("{param}", param.name), params.fader_position(param, value)
        )
        bridge.send(dest, P.LABEL.replace("{param}", param.name), params.label(param, value))


def seed_begin(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    rid, count, length, numerator, denominator = args[:5]
    downbeat = args[5] if len(args) > 5 else None
    signature = _signature(numerator, denominator)
    bar = signature.beats_per_bar
    problem = None if downbeat is None else downbeat_problem(downbeat, length, bar)
    if problem is not None:
        raise ProtocolError("bad_value", f"downbeat {downbeat:g} {problem}: {DOWNBEAT_HINT}", rid)
    bridge.sessions.begin(client, rid, count, length, signature, bridge.clock(), downbeat)


def seed_note(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    rid, pitch, start, duration, velocity = args
    bridge.sessions.note(client, rid, Note(pitch, start, duration, velocity))


def seed_end(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    clip = bridge.sessions.end(client, args[0])
    bridge.send(bridge.reply_address(client), P.SEED_STORED, args[0], len(clip))


def _generation_params(
    bridge: Bridge, settings: params.Settings, downbeat: float | None = None
) -> Any:
    """The request's GenerationParams: the client's ``settings``, and where bar 1 lies in
    its seed where the seed's begin told it (``downbeat``)."""
    from segue.model.settings import DRAWN_SEEDS, GenerationParams

    rng_seed = int(settings["rng_seed"])
    if rng_seed < 0:
        rng_seed = bridge.rng.randrange(DRAWN_SEEDS)
    try:
        kwargs = params.generation_kwargs(settings)
        return GenerationParams(**kwargs, rng_seed=rng_seed, downbeat=downbeat).validated()
    except SegueError as exc:
        raise ProtocolError("bad_value", str(exc)) from None


def _submit(
    bridge: Bridge,
    client: ClientAddr,
    rid: int,
    seed: Clip | None,
    settings: params.Settings,
    button: bool = False,
    live: bool = False,
    downbeat: float | None = None,
) -> None:
    """Queue a generation (or, with ``live``, a Live continuation) as a job; ``downbeat``:
    where bar 1 lies in ``seed``, where its upload told it."""
    generation = _generation_params(bridge, settings, downbeat)
    if seed is not None:  # a Live continuation checks its lengths when it has read its clip
        lengths.check(generation, seed.time_signature)
    model = bridge.models.resolve(str(settings["model"]))
    dest = bridge.reply_address(client)
    drums = bool(settings[params.DRUMS.name])
    job = Job(client, rid, dest, seed, generation, model, time.perf_counter(), button, drums)
    worker = bridge.live_worker if live else bridge.worker
    assert worker is not None
    worker.submit(job, lambda position: bridge.send(dest, P.STATUS, rid, "queued", position))


def generate(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    rid = args[0]
    if bridge.in_flight(client, rid):
        raise ProtocolError(
            "duplicate_id",
            f"request {rid} is still queued or running; wait for its done or use a new id",
            rid,
        )
    state = bridge.sessions.peek(client)
    settings = params.apply_pairs(state.settings if state else params.defaults(), args[1:])
    _generation_params(bridge, settings)  # refuse bad parameters before using the seed up
    seed, downbeat = bridge.sessions.take(client, rid)
    try:
        _submit(bridge, client, rid, seed, settings, downbeat=downbeat)
    except ProtocolError:
        bridge.sessions.give_back(client, rid, seed, downbeat)  # not accepted: ask again
        raise


def continue_button(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    """/segue/continue: the client's last seed, or nothing when it uploaded none."""
    if args[0] == 0:
        return  # a button's release
    state = bridge.sessions.client(client)
    seed, downbeat = state.last_seed, state.last_downbeat
    _press(bridge, client, seed or Clip((), None, TimeSignature()), downbeat)


def start_button(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    """/segue/start: from nothing; the last seed stays for /segue/continue."""
    if args[0] == 0:
        return  # a button's release
    _press(bridge, client, Clip((), None, TimeSignature(4, 4)))


def _press(bridge: Bridge, client: ClientAddr, seed: Clip, downbeat: float | None = None) -> None:
    """A generation button: ``seed`` with the client's parameters, as BUTTON_REQUEST."""
    state = bridge.sessions.client(client)
    try:
        _submit(bridge, client, P.BUTTON_REQUEST, seed, state.settings, True, downbeat=downbeat)
    except ProtocolError as exc:
        if exc.code == "duplicate_id":
            exc = ProtocolError("busy", "a button's generation is still running", exc.request_id)
        bridge.send(bridge.reply_address(client), P.LABEL_STATUS, exc.label(P.MAX_TEXT))
        raise exc.for_request(P.BUTTON_REQUEST) from None


def cancel(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    rid = args[0]
    learn = bridge.learning.cancel(client, rid)
    if learn == "running":
        return  # the tuning stops with the best so far and answers /segue/learn/done
    dropped_seed = bridge.sessions.cancel_upload(client, rid) or learn == "upload"
    found = bridge.worker.cancel((client, rid))
    if found is None and bridge.live_worker is not None:
        found = bridge.live_worker.cancel((client, rid))
    if found == "running":
        return  # the running job answers 'cancelled' when its generation returns
    if found is None and not dropped_seed:
        raise ProtocolError(
            "unknown_request", f"request {rid} is not uploading, queued or running", rid
        )
    bridge.error(client, cancelled(rid))


def live_continue(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    """/segue/live/continue: the clip selected in Live, continued into new clips in Live."""
    if args[0] == 0:
        return  # a button's release
    rid = P.BUTTON_REQUEST
    try:
        if bridge.live_worker is None:
            raise ProtocolError(
                "no_abletonosc",
                "this bridge was started without "
                "--abletonosc; restart it as `segue serve --abletonosc` to "
                "reach Live through AbletonOSC",
            )
        settings = bridge.sessions.client(client).settings
        _submit(bridge, client, rid, None, settings, button=True, live=True)
    except ProtocolError as exc:
        if exc.code in ("duplicate_id", "busy"):
            exc = ProtocolError("busy", "a Live continuation is still running", rid)
        bridge.send(bridge.reply_address(client), P.LABEL_STATUS, exc.label(P.MAX_TEXT))
        raise exc.for_request(rid) from None


def _signature(numerator: int, denominator: int) -> TimeSignature:
    try:
        return TimeSignature(numerator, denominator)
    except NoteError as exc:
        raise ProtocolError("bad_value", str(exc)) from None


def learn_begin(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    rid, name, clips = args[:3]
    seconds = args[3] if len(args) > 3 else P.LEARN_SECONDS
    try:
        base = bridge.models.resolve(args[4]) if len(args) > 4 and args[4] else None
    except ProtocolError as exc:
        refused = exc.for_request(rid)
        bridge.learning.refuse(client, rid, refused)
        raise refused from None
    bridge.sessions.client(client)  # a client in use, so the bridge keeps its reply port
    bridge.learning.begin(client, rid, name, clips, seconds, base, bridge.clock())


def learn_clip(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    rid, notes, length, numerator, denominator, drums = args
    signature = _signature(numerator, denominator)
    bridge.learning.clip(client, rid, notes, length, signature, bool(drums), bridge.clock())


def learn_note(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    rid, pitch, start, duration, velocity = args
    note = Note(pitch, start, duration, velocity)
    bridge.learning.note(client, rid, note, bridge.clock())


def learn_end(bridge: Bridge, client: ClientAddr, path: str, args: list[Any]) -> None:
    learning = bridge.learning.end(client, args[0], bridge.clock())
    bridge.send(bridge.reply_address(client), P.LEARN_STATUS, args[0], "starting", 0.0, -1.0)
    bridge.log.info("%s: learning %s", client_text(client), learning)


HANDLERS: dict[str, Handler] = {
    P.PING: ping,
    P.VERSION: version,
    P.REPLY_TO: reply_to,
    P.BYE: bye,
    P.MODELS: list_models,
    P.MODEL: choose_model,
    P.SET: set_param,
    P.GET: get_params,
    P.FADER: fader,
    P.SHOW_FADERS: faders,
    P.SEED_BEGIN: seed_begin,
    P.SEED_NOTE: seed_note,
    P.SEED_END: seed_end,
    P.GENERATE: generate,
    P.CONTINUE: continue_button,
    P.START: start_button,
    P.CANCEL: cancel,
    P.LIVE_CONTINUE: live_continue,
    P.LEARN_BEGIN: learn_begin,
    P.LEARN_CLIP: learn_clip,
    P.LEARN_NOTE: learn_note,
    P.LEARN_END: learn_end,
}
"""The handler of each inbound address (a family such as /segue/fader/{param} has one)."""

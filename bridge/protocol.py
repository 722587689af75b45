"""The OSC protocol of the segue bridge, declared once: every address, its arguments, its replies.

The server parses and casts arguments by this table, the client and the
tests read it, and ``docs/protocol.md`` is generated from it
(``segue protocol``; a test fails when the committed document differs).
Addresses that share a form, such as one fader per parameter, are declared
once with ``{param}`` in the path and expanded by :func:`inbound_paths`.
"""

from __future__ import annotations

from dataclasses import dataclass

from segue.bridge.codec import MAX_BUNDLE_DEPTH
from segue.bridge.errors import NO_REQUEST
from segue.bridge.params import FADERS, MAX_ID
from segue.bridge.values import num
from segue.model import settings

PREFIX = "/segue"
DEFAULT_PORT = 9123
"""UDP port the bridge listens on by default (AbletonOSC uses 11000/11001; TouchOSC 8000/9000)."""
PROTOCOL_VERSION = 1
MAX_REPLY_BYTES = 1024
"""No datagram the bridge sends is larger (a test checks every reply at its longest)."""
PACE_BURST = 192
"""Reply datagrams a long answer sends at once, before :data:`PACE_RATE` paces the rest:
three quarters of what Linux's default socket buffer holds (256 small datagrams), so a
receiver that is not scheduled during the burst still has room."""
PACE_RATE = 10000.0
"""Reply datagrams a second after the burst. At 256 and 20,000 a plain Python receiver with
the default buffer lost a begin of a 350-note answer and 46 of 7,305 notes of a long one on
this 2-core machine beside two busy processes; at 192 and 10,000 (and at 128 and 10,000)
none. The standard request (about 260 datagrams) took 2.8 ms longer at p50 than at 256 and
20,000 (9 ms at 128; three bridges interleaved, `/work/research/s26/pace_compare.py`)."""
MAX_INSTANCE = 999_999
"""The largest number a bridge's run draws for its pongs: exact as a float32 (as Max sends
numbers), and printed whole by Pure Data (which prints 6 digits)."""
MAX_DATAGRAM_BYTES = 8192
"""Larger datagrams are rejected whole (python-osc servers would silently truncate them)."""
RECEIVE_BUFFER_BYTES = 65536
MAX_SEED_NOTES = settings.SEED_NOTES
MAX_SEED_BEATS = settings.SEED_BEATS
MAX_OPEN_UPLOADS = 8
"""Seed uploads one client may have open at once."""
MAX_SEEDS = 8
"""Finished seeds one client keeps for /segue/generate (the oldest makes way)."""
MAX_REQUEST_NOTES = settings.MAX_REQUEST_NOTES
"""Notes of all the variations of one request together (each variation has at most 2,048):
the library's limit, which ``segue generate`` keeps too."""
REPLY_BUDGET = 64 * 1024
"""Reply bytes a second for each host that is not this computer, when the bridge listens
beyond it (``segue serve --reply-budget``); four seconds' worth may go at once."""
ERROR_BURST = 64
"""Errors about no request (id -1) one address may be sent at once; :data:`ERROR_RATE` a
second after that."""
ERROR_RATE = 20.0
"""Errors a second to one address after :data:`ERROR_BURST`; the rest are dropped (logged). A
program that answers each error with another bad message (or garbage) would otherwise keep
the bridge busy answering it for ever, 7,000 errors a second on loopback."""
MAX_REPLIES_PER_DATAGRAM = 64
"""Replies one datagram (a bundle of many messages, say) may draw at once; the rest are
dropped, so a small forged datagram cannot make the bridge send many times its size."""
MAX_PACED_SENDERS = 4
"""Answers to other computers that may be sent at once beside the worker, each paced by its
host's reply budget: the worker hands them over and takes the next request (a remote answer
paced to a socket that was gone held Live's request 4.7 s); past these it sends itself."""
MAX_CLIENTS_PER_HOST = 8
"""Clients one other computer may be at once (this computer's are limited only by
:data:`MAX_CLIENTS`): one host sending 64 one-datagram clients from 64 ports locked
everyone else out for a minute."""
MAX_CLIENTS = 64
CLIENT_TIMEOUT = 1800.0
"""Seconds without a message after which a client is forgotten (``--client-timeout``)."""
MAX_TEXT = 200
"""Longest text the bridge sends in one argument (longer error sentences are cut)."""
BUTTON_REQUEST = 0
"""Request id of a press of a button: /segue/continue, /segue/start, /segue/live/continue."""
MAX_LEARN_CLIPS = 1024
MAX_LEARN_NOTES = 200_000
"""Notes of all the clips of one learn upload together."""
MAX_LEARN_BEATS = 16384.0
"""Longest clip of a learn upload (an arrangement clip may be long)."""
LEARN_SECONDS = 60.0
MAX_LEARN_SECONDS = 600.0
LEARN_UPLOAD_TIMEOUT = 30.0
"""Seconds a learn upload may go without a message before it is dropped."""
RUNNING_EVERY = 10.0
"""A generation request still running says ``running`` again after this many seconds (a few
thousand notes of 16-voice chords held to one voice take a minute or more): a client that
hears nothing for much longer (the device: 60 s) has lost the bridge, not a long request."""
LEARN_STATUS_EVERY = 10.0
"""A running tuning's status is said again when it has said nothing for this long (a round
of a long tuning, or the clip memory's fit at its end, can take minutes): a client that hears
nothing for much longer has lost the bridge."""


@dataclass(frozen=True)
class Arg:
    """One argument: name, type, range and units, as the server checks it.

    Types: ``int`` (an int, or a float with no fraction: TouchOSC sends 60.0),
    ``float`` (any finite number), ``beats`` (a finite number in beats, snapped to
    the 24-ticks-per-beat grid), ``string``, ``name`` (a model's name: a string, or a whole
    number read as its digits, as Pd and Max send a name such as 808), ``value`` (a number
    or a string). A
    ``beats`` length ``after`` another argument (a note's duration after its start)
    snaps where it ends, as :func:`segue.grid.grid_rows` does (see
    :func:`segue.bridge.values.note_times`).
    """

    name: str
    kind: str
    low: float | None = None
    high: float | None = None
    units: str = ""
    doc: str = ""
    optional: bool = False
    positive: bool = False  # must be greater than 0 (not just at least ``low``)
    after: str = ""  # beats: a length from the argument so named; its end snaps, not itself
    played: bool = False  # beats: kept as it came (generation snaps it, and keeps its feel)
    over: str = "bad_value"  # error code for a value above ``high``
    max_length: int = 64  # strings

    def range_text(self) -> str:
        if self.kind == "string":
            return f"up to {self.max_length} characters"
        if self.kind == "name":
            return f"up to {self.max_length} characters (a number: its digits)"
        if self.kind == "value":
            return "number or string, see Parameters"
        if self.positive:
            text = f"> 0 .. {num(self.high)}" if self.high is not None else "> 0"
        elif self.low is not None and self.high is not None:
            text = f"{num(self.low)} .. {num(self.high)}"
        elif self.low is not None:
            text = f">= {num(self.low)}"
        else:
            text = ""
        return f"{text} {self.units}".strip()


@dataclass(frozen=True)
class Address:
    """One OSC address: its arguments, what it does and which addresses answer it."""

    path: str
    args: tuple[Arg, ...]
    doc: str
    replies: tuple[str, ...] = ()
    pairs: bool = False  # followed by any number of (name, value) pairs
    family: tuple[str, ...] = ()  # names that replace {param} in ``path``

    @property
    def required(self) -> int:
        return sum(1 for a in self.args if not a.optional)

    def paths(self) -> tuple[str, ...]:
        if not self.family:
            return (self.path,)
        return tuple(self.path.replace("{param}", name) for name in self.family)

    def signature(self) -> str:
        names = [f"[{a.name}]" if a.optional else a.name for a in self.args]
        if self.pairs:
            names.append("[name value]...")
        return " ".join(names)


@dataclass(frozen=True)
class ErrorCode:
    code: str
    when: str


def _a(path: str) -> str:
    return f"{PREFIX}/{path}"


# -- addresses --------------------------------------------------------------------------------
PING, PONG = _a("ping"), _a("pong")
VERSION = _a("version")
REPLY_TO = _a("reply_to")
BYE = _a("bye")
MODELS, MODELS_ITEM, MODELS_END = _a("models"), _a("models/item"), _a("models/end")
MODEL = _a("model")
SET, GET, PARAM, PARAMS_END = _a("set"), _a("get"), _a("param"), _a("params/end")
FADER, LABEL = _a("fader/{param}"), _a("label/{param}")
SHOW_FADERS = _a("faders")
LABEL_STATUS = _a("label/status")
SEED_BEGIN, SEED_NOTE, SEED_END, SEED_STORED = (
    _a("seed/begin"),
    _a("seed/note"),
    _a("seed/end"),
    _a("seed/stored"),
)
GENERATE, CONTINUE, START, CANCEL = (_a("generate"), _a("continue"), _a("start"), _a("cancel"))
STATUS = _a("status")
VARIATION_BEGIN, VARIATION_NOTE, VARIATION_END = (
    _a("variation/begin"),
    _a("variation/note"),
    _a("variation/end"),
)
DONE, ERROR = _a("done"), _a("error")
LIVE_CONTINUE, LIVE_CLIP = _a("live/continue"), _a("live/clip")
LEARN_BEGIN, LEARN_CLIP, LEARN_NOTE, LEARN_END = (
    _a("learn/begin"),
    _a("learn/clip"),
    _a("learn/note"),
    _a("learn/end"),
)
LEARN_STATUS, LEARN_DONE = _a("learn/status"), _a("learn/done")

ID = Arg("id", "int", 0, MAX_ID, doc="request id, chosen by the client")


SEED_TIMES = "as played: snapped to the grid, and the continuation plays with its time off it"
LEARN_TIMES = "as played: the clip is learnt as generation reads a seed (a played line as written)"


def _note_args(beats: float, kept: str = "") -> tuple[Arg, ...]:
    """A note of an upload (a seed's, a learn clip's): request id, pitch, start, duration
    (beats, up to ``beats``) and velocity. ``kept``: the times are kept as they come, for
    the reason it gives (a seed's: generation snaps them, and a repeat of the note keeps
    its swing or feel; a learn clip's: read as generation reads a seed, a played line's
    releases as the note values they stand for: snapped on arrival, a played 8th's end
    came as 10-11 ticks, learnt so where generation reads 12)."""
    played = bool(kept)
    return (
        ID,
        Arg("pitch", "int", 0, 127),
        Arg("start", "beats", 0, beats, units="beats", played=played, doc=kept),
        Arg(
            "duration",
            "beats",
            0,
            beats,
            units="beats",
            positive=True,
            after="start",
            played=played,
            doc=kept,
        ),
        Arg("velocity", "int", 1, 127),
    )


FADER_NAMES = tuple(p.name for p in FADERS)
GENERATION_REPLIES = (STATUS, VARIATION_BEGIN, VARIATION_NOTE, VARIATION_END, DONE)

INBOUND: tuple[Address, ...] = (
    Address(
        PING,
        (
            Arg(
                "token", "int", -MAX_ID, MAX_ID, doc="echoed in the pong (default 0)", optional=True
            ),
            Arg(
                "reply_port",
                "int",
                1024,
                65535,
                optional=True,
                doc="send the pong to this port instead (for senders that cannot receive)",
            ),
        ),
        "Is a bridge there? Answers with its version and this client's model.",
        (PONG,),
    ),
    Address(VERSION, (), "The segue and protocol versions.", (VERSION,)),
    Address(
        BYE,
        (),
        "This client is done: the bridge forgets it now (its reply port, parameters and "
        "seeds), and its place is free for another at once, where a quiet client makes "
        f"room only after a minute (a script that ran `segue send` over and over took the "
        f"{MAX_CLIENTS} places). A client with an upload or a learn in the bridge is kept. "
        "No answer.",
    ),
    Address(
        REPLY_TO,
        (
            Arg(
                "port",
                "int",
                0,
                65535,
                doc="0 = back to the sending port; else a port from 1024 on this client's host",
            ),
        ),
        "Send every later reply for this client (its address and sending port) to another "
        "port of its host: Max's udpreceive listens on a fixed port while udpsend sends "
        "from another.",
        (REPLY_TO,),
    ),
    Address(
        MODELS,
        (),
        "List the installed models, one message each, then the count.",
        (MODELS_ITEM, MODELS_END),
    ),
    Address(
        MODEL,
        (Arg("name", "name", optional=True, doc="an installed model's name"),),
        "Choose this client's model by name (never a path); without a name, ask which.",
        (MODEL,),
    ),
    Address(
        SET,
        (
            Arg("name", "string", doc="a parameter name (see Parameters)"),
            Arg("value", "value", doc="number or string, as the parameter takes"),
        ),
        "Set one of this client's generation parameters.",
        (PARAM,),
    ),
    Address(
        GET,
        (Arg("name", "string", optional=True, doc="one parameter; default all"),),
        "This client's parameters, one message each, then the count.",
        (PARAM, PARAMS_END),
    ),
    Address(
        FADER,
        (Arg("position", "float", 0, 1, doc="fader position"),),
        "A TouchOSC fader: the position is mapped onto the parameter's fader span and "
        "step (see Parameters) and sent back, with the value as text for a label.",
        (FADER, LABEL),
        family=FADER_NAMES,
    ),
    Address(
        SHOW_FADERS,
        (),
        "Every fader's position and its label, as this client's parameters stand: "
        "TouchOSC's Link sends it after /segue/reply_to, so the faders show the bridge's "
        "values (after the bridge restarted, a phone showed 8 bars and got 4).",
        (FADER, LABEL),
    ),
    Address(
        SEED_BEGIN,
        (
            ID,
            Arg(
                "count",
                "int",
                0,
                MAX_SEED_NOTES,
                units="notes",
                over="too_many_notes",
                doc="notes that follow (0 = start from nothing)",
            ),
            Arg(
                "length",
                "beats",
                0,
                MAX_SEED_BEATS,
                units="beats",
                positive=True,
                doc="clip length; the continuation starts here (a seed of 0 notes starts "
                "from nothing, at 0)",
            ),
            Arg("numerator", "int", 1, 99, doc="time signature"),
            Arg("denominator", "int", 1, 32, doc="time signature: 1, 2, 4, 8, 16 or 32"),
            Arg(
                "downbeat",
                "beats",
                0,
                MAX_SEED_BEATS,
                units="beats",
                optional=True,
                doc="where bar 1 lies in the clip, a bar or more before its end (a Live clip whose "
                "start marker is moved back before bar 1 to hold a pickup: 1.5); the notes before "
                "it are a pickup, heard once, and the continuation goes on from bar 1, in "
                "its bars; 0: the clip begins on bar 1. Left out, the notes say (a MIDI "
                "file's pickup bar)",
            ),
        ),
        "Start uploading a seed clip. Begin again with the same id to start over.",
        (),
    ),
    Address(
        SEED_NOTE,
        _note_args(MAX_SEED_BEATS, SEED_TIMES),
        "One note of the seed (in any order).",
        (),
    ),
    Address(SEED_END, (ID,), "Finish the upload; the count must match.", (SEED_STORED,)),
    Address(
        GENERATE,
        (ID,),
        "Continue the seed uploaded with this id (the seed is used "
        "once). The pairs override this client's parameters for this request only, e.g. "
        "`bars 8 variations 4 temperature 0.9`.",
        GENERATION_REPLIES,
        pairs=True,
    ),
    Address(
        CONTINUE,
        (Arg("press", "float", doc="1 = pressed, 0 = released (ignored)"),),
        "A TouchOSC button: continue this client's last seed (or start from nothing) "
        f"with its parameters; the replies carry request id {BUTTON_REQUEST}.",
        (*GENERATION_REPLIES, LABEL_STATUS),
    ),
    Address(
        START,
        (Arg("press", "float", doc="1 = pressed, 0 = released (ignored)"),),
        "A TouchOSC button: generate from nothing with this client's parameters; the "
        f"client's last seed is kept for {CONTINUE}; the replies carry request id "
        f"{BUTTON_REQUEST}.",
        (*GENERATION_REPLIES, LABEL_STATUS),
    ),
    Address(
        CANCEL,
        (ID,),
        "Cancel an upload or a queued or running request; it ends with "
        "error `cancelled` (a running generation stops at its next note).",
        (ERROR,),
    ),
    Address(
        LIVE_CONTINUE,
        (Arg("press", "float", doc="1 = pressed, 0 = released (ignored)"),),
        "A TouchOSC button for Live without Max (`segue serve --abletonosc`): read the clip "
        "selected in Live through AbletonOSC, continue it with this client's parameters and "
        "write each variation as a new clip into the next empty slot of its track (scenes "
        "are added when none is left); the source clip is never changed. The replies carry "
        f"request id {BUTTON_REQUEST}.",
        (STATUS, LIVE_CLIP, DONE, LABEL_STATUS),
    ),
    Address(
        LEARN_BEGIN,
        (
            ID,
            Arg("name", "name", doc="the new model's name (ASCII letters, digits, '.', '_', '-')"),
            Arg(
                "clips",
                "int",
                1,
                MAX_LEARN_CLIPS,
                units="clips",
                doc="clips that follow",
            ),
            Arg(
                "seconds",
                "float",
                1,
                MAX_LEARN_SECONDS,
                units="s",
                optional=True,
                doc=f"the time budget of the tuning (default {LEARN_SECONDS:g})",
            ),
            Arg(
                "from",
                "name",
                optional=True,
                doc="the model to tune (default auto: the one segue would choose)",
            ),
        ),
        "Start uploading clips to learn from: a new model NAME is tuned on them (one "
        "tuning at a time in the bridge; the name must not be an installed model's). Begin "
        "again with the same id to start over.",
        (),
    ),
    Address(
        LEARN_CLIP,
        (
            ID,
            Arg(
                "notes",
                "int",
                0,
                MAX_LEARN_NOTES,
                units="notes",
                over="too_many_notes",
                doc="notes of this clip that follow",
            ),
            Arg(
                "length",
                "beats",
                0,
                MAX_LEARN_BEATS,
                units="beats",
                positive=True,
                over="too_long",
                doc="the clip's length",
            ),
            Arg("numerator", "int", 1, 99, doc="time signature"),
            Arg("denominator", "int", 1, 32, doc="time signature: 1, 2, 4, 8, 16 or 32"),
            Arg("drums", "int", 0, 1, doc="1 = the clip plays a drum track (kept apart)"),
        ),
        "The next clip of a learn upload; its notes follow.",
        (),
    ),
    Address(
        LEARN_NOTE,
        _note_args(MAX_LEARN_BEATS, LEARN_TIMES),
        "One note of the clip being uploaded (in any order).",
        (),
    ),
    Address(
        LEARN_END,
        (ID,),
        "Finish the learn upload (the counts must match) and start the tuning in the "
        "background: the bridge keeps answering. Progress comes as /segue/learn/status; "
        "the end as /segue/learn/done (the model is then in /segue/models) or an error. "
        "/segue/cancel with the id (or the bridge stopping) stops the tuning with the best so "
        "far, which is installed and said as /segue/learn/done; before the first tuning step, "
        "nothing is installed (error cancelled).",
        (LEARN_STATUS, LEARN_DONE),
    ),
)

_STATES = (
    f"queued (position 1 = next) or running (position 0; said again every "
    f"{RUNNING_EVERY:g} s while it runs)"
)
OUTBOUND: tuple[Address, ...] = (
    Address(
        PONG,
        (
            Arg("token", "int"),
            Arg("version", "string", max_length=32),
            Arg("model", "string"),
            Arg("protocol", "int"),
            Arg(
                "instance",
                "int",
                1,
                MAX_INSTANCE,
                doc="this run of the bridge, drawn at its start: another after a restart",
            ),
        ),
        "Answer to ping.",
    ),
    Address(
        VERSION,
        (Arg("version", "string", max_length=32), Arg("protocol", "int")),
        "Answer to version.",
    ),
    Address(REPLY_TO, (Arg("port", "int"),), "Confirms the reply port, sent to it."),
    Address(
        MODELS_ITEM,
        (
            Arg("index", "int"),
            Arg("name", "string"),
            Arg("source", "string", doc="bundled or user"),
            Arg("summary", "string", max_length=MAX_TEXT),
        ),
        "One model.",
    ),
    Address(MODELS_END, (Arg("count", "int"),), "After the models."),
    Address(MODEL, (Arg("name", "string"),), "This client's model."),
    Address(PARAM, (Arg("name", "string"), Arg("value", "value")), "One parameter's value."),
    Address(PARAMS_END, (Arg("count", "int"),), "After the parameters."),
    Address(
        FADER,
        (Arg("position", "float", 0, 1),),
        "Fader feedback: where the fader belongs for the value now set.",
        family=FADER_NAMES,
    ),
    Address(
        LABEL,
        (Arg("text", "string"),),
        "The value as text, for a TouchOSC label.",
        family=FADER_NAMES,
    ),
    Address(
        LABEL_STATUS,
        (Arg("text", "string", max_length=MAX_TEXT),),
        "What the last button press (/segue/continue, /segue/start, "
        "/segue/live/continue) did, for a TouchOSC label.",
    ),
    Address(SEED_STORED, (ID, Arg("notes", "int")), "The seed is complete."),
    Address(
        STATUS,
        (ID, Arg("state", "string", doc=_STATES), Arg("position", "int")),
        "Progress of a request.",
    ),
    Address(
        VARIATION_BEGIN,
        (
            ID,
            Arg("index", "int", doc="0, 1, ..."),
            Arg("notes", "int"),
            Arg("length", "float", units="beats"),
            Arg("start", "float", units="beats", doc="where it starts on the seed's timeline"),
        ),
        "A variation begins: its notes start at 0 (a new clip).",
    ),
    Address(
        VARIATION_NOTE,
        (
            ID,
            Arg("index", "int"),
            Arg("pitch", "int", 0, 127),
            Arg("start", "float", units="beats"),
            Arg("duration", "float", units="beats"),
            Arg("velocity", "int", 1, 127),
        ),
        "One note of a variation.",
    ),
    Address(VARIATION_END, (ID, Arg("index", "int")), "A variation is complete."),
    Address(
        DONE,
        (
            ID,
            Arg("variations", "int"),
            Arg("ms", "float", units="ms", doc="from request to done"),
            Arg("rng_seed", "int", doc="give it back as rng_seed to repeat"),
            Arg("model", "string", doc="the model that continued the seed (with auto, its choice)"),
            Arg(
                "key",
                "string",
                doc="the key the notes were locked to (with auto, the one heard in the seed); "
                "empty without a key lock",
            ),
            Arg(
                "said",
                "string",
                max_length=MAX_TEXT,
                optional=True,
                doc="where a seed sent without `drums 1` looks like a drum beat, a hat part "
                "or a ride part (a Drum Rack's clip on a melodic channel), or a drum model "
                "named for it plays a part that looks like no beat: how it was played and "
                "which model to choose, as `segue generate` says it; and where key `auto` "
                "keeps a note that sounds like a slip of the finger, the note, its place and "
                "how to leave it out; else empty",
            ),
        ),
        "The request is complete.",
    ),
    Address(
        LIVE_CLIP,
        (
            ID,
            Arg("track", "int", doc="track index, from 0 as AbletonOSC counts"),
            Arg("scene", "int", doc="scene (clip slot) index, from 0"),
            Arg("notes", "int"),
            Arg("length", "float", units="beats"),
            Arg("name", "string", doc="the clip's name"),
        ),
        "/segue/live/continue wrote a clip into Live.",
    ),
    Address(
        LEARN_STATUS,
        (
            ID,
            Arg("state", "string", doc="starting, tuning or fitting (the clip memory)"),
            Arg("percent", "float", 0, 100, doc="of the time budget spent"),
            Arg("loss", "float", doc="held-out loss now, nats per note (-1: not yet)"),
        ),
        f"Progress of a tuning: at its start, after each round, at the clip memory's fit, and "
        f"again whenever it has said nothing for {LEARN_STATUS_EVERY:g} s.",
    ),
    Address(
        LEARN_DONE,
        (
            ID,
            Arg("name", "string", doc="the new model, now in /segue/models"),
            Arg("before", "float", doc="held-out loss before tuning, nats per note"),
            Arg("after", "float", doc="and after"),
            Arg("seconds", "float", units="s", doc="time spent tuning"),
            Arg(
                "drums_left_out",
                "int",
                0,
                doc="drum clips not learnt from, as a melodic model was tuned (from drums, "
                "the drum clips are learnt)",
            ),
            Arg(
                "melodic_left_out",
                "int",
                0,
                doc="melodic clips not learnt from, as the drum model was tuned",
            ),
        ),
        "A tuning is complete and its model installed.",
    ),
    Address(
        ERROR,
        (
            Arg("id", "int", doc=f"the request, or {NO_REQUEST} when the message had none"),
            Arg("code", "string", max_length=24, doc="see Errors"),
            Arg("message", "string", max_length=MAX_TEXT, doc="a sentence for people"),
        ),
        "Something was wrong; the bridge keeps serving.",
    ),
)

ERRORS: tuple[ErrorCode, ...] = (
    ErrorCode(
        "malformed",
        "the datagram is not an OSC message or bundle: garbage bytes, "
        "truncated, size not a multiple of 4, no type tags, bytes left over; or bundles "
        f"nested more than {MAX_BUNDLE_DEPTH} deep",
    ),
    ErrorCode("too_big", f"the datagram is over {MAX_DATAGRAM_BYTES} bytes"),
    ErrorCode(
        "unknown_address",
        "no such /segue/ address (messages outside /segue/, and replies such as "
        "/segue/error, are ignored, never answered)",
    ),
    ErrorCode(
        "bad_arguments",
        "wrong number of arguments, or a wrong type (a string where a "
        "number belongs, a blob, an array)",
    ),
    ErrorCode(
        "bad_value",
        "a number that is NaN or infinite, out of range, or not whole where "
        "a whole number belongs (pitch 60.5); a zero or negative duration",
    ),
    ErrorCode("unknown_parameter", "no parameter of that name"),
    ErrorCode("unknown_model", "no installed model of that name (names only, never paths)"),
    ErrorCode(
        "melodic_model",
        "a melodic model named for a drum clip (a Drum Rack's track in Live): its notes would "
        "play as drum pads; choose the drum model or auto",
    ),
    ErrorCode(
        "no_upload",
        "a seed note or end, or a learn clip, note or end, with no upload begun for its id "
        "(or one already dropped; the clips and notes that follow a dropped learn upload, or "
        "a refused learn begin, are ignored, and its end is answered with the error that "
        "dropped or refused it)",
    ),
    ErrorCode(
        "count_mismatch",
        "a seed, or a learn upload's clip, with more or fewer notes than announced, or a "
        "learn upload with more or fewer clips (the upload is dropped)",
    ),
    ErrorCode("bad_seed", "the notes do not fit the clip (a note starts at or after its length)"),
    ErrorCode(
        "upload_timeout",
        "a seed upload did not end in time (default 10 s), or a learn upload went "
        f"{LEARN_UPLOAD_TIMEOUT:g} s without a message, and was dropped",
    ),
    ErrorCode("too_many_uploads", "this client has too many uploads open at once"),
    ErrorCode(
        "no_seed",
        "generate names an id with no finished seed (upload one; a seed "
        "of 0 notes starts from nothing)",
    ),
    ErrorCode(
        "too_many_notes",
        f"a seed of more than {MAX_SEED_NOTES} notes, or a learn upload of more than "
        f"{MAX_LEARN_NOTES} in all",
    ),
    ErrorCode("too_many_variations", "more variations than the bridge allows (16)"),
    ErrorCode(
        "too_long",
        "a length over a limit: 256 beats a variation (in bars too: 8 bars of 7/4 are 56 "
        f"beats), 2048 notes a variation, {MAX_REQUEST_NOTES} notes a request",
    ),
    ErrorCode("duplicate_id", "a request with this id is still queued or running"),
    ErrorCode(
        "busy",
        "the request queue is full, or the client's button (/segue/continue, /segue/start) is "
        "still generating; try again shortly",
    ),
    ErrorCode(
        "too_many_clients",
        "the bridge keeps as many clients as it may and all are in use; try again shortly",
    ),
    ErrorCode(
        "forgotten",
        "sent once, with id -1, to a client the bridge forgot (long quiet) when it speaks "
        "again: its reply port, parameters and seeds are gone; send /segue/reply_to and "
        "the parameters again",
    ),
    ErrorCode(
        "cancelled",
        "the request was cancelled (a cancel of a stored seed drops it: a generate of its id "
        "then says no_seed), or the bridge is stopping",
    ),
    ErrorCode("unknown_request", "cancel names no upload or request of this client"),
    ErrorCode(
        "cannot_generate",
        "the parameters cannot be met (e.g. no pitch of the key in the pitch range)",
    ),
    ErrorCode("no_abletonosc", "/segue/live/continue on a bridge started without `--abletonosc`"),
    ErrorCode(
        "live_timeout",
        "Live did not answer through AbletonOSC (is Live running with "
        "AbletonOSC chosen as a Control Surface? it listens on UDP 11000 and answers on "
        "11001)",
    ),
    ErrorCode(
        "no_clip",
        "no MIDI clip in the slot selected in Live (an empty slot, an audio "
        "clip, the master or a return track)",
    ),
    ErrorCode(
        "no_empty_slot",
        "no empty clip slot after the clip on its track, and Live did not add a scene",
    ),
    ErrorCode(
        "live_error",
        "AbletonOSC reported an error (`/live/error`), or Live did not do what was asked",
    ),
    ErrorCode("internal", "a fault inside the bridge (logged); it keeps serving"),
    ErrorCode(
        "learning",
        "a tuning is being uploaded or running already (one at a time): the sentence names "
        "its model and about how long it has left; learn again after its /segue/learn/done",
    ),
    ErrorCode(
        "name_taken",
        "the name is a bundled model's or an installed model's, or another tuning (a "
        "`segue tune`) is running into it",
    ),
    ErrorCode(
        "too_little",
        "too little material to learn from (at least 64 notes in 2 or more clips)",
    ),
    ErrorCode(
        "cannot_learn",
        "the tuning cannot start (e.g. only drum clips and no drum model installed)",
    ),
)
ERROR_CODES = frozenset(e.code for e in ERRORS)


def inbound_paths() -> dict[str, Address]:
    """Every concrete address the bridge answers, with its declaration."""
    return {path: address for address in INBOUND for path in address.paths()}


def outbound_paths() -> dict[str, Address]:
    return {path: address for address in OUTBOUND for path in address.paths()}


def request_and_reply_paths() -> frozenset[str]:
    """Addresses the bridge both answers and sends (/segue/reply_to, /segue/model, the
    faders): where two bridges could answer each other without end (see dispatch)."""
    return frozenset(outbound_paths()) & frozenset(inbound_paths())


def reply_only_paths() -> frozenset[str]:
    """Addresses the bridge only sends: received, they are ignored (no error ping-pong)."""
    return frozenset(outbound_paths()) - frozenset(inbound_paths())

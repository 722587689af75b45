"""docs/protocol.md, generated from the protocol and settings tables (``segue protocol``)."""

from __future__ import annotations

from segue.bridge import protocol as P
from segue.bridge import values
from segue.bridge.codec import MAX_BUNDLE_DEPTH
from segue.bridge.learning import KEEP_BEST_WAIT
from segue.bridge.lengths import MAX_BEATS, MAX_NOTES, notes_per_variation
from segue.bridge.loglimit import INTERVAL
from segue.bridge.params import FADERS, PARAMS
from segue.bridge.session import ONE_SHOT_QUIET, QUIET
from segue.model.settings import Setting

HEADER = """\
# The segue bridge protocol (OSC over UDP)

<!-- Generated from bridge/protocol.py by `segue protocol -o docs/protocol.md -f`;
     do not edit by hand (a test compares the two). -->

`segue serve` listens on UDP port **{port}** of 127.0.0.1 (`--host 0.0.0.0` for
TouchOSC on a phone; `--allow` limits who may use it). Protocol version {version}.

## Conventions

- Every address starts with `{prefix}/`. Send plain messages (bundles are read too:
  their time tags are not waited for, every message is answered as it comes, and a
  bundle with an element that is not OSC is refused whole, `malformed`, as are bundles
  nested more than {bundle_depth} deep: a bundle in a bundle is 2).
- **Numbers**: any argument that takes a number takes an int or a float. TouchOSC
  and Max send floats: `60.0` is pitch 60, `60.5` is an error (`bad_value`), and so
  are NaN and infinity. `int` below means a whole number in either form. OSC's true
  and false (`T`, `F`) count as 1 and 0.
- **Times** are in beats (quarter notes, as in Live). They arrive as float32
  (1/3 as 0.33333334) and are snapped to segue's grid of 24 ticks per beat, but for
  a seed note's start and duration, which are kept as played: the model snaps them,
  and the continuation plays with the seed's timing off the grid (a swing, a played
  take): a repeat of a note as it was played, the network's own notes as the seed
  plays their places and its 16ths. A learn clip's notes are kept as played too: the
  clip is learnt as generation reads a seed (a played line as written, its releases
  read as the note values they stand for). Replies carry float32: snap a time that lies within a
  float's rounding of a tick (1/1000 of a tick) back to it, as the device does.
- **Clients**: a client is its (host, sending port). Request ids, uploads and
  parameters belong to their client, so ids of two clients never mix. Ids are
  chosen by the client (0 .. 2147483647); a new id per request is safest.
  Pure Data (and Max, when it sends a number as a float) sends float32, which
  holds whole numbers exactly only up to 16777216 (2^24): a larger request id,
  ping token or `rng_seed` arrives rounded to another number, so keep them below it.
- **Replies** go to the sending host and port, or to the port set with
  `{reply_to}` (or `segue serve --reply-port`, for the clients that name none;
  `{reply_to} 0` brings a client's replies back to its sending port, as `segue send` and
  `segue ping` ask first). Every reply datagram is at most
  {max_reply} bytes; datagrams over {max_datagram} bytes are refused (`too_big`).
- **`{reply_to}` needs one sending port**: it names the port for the client that
  sends it, and a client is its sending port. Max's `udpsend`, Pure Data's
  `[netsend -u -b]`, TouchOSC and liblo's `oscsendfile` keep one port; liblo's
  `oscsend` sends each call from a new port, so with it give the ping's
  `reply_port` or start the bridge with `--reply-port`.
- **Errors**: anything wrong is answered with `{error} id code message` and
  logged; the bridge keeps serving. Replies sent to the bridge (such as
  `{error}`) are ignored, never answered, and so are datagrams that could start
  a loop (see Loops, floods and forgotten clients).

## A request

```
{example}
```

A seed of 0 notes starts from nothing. Cancel with `{cancel} 7`.
"""


EXAMPLE = (
    ("->", P.SEED_BEGIN, "7 3 4.0 4 4", "id, notes, clip length (beats), time signature"),
    ("->", P.SEED_NOTE, "7 62 0.0 1.0 100", "id, pitch, start, duration, velocity"),
    ("->", P.SEED_NOTE, "7 64 1.0 1.0 100", ""),
    ("->", P.SEED_NOTE, "7 66 2.0 2.0 100", ""),
    ("->", P.SEED_END, "7", ""),
    ("<-", P.SEED_STORED, "7 3", ""),
    ("->", P.GENERATE, "7 bars 2 variations 2 key auto", "id, then name/value pairs"),
    ("<-", P.STATUS, "7 queued 1", ""),
    ("<-", P.STATUS, "7 running 0", ""),
    ("<-", P.VARIATION_BEGIN, "7 0 5 8.0 4.0", "id, index, notes, length, start on the seed"),
    ("<-", P.VARIATION_NOTE, "7 0 67 0.0 0.5 90", "id, index, pitch, start, duration, velocity"),
    ("  ", "...", "", ""),
    ("<-", P.VARIATION_END, "7 0", ""),
    ("  ", "...", "", "variation 1 the same way"),
    ("<-", P.DONE, '7 2 41.5 1234567 melody "D major"', "id, variations, ms, rng seed, model, key"),
)


def _example() -> str:
    rows = [(f"{arrow} {address} {args}".rstrip(), note) for arrow, address, args, note in EXAMPLE]
    width = max(len(r[0]) for r in rows) + 2
    return "\n".join(f"{text:<{width}}{note}".rstrip() if note else text for text, note in rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _args(address: P.Address) -> str:
    if not address.args and not address.pairs:
        return "none"
    parts = []
    for arg in address.args:
        bits = [arg.kind]
        if arg.range_text():
            bits.append(arg.range_text())
        text = f"`{arg.name}` ({', '.join(bits)})"
        if arg.optional:
            text = f"[{text}]"
        if arg.doc:
            text += f": {arg.doc}"
        parts.append(text)
    if address.pairs:
        parts.append("then any number of `name value` pairs (see Parameters)")
    return "<br>".join(_cell(p) for p in parts)


def _path(address: P.Address) -> str:
    return f"`{address.path}`"


def _inbound_table() -> list[str]:
    lines = ["| address | arguments | replies | what it does |", "|---|---|---|---|"]
    for a in P.INBOUND:
        replies = "<br>".join(f"`{r}`" for r in a.replies) or "errors only"
        lines.append(f"| {_path(a)} | {_args(a)} | {replies} | {_cell(a.doc)} |")
    return lines


def _outbound_table() -> list[str]:
    lines = ["| address | arguments | meaning |", "|---|---|---|"]
    for a in P.OUTBOUND:
        lines.append(f"| {_path(a)} | {_args(a)} | {_cell(a.doc)} |")
    return lines


def _range(param: Setting) -> str:
    if param.kind == "string":
        return "text"
    return f"{values.num(param.low)} .. {values.num(param.high)}" + (
        f" {param.units}" if param.units else ""
    )


def _fader(param: Setting) -> str:
    if param.fader is None:
        return "-"
    low, high, step = param.fader
    return f"{values.num(low)} .. {values.num(high)}, step {values.num(step)}"


def _params_table() -> list[str]:
    lines = [
        "| name | type | range | default | fader 0..1 maps to | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for p in PARAMS:
        if p.kind == "string":
            default = f"`{p.default}`" if p.default else "empty"
        else:
            default = values.num(p.default)
        lines.append(
            f"| `{p.name}` | {p.kind} | {_range(p)} | {default} | {_fader(p)} | {_cell(p.help)} |"
        )
    return lines


def _errors_table() -> list[str]:
    lines = ["| code | when |", "|---|---|"]
    lines += [f"| `{e.code}` | {_cell(e.when)} |" for e in P.ERRORS]
    return lines


def _policies() -> list[str]:
    """The rules that keep the bridge out of loops and floods, and why (as trusted UDP
    services keep them)."""
    budget = P.REPLY_BUDGET // 1024
    many = next(v for v in range(1, 17) if notes_per_variation(v) < MAX_NOTES)
    return [
        "## Loops, floods and forgotten clients",
        "",
        "UDP lets anyone send a datagram with someone else's address as its sender, and "
        "an answer goes wherever that says. The bridge keeps the rules that trusted UDP "
        "services keep, so that no datagram, forged or not, makes it loop, flood anyone or "
        "drop a client in use.",
        "",
        "- **No loops.** A datagram from the bridge's own port (its own reply come back, or "
        "another bridge on the same port), from a port below 1024 (where echo, DNS or NTP "
        "would answer the answer) or from a broadcast, multicast or unspecified address is "
        "never answered: BSD's inetd refuses these for its UDP services for the same reason. "
        f"A reply port that is the bridge's own (`{P.REPLY_TO}`, the ping's `reply_port`, "
        "`--reply-port`) is refused, and replies such as `/segue/error` are never answered "
        "(as DNS and NTP never answer a response).",
        f"- **No echoes.** `{P.REPLY_TO}`, `{P.MODEL}` and the faders are both requests and "
        "replies, so two bridges could answer each other's answers without end. The same "
        "answer to a request that changed nothing goes to one place at most twice in a row "
        "(a third time it would only feed such a loop); any other message from there starts "
        "over.",
        "- **No floods.** When the bridge listens beyond this computer (`--host 0.0.0.0`), "
        f"replies to each other host may take {budget} KiB a second ({4 * budget} KiB at "
        "once; `segue serve --reply-budget`), as DNS servers limit their responses per "
        "client: the bridge must not become a way to flood a stranger whose address a "
        "request forged. A generation's notes wait for room instead of being lost, sent "
        f"beside the requests that follow ({P.MAX_PACED_SENDERS} such answers at once), so "
        "they do not hold this computer's; another computer has one request at a time. Other "
        "replies over the budget are dropped. Clients on this computer have no budget. "
        "What one request can make the bridge send is bounded too (see Limits).",
        "- **Fair under a flood.** Datagrams are handled one per source in turn (a source is "
        "a host; on this computer, a host and port), so a client that floods the bridge "
        "waits behind its own datagrams and only its own are dropped; the others are "
        f"answered as usual. Each kind of bad message is logged once per source every "
        f"{INTERVAL:g} s, with a count of those left out (`-q` or not).",
        "- **Only segue's addresses are answered.** A message outside `/segue/` is "
        "ignored (and logged), so a program that answers whatever it hears, say with an "
        "error of its own, cannot start a conversation without end. Errors about no "
        f"request (id -1: garbage, an unknown address) to one address are paced: "
        f"{P.ERROR_BURST} at once, then {P.ERROR_RATE:g} a second; the rest are dropped "
        "and logged. A request's errors are always sent.",
        "- **No amplification.** One datagram draws at most "
        f"{P.MAX_REPLIES_PER_DATAGRAM} replies at once (a bundle of many "
        f"`{P.GET}` included); the rest are dropped and logged.",
        "- **Clients are forgotten only when quiet.** Any message counts as use, every seed "
        f"note too. A client quiet for {P.CLIENT_TIMEOUT / 60:g} minutes "
        "(`segue serve --client-timeout`) is forgotten, unless it has an upload open or a "
        "learn uploading or tuning: its replies are still due. The bridge keeps at most "
        f"{P.MAX_CLIENTS} clients, {P.MAX_CLIENTS_PER_HOST} of them from any one other "
        "computer: a new one takes the place of one quiet for at least "
        f"{QUIET:g} s (or heard only once and quiet for {ONE_SHOT_QUIET:g} s, as each of "
        "liblo's `oscsend` calls is) with no upload open and no learn, or is refused "
        "(`too_many_clients`); a client in use is never pushed out. A forgotten client "
        "that speaks again gets "
        f"`{P.ERROR} -1 forgotten ...` (and `{P.LABEL_STATUS}`) at the port its replies "
        f"went to, unless its message is `{P.REPLY_TO}`, which sets it up again. The Live "
        "device pings every 20 s, so it is never forgotten while Live runs.",
        "- **Errors about a stray message** naming a request that is still queued or "
        f"running (a second `{P.GENERATE} 7` while 7 runs, or a `{P.LEARN_END} 7` while "
        "learn 7 tunes) carry id -1, not that request's, so the client waiting for its "
        "replies is not told it failed. An upload dropped, or a "
        f"`{P.SEED_BEGIN}` or `{P.LEARN_BEGIN}` refused, is said once: the notes (and "
        "clips) of that id that follow are ignored, and its end is answered with the "
        "reason.",
        "- **Stopping.** On Ctrl-C or SIGTERM (Ctrl-Break on Windows) running requests stop "
        "at their next note, every request and upload in flight is answered (`done`, or "
        f'`{P.ERROR} id cancelled` "the bridge is stopping") and the bridge exits within '
        "a second, or while a learn's tuning process stops: one with steps behind it "
        "installs its best, refits its clip memory and says "
        f"`{P.LEARN_DONE}` (the bridge waits up to {KEEP_BEST_WAIT:g} s for it; a refit "
        "still running then is ended, and the model stays installed with its base's clip "
        "memory, as its card says), one without ends at once.",
        "",
        "## Limits",
        "",
        f"- Seeds: at most {P.MAX_SEED_NOTES} notes and {P.MAX_SEED_BEATS:g} beats; an "
        "upload must end within the upload timeout (`segue serve --upload-timeout`, "
        f"default 10 s). A client may have {P.MAX_OPEN_UPLOADS} uploads open and keeps its "
        f"{P.MAX_SEEDS} latest finished seeds for `{P.GENERATE}`: an older one has made way "
        "(`no_seed`, which says so).",
        "- Requests: lengths and variations as in Parameters; a bounded queue "
        "(`segue serve --queue`, default 8) answers `busy` when full. Another computer "
        "has one request queued or running at a time (`busy`), and this computer's "
        "requests are queued before another computer's.",
        f"- Every length holds in beats and in notes, whatever the time signature: a length "
        f"in bars is counted in the seed's beats and held to {MAX_BEATS:g} beats too (one "
        "bar of 99/1 is 396 beats). A variation has at most "
        f"{MAX_NOTES} notes and a request {P.MAX_REQUEST_NOTES} in all: from {many} "
        f"variations on, {P.MAX_REQUEST_NOTES} / variations each ({notes_per_variation(16)} "
        "with 16). A longer "
        "variation (of bars or beats) ends at its last note within that; a `notes` "
        "length over it is refused (`too_long`).",
        f"- Long answers are paced ({P.PACE_BURST} datagrams at once, then "
        f"{P.PACE_RATE:,.0f} per second), so that a receiver with a small socket buffer "
        "(Linux's default holds 256 small datagrams) keeps up. A client should still ask "
        "for a larger buffer (`SO_RCVBUF`, 1 MiB or more: segue's own client takes 4 MiB) and "
        "check each variation's notes against the count in its `/segue/variation/begin`: a "
        "busy computer can drop a datagram on loopback too.",
    ]


def render() -> str:
    """The whole document (Markdown)."""
    head = HEADER.format(
        port=P.DEFAULT_PORT,
        version=P.PROTOCOL_VERSION,
        prefix=P.PREFIX,
        example=_example(),
        reply_to=P.REPLY_TO,
        max_reply=P.MAX_REPLY_BYTES,
        max_datagram=P.MAX_DATAGRAM_BYTES,
        bundle_depth=MAX_BUNDLE_DEPTH,
        error=P.ERROR,
        cancel=P.CANCEL,
    )
    faders = ", ".join(f"`{p.name}`" for p in FADERS)
    sections = [
        head,
        "## Messages to the bridge",
        "",
        *_inbound_table(),
        "",
        f"`{{param}}` in a fader address is one of {faders}.",
        "",
        "## Messages from the bridge",
        "",
        *_outbound_table(),
        "",
        "## Parameters",
        "",
        "Each client has its own. Set them with `/segue/set name value`, with a fader, or "
        "for one request as pairs after `/segue/generate id`.",
        "",
        *_params_table(),
        "",
        "## TouchOSC",
        "",
        f"- A fader whose address is `{P.FADER}` sends one float 0..1; the bridge maps it "
        "onto the span above, answers the same address with the position of the value it "
        f"set (feedback) and `{P.LABEL}` with the value as text.",
        f"- A button on `{P.CONTINUE}` continues the last seed this client uploaded (or "
        "starts from nothing) when pressed (1.0); the release (0.0) is ignored. "
        f"`{P.LABEL_STATUS}` tells what happened.",
        f"- A button on `{P.START}` generates from nothing (the client's last seed stays "
        f"for `{P.CONTINUE}`); one on `{P.LIVE_CONTINUE}` continues the clip selected in "
        "Live and writes new clips there (`segue serve --abletonosc`).",
        "- `examples/touchosc/segue.tosc` is a ready layout with these faders and buttons.",
        "- Set the bridge's host and port as TouchOSC's send host and port; replies go to "
        f"the port TouchOSC sends from, or to the port named with `{P.REPLY_TO}` or "
        "`segue serve --reply-port` (TouchOSC's receive port).",
        "",
        "## From a terminal or Python",
        "",
        "- `segue ping` checks that a bridge answers (version, model, round trip).",
        "- `segue send SEED.mid -o OUT.mid` continues a MIDI file through the bridge, "
        "exactly as the Live device does.",
        "- `segue.bridge.client.BridgeClient` is the same client as a library: `ping()`, "
        '`generate(clip, {"bars": 8, "variations": 4})`, `set()`, `get()`, `models()`.',
        "",
        "## Errors",
        "",
        *_errors_table(),
        "",
        *_policies(),
    ]
    return "\n".join(sections) + "\n"

"""docs/protocol.md, generated from the protocol and settings tables (``segue protocol``)."""

from __future__ import annotations

from segue.bridge import protocol as P
from segue.bridge import values
from segue.bridge.params import FADERS, PARAMS
from segue.model.settings import Setting

HEADER = """\
# The segue bridge protocol (OSC over UDP)

<!-- Generated from bridge/protocol.py by `segue protocol -o docs/protocol.md`;
     do not edit by hand (a test compares the two). -->

`segue serve` listens on UDP port **{port}** of 127.0.0.1 (`--host 0.0.0.0` for
TouchOSC on a phone; `--allow` limits who may use it). Protocol version {version}.

## Conventions

- Every address starts with `{prefix}/`. Send plain messages (bundles are read too).
- **Numbers**: any argument that takes a number takes an int or a float. TouchOSC
  and Max send floats: `60.0` is pitch 60, `60.5` is an error (`bad_value`), and so
  are NaN and infinity. `int` below means a whole number in either form.
- **Times** are in beats (quarter notes, as in Live). They arrive as float32
  (1/3 as 0.33333334) and are snapped to segue's grid of 24 ticks per beat;
  replies carry grid times as float32, so snap them the same way.
- **Clients**: a client is its (host, sending port). Request ids, uploads and
  parameters belong to their client, so ids of two clients never mix. Ids are
  chosen by the client (0 .. 2147483647); a new id per request is safest.
- **Replies** go to the sending host and port, or to the port set with
  `{reply_to}` (or `segue serve --reply-port`). Every reply datagram is at most
  {max_reply} bytes; datagrams over {max_datagram} bytes are refused (`too_big`).
- **Errors**: anything wrong is answered with `{error} id code message` and
  logged; the bridge keeps serving. Replies sent to the bridge (such as
  `{error}`) are ignored, never answered.

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
    ("->", P.GENERATE, "7 bars 2 variations 2", "id, then name/value pairs"),
    ("<-", P.STATUS, "7 queued 1", ""),
    ("<-", P.STATUS, "7 running 0", ""),
    ("<-", P.VARIATION_BEGIN, "7 0 5 8.0 4.0", "id, index, notes, length, start on the seed"),
    ("<-", P.VARIATION_NOTE, "7 0 67 0.0 0.5 90", "id, index, pitch, start, duration, velocity"),
    ("  ", "...", "", ""),
    ("<-", P.VARIATION_END, "7 0", ""),
    ("  ", "...", "", "variation 1 the same way"),
    ("<-", P.DONE, "7 2 41.5 1234567", "id, variations, ms, rng seed"),
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
        "## Limits",
        "",
        f"- Seeds: at most {P.MAX_SEED_NOTES} notes and {P.MAX_SEED_BEATS:g} beats; an "
        "upload must end within the upload timeout (`segue serve --upload-timeout`, "
        "default 10 s).",
        "- Requests: lengths and variations as in Parameters; a bounded queue "
        "(`segue serve --queue`, default 8) answers `busy` when full.",
        "- Long answers are paced (256 datagrams at once, then 20,000 per second) so a "
        "receiver's socket buffer does not overflow.",
    ]
    return "\n".join(sections) + "\n"

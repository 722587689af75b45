"""Write segue.tosc, the TouchOSC layout for the segue bridge: ``python make_layout.py``.

A .tosc file is zlib-compressed XML, ``<lexml version='3'>`` holding one root
GROUP node; each control is a ``<node type='FADER'|'BUTTON'|'LABEL'|...>``
with ``<properties>`` (typed key/value pairs, in alphabetical order),
``<values>`` (its live state: ``x`` and ``touch``, or ``text``) and
``<messages>``: ``<osc>`` bindings whose address and arguments are lists of
``<partial>`` (CONSTANT text, or a VALUE of the control converted and scaled).
Everything here is written the way the TouchOSC editor writes it: one line,
keys and strings in CDATA, whole numbers without ``.0``.

The layout speaks only the bridge's TouchOSC addresses (see docs/protocol.md):

* four faders, temperature, bars, variations and memory, send ``/segue/fader/NAME``
  with their position 0..1 and move to the position the bridge sends back;
  a label beside each shows ``/segue/label/NAME``;
* Continue sends ``/segue/continue`` 1.0 on press and 0.0 on release (ignored
  by the bridge): the last seed this client uploaded, or nothing;
* Generate sends ``/segue/start`` the same way: from nothing, whatever was
  uploaded before (the uploaded seed stays for Continue);
* Continue in Live sends ``/segue/live/continue`` the same way: with
  ``segue serve --abletonosc`` the bridge continues the clip selected in Live
  and writes the new clips there (without it, the status label says
  ``error: no_abletonosc``);
* Link sends ``/segue/reply_to 9124`` so the bridge answers on TouchOSC's
  receive port whatever port TouchOSC sends from; the bridge confirms on
  ``/segue/reply_to``, which a label shows; then ``/segue/faders``, so the faders
  and their labels show the bridge's values (after the bridge restarted, too);
* a status label shows ``/segue/label/status`` after each press.

Node ids are UUIDs derived from the control names, so the output is the same
on every run (tests/test_touchosc.py compares it with the committed file).
"""

from __future__ import annotations

import sys
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

from segue.bridge import params as bridge_params
from segue.bridge import protocol as P

LAYOUT = Path(__file__).with_name("segue.tosc")
FORMAT_VERSION = "3"
LINK_PORT = 9124
"""TouchOSC's receive port, as the README asks the user to set it."""
FADER_PARAMS = ("temperature", "bars", "variations", "memory")
FADER_TOP, FADER_STEP = 170, 146  # where the first fader's caption goes, and the next's
WIDTH, HEIGHT = 480, FADER_TOP + len(FADER_PARAMS) * FADER_STEP + 272
MARGIN = 20
# The connections a control sends on: one character per connection, the last one is
# connection 1 (five in a version 3 file). "00001", connection 1 only, is TouchOSC's own
# default, as layouts saved by TouchOSC hold it (shakfu/py2tosc's tests/data/controls.tosc).
CONNECTIONS = "00001"
_NAMESPACE = uuid.UUID("6d1f6c0e-5e9a-4c3b-9b7e-2f0a3c4d5e6f")

Color = tuple[float, float, float, float]
Frame = tuple[int, int, int, int]

BACKGROUND: Color = (0.09, 0.09, 0.11, 1.0)
FADER_COLOR: Color = (0.2, 0.72, 0.69, 1.0)
CONTINUE_COLOR: Color = (0.95, 0.55, 0.2, 1.0)
GENERATE_COLOR: Color = (0.55, 0.45, 0.95, 1.0)
LIVE_COLOR: Color = (0.3, 0.62, 0.38, 1.0)
LINK_COLOR: Color = (0.4, 0.4, 0.48, 1.0)
WHITE: Color = (1.0, 1.0, 1.0, 1.0)
DIM: Color = (0.7, 0.7, 0.75, 1.0)
CLEAR: Color = (0.0, 0.0, 0.0, 0.0)

LEFT, CENTER, RIGHT = 1, 2, 3  # textAlignH counts from 1
EAST = 1  # orientation: a horizontal fader, 0 at the left


# -- the document model --------------------------------------------------------------------


@dataclass(frozen=True)
class Prop:
    """A property: ``kind`` is s (string), b (bool), i (int), f (float), r (frame), c (colour)."""

    kind: str
    key: str
    value: str | bool | int | float | Frame | Color


@dataclass(frozen=True)
class Value:
    key: str
    default: str | bool | float


@dataclass(frozen=True)
class Partial:
    """One piece of an OSC address or one argument."""

    type: str  # CONSTANT, VALUE, PROPERTY or INDEX
    conversion: str  # BOOLEAN, INTEGER, FLOAT or STRING
    value: str
    scale_min: float = 0
    scale_max: float = 1


@dataclass(frozen=True)
class Trigger:
    var: str = "x"
    condition: str = "ANY"  # ANY, RISE or FALL


@dataclass(frozen=True)
class Osc:
    address: str
    arguments: tuple[Partial, ...] = ()
    send: bool = True
    receive: bool = True
    triggers: tuple[Trigger, ...] = (Trigger(),)


@dataclass(frozen=True)
class Node:
    type: str
    name: str
    props: tuple[Prop, ...]
    values: tuple[Value, ...] = ()
    messages: tuple[Osc, ...] = ()
    children: tuple[Node, ...] = ()


# -- controls ------------------------------------------------------------------------------


def _common(
    name: str,
    frame: Frame,
    color: Color,
    *,
    interactive: bool,
    background: bool = True,
    outline: bool = False,
) -> tuple[Prop, ...]:
    return (
        Prop("b", "background", background),
        Prop("c", "color", color),
        Prop("f", "cornerRadius", 1.0),
        Prop("r", "frame", frame),
        Prop("b", "grabFocus", interactive),
        Prop("b", "interactive", interactive),
        Prop("b", "locked", False),
        Prop("s", "name", name),
        Prop("i", "orientation", 0),
        Prop("b", "outline", outline),
        Prop("i", "outlineStyle", 0),
        Prop("i", "pointerPriority", 0),
        Prop("i", "shape", 1),
        Prop("b", "visible", True),
    )


def _with(props: tuple[Prop, ...], *extra: Prop) -> tuple[Prop, ...]:
    """``props`` with ``extra`` added or replacing those of the same key, sorted by key."""
    merged = {p.key: p for p in props}
    merged.update({p.key: p for p in extra})
    return tuple(merged[k] for k in sorted(merged))


def label(
    name: str,
    frame: Frame,
    text: str,
    *,
    size: int = 18,
    align: int = CENTER,
    color: Color = WHITE,
    listen: str | None = None,
) -> Node:
    """A label; with ``listen`` its text is set by the string argument of that address."""
    props = _with(
        _common(name, frame, CLEAR, interactive=False, background=False),
        Prop("i", "font", 0),
        Prop("i", "textAlignH", align),
        Prop("i", "textAlignV", 2),
        Prop("b", "textClip", True),
        Prop("c", "textColor", color),
        Prop("i", "textLength", 0),
        Prop("i", "textSize", size),
    )
    messages: tuple[Osc, ...] = ()
    if listen is not None:
        messages = (Osc(listen, (Partial("VALUE", "STRING", "text"),), send=False, triggers=()),)
    return Node("LABEL", name, props, (Value("text", text), Value("touch", False)), messages)


def grid_steps(span: tuple[float, float, float]) -> int:
    """Grid lines for a fader's (low, high, step): one per step, or for a fine fader the
    most, up to 10, that fall on its steps."""
    low, high, step = span
    steps = round((high - low) / step)
    return steps if steps <= 32 else max(d for d in range(1, 11) if steps % d == 0)


def fader(name: str, frame: Frame, param: str) -> Node:
    """A horizontal fader on ``/segue/fader/PARAM``: sends 0..1, follows the bridge's answer.
    Its span, steps and starting place are the settings table's (through the bridge)."""
    spec = bridge_params.PARAMS_BY_NAME[param]
    assert spec.fader is not None, f"{param} has no fader in the settings table"
    start = bridge_params.fader_position(spec, spec.default)
    address = P.FADER.replace("{param}", param)
    props = _with(
        _common(name, frame, FADER_COLOR, interactive=True, outline=True),
        Prop("b", "bar", True),
        Prop("i", "barDisplay", 0),
        Prop("b", "cursor", True),
        Prop("i", "cursorDisplay", 0),
        Prop("b", "grid", True),
        Prop("c", "gridColor", (0.0, 0.0, 0.0, 0.25)),
        Prop("i", "gridSteps", grid_steps(spec.fader)),
        Prop("i", "orientation", EAST),
        Prop("i", "response", 0),
        Prop("i", "responseFactor", 100),
    )
    message = Osc(address, (Partial("VALUE", "FLOAT", "x", 0, 1),))
    return Node("FADER", name, props, (Value("x", start), Value("touch", False)), (message,))


def button(name: str, frame: Frame, color: Color, messages: tuple[Osc, ...]) -> Node:
    """A momentary button: x is 1 while pressed, 0 once released."""
    props = _with(
        _common(name, frame, color, interactive=True, outline=True),
        Prop("i", "buttonType", 0),
        Prop("b", "press", True),
        Prop("b", "release", True),
        Prop("b", "valuePosition", False),
    )
    return Node("BUTTON", name, props, (Value("x", 0.0), Value("touch", False)), messages)


def press_value(address: str) -> Osc:
    """Send-only: the button's x (1.0 pressed, 0.0 released) to ``address``."""
    return Osc(address, (Partial("VALUE", "FLOAT", "x", 0, 1),), receive=False)


def on_press(address: str, *constants: tuple[str, str]) -> Osc:
    """Send-only, on the press alone: constant arguments given as (conversion, text)."""
    args = tuple(Partial("CONSTANT", conversion, text) for conversion, text in constants)
    return Osc(address, args, receive=False, triggers=(Trigger("x", "RISE"),))


def captioned_button(
    name: str, frame: Frame, color: Color, caption: str, messages: tuple[Osc, ...]
) -> tuple[Node, Node]:
    """A button and a label on top of it (buttons have no text of their own)."""
    return (button(name, frame, color, messages), label(f"{name}_caption", frame, caption, size=22))


def layout(link_port: int = LINK_PORT) -> Node:
    """The whole layout: a portrait phone page of WIDTH x HEIGHT points."""
    inner = WIDTH - 2 * MARGIN
    children: list[Node] = [
        label("title", (MARGIN, 14, inner, 44), "segue", size=30, align=LEFT),
        label(
            "subtitle",
            (MARGIN, 58, inner, 24),
            "continue a phrase with an LSTM",
            size=14,
            align=LEFT,
            color=DIM,
        ),
        *captioned_button(
            "link",
            (MARGIN, 92, 140, 56),
            LINK_COLOR,
            "Link",
            (on_press(P.REPLY_TO, ("INTEGER", str(link_port))), on_press(P.SHOW_FADERS)),
        ),
        label(
            "link_port_caption",
            (176, 92, 170, 56),
            "replies on port",
            size=16,
            align=LEFT,
            color=DIM,
        ),
        label(
            "link_port",
            (346, 92, WIDTH - MARGIN - 346, 56),
            "-",
            size=18,
            align=RIGHT,
            listen=P.REPLY_TO,
        ),
    ]
    for i, param in enumerate(FADER_PARAMS):
        spec = bridge_params.PARAMS_BY_NAME[param]
        top = FADER_TOP + i * FADER_STEP
        children += [
            label(f"{param}_caption", (MARGIN, top, 220, 40), param, align=LEFT, color=DIM),
            label(
                f"{param}_value",
                (240, top, WIDTH - MARGIN - 240, 40),
                bridge_params.label(spec, spec.default),
                size=20,
                align=RIGHT,
                listen=P.LABEL.replace("{param}", param),
            ),
            fader(param, (MARGIN, top + 44, inner, 84), param),
        ]
    top = FADER_TOP + len(FADER_PARAMS) * FADER_STEP
    half = (inner - 16) // 2
    children += [
        *captioned_button(
            "continue",
            (MARGIN, top, half, 96),
            CONTINUE_COLOR,
            "Continue",
            (press_value(P.CONTINUE),),
        ),
        *captioned_button(
            "generate",
            (WIDTH - MARGIN - half, top, half, 96),
            GENERATE_COLOR,
            "Generate",
            (press_value(P.START),),
        ),
        button("live", (MARGIN, top + 112, inner, 80), LIVE_COLOR, (press_value(P.LIVE_CONTINUE),)),
        label("live_caption", (MARGIN, top + 120, inner, 40), "Continue in Live", size=22),
        label("live_hint", (MARGIN, top + 160, inner, 26), "segue serve --abletonosc", size=13),
        label(
            "status", (MARGIN, top + 208, inner, 48), "-", size=16, color=DIM, listen=P.LABEL_STATUS
        ),
    ]
    root_props = _with(_common("segue", (0, 0, WIDTH, HEIGHT), BACKGROUND, interactive=False))
    return Node("GROUP", "segue", root_props, (Value("touch", False),), (), tuple(children))


# -- XML -----------------------------------------------------------------------------------


def _num(value: float | int | bool) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if float(value).is_integer():
        return str(int(value))
    return f"{float(value):.6g}"


def _cdata(text: str) -> str:
    if "]]>" in text:
        raise ValueError(f"text cannot hold ']]>': {text!r}")
    return f"<![CDATA[{text}]]>"


def _leaf(tag: str, body: str) -> str:
    return f"<{tag}>{body}</{tag}>"


def property_xml(prop: Prop) -> str:
    value = prop.value
    if prop.kind in ("r", "c"):
        assert isinstance(value, tuple)
        names = "xywh" if prop.kind == "r" else "rgba"
        body = "".join(_leaf(n, _num(v)) for n, v in zip(names, value, strict=True))
    elif prop.kind == "s":
        assert isinstance(value, str)
        body = _cdata(value)
    else:
        assert isinstance(value, bool | int | float)
        body = _num(value)
    return (
        f"<property type='{prop.kind}'>{_leaf('key', _cdata(prop.key))}"
        f"{_leaf('value', body)}</property>"
    )


def value_xml(value: Value) -> str:
    default = value.default
    if isinstance(default, bool):
        text = "true" if default else "false"  # booleans are words here, not 0 and 1
    elif isinstance(default, str):
        text = default
    else:
        text = _num(default)
    return (
        "<value>"
        + _leaf("key", _cdata(value.key))
        + _leaf("locked", "0")
        + _leaf("lockedDefaultCurrent", "0")
        + _leaf("default", _cdata(text))
        + _leaf("defaultPull", "0")
        + "</value>"
    )


def _partials(tag: str, partials: tuple[Partial, ...]) -> str:
    body = "".join(
        "<partial>"
        + _leaf("type", p.type)
        + _leaf("conversion", p.conversion)
        + _leaf("value", _cdata(p.value))
        + _leaf("scaleMin", _num(p.scale_min))
        + _leaf("scaleMax", _num(p.scale_max))
        + "</partial>"
        for p in partials
    )
    return _leaf(tag, body)


def osc_xml(message: Osc) -> str:
    triggers = ""
    if message.triggers:
        triggers = _leaf(
            "triggers",
            "".join(
                "<trigger>"
                + _leaf("var", _cdata(t.var))
                + _leaf("condition", t.condition)
                + "</trigger>"
                for t in message.triggers
            ),
        )
    return (
        "<osc>"
        + _leaf("enabled", "1")
        + _leaf("send", _num(message.send))
        + _leaf("receive", _num(message.receive))
        + _leaf("feedback", "0")
        + _leaf("connections", CONNECTIONS)
        + triggers
        + _partials("path", (Partial("CONSTANT", "STRING", message.address),))
        + _partials("arguments", message.arguments)
        + "</osc>"
    )


def node_id(node: Node) -> str:
    return str(uuid.uuid5(_NAMESPACE, node.name))


def node_xml(node: Node) -> str:
    parts = [
        f"<node ID='{node_id(node)}' type='{node.type}'>",
        _leaf("properties", "".join(property_xml(p) for p in node.props)),
    ]
    if node.values:
        parts.append(_leaf("values", "".join(value_xml(v) for v in node.values)))
    if node.messages:
        parts.append(_leaf("messages", "".join(osc_xml(m) for m in node.messages)))
    if node.children:
        parts.append(_leaf("children", "".join(node_xml(c) for c in node.children)))
    parts.append("</node>")
    return "".join(parts)


def document_xml(root: Node) -> str:
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><lexml version='{FORMAT_VERSION}'>"
        f"{node_xml(root)}</lexml>"
    )


def tosc_bytes(xml: str) -> bytes:
    """The .tosc file: the XML, zlib-compressed (level 9, so the same bytes every run)."""
    return zlib.compress(xml.encode("utf-8"), 9)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else LAYOUT
    data = tosc_bytes(document_xml(layout()))
    out.write_bytes(data)
    print(f"wrote {out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

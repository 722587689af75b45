"""The TouchOSC layout: its file, its addresses, and what a phone running it sees from a bridge.

The committed examples/touchosc/segue.tosc is read here as TouchOSC reads it
(zlib, then the lexml XML), independently of the generator. A simulated
phone then does what TouchOSC does with it: a control sends each of its OSC
messages whose trigger fires, with its arguments converted and scaled, from
one UDP port, and the replies that arrive on its receive port update the
controls whose receive address matches.
"""

from __future__ import annotations

import importlib.util
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from segue.bridge import params as bridge_params
from segue.bridge import protocol as P
from segue.bridge.codec import Message, decode, encode
from segue.bridge.testing import running_server

FOLDER = Path(__file__).resolve().parents[1] / "examples" / "touchosc"
LAYOUT = FOLDER / "segue.tosc"
FADERS = ("temperature", "bars", "variations", "memory")
CONTROL_TYPES = {
    "BOX",
    "BUTTON",
    "LABEL",
    "TEXT",
    "FADER",
    "XY",
    "RADIAL",
    "ENCODER",
    "RADAR",
    "RADIO",
    "GROUP",
    "PAGER",
    "GRID",
}
GENERATION = {P.STATUS, P.VARIATION_BEGIN, P.VARIATION_NOTE, P.VARIATION_END, P.DONE, P.SEED_STORED}


# -- reading the layout ----------------------------------------------------------------------


@dataclass(frozen=True)
class Arg:
    type: str
    conversion: str
    value: str
    scale_min: float
    scale_max: float


@dataclass(frozen=True)
class Binding:
    address: str
    send: bool
    receive: bool
    feedback: bool
    triggers: tuple[tuple[str, str], ...]
    args: tuple[Arg, ...]


@dataclass
class Control:
    id: str
    type: str
    props: dict[str, object]
    values: dict[str, object]
    bindings: list[Binding]
    children: list[Control] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.props["name"])

    @property
    def frame(self) -> tuple[float, float, float, float]:
        return self.props["frame"]  # type: ignore[return-value]


def _text(element: ET.Element | None) -> str:
    assert element is not None, "a required element is missing"
    return element.text or ""


def _property(element: ET.Element) -> tuple[str, object]:
    kind, key, value = element.get("type"), _text(element.find("key")), element.find("value")
    assert value is not None
    if kind == "r":
        return key, tuple(float(_text(value.find(n))) for n in "xywh")
    if kind == "c":
        return key, tuple(float(_text(value.find(n))) for n in "rgba")
    if kind == "b":
        assert value.text in ("0", "1"), f"{key}: a boolean property is 0 or 1"
        return key, value.text == "1"
    if kind == "i":
        return key, int(_text(value))
    if kind == "f":
        return key, float(_text(value))
    assert kind == "s", f"unknown property type {kind!r}"
    return key, value.text or ""


def _default(key: str, text: str) -> object:
    if key == "text":
        return text
    if text in ("true", "false"):
        return text == "true"
    return float(text)


def _binding(element: ET.Element) -> Binding:
    def flag(tag: str) -> bool:
        value = _text(element.find(tag))
        assert value in ("0", "1"), f"<{tag}> is 0 or 1"
        return value == "1"

    path = element.find("path")
    assert path is not None
    pieces = []
    for partial in path.findall("partial"):
        assert _text(partial.find("type")) == "CONSTANT", "addresses here are constant"
        pieces.append(_text(partial.find("value")))
    args = tuple(
        Arg(
            _text(p.find("type")),
            _text(p.find("conversion")),
            p.findtext("value") or "",
            float(_text(p.find("scaleMin"))),
            float(_text(p.find("scaleMax"))),
        )
        for p in element.findall("arguments/partial")
    )
    triggers = tuple(
        (_text(t.find("var")), _text(t.find("condition")))
        for t in element.findall("triggers/trigger")
    )
    # Connection 1 only, TouchOSC's default: not every connection the user has set up.
    assert _text(element.find("connections")) == "00001"
    return Binding("".join(pieces), flag("send"), flag("receive"), flag("feedback"), triggers, args)


def _control(node: ET.Element) -> Control:
    props = dict(_property(p) for p in node.findall("properties/property"))
    values = {
        _text(v.find("key")): _default(_text(v.find("key")), _text(v.find("default")))
        for v in node.findall("values/value")
    }
    bindings = [_binding(osc) for osc in node.findall("messages/osc")]
    children = [_control(child) for child in node.findall("children/node")]
    return Control(node.get("ID", ""), node.get("type", ""), props, values, bindings, children)


def load_root(data: bytes) -> Control:
    text = zlib.decompress(data).decode("utf-8")
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>")
    tree = ET.fromstring(text)
    assert tree.tag == "lexml" and tree.get("version") == "3"
    nodes = tree.findall("node")
    assert len(nodes) == 1 and nodes[0].get("type") == "GROUP"
    return _control(nodes[0])


def walk(control: Control) -> list[Control]:
    out = [control]
    for child in control.children:
        out += walk(child)
    return out


@pytest.fixture(scope="module")
def root() -> Control:
    return load_root(LAYOUT.read_bytes())


@pytest.fixture(scope="module")
def controls(root: Control) -> dict[str, Control]:
    return {c.name: c for c in walk(root)}


def _generator() -> ModuleType:
    name = "segue_touchosc_make_layout"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, FOLDER / "make_layout.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


# -- the file --------------------------------------------------------------------------------


def test_the_layout_is_compressed_lexml_with_unique_named_controls(root: Control) -> None:
    everything = walk(root)
    assert all(c.type in CONTROL_TYPES for c in everything)
    assert len({c.id for c in everything}) == len(everything)
    assert len({c.name for c in everything}) == len(everything)
    types = [c.type for c in everything]
    assert types.count("FADER") == len(FADERS) and types.count("BUTTON") == 4
    for control in everything:  # properties are written sorted, as the editor writes them
        assert list(control.props) == sorted(control.props), control.name
        assert "touch" in control.values


def test_the_generator_reproduces_the_committed_file_byte_for_byte(tmp_path: Path) -> None:
    generator = _generator()
    xml = generator.document_xml(generator.layout())
    committed = LAYOUT.read_bytes()
    assert zlib.decompress(committed).decode("utf-8") == xml, (
        "segue.tosc is stale: run python examples/touchosc/make_layout.py"
    )
    assert generator.tosc_bytes(xml) == committed
    out = tmp_path / "again.tosc"
    result = subprocess.run(
        [sys.executable, FOLDER / "make_layout.py", out],
        capture_output=True,
        text=True,
        timeout=60,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == committed


def test_every_address_is_one_the_bridge_answers_or_sends(root: Control) -> None:
    inbound, outbound = P.inbound_paths(), P.outbound_paths()
    sent, received = set(), set()
    for control in walk(root):
        for binding in control.bindings:
            if binding.send:
                assert binding.address in inbound, f"{control.name} sends {binding.address}"
                spec = inbound[binding.address]
                assert spec.required <= len(binding.args) <= len(spec.args), control.name
                sent.add(binding.address)
            if binding.receive:
                assert binding.address in outbound, (
                    f"{control.name} listens to {binding.address}, which the bridge never sends"
                )
                assert len(binding.args) == len(outbound[binding.address].args)
                received.add(binding.address)
            assert not binding.feedback  # a received value must not be sent straight back
    faders = {P.FADER.replace("{param}", p) for p in FADERS}
    labels = {P.LABEL.replace("{param}", p) for p in FADERS}
    assert sent == faders | {P.CONTINUE, P.START, P.LIVE_CONTINUE, P.REPLY_TO, P.SHOW_FADERS}
    assert received == faders | labels | {P.LABEL_STATUS, P.REPLY_TO}


def test_each_fader_starts_at_the_bridge_default_and_has_its_label(
    controls: dict[str, Control],
) -> None:
    for name in FADERS:
        param = bridge_params.PARAMS_BY_NAME[name]
        fader = controls[name]
        assert fader.type == "FADER"
        [binding] = fader.bindings
        assert binding.send and binding.receive
        assert binding.address == P.FADER.replace("{param}", name)
        assert binding.args == (Arg("VALUE", "FLOAT", "x", 0.0, 1.0),)
        assert fader.values["x"] == pytest.approx(
            bridge_params.fader_position(param, param.default), abs=1e-6
        )
        [label] = [
            c
            for c in controls.values()
            if any(b.address == P.LABEL.replace("{param}", name) for b in c.bindings)
        ]
        assert label.type == "LABEL"
        assert label.values["text"] == bridge_params.label(param, param.default)
        assert label.bindings[0].args == (Arg("VALUE", "STRING", "text", 0.0, 1.0),)
        assert not label.bindings[0].send
        low, high, step = param.fader  # the settings table's span: grid lines on its steps
        steps = round((high - low) / step)
        assert 1 <= fader.props["gridSteps"] <= 32 and steps % fader.props["gridSteps"] == 0


def test_controls_fit_the_page_and_touchable_ones_do_not_overlap(root: Control) -> None:
    _, _, width, height = root.frame
    touchable = []
    for control in walk(root)[1:]:
        x, y, w, h = control.frame
        assert 0 <= x and 0 <= y and x + w <= width and y + h <= height, control.name
        assert w > 0 and h > 0
        if control.props["interactive"]:
            touchable.append(control)
        else:
            assert control.type in ("LABEL", "GROUP")
    for i, a in enumerate(touchable):
        for b in touchable[i + 1 :]:
            ax, ay, aw, ah = a.frame
            bx, by, bw, bh = b.frame
            apart = ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
            assert apart, f"{a.name} and {b.name} overlap"
    # the label on a button must not take its touches
    for name in ("continue", "generate", "live", "link"):
        assert not [c for c in walk(root) if c.name == f"{name}_caption"][0].props["interactive"]


def test_the_three_buttons_send_their_press_and_release(controls: dict[str, Control]) -> None:
    press = Arg("VALUE", "FLOAT", "x", 0.0, 1.0)
    for name, address in (
        ("continue", P.CONTINUE),
        ("generate", P.START),
        ("live", P.LIVE_CONTINUE),
    ):
        button = controls[name]
        assert button.type == "BUTTON" and button.props["press"] and button.props["release"]
        [binding] = button.bindings
        assert (binding.address, binding.send, binding.receive) == (address, True, False), name
        assert binding.args == (press,) and binding.triggers == (("x", "ANY"),), name
    assert controls["live_caption"].values["text"] == "Continue in Live"
    assert "--abletonosc" in str(controls["live_hint"].values["text"])


# -- a phone running the layout --------------------------------------------------------------


def _convert(conversion: str, value: object) -> object:
    if conversion == "FLOAT":
        return float(value)  # type: ignore[arg-type]
    if conversion == "INTEGER":
        return int(round(float(value)))  # type: ignore[arg-type]
    if conversion == "BOOLEAN":
        return bool(float(value))  # type: ignore[arg-type]
    assert conversion == "STRING"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fires(triggers: tuple[tuple[str, str], ...], var: str, old: float, new: float) -> bool:
    for watched, condition in triggers:
        if watched != var or old == new:
            continue
        if (
            condition == "ANY"
            or (condition == "RISE" and new > old)
            or (condition == "FALL" and new < old)
        ):
            return True
    return False


class Phone:
    """TouchOSC with the layout loaded: sends from one port, listens on its receive port."""

    def __init__(self, root: Control, bridge: tuple[str, int], receive_port: int) -> None:
        self.controls = {c.name: c for c in walk(root)}
        self.state = {c.name: dict(c.values) for c in walk(root)}
        self.bridge = bridge
        self.out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.out.bind(("127.0.0.1", 0))
        self.inbox = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.port_swap: dict[int, int] = {}
        try:
            self.inbox.bind(("127.0.0.1", receive_port))
        except OSError:  # the layout's port is taken here: listen elsewhere, link to that
            self.inbox.bind(("127.0.0.1", 0))
            self.port_swap[receive_port] = self.inbox.getsockname()[1]
        self.seen: list[Message] = []
        self.errors: list[tuple[object, ...]] = []
        self.expected_errors: set[str] = set()

    def close(self) -> None:
        self.out.close()
        self.inbox.close()

    def set(self, name: str, x: float) -> list[tuple[str, tuple[object, ...]]]:
        """Change a control's x as a touch would; returns (and sends) what it sends."""
        control, old = self.controls[name], float(self.state[name]["x"])  # type: ignore[arg-type]
        self.state[name]["x"] = x
        sent = []
        for binding in control.bindings:
            if not binding.send or not _fires(binding.triggers, "x", old, x):
                continue
            args = []
            for arg in binding.args:
                if arg.type == "VALUE":
                    raw = arg.scale_min + x * (arg.scale_max - arg.scale_min)
                    args.append(_convert(arg.conversion, raw))
                else:
                    assert arg.type == "CONSTANT"
                    value = _convert(arg.conversion, arg.value)
                    if binding.address == P.REPLY_TO and isinstance(value, int):
                        value = self.port_swap.get(value, value)
                    args.append(value)
            self.out.sendto(encode(binding.address, tuple(args)), self.bridge)
            sent.append((binding.address, tuple(args)))
        return sent

    def press(self, name: str) -> list[tuple[str, tuple[object, ...]]]:
        return self.set(name, 1.0) + self.set(name, 0.0)

    def send(self, address: str, *args: object) -> None:
        """What no control sends (a seed upload), from the same port."""
        self.out.sendto(encode(address, args), self.bridge)

    def receive(self, timeout: float) -> Message | None:
        self.inbox.settimeout(timeout)
        try:
            data = self.inbox.recv(65536)
        except TimeoutError:
            return None
        [message] = decode(data)
        if message.address == P.ERROR:
            assert message.args[1] in self.expected_errors, f"the bridge answered {message.args}"
            self.errors.append(message.args)
            return message
        self.seen.append(message)
        for control in self.controls.values():
            for binding in control.bindings:
                if binding.receive and binding.address == message.address:
                    assert len(message.args) == len(binding.args)
                    for arg, value in zip(binding.args, message.args, strict=True):
                        if arg.type == "VALUE":
                            if arg.conversion == "FLOAT":
                                assert isinstance(value, float), message
                            self.state[control.name][arg.value] = _convert(arg.conversion, value)
        return message

    def until(self, address: str, timeout: float = 30.0) -> list[Message]:
        out = []
        while True:
            message = self.receive(timeout)
            assert message is not None, f"no {address} (got {[m.address for m in out]})"
            out.append(message)
            if message.address == address:
                return out

    def quiet(self, wait: float = 0.3) -> list[Message]:
        out = []
        while (message := self.receive(wait)) is not None:
            out.append(message)
        return out

    def text(self, name: str) -> str:
        return str(self.state[name]["text"])


def _link_port(root: Control) -> int:
    [binding] = [b for c in walk(root) for b in c.bindings if b.address == P.REPLY_TO and b.send]
    [arg] = binding.args
    assert arg.type == "CONSTANT" and arg.conversion == "INTEGER"
    return int(arg.value)


def _variations(messages: list[Message]) -> list[tuple[int, float, float]]:
    """(notes, length, start) of each /segue/variation/begin."""
    return [
        (int(m.args[2]), float(m.args[3]), float(m.args[4]))  # type: ignore[arg-type]
        for m in messages
        if m.address == P.VARIATION_BEGIN
    ]


def test_a_phone_running_the_layout_drives_a_real_bridge(root: Control, models_dir) -> None:
    link_port = _link_port(root)
    assert link_port == 9124
    with running_server(models_dir) as server:
        phone = Phone(root, ("127.0.0.1", server.address[1]), link_port)
        try:
            _drive(phone)
        finally:
            phone.close()
    others = {  # the bridge's other faders, which /segue/faders reports too: not on the page
        P.FADER.replace("{param}", p.name) for p in bridge_params.FADERS
    } | {P.LABEL.replace("{param}", p.name) for p in bridge_params.FADERS}
    unexpected = (
        {m.address for m in phone.seen}
        - GENERATION
        - others
        - {b.address for c in walk(root) for b in c.bindings if b.receive}
    )
    assert not unexpected, f"replies no control of the layout shows: {unexpected}"


def _drive(phone: Phone) -> None:
    # Link: the bridge now answers on the phone's receive port, and says so; and the faders
    # show the bridge's values (after a restart, a phone showed 8 bars and got 4)
    phone.state["bars"]["x"] = 0.5  # where a fader stood for the bridge before a restart
    assert [a for a, _ in phone.press("link")] == [P.REPLY_TO, P.SHOW_FADERS]
    phone.until(P.REPLY_TO, 5)
    assert phone.text("link_port") == str(phone.inbox.getsockname()[1])
    phone.until(P.LABEL.replace("{param}", "memory"), 5)  # the last fader's label
    bars = bridge_params.PARAMS_BY_NAME["bars"]
    assert phone.state["bars"]["x"] == pytest.approx(bridge_params.fader_position(bars, 4.0))
    assert (phone.text("bars_value"), phone.text("temperature_value")) == ("4 bars", "1")

    # each fader: the bridge puts it on the parameter's step and its label says the value
    final = {"temperature": 0.375, "bars": 1 / 31, "variations": 1 / 15, "memory": 0.25}
    for name in FADERS:
        param = bridge_params.PARAMS_BY_NAME[name]
        for x in (1.0, 0.0, 0.618, final[name]):
            sent = phone.set(name, x)
            assert sent == [(P.FADER.replace("{param}", name), (x,))]
            replies = [phone.receive(5), phone.receive(5)]
            assert [m.address for m in replies if m] == [
                P.FADER.replace("{param}", name),
                P.LABEL.replace("{param}", name),
            ]
            value = bridge_params.fader_value(param, x)
            assert phone.state[name]["x"] == pytest.approx(
                bridge_params.fader_position(param, value), abs=1e-6
            )
            assert phone.text(f"{name}_value") == bridge_params.label(param, value)
    assert phone.text("temperature_value") == "0.75"
    assert phone.text("bars_value") == "2 bars"
    assert phone.text("variations_value") == "2"
    assert phone.text("memory_value") == "0.5"

    # Continue with nothing uploaded starts from nothing; its release is ignored
    assert [a for a, _ in phone.press("continue")] == [P.CONTINUE, P.CONTINUE]
    replies = phone.until(P.LABEL_STATUS)
    assert phone.quiet() == []
    done = [m for m in replies if m.address == P.DONE]
    assert len(done) == 1 and done[0].args[:2] == (P.BUTTON_REQUEST, 2)
    assert [(length, start) for _, length, start in _variations(replies)] == [(8.0, 0.0)] * 2
    notes = sum(1 for m in replies if m.address == P.VARIATION_NOTE)
    counted = f"{notes} note" + ("" if notes == 1 else "s")  # an untrained model: maybe 1
    assert re.fullmatch(rf"2 variations, {counted}, tiny, \d+ ms", phone.text("status"))

    # a seed this client uploaded: Continue continues it, Generate starts from nothing
    phone.send(P.SEED_BEGIN, 5, 3, 6.0, 3, 4)
    for pitch, start in ((62, 0.0), (66, 1.0), (69, 2.0)):
        phone.send(P.SEED_NOTE, 5, pitch, start, 1.0, 96)
    phone.send(P.SEED_END, 5)
    assert phone.until(P.SEED_STORED, 5)[-1].args == (5, 3)
    phone.press("continue")
    # 2 bars of the seed's 3/4 after its 6 beats
    assert [(v[1], v[2]) for v in _variations(phone.until(P.LABEL_STATUS))] == [(6.0, 6.0)] * 2

    assert phone.press("generate") == [(P.START, (1.0,)), (P.START, (0.0,))]
    replies = phone.until(P.LABEL_STATUS)
    assert phone.quiet() == []  # the release was ignored
    # 2 bars of 4/4 from nothing
    assert [(v[1], v[2]) for v in _variations(replies)] == [(8.0, 0.0)] * 2
    assert all(0 <= m.args[3] < 8.0 for m in replies if m.address == P.VARIATION_NOTE)
    assert phone.text("status").startswith("2 variations, ")

    # Generate left the uploaded seed alone: Continue still continues it
    phone.press("continue")
    assert [(v[1], v[2]) for v in _variations(phone.until(P.LABEL_STATUS))] == [(6.0, 6.0)] * 2

    # Continue in Live needs `segue serve --abletonosc`; this bridge says so on the status label
    phone.expected_errors = {"no_abletonosc"}
    sent = phone.press("live")
    assert sent == [(P.LIVE_CONTINUE, (1.0,)), (P.LIVE_CONTINUE, (0.0,))]
    assert [m.address for m in phone.until(P.ERROR, 5)] == [P.LABEL_STATUS, P.ERROR]
    # the sentence too: TouchOSC shows no /segue/error
    assert phone.text("status").startswith("error: no_abletonosc: ")
    assert "--abletonosc" in phone.text("status")
    assert phone.quiet() == []  # the release was ignored
    assert phone.errors == [(P.BUTTON_REQUEST, "no_abletonosc", phone.errors[0][2])]
    assert "--abletonosc" in str(phone.errors[0][2])

"""The bridge's protocol table, its document, its codec and its parameter mapping (no sockets)."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

from segue.bridge import codec, params
from segue.bridge import protocol as P
from segue.bridge.arguments import parse
from segue.bridge.docgen import render
from segue.bridge.errors import ProtocolError
from segue.bridge.values import whole

ROOT = Path(__file__).resolve().parents[1]


# -- the table and its document ---------------------------------------------------------------

def test_committed_protocol_doc_matches_the_table() -> None:
    committed = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert committed == render(), "regenerate it: segue protocol -o docs/protocol.md"


def test_protocol_check_command(segue_cli, tmp_path: Path) -> None:
    assert segue_cli("protocol", "--check", cwd=ROOT).returncode == 0
    stale = tmp_path / "protocol.md"
    stale.write_text(render().replace("9123", "9124"), encoding="utf-8")
    result = segue_cli("protocol", "--check", stale)
    assert result.returncode == 1 and "differs" in result.stderr


def test_every_reply_is_declared_and_every_address_is_under_the_prefix() -> None:
    outbound = P.outbound_paths()
    for address in P.INBOUND:
        for reply in address.replies:
            assert reply in {a.path for a in P.OUTBOUND}, (address.path, reply)
    for path in list(P.inbound_paths()) + list(outbound):
        assert path.startswith(P.PREFIX + "/")
    assert P.ERROR in outbound and P.ERROR in P.reply_only_paths()


def test_every_error_code_raised_in_the_bridge_is_documented() -> None:
    import re

    sources = "".join(p.read_text() for p in (ROOT / "bridge").glob("*.py"))
    raised = set(re.findall(r'ProtocolError\(\s*"([a-z_]+)"', sources))
    raised |= set(re.findall(r'over="([a-z_]+)"', sources))
    assert raised <= P.ERROR_CODES, raised - P.ERROR_CODES
    assert len(raised) >= 15


def test_the_handlers_match_the_table() -> None:
    from segue.bridge.core import Bridge
    from segue.bridge.models import ModelCache

    Bridge(ModelCache("x"), lambda *a: None)  # raises if an address lacks a handler


def _longest(arg: P.Arg) -> object:
    if arg.kind == "string":
        # names and codes are ASCII (model names follow a pattern); free text may be anything
        return ("\U0001f3b5" if arg.max_length >= P.MAX_TEXT else "x") * arg.max_length
    if arg.kind in ("float", "beats"):
        return 1e30
    if arg.kind == "value":
        return "x" * 64
    return -(2**31)


def test_every_reply_fits_in_one_kilobyte_at_its_longest() -> None:
    for path, address in P.outbound_paths().items():
        data = codec.encode(path, tuple(_longest(a) for a in address.args))
        assert len(data) <= P.MAX_REPLY_BYTES, (path, len(data))


def test_param_ranges_lie_inside_the_generator_limits() -> None:
    from segue.model.generate import LIMITS

    for name, (low, high) in LIMITS.items():
        ours = params.PARAMS_BY_NAME.get({"max_polyphony": "polyphony"}.get(name, name))
        if ours is None or name == "max_polyphony":
            continue
        assert low <= ours.low and ours.high <= high, name


# -- casting ----------------------------------------------------------------------------------

def test_whole_numbers_accept_floats_without_a_fraction() -> None:
    assert whole("pitch", 60.0, 0, 127) == 60
    assert whole("pitch", 60, 0, 127) == 60
    for bad, code in ((60.5, "bad_value"), (math.nan, "bad_value"), (math.inf, "bad_value"),
                      (128, "bad_value"), ("60", "bad_arguments"), (b"x", "bad_arguments")):
        with pytest.raises(ProtocolError) as info:
            whole("pitch", bad, 0, 127)
        assert info.value.code == code


def test_beat_times_arriving_as_float32_snap_to_the_grid() -> None:
    note = P.inbound_paths()[P.SEED_NOTE]
    third = struct.unpack(">f", struct.pack(">f", 1 / 3))[0]
    assert third != 1 / 3
    rid, pitch, start, duration, velocity = parse(note, P.SEED_NOTE,
                                                  (1.0, 60.0, third * 4, third, 90.0))
    assert (rid, pitch, start, duration, velocity) == (1, 60, 4 / 3, 1 / 3, 90)
    with pytest.raises(ProtocolError, match="greater than 0"):
        parse(note, P.SEED_NOTE, (1, 60, 0.0, 0.0, 90))


def test_argument_counts_and_pairs() -> None:
    generate = P.inbound_paths()[P.GENERATE]
    assert parse(generate, P.GENERATE, (3, "bars", 8)) == [3, "bars", 8]
    for bad in ((), (3, "bars"), (3, "bars", b"blob")):
        with pytest.raises(ProtocolError) as info:
            parse(generate, P.GENERATE, bad)
        assert info.value.code == "bad_arguments"


# -- parameters and faders --------------------------------------------------------------------

def test_faders_map_onto_the_span_and_feed_back_their_position() -> None:
    temperature = params.PARAMS_BY_NAME["temperature"]
    assert params.fader_value(temperature, 0.0) == 0.0
    assert params.fader_value(temperature, 1.0) == 2.0
    assert params.fader_value(temperature, 0.37) == 0.74
    bars = params.PARAMS_BY_NAME["bars"]
    assert params.fader_value(bars, 0.0) == 1.0 and params.fader_value(bars, 1.0) == 32.0
    variations = params.PARAMS_BY_NAME["variations"]
    value = params.fader_value(variations, 0.52)
    assert value == 9 and isinstance(value, int)
    assert params.fader_position(variations, value) == pytest.approx(8 / 15)
    assert params.label(bars, 1.0) == "1 bar" and params.label(bars, 8.0) == "8 bars"
    assert params.label(params.PARAMS_BY_NAME["polyphony"], 0) == "no limit"
    assert params.label(temperature, 0.74) == "0.74"
    with pytest.raises(ProtocolError):
        params.fader_value(temperature, 1.5)


def test_a_length_parameter_clears_the_other_two() -> None:
    settings = params.apply(params.defaults(), "notes", 32.0)
    assert (settings["bars"], settings["beats"], settings["notes"]) == (0, 0, 32)
    kwargs = params.generation_kwargs(settings)
    assert kwargs["notes"] == 32 and "bars" not in kwargs


def test_parameter_errors_carry_their_codes() -> None:
    cases = [("variations", 17, "too_many_variations"), ("bars", 65, "too_long"),
             ("notes", 5000, "too_long"), ("temperature", math.nan, "bad_value"),
             ("key", "H major", "bad_value"), ("model", "../melody", "unknown_model"),
             ("nope", 1, "unknown_parameter"), ("variations", 2.5, "bad_value")]
    for name, value, code in cases:
        with pytest.raises(ProtocolError) as info:
            params.apply(params.defaults(), name, value)
        assert info.value.code == code, (name, value)
    assert params.apply(params.defaults(), "key", 1.0)["key"] == "auto"
    float32 = struct.unpack(">f", struct.pack(">f", 0.9))[0]
    assert params.apply(params.defaults(), "temperature", float32)["temperature"] == 0.9
    assert params.apply(params.defaults(), "key", "a minor")["key"] == "A minor"


# -- the codec --------------------------------------------------------------------------------

osc_args = st.lists(st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(lambda v: (v, "i")),
    st.floats(width=32, allow_nan=False).map(lambda v: (v, "f")),
    st.text(max_size=20).filter(lambda s: "\x00" not in s).map(lambda v: (v, "s")),
    st.floats(allow_nan=False).map(lambda v: (v, "d")),
    st.integers(-(2**63), 2**63 - 1).map(lambda v: (v, "h")),
    st.booleans().map(lambda v: (v, "T" if v else "F")),
), max_size=8)


@settings(max_examples=200, deadline=None)
@given(args=osc_args, address=st.from_regex(r"/[a-z]{1,10}(/[a-z_]{1,8}){0,3}", fullmatch=True))
def test_decode_reads_what_python_osc_writes(args, address) -> None:
    builder = OscMessageBuilder(address)
    for value, tag in args:
        builder.add_arg(value, tag)
    (message,) = codec.decode(builder.build().dgram)
    assert message.address == address
    assert list(message.args) == [v for v, _ in args]


@settings(max_examples=200, deadline=None)
@given(args=st.lists(st.one_of(st.integers(-(2**31), 2**31 - 1),
                               st.floats(width=32, allow_nan=False),
                               st.text(max_size=20).filter(lambda s: "\x00" not in s)),
                     max_size=8))
def test_python_osc_reads_what_encode_writes(args) -> None:
    message = OscMessage(codec.encode("/segue/x", args))
    assert message.address == "/segue/x" and list(message.params) == args


@settings(max_examples=500, deadline=None)
@given(data=st.binary(max_size=200))
def test_decode_raises_nothing_but_malformed(data: bytes) -> None:
    try:
        codec.decode(data)
    except ProtocolError as exc:
        assert exc.code == "malformed"


def test_bundles_are_read_in_order() -> None:
    inner = codec.encode_bundle([codec.encode("/a", (1,))])
    data = codec.encode_bundle([codec.encode("/b", ("x",)), inner])
    assert [(m.address, m.args) for m in codec.decode(data)] == [("/b", ("x",)), ("/a", (1,))]


@pytest.mark.parametrize("data", [
    b"", b"/seg", b"/segue/ping\x00", b"segue\x00\x00\x00", b"/a\x00\x00,i\x00\x00",
    b"/a\x00\x00,i\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00", b"/a\x00\x00,q\x00\x00",
    b"/a\x00\x00i\x00\x00\x00", b"/a\x00\x00,s\x00\x00abcd", b"\xff\xfe\x00\x00",
    b"#bundle\x00" + bytes(8) + b"\x00\x00\x00\x40/a\x00\x00",
], ids=["empty", "unaligned", "cut-before-tags", "no-slash", "missing-int", "left-over",
        "unknown-tag", "no-comma", "unterminated-string", "binary", "bundle-overrun"])
def test_malformed_packets(data: bytes) -> None:
    with pytest.raises(ProtocolError) as info:
        codec.decode(data)
    assert info.value.code == "malformed"


def test_unsupported_types_decode_so_they_can_be_named() -> None:
    data = codec.encode("/a") [:-4] + b",m\x00\x00" + bytes(4)
    (message,) = codec.decode(data)
    assert isinstance(message.args[0], codec.Unsupported)

"""The OSC codec: python-osc reads what it writes and back, nothing but `malformed` raised."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

from segue.bridge import codec
from segue.bridge.errors import ProtocolError
from segue.bridge.testing import bundle

osc_args = st.lists(
    st.one_of(
        st.integers(-(2**31), 2**31 - 1).map(lambda v: (v, "i")),
        st.floats(width=32, allow_nan=False).map(lambda v: (v, "f")),
        st.text(max_size=20).filter(lambda s: "\x00" not in s).map(lambda v: (v, "s")),
        st.floats(allow_nan=False).map(lambda v: (v, "d")),
        st.integers(-(2**63), 2**63 - 1).map(lambda v: (v, "h")),
        st.booleans().map(lambda v: (v, "T" if v else "F")),
    ),
    max_size=8,
)


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
@given(
    args=st.lists(
        st.one_of(
            st.integers(-(2**31), 2**31 - 1),
            st.floats(width=32, allow_nan=False),
            st.text(max_size=20).filter(lambda s: "\x00" not in s),
        ),
        max_size=8,
    )
)
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
    inner = bundle([codec.encode("/a", (1,))])
    data = bundle([codec.encode("/b", ("x",)), inner])
    assert [(m.address, m.args) for m in codec.decode(data)] == [("/b", ("x",)), ("/a", (1,))]


def test_bundles_nested_past_the_limit_are_refused_with_the_limit_and_the_way_on() -> None:
    """A bundle 5 deep was refused as "not a valid OSC packet: bundles nested deeper than 4":
    valid OSC, a limit documented nowhere, and nothing said what to do."""
    packet = codec.encode("/segue/ping", ())
    for _ in range(codec.MAX_BUNDLE_DEPTH):
        packet = bundle([packet])
    assert [m.address for m in codec.decode(packet)] == ["/segue/ping"]  # 4 deep: read
    with pytest.raises(ProtocolError) as caught:
        codec.decode(bundle([packet]))
    assert caught.value.code == "malformed"
    said = str(caught.value)
    assert "more than 4 deep" in said and "send flatter bundles" in said
    assert "not a valid OSC packet" not in said
    from segue.bridge.docgen import render

    assert "nested more than 4 deep" in render()  # docs/protocol.md says so too


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"/seg",
        b"/segue/ping\x00",
        b"segue\x00\x00\x00",
        b"/a\x00\x00,i\x00\x00",
        b"/a\x00\x00,i\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00",
        b"/a\x00\x00,q\x00\x00",
        b"/a\x00\x00i\x00\x00\x00",
        b"/a\x00\x00,s\x00\x00abcd",
        b"\xff\xfe\x00\x00",
        b"#bundle\x00" + bytes(8) + b"\x00\x00\x00\x40/a\x00\x00",
    ],
    ids=[
        "empty",
        "unaligned",
        "cut-before-tags",
        "no-slash",
        "missing-int",
        "left-over",
        "unknown-tag",
        "no-comma",
        "unterminated-string",
        "binary",
        "bundle-overrun",
    ],
)
def test_malformed_packets(data: bytes) -> None:
    with pytest.raises(ProtocolError) as info:
        codec.decode(data)
    assert info.value.code == "malformed"


def test_unsupported_types_decode_so_they_can_be_named() -> None:
    data = codec.encode("/a")[:-4] + b",m\x00\x00" + bytes(4)
    (message,) = codec.decode(data)
    assert isinstance(message.args[0], codec.Unsupported)

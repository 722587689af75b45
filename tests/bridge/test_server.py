"""The UDP server over real sockets: malformed datagrams answered, bundles, replies, fuzz."""

from __future__ import annotations

import logging
import math
import random
import time

import pytest
from bridge_requests import expected, got, phrase

from segue.bridge import codec
from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient
from segue.bridge.testing import RawClient, bundle, running_server


def _note(*args) -> bytes:
    return codec.encode(P.SEED_NOTE, args)


def _big(size: int) -> bytes:
    head = codec.encode(P.SET, ("model", ""))  # its empty string takes 4 bytes
    data = codec.encode(P.SET, ("model", "x" * (size - len(head) + 3)))
    assert len(data) == size
    return data


MALFORMED = {
    "unknown address": ([codec.encode("/segue/nope", (1,))], "unknown_address", -1),
    "no prefix": ([codec.encode("/ping")], "unknown_address", -1),
    "too few arguments": ([_note(1, 60, 0.0)], "bad_arguments", 1),
    "too many arguments": ([codec.encode(P.SEED_END, (1, 2))], "bad_arguments", 1),
    "string for a number": ([_note(1, "C4", 0.0, 1.0, 90)], "bad_arguments", 1),
    "blob argument": (
        [codec.encode(P.VERSION)[:-4] + b",b\x00\x00" + bytes(4)],
        "bad_arguments",
        -1,
    ),
    "NaN start": ([_note(1, 60, math.nan, 1.0, 90)], "bad_value", 1),
    "infinite duration": ([_note(1, 60, 0.0, math.inf, 90)], "bad_value", 1),
    "pitch 128": ([_note(1, 128, 0.0, 1.0, 90)], "bad_value", 1),
    "pitch 60.5": ([_note(1, 60.5, 0.0, 1.0, 90)], "bad_value", 1),
    "zero duration": ([_note(1, 60, 0.0, 0.0, 90)], "bad_value", 1),
    "negative duration": ([_note(1, 60, 0.0, -1.0, 90)], "bad_value", 1),
    "negative start": ([_note(1, 60, -1.0, 1.0, 90)], "bad_value", 1),
    "velocity 0": ([_note(1, 60, 0.0, 1.0, 0)], "bad_value", 1),
    "negative id": ([_note(-5, 60, 0.0, 1.0, 90)], "bad_value", -1),
    "note before begin": ([_note(4, 60, 0.0, 1.0, 90)], "no_upload", 4),
    "end before begin": ([codec.encode(P.SEED_END, (4,))], "no_upload", 4),
    "fewer notes than announced": (
        [
            codec.encode(P.SEED_BEGIN, (2, 2, 4.0, 4, 4)),
            _note(2, 60, 0.0, 1.0, 90),
            codec.encode(P.SEED_END, (2,)),
        ],
        "count_mismatch",
        2,
    ),
    "more notes than announced": (
        [
            codec.encode(P.SEED_BEGIN, (2, 1, 4.0, 4, 4)),
            _note(2, 60, 0.0, 1.0, 90),
            _note(2, 62, 1.0, 1.0, 90),
        ],
        "count_mismatch",
        2,
    ),
    "note after the clip": (
        [
            codec.encode(P.SEED_BEGIN, (2, 1, 4.0, 4, 4)),
            _note(2, 60, 4.0, 1.0, 90),
            codec.encode(P.SEED_END, (2,)),
        ],
        "bad_seed",
        2,
    ),
    "time signature 4/3": ([codec.encode(P.SEED_BEGIN, (2, 1, 4.0, 4, 3))], "bad_value", 2),
    "zero clip length": ([codec.encode(P.SEED_BEGIN, (2, 1, 0.0, 4, 4))], "bad_value", 2),
    "seed too long": ([codec.encode(P.SEED_BEGIN, (2, 5000, 4.0, 4, 4))], "too_many_notes", 2),
    "generate without seed": ([codec.encode(P.GENERATE, (9,))], "no_seed", 9),
    "odd pairs": ([codec.encode(P.GENERATE, (9, "bars"))], "bad_arguments", 9),
    "unknown parameter": ([codec.encode(P.GENERATE, (9, "volume", 3))], "unknown_parameter", 9),
    "too many variations": (
        [codec.encode(P.GENERATE, (9, "variations", 17))],
        "too_many_variations",
        9,
    ),
    "too many bars": ([codec.encode(P.GENERATE, (9, "bars", 64.5))], "too_long", 9),
    "too many notes out": ([codec.encode(P.GENERATE, (9, "notes", 4096))], "too_long", 9),
    "low above high": ([codec.encode(P.GENERATE, (9, "low", 80, "high", 70))], "bad_value", 9),
    "cancel unknown": ([codec.encode(P.CANCEL, (77,))], "unknown_request", 77),
    "model by path": ([codec.encode(P.MODEL, ("/etc/passwd",))], "unknown_model", -1),
    "garbage bytes": ([b"\x13\x37garbage\xff\x00\x01\x02"], "malformed", -1),
    "size not a multiple of 4": ([b"/segue/ping\x00,\x00\x00\x00\x00"], "malformed", -1),
    "truncated": ([_note(1, 60, 0.0, 1.0, 90)[:-4]], "malformed", -1),
    "cut after the address": ([codec.encode(P.PING, (1,))[:12]], "malformed", -1),
    "over 8192 bytes": ([_big(8196)], "too_big", -1),
    "64 KB": ([_big(65000)], "too_big", -1),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_messages_are_answered_logged_and_survived(server, raw, case, caplog) -> None:
    datagrams, code, rid = MALFORMED[case]
    with caplog.at_level(logging.WARNING, logger="segue.bridge"):
        for data in datagrams:
            raw.send_bytes(data)
        got_id, got_code, sentence = raw.error()
    assert (got_code, got_id) == (code, rid), sentence
    assert sentence and len(sentence) <= P.MAX_TEXT
    assert any(code in r.getMessage() for r in caplog.records)
    raw.send(P.PING, 42)
    assert raw.until(P.PONG)[-1].args[0] == 42


def test_a_datagram_of_exactly_8192_bytes_is_read_whole(raw) -> None:
    data = _big(8192)
    assert len(data) == P.MAX_DATAGRAM_BYTES
    raw.send_bytes(data)
    _, code, sentence = raw.error()
    assert code == "bad_value" and "longer than 64" in sentence  # read whole, not truncated


def test_replies_sent_to_the_bridge_are_ignored(raw) -> None:
    raw.send(P.ERROR, -1, "malformed", "a loop would start here")
    raw.send(P.DONE, 1, 1, 2.0, 3)
    raw.send(P.PING, 5)
    assert raw.next().address == P.PONG


def test_bundles_are_read(raw) -> None:
    raw.send_bytes(bundle([codec.encode(P.PING, (1,)), codec.encode(P.PING, (2,))]))
    assert [raw.next().args[0], raw.next().args[0]] == [1, 2]


INTERESTING = [
    0,
    1,
    2,
    -1,
    0.5,
    4.0,
    60.0,
    60.5,
    127,
    128,
    1 / 3,
    1e9,
    -1e9,
    2**31 - 1,
    -(2**31),
    math.nan,
    math.inf,
    -math.inf,
    "",
    "bars",
    "variations",
    "notes",
    "key",
    "auto",
    "model",
    "tiny",
    "x" * 80,
]


def _random_message(rng: random.Random) -> bytes:
    paths = [p for p in P.inbound_paths() if p != P.REPLY_TO] + ["/segue/x", "/", "/segue"]
    args = [rng.choice(INTERESTING) for _ in range(rng.randrange(0, 8))]
    return codec.encode(rng.choice(paths), args)


def _corpus() -> list[bytes]:
    seed = [
        codec.encode(P.SEED_BEGIN, (5, 2, 4.0, 4, 4)),
        codec.encode(P.SEED_NOTE, (5, 60, 0.0, 1.0, 90)),
        codec.encode(P.SEED_NOTE, (5, 64.0, 1.0, 0.5, 100.0)),
        codec.encode(P.SEED_END, (5,)),
        codec.encode(P.GENERATE, (5, "notes", 4, "variations", 2)),
        codec.encode(P.SEED_BEGIN, (6, 0, 2.0, 3, 4)),
        codec.encode(P.SEED_END, (6,)),
        codec.encode(P.GENERATE, (6,)),
        codec.encode(P.CANCEL, (5,)),
    ]
    other = [
        codec.encode(P.PING, (3,)),
        codec.encode(P.VERSION),
        codec.encode(P.MODELS),
        codec.encode(P.GET),
        codec.encode(P.SET, ("temperature", 0.7)),
        codec.encode("/segue/fader/bars", (0.3,)),
        codec.encode(P.CONTINUE, (1.0,)),
        codec.encode(P.MODEL, ("tiny",)),
    ]
    return seed + other + [bundle(seed[:4])]


def _mutate(rng: random.Random, corpus: list[bytes]) -> bytes:
    kind = rng.randrange(7)
    base = bytearray(rng.choice(corpus))
    if kind == 0:
        return rng.randbytes(rng.randrange(0, 400))
    if kind == 1:
        for _ in range(rng.randrange(1, 6)):
            base[rng.randrange(len(base))] ^= 1 << rng.randrange(8)
        return bytes(base)
    if kind == 2:
        return bytes(base[: rng.randrange(len(base))])
    if kind == 3:
        return bytes(base + rng.randbytes(rng.randrange(1, 64)))
    if kind == 4:
        other = rng.choice(corpus)
        return bytes(base[: rng.randrange(len(base))] + other[rng.randrange(len(other)) :])
    if kind == 5:
        return _random_message(rng)
    if rng.random() < 0.02:
        return rng.randbytes(rng.choice([8193, 9000, 20000]))
    return bytes(base)


def _barrier(sender: RawClient, token: int) -> None:
    """Wait until the bridge has read everything this sender sent (its pong comes last)."""
    sender.send(P.PING, token)
    while sender.until(P.PONG, timeout=10)[-1].args[0] != token:
        pass


def test_fuzz_thousands_of_random_and_mutated_packets(models_dir, tiny) -> None:
    rng = random.Random(20240611)
    corpus = _corpus()
    packets, barriers = 8000, 0
    with running_server(models_dir, queue_size=2) as srv:
        senders = [RawClient(srv.address) for _ in range(3)]
        try:
            for i in range(packets):
                sender = senders[i % 3]
                sender.send_bytes(_mutate(rng, corpus))
                if i % 150 == 149:
                    barriers += 1
                    _barrier(sender, 10**6 + i)
            deadline = time.monotonic() + 60
            while srv.bridge.worker.busy() != (0, 0) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            for sender in senders:
                sender.close()
        assert srv._thread is not None and srv._thread.is_alive()
        assert srv.received >= packets + barriers - 150  # nothing lost but the last stretch
        with BridgeClient(*srv.address, timeout=10) as client:
            assert client.ping().model == "tiny"
            result = client.generate(phrase(), {"bars": 2.0, "variations": 2, "rng_seed": 4})
        assert got(result) == expected(tiny, phrase(), bars=2, variations=2, rng_seed=4)

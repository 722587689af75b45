"""The bridge over real UDP sockets on loopback: requests, TouchOSC, errors, load, fuzz."""

from __future__ import annotations

import logging
import math
import random
import struct
import threading
import time
from pathlib import Path

import pytest

from segue.bridge import codec
from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient, BridgeReplyError, BridgeResult
from segue.bridge.testing import RawClient, make_test_model, running_server
from segue.notes import Clip, Note, TimeSignature


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    make_test_model(folder, "tiny", seed=0)
    make_test_model(folder, "other", seed=1)
    return folder


@pytest.fixture(scope="module")
def tiny(models_dir):
    from segue.model.checkpoint import load_checkpoint

    return load_checkpoint(models_dir / "tiny.pt").model


@pytest.fixture(scope="module")
def server(models_dir):
    with running_server(models_dir, queue_size=32) as srv:
        yield srv


@pytest.fixture
def raw(server):
    with RawClient(server.address) as client:
        yield client


def phrase(offset: int = 0, n: int = 16, step: float = 0.5) -> Clip:
    notes = [Note(60 + offset + (i * 5) % 12, i * step, step, 80 + i % 20) for i in range(n)]
    return Clip(tuple(notes))


def expected(model, clip: Clip, **kwargs) -> list[tuple[float, tuple]]:
    from segue.model.generate import GenerationParams, generate

    result = generate(model, clip, GenerationParams(**kwargs), threads=1)
    return [(v.start, tuple(v.clip.notes), v.clip.length) for v in result.variations]


def got(result: BridgeResult) -> list[tuple[float, tuple]]:
    return [(v.start, tuple(v.clip.notes), v.clip.length) for v in result.variations]


def upload(raw: RawClient, rid: int, clip: Clip, floats: bool = True) -> None:
    """Upload as TouchOSC or Max would: every number a float32."""
    cast = float if floats else (lambda v: v)
    ts = clip.time_signature
    raw.send(P.SEED_BEGIN, cast(rid), cast(len(clip)), float(clip.length), cast(ts.numerator),
             cast(ts.denominator))
    for n in clip.notes:
        raw.send(P.SEED_NOTE, cast(rid), cast(n.pitch), float(n.start), float(n.duration),
                 cast(n.velocity))
    raw.send(P.SEED_END, cast(rid))


# -- requests ---------------------------------------------------------------------------------

def test_ping_version_models_and_model_choice(server, raw) -> None:
    with BridgeClient(*server.address) as client:
        pong = client.ping()
        assert (pong.model, pong.protocol) == ("tiny", P.PROTOCOL_VERSION)
        assert client.version()[1] == P.PROTOCOL_VERSION
        listed = client.models()
        assert {("other", "user", "test"), ("tiny", "user", "test")} <= set(listed)
        assert client.select_model("other") == "other"
        assert client.ping().model == "other"
        for bad in ("../tiny", "/etc/passwd", "tiny.pt/..", "missing"):
            with pytest.raises(BridgeReplyError) as info:
                client.select_model(bad)
            assert info.value.code == "unknown_model"
        assert client.ping().model == "other"


def test_a_request_through_the_bridge_equals_generation_in_process(server, tiny) -> None:
    seed = phrase()
    with BridgeClient(*server.address) as client:
        result = client.generate(seed, {"bars": 2.0, "variations": 3, "rng_seed": 11})
    assert len(result.variations) == 3 and result.rng_seed == 11
    assert got(result) == expected(tiny, seed, bars=2, variations=3, seed=11)
    assert all(v.start == seed.length for v in result.variations)


def test_touchosc_floats_and_float32_triplets_give_the_exact_request(server, raw, tiny) -> None:
    seed = Clip(tuple(Note(62 + i % 5, i / 3, 1 / 3, 90) for i in range(12)), 4.0,
                TimeSignature(3, 4))
    upload(raw, 5, seed, floats=True)
    assert raw.until(P.SEED_STORED)[-1].args == (5, 12)
    raw.send(P.GENERATE, 5.0, "beats", 6.0, "variations", 2.0, "rng_seed", 3.0)
    replies = raw.until(P.DONE)
    notes = [m.args for m in replies if m.address == P.VARIATION_NOTE]
    want = expected(tiny, seed, beats=6, variations=2, seed=3)
    assert len(notes) == sum(len(v[1]) for v in want)
    from segue.grid import snap

    assert [(a[2], snap(a[3]), snap(a[4]), a[5]) for a in notes if a[1] == 0] == [
        (n.pitch, n.start, n.duration, n.velocity) for n in want[0][1]]
    statuses = [m.args[1] for m in replies if m.address == P.STATUS]
    assert statuses == ["queued", "running"]


def test_a_long_answer_is_paced_and_arrives_whole(server, tiny) -> None:
    with BridgeClient(*server.address) as client:
        result = client.generate(phrase(), {"notes": 400, "variations": 4, "rng_seed": 2})
    assert [len(v.clip) for v in result.variations] == [400] * 4
    assert got(result) == expected(tiny, phrase(), notes=400, variations=4, seed=2)


def test_the_client_notices_lost_notes() -> None:
    from segue.bridge.client import _Assembler
    from segue.errors import SegueError

    assembler = _Assembler(TimeSignature())
    assembler.add(P.VARIATION_BEGIN, [1, 0, 2, 4.0, 4.0])
    assembler.add(P.VARIATION_NOTE, [1, 0, 60, 0.0, 1.0, 90])
    with pytest.raises(SegueError, match="1 of 2 notes arrived"):
        assembler.add(P.VARIATION_END, [1, 0])


def test_seed_of_no_notes_starts_from_nothing(server, raw) -> None:
    raw.send(P.SEED_BEGIN, 1, 0, 4.0, 6, 8)
    raw.send(P.SEED_END, 1)
    raw.send(P.GENERATE, 1, "notes", 5)
    replies = raw.until(P.DONE)
    begin = next(m for m in replies if m.address == P.VARIATION_BEGIN)
    assert begin.args[2] == 5 and begin.args[4] == 0.0


def test_parameters_set_get_and_pairs_override_for_one_request(server) -> None:
    with BridgeClient(*server.address) as client:
        assert client.set("temperature", 0.5) == 0.5
        assert client.set("notes", 8.0) == 8
        assert client.set("key", "auto") == "auto"
        values = client.get()
        assert (values["bars"], values["beats"], values["notes"]) == (0.0, 0.0, 8)
        result = client.generate(phrase(), {"variations": 2})
        assert [len(v.clip) for v in result.variations] == [8, 8]
        assert client.get()["variations"] == 1
        with pytest.raises(BridgeReplyError) as info:
            client.set("variations", 17)
        assert info.value.code == "too_many_variations"


def test_fader_maps_to_the_range_and_feeds_back(server, raw) -> None:
    raw.send("/segue/fader/temperature", 0.25)
    fader, label = raw.until("/segue/label/temperature")[-2:]
    assert fader.address == "/segue/fader/temperature" and fader.args[0] == pytest.approx(0.25)
    assert label.args == ("0.5",)
    raw.send("/segue/fader/bars", 0.512)  # 1 + 0.512 * 31 = 16.87 -> 17 bars
    fader, label = raw.until("/segue/label/bars")[-2:]
    assert label.args == ("17 bars",) and fader.args[0] == pytest.approx(16 / 31)
    raw.send("/segue/fader/variations", 1.0)
    assert raw.until("/segue/label/variations")[-1].args == ("16",)
    raw.send(P.GET, "bars")
    assert raw.until(P.PARAM)[-1].args == ("bars", 17.0)
    raw.send("/segue/fader/temperature", 1.5)
    assert raw.error()[1] == "bad_value"
    raw.send("/segue/fader/key", 0.5)
    assert raw.error()[1] == "unknown_address"


def test_continue_button_uses_the_last_seed_and_ignores_release(server, raw) -> None:
    raw.send("/segue/fader/notes", 0.0)  # 1 note per variation
    raw.until("/segue/label/notes")
    raw.send(P.CONTINUE, 0.0)
    raw.send(P.PING, 1)
    assert raw.next().address == P.PONG  # the release was ignored
    upload(raw, 3, phrase(n=4))
    raw.until(P.SEED_STORED)
    raw.send(P.CONTINUE, 1.0)
    replies = raw.until(P.LABEL_STATUS)
    done = next(m for m in replies if m.address == P.DONE)
    assert done.args[0] == P.BUTTON_REQUEST and done.args[1] == 1
    begin = next(m for m in replies if m.address == P.VARIATION_BEGIN)
    assert begin.args[4] == phrase(n=4).length  # continued the uploaded seed
    assert "1 variations, 1 notes" in replies[-1].args[0]


def test_start_button_generates_from_nothing_and_keeps_the_seed_for_continue(
        server, raw, tiny) -> None:
    raw.send(P.SET, "rng_seed", 5)
    raw.until(P.PARAM)
    seed = Clip(tuple(Note(62 + i, i * 1.0, 1.0, 96) for i in range(3)), 6.0,
                TimeSignature(3, 4))
    upload(raw, 4, seed)
    raw.until(P.SEED_STORED)
    raw.send(P.START, 0.0)
    raw.send(P.PING, 1)
    assert raw.next().address == P.PONG  # the release was ignored
    raw.send(P.START, 1.0)
    replies = raw.until(P.LABEL_STATUS)
    done = next(m for m in replies if m.address == P.DONE)
    assert done.args[:2] == (P.BUTTON_REQUEST, 1)
    begin = next(m for m in replies if m.address == P.VARIATION_BEGIN)
    assert (begin.args[3], begin.args[4]) == (16.0, 0.0)  # 4 bars of 4/4 from nothing
    from segue.grid import snap

    notes = [(a[2], snap(a[3]), snap(a[4]), a[5]) for a in
             (m.args for m in replies if m.address == P.VARIATION_NOTE)]
    [(start, want, length)] = expected(tiny, Clip((), None, TimeSignature(4, 4)), bars=4,
                                       seed=5)
    assert (start, length) == (0.0, 16.0)
    assert notes == [(n.pitch, n.start, n.duration, n.velocity) for n in want]
    assert replies[-1].args[0].startswith("1 variations, ")
    raw.send(P.CONTINUE, 1.0)  # the uploaded seed is still the one to continue
    begin = next(m for m in raw.until(P.LABEL_STATUS) if m.address == P.VARIATION_BEGIN)
    assert (begin.args[3], begin.args[4]) == (12.0, 6.0)  # 4 bars of the seed's 3/4


def test_an_id_is_free_again_as_soon_as_its_done_arrives(server, raw) -> None:
    """A client that answers done at once with the same id (a button) is never refused."""
    upload(raw, 9, phrase(n=4))
    raw.until(P.SEED_STORED)
    for _ in range(20):
        raw.send(P.GENERATE, 9, "notes", 1)
        assert raw.until(P.DONE)[-1].args[0] == 9
        upload(raw, 9, phrase(n=4))  # at once: the same id again
        assert raw.until([P.SEED_STORED, P.ERROR])[-1].address == P.SEED_STORED
    for _ in range(20):
        raw.send(P.CONTINUE, 1.0)
        replies = raw.until([P.DONE, P.ERROR])
        assert replies[-1].address == P.DONE, replies[-1]


def test_reply_port_registration(server) -> None:
    with RawClient(server.address) as sender, RawClient(server.address) as listener:
        sender.send(P.REPLY_TO, float(listener.port))
        assert listener.until(P.REPLY_TO).pop().args == (listener.port,)
        sender.send(P.PING, 7)
        assert listener.until(P.PONG).pop().args[0] == 7
        assert sender.next(0.2) is None
        sender.send(P.REPLY_TO, 80)
        assert listener.error()[1] == "bad_value"
        sender.send(P.REPLY_TO, 0)
        assert sender.until(P.REPLY_TO).pop().args == (0,)
        sender.send(P.PING, 8, listener.port)  # a one-off reply port
        assert listener.until(P.PONG).pop().args[0] == 8


# -- every malformed message: an error reply, a log line, and the bridge keeps serving --------

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
    "blob argument": ([codec.encode(P.VERSION)[:-4] + b",b\x00\x00" + bytes(4)],
                      "bad_arguments", -1),
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
    "fewer notes than announced": ([codec.encode(P.SEED_BEGIN, (2, 2, 4.0, 4, 4)),
                                    _note(2, 60, 0.0, 1.0, 90), codec.encode(P.SEED_END, (2,))],
                                   "count_mismatch", 2),
    "more notes than announced": ([codec.encode(P.SEED_BEGIN, (2, 1, 4.0, 4, 4)),
                                   _note(2, 60, 0.0, 1.0, 90), _note(2, 62, 1.0, 1.0, 90)],
                                  "count_mismatch", 2),
    "note after the clip": ([codec.encode(P.SEED_BEGIN, (2, 1, 4.0, 4, 4)),
                             _note(2, 60, 4.0, 1.0, 90), codec.encode(P.SEED_END, (2,))],
                            "bad_seed", 2),
    "time signature 4/3": ([codec.encode(P.SEED_BEGIN, (2, 1, 4.0, 4, 3))], "bad_value", 2),
    "zero clip length": ([codec.encode(P.SEED_BEGIN, (2, 1, 0.0, 4, 4))], "bad_value", 2),
    "seed too long": ([codec.encode(P.SEED_BEGIN, (2, 5000, 4.0, 4, 4))], "too_many_notes", 2),
    "generate without seed": ([codec.encode(P.GENERATE, (9,))], "no_seed", 9),
    "odd pairs": ([codec.encode(P.GENERATE, (9, "bars"))], "bad_arguments", 9),
    "unknown parameter": ([codec.encode(P.GENERATE, (9, "volume", 3))], "unknown_parameter", 9),
    "too many variations": ([codec.encode(P.GENERATE, (9, "variations", 17))],
                            "too_many_variations", 9),
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
    raw.send_bytes(codec.encode_bundle([codec.encode(P.PING, (1,)), codec.encode(P.PING, (2,))]))
    assert [raw.next().args[0], raw.next().args[0]] == [1, 2]


# -- concurrency, queue, cancel, timeouts, --allow --------------------------------------------

def test_many_clients_at_once_with_the_same_request_ids_never_mix(server, tiny) -> None:
    clients, per_client = 10, 3
    results: dict[int, list] = {}
    failures: list[BaseException] = []

    def run(k: int) -> None:
        try:
            with BridgeClient(*server.address, timeout=20) as client:
                results[k] = [got(client.generate(phrase(offset=k), {
                    "variations": 1 + k % 3, "bars": float(1 + i), "rng_seed": k * 10 + i},
                    request_id=i + 1)) for i in range(per_client)]
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    for k in range(clients):
        assert results[k] == [expected(tiny, phrase(offset=k), variations=1 + k % 3,
                                       bars=1 + i, seed=k * 10 + i) for i in range(per_client)]


def test_full_queue_answers_busy_and_cancel_and_duplicate_ids(models_dir) -> None:
    from segue.model.generate import generate

    gate = threading.Event()

    def held(model, seed, params, should_stop):
        gate.wait(20)
        return generate(model, seed, params, threads=1, should_stop=should_stop)

    with running_server(models_dir, queue_size=1, generate=held) as srv, \
            RawClient(srv.address) as raw:
        for rid in (1, 2, 3, 4):
            raw.send(P.SEED_BEGIN, rid, 0, 4.0, 4, 4)
            raw.send(P.SEED_END, rid)
        raw.until([P.SEED_STORED] * 1)
        raw.send(P.GENERATE, 1, "notes", 2)
        assert [m.args[1] for m in raw.until(P.STATUS) + raw.until(P.STATUS)
                if m.address == P.STATUS] == ["queued", "running"]
        raw.send(P.GENERATE, 2, "notes", 2)
        assert raw.until(P.STATUS)[-1].args == (2, "queued", 1)
        raw.send(P.GENERATE, 3, "notes", 2)
        assert raw.error()[:2] == (3, "busy")
        raw.send(P.GENERATE, 1, "notes", 2)  # its seed is gone
        assert raw.error()[:2] == (1, "no_seed")
        raw.send(P.SEED_BEGIN, 2, 0, 4.0, 4, 4)
        raw.send(P.SEED_END, 2)
        raw.send(P.GENERATE, 2)
        assert raw.error()[:2] == (2, "duplicate_id")
        raw.send(P.CANCEL, 2)  # queued: dropped at once
        assert raw.error()[:2] == (2, "cancelled")
        raw.send(P.CANCEL, 1)  # running: finishes, then sends no notes
        raw.send(P.GENERATE, 3, "notes", 2)  # the seed kept after 'busy'; the queue has room
        gate.set()
        replies = raw.until(P.DONE, timeout=10)
        errors = [m.args[:2] for m in replies if m.address == P.ERROR]
        assert (1, "cancelled") in errors
        assert {m.args[0] for m in replies if m.address == P.VARIATION_NOTE} == {3}
        assert replies[-1].args[0] == 3


def test_an_upload_that_never_ends_is_dropped(models_dir) -> None:
    with running_server(models_dir, upload_timeout=0.3) as srv, RawClient(srv.address) as raw:
        raw.send(P.SEED_BEGIN, 9, 3, 4.0, 4, 4)
        raw.send(P.SEED_NOTE, 9, 60, 0.0, 1.0, 90)
        started = time.monotonic()
        rid, code, _ = raw.error(timeout=3)
        assert (rid, code) == (9, "upload_timeout") and time.monotonic() - started >= 0.25
        raw.send(P.SEED_NOTE, 9, 62, 1.0, 1.0, 90)
        assert raw.error()[:2] == (9, "no_upload")
        assert srv.bridge.sessions.pending_uploads() == 0


def test_allow_list_refuses_other_clients(models_dir) -> None:
    from segue.bridge.allow import is_allowed, parse_allow
    from segue.errors import SegueError

    with running_server(models_dir, allow=("10.0.0.0/8", "192.168.1.7")) as srv, \
            RawClient(srv.address) as raw:
        raw.send(P.PING, 1)
        raw.send_bytes(b"garbage!")
        assert raw.next(0.5) is None
    with running_server(models_dir, allow=("10.0.0.0/8,127.0.0.1",)) as srv, \
            RawClient(srv.address) as raw:
        raw.send(P.PING, 1)
        assert raw.until(P.PONG)[-1].args[0] == 1
    networks = parse_allow(["192.168.1.0/24", "::1"])
    assert is_allowed("192.168.1.200", networks) and is_allowed("::ffff:192.168.1.3", networks)
    assert not is_allowed("192.168.2.1", networks) and is_allowed("::1", networks)
    with pytest.raises(SegueError, match="not an IP address"):
        parse_allow(["my-laptop"])


# -- fuzz -------------------------------------------------------------------------------------

INTERESTING = [0, 1, 2, -1, 0.5, 4.0, 60.0, 60.5, 127, 128, 1 / 3, 1e9, -1e9, 2**31 - 1,
               -(2**31), math.nan, math.inf, -math.inf, "", "bars", "variations", "notes",
               "key", "auto", "model", "tiny", "x" * 80]


def _random_message(rng: random.Random) -> bytes:
    paths = [p for p in P.inbound_paths() if p != P.REPLY_TO] + ["/segue/x", "/", "/segue"]
    args = [rng.choice(INTERESTING) for _ in range(rng.randrange(0, 8))]
    return codec.encode(rng.choice(paths), args)


def _corpus() -> list[bytes]:
    seed = [codec.encode(P.SEED_BEGIN, (5, 2, 4.0, 4, 4)),
            codec.encode(P.SEED_NOTE, (5, 60, 0.0, 1.0, 90)),
            codec.encode(P.SEED_NOTE, (5, 64.0, 1.0, 0.5, 100.0)),
            codec.encode(P.SEED_END, (5,)),
            codec.encode(P.GENERATE, (5, "notes", 4, "variations", 2)),
            codec.encode(P.SEED_BEGIN, (6, 0, 2.0, 3, 4)), codec.encode(P.SEED_END, (6,)),
            codec.encode(P.GENERATE, (6,)), codec.encode(P.CANCEL, (5,))]
    other = [codec.encode(P.PING, (3,)), codec.encode(P.VERSION), codec.encode(P.MODELS),
             codec.encode(P.GET), codec.encode(P.SET, ("temperature", 0.7)),
             codec.encode("/segue/fader/bars", (0.3,)), codec.encode(P.CONTINUE, (1.0,)),
             codec.encode(P.MODEL, ("tiny",))]
    bundle = codec.encode_bundle(seed[:4])
    return seed + other + [bundle]


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
        return bytes(base[:rng.randrange(len(base))])
    if kind == 3:
        return bytes(base + rng.randbytes(rng.randrange(1, 64)))
    if kind == 4:
        other = rng.choice(corpus)
        return bytes(base[:rng.randrange(len(base))] + other[rng.randrange(len(other)):])
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
        assert got(result) == expected(tiny, phrase(), bars=2, variations=2, seed=4)


def test_float32_beat_times_of_replies_snap_back_exactly() -> None:
    for ticks in range(0, 24 * 64):
        beats = ticks / 24
        arrived = struct.unpack(">f", struct.pack(">f", beats))[0]
        from segue.grid import snap

        assert snap(arrived) == beats

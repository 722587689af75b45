"""The dispatch: a handler for every address of the table; every failure answered."""

from __future__ import annotations

import logging

from segue.bridge import protocol as P
from segue.bridge.codec import Message
from segue.bridge.dispatch import Bridge
from segue.bridge.models import ModelCache

CLIENT = ("127.0.0.1", 5000)


def test_the_handlers_match_the_table() -> None:
    Bridge(ModelCache("x"), lambda *a: None)  # raises if an address lacks a handler


def test_a_fault_in_a_handler_is_answered_logged_and_survived(caplog) -> None:
    class Broken(ModelCache):
        def entries(self):
            raise RuntimeError("a bug")

    sent: list[tuple] = []
    bridge = Bridge(Broken("x"), lambda dest, address, args: sent.append((dest, address, args)))
    with caplog.at_level(logging.WARNING, logger="segue.bridge"):
        bridge.handle(CLIENT, Message(P.MODELS, ()))
    assert sent == [
        (CLIENT, P.ERROR, (-1, "internal", "internal error (RuntimeError); see the bridge's log"))
    ]
    assert "fault handling /segue/models" in caplog.text and "RuntimeError: a bug" in caplog.text
    bridge.handle(CLIENT, Message(P.PING, (5,)))
    assert sent[-1][1:] == (P.PONG, (5, sent[-1][2][1], "x", P.PROTOCOL_VERSION, bridge.instance))


def test_each_run_of_the_bridge_says_another_instance_in_its_pongs() -> None:
    """The device tells a bridge restarted mid-request by it (a pong answered, the request
    forgotten: it waited a minute, then blamed the bridge, helper-48)."""
    runs = {Bridge(ModelCache("x"), lambda *a: None).instance for _ in range(8)}
    assert len(runs) > 1 and all(1 <= r <= P.MAX_INSTANCE for r in runs)


def test_a_bad_message_is_answered_with_its_request_id() -> None:
    sent: list[tuple] = []
    bridge = Bridge(ModelCache("x"), lambda dest, address, args: sent.append(args))
    bridge.handle(CLIENT, Message(P.SEED_NOTE, (4, 60, 0.0, 1.0, 90)))
    bridge.handle(CLIENT, Message("/segue/nope", (4,)))
    bridge.handle(CLIENT, Message(P.DONE, (1, 1, 2.0, 3)))  # a reply: ignored
    assert [args[:2] for args in sent] == [(4, "no_upload"), (-1, "unknown_address")]
    bridge.handle(CLIENT, Message("/segue/p*", ()))
    assert sent[-1][1] == "unknown_address" and "patterns (wildcards) are not" in sent[-1][2]


def test_an_error_about_a_stray_message_does_not_carry_a_live_requests_id(models_dir) -> None:
    """Issue 15, row 7: generate 7 twice gave `status, status, error 7 no_seed, done 7`."""
    from bridge_requests import phrase, until_stopped, upload

    from segue.bridge.client import BridgeClient
    from segue.bridge.testing import RawClient, running_server

    with running_server(models_dir, generate=until_stopped) as srv, RawClient(srv.address) as raw:
        upload(raw, 7, phrase(n=4))
        raw.until(P.SEED_STORED)
        raw.send(P.GENERATE, 7)
        raw.until(P.STATUS)
        raw.send(P.GENERATE, 7)  # again, while 7 runs
        raw.send(P.SEED_NOTE, 7, 60, 0.0, 1.0, 90)  # a stray note naming 7
        assert [raw.error()[:2], raw.error()[:2]] == [(-1, "duplicate_id"), (-1, "no_upload")]
        raw.send(P.CANCEL, 7)  # about 7 itself: its id
        assert raw.error()[:2] == (7, "cancelled")

    with running_server(models_dir) as srv, BridgeClient(*srv.address) as client:

        def stray(state: str, position: int) -> None:  # the client's own stray generate
            client.send(P.GENERATE, 11)

        result = client.generate(phrase(), {"notes": 3}, request_id=11, on_status=stray)
        assert [len(v.clip) for v in result.variations] == [3]


def test_a_second_press_while_the_first_runs_says_busy_once(models_dir) -> None:
    """It said "/segue/start naming request 0, still running: a button's generation is
    still running"."""
    from bridge_requests import until_stopped

    from segue.bridge.testing import RawClient, running_server

    with running_server(models_dir, generate=until_stopped) as srv, RawClient(srv.address) as raw:
        raw.send(P.START, 1.0)
        raw.until(P.STATUS)
        raw.send(P.START, 1.0)
        rid, code, text = raw.error()
        assert (rid, code, text) == (-1, "busy", "a button's generation is still running")
        raw.send(P.CANCEL, 0)


def test_an_echoed_answer_is_given_twice_at_most_unless_something_changed() -> None:
    sent: list[tuple] = []
    bridge = Bridge(ModelCache("x"), lambda dest, address, args: sent.append((address, args)))
    for _ in range(3):
        bridge.handle(CLIENT, Message("/segue/fader/bars", (1.0,)))  # a loop would do this
    assert [a for a, _ in sent] == ["/segue/fader/bars", "/segue/label/bars"] * 2
    bridge.handle(CLIENT, Message("/segue/fader/beats", (0.5,)))  # clears bars
    bridge.handle(CLIENT, Message("/segue/fader/bars", (1.0,)))  # a change: answered
    assert sent[-2:] == [("/segue/fader/bars", (1.0,)), ("/segue/label/bars", ("32 bars",))]


def test_echoes_start_over_for_a_client_that_names_its_reply_port() -> None:
    """The echo guard counted answers by where they went (the reply port) and started over
    by where messages came from: for the Live device, which names its reply port, every
    third /segue/reply_to went unanswered with "another bridge answering?" in the log, and
    so did a TouchOSC fader's third same value, with pings between (helper-64)."""
    sent: list[tuple] = []
    bridge = Bridge(ModelCache("x"), lambda dest, address, args: sent.append((dest, address)))
    bridge.handle(CLIENT, Message(P.REPLY_TO, (CLIENT[1] + 1,)))
    for _ in range(4):
        bridge.handle(CLIENT, Message(P.PING, ()))
        bridge.handle(CLIENT, Message(P.REPLY_TO, (CLIENT[1] + 1,)))
        bridge.handle(CLIENT, Message("/segue/fader/bars", (1.0,)))
    answered = [address for _, address in sent]
    assert answered.count(P.REPLY_TO) == 5 and answered.count("/segue/fader/bars") == 4
    assert {dest for dest, _ in sent} == {(CLIENT[0], CLIENT[1] + 1)}


def test_a_refused_seed_upload_is_said_once_and_its_end_says_why() -> None:
    """A begin refused for its time signature (3/3) answered each of its 50 notes no_upload,
    and a client showing its latest error showed that, not the reason (helper-40)."""
    sent: list[tuple] = []
    bridge = Bridge(ModelCache("x"), lambda dest, address, args: sent.append(args))
    for begin in ((7, 50, 4.0, 3, 3), (8, 2, 4.0, 4, 4)):  # refused; then one of 2 notes
        rid = begin[0]
        bridge.handle(CLIENT, Message(P.SEED_BEGIN, begin))
        for i in range(50):
            bridge.handle(CLIENT, Message(P.SEED_NOTE, (rid, 60, i * 0.05, 0.05, 90)))
        bridge.handle(CLIENT, Message(P.SEED_END, (rid,)))
    codes = [args[:2] for args in sent]
    assert codes == [(7, "bad_value")] * 2 + [(8, "count_mismatch")] * 2, codes
    assert "time signature 3/3: the lower number must be 1, 2, 4" in sent[0][2]
    assert sent[1][2].startswith("seed end for request 7, whose upload was refused: ")
    assert sent[3][2].startswith("seed end for request 8, whose upload was refused: ")
    bridge.handle(CLIENT, Message(P.SEED_BEGIN, (7, 1, 4.0, 4, 4)))  # the id begins anew
    bridge.handle(CLIENT, Message(P.SEED_NOTE, (7, 60, 0.0, 1.0, 90)))
    bridge.handle(CLIENT, Message(P.SEED_END, (7,)))
    assert sent[-1] == (7, 1)  # stored
    bridge.handle(CLIENT, Message(P.SEED_BEGIN, (9, 99999, 4.0, 4, 4)))  # refused: too many
    bridge.handle(CLIENT, Message(P.CANCEL, (9,)))  # a refused upload is cancelled, not unknown
    assert [args[:2] for args in sent[-2:]] == [(9, "too_many_notes"), (9, "cancelled")]


def test_a_requests_errors_are_all_sent_however_many() -> None:
    """The pace of errors swallowed the answer to a seed's end and to its generate after
    64 refused notes (velocity 0, as a patch forwarding note-offs sends them) (helper-45)."""
    sent: list[tuple] = []
    bridge = Bridge(ModelCache("x"), lambda dest, address, args: sent.append(args))
    bridge.handle(CLIENT, Message(P.SEED_BEGIN, (7, 100, 64.0, 4, 4)))
    for i in range(100):
        bridge.handle(CLIENT, Message(P.SEED_NOTE, (7, 60, i * 0.5, 0.5, 0)))
    bridge.handle(CLIENT, Message(P.SEED_END, (7,)))
    bridge.handle(CLIENT, Message(P.GENERATE, (7,)))
    codes = [args[1] for args in sent]
    assert codes == ["bad_value"] * 100 + ["count_mismatch", "no_seed"], codes[-3:]

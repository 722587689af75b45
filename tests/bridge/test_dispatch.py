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
    assert sent[-1][1:] == (P.PONG, (5, sent[-1][2][1], "x", P.PROTOCOL_VERSION))


def test_a_bad_message_is_answered_with_its_request_id() -> None:
    sent: list[tuple] = []
    bridge = Bridge(ModelCache("x"), lambda dest, address, args: sent.append(args))
    bridge.handle(CLIENT, Message(P.SEED_NOTE, (4, 60, 0.0, 1.0, 90)))
    bridge.handle(CLIENT, Message("/segue/nope", (4,)))
    bridge.handle(CLIENT, Message(P.DONE, (1, 1, 2.0, 3)))  # a reply: ignored
    assert [args[:2] for args in sent] == [(4, "no_upload"), (-1, "unknown_address")]

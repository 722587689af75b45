"""What the bridge remembers per client: an upload that never ends is dropped; clients are
forgotten by time only, never pushed out while in use, and told when they come back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from segue.bridge import protocol as P
from segue.bridge.errors import ProtocolError
from segue.bridge.session import Sessions
from segue.bridge.testing import RawClient, running_server


@contextmanager
def device_and_listener(srv) -> Iterator[tuple[RawClient, RawClient]]:
    """Two clients of ``srv``: a device whose replies go to the listener (as the Live
    device's do to its receiving port)."""
    with RawClient(srv.address) as device, RawClient(srv.address) as listener:
        device.send(P.REPLY_TO, listener.port)
        listener.until(P.REPLY_TO)
        yield device, listener


def test_an_upload_that_never_ends_is_dropped(models_dir) -> None:
    with running_server(models_dir, upload_timeout=0.3) as srv, RawClient(srv.address) as raw:
        raw.send(P.SEED_BEGIN, 9, 3, 4.0, 4, 4)
        raw.send(P.SEED_NOTE, 9, 60, 0.0, 1.0, 90)
        started = time.monotonic()
        rid, code, _ = raw.error(timeout=3)
        assert (rid, code) == (9, "upload_timeout") and time.monotonic() - started >= 0.25
        raw.send(P.SEED_NOTE, 9, 62, 1.0, 1.0, 90)
        assert raw.error()[:2] == (9, "no_upload")
        state = srv.bridge.sessions.peek(("127.0.0.1", raw.port))
        assert state is not None and not state.uploads  # the only client: nothing pending


def test_a_client_in_use_is_never_pushed_out_and_newcomers_hear_why(models_dir) -> None:
    """Issue 15, row 5: the 65th client silently took the first one's reply port."""
    with (
        running_server(models_dir, max_clients=4) as srv,
        device_and_listener(srv) as (device, listener),
    ):
        others = [RawClient(srv.address) for _ in range(10)]
        try:
            for other in others:
                other.send(P.SET, "top_p", 0.9)
            answers = [other.until([P.PARAM, P.ERROR]) for other in others]
        finally:
            for other in others:
                other.close()
        assert [a[-1].address for a in answers].count(P.PARAM) == 3
        refused = [a[-1].args for a in answers if a[-1].address == P.ERROR]
        assert len(refused) == 7 and all(r[1] == "too_many_clients" for r in refused)
        device.send(P.PING, 5)
        assert listener.until(P.PONG)[-1].args[0] == 5  # its reply port is still its own
        assert device.next(0.2) is None


def test_a_client_quiet_long_enough_makes_room_and_is_told_when_it_comes_back(
    models_dir, monkeypatch
) -> None:
    monkeypatch.setattr("segue.bridge.session.QUIET", 0.3)
    with (
        running_server(models_dir, max_clients=2) as srv,
        device_and_listener(srv) as (device, listener),
        RawClient(srv.address) as second,
        RawClient(srv.address) as newcomer,
    ):
        time.sleep(0.4)
        second.send(P.SET, "top_p", 0.5)
        second.until(P.PARAM)
        newcomer.send(P.SET, "top_p", 0.5)  # the device, quiet for longest, makes room
        newcomer.until(P.PARAM)
        device.send(P.PING, 6)
        rid, code, text = listener.error()  # told where its replies used to go
        assert (rid, code) == (-1, "forgotten") and "to make room" in text
        assert listener.until(P.LABEL_STATUS)[-1].args == (
            "error: forgotten (connect again: Link)",
        )
        assert device.until(P.PONG)[-1].args[0] == 6  # a new client now, answered as one


def test_a_quiet_client_is_forgotten_in_time_and_any_message_is_use(models_dir) -> None:
    with (
        running_server(models_dir, client_timeout=0.5, upload_timeout=5) as srv,
        device_and_listener(srv) as (device, listener),
    ):
        device.send(P.SEED_BEGIN, 3, 5, 8.0, 4, 4)
        for i in range(5):  # a slow upload: 1.0 s in all, never 0.5 s quiet
            time.sleep(0.2)
            device.send(P.SEED_NOTE, 3, 60 + i, float(i), 1.0, 90)
        device.send(P.SEED_END, 3)
        assert listener.until([P.SEED_STORED, P.ERROR])[-1].args == (3, 5)
        time.sleep(0.8)
        assert len(srv.bridge.sessions) == 0
        device.send(P.REPLY_TO, listener.port)  # sets it up again: no complaint
        assert listener.until([P.REPLY_TO, P.ERROR])[-1].address == P.REPLY_TO
        time.sleep(0.8)
        device.send(P.GENERATE, 3)
        rid, code, text = listener.error()
        assert (rid, code) == (-1, "forgotten") and "after 0.5 s without a message" in text
        assert device.error()[:2] == (3, "no_seed")  # its seed went with it


def test_abandoned_uploads_are_never_dropped_without_an_error(models_dir) -> None:
    """Row 5: 136 of 200 abandoned uploads were dropped without an error."""
    with running_server(models_dir, max_clients=4, upload_timeout=0.5) as srv:
        clients = [RawClient(srv.address) for _ in range(6)]
        try:
            for rid, client in enumerate(clients):
                client.send(P.SEED_BEGIN, rid, 3, 4.0, 4, 4)
                client.send(P.SEED_NOTE, rid, 60, 0.0, 1.0, 90)
            errors = [client.error(timeout=3) for client in clients]
        finally:
            for client in clients:
                client.close()
    assert [e[:2] for e in errors[:4]] == [(rid, "upload_timeout") for rid in range(4)]
    assert [e[:2] for e in errors[4:]] == [(4, "too_many_clients"), (5, "too_many_clients")]


def test_a_client_in_use_is_not_forgotten_however_quiet() -> None:
    """A quiet client with a seed upload open, or a learn uploading or tuning, keeps its
    reply port; one whose upload was just dropped is told before it is forgotten."""
    from segue.bridge.session import Sessions
    from segue.notes import TimeSignature

    learning = {("h", 2)}
    sessions = Sessions(upload_timeout=5, client_timeout=1, busy=lambda c: c in learning)
    idle, learner, uploader = ("h", 1), ("h", 2), ("h", 3)
    for client in (idle, learner, uploader):
        sessions.client(client).heard = 0.0
    sessions.begin(uploader, 7, 3, 4.0, TimeSignature(4, 4), now=0.0)
    assert sessions.expire(3.0) == []
    assert sessions.peek(idle) is None
    assert sessions.peek(learner) is not None and sessions.peek(uploader) is not None
    assert sessions.expire(6.0) == [(uploader, 7)]
    assert sessions.peek(uploader) is not None  # its upload_timeout goes to its reply port
    sessions.expire(6.1)
    assert sessions.peek(uploader) is None and sessions.peek(learner) is not None
    learning.clear()
    sessions.expire(6.2)
    assert len(sessions) == 0


def test_a_quiet_learn_upload_is_dropped_with_its_error_at_the_reply_port(
    models_dir, monkeypatch
) -> None:
    """The client was forgotten (client timeout) while its learn upload was open, and the
    upload's error then went to the port it sent from, not to its reply port."""
    monkeypatch.setattr(P, "LEARN_UPLOAD_TIMEOUT", 1.0)
    with (
        running_server(models_dir, client_timeout=0.3) as srv,
        device_and_listener(srv) as (device, listener),
    ):
        device.send(P.LEARN_BEGIN, 9, "quiet", 2, 5.0)
        rid, code, _ = listener.error(timeout=5)
        assert (rid, code) == (9, "upload_timeout")
        assert device.next(0.2) is None


def test_a_seed_that_made_way_for_newer_ones_is_named_so() -> None:
    """A client keeps its 8 latest seeds; asking for an older one said it was never uploaded."""
    from segue.bridge.errors import ProtocolError
    from segue.bridge.session import Sessions
    from segue.notes import Note, TimeSignature

    sessions = Sessions()
    client = ("h", 1)
    for rid in range(110, 110 + P.MAX_SEEDS + 1):
        sessions.begin(client, rid, 1, 4.0, TimeSignature(4, 4), now=0.0)
        sessions.note(client, rid, Note(60, 0.0, 1.0, 90))
        sessions.end(client, rid)
    with pytest.raises(ProtocolError, match="made way for newer ones .* keeps its 8 latest"):
        sessions.take_seed(client, 110)
    assert len(sessions.take_seed(client, 111)) == 1
    sessions.begin(client, 110, 1, 4.0, TimeSignature(4, 4), now=0.0)  # 110 again: a new seed
    sessions.note(client, 110, Note(62, 0.0, 1.0, 90))
    sessions.end(client, 110)
    assert sessions.take_seed(client, 110).notes[0].pitch == 62
    with pytest.raises(ProtocolError, match="seed of request 110 was used by its /segue/gen"):
        sessions.take_seed(client, 110)  # taken: not "made way", nor "never uploaded"
    for rid in range(1000, 1100):  # what was used is remembered for a while, not for ever
        sessions.begin(client, rid, 0, 4.0, TimeSignature(4, 4), now=0.0)
        sessions.end(client, rid)
        sessions.take_seed(client, rid)
    assert len(sessions.client(client).used_seeds) <= 64
    with pytest.raises(ProtocolError, match="no seed was uploaded with request id 5"):
        sessions.take_seed(client, 5)


def test_a_client_that_says_bye_frees_its_place_at_once(models_dir) -> None:
    """A script running `segue send` 124 times in about a minute was refused from the 65th
    on (too_many_clients): each run is a new client, kept a minute after it went quiet."""
    from segue.bridge.client import BridgeClient

    with running_server(models_dir, max_clients=2) as srv:
        for _ in range(6):
            with BridgeClient(port=srv.address[1], timeout=5) as client:
                assert client.ping().version  # the 3rd was refused (too_many_clients)
        time.sleep(0.2)
        assert len(srv.bridge.sessions) == 0
        with RawClient(srv.address) as raw, RawClient(srv.address) as other:
            raw.send(P.SEED_BEGIN, 1, 2, 4.0, 4, 4)  # in use: an upload open
            raw.send(P.BYE)
            other.send(P.BYE)  # a stranger's bye: nothing to forget, no answer
            time.sleep(0.2)
            assert srv.bridge.sessions.peek(("127.0.0.1", raw.port)) is not None
            assert raw.next(0.2) is None and other.next(0.2) is None


def test_a_bridge_with_a_reply_port_answers_a_client_that_asks_for_its_own(models_dir) -> None:
    """`segue serve --reply-port P` (for oscsend, whose replies cannot come back): `segue
    ping` and `segue send` heard nothing and said no bridge ran, and `/segue/reply_to 0`
    still sent everything to P, where the docs say 0 is back to the sending port."""
    from segue.bridge.client import BridgeClient

    with RawClient(("127.0.0.1", 9)) as fixed:  # where the bridge sends by default
        with running_server(models_dir, reply_port=fixed.port) as srv:
            with RawClient(srv.address) as plain:
                plain.send(P.PING, 5)
                assert fixed.until(P.PONG)[-1].args[0] == 5  # to the bridge's reply port
                plain.send(P.REPLY_TO, 0)
                assert plain.until(P.REPLY_TO)[-1].args == (0,)  # now back to its own
                plain.send(P.PING, 6)
                assert plain.until(P.PONG)[-1].args[0] == 6
            with BridgeClient(*srv.address, timeout=3) as client:
                assert client.ping().model == "tiny"
                assert len(client.generate(None, {"bars": 1.0}).variations) == 1


def test_a_seed_note_refused_is_not_counted_as_arrived(models_dir) -> None:
    """One bad note (pitch 128) gave bad_value, then at the end "0 seed notes arrived, 1
    were announced", though the note had arrived."""
    with running_server(models_dir) as srv, RawClient(srv.address) as raw:
        raw.send(P.SEED_BEGIN, 3, 1, 4.0, 4, 4)
        raw.send(P.SEED_NOTE, 3, 128, 0.0, 1.0, 90)
        assert raw.error()[:2] == (3, "bad_value")
        raw.send(P.SEED_END, 3)
        rid, code, text = raw.error()
        assert (rid, code) == (3, "count_mismatch")
        assert text == (
            "request 3: 0 seed notes taken, 1 was announced (a note refused with its own error "
            "is not taken); the upload is dropped"
        )


def test_another_computer_holds_at_most_a_few_clients_this_one_is_not_held_to_it() -> None:
    """64 one-datagram clients from one LAN host (64 ports) locked every other client out
    for a minute, again and again (helper-41)."""
    from segue.bridge.errors import ProtocolError
    from segue.bridge.session import QUIET, Sessions

    now = [0.0]
    sessions = Sessions(clock=lambda: now[0])
    for port in range(P.MAX_CLIENTS_PER_HOST):
        sessions.client(("192.0.2.2", 40000 + port))
    with pytest.raises(ProtocolError, match="192.0.2.2 has 8 clients of this bridge") as info:
        sessions.client(("192.0.2.2", 49999))
    assert info.value.code == "too_many_clients"
    for port in range(20):  # another computer, and this one, are not held to its share
        sessions.client(("127.0.0.1", 50000 + port))
    sessions.client(("192.0.2.3", 40000))
    now[0] = QUIET + 1  # its quietest makes way after a minute
    sessions.client(("192.0.2.2", 49999))
    assert sessions.peek(("192.0.2.2", 40000)) is None


def test_one_shot_senders_make_room_after_two_seconds() -> None:
    """liblo's oscsend sends each message from a port of its own: 64 of them held every
    place for a minute, and Live's device was refused (helper-49). A client heard once, with
    nothing in flight, makes way after 2 s; one heard twice keeps its minute."""
    now = [0.0]
    sessions = Sessions(max_clients=3, clock=lambda: now[0])
    sessions.client(("127.0.0.1", 40000))  # a device: heard again below
    sessions.client(("127.0.0.1", 40001))  # oscsend, once
    sessions.client(("127.0.0.1", 40002))  # oscsend, once
    now[0] = 1.0
    sessions.heard(("127.0.0.1", 40000))
    with pytest.raises(ProtocolError, match="too_many_clients|its most"):
        sessions.client(("127.0.0.1", 50000))  # not 2 s yet
    now[0] = 2.5
    sessions.client(("127.0.0.1", 50000))  # the first one-shot makes way
    assert sessions.peek(("127.0.0.1", 40001)) is None
    assert sessions.peek(("127.0.0.1", 40000)) is not None  # heard twice: kept

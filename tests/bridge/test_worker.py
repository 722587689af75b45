"""The worker queue: busy, duplicate ids, cancel; many clients with the same ids never mix."""

from __future__ import annotations

import threading
import time

from bridge_requests import expected, got, phrase

from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient
from segue.bridge.testing import RawClient, running_server


def test_many_clients_at_once_with_the_same_request_ids_never_mix(server, tiny) -> None:
    clients, per_client = 10, 3
    results: dict[int, list] = {}
    failures: list[BaseException] = []

    def run(k: int) -> None:
        try:
            with BridgeClient(*server.address, timeout=20) as client:
                results[k] = [
                    got(
                        client.generate(
                            phrase(offset=k),
                            {"variations": 1 + k % 3, "bars": float(1 + i), "rng_seed": k * 10 + i},
                            request_id=i + 1,
                        )
                    )
                    for i in range(per_client)
                ]
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    for k in range(clients):
        assert results[k] == [
            expected(tiny, phrase(offset=k), variations=1 + k % 3, bars=1 + i, rng_seed=k * 10 + i)
            for i in range(per_client)
        ]


def test_full_queue_answers_busy_and_cancel_and_duplicate_ids(models_dir) -> None:
    from segue.model.generate import generate

    gate = threading.Event()

    def held(model, seed, params, should_stop):
        gate.wait(20)
        return generate(model, seed, params, threads=1, should_stop=should_stop)

    with (
        running_server(models_dir, queue_size=1, generate=held) as srv,
        RawClient(srv.address) as raw,
    ):
        for rid in (1, 2, 3, 4):
            raw.send(P.SEED_BEGIN, rid, 0, 4.0, 4, 4)
            raw.send(P.SEED_END, rid)
        raw.until([P.SEED_STORED] * 1)
        raw.send(P.GENERATE, 1, "notes", 2)
        assert [
            m.args[1] for m in raw.until(P.STATUS) + raw.until(P.STATUS) if m.address == P.STATUS
        ] == ["queued", "running"]
        raw.send(P.GENERATE, 2, "notes", 2)
        assert raw.until(P.STATUS)[-1].args == (2, "queued", 1)
        raw.send(P.GENERATE, 3, "notes", 2)
        assert raw.error()[:2] == (3, "busy")
        raw.send(P.GENERATE, 1, "notes", 2)  # 1 is running: not about it, so without its id
        assert raw.error()[:2] == (-1, "duplicate_id")
        raw.send(P.SEED_BEGIN, 2, 0, 4.0, 4, 4)
        raw.send(P.SEED_END, 2)
        raw.send(P.GENERATE, 2)  # 2 is queued: an error not about it, so without its id
        assert raw.error()[:2] == (-1, "duplicate_id")
        raw.send(P.CANCEL, 2)  # queued: dropped at once
        assert raw.error()[:2] == (2, "cancelled")
        raw.send(P.CANCEL, 1)  # running: finishes, then sends no notes
        raw.send(P.GENERATE, 3, "notes", 2)  # the seed kept after 'busy'; the queue has room
        raw.send(P.PING, 5)  # its pong: the bridge has read the cancel before the gate opens
        raw.until(P.PONG)  # (opened at once, request 1 could finish before it was read)
        gate.set()
        replies = raw.until(P.DONE, timeout=10)
        errors = [m.args[:2] for m in replies if m.address == P.ERROR]
        assert (1, "cancelled") in errors
        assert {m.args[0] for m in replies if m.address == P.VARIATION_NOTE} == {3}
        assert replies[-1].args[0] == 3
        raw.send(P.GENERATE, 1, "notes", 2)  # its seed is gone
        assert raw.error()[:2] == (1, "no_seed")


def test_another_computer_queues_one_job_at_a_time_and_this_ones_go_first() -> None:
    """One LAN host with many ports held the queue and the worker (its jobs waited on their
    reply budget) while Live's request waited seconds (helper-41)."""
    import pytest

    from segue.bridge.errors import ProtocolError
    from segue.bridge.worker import Job, Worker

    def job(host: str, port: int, rid: int = 1) -> Job:
        return Job((host, port), rid, (host, port), None, None, "m", 0.0)

    worker = Worker(lambda job: None, queue_size=8)  # not started: jobs stay queued
    assert worker.submit(job("192.0.2.2", 40000)) == 1
    with pytest.raises(ProtocolError, match="a request from 192.0.2.2 is still queued") as info:
        worker.submit(job("192.0.2.2", 40001))
    assert info.value.code == "busy"
    assert worker.submit(job("192.0.2.3", 40000)) == 2
    assert worker.submit(job("127.0.0.1", 9124)) == 1  # Live's: before the other computers'
    assert worker.submit(job("127.0.0.1", 9125)) == 2
    assert worker.submit(job("127.0.0.1", 9124, rid=2)) == 3  # this computer: as many as fit


def test_a_handed_off_answer_keeps_its_job_running_and_the_senders_are_limited() -> None:
    from segue.bridge.worker import Job, Worker

    gate, sent, inline = threading.Event(), threading.Semaphore(0), []
    worker: Worker

    def run(job: Job) -> None:
        def send() -> None:
            gate.wait(10)
            worker.release(job.key)

        if not worker.hand_off(job, send, limit=2):
            inline.append(job.request_id)  # past the limit: the worker answers itself
        sent.release()

    worker = Worker(run, queue_size=8)
    worker.start()
    for rid in (1, 2, 3):
        host = f"192.0.2.{rid}"  # (another computer has one request at a time)
        worker.submit(Job((host, 40000), rid, (host, 40000), None, None, "m", 0))
        assert sent.acquire(timeout=5)
    assert inline == [3]
    key = (("192.0.2.1", 40000), 1)
    assert worker.holds(key) and worker.busy() == (2, 0)  # handed off: still running
    assert worker.cancel(key) == "running" and worker.cancelled(key)
    gate.set()
    worker.stop()
    assert worker.join(time.monotonic() + 5) == []  # the senders were waited for
    assert not worker.holds(key)

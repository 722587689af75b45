"""Requests to a bridge for the tests: a phrase to continue, what generation gives in process."""

from __future__ import annotations

from segue.bridge import protocol as P
from segue.bridge.client import BridgeResult
from segue.bridge.testing import RawClient
from segue.notes import Clip, Note


def phrase(offset: int = 0, n: int = 16, step: float = 0.5) -> Clip:
    notes = [Note(60 + offset + (i * 5) % 12, i * step, step, 80 + i % 20) for i in range(n)]
    return Clip(tuple(notes))


def expected(model, clip: Clip, **kwargs) -> list[tuple[float, tuple]]:
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    result = generate(model, clip, GenerationParams(**kwargs), threads=1)
    return [(v.start, tuple(v.clip.notes), v.clip.length) for v in result.variations]


def got(result: BridgeResult) -> list[tuple[float, tuple]]:
    return [(v.start, tuple(v.clip.notes), v.clip.length) for v in result.variations]


def upload(
    raw: RawClient, rid: int, clip: Clip, floats: bool = True, downbeat: float | None = None
) -> None:
    """Upload as TouchOSC or Max would: every number a float32 (``downbeat``: where bar 1
    lies, the begin's 6th argument, as the device tells it after a pickup)."""
    cast = float if floats else (lambda v: v)
    ts = clip.time_signature
    told = () if downbeat is None else (float(downbeat),)
    raw.send(
        P.SEED_BEGIN,
        cast(rid),
        cast(len(clip)),
        float(clip.length),
        cast(ts.numerator),
        cast(ts.denominator),
        *told,
    )
    for n in clip.notes:
        raw.send(
            P.SEED_NOTE,
            cast(rid),
            cast(n.pitch),
            float(n.start),
            float(n.duration),
            cast(n.velocity),
        )
    raw.send(P.SEED_END, cast(rid))


def made(notes: int):
    """A generate function for ``running_server``: every variation ``notes`` notes at once,
    an eighth apart (no model runs; for what the bridge does with many notes)."""
    from segue.model.generate import GenerationResult, Variation

    def generate(model, seed: Clip, params, should_stop) -> GenerationResult:
        clip = Clip(tuple(Note(48 + i % 24, i / 8, 1 / 8, 90) for i in range(notes)))
        variations = tuple(Variation(clip, seed.length) for _ in range(params.variations))
        return GenerationResult(variations, seed, None, 1, params=params)

    return generate


def until_stopped(model, seed: Clip, params, should_stop):
    """A generate function that runs until it is told to stop (a cancel, the bridge stopping)."""
    import time

    from segue.model.generate import GenerationCancelled

    while not should_stop():
        time.sleep(0.005)
    raise GenerationCancelled("stopped")


def send_from_bridge(server, address: str, *args) -> None:
    """A datagram to ``server`` from its own socket: the bridge's own port as the sender."""
    from segue.bridge.codec import encode

    server._sock.sendto(encode(address, args), server.address)

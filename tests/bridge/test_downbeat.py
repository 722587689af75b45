"""A seed told where bar 1 lies (a Live clip whose start marker is moved back before bar 1 to
hold a pickup), over UDP on loopback: its begin's optional ``downbeat``."""

from __future__ import annotations

import pytest
from bridge_requests import expected

from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient
from segue.notes import Clip, Note

WALK_UP = ((35, 0.0), (36, 0.5), (38, 1.0))  # B1 C2 D2, an 8th each, into bar 1 at 1.5
BAR = [(40, 1.0), (40, 0.5), (41, 0.5), (40, 1.0), (43, 1.0)]  # an E phrygian bass's bar
LAST = [(40, 1.0), (41, 0.5), (40, 0.5), (50, 1.0), (48, 1.0)]  # D3 C3 leading back


def _bass() -> tuple[Note, ...]:
    """4 bars on an E2 pedal (lengths exact in float32, as they come over OSC)."""
    out, t = [], 0.0
    for pitch, beats in BAR * 3 + LAST:
        out.append(Note(pitch, t, beats * 0.75, 96))
        t += beats
    return tuple(out)


def _after_walk_up() -> Clip:
    """The bass after its walk-up, as the device sends a clip whose start marker lies a beat
    and a half before bar 1: from the marker, 17.5 beats."""
    pickup = tuple(Note(p, t, 0.375, 90) for p, t in WALK_UP)
    return Clip(pickup + tuple(n.shifted(1.5) for n in _bass()), 17.5)


@pytest.fixture(scope="module")
def producer():
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    return load_checkpoint(find_model("producer")).model


def _upload(raw, rid: int, clip: Clip, *downbeat: float) -> None:
    """As Max sends it: every number a float, the downbeat after the time signature."""
    ts = clip.time_signature
    begin = (float(rid), float(len(clip)), clip.length, float(ts.numerator), float(ts.denominator))
    raw.send(P.SEED_BEGIN, *begin, *downbeat)
    for n in clip.notes:
        raw.send(P.SEED_NOTE, float(rid), float(n.pitch), n.start, n.duration, float(n.velocity))
    raw.send(P.SEED_END, float(rid))


def _takes(raw, rid: int) -> tuple[list[float], list[list[tuple[int, float]]]]:
    """Each variation's start on the seed, and its notes (pitch, start)."""
    raw.send(P.GENERATE, rid, "bars", 4, "variations", 3, "rng_seed", 7, "model", "producer")
    replies = raw.until(P.DONE)
    starts = [m.args[4] for m in replies if m.address == P.VARIATION_BEGIN]
    notes = [m.args for m in replies if m.address == P.VARIATION_NOTE]
    return starts, [[(a[2], a[3]) for a in notes if a[1] == i] for i in range(len(starts))]


def _same(got: list[tuple[int, float]], want: tuple[Note, ...]) -> bool:
    return [p for p, _ in got] == [n.pitch for n in want] and all(
        abs(s - n.start) < 1e-5 for (_, s), n in zip(got, want, strict=True)
    )


def test_a_seed_told_its_downbeat_goes_on_from_bar_1_in_its_bars(server, raw, producer) -> None:
    """The bass after its walk-up, bar 1 told at 1.5: the bridge could not be told, and
    every take went on with the whole 17.5 beats, the walk-up heard again on every pass and
    the bars a beat and a half off Live's. Its takes now go on as the 4 bars alone would,
    E2 on each take's downbeat, placed after the whole clip."""
    clip = _after_walk_up()
    _upload(raw, 3, clip, 1.5)
    assert raw.until(P.SEED_STORED)[-1].args == (3, len(clip))
    starts, takes = _takes(raw, 3)
    assert starts == [17.5] * 3
    alone = expected(producer, Clip(_bass(), 16.0), bars=4, variations=3, rng_seed=7)
    for got, (_, want, _) in zip(takes, alone, strict=True):
        assert _same(got, want)
        assert got[0] == (40, 0.0)
    # segue's own client says it too (`segue send --downbeat`)
    with BridgeClient(*server.address) as client:
        asked = {"bars": 4, "variations": 3, "rng_seed": 7, "model": "producer"}
        told = client.generate(clip, asked, downbeat=1.5)
    assert [v.start for v in told.variations] == [17.5] * 3
    assert [v.clip.notes for v in told.variations] == [want for _, want, _ in alone]


def test_a_seed_not_told_its_downbeat_is_continued_as_before(server, raw, producer) -> None:
    """An old client (no downbeat): the notes alone cannot tell a pickup before bar 1 from
    a phrase that ends mid-bar, and the clip loops whole, as generation in process has it."""
    clip = _after_walk_up()
    _upload(raw, 4, clip)
    starts, takes = _takes(raw, 4)
    assert starts == [17.5] * 3
    whole = expected(producer, clip, bars=4, variations=3, rng_seed=7)
    assert all(_same(got, want) for got, (_, want, _) in zip(takes, whole, strict=True))


@pytest.mark.parametrize("downbeat", [17.5, 20.0, -1.0, 16.0])
def test_a_downbeat_outside_the_seed_is_refused_in_one_line(server, raw, downbeat) -> None:
    """Outside the seed, or with less than a bar of it after (16 of 17.5 beats: a bar 1
    whose music would be a beat and a half, looped)."""
    _upload(raw, 5, _after_walk_up(), downbeat)
    rid, code, text = raw.error()
    assert (rid, code) == (5, "bad_value") and "\n" not in text
    assert "downbeat" in text
    hint = "bar 1 is where the seed's music begins, with a bar of it or more after it"
    if downbeat == 16.0:
        assert text == f"downbeat 16 leaves 1.5 beats of the seed after it, less than a bar: {hint}"
    elif downbeat > 0:
        assert text == f"downbeat {downbeat:g} lies at or past the seed's end (17.5 beats): {hint}"
    assert raw.error()[1] == "bad_value"  # its end says why again (its notes are ignored)

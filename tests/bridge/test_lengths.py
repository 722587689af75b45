"""Every length limit in beats and in notes, whatever the time signature."""

from __future__ import annotations

import pytest
from bridge_requests import made

from segue.bridge import protocol as P
from segue.bridge.errors import ProtocolError
from segue.bridge.lengths import capped, check, notes_per_variation
from segue.bridge.testing import RawClient, running_server
from segue.model.generate import Variation
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note, TimeSignature


def test_bars_count_in_beats_of_the_seeds_time_signature() -> None:
    check(GenerationParams(bars=64).validated(), TimeSignature(4, 4))  # 256 beats
    check(GenerationParams(bars=32).validated(), TimeSignature(8, 4))
    for bars, signature in ((1, TimeSignature(99, 1)), (65 / 2, TimeSignature(8, 4))):
        with pytest.raises(ProtocolError, match="beats; a variation may be at most 256") as info:
            check(GenerationParams(bars=bars).validated(), signature)
        assert info.value.code == "too_long"


def test_notes_per_variation_and_per_request() -> None:
    assert [notes_per_variation(n) for n in (1, 4, 5, 16)] == [2048, 2048, 1638, 512]
    check(GenerationParams(notes=512, variations=16).validated(), TimeSignature())
    with pytest.raises(ProtocolError, match="at most 8192, so at most 512 per variation"):
        check(GenerationParams(notes=513, variations=16).validated(), TimeSignature())
    clip = Clip(tuple(Note(60, i / 4, 1 / 4, 90) for i in range(600)), 256.0)
    cut = capped(tuple(Variation(clip, 4.0) for _ in range(16)))
    assert [len(v.clip) for v in cut] == [512] * 16
    assert cut[0].clip.notes == clip.notes[:512]
    assert cut[0].clip.length == 128.0  # ends at the bar of its last note: not 128 silent beats
    assert cut[0].start == 4.0
    assert len(capped((Variation(clip, 4.0),))[0].clip) == 600  # alone, under 2048


def test_one_bar_of_99_1_is_refused_through_the_bridge(server, raw) -> None:
    """Issue 15, row 3: one bar of 99/1 was 396 beats (limit 256) and 4,096 notes."""
    raw.send(P.SEED_BEGIN, 1, 0, 4.0, 99, 1)
    raw.send(P.SEED_END, 1)
    raw.until(P.SEED_STORED)
    raw.send(P.GENERATE, 1, "bars", 1.0)
    rid, code, text = raw.error()
    assert (rid, code) == (1, "too_long") and "1 bar of 99/1 is 396 beats" in text
    raw.send(P.GENERATE, 1, "beats", 256.0, "notes", 3)  # the seed was kept: ask again
    assert raw.until(P.DONE)[-1].args[:2] == (1, 1)


def test_a_long_request_is_cut_to_its_share_of_notes(models_dir) -> None:
    with (
        running_server(models_dir, generate=made(2048)) as srv,
        RawClient(srv.address) as raw,
    ):
        raw.send(P.SEED_BEGIN, 1, 0, 4.0, 4, 4)
        raw.send(P.SEED_END, 1)
        raw.send(P.GENERATE, 1, "bars", 64.0, "variations", 16)
        replies = raw.until(P.DONE, timeout=30)
    begins = [m.args for m in replies if m.address == P.VARIATION_BEGIN]
    notes = [m for m in replies if m.address == P.VARIATION_NOTE]
    assert [b[2] for b in begins] == [512] * 16 and len(notes) == P.MAX_REQUEST_NOTES
    assert replies[-1].args[1] == 16


def test_a_variation_cut_to_its_share_ends_on_a_whole_chord() -> None:
    """16 takes of triads were cut at 512 notes each: the last chord kept 2 of its 3."""
    triads = tuple(Note(p, float(beat), 1.0, 90) for beat in range(200) for p in (60, 64, 67))
    cut = capped(tuple(Variation(Clip(triads, 200.0), 4.0) for _ in range(16)))
    assert [len(v.clip) for v in cut] == [510] * 16  # 170 whole triads, not 170 and a dyad
    assert cut[0].clip.notes == triads[:510]


def test_a_length_in_notes_past_the_step_cap_comes_back_whole_through_the_bridge(
    tmp_path,
) -> None:
    """--notes 1100 --polyphony 1 on a loop of 4-note chords came back with 1,024 notes and
    no word: the reduction to one voice needs more than 4,096 steps (``steps_for``)."""
    from segue.bridge.client import BridgeClient
    from segue.bridge.testing import make_test_model

    make_test_model(tmp_path, "loops", rng_seed=3, loops=True)
    pad = [(48, 52, 55, 60), (45, 52, 57, 60), (41, 53, 57, 60), (43, 50, 55, 59)]
    clip = Clip(tuple(Note(p, half * 2.0, 1.9, 90) for half, c in enumerate(pad * 2) for p in c))
    with running_server(tmp_path, model="loops") as srv:
        client = BridgeClient(*srv.address, timeout=30)
        try:
            got = client.generate(clip, {"notes": 1100, "polyphony": 1, "rng_seed": 4})
        finally:
            client.close()
    assert [len(v.clip.notes) for v in got.variations] == [1100]

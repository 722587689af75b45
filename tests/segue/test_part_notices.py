"""segue.part_notices: the lines said about a part and the model cast to play it, read from
the example seeds (real MIDI files) as `segue generate` reads them."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from segue.errors import SegueError
from segue.midi_io import read_part
from segue.notes import Clip
from segue.part_notices import Casting, named_drums_notice, part_notices, sent_part_notice

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def cast(seed: Path | None, asked: str | None, name: str, kit: bool) -> Casting:
    clip, drums = read_part(seed) if seed is not None else (Clip(()), False)
    return Casting(seed, clip, drums, asked, name, kit)


@pytest.fixture
def beat_on_channel_1(tmp_path: Path) -> Path:
    """The example beat as a Drum Rack's clip exports it: on channel 1."""
    mid = mido.MidiFile(SEEDS / "beat.mid")
    for track in mid.tracks:
        for i, msg in enumerate(track):
            if hasattr(msg, "channel"):
                track[i] = msg.copy(channel=0)
    path = tmp_path / "rack.mid"
    mid.save(path)
    return path


def test_a_tune_its_model_plays_says_nothing() -> None:
    casting = cast(SEEDS / "reel.mid", None, "melody", kit=False)
    assert part_notices(casting, {"key": "auto", "fills": None}) == []


def test_a_kit_says_the_melodic_options_first_and_the_program_last() -> None:
    casting = cast(SEEDS / "beat.mid", None, "drums", kit=True)
    assert casting.drums
    lines = part_notices(casting, {"key": "C", "polyphony": 2}, program="Violin")
    assert lines == [
        "--key and --polyphony have no effect on a drum part: a kit has no key, and a kit's "
        "pads are not voices",
        "--program Violin has no effect on a drum part: its hits stay on the drum channel (10), "
        "where a synth plays a drum kit, not an instrument, and the part's own kit is kept; "
        "choose the kit in your synth or Drum Rack",
    ]


def test_a_bad_key_for_a_kit_is_its_own_one_line() -> None:
    casting = cast(SEEDS / "beat.mid", None, "drums", kit=True)
    with pytest.raises(SegueError, match="cannot read key 'H#'"):
        part_notices(casting, {"key": "H#"})


def test_drum_options_for_a_melodic_model_are_said_in_place_of_the_beat(
    beat_on_channel_1: Path,
) -> None:
    casting = cast(beat_on_channel_1, "producer", "producer", kit=False)
    lines = part_notices(casting, {"fills": "phrase", "kit": "gm"})
    assert lines == [
        f"--fills and --kit have no effect: {beat_on_channel_1} was read as a melodic part "
        "(segue reads drums from MIDI channel 10); give --model drums to continue it as drums"
    ]
    assert part_notices(cast(None, None, "melody", False), {"fills": "phrase"}) == [
        "--fills has no effect: without a seed, segue starts a melodic part; give --model "
        "drums to start a drum part"
    ]


def test_a_beat_on_a_melodic_channel_is_said_for_the_model_that_plays_it(
    beat_on_channel_1: Path,
) -> None:
    melodic = part_notices(cast(beat_on_channel_1, "producer", "producer", False), {})
    assert len(melodic) == 1 and "so a melodic model continues it" in melodic[0]
    auto = part_notices(cast(beat_on_channel_1, "auto", "drums", True), {})
    assert len(auto) == 1 and "so the drum model continues it on that channel" in auto[0]
    assert part_notices(cast(beat_on_channel_1, "drums", "drums", True), {}) == []


def test_a_drum_model_named_for_a_lead_says_it_plays_pads() -> None:
    lines = part_notices(cast(SEEDS / "lead.mid", "drums", "drums", True), {})
    assert len(lines) == 1
    assert lines[0].startswith(f"drums is a drum model: it plays the notes of {SEEDS / 'lead.mid'}")
    assert part_notices(cast(SEEDS / "lead.mid", "auto", "drums", True), {}) == []


def test_options_a_part_uses_are_not_said() -> None:
    kit = cast(SEEDS / "beat.mid", "drums", "drums", kit=True)
    assert part_notices(kit, {"fills": "phrase", "kit": "gm"}) == []
    tune = cast(SEEDS / "reel.mid", None, "melody", kit=False)
    assert part_notices(tune, {"key": "D major", "polyphony": 1}, program="Violin") == []


def test_send_says_the_drum_model_named_for_a_lead_before_it_sends() -> None:
    lead = SEEDS / "lead.mid"
    clip, drums = read_part(lead)
    said = named_drums_notice(lead, clip, drums, "Drums")
    assert said is not None and said.startswith(
        f"Drums is a drum model: it plays the notes of {lead}"
    )
    assert named_drums_notice(lead, clip, drums, "producer") is None
    beat, _ = read_part(SEEDS / "beat.mid")
    assert named_drums_notice(SEEDS / "beat.mid", beat, False, "drums") is None  # a beat


def test_send_says_once_the_bridge_says_who_played(beat_on_channel_1: Path) -> None:
    clip, drums = read_part(beat_on_channel_1)
    options = sent_part_notice(beat_on_channel_1, clip, drums, None, "melody", ["--fills"])
    assert options is not None and options[1] and options[0].startswith("--fills has no effect")
    melodic = sent_part_notice(beat_on_channel_1, clip, drums, "producer", "producer", [])
    assert melodic is not None and melodic[1] and "so a melodic model continues it" in melodic[0]
    auto = sent_part_notice(beat_on_channel_1, clip, drums, None, "drums", [])
    assert auto is not None and not auto[1] and "the drum model continues it" in auto[0]
    assert sent_part_notice(beat_on_channel_1, clip, drums, "drums", "drums", []) is None
    reel, _ = read_part(SEEDS / "reel.mid")
    assert sent_part_notice(SEEDS / "reel.mid", reel, False, None, "melody", []) is None

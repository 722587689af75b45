"""segue.live_takes: the takes `segue live continue` plays for a clip (the bundled melody
model on the example reel, a real MIDI file) and the lines it says of the clips."""

from __future__ import annotations

from pathlib import Path

from segue.bridge.abletonosc.clip import ClipInfo
from segue.bridge.live_continue import LiveContinuation, WrittenClip
from segue.live_takes import LiveTakes, source_line, written_line
from segue.midi_io import read_part
from segue.model.choice import choose_model
from segue.model.settings import GenerationParams
from segue.notes import Clip, TimeSignature

REEL = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "reel.mid"


def takes_of(
    params: GenerationParams, given: list[str], said_same: bool
) -> tuple[LiveTakes, list[str]]:
    said: list[str] = []
    return LiveTakes(choose_model("melody"), params, given, said_same, said.append), said


def test_the_takes_say_who_played_them_and_drum_options_a_melody_ignores() -> None:
    seed, drums = read_part(REEL)
    takes, said = takes_of(GenerationParams(rng_seed=7), ["--fills"], said_same=False)
    made = takes(seed, drums, None)
    assert said == [
        "--fills has no effect: a melodic model continues the clip (its track has no Drum "
        "Rack; give --model drums to continue it as drums)"
    ]
    assert takes.played is not None
    assert (takes.played.path.stem, takes.played.kit, takes.played.rng_seed) == ("melody", False, 7)
    assert made.rng_seed == 7 and len(made.variations) == 1
    assert takes.notices == []


def test_takes_alike_are_said_unless_temperature_0_said_so() -> None:
    seed, drums = read_part(REEL)
    params = GenerationParams(rng_seed=1, temperature=0.0, variations=2)
    takes, said = takes_of(params, [], said_same=False)
    takes(seed, drums, None)
    assert said == [] and len(takes.notices) == 1 and "same" in takes.notices[0]
    again, _ = takes_of(params, [], said_same=True)
    again(seed, drums, None)
    assert again.notices == []


def _continuation(seed: Clip, left_out: int, downbeat: float | None) -> LiveContinuation:
    info = ClipInfo(1, 0, "riff", 8.0, 0.0, TimeSignature(6, 8), "clip", downbeat=downbeat)
    return LiveContinuation(info, seed, left_out, (), 0, 1, 2.0)


def test_the_clip_read_is_said_with_its_pickup_and_notes_left_out() -> None:
    seed, _ = read_part(REEL)
    line = source_line(_continuation(seed, 2, 1.0), None)
    assert line == (
        f"track 2, scene 1: clip 'riff', {len(seed)} notes (2 muted or outside the loop left "
        "out), 8 beats of 6/8, a pickup of 1 beat before bar 1"
    )
    told = source_line(_continuation(Clip(()), 0, 1.0), 0.0)  # --downbeat 0: no pickup
    assert told == "track 2, scene 1: clip 'riff', 0 notes, 8 beats of 6/8; continued from silence"


def test_a_written_clip_is_said_by_its_slot() -> None:
    clip = WrittenClip(1, 3, "riff segue 1", 16.0, 42)
    assert written_line(clip) == "  track 2, scene 4: 'riff segue 1', 42 notes, 16 beats"

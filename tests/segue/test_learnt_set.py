"""segue.learnt_set: what `segue live learn` says of the Live set it read (the clips read
from the example seeds, real MIDI files)."""

from __future__ import annotations

from pathlib import Path

from segue.bridge.live_learn import SetClips
from segue.learnt_set import set_lines
from segue.midi_io import read_part
from segue.notes import Clip

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def test_the_clips_learnt_and_each_kind_passed_over_are_one_line() -> None:
    reel, _ = read_part(SEEDS / "reel.mid")
    beat, _ = read_part(SEEDS / "beat.mid")
    clips = (("reel", reel, False), ("beat", beat, True), ("empty", Clip(()), False))
    found = SetClips(clips, muted_left_out=3, audio_clips=2, arrangement_clips=0, recording=1)
    (line,) = set_lines(found)
    assert line == (
        f"2 MIDI clips in the Session View (1 on drum tracks), {len(reel) + len(beat):,} notes; "
        "3 muted notes left out; 1 clip without notes passed over; 2 audio clips passed "
        "over; 1 clip being recorded passed over"
    )


def test_only_what_was_passed_over_is_said_and_the_arrangement_after() -> None:
    reel, _ = read_part(SEEDS / "reel.mid")
    found = SetClips((("reel", reel, False),), 0, 0, arrangement_clips=1)
    assert set_lines(found) == [
        f"1 MIDI clip in the Session View (0 on drum tracks), {len(reel)} notes; 0 muted "
        "notes left out",
        "1 Arrangement clip passed over: AbletonOSC reads Session View clips only (drag them "
        "into Session View, or use the device's Learn)",
    ]
    unknown = SetClips((), 0, 0, arrangement_clips=None)  # this AbletonOSC cannot say
    assert len(set_lines(unknown)) == 1

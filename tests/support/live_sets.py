"""Live sets for the tests of segue with AbletonOSC, and `segue live continue` run in process."""

from __future__ import annotations

from pathlib import Path

from abletonosc_standin import AbletonOSCStandin, FakeClip, FakeTrack, LiveSet

from segue.grid import snap
from segue.notes import Clip, Note

WRITES = (
    "/live/clip_slot/create_clip",
    "/live/clip/add/notes",
    "/live/clip/set/name",
    "/live/clip/remove/notes",
    "/live/clip_slot/delete_clip",
)


def riff() -> list[tuple[int, float, float, float, bool]]:
    """Four beats of sixteenths (Live sends velocities as floats, mute as a bool)."""
    return [(60 + (i * 5) % 12, i * 0.25, 0.25, 80.0 + i % 20, False) for i in range(16)]


def dense() -> list[tuple[int, float, float, float, bool]]:
    """1,500 notes: chords on 24 pitches, and 600 hi-hat 16ths on one pitch (one pitch alone
    is too long for one datagram, so time ranges are split too)."""
    notes = [(48 + i % 24, (i // 24) * 0.5, 0.5, 90.0, False) for i in range(900)]
    return notes + [(42, i * 0.0625, 0.0625, 70.0, False) for i in range(600)]


def keys_set(
    slots: list[FakeClip | None],
    selected: tuple[int | None, int] = (0, 0),
    signature: tuple[int, int] = (4, 4),
) -> LiveSet:
    bass = FakeTrack("Bass", [None] * len(slots))
    return LiveSet([FakeTrack("Keys", slots), bass], selected, signature)


def expected_notes(model, clip: Clip, **params) -> list[list[tuple]]:
    """Per variation, the notes generation gives in process."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    result = generate(model, clip, GenerationParams(**params))
    return [
        [(n.pitch, n.start, n.duration, n.velocity) for n in v.clip.notes]
        for v in result.variations
    ]


def in_live(clip: FakeClip) -> list[tuple]:
    """A written clip's notes as segue meant them (float32 times snapped back to the grid)."""
    return sorted((p, snap(s), snap(d), int(v)) for p, s, d, v, _ in clip.notes)


def source_seed() -> Clip:
    return Clip(tuple(Note(p, s, d, int(v)) for p, s, d, v, _ in riff()), 4.0)


def writes_to(standin: AbletonOSCStandin, track: int, scene: int) -> list[str]:
    return [
        a
        for a, args in standin.handled
        if a in WRITES and len(args) >= 2 and (int(args[0]), int(args[1])) == (track, scene)
    ]


def live_cli(
    capsys, standin_port: int, reply_port: int, models_dir: Path, *args: object
) -> tuple[int, str, str]:
    """`segue live continue ... --model tiny` in this process (the real command, without a
    new Python)."""
    from segue.cli import main

    code = main(
        [
            "live",
            "continue",
            "--port",
            str(standin_port),
            "--reply-port",
            str(reply_port),
            "--timeout",
            "2",
            "--model",
            "tiny",
            "--models-dir",
            str(models_dir),
            *map(str, args),
        ]
    )
    out = capsys.readouterr()
    return code, out.out, out.err

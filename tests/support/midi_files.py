"""Folders of MIDI files for the tests: written clips, broken files, files from events."""

from __future__ import annotations

import random
from pathlib import Path

import mido

from segue.midi_io import write_midi
from segue.notes import Clip, Note, TimeSignature


def outcome(read):
    """What a reading gives: the clip, or the error's type and message."""
    try:
        return read()
    except Exception as exc:
        return (type(exc).__name__, str(exc))


def write_events(
    path: Path, tracks: list[list[tuple[int, mido.Message]]], ppq: int = 480, kind: int = 1
) -> Path:
    """A MIDI file from (absolute tick, message) lists, one list per track."""
    mid = mido.MidiFile(type=kind, ticks_per_beat=ppq)
    for events in tracks:
        track = mido.MidiTrack()
        now = 0
        for tick, msg in sorted(events, key=lambda e: e[0]):
            track.append(msg.copy(time=tick - now))
            now = tick
        mid.tracks.append(track)
    mid.save(path)
    return path


def on(pitch: int, velocity: int = 90, channel: int = 0) -> mido.Message:
    return mido.Message("note_on", note=pitch, velocity=velocity, channel=channel)


def off(pitch: int, channel: int = 0) -> mido.Message:
    return mido.Message("note_off", note=pitch, channel=channel)


def meta(kind: str, **fields) -> mido.MetaMessage:
    return mido.MetaMessage(kind, **fields)


def clip_of(index: int) -> Clip:
    """A small clip that differs with ``index`` (time signature, rhythm, pitches)."""
    ts = [TimeSignature(4, 4), TimeSignature(3, 4), TimeSignature(6, 8), TimeSignature(5, 4)]
    rng = random.Random(index)
    notes = []
    for i in range(8 + index):
        start = i * rng.choice((0.5, 1 / 3, 0.25, 1.0))
        notes.append(
            Note(
                rng.randrange(40, 90),
                start,
                rng.choice((0.25, 0.5, 1.0, 1 / 3)),
                rng.randrange(40, 127),
            )
        )
    return Clip(tuple(notes), None, ts[index % len(ts)])


BAD_FILES = {
    "empty.mid": "empty file",
    "bad/truncated.mid": "truncated",
    "bad/random.mid": "not a MIDI file",
    "bad/notes.MID": "not a MIDI file",
    "bad/damaged.mid": "damaged MIDI data",
    "drums.mid": "only drum notes",
    "silent.midi": "no notes",
}


def make_folder(folder: Path, clips: int = 12, bad: bool = True) -> Path:
    """Clips written with write_midi in subfolders, plus (if ``bad``) broken files."""
    for i in range(clips):
        suffix = (".mid", ".MIDI", ".midi")[i % 3]
        write_midi(clip_of(i), folder / f"set{i % 3}" / f"clip{i:02d}{suffix}")
    (folder / "readme.txt").write_text(
        "not a MIDI file, and not named like one\n", encoding="utf-8"
    )
    if not bad:
        return folder
    (folder / "bad").mkdir(parents=True, exist_ok=True)
    (folder / "empty.mid").write_bytes(b"")
    whole = write_midi(clip_of(20), folder / "bad" / "whole.tmp")
    (folder / "bad" / "truncated.mid").write_bytes(whole.read_bytes()[:60])
    whole.unlink()
    (folder / "bad" / "random.mid").write_bytes(random.Random(7).randbytes(300))
    (folder / "bad" / "notes.MID").write_text("C D E F G\n", encoding="utf-8")
    (folder / "bad" / "damaged.mid").write_bytes(
        b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0XXXX\x00\x00\x00\x04\x00\xff\x2f\x00"
    )
    write_events(folder / "drums.mid", [[(0, on(36, channel=9)), (240, off(36, channel=9))]])
    write_events(
        folder / "silent.midi",
        [[(0, meta("track_name", name="nothing")), (960, meta("end_of_track"))]],
    )
    return folder


def gm_bass(path: Path) -> Path:
    """Two bars of a C minor bass line in 8ths, C2 to C3, one note at a time on channel 1:
    every note on a General MIDI drum (a kick, a snare, a clap, toms and hats)."""
    walk = [36, 36, 48, 36, 39, 41, 42, 43, 36, 36, 46, 36, 43, 41, 39, 38]
    notes = tuple(Note(p, i / 2, 0.4, 100) for i, p in enumerate(walk))
    write_midi(Clip(notes, 8.0), path, program=33)
    return path


def jazz_ride(path: Path) -> Path:
    """Four bars of a jazz drummer's ride without a kick on channel 1, as a Drum Rack's clip
    exports it: the ride's swing pattern (51 on 1, 2, 2-and-a-triplet, 3, 4, 4-and-a-triplet)
    over the pedal hat (44) on 2 and 4."""
    swing = (0.0, 1.0, 1 + 2 / 3, 2.0, 3.0, 3 + 2 / 3)
    cell = [(t, 51) for t in swing] + [(1.0, 44), (3.0, 44)]
    notes = tuple(Note(p, 4.0 * b + t, 0.2, 90) for b in range(4) for t, p in cell)
    write_midi(Clip(notes, 16.0), path)
    return path


def riff_midi(smf: bytes, before: bytes = b"") -> bytes:
    """A RIFF MIDI file (as Windows saved them) around ``smf``: "RIFF", its size, "RMID",
    the ``before`` chunks, then a "data" chunk holding the Standard MIDI File."""
    body = b"RMID" + before + b"data" + len(smf).to_bytes(4, "little") + smf
    body += b"\x00" * (len(smf) % 2)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def slowing_seed(path: Path) -> Path:
    """A seed of 32 eighths at 120 BPM that slows to 90 at beat 8, written to ``path``."""
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(120), time=0)])
    for i in range(32):
        if i == 16:
            track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(90), time=0))
        track.append(mido.Message("note_on", note=60 + i % 5, velocity=90, time=0))
        track.append(mido.Message("note_off", note=60 + i % 5, velocity=0, time=48))
    mido.MidiFile(type=1, ticks_per_beat=96, tracks=[track]).save(path)
    return path


def tempo_map(path: Path) -> list[tuple[float, int]]:
    """The (beat, BPM) tempo map of the MIDI file at ``path``, BPM rounded."""
    written = mido.MidiFile(path)
    out, now = [], 0
    for msg in written.tracks[0]:
        now += msg.time
        if msg.type == "set_tempo":
            out.append((now / written.ticks_per_beat, round(mido.tempo2bpm(msg.tempo))))
    return out

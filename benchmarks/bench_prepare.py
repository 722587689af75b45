"""How fast `segue data prepare` reads MIDI files, with each reader side by side.

Prints timings; asserts nothing. Three readers are compared on the same files:

* ``mido``: segue.midi_io.read_midi, the reference (mido messages, Note objects);
* ``fast``: segue.fast_midi, a byte scanner that gives exactly what read_midi gives;
* ``symusic``: symusic.Score (C++), as an approximate reader, if symusic is installed.
  It differs from read_midi by design (no end-of-track time, unended notes
  dropped, overlapping notes paired first-in-first-out); the "same as mido"
  column counts the files where its grid encoding matches read_midi's exactly.

Usage:
  python benchmarks/bench_prepare.py                      # /tmp/segue-corpus/bach, else exports
  python benchmarks/bench_prepare.py /tmp/segue-corpus/bach /tmp/segue-corpus
  python benchmarks/bench_prepare.py --export 60 --notes 50000 --tracks 16 --workers 2
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import mido
import numpy as np

from segue.cores import usable_cores
from segue.dataset.prepare import find_midi_files, prepare_dataset
from segue.fast_midi import read_note_table
from segue.grid import TICKS_PER_BEAT, clip_rows, grid_rows, length_ticks
from segue.midi_io import read_midi
from segue.notes import TimeSignature

DEFAULT_CORPUS = Path("/tmp/segue-corpus/bach")
Encoded = tuple[np.ndarray, int]
Reader = Callable[[str], Encoded]


# ------------------------------------------------------------------ readers


def mido_reader(path: str) -> Encoded:
    clip = read_midi(path)
    return clip_rows(clip), length_ticks(clip.length)


def fast_reader(path: str) -> Encoded:
    table = read_note_table(path)
    return (
        grid_rows(table.pitch, table.start, table.duration, table.velocity),
        length_ticks(table.length),
    )


def symusic_reader(path: str) -> Encoded:
    """Notes from symusic, converted the way read_midi converts ticks to beats."""
    import symusic

    score = symusic.Score(path)
    tpq = score.ticks_per_quarter
    parts = [t.notes.numpy() for t in score.tracks if not t.is_drum and len(t.notes)]
    if not parts:
        raise ValueError("no notes")
    time_ = np.concatenate([p["time"] for p in parts]).astype(np.int64)
    dur = np.concatenate([p["duration"] for p in parts]).astype(np.int64)
    pitch = np.concatenate([p["pitch"] for p in parts]).astype(np.int64)
    vel = np.concatenate([p["velocity"] for p in parts]).astype(np.int64)
    start = time_ / tpq
    duration = np.maximum(dur, tpq / TICKS_PER_BEAT) / tpq
    ts = TimeSignature()
    if len(score.time_signatures):
        first = min(score.time_signatures, key=lambda t: t.time)
        ts = TimeSignature(first.numerator, first.denominator)
    bar = ts.beats_per_bar
    end = float(np.max(start + duration))
    length = max(1, int(np.ceil(end / bar - 1e-9))) * bar
    return grid_rows(pitch, start, duration, np.clip(vel, 1, 127)), length_ticks(length)


def available_readers() -> dict[str, Reader]:
    readers: dict[str, Reader] = {"mido": mido_reader, "fast": fast_reader}
    try:
        import symusic  # noqa: F401

        readers["symusic"] = symusic_reader
    except ImportError:
        print("(symusic not installed: its column is left out)")
    return readers


# ------------------------------------------------------------------ inputs


def export_chorales(out: Path, count: int) -> Path:
    """Export ``count`` Bach chorales with music21 (slow: ~0.25 s each)."""
    import music21

    out.mkdir(parents=True, exist_ok=True)
    paths = sorted(music21.corpus.getComposer("bach"))[:count]
    began = time.perf_counter()
    for path in paths:
        score = music21.corpus.parse(path)
        score.write("midi", fp=str(out / f"{Path(path).stem}.mid"))
    print(
        f"exported {len(paths)} Bach chorales with music21 in "
        f"{time.perf_counter() - began:.1f} s to {out}"
    )
    return out


def generate_large(path: Path, notes: int, tracks: int, rng_seed: int = 1) -> Path:
    """A type-1 file with ``notes`` random notes spread over ``tracks`` tracks (no drums)."""
    rng = random.Random(rng_seed)
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    per_track = notes // tracks
    for t in range(tracks):
        channel = [c for c in range(16) if c != 9][t % 15]
        events = []
        for i in range(per_track):
            start = i * 240 + rng.randrange(0, 120)
            end = start + rng.choice((60, 120, 240, 480))
            pitch = rng.randrange(36, 96)
            events.append(
                (
                    start,
                    1,
                    mido.Message(
                        "note_on", channel=channel, note=pitch, velocity=rng.randrange(30, 127)
                    ),
                )
            )
            events.append((end, 0, mido.Message("note_off", channel=channel, note=pitch)))
        events.sort(key=lambda e: (e[0], e[1]))
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=f"part {t}")])
        now = 0
        for tick, _, msg in events:
            track.append(msg.copy(time=tick - now))
            now = tick
        mid.tracks.append(track)
    path.parent.mkdir(parents=True, exist_ok=True)
    mid.save(path)
    return path


# ------------------------------------------------------------------ measuring


def time_reader(reader: Reader, paths: Sequence[str]) -> tuple[float, int, list[Encoded | None]]:
    """Seconds, notes and results of reading every file in this process."""
    results: list[Encoded | None] = []
    notes = 0
    began = time.perf_counter()
    for path in paths:
        try:
            encoded = reader(path)
        except Exception:  # a bad file costs its time and counts as unreadable
            results.append(None)
            continue
        notes += len(encoded[0])
        results.append(encoded)
    return time.perf_counter() - began, notes, results


def same(a: Encoded | None, b: Encoded | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[1] == b[1] and a[0].shape == b[0].shape and bool(np.array_equal(a[0], b[0]))


def compare_readers(label: str, paths: Sequence[str], readers: dict[str, Reader]) -> None:
    print(f"\n{label}: {len(paths)} files, one process, read + grid encoding")
    print(
        f"  {'reader':<8} {'seconds':>8} {'ms/file':>8} {'files/s':>9} {'notes/s':>11} "
        f"{'same as mido':>13}"
    )
    reference: list[Encoded | None] | None = None
    for name, reader in readers.items():
        seconds, notes, results = time_reader(reader, paths)
        if reference is None:
            reference = results
        agree = sum(same(a, b) for a, b in zip(reference, results, strict=True))
        print(
            f"  {name:<8} {seconds:>8.2f} {seconds / len(paths) * 1000:>8.2f} "
            f"{len(paths) / seconds:>9,.0f} {notes / seconds:>11,.0f} "
            f"{agree:>6}/{len(paths):<6}"
        )


def time_prepare(label: str, folders: Sequence[Path], workers: int, readers: Sequence[str]) -> None:
    print(f"\n{label}: segue data prepare, {workers} worker(s), including writing the dataset")
    with tempfile.TemporaryDirectory() as tmp:
        for reader in readers:
            out = Path(tmp) / reader
            summary = prepare_dataset(folders, out, workers=workers, progress=False, reader=reader)
            seconds = summary.seconds
            skipped = sum(summary.skipped.values())
            print(
                f"  {reader:<8} {seconds:>7.2f} s  {summary.files / seconds:>8,.0f} files/s  "
                f"{summary.notes / seconds:>11,.0f} notes/s  ({summary.files} files, "
                f"{summary.notes:,} notes, {skipped} skipped, "
                f"{summary.meta['mido_fallbacks']} mido fallbacks)"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "folders",
        nargs="*",
        type=Path,
        help=f"folders of MIDI files (default: {DEFAULT_CORPUS} if there)",
    )
    parser.add_argument("--workers", type=int, default=usable_cores())
    parser.add_argument(
        "--export",
        type=int,
        default=40,
        metavar="N",
        help="chorales to export with music21 when no folder is found",
    )
    parser.add_argument("--notes", type=int, default=50_000, help="notes in the large file")
    parser.add_argument("--tracks", type=int, default=16, help="tracks in the large file")
    parser.add_argument(
        "--per-file-limit",
        type=int,
        default=3000,
        metavar="N",
        help="files per folder in the one-process reader comparison",
    )
    parser.add_argument(
        "--no-mido-prepare",
        action="store_true",
        help="time prepare with the fast reader only (mido is slow on big folders)",
    )
    args = parser.parse_args(argv)

    readers = available_readers()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU cores, {args.workers} worker(s)")
    with tempfile.TemporaryDirectory() as tmp:
        folders = list(args.folders)
        if not folders:
            folders = [
                DEFAULT_CORPUS
                if DEFAULT_CORPUS.is_dir()
                else export_chorales(Path(tmp) / "bach", args.export)
            ]
        prepare_readers = ["fast"] if args.no_mido_prepare else ["fast", "mido"]
        for folder in folders:
            paths = [f.path for f in find_midi_files([folder])]
            sample = paths[: args.per_file_limit]
            compare_readers(
                str(folder) + ("" if len(sample) == len(paths) else f" (first {len(sample)})"),
                sample,
                readers,
            )
            time_prepare(str(folder), [folder], args.workers, prepare_readers)

        large = generate_large(Path(tmp) / "large" / "large.mid", args.notes, args.tracks)
        size = large.stat().st_size / 1e6
        compare_readers(
            f"generated {args.notes:,} notes in {args.tracks} tracks ({size:.1f} MB)",
            [str(large)],
            readers,
        )
        time_prepare("generated large file", [large.parent], args.workers, ["fast", "mido"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

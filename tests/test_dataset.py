"""`segue data prepare`, the dataset format, and the fast MIDI reader behind them.

Real files throughout: music21's test MIDI files, works of music21's corpus
exported with music21, clips written with segue.midi_io.write_midi, files
written event by event with mido, and broken files.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import mido
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segue.dataset import (
    SPLITS,
    Dataset,
    encode_clip,
    load_dataset,
    prepare_dataset,
    skip_reason,
    split_for,
    split_fraction,
    write_atomically,
)
from segue.errors import SegueError
from segue.fast_midi import read_note_table
from segue.grid import to_ticks
from segue.midi_io import read_midi, write_midi
from segue.notes import Clip, Note, TimeSignature

# ------------------------------------------------------------------ helpers


def outcome(read):
    """What a reading gives: the clip, or the error's type and message."""
    try:
        return read()
    except Exception as exc:
        return (type(exc).__name__, str(exc))


def assert_fast_reads_like_mido(path: Path, track=None, drums: bool = False) -> None:
    expected = outcome(lambda: read_midi(path, track=track, include_drums=drums))
    got = outcome(lambda: read_note_table(path, track=track, include_drums=drums).to_clip())
    assert got == expected, f"{path.name} track={track!r} drums={drums}"


def write_events(path: Path, tracks: list[list[tuple[int, mido.Message]]], ppq: int = 480,
                 kind: int = 1) -> Path:
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
        notes.append(Note(rng.randrange(40, 90), start, rng.choice((0.25, 0.5, 1.0, 1 / 3)),
                          rng.randrange(40, 127)))
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
    (folder / "readme.txt").write_text("not a MIDI file, and not named like one\n")
    if not bad:
        return folder
    (folder / "bad").mkdir(parents=True, exist_ok=True)
    (folder / "empty.mid").write_bytes(b"")
    whole = write_midi(clip_of(20), folder / "bad" / "whole.tmp")
    (folder / "bad" / "truncated.mid").write_bytes(whole.read_bytes()[:60])
    whole.unlink()
    (folder / "bad" / "random.mid").write_bytes(random.Random(7).randbytes(300))
    (folder / "bad" / "notes.MID").write_text("C D E F G\n")
    (folder / "bad" / "damaged.mid").write_bytes(
        b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0XXXX\x00\x00\x00\x04\x00\xff\x2f\x00")
    write_events(folder / "drums.mid", [[(0, on(36, channel=9)), (240, off(36, channel=9))]])
    write_events(folder / "silent.midi", [[(0, meta("track_name", name="nothing")),
                                           (960, meta("end_of_track"))]])
    return folder


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, primitive_dir: Path) -> list[Path]:
    """music21's test files and a folder of written and broken files: 40 MIDI files."""
    return [primitive_dir, make_folder(tmp_path_factory.mktemp("made"))]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, inputs):
    out = tmp_path_factory.mktemp("prepared") / "dataset"
    summary = prepare_dataset(inputs, out, workers=2, progress=False)
    return summary, load_dataset(out)


CORPUS_WORKS = (
    ("bach/bwv66.6", None),
    ("essenFolksong/altdeu10", 1),
    ("schoenberg/opus19", 2),
    ("airdsAirs/book1.abc", 3),
    ("joplin/maple_leaf_rag", None),
)


@pytest.fixture(scope="module")
def corpus_exports(tmp_path_factory) -> list[Path]:
    """A few works of music21's corpus written to MIDI by music21 (a few seconds)."""
    import music21

    out = tmp_path_factory.mktemp("corpus")
    paths = []
    for name, number in CORPUS_WORKS:
        score = music21.corpus.parse(name, number=number) if number else music21.corpus.parse(name)
        path = out / f"{name.replace('/', '_')}.mid"
        score.write("midi", fp=str(path))
        paths.append(path)
    return paths


# ------------------------------------------------------------------ the fast reader


TRACK_CHOICES = (None, "most", 0, 1, 3, "piano", "Soprano")


def test_fast_reader_matches_read_midi_on_music21_test_files(primitive_files):
    for path in primitive_files:
        for track in TRACK_CHOICES:
            for drums in (False, True):
                assert_fast_reads_like_mido(path, track, drums)


def test_fast_reader_matches_read_midi_on_corpus_exports(corpus_exports):
    for path in corpus_exports:
        for track in TRACK_CHOICES:
            assert_fast_reads_like_mido(path, track)
        assert read_note_table(path).fast, "an ordinary export must not need the mido reader"


def test_fast_reader_matches_read_midi_on_written_and_broken_files(inputs):
    for path in sorted(inputs[1].rglob("*")):
        if path.is_file():
            assert_fast_reads_like_mido(path)
            assert_fast_reads_like_mido(path, "most", drums=True)


EDGE_CASES = {
    # a note-on for a sounding pitch ends it; the later note-off ends the second
    "overlap": [[(0, on(60)), (10, on(60)), (20, off(60)), (30, off(60))]],
    "overlap_unended": [[(0, on(60)), (10, on(60)), (20, off(60)), (400, meta("end_of_track"))]],
    "zero_length": [[(0, on(60)), (0, off(60)), (480, on(62)), (960, off(62))]],
    "never_ends": [[(0, on(60)), (480, on(62)), (960, off(62)), (1920, meta("end_of_track"))]],
    "velocity_zero": [[(0, on(60)), (480, on(60, 0)), (500, off(60))]],
    "channels": [[(0, on(60, channel=0)), (0, on(60, channel=1)), (480, off(60)),
                  (960, off(60, channel=1))]],
    "drums_and_notes": [[(0, on(36, channel=9)), (480, off(36, channel=9))],
                        [(0, on(64)), (480, off(64))]],
    "long_end": [[(0, on(60)), (480, off(60)), (96000, meta("end_of_track"))]],
    "late_time_signature": [[(0, on(60)), (480, off(60)),
                             (960, meta("time_signature", numerator=3, denominator=4))],
                            [(0, meta("time_signature", numerator=6, denominator=8))]],
    "bad_time_signature": [[(0, meta("time_signature", numerator=0, denominator=4)),
                            (0, on(60)), (480, off(60))]],
    "sysex_and_controls": [[(0, mido.Message("sysex", data=[0x7E, 0x7F, 9, 1])),
                            (0, mido.Message("control_change", control=7, value=100)),
                            (0, mido.Message("pitchwheel", pitch=-200)),
                            (0, mido.Message("aftertouch", value=3)),
                            (0, on(60)), (480, off(60))]],
    "system_message": [[(0, mido.Message("songpos", pos=3)), (0, on(60)), (480, off(60))]],
    "key_and_tempo": [[(0, meta("key_signature", key="Bbm")), (0, meta("set_tempo", tempo=1)),
                       (0, meta("smpte_offset", frame_rate=25, minutes=3)), (0, on(60)),
                       (480, off(60))]],
    "names": [[(0, meta("track_name", name=" Piano\x00")), (0, on(60)), (480, off(60))],
              [(0, meta("track_name", name="Soprano")), (0, on(70)), (10, off(70))]],
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
@pytest.mark.parametrize("ppq", [480, 96, 7])
def test_fast_reader_matches_read_midi_on_edge_cases(tmp_path, name, ppq):
    path = write_events(tmp_path / f"{name}.mid", EDGE_CASES[name], ppq=ppq)
    for track in TRACK_CHOICES:
        for drums in (False, True):
            assert_fast_reads_like_mido(path, track, drums)


def test_fast_reader_handles_the_ordinary_cases_itself(tmp_path):
    ordinary = ("overlap", "zero_length", "never_ends", "channels", "names", "sysex_and_controls")
    for name in ordinary:
        path = write_events(tmp_path / f"{name}.mid", EDGE_CASES[name])
        assert read_note_table(path).fast, name
    path = write_events(tmp_path / "system.mid", EDGE_CASES["system_message"])
    assert not read_note_table(path).fast  # left to mido, with the same result


def test_fast_reader_matches_read_midi_on_every_truncation_and_header(tmp_path):
    data = write_events(tmp_path / "whole.mid", EDGE_CASES["names"]).read_bytes()
    path = tmp_path / "cut.mid"
    for size in range(len(data) + 1):
        path.write_bytes(data[:size])
        assert_fast_reads_like_mido(path)
    for header in (b"\x00\x02\x00\x01\x01\xe0", b"\x00\x01\x00\x02\xe7\x28",
                   b"\x00\x00\xff\xff\x01\xe0", b"\x00\x00\x00\x00\x01\xe0"):
        path.write_bytes(data[:8] + header + data[14:])
        assert_fast_reads_like_mido(path)


_channel = st.sampled_from([0, 1, 9])
_pitch = st.integers(58, 62)
_event = st.one_of(
    st.builds(lambda c, p, v: on(p, v, c), _channel, _pitch, st.integers(0, 127)),
    st.builds(lambda c, p: off(p, c), _channel, _pitch),
    st.builds(lambda c, v: mido.Message("control_change", channel=c, control=64, value=v),
              _channel, st.integers(0, 127)),
    st.builds(lambda c, v: mido.Message("program_change", channel=c, program=v),
              _channel, st.integers(0, 127)),
    st.builds(lambda n, d: meta("time_signature", numerator=n, denominator=2**d),
              st.integers(0, 12), st.integers(0, 6)),
    st.builds(lambda t: meta("track_name", name=t), st.sampled_from(["piano", "Soprano", ""])),
    st.builds(lambda d: mido.Message("sysex", data=d), st.lists(st.integers(0, 127), max_size=5)),
)
_track = st.lists(st.tuples(st.integers(0, 300), _event), max_size=30)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scratch")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracks=st.lists(_track, min_size=1, max_size=3), ppq=st.sampled_from([480, 96, 25]),
       track=st.sampled_from(TRACK_CHOICES), drums=st.booleans(), end=st.integers(0, 2000))
def test_fast_reader_matches_read_midi_on_random_files(scratch, tracks, ppq, track, drums, end):
    tracks = [events + [(end, meta("end_of_track"))] for events in tracks]
    path = write_events(scratch / "random.mid", tracks, ppq=ppq)
    assert_fast_reads_like_mido(path, track, drums)


@settings(max_examples=200, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1,
                      max_size=4),
       keep=st.integers(14, 10_000), base=st.integers(0, 20))
def test_fast_reader_matches_read_midi_on_damaged_bytes(scratch, primitive_files, edits, keep,
                                                        base):
    data = bytearray(primitive_files[base].read_bytes()[:4000])
    for position, value in edits:
        data[position % len(data)] = value
    path = scratch / "damaged.mid"
    path.write_bytes(bytes(data[:keep]))
    assert_fast_reads_like_mido(path)
    assert_fast_reads_like_mido(path, "most", drums=True)


# ------------------------------------------------------------------ encoding


def reference_encoding(clip: Clip, tpb: int = 24) -> list[tuple[int, int, int, int]]:
    """encode_clip written the slow, obvious way."""
    best: dict[tuple[int, int], tuple[int, int]] = {}
    for n in clip.notes:
        start = to_ticks(n.start, tpb)
        duration = max(1, to_ticks(n.end, tpb) - start)
        key = (start, n.pitch)
        best[key] = max(best.get(key, (0, 0)), (duration, n.velocity))
    return [(s, p, d, v) for (s, p), (d, v) in sorted(best.items())]


_note = st.builds(
    Note,
    pitch=st.integers(0, 127),
    start=st.integers(0, 64 * 480).map(lambda t: t / 480),
    duration=st.integers(1, 8 * 480).map(lambda t: t / 480),
    velocity=st.integers(1, 127),
)


@settings(max_examples=200, deadline=None)
@given(notes=st.lists(_note, max_size=60), tpb=st.sampled_from([24, 4, 96]))
def test_encode_clip_is_the_grid_snapping(notes, tpb):
    clip = Clip(tuple(notes))
    rows = encode_clip(clip, tpb)
    assert rows.dtype == np.int32 and rows.shape == (len(rows), 4)
    assert [tuple(int(v) for v in r) for r in rows] == reference_encoding(clip, tpb)


def test_encode_clip_merges_duplicates_keeping_the_longer():
    clip = Clip((Note(60, 0, 0.5, 80), Note(60, 0.01, 1.0, 70), Note(60, 0, 0.25, 127),
                 Note(59, 1, 0.001, 100)))
    assert encode_clip(clip).tolist() == [[0, 60, 24, 70], [24, 59, 1, 100]]


# ------------------------------------------------------------------ splits


@settings(max_examples=300)
@given(path=st.text(min_size=1, max_size=40), valid=st.floats(0, 0.45),
       test=st.floats(0, 0.45), more=st.floats(0, 0.1))
def test_split_for_is_stable_and_grows_monotonically(path, valid, test, more):
    split = split_for(path, valid, test)
    assert split in SPLITS
    assert split_for(path, valid, test) == split
    assert split_for(path.replace("/", "\\"), valid, test) == split
    if split == "valid":
        assert split_for(path, valid + more, test) == "valid"
    if split == "train":
        assert split_for(path, valid, max(0.0, test - more)) == "train"


def test_split_fractions_come_out_near_the_settings():
    splits = [split_for(f"folk/tune{i:05d}.mid", 0.05, 0.1) for i in range(10_000)]
    assert 0.04 < splits.count("valid") / len(splits) < 0.06
    assert 0.09 < splits.count("test") / len(splits) < 0.11
    assert all(0 <= split_fraction(f"x{i}") < 1 for i in range(100))


@pytest.mark.parametrize("valid,test", [(-0.1, 0.05), (0.05, 1.0), (0.6, 0.4), (float("nan"), 0)])
def test_split_for_rejects_bad_fractions(valid, test):
    with pytest.raises(SegueError, match="fraction"):
        split_for("a.mid", valid, test)


def _splits(path: Path) -> dict[str, str]:
    return {p.source: p.split for p in load_dataset(path).pieces()}


def test_split_is_stable_when_files_are_added_or_the_folder_moves(tmp_path):
    folder = make_folder(tmp_path / "songs", clips=30, bad=False)
    fractions = {"valid_fraction": 0.3, "test_fraction": 0.3, "progress": False, "workers": 1}
    prepare_dataset([folder], tmp_path / "first", **fractions)
    first = _splits(tmp_path / "first")
    assert set(first.values()) == set(SPLITS)

    for i in range(30, 45):
        write_midi(clip_of(i), folder / "later" / f"extra{i}.mid")
    prepare_dataset([folder], tmp_path / "second", **fractions)
    second = _splits(tmp_path / "second")
    assert len(second) == 45 and {k: second[k] for k in first} == first

    moved = tmp_path / "elsewhere" / "deeper" / "renamed"
    shutil.copytree(folder, moved)
    prepare_dataset([moved], tmp_path / "third", **fractions)
    assert _splits(tmp_path / "third") == second


# ------------------------------------------------------------------ prepare and load


def test_prepare_counts_pieces_notes_and_skipped_files(prepared, inputs, primitive_files):
    summary, dataset = prepared
    readable = [p for p in primitive_files if not isinstance(outcome(lambda p=p: read_midi(p)),
                                                             tuple)]
    assert summary.files == 21 + 12 + len(BAD_FILES) == 40
    assert sum(summary.pieces.values()) == len(readable) + 12 == len(dataset)
    expected_skips: dict[str, int] = {}
    for reason in BAD_FILES.values():
        expected_skips[reason] = expected_skips.get(reason, 0) + 1
    assert summary.skipped == expected_skips
    assert summary.notes == len(dataset.notes) == sum(len(p) for p in dataset.pieces())
    assert {item["source"]: skip_reason(item["reason"]) for item in summary.skipped_files} \
        == BAD_FILES
    assert dataset.meta["mido_fallbacks"] == 0
    for split in SPLITS:
        indices = dataset.indices(split)
        assert len(indices) == summary.pieces[split]
        assert all(dataset.piece(int(i)).split == split for i in indices)


def test_loaded_pieces_equal_encode_clip_of_read_midi(prepared, inputs):
    _, dataset = prepared
    assert dataset.ticks_per_beat == 24 and isinstance(dataset, Dataset)
    assert dataset.notes.dtype == np.int32 and isinstance(dataset.notes, np.memmap)
    assert [p.source for p in dataset.pieces()][:3] == ["test01.mid", "test02.mid", "test03.mid"]
    for piece in dataset.pieces():
        folder = inputs[0] if piece.source.startswith("test") else inputs[1]
        clip = read_midi(folder / piece.source)
        assert np.array_equal(piece.notes, encode_clip(clip))
        assert piece.length_ticks == to_ticks(clip.length)
        assert piece.time_signature == clip.time_signature
        assert piece.split == split_for(piece.source, 0.05, 0.05)
    assert dataset.piece(-1).source == dataset.sources[-1]
    with pytest.raises(IndexError):
        dataset.piece(len(dataset))


def test_summary_text_names_counts_and_reasons(prepared):
    summary, dataset = prepared
    text = dataset.summary()
    assert "40 found" in text and "only drum notes" in text and "train" in text
    assert text in summary.text()
    assert list(dataset.pieces("valid")) == [] or all(
        p.split == "valid" for p in dataset.pieces("valid"))


def test_both_readers_make_the_same_dataset(tmp_path, inputs, prepared):
    _, fast = prepared
    prepare_dataset(inputs, tmp_path / "mido", workers=1, progress=False, reader="mido")
    slow = load_dataset(tmp_path / "mido")
    assert np.array_equal(fast.notes, slow.notes)
    assert np.array_equal(fast.table, slow.table)
    assert fast.sources == slow.sources


def test_prepare_options_track_and_drums(tmp_path, inputs):
    folder = inputs[1]
    with_drums = prepare_dataset([folder], tmp_path / "drums", include_drums=True,
                                 progress=False, workers=1)
    assert "only drum notes" not in with_drums.skipped
    drums = [p for p in load_dataset(tmp_path / "drums").pieces() if p.source == "drums.mid"]
    assert drums[0].notes.tolist() == [[0, 36, 12, 90]]
    most = prepare_dataset([folder], tmp_path / "most", track="most", progress=False)
    assert sum(most.pieces.values()) == 12
    assert load_dataset(tmp_path / "most").meta["settings"]["track"] == "most"
    with pytest.raises(SegueError, match="none of the 19 MIDI files .*14 no such track"):
        prepare_dataset([folder], tmp_path / "track1", track=1, progress=False)


def test_existing_output_needs_force_and_never_replaces_other_folders(tmp_path, inputs):
    folder = inputs[1]
    out = tmp_path / "ds"
    prepare_dataset([folder], out, progress=False, workers=1)
    with pytest.raises(SegueError, match="already exists; use --force"):
        prepare_dataset([folder], out, progress=False, workers=1)
    prepare_dataset([folder], out, progress=False, workers=1, valid_fraction=0.5, force=True)
    assert load_dataset(out).meta["settings"]["valid_fraction"] == 0.5
    other = tmp_path / "home"
    (other / "precious").mkdir(parents=True)
    with pytest.raises(SegueError, match="not a segue dataset; refusing"):
        prepare_dataset([folder], other, progress=False, force=True)
    assert (other / "precious").is_dir()
    (tmp_path / "empty").mkdir()
    prepare_dataset([folder], tmp_path / "empty", progress=False, workers=1, force=True)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failed_write_leaves_the_old_dataset_and_no_temporary_folder(tmp_path, inputs):
    out = tmp_path / "ds"
    prepare_dataset([inputs[1]], out, progress=False, workers=1)
    before = (out / "notes.npy").read_bytes()

    def crash(folder: Path) -> None:
        (folder / "notes.npy").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(out, True, crash)
    assert (out / "notes.npy").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]


def test_prepare_errors(tmp_path, inputs):
    with pytest.raises(SegueError, match="no such folder"):
        prepare_dataset([tmp_path / "missing"], tmp_path / "out")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "a.txt").write_text("x")
    with pytest.raises(SegueError, match="no MIDI files"):
        prepare_dataset([tmp_path / "plain"], tmp_path / "out")
    with pytest.raises(SegueError, match="is a file, not a folder"):
        prepare_dataset([tmp_path / "plain" / "a.txt"], tmp_path / "out")
    bad = tmp_path / "bad"
    shutil.copytree(inputs[1] / "bad", bad)
    with pytest.raises(SegueError, match="none of the 4 MIDI files could be read"):
        prepare_dataset([bad], tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


@pytest.fixture()
def dataset_copy(tmp_path, prepared) -> Path:
    return Path(shutil.copytree(prepared[1].path, tmp_path / "copy"))


def test_load_dataset_errors(tmp_path, dataset_copy):
    with pytest.raises(SegueError, match="no such dataset"):
        load_dataset(tmp_path / "missing")
    (tmp_path / "folder").mkdir()
    with pytest.raises(SegueError, match="not a segue dataset"):
        load_dataset(tmp_path / "folder")
    meta = json.loads((dataset_copy / "meta.json").read_text())
    (dataset_copy / "meta.json").write_text(json.dumps({**meta, "version": 99}))
    with pytest.raises(SegueError, match="format version 99"):
        load_dataset(dataset_copy)
    (dataset_copy / "meta.json").write_text(json.dumps({**meta, "format": "other"}))
    with pytest.raises(SegueError, match="not a segue dataset"):
        load_dataset(dataset_copy)
    (dataset_copy / "meta.json").write_text(json.dumps({**meta, "counts": {"files": 3}}))
    with pytest.raises(SegueError, match="damaged"):
        load_dataset(dataset_copy)
    (dataset_copy / "meta.json").write_text("{ not json")
    with pytest.raises(SegueError, match="damaged"):
        load_dataset(dataset_copy)
    (dataset_copy / "meta.json").write_text(json.dumps(meta))
    notes = dataset_copy / "notes.npy"
    notes.write_bytes(notes.read_bytes()[:200])
    with pytest.raises(SegueError, match="damaged"):
        load_dataset(dataset_copy)


# ------------------------------------------------------------------ command line


def one_error_line(result) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("segue: error: ")
    return lines[0]


def test_cli_prepare_and_info(segue_cli, tmp_path, inputs):
    out = tmp_path / "ds"
    done = segue_cli("data", "prepare", *inputs, "-o", out, "--verbose", "-q", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "40 found" in done.stdout and "took" in done.stdout
    assert "bad/random.mid: not a MIDI file" in done.stdout
    again = segue_cli("data", "prepare", *inputs, "-o", out, "-q")
    assert "already exists; use --force" in one_error_line(again)
    forced = segue_cli("data", "prepare", inputs[1], "-o", out, "-q", "--force", "--valid", "0.2")
    assert forced.returncode == 0 and "20% valid" in forced.stdout
    info = segue_cli("data", "info", out, "--verbose")
    assert info.returncode == 0 and "19 found" in info.stdout and "empty file" in info.stdout


def test_cli_errors_are_one_line(segue_cli, tmp_path):
    assert "no such folder" in one_error_line(
        segue_cli("data", "prepare", tmp_path / "nope", "-o", tmp_path / "ds"))
    (tmp_path / "empty").mkdir()
    assert "no MIDI files" in one_error_line(
        segue_cli("data", "prepare", tmp_path / "empty", "-o", tmp_path / "ds"))
    assert "no such dataset" in one_error_line(segue_cli("data", "info", tmp_path / "nope"))
    assert "not a segue dataset" in one_error_line(segue_cli("data", "info", tmp_path))
    usage = segue_cli("data", "prepare", tmp_path, "-o", tmp_path / "ds", "--valid", "2")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_cli_help_has_examples(segue_cli):
    for command in ("prepare", "info"):
        result = segue_cli("data", command, "--help")
        assert result.returncode == 0 and "Examples:" in result.stdout
        assert f"segue data {command}" in result.stdout


def test_a_file_under_two_given_folders_is_read_once(tmp_path, inputs):
    summary = prepare_dataset([inputs[1], inputs[1] / "set0"], tmp_path / "ds", workers=1,
                              progress=False)
    assert summary.files == 19
    assert len(set(load_dataset(tmp_path / "ds").sources)) == 12

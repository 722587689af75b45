"""The fast MIDI reader: exactly what read_midi gives, on real, written, random and broken files."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from midi_files import meta, off, on, outcome, write_events

from segue.fast_midi import NoteTable, Unsupported, parse_midi, read_note_table
from segue.midi_io import _raw_notes, read_midi
from segue.notes import Clip, Note


def clip_of(table: NoteTable) -> Clip:
    notes = tuple(
        Note(int(p), float(s), float(d), int(v))
        for p, s, d, v in zip(table.pitch, table.start, table.duration, table.velocity, strict=True)
    )
    return Clip(notes, table.length, table.time_signature)


def assert_fast_reads_like_mido(path: Path, track=None, drums: bool = False) -> None:
    expected = outcome(lambda: read_midi(path, track=track, drums=drums))
    got = outcome(lambda: clip_of(read_note_table(path, track=track, drums=drums)))
    assert got == expected, f"{path.name} track={track!r} drums={drums}"


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
    # a note-off ends the oldest sounding note of its pitch; a re-strike ends the note
    "overlap": [[(0, on(60)), (10, on(60)), (20, off(60)), (30, off(60))]],
    "overlap_unended": [[(0, on(60)), (10, on(60)), (20, off(60)), (400, meta("end_of_track"))]],
    "zero_length": [[(0, on(60)), (0, off(60)), (480, on(62)), (960, off(62))]],
    "never_ends": [[(0, on(60)), (480, on(62)), (960, off(62)), (1920, meta("end_of_track"))]],
    "velocity_zero": [[(0, on(60)), (480, on(60, 0)), (500, off(60))]],
    "channels": [
        [(0, on(60, channel=0)), (0, on(60, channel=1)), (480, off(60)), (960, off(60, channel=1))]
    ],
    "drums_and_notes": [
        [(0, on(36, channel=9)), (480, off(36, channel=9))],
        [(0, on(64)), (480, off(64))],
    ],
    "long_end": [[(0, on(60)), (480, off(60)), (96000, meta("end_of_track"))]],
    "late_time_signature": [
        [(0, on(60)), (480, off(60)), (960, meta("time_signature", numerator=3, denominator=4))],
        [(0, meta("time_signature", numerator=6, denominator=8))],
    ],
    "bad_time_signature": [
        [(0, meta("time_signature", numerator=0, denominator=4)), (0, on(60)), (480, off(60))]
    ],
    "sysex_and_controls": [
        [
            (0, mido.Message("sysex", data=[0x7E, 0x7F, 9, 1])),
            (0, mido.Message("control_change", control=7, value=100)),
            (0, mido.Message("pitchwheel", pitch=-200)),
            (0, mido.Message("aftertouch", value=3)),
            (0, on(60)),
            (480, off(60)),
        ]
    ],
    "system_message": [[(0, mido.Message("songpos", pos=3)), (0, on(60)), (480, off(60))]],
    "key_and_tempo": [
        [
            (0, meta("key_signature", key="Bbm")),
            (0, meta("set_tempo", tempo=1)),
            (0, meta("smpte_offset", frame_rate=25, minutes=3)),
            (0, on(60)),
            (480, off(60)),
        ]
    ],
    "names": [
        [(0, meta("track_name", name=" Piano\x00")), (0, on(60)), (480, off(60))],
        [(0, meta("track_name", name="Soprano")), (0, on(70)), (10, off(70))],
    ],
}


# Notes of one pitch that overlap, at 96 PPQ: the events (ticks) and the notes read,
# (pitch, start, end, velocity) in beats, in time order; every track ends at beat 16.
OVERLAPS = {
    # legato: each note-off ends the oldest sounding note of its pitch
    "legato": (
        [(0, on(60)), (384, on(60)), (432, off(60)), (816, off(60))],
        [(60, 0.0, 4.0, 90), (60, 4.0, 8.5, 90)],
    ),
    "legato_velocity_0": (
        [(0, on(60)), (384, on(60)), (432, on(60, 0)), (816, on(60, 0))],
        [(60, 0.0, 4.0, 90), (60, 4.0, 8.5, 90)],
    ),
    # a pad: C-E-G held 4.5 beats, C-F-A struck at 4 and held 4.5; C is held, not a blip
    "pad": (
        [(0, on(p)) for p in (60, 64, 67)]
        + [(384, on(p)) for p in (60, 65, 69)]
        + [(432, off(p)) for p in (60, 64, 67)]
        + [(816, off(p)) for p in (60, 65, 69)],
        [
            (60, 0.0, 4.0, 90),
            (64, 0.0, 4.5, 90),
            (67, 0.0, 4.5, 90),
            (60, 4.0, 8.5, 90),
            (65, 4.0, 8.5, 90),
            (69, 4.0, 8.5, 90),
        ],
    ),
    # a played take: each repeated note released after the next is struck
    "played_take": (
        [
            (0, on(62, 80)),
            (48, on(62, 70)),
            (58, off(62)),
            (96, on(62, 60)),
            (106, off(62)),
            (144, off(62)),
        ],
        [(62, 0.0, 0.5, 80), (62, 0.5, 1.0, 70), (62, 1.0, 1.5, 60)],
    ),
    # a retrigger without its own note-off ends where the one note-off does
    "retrigger_one_off": (
        [(0, on(60)), (384, on(60)), (816, off(60))],
        [(60, 0.0, 4.0, 90), (60, 4.0, 8.5, 90)],
    ),
    "retriggers_one_off": (
        [(0, on(60)), (96, on(60)), (192, on(60)), (288, off(60))],
        [(60, 0.0, 1.0, 90), (60, 1.0, 2.0, 90), (60, 2.0, 3.0, 90)],
    ),
    "retrigger_then_early_off": (
        [(0, on(60)), (384, on(60)), (432, off(60))],
        [(60, 0.0, 4.0, 90), (60, 4.0, 4.5, 90)],
    ),
    # two note-ons of one pitch at one tick: one note, the one that ends later
    "duplicate_two_offs": (
        [(0, on(60, 80)), (0, on(60, 100)), (96, off(60)), (192, off(60))],
        [(60, 0.0, 2.0, 100)],
    ),
    "duplicate_one_off": (
        [(0, on(60, 80)), (0, on(60, 100)), (192, off(60))],
        [(60, 0.0, 2.0, 100)],
    ),
    "duplicate_after_zero_length": (
        [(96, on(60, 80)), (96, off(60)), (96, on(60, 100)), (192, off(60))],
        [(60, 1.0, 2.0, 100)],
    ),
    "two_channels": (
        [(0, on(60)), (96, on(60, channel=1)), (192, off(60)), (288, off(60, channel=1))],
        [(60, 0.0, 2.0, 90), (60, 1.0, 3.0, 90)],
    ),
    # a note that never ends runs to the end of its track
    "no_note_off": (
        [(0, on(60)), (384, on(60)), (576, on(64))],
        [(60, 0.0, 4.0, 90), (60, 4.0, 16.0, 90), (64, 6.0, 16.0, 90)],
    ),
}
EDGE_CASES.update(
    {
        f"overlaps_{name}": [events + [(1536, meta("end_of_track"))]]
        for name, (events, _) in OVERLAPS.items()
    }
)


@pytest.mark.parametrize("name", sorted(OVERLAPS))
def test_overlapping_notes_of_one_pitch_are_paired_oldest_first(tmp_path, name):
    events, expected = OVERLAPS[name]
    path = write_events(tmp_path / f"{name}.mid", [events + [(1536, meta("end_of_track"))]], 96)
    table = read_note_table(path)
    assert table.fast, "overlapping notes must not need the mido reader"
    notes = [(n.pitch, n.start, n.end, n.velocity) for n in clip_of(table).notes]
    assert notes == expected
    assert [(n.pitch, n.start, n.end, n.velocity) for n in read_midi(path).notes] == expected


def test_fast_reader_finds_the_notes_in_read_midis_order(tmp_path):
    """Not just the same notes: the same rows, in the order read_midi's reading finds them."""
    for name, tracks in EDGE_CASES.items():
        path = write_events(tmp_path / f"{name}.mid", tracks)
        assert_same_rows(path)


def assert_same_rows(path: Path) -> None:
    try:
        parsed = parse_midi(path.read_bytes())
    except Unsupported:
        return
    raw, file_end = _raw_notes(mido.MidiFile(path, clip=True))
    rows = [(n.track, n.channel, n.pitch, n.start, n.end, n.velocity) for n in raw]
    assert parsed.notes.tolist() == [list(row) for row in rows], path.name
    assert parsed.file_end == file_end


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
    for header in (
        b"\x00\x02\x00\x01\x01\xe0",
        b"\x00\x01\x00\x02\xe7\x28",
        b"\x00\x00\xff\xff\x01\xe0",
        b"\x00\x00\x00\x00\x01\xe0",
    ):
        path.write_bytes(data[:8] + header + data[14:])
        assert_fast_reads_like_mido(path)


_channel = st.sampled_from([0, 1, 9])


_pitch = st.integers(58, 62)


_event = st.one_of(
    st.builds(lambda c, p, v: on(p, v, c), _channel, _pitch, st.integers(0, 127)),
    st.builds(lambda c, p: off(p, c), _channel, _pitch),
    st.builds(
        lambda c, v: mido.Message("control_change", channel=c, control=64, value=v),
        _channel,
        st.integers(0, 127),
    ),
    st.builds(
        lambda c, v: mido.Message("program_change", channel=c, program=v),
        _channel,
        st.integers(0, 127),
    ),
    st.builds(
        lambda n, d: meta("time_signature", numerator=n, denominator=2**d),
        st.integers(0, 12),
        st.integers(0, 6),
    ),
    st.builds(lambda t: meta("track_name", name=t), st.sampled_from(["piano", "Soprano", ""])),
    st.builds(lambda d: mido.Message("sysex", data=d), st.lists(st.integers(0, 127), max_size=5)),
)


_track = st.lists(st.tuples(st.integers(0, 300), _event), max_size=30)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scratch")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tracks=st.lists(_track, min_size=1, max_size=3),
    ppq=st.sampled_from([480, 96, 25]),
    track=st.sampled_from(TRACK_CHOICES),
    drums=st.booleans(),
    end=st.integers(0, 2000),
)
def test_fast_reader_matches_read_midi_on_random_files(scratch, tracks, ppq, track, drums, end):
    tracks = [events + [(end, meta("end_of_track"))] for events in tracks]
    path = write_events(scratch / "random.mid", tracks, ppq=ppq)
    assert_fast_reads_like_mido(path, track, drums)
    assert_same_rows(path)


@settings(max_examples=200, deadline=None)
@given(
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=4),
    keep=st.integers(14, 10_000),
    base=st.integers(0, 20),
)
def test_fast_reader_matches_read_midi_on_damaged_bytes(
    scratch, primitive_files, edits, keep, base
):
    data = bytearray(primitive_files[base].read_bytes()[:4000])
    for position, value in edits:
        data[position % len(data)] = value
    path = scratch / "damaged.mid"
    path.write_bytes(bytes(data[:keep]))
    assert_fast_reads_like_mido(path)
    assert_fast_reads_like_mido(path, "most", drums=True)

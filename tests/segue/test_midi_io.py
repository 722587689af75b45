"""Reading and writing MIDI files: real files from music21 and files written here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import mido
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from midi_files import riff_midi

from segue.errors import MidiFileError, NoteError
from segue.fast_midi import read_note_table
from segue.grid import TICKS_PER_BEAT
from segue.midi_io import (
    Part,
    gm_program,
    list_tracks,
    read_midi,
    read_tempo,
    track_choice,
    write_midi,
    write_parts,
)
from segue.notes import Clip, Note, TimeSignature


def _save(
    tmp_path: Path, name: str, tracks: list[list[mido.Message]], ppq: int = 96, type_: int = 1
) -> Path:
    mid = mido.MidiFile(type=type_, ticks_per_beat=ppq)
    for messages in tracks:
        track = mido.MidiTrack()
        track.extend(messages)
        mid.tracks.append(track)
    path = tmp_path / name
    mid.save(path)
    return path


def on(pitch: int, time: int, velocity: int = 90, channel: int = 0) -> mido.Message:
    return mido.Message("note_on", note=pitch, velocity=velocity, time=time, channel=channel)


def off(pitch: int, time: int, channel: int = 0) -> mido.Message:
    return mido.Message("note_off", note=pitch, velocity=0, time=time, channel=channel)


def test_every_music21_test_file_reads_or_fails_with_a_reason(primitive_files) -> None:
    read = 0
    for path in primitive_files:
        clip = read_midi(path)
        read += 1
        assert clip.notes, path
        assert all(0 <= n.pitch <= 127 and n.duration > 0 for n in clip.notes)
        assert clip.length >= max(n.start for n in clip.notes)
    assert read == len(primitive_files)


def test_known_file_reads_exactly(primitive_dir) -> None:
    # test12.mid: a four-part SATB file with three notes a part.
    clip = read_midi(primitive_dir / "test12.mid", track="ALTO")
    assert [(n.pitch, n.start, n.duration) for n in clip.notes] == [
        (67, 0.0, 3.0),
        (65, 3.0, 1.0),
        (64, 4.0, 4.0),
    ]
    assert len(read_midi(primitive_dir / "test12.mid")) == 12


def test_track_choice_by_index_name_and_most(tmp_path) -> None:
    path = _save(
        tmp_path,
        "three.mid",
        [
            [mido.MetaMessage("track_name", name="Lead"), on(72, 0), off(72, 96)],
            [
                mido.MetaMessage("track_name", name="Bass"),
                on(36, 0),
                off(36, 96),
                on(38, 0),
                off(38, 96),
            ],
        ],
    )
    assert [n.pitch for n in read_midi(path, track=0).notes] == [72]
    assert [n.pitch for n in read_midi(path, track="bass").notes] == [36, 38]
    assert [n.pitch for n in read_midi(path, track="most").notes] == [36, 38]
    assert [n.pitch for n in read_midi(path).notes] == [36, 72, 38]
    with pytest.raises(MidiFileError, match="has no track 5"):
        read_midi(path, track=5)
    with pytest.raises(MidiFileError, match="has no track named 'Piano'.*'Lead', 'Bass'"):
        read_midi(path, track="Piano")
    infos = list_tracks(path)
    assert [(t.name, t.notes) for t in infos] == [("Lead", 1), ("Bass", 2)]


def test_a_chosen_track_without_notes_names_the_tracks_with_them(tmp_path) -> None:
    """`--track 0` naming a type-1 file's tempo track said "has no notes" and not which
    tracks have them, where a track that is not there is told the file's tracks
    (helper-323): they are named by index and name, a drum track marked."""
    path = _save(
        tmp_path,
        "song.mid",
        [
            [mido.MetaMessage("track_name", name="Tempo"), mido.MetaMessage("set_tempo")],
            [mido.MetaMessage("track_name", name="Bass"), on(36, 0), off(36, 96)],
            [on(72, 0), off(72, 96)],
            [
                mido.MetaMessage("track_name", name="Kit"),
                on(36, 0, channel=9),
                off(36, 96, channel=9),
            ],
        ],
    )
    named = "tracks with notes: 1 'Bass', 2, 3 'Kit' (drums)"
    for track in (0, "tempo"):
        with pytest.raises(MidiFileError) as raised:
            read_midi(path, track=track)
        assert raised.value.reason == f"track {track!r} has no notes; {named}"
    with pytest.raises(MidiFileError) as raised:
        read_midi(path, track="Bass", drums=True)
    assert (
        raised.value.reason == "track 'Bass' has no drum notes; the track with drum notes: 3 'Kit'"
    )
    with pytest.raises(MidiFileError) as raised:
        read_note_table(path, track=0)  # the fast reader says what read_midi says
    assert raised.value.reason == f"track 0 has no notes; {named}"


def test_drums_are_left_out_unless_asked_and_then_read_alone(tmp_path) -> None:
    """`data prepare --drums` merged a song's bass and lead into its beat: a drum model was
    trained on melodies played as pads."""
    mixed = _save(
        tmp_path,
        "mixed.mid",
        [
            [on(60, 0), off(60, 96)],
            [on(36, 0, channel=9), off(36, 24, channel=9)],
        ],
    )
    assert [n.pitch for n in read_midi(mixed).notes] == [60]
    assert [n.pitch for n in read_midi(mixed, drums=True).notes] == [36]
    drums = _save(tmp_path, "drums.mid", [[on(36, 0, channel=9), off(36, 24, channel=9)]])
    with pytest.raises(MidiFileError, match="only drum notes"):
        read_midi(drums)
    assert len(read_midi(drums, drums=True)) == 1
    tune = _save(tmp_path, "tune.mid", [[on(60, 0), off(60, 96)]])
    with pytest.raises(MidiFileError, match=r"has no drum notes \(channel 10\)"):
        read_midi(tune, drums=True)
    for path in (mixed, drums, tune):  # the fast reader keeps what read_midi keeps
        for asked in (False, True):
            try:
                slow = sorted(n.pitch for n in read_midi(path, drums=asked).notes)
            except MidiFileError:
                slow = None
            try:
                fast = sorted(int(p) for p in read_note_table(path, drums=asked).pitch)
            except MidiFileError:
                fast = None
            assert fast == slow, (path.name, asked)


def test_note_on_velocity_zero_overlaps_zero_length_and_hanging_notes(tmp_path) -> None:
    path = _save(
        tmp_path,
        "edge.mid",
        [
            [
                on(60, 0),
                on(60, 48),  # same pitch again while sounding: ends the first at 0.5
                on(60, 48, velocity=0),  # velocity-0 note-on ends the second at 1.0
                on(62, 0),
                off(62, 0),  # zero length: kept as one grid tick
                on(64, 96),  # never ended: runs to the end of the track
                mido.MetaMessage("end_of_track", time=192),
            ]
        ],
        ppq=96,
    )
    notes = [(n.pitch, n.start, n.duration) for n in read_midi(path).notes]
    assert notes == [(60, 0.0, 0.5), (60, 0.5, 0.5), (62, 1.0, 1 / TICKS_PER_BEAT), (64, 2.0, 2.0)]


# Overlapping notes of one pitch (legato pads, played takes, retriggers, duplicates): the
# cases are tests/segue/test_fast_midi.py's OVERLAPS, read there through read_midi and the
# fast reader alike.


def test_a_played_take_released_late_reads_as_its_bars(tmp_path) -> None:
    """Two bars of 7/8 eighths whose last note (and the track) ends 5 ticks past the bar
    line read as 2 bars: a third, silent bar would be looped by the continuation."""
    sig = mido.MetaMessage("time_signature", numerator=7, denominator=8, time=0)
    notes = []
    for i in range(14):
        notes += [on(60 + i % 3, 0), off(60 + i % 3, 48 + (5 if i == 13 else 0))]
    clip = read_midi(_save(tmp_path, "take.mid", [[sig, *notes]]))
    assert clip.length == 7 and clip.bars == 2 and clip.notes[-1].end > 7
    notes[-1] = off(62, 48 + 48)  # rings on an eighth into the next bar: still 2 bars
    assert read_midi(_save(tmp_path, "rings.mid", [[sig, *notes]])).length == 7
    notes[-1] = off(62, 48 + 4 * 48)  # held on through most of the next bar: 3 bars
    assert read_midi(_save(tmp_path, "held.mid", [[sig, *notes]])).length == 10.5


def test_a_file_is_read_in_the_time_signature_it_keeps_longest() -> None:
    from segue.midi_io import prevailing_signature

    pickup = prevailing_signature([(0, 1, 4), (96, 3, 4)], 96 * 13)  # a beat, then a waltz
    assert str(pickup.chosen) == "3/4" and pickup.stated == ("1/4", "3/4")
    assert pickup.notice() == (
        "changes time signature (1/4, then 3/4); its notes are read in 3/4, the one it keeps "
        "longest, in bars from where it begins (give --time-signature to say another)"
    )
    assert pickup.begins == 96 and pickup.lead(96) == 2.0  # its bars begin at beat 1: pickup
    late = prevailing_signature([(384, 3, 4)], 960, 96)  # at beat 4: 4/4 before, as MIDI says
    assert late.stated == ("4/4", "3/4") and late.lead(96) == 2.0 and late.notice() is not None
    # the bars of the longest stretch (helper-46): a waltz with a bar of 2/4 in it; a 4/4
    # stated after a pickup beat; a 3/4 stated at tick 1, which is the file's from its start
    waltz = prevailing_signature([(0, 3, 4), (288, 2, 4), (480, 3, 4)], 480 + 16 * 288, 96)
    assert str(waltz.chosen) == "3/4" and waltz.lead(96) == 1.0  # 5 beats in: a beat on
    pickup44 = prevailing_signature([(96, 4, 4)], 96 * 65, 96)
    assert str(pickup44.chosen) == "4/4" and pickup44.lead(96) == 3.0
    tick1 = prevailing_signature([(1, 3, 4)], 96 * 48, 96)
    assert tick1.stated == ("3/4",) and tick1.lead(96) == 0.0 and tick1.notice() is None
    # 4 bars of 4/4, 1 of 7/8, 4 of 4/4: 4/4, kept longest in all; the same said twice once
    mixed = prevailing_signature([(0, 4, 4), (1536, 7, 8), (1536 + 336, 4, 4)], 1536 * 2 + 336)
    assert str(mixed.chosen) == "4/4" and mixed.stated == ("4/4", "7/8")
    tie = prevailing_signature([(0, 6, 8), (384, 3, 4)], 768)  # as long each: the first
    assert str(tie.chosen) == "6/8"
    odd = prevailing_signature([(0, 7, 64)], 384)  # none usable: 4/4
    assert str(odd.chosen) == "4/4" and odd.unusable == ("7/64",)
    assert odd.notice() is not None and "cannot use" in odd.notice()
    skipped = prevailing_signature([(0, 7, 64), (96, 3, 4)], 960)  # the usable one
    assert str(skipped.chosen) == "3/4" and "changes time signature" in skipped.notice()
    one = prevailing_signature([(0, 3, 4), (0, 3, 4)], 960)  # each track states it
    assert str(one.chosen) == "3/4" and one.notice() is None
    assert str(prevailing_signature([], 960).chosen) == "4/4"


def test_a_waltz_after_a_pickup_bar_of_1_4_reads_in_3_4(tmp_path) -> None:
    from segue.fast_midi import read_note_table

    meta = [
        mido.MetaMessage("time_signature", numerator=1, denominator=4, time=0),
        mido.MetaMessage("time_signature", numerator=3, denominator=4, time=96),
    ]
    notes = [on(67, 0), off(67, 96)]
    for i in range(12):
        notes += [on(60 + i % 5, 0), off(60 + i % 5, 96)]
    path = _save(tmp_path, "waltz.mid", [meta, notes])
    clip = read_midi(path)
    assert str(clip.time_signature) == "3/4" and clip.length == 15  # 13 beats: 5 bars
    # the waltz's downbeats on the clip's: the pickup leads into bar 2 (helper-40: every
    # downbeat fell on beat 2 of the clip's bars)
    assert [n.start for n in clip.notes[:3]] == [2.0, 3.0, 4.0]
    table = read_note_table(path)
    assert str(table.time_signature) == "3/4" and table.length == 15
    assert list(table.start[:2]) == [2.0, 3.0]


def test_tempo_changes_do_not_move_beats(tmp_path) -> None:
    path = _save(
        tmp_path,
        "tempo.mid",
        [
            [
                mido.MetaMessage("set_tempo", tempo=500000, time=0),
                on(60, 0),
                off(60, 120),
                mido.MetaMessage("set_tempo", tempo=250000, time=0),
                on(62, 0),
                off(62, 120),
            ]
        ],
        ppq=120,
    )
    assert [(n.start, n.duration) for n in read_midi(path).notes] == [(0.0, 1.0), (1.0, 1.0)]


def test_type0_file_and_odd_ppq(tmp_path) -> None:
    path = _save(
        tmp_path,
        "type0.mid",
        [
            [
                mido.MetaMessage("time_signature", numerator=3, denominator=4),
                on(60, 0, channel=0),
                on(48, 0, channel=1),
                off(60, 77, channel=0),
                off(48, 0, channel=1),
            ]
        ],
        ppq=77,
        type_=0,
    )
    clip = read_midi(path)
    assert clip.time_signature == TimeSignature(3, 4)
    assert clip.length == 3
    assert [(n.pitch, n.duration) for n in clip.notes] == [(48, 1.0), (60, 1.0)]


CUT = b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x00\x60MTrk\x00\x00\x01\x00\x00"  # a track cut short


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.mid", b"", "the file is empty"),
        ("bad.mid", b"RIFF\x00\x00\x00\x00WAVE", "not a MIDI file"),
        ("bad.mid", CUT + b"\x90", "truncated"),
        # RIFF MIDI (.rmi): no data chunk, one holding no MIDI file, a MIDI file cut short
        ("bad.rmi", riff_midi(b"")[:-8] + b"INFO" + bytes(4), "RIFF MIDI \\(it has no data chunk"),
        ("bad.rmi", riff_midi(b"notmidi!"), "RIFF MIDI \\(its data chunk holds no MIDI file"),
        ("bad.rmi", riff_midi(CUT), "truncated"),
    ],
)
def test_bad_files_fail_with_one_line_reason(tmp_path, name, content, reason) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MidiFileError, match=reason) as info:
        read_midi(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_missing_and_folder_paths(tmp_path) -> None:
    with pytest.raises(MidiFileError, match="no such file"):
        read_midi(tmp_path / "nope.mid")
    with pytest.raises(MidiFileError, match="is a folder"):
        read_midi(tmp_path)


def test_truncated_real_file(tmp_path, primitive_dir) -> None:
    data = (primitive_dir / "test03.mid").read_bytes()
    path = tmp_path / "cut.mid"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(MidiFileError, match="truncated"):
        read_midi(path)


def test_write_sets_tempo_time_signature_and_program(tmp_path) -> None:
    clip = Clip((Note(60, 0, 1.5, 80), Note(64, 1.5, 0.5, 100)), 6, TimeSignature(6, 8))
    path = write_midi(clip, tmp_path / "out.mid", tempo=90, program=gm_program("Violin"))
    mid = mido.MidiFile(path)
    metas = {m.type: m for m in mid.tracks[0] if m.is_meta}
    assert round(mido.tempo2bpm(metas["set_tempo"].tempo)) == 90
    assert (metas["time_signature"].numerator, metas["time_signature"].denominator) == (6, 8)
    programs = [m.program for m in mid.tracks[0] if m.type == "program_change"]
    assert programs == [40]
    assert read_midi(path) == clip


def test_write_never_overwrites_unless_asked(tmp_path) -> None:
    clip = Clip((Note(60, 0, 1),))
    path = write_midi(clip, tmp_path / "keep.mid")
    before = path.read_bytes()
    with pytest.raises(MidiFileError, match="already exists"):
        write_midi(Clip((Note(62, 0, 1),)), path)
    assert path.read_bytes() == before
    write_midi(Clip((Note(62, 0, 1),)), path, overwrite=True)
    assert [n.pitch for n in read_midi(path).notes] == [62]


def test_write_parts_writes_one_track_per_part_and_reads_back_merged(tmp_path) -> None:
    ts = TimeSignature(3, 4)
    parts = [
        Part("Soprano", Clip((Note(72, 0, 3, 90),), None, ts), channel=0),
        Part("Bass", Clip((Note(48, 1, 5, 80),), None, ts), channel=1, program=32),
    ]
    path = write_parts(parts, tmp_path / "choir.mid", tempo=72)
    assert [(t.name, t.notes, t.channels) for t in list_tracks(path)] == [
        ("Soprano", 1, (1,)),
        ("Bass", 1, (2,)),
    ]
    assert read_tempo(path) == 72
    clip = read_midi(path)
    assert clip.time_signature == ts and clip.length == 6.0  # the longer part, in whole bars
    assert [(n.pitch, n.start, n.duration) for n in clip.notes] == [(72, 0, 3), (48, 1, 5)]
    assert read_midi(path, track="Bass").notes == parts[1].clip.notes
    programs = [
        m.program for t in mido.MidiFile(path).tracks for m in t if m.type == "program_change"
    ]
    assert programs == [0, 32]
    with pytest.raises(MidiFileError, match="already exists"):
        write_parts(parts, path)
    with pytest.raises(NoteError, match="channel must be 0-15"):
        write_parts([Part("x", parts[0].clip, channel=16)], tmp_path / "x.mid")


def test_track_choice_reads_an_index_or_a_name() -> None:
    assert track_choice(None) is None
    assert track_choice("2") == 2
    assert track_choice("most") == "most" and track_choice("Violin 1") == "Violin 1"


def test_gm_program_names_and_numbers() -> None:
    assert gm_program("Acoustic Grand Piano") == 0
    assert gm_program("41") == 41
    with pytest.raises(Exception, match="unknown General MIDI instrument"):
        gm_program("Kazoo Deluxe")


def test_a_program_number_out_of_range_or_not_whole_is_said_as_a_number() -> None:
    assert gm_program(" +41 ") == 41
    for typed in ("-1", "128"):  # `--program -1`: a number, not an instrument's name
        with pytest.raises(NoteError, match=f"^program must be 0-127, got {int(typed)}$"):
            gm_program(typed)
    for typed in ("1.5", "41.", ".5"):
        with pytest.raises(NoteError, match=f"^program must be a whole number 0-127, got {typed}$"):
            gm_program(typed)


grid_notes = st.builds(
    lambda pitch, start, length, velocity: Note(
        pitch, start / TICKS_PER_BEAT, length / TICKS_PER_BEAT, velocity
    ),
    st.integers(0, 127),
    st.integers(0, TICKS_PER_BEAT * 64),
    st.integers(1, TICKS_PER_BEAT * 8),
    st.integers(1, 127),
)


def _no_same_pitch_overlap(notes: list[Note]) -> list[Note]:
    """MIDI cannot hold two sounding notes of one pitch on one channel: keep one."""
    kept: list[Note] = []
    for note in sorted(notes, key=lambda n: (n.pitch, n.start)):
        if kept and kept[-1].pitch == note.pitch and note.start < kept[-1].end:
            continue
        kept.append(note)
    return kept


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    notes=st.lists(grid_notes, min_size=1, max_size=40),
    ts=st.sampled_from([(4, 4), (3, 4), (6, 8), (7, 8), (2, 2), (5, 4)]),
)
def test_round_trip_is_exact_on_the_grid(tmp_path, notes, ts) -> None:
    clip = Clip(tuple(_no_same_pitch_overlap(notes)), time_signature=TimeSignature(*ts))
    path = write_midi(clip, tmp_path / "rt.mid", overwrite=True)
    assert read_midi(path) == clip


def test_a_drum_part_is_read_as_drums(tmp_path) -> None:
    from segue.midi_io import read_part

    beat = [
        on(36, 0, channel=9),
        off(36, 24, channel=9),
        on(42, 0, channel=9),
        off(42, 24, channel=9),
    ]
    drums = _save(tmp_path, "beat.mid", [beat])
    clip, is_drums = read_part(drums)
    assert is_drums and sorted(n.pitch for n in clip.notes) == [36, 42]
    band = _save(tmp_path, "band.mid", [[on(60, 0), off(60, 96)], beat])
    clip, is_drums = read_part(band)  # the melodic tracks, drums left out
    assert not is_drums and [n.pitch for n in clip.notes] == [60]
    clip, is_drums = read_part(band, track=1)  # the drum track, chosen
    assert is_drums and sorted(n.pitch for n in clip.notes) == [36, 42]
    clip, is_drums = read_part(band, track=0)
    assert not is_drums and [n.pitch for n in clip.notes] == [60]
    clip, is_drums = read_part(drums, track="most")  # nothing but drums: the busiest track
    assert is_drums and sorted(n.pitch for n in clip.notes) == [36, 42]
    clip, is_drums = read_part(band, track="most")  # the melodic track with most notes
    assert not is_drums and [n.pitch for n in clip.notes] == [60]


@pytest.mark.parametrize("tempo, bpm", [(0, 120.0), (16_777_215, 4), (500_000, 120.0)])
def test_a_seed_tempo_reads_as_one_a_midi_file_can_carry(tmp_path, tempo, bpm) -> None:
    """A tempo of 0 divided by zero; the slowest legal one (3.58 BPM) could not be written."""
    path = _save(
        tmp_path,
        "slow.mid",
        [[mido.MetaMessage("set_tempo", tempo=tempo, time=0), on(60, 0), off(60, 96)]],
    )
    assert read_tempo(path) == bpm
    clip = read_midi(path)
    write_midi(clip, tmp_path / "again.mid", tempo=read_tempo(path))


def test_generate_refuses_a_tempo_midi_cannot_carry_before_it_generates(tmp_path) -> None:
    from segue.cli import main

    seed = tmp_path / "seed.mid"
    write_midi(Clip((Note(60, 0, 1),), 4, TimeSignature(4, 4)), seed)
    code = main(["generate", str(seed), "-o", str(tmp_path / "x.mid"), "--tempo", "1"])
    assert code == 2 and not (tmp_path / "x.mid").exists()


@pytest.mark.parametrize(
    "written",
    [
        b"Piano \xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac",
        b"Piano \xe9",
        b"Sigur R\xf3s \x96 lead \x93x\x94",
    ],
)
def test_track_names_read_as_utf8_as_daws_write_them_else_cp1252(tmp_path, written) -> None:
    """UTF-8 names read as Latin-1 came out garbled ("Piano Ã© æ\x97¥...") and --track could
    not name them; a Windows DAW's cp1252 dashes and quotes came out as "?" (helper-43)."""
    from segue.fast_midi import parse_midi

    name = written.decode("utf-8") if written.endswith(b"\xac") else written.decode("cp1252")
    path = _save(
        tmp_path,
        "names.mid",
        [[mido.MetaMessage("track_name", name=written.decode("latin1")), on(60, 0), off(60, 96)]],
    )
    assert [t.name for t in list_tracks(path)] == [name]
    assert parse_midi(path.read_bytes()).track_names == (name,)
    assert len(read_midi(path, track=name)) == 1


@pytest.mark.parametrize("name", ["ベース", "ピアノ右手", "メロディー 1", "ドラム (GM)"])
def test_track_names_a_japanese_sequencer_wrote_in_shift_jis_read_as_japanese(
    tmp_path, name
) -> None:
    """Domino and other Windows programs in Japan write track names in Shift-JIS: read as
    cp1252, "ベース" came out as "ƒx?[ƒX" in `segue inspect` and --track ベース found no track
    (helper-327). A Western name whose cp1252 bytes are Shift-JIS kanji too ("Dad’s bäss" is
    "Dad痴 b舖s" in it), with no kana, stays the name it is."""
    from segue.fast_midi import parse_midi

    western = "Dad’s bäss"
    path = _save(
        tmp_path,
        "names.mid",
        [
            [mido.MetaMessage("track_name", name=text.encode(code).decode("latin1")), *notes]
            for text, code, notes in (
                (name, "cp932", [on(60, 0), off(60, 96)]),
                (western, "cp1252", [on(48, 0), off(48, 96)]),
            )
        ],
    )
    assert [t.name for t in list_tracks(path)] == [name, western]
    assert parse_midi(path.read_bytes()).track_names == (name, western)
    assert [n.pitch for n in read_midi(path, track=name).notes] == [60]
    assert list(read_note_table(path, track=western).pitch) == [48]


def test_a_track_name_beyond_latin_1_is_written_in_utf8_and_read_back(tmp_path) -> None:
    """write_midi and write_parts (corpus export writes a score's part names) stopped with
    mido's UnicodeEncodeError for a name beyond Latin-1, such as "Sopran ♪" (helper-327)."""
    from segue.midi_io import Part, write_parts

    clip = Clip((Note(60, 0, 1),), 4, TimeSignature(4, 4))
    names = ["Sopran ♪", "ベース 🎸", "Flûte"]
    write_parts([Part(name, clip) for name in names], tmp_path / "parts.mid")
    assert [t.name for t in list_tracks(tmp_path / "parts.mid")] == names
    raw = (tmp_path / "parts.mid").read_bytes()
    assert all(name.encode("utf-8") in raw for name in names)  # as Live writes them


def test_a_track_refused_names_the_tracks_as_they_show_with_their_emoji_whole(tmp_path) -> None:
    """A track named "Vox 👩‍🎤" (👩, a joiner, 🎤) was listed as 'Vox 👩\\u200d🎤' when --track
    named none (helper-327)."""
    name = "Vox 👩\u200d🎤"
    path = _save(
        tmp_path,
        "names.mid",
        [[mido.MetaMessage("track_name", name=name.encode().decode("latin1")), on(60, 0)]],
    )
    with pytest.raises(MidiFileError) as refused:
        read_midi(path, track="Vox")
    assert str(refused.value).endswith(f"has no track named 'Vox' (track names: '{name}')")


def test_control_characters_in_track_names_are_not_printed_to_the_terminal(tmp_path) -> None:
    """A name's ESC sequence (or Latin-1's C1 CSI, byte 0x9b) reached the terminal as it was
    in `segue inspect`: a file could colour, move or clear the musician's console."""
    from segue.fast_midi import parse_midi

    written = b"Bass \x1b[2J\x9b31m\x07\x00"
    path = _save(
        tmp_path,
        "names.mid",
        [[mido.MetaMessage("track_name", name=written.decode("latin1")), on(60, 0), off(60, 96)]],
    )
    shown = "Bass ?[2J\u203a31m?"  # 0x9b: cp1252's single quote, no longer a C1 CSI
    assert [t.name for t in list_tracks(path)] == [shown]
    assert parse_midi(path.read_bytes()).track_names == (shown,)
    assert len(read_midi(path, track=shown)) == 1
    out = subprocess.run(
        [sys.executable, "-m", "segue", "inspect", str(path)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=True,
    ).stdout
    assert shown in out and not any(
        ord(c) < 32 or 0x80 <= ord(c) < 0xA0 for c in out.replace("\n", "")
    )


def test_a_clip_is_continued_in_the_tempo_it_ends_in(tmp_path) -> None:
    """A clip that slows from 120 to 60 BPM: its continuation was written at 120."""
    track = mido.MidiTrack(
        [
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(120), time=0),
            mido.Message("note_on", note=60, velocity=90, time=0),
            mido.Message("note_off", note=60, velocity=0, time=96 * 8),
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(60), time=0),
            mido.Message("note_on", note=62, velocity=90, time=0),
            mido.Message("note_off", note=62, velocity=0, time=96 * 8),
        ]
    )
    path = tmp_path / "slows.mid"
    mido.MidiFile(ticks_per_beat=96, tracks=[track]).save(path)
    assert read_tempo(path) == 60


def test_a_track_is_found_by_its_name_however_its_accents_are_stored(tmp_path) -> None:
    """A Mac stores "Sigur Rós" decomposed (o, then a combining acute); the name typed is
    composed, and --track did not find it, the error listing two names that look alike."""
    import unicodedata

    from segue.fast_midi import read_note_table

    stored = unicodedata.normalize("NFD", "Sigur Rós")
    path = tmp_path / "nfd.mid"
    mid = mido.MidiFile(ticks_per_beat=96)
    as_bytes = stored.encode("utf-8").decode("latin-1")  # mido writes a meta text as latin-1
    track = mido.MidiTrack([mido.MetaMessage("track_name", name=as_bytes, time=0)])
    track += [
        mido.Message("note_on", note=60, velocity=90),
        mido.Message("note_off", note=60, time=96),
    ]
    mid.tracks.append(track)
    mid.save(path)
    assert len(read_midi(path, track="Sigur Rós")) == 1
    assert len(read_note_table(path, track="sigur rós").pitch) == 1


def _pedalled(path: Path, pedal_channel: int) -> Path:
    """Short 8ths on channel 1 (0) with the sustain pedal down through each bar on
    ``pedal_channel``."""
    track = mido.MidiTrack()
    events = []
    for bar in range(2):
        events.append(
            (
                bar * 1920 + 20,
                mido.Message("control_change", channel=pedal_channel, control=64, value=127),
            )
        )
        events.append(
            (
                bar * 1920 + 1900,
                mido.Message("control_change", channel=pedal_channel, control=64, value=0),
            )
        )
        for k in range(8):
            at = bar * 1920 + k * 240
            events.append((at, mido.Message("note_on", note=60 + k, velocity=80)))
            events.append((at + 140, mido.Message("note_off", note=60 + k, velocity=0)))
    now = 0
    for at, msg in sorted(events, key=lambda e: e[0]):
        track.append(msg.copy(time=at - now))
        now = at
    mid = mido.MidiFile(ticks_per_beat=480)
    mid.tracks.append(track)
    mid.save(path)
    return path


def test_a_part_held_by_the_sustain_pedal_is_said_not_read(tmp_path) -> None:
    """A line of short 8ths under the sustain pedal was read, and continued, as dry
    staccato, and the output had no pedal, without a word (helper-58)."""
    from segue.midi_io import unread_notice

    said = unread_notice(_pedalled(tmp_path / "pedal.mid", 0))
    assert said is not None and said.startswith("holds the sustain pedal (CC64), which")
    assert unread_notice(_pedalled(tmp_path / "other.mid", 3)) is None  # another part's pedal
    assert unread_notice(Path(__file__).parents[2] / "examples" / "seeds" / "reel.mid") is None


def _bent(path: Path, seed: Path, channel: int, pitch: int) -> Path:
    """``seed`` with a pitch bend on ``channel`` after its first note, and back to 0 after."""
    mid = mido.MidiFile(seed)
    track = max(mid.tracks, key=lambda t: sum(m.type == "note_on" for m in t))
    first = next(i for i, m in enumerate(track) if m.type == "note_on")
    track.insert(first + 1, mido.Message("pitchwheel", channel=channel, pitch=pitch, time=0))
    track.insert(first + 2, mido.Message("pitchwheel", channel=channel, pitch=0, time=120))
    first_next = track[first + 3]
    track[first + 3] = first_next.copy(time=max(0, first_next.time - 120))
    mid.save(path)
    return path


def test_a_part_that_bends_its_notes_is_said_not_read(tmp_path) -> None:
    """A 303 line's slides drawn as pitch bend were continued as steps, and the output had
    no bends, without a word; a bend left at 0, or on another part's channel, says
    nothing; a pedalled and bent part says both in one line."""
    from segue.midi_io import unread_notice

    reel = Path(__file__).parents[2] / "examples" / "seeds" / "reel.mid"
    channel = next(m.channel for t in mido.MidiFile(reel).tracks for m in t if m.type == "note_on")
    said = unread_notice(_bent(tmp_path / "bent.mid", reel, channel, 4096))
    assert said is not None and said.startswith("bends its notes (pitch bend), which")
    assert "plays its notes unbent" in said
    assert unread_notice(_bent(tmp_path / "flat.mid", reel, channel, 0)) is None
    assert unread_notice(_bent(tmp_path / "other.mid", reel, (channel + 1) % 9, 4096)) is None
    both = unread_notice(_bent(tmp_path / "both.mid", _pedalled(tmp_path / "p.mid", 0), 0, -300))
    assert both is not None
    assert both.startswith("holds the sustain pedal (CC64) and bends its notes (pitch bend)")
    assert both.count("which segue does not read") == 1 and "without the pedal's ring" in both


def test_what_segue_leaves_out_is_looked_for_in_the_part_s_tracks_and_channels(tmp_path) -> None:
    """--track Bass was told of the Lead track's bends (both on channel 1, as DAWs export
    them), and a type-0 part's bends on its second channel were not looked at (helper-67)."""
    from segue.midi_io import unread_notice

    mid = mido.MidiFile(ticks_per_beat=480)
    for name, pitch, bends in (("Bass", 36, False), ("Lead", 72, True)):
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name)])
        for _ in range(8):
            track.append(mido.Message("note_on", note=pitch, velocity=90, time=0))
            if bends:
                track.append(mido.Message("pitchwheel", pitch=2000, time=60))
            track.append(mido.Message("note_off", note=pitch, time=180 if bends else 240))
        mid.tracks.append(track)
    same = tmp_path / "same-channel.mid"
    mid.save(same)
    assert unread_notice(same, track="Bass") is None
    said = unread_notice(same, track="Lead")
    assert said is not None and said.startswith("bends its notes")

    one = mido.MidiTrack()  # a type-0 part on channels 1 (more notes) and 2 (bent)
    for _ in range(8):
        one.append(mido.Message("note_on", channel=0, note=60, velocity=90, time=0))
        one.append(mido.Message("note_off", channel=0, note=60, time=240))
    for _ in range(3):
        one.append(mido.Message("note_on", channel=1, note=67, velocity=90, time=0))
        one.append(mido.Message("pitchwheel", channel=1, pitch=-3000, time=60))
        one.append(mido.Message("note_off", channel=1, note=67, time=180))
    zero = mido.MidiFile(type=0, ticks_per_beat=480)
    zero.tracks.append(one)
    merged = tmp_path / "type0.mid"
    zero.save(merged)
    said = unread_notice(merged)
    assert said is not None and said.startswith("bends its notes")


def test_a_riff_midi_file_reads_as_the_midi_file_inside_it(tmp_path) -> None:
    """A .rmi file (a Standard MIDI File in a RIFF wrapper, Windows' own) was refused as
    "not a MIDI file"; it reads as the file inside, past any chunk before its data (an odd
    length padded to even, as RIFF pads it), and its tempo and tracks as well."""
    clip = Clip([Note(45, 0.0, 0.5, 100), Note(52, 0.5, 0.5, 90), Note(57, 1.5, 1.0, 80)], 4.0)
    smf = tmp_path / "bass.mid"
    write_midi(clip, smf, tempo=124.0)
    info = b"LIST" + (5).to_bytes(4, "little") + b"INFOx" + b"\x00"  # 5 bytes, padded
    wrapped = tmp_path / "bass.rmi"
    wrapped.write_bytes(riff_midi(smf.read_bytes(), before=info))
    assert read_midi(wrapped) == read_midi(smf)
    assert read_tempo(wrapped) == pytest.approx(124.0)
    assert [t.notes for t in list_tracks(wrapped)] == [t.notes for t in list_tracks(smf)]

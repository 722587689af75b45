"""The material a model is tuned on: pieces from files and clips, drums apart, a held-out share."""

from __future__ import annotations

import numpy as np
import pytest
from midi_files import off, on, riff_midi, write_events
from tuning_material import riff, write_riffs

from segue.errors import SegueError
from segue.grid import TICKS_PER_BEAT
from segue.model.tuning.material import (
    HELD_OUT_SHARE,
    HOLD_OUT_BY,
    Piece,
    TooLittle,
    bounded,
    clips_material,
    hold_out,
    learnable,
    read_sources,
    sections,
    time_scaled,
)
from segue.notes import Clip, Note, TimeSignature


def test_files_and_folders_are_read_as_pieces(tmp_path):
    files = write_riffs(tmp_path / "riffs", 3)
    material = read_sources([tmp_path / "riffs", files[0]])
    assert len(material.pieces) == 4 and material.notes == 4 * 64
    assert learnable(material).duplicates == 1  # the file named twice counts once


def test_a_riff_midi_file_named_or_in_a_folder_is_a_piece(tmp_path):
    """segue tune mine.rmi refused the file as "not a MIDI file (.mid, .midi)"."""
    smf = write_riffs(tmp_path / "smf", 1)[0]
    wrapped = tmp_path / "clips" / "riff.rmi"
    wrapped.parent.mkdir()
    wrapped.write_bytes(riff_midi(smf.read_bytes()))
    for source in (wrapped, wrapped.parent):
        material = read_sources([source])
        assert len(material.pieces) == 1 and material.notes == 64, source
        assert material.pieces[0].clip() == read_sources([smf]).pieces[0].clip()


def test_a_file_of_drums_only_is_a_drum_piece_and_left_out_beside_melodic_ones(tmp_path):
    write_riffs(tmp_path, 2)
    hits = [(i * 240, on(36, channel=9)) for i in range(16)]
    hits += [(i * 240 + 100, off(36, channel=9)) for i in range(16)]
    write_events(tmp_path / "beat.mid", [hits])
    material = read_sources([tmp_path])
    assert [p.drums for p in material.pieces] == [True, False, False]
    chosen = learnable(material)
    assert not chosen.drums and chosen.drums_left_out == 1 and len(chosen.pieces) == 2
    drums_only = learnable(read_sources([tmp_path / "beat.mid"]))
    assert drums_only.drums and len(drums_only.pieces) == 1


def test_a_drum_model_named_learns_the_drum_clips_or_a_drum_racks_channel_1_clips_as_pads(
    tmp_path,
):
    """A Drum Rack's clips export on channel 1: `segue tune beats/ --from drums` refused
    them ("the clips are melodic"), where `generate --model drums` plays them as pads; and
    beside channel-10 clips, a drum model was given the melodic ones."""
    write_riffs(tmp_path / "rack", 2)  # on channel 1
    rack = learnable(read_sources([tmp_path / "rack"]), drums=True)
    assert rack.drums and len(rack.pieces) == 2 and all(p.drums for p in rack.pieces)
    assert rack.pads == 2 and rack.left_out() == (
        "2 clips on a melodic channel learnt as drum pads (a Drum Rack's clips export on "
        "channel 1), as a drum model was named"
    )
    hits = [(i * 240, on(36, channel=9)) for i in range(16)]
    hits += [(i * 240 + 100, off(36, channel=9)) for i in range(16)]
    write_events(tmp_path / "rack" / "beat.mid", [hits])
    mixed = learnable(read_sources([tmp_path / "rack"]), drums=True)
    assert mixed.drums and len(mixed.pieces) == 1 and mixed.pads == 0
    assert mixed.melodic_left_out == 2 and mixed.drums_left_out == 0
    assert mixed.left_out().startswith("2 melodic clips left out (a drum model learns")
    melodic = learnable(read_sources([tmp_path / "rack"]), drums=False)
    assert not melodic.drums and melodic.drums_left_out == 1 and len(melodic.pieces) == 2


def test_clips_become_pieces_and_empty_ones_are_left_out():
    from segue.notes import Clip

    material = clips_material([("a", riff(1), False), ("b", Clip(()), False)], "Live set")
    assert [p.name for p in material.pieces] == ["a"] and material.sources == ("Live set",)
    assert material.pieces[0].clip().notes == riff(1).notes


def test_pieces_named_in_no_utf8_are_held_out_too():
    """A Latin-1 file name (a lone surrogate) stopped `segue tune` of its folder."""
    names = ["caf\udce9", *(f"r{i}" for i in range(9))]
    pieces = clips_material([(n, riff(i), False) for i, n in enumerate(names)], "x").pieces
    train, held, _ = hold_out(pieces)
    assert len(train) + len(held) == 10


def test_a_share_is_held_out_the_same_way_every_time():
    pieces = clips_material([(f"r{i}", riff(i), False) for i in range(20)], "x").pieces
    train, held, songs = hold_out(pieces)
    assert len(held) == 3 and len(train) == 17 and songs == ()
    assert [p.name for p in hold_out(pieces)[1]] == [p.name for p in held]


def test_pieces_of_four_or_more_songs_are_held_out_a_song_at_a_time(tmp_path):
    for song in range(10):  # a folder of track files per song, as LMMS or a DAW exports them
        write_riffs(tmp_path / f"song{song}", 3, first=10 * song)
    material = read_sources([tmp_path / f"song{song}" for song in range(10)])
    assert {p.song for p in material.pieces} == {f"song{song}" for song in range(10)}
    train, held, songs = hold_out(material.pieces)
    apart = {p.song for p in held}
    assert len(apart) == 2 and len(held) == 6  # 15% of the songs, every track of each
    assert songs == tuple(sorted(apart))
    assert not apart & {p.song for p in train} and len(train) == 24
    assert [p.name for p in hold_out(material.pieces)[1]] == [p.name for p in held]
    scaled = time_scaled(train, 8 * TICKS_PER_BEAT)  # room for a 4/4 bar at double
    assert scaled and {p.song for p in scaled} <= {p.song for p in train}
    few = read_sources([tmp_path / f"song{song}" for song in range(3)])
    train, held, _ = hold_out(few.pieces)  # three songs: a track at a time, as for clips
    assert len(held) == round(HELD_OUT_SHARE * 9) and {p.song for p in train} == {
        "song0",
        "song1",
        "song2",
    }
    named = read_sources(sorted((tmp_path / "song0").iterdir()))
    assert {p.song for p in named.pieces} == {""}  # files named one by one: no song


def test_the_musician_says_whether_folders_are_songs(tmp_path):
    """Folders sorted by instrument are no songs: held out whole, one of them would never be
    learnt from. --hold-out clips takes clips from any folder; songs, whole songs from 2."""
    kinds = ["bass", "pads", "leads", "arps"]
    for i, kind in enumerate(kinds):
        write_riffs(tmp_path / kind, 5, first=10 * i)
    material = read_sources([tmp_path / kind for kind in kinds])
    train, held, songs = hold_out(material.pieces)  # auto: 4 folders are taken as songs
    assert len(songs) == 1 and {p.song for p in held} == set(songs)
    assert {p.song for p in train} == set(kinds) - set(songs)  # that instrument: never learnt
    train, held, songs = hold_out(material.pieces, by="clips")
    assert songs == () and len(held) == 3 and len(train) == 17
    assert {p.song for p in train} == set(kinds)  # every instrument is learnt from
    assert hold_out(material.pieces, by="clips") == (train, held, ())  # stable
    two = read_sources([tmp_path / "bass", tmp_path / "pads"])
    train, held, songs = hold_out(two.pieces, by="songs")  # 2 songs: one held out whole
    assert len(songs) == 1 and {p.song for p in held} == set(songs) and len(train) == 5
    assert hold_out(two.pieces)[2] == ()  # auto: under 4 folders, clips
    one_by_one = read_sources(sorted((tmp_path / "bass").iterdir()))
    with pytest.raises(SegueError, match="needs the files in 2 or more folders"):
        hold_out(one_by_one.pieces, by="songs")
    with pytest.raises(SegueError, match="needs the files in 2 or more folders"):
        hold_out(read_sources([tmp_path / "bass"]).pieces, by="songs")
    with pytest.raises(SegueError, match="must be one of auto, songs, clips"):
        hold_out(material.pieces, by="tracks")  # type: ignore[arg-type]
    assert list(HOLD_OUT_BY) == ["auto", "songs", "clips"]


def test_few_long_pieces_are_cut_into_sections_first():
    piece = clips_material([("long", riff(0, bars=32), False)], "x").pieces[0]
    assert [s.notes for s in sections(piece)] == [64] * 4
    train, held, _ = hold_out([piece])
    assert len(train) + len(held) == 4 and len(held) == 1


def test_held_out_notes_past_a_cap_are_drawn_from_each_piece_in_turn():
    """A long held-out file among short ones: at most the cap's notes are read after the
    steps, some of every piece, the same sections every time; under the cap, all of it."""
    pieces = clips_material(
        [("long", riff(0, bars=800), False), *((f"r{i}", riff(i + 1), False) for i in range(3))],
        "x",
    ).pieces
    assert bounded(pieces, most=10_000) == list(pieces)
    drawn = bounded(pieces, most=1_000)
    assert 1_000 - 256 < sum(p.notes for p in drawn) <= 1_000  # a 32-bar section of eighths
    assert {p.name.split(" (")[0] for p in drawn} == {"long", "r0", "r1", "r2"}
    assert [p.name for p in bounded(pieces, most=1_000)] == [p.name for p in drawn]
    assert [p.name for p in bounded(pieces, most=1_000, rng_seed=1)] != [p.name for p in drawn]
    # a piece denser than the cap in any section keeps its first notes
    assert [p.notes for p in bounded(pieces[:1], most=100)] == [100]


def test_too_little_is_one_line(tmp_path):
    pieces = clips_material([("short", riff(0, bars=1), False)], "x").pieces
    with pytest.raises(TooLittle, match="too little to learn from: 1 clip with 8 notes"):
        hold_out(pieces)
    with pytest.raises(SegueError, match="no such file or folder"):
        read_sources([tmp_path / "missing"])
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SegueError, match="not a MIDI file"):
        read_sources([tmp_path / "notes.txt"])


def test_pieces_are_learnt_again_at_double_and_half_their_note_values():
    rows = np.array([[0, 60, 12, 90], [12, 62, 12, 90], [36, 64, 36, 80]], dtype=np.int64)
    waltz = Piece("waltz", rows, 72, TimeSignature(3, 4))
    double, half = time_scaled([waltz], max_bar_ticks=8 * 24)
    assert double.rows[:, [0, 2]].tolist() == [[0, 24], [24, 24], [72, 72]]
    assert double.length == 144 and double.time_signature == TimeSignature(6, 4)
    assert half.rows[:, [0, 2]].tolist() == [[0, 6], [6, 6], [18, 18]]
    assert half.length == 36 and half.time_signature == TimeSignature(3, 8)
    assert double.rows[:, 1].tolist() == half.rows[:, 1].tolist() == [60, 62, 64]
    assert (waltz.rows[:, 0] == [0, 12, 36]).all()  # the piece itself is left as it is
    # a bar past the model's bar positions is not doubled; an odd tick is not halved
    common = Piece("common", rows, 96, TimeSignature(4, 4))
    assert [p.name for p in time_scaled([common], max_bar_ticks=96)] == ["common (half)"]
    odd = Piece("odd", rows + [[1, 0, 0, 0]] * 3, 96, TimeSignature(4, 4))
    assert [p.name for p in time_scaled([odd], max_bar_ticks=8 * 24)] == ["odd (double)"]


def test_a_played_piece_is_learnt_as_generation_reads_it(tmp_path):
    """Generation reads a played clip as written (``feel.as_written``: its 8ths 12 ticks,
    not the 10-11 its released notes last), and tuning read the rows as they lay: a model
    tuned on a bass played into Live learnt 16ths of 5 ticks and 8ths of 11, was fed 6 and
    12, and ``auto`` passed it over for the producer model (5 of 5 seeds, helper-122). A
    file, a clip from Live or the bridge, and a Drum Rack's clip learnt as pads (read as a
    beat, each hit where it lies) are read as generation reads them."""
    from tuning_material import played

    from segue.grid import clip_rows
    from segue.midi_io import read_midi, write_midi
    from segue.model.feel import as_heard, as_written, hearing_of

    clips = [played(riff(i), seed=i, late=0.02 * (i % 2)) for i in range(3)]
    files = [write_midi(c, tmp_path / "played" / f"p{i}.mid") for i, c in enumerate(clips)]
    write_riffs(tmp_path / "grid", 3)
    twins = read_sources([tmp_path / "grid"]).pieces
    for pieces in (
        read_sources([tmp_path / "played"]).pieces,
        clips_material([(f"c{i}", c, False) for i, c in enumerate(clips)], "Live").pieces,
    ):
        for piece, twin, file in zip(pieces, twins, files, strict=True):
            assert (piece.rows == twin.rows).all()  # 8ths of 12 ticks, on the grid
            assert (piece.rows == clip_rows(as_written(read_midi(file)))).all()
    pads = learnable(clips_material([("rack", clips[1], False)], "Live"), drums=True).pieces
    heard = as_heard(clips[1], hearing_of(clips[1], drums=True))
    assert (pads[0].rows == clip_rows(heard)).all()
    assert (pads[0].rows[:, 2] < 12).mean() > 0.5  # a pad's length is no note value


def test_a_songs_drum_track_is_a_drum_piece_said_to_be_left_out(tmp_path):
    """A format-1 file's drum track beside its melodic tracks was dropped without a word:
    the card said "drum pieces left out 0". It is a drum piece of its own, left out of a
    melodic model (and said to be), learnt by a drum model."""
    from segue.midi_io import Part, write_parts

    beat = Clip(tuple(Note(36 + 6 * (i % 2), i * 0.5, 0.25, 100) for i in range(64)), 32.0)
    for i in range(4):
        write_parts([Part("bass", riff(i)), Part("drums", beat, channel=9)], tmp_path / f"s{i}.mid")
    material = read_sources([tmp_path])
    assert sorted(p.drums for p in material.pieces) == [False] * 4 + [True] * 4
    melodic = learnable(material)
    assert not melodic.drums and len(melodic.pieces) == 4 and melodic.notes == 4 * 64
    assert melodic.drums_left_out == 4 and melodic.left_out().startswith("4 drum clips left out")
    drums = learnable(material, drums=True)  # the same beat in each song: learnt once
    assert drums.drums and len(drums.pieces) == 1 and drums.duplicates == 3
    assert drums.melodic_left_out == 4

"""`segue inspect`: the tracks of a MIDI file and the clip segue reads from it."""

from __future__ import annotations

from pathlib import Path

from tiny_training import one_line_error

from segue.midi_io import read_midi

REEL = Path(__file__).resolve().parents[3] / "examples" / "seeds" / "reel.mid"


def test_inspect_lists_tracks_and_the_clip_and_with_notes_every_note(segue_main) -> None:
    clip = read_midi(REEL)
    result = segue_main("inspect", REEL)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == str(REEL)
    assert any(line.lstrip().startswith("track ") for line in lines[1:])
    assert lines[-1].startswith(f"read: {len(clip)} notes, {clip.length:g} beats (")
    with_notes = segue_main("inspect", REEL, "--notes").stdout.splitlines()
    header = with_notes.index("  pitch    start  duration  velocity")
    rows = [line.split() for line in with_notes[header + 1 :]]
    assert [(int(p), int(v)) for p, _, _, v in rows] == [(n.pitch, n.velocity) for n in clip.notes]


def test_inspect_says_in_one_line_what_is_wrong(segue_main, tmp_path: Path) -> None:
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"MThd not really")
    one_line_error(segue_main("inspect", broken), str(broken))
    one_line_error(segue_main("inspect", REEL, "--track", "99"), "track")


def test_inspect_shows_a_drum_track_as_drums(segue_main, tmp_path: Path) -> None:
    import mido

    beat = tmp_path / "beat.mid"
    file = mido.MidiFile(ticks_per_beat=96)
    track = mido.MidiTrack([mido.MetaMessage("track_name", name="Beat", time=0)])
    for step in range(16):  # one bar of 16ths: kick on the beats, snare on 2 and 4, hats
        notes = [42] + ([36] if step % 4 == 0 else []) + ([38] if step in (4, 12) else [])
        for note in notes:
            track.append(mido.Message("note_on", channel=9, note=note, velocity=90, time=0))
        for i, note in enumerate(notes):
            track.append(
                mido.Message("note_off", channel=9, note=note, velocity=0, time=24 if i == 0 else 0)
            )
    file.tracks.append(track)
    file.save(beat)
    result = segue_main("inspect", beat)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].endswith("channels 10  (drums)")
    assert lines[2] == "read: 22 notes, 4 beats (1 bar of 4/4), as drums, 3 pads"
    assert [line.split()[0] for line in lines[3:]] == ["36", "38", "42"]
    assert "Bass Drum 1" in lines[3] and lines[5].split()[-2:] == ["16", "hits"]
    with_flag = segue_main("inspect", beat, "--drums")  # the help's example read less
    assert with_flag.returncode == 0 and with_flag.stdout == result.stdout


def test_inspect_says_how_a_files_time_signatures_are_read_and_takes_another(
    segue_main, tmp_path: Path
) -> None:
    import mido

    meter, track = mido.MidiTrack(), mido.MidiTrack()  # a conductor track, as DAWs write
    meter.append(mido.MetaMessage("time_signature", numerator=1, denominator=4, time=0))
    meter.append(mido.MetaMessage("time_signature", numerator=3, denominator=4, time=480))
    for i in range(13):  # a pickup beat, then 4 bars of 3/4
        track.append(mido.Message("note_on", note=60 + i % 4, velocity=90, time=0))
        track.append(mido.Message("note_off", note=60 + i % 4, velocity=0, time=480))
    file = mido.MidiFile(ticks_per_beat=480)
    file.tracks += [meter, track]
    waltz = tmp_path / "waltz.mid"
    file.save(waltz)
    lines = segue_main("inspect", waltz).stdout.splitlines()
    assert lines[-2] == "read: 13 notes, 15 beats (5 bars of 3/4), pitch 60-63"
    assert lines[-1] == (
        "note: changes time signature (1/4, then 3/4); its notes are read in 3/4, the one it "
        "keeps longest, in bars from where it begins (give --time-signature to say another)"
    )
    given = segue_main("inspect", waltz, "--time-signature", "13/4").stdout.splitlines()
    assert given[-1] == "read: 13 notes, 13 beats (1 bar of 13/4), pitch 60-63"
    one_line_error(
        segue_main("inspect", waltz, "--time-signature", "3/5"),
        "time signature 3/5: the lower number must be",
    )


def test_a_bassline_whose_last_note_rings_on_is_read_as_its_bars(segue_main, tmp_path: Path):
    """A 4-bar bassline of eighths whose last note is held 0.9 beats (into bar 5) was read as
    5 bars, and its continuation began one bar out of step; both readers say 4 bars."""
    from segue.fast_midi import choose_notes, note_table, parse_midi
    from segue.midi_io import write_midi
    from segue.notes import Clip, Note

    notes = [Note(45 + 12 * (i % 2), i * 0.5, 0.5) for i in range(31)] + [Note(43, 15.5, 0.9)]
    bass = write_midi(Clip(tuple(notes)), tmp_path / "bass.mid")
    parsed = parse_midi(bass.read_bytes())
    assert read_midi(bass).length == 16
    assert note_table(parsed, choose_notes(parsed, None, False)).length == 16
    result = segue_main("inspect", bass)
    assert result.stdout.splitlines()[-1].startswith("read: 32 notes, 16 beats (4 bars"), result


def test_a_track_names_bidi_override_is_shown_escaped_not_turning_the_line(
    segue_main, models_dir, tmp_path: Path
) -> None:
    """A track named with U+202E (a right-to-left override) was printed raw by `segue
    inspect` and in generate's notice of the tracks it merges: the terminal turned the rest
    of the line around. Such names show their unprintables escaped, as segue's messages
    quote names; an ordinary name looks as it did."""
    from segue.midi_io import Part, write_parts
    from segue.notes import Clip, Note

    tune = Clip(tuple(Note(60 + i % 5, i * 0.5, 0.5) for i in range(16)))
    beat = Clip(tuple(Note(36 + 6 * (i % 2), i * 0.5, 0.25) for i in range(16)))
    parts = [Part("Lead \u202eevil", tune), Part("Bass", tune, 1), Part("Kit\u2066", beat, 9)]
    seed = write_parts(parts, tmp_path / "seed.mid")
    shown = segue_main("inspect", seed)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[1].startswith("  track  0 Lead \\u202eevil ") and "  channels 1" in lines[1]
    assert lines[2].startswith("  track  1 Bass                     ")
    assert lines[3].startswith("  track  2 Kit\\u2066                ")
    out = tmp_path / "next.mid"
    made = segue_main(
        "generate", seed, "--model", "tiny", "--models-dir", models_dir, "--bars", "1", "-o", out
    )
    assert made.returncode == 0, made.stderr
    assert (
        "its 2 tracks (Lead \\u202eevil, Bass) are read as one part" in made.stderr
        and "its drum track (Kit\\u2066) is left out (--track 'Kit\\u2066' continues it)"
        in made.stderr
    ), made.stderr
    for said in (shown, made):
        assert not {"\u202e", "\u2066"} & set(said.stdout + said.stderr)

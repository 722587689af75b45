"""`segue tune`: tune on MIDI files, install as a user model, then list and generate with it."""

from __future__ import annotations

from pathlib import Path

from tiny_training import one_line_error
from tuning_material import own_home, write_riffs  # noqa: F401 (own_home: a fixture)


def test_tune_installs_a_model_that_is_listed_and_generates(segue_main, models_dir, tmp_path):
    riffs = write_riffs(tmp_path / "riffs", 8)
    (tmp_path / "riffs" / "empty.mid").write_bytes(b"")  # named, not only counted
    (tmp_path / "riffs" / "cut.mid").write_bytes(riffs[0].read_bytes()[:30])
    args = ("--from", "tiny", "--models-dir", models_dir, "--seconds", "1", "--quiet")
    result = segue_main("tune", tmp_path / "riffs", "-o", "cli-tuned", *args)
    assert result.returncode == 0, result.stderr
    assert "\ntuning tiny on 7 pieces" in result.stdout  # --quiet still says it
    assert "refitting" not in result.stdout
    left = next(line for line in result.stdout.splitlines() if line.startswith("left out"))
    assert "(riffs/empty.mid)" in left and "(riffs/cut.mid)" in left, left
    assert "installed cli-tuned (from tiny): held-out loss" in result.stdout
    listed = segue_main("models")
    assert (
        "cli-tuned" in listed.stdout and "tiny tuned on 8 pieces" in listed.stdout
    )  # 7 + 1 held out
    out = tmp_path / "next.mid"
    made = segue_main("generate", riffs[0], "--model", "cli-tuned", "-o", out, "--bars", "1")
    assert made.returncode == 0, made.stderr
    assert out.exists()
    one_line_error(segue_main("tune", *riffs, "-o", "cli-tuned", *args), "already installed")
    replaced = segue_main("tune", *riffs, "-o", "cli-tuned", "--replace", "--threads", "1", *args)
    assert replaced.returncode == 0, replaced.stderr


def test_tune_says_what_is_wrong_in_one_line(segue_main, models_dir, tmp_path):
    args = ("--models-dir", models_dir, "--seconds", "1", "--quiet")
    one_line_error(
        segue_main("tune", write_riffs(tmp_path / "one", 1, bars=1)[0], "-o", "x", *args),
        "too little to learn from",
    )
    riffs = tmp_path / "riffs"
    write_riffs(riffs, 6)
    one_line_error(
        segue_main("tune", riffs, "-o", "x", "--from", "nothing", *args), "no model named"
    )
    one_line_error(segue_main("tune", riffs, "-o", "melody", *args), "bundled with segue")
    one_line_error(segue_main("tune", riffs, "-o", "../up", *args), "is not a model name")
    one_line_error(segue_main("tune", tmp_path / "none", "-o", "x", *args), "no such file")
    no_threads = segue_main("tune", riffs, "-o", "x", "--threads", "0", *args)
    assert no_threads.returncode == 2 and "Invalid value for '--threads'" in no_threads.stderr


def test_in_a_pipe_there_is_no_progress_bar_to_glue_an_error_to(
    segue_cli, models_dir, tmp_path
) -> None:
    """Output to a pipe or a log: the bar (a terminal's, redrawn in place) is left out."""
    one = write_riffs(tmp_path / "one", 1, bars=1)[0]
    result = segue_cli("tune", one, "-o", "x", "--models-dir", models_dir, "--seconds", "1")
    assert result.returncode == 1
    assert result.stderr.startswith("segue: error: too little to learn from")
    assert result.stderr.count("\n") == 1 and "tuning" not in result.stderr


def test_tune_says_which_songs_it_holds_out_and_can_hold_out_clips(
    segue_main, models_dir, tmp_path
):
    """Four folders are taken as songs, and one is held out whole: the first line says
    which, and how to hold out clips; with --hold-out clips every folder is learnt from."""
    kinds = ["bass", "pads", "leads", "arps"]
    for i, kind in enumerate(kinds):
        write_riffs(tmp_path / kind, 4, first=10 * i)
    folders = [tmp_path / kind for kind in kinds]
    args = ("--from", "tiny", "--models-dir", models_dir, "--seconds", "1")
    result = segue_main("tune", *folders, "-o", "by-songs", *args)
    assert result.returncode == 0, result.stderr
    first = next(line for line in result.stdout.splitlines() if line.startswith("tuning"))
    assert "holding out 4 (" in first and ", whole (folders are taken as songs; " in first
    assert "--hold-out clips if they are not)" in first, first
    held = next(k for k in kinds if f"the song {k}, whole" in first)
    card = Path(result.stdout.rsplit(", card ", 1)[1].strip())
    assert f"Held out whole (a folder per song): {held}." in card.read_text(encoding="utf-8")
    result = segue_main("tune", *folders, "-o", "by-clips", "--hold-out", "clips", *args)
    assert result.returncode == 0, result.stderr
    first = next(line for line in result.stdout.splitlines() if line.startswith("tuning"))
    assert "tuning tiny on 14 pieces" in first and "holding out 2 (" in first, first
    assert "whole" not in first and held
    one_line_error(
        segue_main("tune", tmp_path / "bass", "-o", "x", "--hold-out", "songs", *args),
        "holding out whole songs needs the files in 2 or more folders",
    )


def test_beats_on_a_melodic_channel_are_told_to_go_to_the_drum_model(tmp_path) -> None:
    """A Drum Rack's clips exported from Live (channel 1) were tuned into the producer model
    as melodies, without a word (helper-42)."""
    from segue.midi_io import write_midi
    from segue.model.tuning.material import read_sources
    from segue.notes import Clip, Note
    from segue.tune_notices import beats_on_a_melodic_channel

    for k in range(3):  # kick and hat together, snare and hat together: a beat, channel 1
        hits = [Note(36 if i % 4 == 0 else 38, i * 0.5, 0.25, 100) for i in range(16)]
        hats = [Note(42, i * 0.5, 0.25, 70 + k) for i in range(16)]
        write_midi(Clip(tuple(hits + hats), 8.0), tmp_path / f"beat{k}.mid")
    write_midi(
        Clip(tuple(Note(40 + i % 5, i * 0.5, 0.5, 90) for i in range(16)), 8.0),
        tmp_path / "bass.mid",
    )
    material = read_sources([tmp_path])
    said = beats_on_a_melodic_channel(material, None)
    assert said is not None and said.startswith("3 of 4 pieces look like drum beats")
    assert "give --from drums" in said
    assert beats_on_a_melodic_channel(material, "drums") is None  # named: its choice
    assert beats_on_a_melodic_channel(material, "producer") is None


def test_files_left_out_are_counted_in_words() -> None:
    """ "2 empty file (...)" (helper-50)."""
    from segue.tune_notices import left_out

    said = left_out({"empty file": ["a.mid", "b.mid"], "not a MIDI file": ["c.txt"]})
    assert said == "2 empty files (a.mid, b.mid), 1 not a MIDI file (c.txt)"


def test_a_second_tuning_into_a_name_being_tuned_is_refused_at_once(
    segue_main, models_dir, tmp_path
) -> None:
    """Two `segue tune -o same` at once: the second is refused before it starts, and the
    first installs its tuning (both ran, and the second's minute of work was thrown away)."""
    import subprocess
    import sys

    riffs = write_riffs(tmp_path / "riffs", 6)
    args = ("--from", "tiny", "--models-dir", models_dir, "--quiet", "--threads", "1")
    first = subprocess.Popen(
        [sys.executable, "-m", "segue", "tune", *map(str, riffs), "-o", "same", *map(str, args)]
        + ["--seconds", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert first.stdout is not None
        assert first.stdout.readline().startswith("tuning tiny on")  # under way
        second = segue_main("tune", *riffs, "-o", "same", *args, "--seconds", "1")
        out, err = first.communicate(timeout=120)
    finally:
        first.kill()
        first.wait()
    one_line_error(second, "'same' is being tuned by another run", "wait for it to end")
    assert first.returncode == 0, err
    assert "installed same" in out


def test_a_taken_name_or_unknown_base_is_refused_before_the_files_are_read(
    segue_main, models_dir, tmp_path
) -> None:
    """A folder of songs takes a while to read: a name that cannot be taken, or a --from
    that names no model, is said at once, not after the files were read and counted."""
    riffs = tmp_path / "riffs"
    first = write_riffs(riffs, 6)[0]
    (riffs / "cut.mid").write_bytes(first.read_bytes()[:30])
    args = ("--models-dir", models_dir, "--seconds", "1", "--quiet")
    for extra, said in (
        (("-o", "melody"), "bundled with segue"),
        (("-o", "fine", "--from", "nothing"), "no model named"),
    ):
        result = segue_main("tune", riffs, *extra, *args)
        one_line_error(result, said)
        assert "left out" not in result.stdout, result.stdout  # the files were not read

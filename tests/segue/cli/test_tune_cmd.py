"""`segue tune`: tune on MIDI files, install as a user model, then list and generate with it."""

from __future__ import annotations

from tiny_training import one_line_error
from tuning_material import own_home, write_riffs  # noqa: F401 (own_home: a fixture)


def test_tune_installs_a_model_that_is_listed_and_generates(segue_main, models_dir, tmp_path):
    riffs = write_riffs(tmp_path / "riffs", 8)
    (tmp_path / "riffs" / "empty.mid").write_bytes(b"")  # named, not only counted
    (tmp_path / "riffs" / "cut.mid").write_bytes(riffs[0].read_bytes()[:30])
    args = ("--from", "tiny", "--models-dir", models_dir, "--seconds", "1", "--quiet")
    result = segue_main("tune", tmp_path / "riffs", "-o", "cli-tuned", *args)
    assert result.returncode == 0, result.stderr
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

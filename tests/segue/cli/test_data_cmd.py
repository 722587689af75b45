"""`segue data prepare` and `segue data info` as real processes."""

from __future__ import annotations


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
    forced = segue_cli("data", "prepare", inputs[1], "-o", out, "-q", "-f", "--valid", "0.2")
    assert forced.returncode == 0 and "20% valid" in forced.stdout
    info = segue_cli("data", "info", out, "--verbose")
    assert info.returncode == 0 and "19 found" in info.stdout and "empty file" in info.stdout


def test_cli_errors_are_one_line(segue_cli, tmp_path):
    assert "no such folder" in one_error_line(
        segue_cli("data", "prepare", tmp_path / "nope", "-o", tmp_path / "ds")
    )
    (tmp_path / "empty").mkdir()
    assert "no MIDI files" in one_error_line(
        segue_cli("data", "prepare", tmp_path / "empty", "-o", tmp_path / "ds")
    )
    assert "no such dataset" in one_error_line(segue_cli("data", "info", tmp_path / "nope"))
    assert "not a segue dataset" in one_error_line(segue_cli("data", "info", tmp_path))
    usage = segue_cli("data", "prepare", tmp_path, "-o", tmp_path / "ds", "--valid", "2")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_cli_help_has_examples(segue_cli):
    for command in ("prepare", "info"):
        result = segue_cli("data", command, "--help")
        assert result.returncode == 0 and "Examples:" in result.stdout
        assert f"segue data {command}" in result.stdout


def test_an_output_that_cannot_be_written_is_one_line(segue_cli, tmp_path, inputs):
    """Issue 15, row 6: `segue data prepare -o FILE/ds` gave a traceback."""
    (tmp_path / "FILE").write_text("a file, not a folder", encoding="utf-8")
    line = one_error_line(segue_cli("data", "prepare", *inputs, "-o", tmp_path / "FILE" / "ds"))
    assert line == (
        f"segue: error: cannot write {tmp_path / 'FILE' / 'ds'}: "
        f"{tmp_path / 'FILE'} is a file, not a folder"
    )


def test_test_1_makes_a_dataset_to_evaluate_on_only(segue_cli, tmp_path, inputs):
    """`--test 1` is in the help as "every file", but failed: 1 + the default --valid 0.05."""
    out = tmp_path / "all"
    done = segue_cli("data", "prepare", inputs[1], "-o", out, "-q", "--test", "1")
    assert done.returncode == 0, done.stderr
    assert "0% valid, 100% test" in done.stdout
    both = segue_cli(
        "data", "prepare", inputs[1], "-o", tmp_path / "x", "--test", "1", "--valid", "0.1"
    )
    assert "(every file for testing: --test 1 --valid 0)" in one_error_line(both)

"""The shared command-line options: the generation settings read from the settings table."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest

from segue.cli import main
from segue.cli.bridge_cmd import send_command
from segue.cli.eval_cmd import eval_command
from segue.cli.generate_cmd import generate_command
from segue.cli.live_cmd import continue_command
from segue.cli.options import generation_params
from segue.cli.train_cmd import train_command
from segue.model.settings import SETTINGS, GenerationParams


def _parse(command: click.Command, args: list[str]) -> dict:
    return command.make_context(command.name or "", list(args)).params  # click eats its list


def _help(command: click.Command) -> str:
    return command.get_help(click.Context(command))


def _options(command: click.Command) -> dict[str, click.Option]:
    return {p.name: p for p in command.params if isinstance(p, click.Option) and p.name}


@pytest.mark.parametrize(
    "command", [generate_command, send_command, continue_command], ids=lambda c: c.name
)
def test_every_setting_is_an_option_named_as_in_the_table(command: click.Command) -> None:
    options = _options(command)
    help_text = _help(command)
    for s in SETTINGS:
        if s.name == "include_seed" and command is continue_command:
            assert s.name not in options  # new clips in Live never hold the seed
            continue
        option = options[s.name]
        assert option.opts[: len(s.flags) + 1] == [*s.flags, s.option]
        assert s.option in help_text
        for alias in s.aliases:
            assert alias in option.opts and alias not in help_text, "old spellings work, hidden"


def test_defaults_are_the_tables_unless_a_command_passes_on_only_what_is_given() -> None:
    given = _parse(generate_command, ["-o", "x.mid"])
    names = [s.name for s in SETTINGS]
    assert generation_params({n: given[n] for n in names}) == GenerationParams().validated()
    sent = _parse(send_command, ["-o", "x.mid"])
    assert all(sent[n] is None for n in names if n != "include_seed")
    assert "[default: 1.0]" in _help(send_command)  # the bridge's default, named in the help


def test_old_spellings_still_set_the_new_names() -> None:
    args = ["-o", "x.mid", "--max-polyphony", "3", "--seed-rng", "7", "--low", "40", "-t", "0.5"]
    for command in (generate_command, send_command, continue_command):
        params = _parse(command, args[2:] if command is continue_command else args)
        assert (params["polyphony"], params["rng_seed"], params["low"]) == (3, 7, 40)
        assert params["temperature"] == 0.5
        # takes, as the README and the messages call them (helper-174: "no such option")
        takes = ["--takes", "3"] if command is continue_command else ["-o", "x.mid", "--takes", "3"]
        assert _parse(command, takes)["variations"] == 3
    assert _parse(train_command, ["-o", "runs/x", "--seed", "5"])["rng_seed"] == 5
    assert _parse(train_command, ["-o", "runs/x", "--rng-seed", "5"])["rng_seed"] == 5
    train_help = _help(train_command)
    assert "--rng-seed" in train_help and "--seed " not in train_help


def test_the_command_line_reads_off_values_as_none() -> None:
    given = _parse(
        generate_command,
        ["-o", "x.mid", "--rng-seed", "-1", "--key", "off", "--notes", "12", "--include-seed"],
    )
    params = generation_params({s.name: given[s.name] for s in SETTINGS})
    assert (params.rng_seed, params.key, params.notes, params.bars) == (None, None, 12, None)
    assert params.include_seed


def test_eval_takes_its_sampling_options_from_the_table_with_its_own_defaults() -> None:
    options = _options(eval_command)
    assert options["top_p"].default == 0.95 and options["memory"].default == 1.0
    assert options["bars"].default == 4.0 and options["rng_seed"].default == 0
    assert "--seed-rng" in options["rng_seed"].opts
    assert "Nucleus of every model's sampling." in _help(eval_command)


def test_bad_settings_are_one_line_before_any_work(capsys, tmp_path) -> None:
    out = str(tmp_path / "x.mid")
    assert main(["send", "-o", out, "--bars", "2", "--notes", "3", "--port", "9"]) == 1
    assert "give the length in bars, beats or notes, not several" in capsys.readouterr().err
    assert main(["generate", "-o", out, "--low", "80", "--high", "60"]) == 1
    assert "the pitch range must have low <= high" in capsys.readouterr().err
    assert main(["generate", "-o", out, "--polyphony", "17"]) == 1
    assert "polyphony must be between 0 and 16, got 17" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_a_track_without_a_seed_is_refused_in_one_line(capsys, tmp_path) -> None:
    """helper-285's audit: `segue generate --track bass -o next.mid` with the seed file left
    out started a part from nothing, and wrote it, without a word (`segue send` the same);
    --downbeat already said so. Refused in one line, nothing written, before any bridge is
    asked (nothing listens on port 9). --include-seed without a seed stays the take alone
    (test_with_no_seed_the_seed_included_adds_no_silent_bar)."""
    out = str(tmp_path / "x.mid")
    for command in (["generate"], ["send", "--port", "9"]):
        for track in ("1", "bass"):
            assert main([*command, "-o", out, "--bars", "1", "--track", track]) == 1
            [line] = capsys.readouterr().err.splitlines()
            assert line == (
                "segue: error: --track picks a track of a seed: give a seed file (without one, "
                "segue starts a part from nothing)"
            )
    assert not list(tmp_path.iterdir())


def test_an_output_that_cannot_be_written_is_one_line(capsys, tmp_path) -> None:
    """Issue 15, row 6: `segue generate -o /proc/x.mid` or `-o FILE/x.mid` gave a traceback
    (after the model ran); a file where a folder belongs is refused before any work."""
    from segue.errors import SegueError
    from segue.files import check_writable, writing

    (tmp_path / "FILE").write_text("a file, not a folder", encoding="utf-8")
    for out in (tmp_path / "FILE" / "x.mid", tmp_path / "FILE" / "deeper" / "x.mid"):
        assert main(["generate", "--bars", "1", "-o", str(out)]) == 1
        [line] = capsys.readouterr().err.splitlines()
        file = tmp_path / "FILE"
        assert line == f"segue: error: cannot write {out}: {file} is a file, not a folder"
    check_writable([tmp_path / "fine" / "x.mid", tmp_path / "x.mid"])
    with pytest.raises(SegueError, match=r"cannot write /proc/x.mid: No such file or directory"):
        with writing("/proc/x.mid"):
            raise FileNotFoundError(2, "No such file or directory", "/proc/.x.mid.123.tmp")
    with pytest.raises(FileNotFoundError):  # not about the output: a fault to show as it is
        with writing(tmp_path / "x.mid"):
            raise FileNotFoundError(2, "No such file or directory", "/elsewhere/input.mid")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_generate_into_proc_is_one_line_after_the_model_ran(capsys) -> None:
    assert main(["generate", "--bars", "1", "-o", "/proc/x.mid"]) == 1
    assert capsys.readouterr().err == (
        "segue: error: cannot write /proc/x.mid: No such file or directory\n"
    )


def test_a_length_of_0_and_a_seed_beyond_osc_are_refused_in_one_line(capsys, tmp_path) -> None:
    """0 is the bridge's "length not in use"; typed on the command line it was silently the
    default 4 bars. A seed over 2**31 - 1 cannot travel in OSC's 32-bit integers."""
    out = str(tmp_path / "x.mid")
    for length in ("--bars", "--beats", "--notes"):
        assert main(["generate", "-o", out, length, "0"]) == 1
        assert "must be between" in capsys.readouterr().err
    assert main(["send", "-o", out, "--rng-seed", str(2**31), "--port", "9"]) == 1
    err = capsys.readouterr().err
    assert "cannot go through the bridge" in err and "2147483647" in err
    assert err.count("\n") == 1 and not list(tmp_path.iterdir())


def test_a_seed_segue_draws_can_always_be_sent_back() -> None:
    from segue.model.settings import DRAWN_SEEDS

    assert DRAWN_SEEDS == 2**31  # OSC's int32


@pytest.mark.parametrize(
    "args",
    [
        ["tune", "x.mid", "-o", "t", "--seconds", "nan"],
        ["live", "continue", "--timeout", "nan"],
        ["ping", "--timeout", "nan"],
        ["serve", "--upload-timeout", "nan"],
        ["tune", "x.mid", "-o", "t", "--threads", "100000"],
        ["train", "d", "-o", "r", "--threads", "100000"],
    ],
    ids=lambda a: f"{a[0]} {a[-2]} {a[-1]}",
)
def test_not_a_number_and_more_threads_than_cores_are_refused(args, segue_main) -> None:
    """A NaN passes every comparison with a range's bounds: it reached round() and
    socket.settimeout as a traceback, or waited for ever; 100,000 threads crashed torch."""
    result = segue_main(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is not a number" in result.stderr or "is not in the range 1<=x<=" in result.stderr


def test_an_output_that_is_a_folder_says_so_in_one_line(capsys, tmp_path) -> None:
    for force in ([], ["--force"]):
        assert main(["generate", "-o", str(tmp_path), "--bars", "1", *force]) == 1
        err = capsys.readouterr().err
        assert "is a folder; give a file name, such as" in err and err.count("\n") == 1


def test_a_bad_setting_is_named_as_typed_and_an_off_value_is_offered(capsys, tmp_path) -> None:
    """The command line names a setting by its option (--top-p, not the API's top_p), and a
    value outside the range is told the value that stands for "off" when there is one."""
    out = str(tmp_path / "x.mid")
    assert main(["generate", "-o", out, "--rng-seed", "-5"]) == 1
    assert capsys.readouterr().err == (
        "segue: error: --rng-seed must be between 0 and 9223372036854775807, got -5 "
        "(or -1: a new one each time)\n"
    )
    assert main(["generate", "-o", out, "--top-p", "5"]) == 1
    assert capsys.readouterr().err == "segue: error: --top-p must be between 0.01 and 1, got 5\n"
    assert not list(tmp_path.iterdir())
    assert main(["generate", "-o", out, "--rng-seed", "-1", "--bars", "1"]) == 0
    assert "rng seed" in capsys.readouterr().out


def test_an_output_without_a_midi_suffix_gets_mid(capsys, tmp_path) -> None:
    """`-o groove` wrote a file named `groove` for one variation and `groove-1.mid` ... for
    several; both are .mid files now, and a name that ends in .mid or .midi is kept."""
    from segue.cli.options import midi_name, output_paths

    assert main(["generate", "-o", str(tmp_path / "groove"), "--bars", "1"]) == 0
    assert f"{tmp_path / 'groove.mid'}: " in capsys.readouterr().out
    assert main(["generate", "-o", str(tmp_path / "take.v2"), "--bars", "1", "-n", "2"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "groove.mid",
        "take.v2-1.mid",
        "take.v2-2.mid",
    ]
    assert midi_name(tmp_path / "Next.MIDI") == tmp_path / "Next.MIDI"
    assert main(["generate", "-o", str(tmp_path / "  "), "--bars", "1"]) == 1
    assert "is no file name; give one, such as next.mid" in capsys.readouterr().err
    assert not (tmp_path / "  .mid").exists()
    assert output_paths(tmp_path / "a.midi", 2) == [tmp_path / "a-1.midi", tmp_path / "a-2.midi"]


def test_an_output_of_nothing_but_the_suffix_is_refused(capsys, tmp_path) -> None:
    """`-o out/.mid` (the name left out) wrote a hidden file `.mid`, and `.mid-1`, `.mid-2`
    (no suffix at all) for two takes (helper-323): one line, and nothing written."""
    for name, said in ((".mid", "out/next.mid"), (".MIDI", "out/next.MIDI")):
        output = tmp_path / "out" / name
        for command in (["generate", "--bars", "1", "-n", "2"], ["send", "--port", "9"]):
            assert main([*command, "-o", str(output)]) == 1, command
            assert capsys.readouterr().err == (
                f"segue: error: {str(output)!r} has no name before {name}; give one, such as "
                f"{tmp_path / said}\n"
            )
    assert not list(tmp_path.iterdir())
    assert main(["generate", "--bars", "1", "-o", str(tmp_path / ".groove")]) == 0  # a name
    assert (tmp_path / ".groove.mid").exists()


def test_dash_for_standard_output_is_refused_as_no_file_name(capsys, tmp_path, monkeypatch) -> None:
    """`-o -` (standard output, to a musician piping to another tool) wrote a file named
    `-.mid` (helper-263). Standard output carries the summary, and takes, --wav and --plot
    are files, so generate and send refuse it in one line and write nothing."""
    monkeypatch.chdir(tmp_path)
    for command in (["generate", "-o", "-", "--bars", "1"], ["send", "-o", "-", "--port", "9"]):
        assert main(command) == 1, command
        out, err = capsys.readouterr()
        assert out == "" and err == (
            "segue: error: '-' is no file name: segue writes its takes to MIDI files, not to "
            "standard output (which carries its summary); give one, such as next.mid\n"
        ), command
    assert not list(tmp_path.iterdir())


def _file(path, signature: tuple[int, int] | None, beats: int) -> None:
    """A MIDI file of quarter notes (``beats`` of them) that states ``signature`` or none."""
    import mido

    track = mido.MidiTrack()
    if signature:
        num, den = signature
        track.append(mido.MetaMessage("time_signature", numerator=num, denominator=den))
    for i in range(beats):
        track.append(mido.Message("note_on", note=60 + i % 5, velocity=90, time=0))
        track.append(mido.Message("note_off", note=60 + i % 5, velocity=0, time=480))
    file = mido.MidiFile(ticks_per_beat=480)
    file.tracks.append(track)
    file.save(path)


def test_a_seed_in_a_time_signature_segue_cannot_use_is_read_in_4_4_and_said(tmp_path) -> None:
    from segue.cli.options import read_seed

    odd, waltz = tmp_path / "odd.mid", tmp_path / "waltz.mid"
    _file(odd, (7, 64), 8)
    _file(waltz, (3, 4), 15)
    heard: list[str] = []
    clip, drums = read_seed(odd, None, None, heard.append)
    assert str(clip.time_signature) == "4/4" and clip.length == 8 and not drums
    assert heard == [
        f"{odd} states a 7/64 time signature, which segue cannot use; its notes are read in "
        "4/4 (give --time-signature to say what it is)"
    ]
    clip, _ = read_seed(odd, None, "7/8", heard.append)  # said: no notice, whole 7/8 bars
    assert str(clip.time_signature) == "7/8" and clip.length == 10.5 and len(heard) == 1
    clip, _ = read_seed(waltz, None, None, heard.append)  # a signature segue uses: quiet
    assert str(clip.time_signature) == "3/4" and clip.length == 15 and len(heard) == 1


def test_time_signature_is_the_seeds_unless_given(tmp_path) -> None:
    from segue.cli.options import read_seed

    plain = tmp_path / "plain.mid"
    _file(plain, None, 15)  # five bars of 3/4 exported without a signature
    clip, _ = read_seed(plain, None, None)
    assert str(clip.time_signature) == "4/4" and clip.length == 16
    clip, _ = read_seed(plain, None, "3/4")
    assert str(clip.time_signature) == "3/4" and clip.length == 15  # not 4/4's 16, re-cut
    clip, _ = read_seed(None, None, None)
    assert str(clip.time_signature) == "4/4" and not len(clip)
    clip, _ = read_seed(None, None, "6/8")
    assert str(clip.time_signature) == "6/8" and clip.length == 3


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("x", "time signature 'x': it must look like 4/4 or 6/8"),
        ("3/5", "time signature 3/5: the lower number must be 1, 2, 4, 8, 16 or 32"),
        ("0/4", "time signature 0/4: the upper number must be a whole number from 1 to 99"),
    ],
)
def test_a_bad_time_signature_is_one_line_that_says_what_is_wrong(given, said) -> None:
    """--time-signature 3/5 said "time signature '3/5': time signature denominator must be
    one of (1, 2, 4, 8, 16, 32), got 5": the signature twice and Python's tuple."""
    from segue.cli.options import time_signature
    from segue.errors import SegueError

    with pytest.raises(SegueError) as caught:
        time_signature(given)
    assert str(caught.value) == said


def test_a_choice_is_read_in_any_case_as_the_bridge_reads_it() -> None:
    """`--fills PHRASE` was refused by generate, and taken by the bridge through send."""
    from segue.cli.options import generation_params

    params = generation_params({"fills": "PHRASE", "kit": "Gm"})
    assert (params.fills, params.kit) == ("phrase", "gm")


def test_as_drums_is_said_only_of_a_model_that_is_not_a_drum_model() -> None:
    """auto's choice of a drum model tuned on the musician's beats was labelled
    "mybeats (as drums)", as if a melodic model had read the beat."""
    from segue.cli.options import model_label

    mine = Path("home/models/mybeats.pt")
    assert model_label("auto", mine, drums=True, drum_model=True) == "auto: mybeats"
    melodic = Path("models/producer.pt")
    assert model_label(None, melodic, drums=True, drum_model=False) == "auto: producer (as drums)"
    assert model_label("producer", melodic, drums=True, drum_model=False) == "producer"

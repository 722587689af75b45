"""The main commands with their output redirected on consoles that are not UTF-8: a Western
Windows (cp1252), a Japanese one (cp932) and a plain C locale (ASCII, also the encoding files
open in by default). Each runs the real command line in a subprocess; its output must be text
in the console's encoding, and every file it writes UTF-8."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import mido
import pytest
from abletonosc_standin import AbletonOSCStandin, FakeClip, reply_port_taken
from eval_args import ONE_PIECE
from live_sets import keys_set, riff
from ports import HeldPorts, retry_taken

CONSOLES = {  # what the command's environment sets, and the encoding its output is in
    "cp1252": ({"PYTHONIOENCODING": "cp1252"}, "cp1252"),
    "cp932": ({"PYTHONIOENCODING": "cp932"}, "cp932"),
    # ASCII, but a POSIX file name's bytes come back out as they went in (surrogateescape)
    "C": ({"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}, "ascii"),
}
_LOCALE = ("PYTHONIOENCODING", "PYTHONUTF8", "PYTHONCOERCECLOCALE", "LANG", "LANGUAGE")


def segue(console: str, *args: object, env: dict[str, str] | None = None, timeout: float = 300):
    """`python -m segue ARGS` with its output redirected on ``console``; its output is decoded
    strictly in that console's encoding (so a wrong byte fails the test)."""
    settings, encoding = CONSOLES[console]
    base = {k: v for k, v in os.environ.items() if k not in _LOCALE and not k.startswith("LC_")}
    result = subprocess.run(
        [sys.executable, "-m", "segue", *map(str, args)],
        capture_output=True,
        env={**base, **(env or {}), **settings},
        timeout=timeout,
    )
    errors = "surrogateescape" if encoding == "ascii" else "strict"
    out, err = result.stdout.decode(encoding, errors), result.stderr.decode(encoding, errors)
    assert result.returncode == 0 and "Traceback" not in err, err
    return out, err


@pytest.fixture(scope="module")
def named_midi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A MIDI file in a folder with accents, its tracks named in UTF-8 (as Live and most DAWs
    write them; segue reads names as Latin-1 bytes, as the MIDI standard has it)."""
    folder = tmp_path_factory.mktemp("midi") / "Jörg Müller ✓"
    folder.mkdir()
    file = mido.MidiFile(type=1)
    for i, name in enumerate(("Jörg’s riff 🎹", "«Bass» ♪")):
        track = mido.MidiTrack([mido.MetaMessage("track_name", name="")])
        track[0].name = name.encode("utf-8").decode("latin-1")
        for step in range(4):
            on = 0 if step == 0 else 0
            track.append(mido.Message("note_on", note=60 + i * 7 + step, velocity=90, time=on))
            track.append(mido.Message("note_off", note=60 + i * 7 + step, velocity=0, time=480))
        file.tracks.append(track)
    path = folder / "riff ✓ ’.mid"
    file.save(path)
    return path


@pytest.mark.parametrize("console", CONSOLES)
def test_inspect_aligns_its_columns_by_the_names_as_printed(console: str, tmp_path: Path) -> None:
    """Under cp1252 `segue inspect` padded a track's name by its letters, and a name whose
    letters the console escapes (日本, 12 characters as ``\\u65e5\\u672c``) pushed that
    line's note count 10 columns right of the others' (helper-263). Each count stands in
    one column, a wide letter counted as the two columns it takes where it is shown."""
    import unicodedata

    file = mido.MidiFile(type=1)
    for i, name in enumerate(("Bass", "日本", "Jörg ♪")):
        track = mido.MidiTrack([mido.MetaMessage("track_name", name="")])
        track[0].name = name.encode("utf-8").decode("latin-1")
        track.append(mido.Message("note_on", note=48 + i * 12, velocity=90, time=0))
        track.append(mido.Message("note_off", note=48 + i * 12, velocity=0, time=480))
        file.tracks.append(track)
    file.save(tmp_path / "names.mid")
    out, _ = segue(console, "inspect", tmp_path / "names.mid")
    lines = [line for line in out.splitlines() if line.startswith("  track")]
    assert len(lines) == 3, out
    wide = [
        sum(
            2 if unicodedata.east_asian_width(c) in "WF" else 1
            for c in line[: line.index(" notes")]
        )
        for line in lines
    ]
    assert wide == [wide[0]] * 3, out


@pytest.mark.parametrize("console", CONSOLES)
def test_inspect_shows_any_file_and_track_name(console: str, named_midi: Path) -> None:
    out, _ = segue(console, "inspect", named_midi)
    assert "track  0" in out and "track  1" in out and "read: 8 notes" in out


@pytest.mark.parametrize("console", CONSOLES)
def test_generate_draws_the_piano_roll_of_a_seed_with_any_name(
    console: str, named_midi: Path, tmp_path: Path
) -> None:
    """In a C locale the seed's name, its bytes kept as surrogates, went into the piano
    roll's title, and matplotlib refused it with a traceback after the takes were written
    (helper-174); a letter its font lacks warned once per letter, on any console."""
    seed = named_midi.with_name("riff é 日本.mid")
    shutil.copy(named_midi, seed)
    out, err = segue(console, "generate", seed, "-o", tmp_path / "next.mid", "--plot", "-n", "1")
    assert (tmp_path / "next.png").stat().st_size > 0 and "piano roll" in out
    assert "Warning" not in err, err


@pytest.mark.parametrize("console", CONSOLES)
def test_models_shows_a_home_with_any_name(console: str, tmp_path: Path) -> None:
    home = tmp_path / "Jörg Müller ✓ 音楽"
    out, _ = segue(console, "models", env={"SEGUE_HOME": str(home)})
    assert "  melody " in out and "the default: auto (" in out
    assert out.splitlines()[-1].startswith("your models: ")


@pytest.mark.parametrize("console", CONSOLES)
def test_corpus_list_shows_every_collection(console: str) -> None:
    out, _ = segue(console, "corpus", "list")
    assert out.splitlines()[-1].split()[0] == "total"


@pytest.fixture(scope="module")
def named_model(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Path:
    """The tiny test model under a name a musician might give it."""
    copy = tmp_path_factory.mktemp("models") / "Jörg’s tiny ✓.pt"
    shutil.copy(models_dir / "tiny.pt", copy)
    return copy


def test_eval_writes_its_report_then_prints_plain_marks(
    named_model: Path, dataset_path: Path, tmp_path: Path
) -> None:
    """The run is never lost to a console that cannot show ✓; the card of `segue models add
    --evaluation` is UTF-8 in an ASCII locale too."""
    report = tmp_path / "Jörg’s report"
    args = ("eval", named_model, dataset_path, *ONE_PIECE, "--pitch-only", "none")
    out, _ = segue("cp1252", *args, "-o", report)
    markdown = (report / "report.md").read_text(encoding="utf-8")
    assert "Jörg’s tiny ✓" in markdown and ("✓" in markdown.split("### T=1")[1])
    tables = out[out.index("Continuation metrics") :]
    assert "✓" not in tables and ("ok" in tables or " x " in tables)
    assert "Jörg’s tiny ok" in out  # the name's own mark, spelt plainly too

    as_json, _ = segue("cp1252", *args, "--json", "-")
    assert json.loads(as_json)["models"][0]["name"] == "Jörg’s tiny ✓"

    models = tmp_path / "installed"
    segue("C", "models", "add", named_model, "--name", "tiny", "--models-dir", models,
          "--evaluation", report)  # fmt: skip
    card = (models / "tiny.md").read_text(encoding="utf-8")
    assert "## Evaluation" in card and ("✓" in card or "✗" in card)


def test_live_continue_shows_clip_names_from_live(
    models_dir: Path, reply_port: int, held_ports: HeldPorts
) -> None:
    """Live's names go through OSC as UTF-8; the clips are written whatever the console."""
    source = FakeClip("Jörg’s riff 🎹", 4.0, riff())
    live_set = keys_set([source, None])

    def start(reply_port: int) -> tuple[str, str] | AssertionError:
        standin.answer_on(reply_port)
        try:
            return segue(
                "cp1252",
                "live", "continue", "--bars", "1", "--model", "tiny", "--models-dir", models_dir,
                "--port", standin.port, "--reply-port", reply_port,
                timeout=120,
            )  # fmt: skip
        except AssertionError as failed:  # its message is segue's stderr
            return failed

    with AbletonOSCStandin(live_set, reply_port) as standin:
        # the subprocess binds the reply port itself: tried again if another socket took it
        said, _ = retry_taken(
            held_ports,
            reply_port,
            start,
            lambda r, port: isinstance(r, AssertionError) and reply_port_taken(str(r), port),
        )
    if isinstance(said, AssertionError):
        raise said
    out, _ = said
    written = live_set.tracks[0].slots[1]
    assert isinstance(written, FakeClip) and written.name == "Jörg’s riff 🎹 segue 1"
    assert "riff" in out


def test_a_path_the_console_cannot_show_is_escaped_never_a_question_mark(tmp_path: Path) -> None:
    """In a C locale a file name's bytes came out as "J??rg" (click wrote an ASCII stream in
    UTF-8 with errors "replace"), and with PYTHONIOENCODING=ascii its letters as UTF-8."""
    taken = tmp_path / "Jörg 音楽" / "next.mid"
    taken.parent.mkdir()
    taken.write_bytes(b"")
    said = {}
    for console, env in (
        ("C", {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}),
        ("ascii", {"PYTHONIOENCODING": "ascii", "PYTHONUTF8": "1"}),
    ):
        base = {k: v for k, v in os.environ.items() if k not in _LOCALE and not k.startswith("LC_")}
        result = subprocess.run(
            [sys.executable, "-m", "segue", "generate", "-o", str(taken)],
            capture_output=True,
            env={**base, **env},
            timeout=120,
        )
        assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr
        said[console] = result.stderr
    # C: the bytes the name came in as go back out as they were, for the terminal to show
    assert "Jörg 音楽".encode() in said["C"] and b"?" not in said["C"]
    # ASCII declared: escaped, readable on any console
    assert b"J\\xf6rg \\u97f3\\u697d" in said["ascii"] and b"?" not in said["ascii"]
    assert all(b < 128 for b in said["ascii"])

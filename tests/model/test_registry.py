"""Installed models: names, and the folders they are found in."""

from __future__ import annotations

import pytest

from segue.errors import SegueError
from segue.model.registry import (
    WINDOWS_DEVICES,
    case_twin,
    check_new_name,
    find_model,
    list_models,
    name_for,
    one_file_there,
)


def test_model_names_never_reach_the_file_system(tmp_path) -> None:
    for bad in ("../secret", "/etc/passwd", "a/b", "", ".hidden"):
        with pytest.raises(SegueError):
            find_model(bad or "x y", tmp_path)
    with pytest.raises(SegueError, match="no model named 'nope'"):
        find_model("nope", tmp_path)


def test_a_name_with_a_newline_at_its_end_is_no_model_name(tmp_path) -> None:
    """A regular expression's ``$`` also matches before a final newline: "probe\\n" was taken
    for a name, and a tuning over the bridge wrote a model file with a newline in its name."""
    for name in ("probe\n", "melody\n"):
        with pytest.raises(SegueError, match="is not a model name"):
            check_new_name(name)
        with pytest.raises(SegueError, match="is not a model name"):
            find_model(name, tmp_path)
    (tmp_path / "odd\n.pt").write_bytes(b"")
    assert [e.name for e in list_models(tmp_path) if e.source == "user"] == []


def test_a_name_with_letters_beyond_ascii_is_refused_as_one_that_is_not_ascii(tmp_path) -> None:
    """`--model Zoë` was "not a model name (letters, digits, '.', '_' and '-')", and ë is a
    letter to a musician (helper-327): the refusal says which letters."""
    for name in ("Zoë", "ベース", "bass🎸"):
        with pytest.raises(SegueError) as refused:
            find_model(name, tmp_path)
        assert str(refused.value) == (
            f"{name!r} is not a model name (ASCII letters (a-z, A-Z), digits, '.', '_' and '-')"
        )


def test_user_models_folder_must_exist(tmp_path) -> None:
    with pytest.raises(SegueError, match="does not exist"):
        list_models(tmp_path / "missing")


@pytest.mark.parametrize("name", ["con", "Nul", "aux.v2", "COM1", "lpt9.final"])
def test_a_name_windows_keeps_for_a_device_cannot_name_a_new_model(name) -> None:
    with pytest.raises(SegueError, match="Windows keeps .* for a device") as refused:
        check_new_name(name)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("name", ["COM0", "lpt0.v2", "COM\u00b9", "lpt\u00b2", "Com\u00b3.x"])
def test_com0_lpt0_and_superscript_ports_are_devices_too(name) -> None:
    """Windows 10 and later keep COM0, LPT0 and COM¹-³, LPT¹-³ for devices as well: `segue
    tune -o com0` was taken, and its com0.pt would be no file there."""
    device = name.split(".")[0].upper()
    assert device in WINDOWS_DEVICES  # the one table (a name outside ASCII is no model name)
    with pytest.raises(SegueError, match="Windows keeps COM|Windows keeps LPT|not a model name"):
        check_new_name(name)


@pytest.mark.parametrize("name", ["auto", "Default"])
def test_names_that_choose_a_model_cannot_name_one(name) -> None:
    """`segue tune -o default` was taken, and the device's Model menu listed "default"
    twice; `-o auto` was refused as "a model bundled with segue"."""
    with pytest.raises(SegueError, match=f"'{name}' cannot name a model: .*; choose another"):
        check_new_name(name)


def test_a_new_name_is_a_name_without_pt() -> None:
    """`models add --name x.pt` installed x.pt.pt."""
    with pytest.raises(SegueError, match=r"name the model without \.pt \('x'\)"):
        check_new_name("x.pt")


@pytest.mark.parametrize("name", ["console", "com10", "auxiliary", "my-nul", "reel.con"])
def test_names_that_only_look_like_devices_are_fine(name) -> None:
    check_new_name(name)


def test_a_run_stopped_in_its_first_epoch_says_how_to_go_on(tmp_path, capsys) -> None:
    """`segue train` stopped before an epoch ended leaves last.pt and no best.pt: naming the
    run folder said only "best.pt: no such model file"."""
    from segue.cli import main
    from segue.model.registry import run_checkpoint

    run = tmp_path / "runs" / "bach"
    run.mkdir(parents=True)
    with pytest.raises(SegueError, match="a folder without best.pt"):
        run_checkpoint(run)
    (run / "last.pt").write_bytes(b"")
    hint = f"{run}: no best.pt yet, as no epoch of its training has finished; carry on with "
    for args in (
        ["generate", "--model", str(run), "-o", str(tmp_path / "x.mid")],
        ["models", "add", str(run), "--name", "bach", "--models-dir", str(tmp_path / "m")],
        ["memory", str(run), str(tmp_path / "data.ds"), "--in-place"],
    ):
        assert main(args) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"segue: error: {hint}`segue train -o {run} --resume`"), args
        assert err.endswith(f"or use {run / 'last.pt'} as it is\n") and err.count("\n") == 1
    (run / "best.pt").write_bytes(b"")
    assert run_checkpoint(run) == run / "best.pt"
    assert run_checkpoint(run / "last.pt") == run / "last.pt"


def test_a_file_named_as_a_model_says_what_a_model_is(tmp_path, monkeypatch) -> None:
    """`--model reel.mid` said "no model named 'reel.mid'"; `serve --model ./x.pt` gave no
    way on."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reel.mid").write_bytes(b"MThd")
    with pytest.raises(SegueError, match="reel.mid is a file, not a model: .*checkpoint"):
        find_model("reel.mid", allow_path=True)
    with pytest.raises(SegueError, match=r"segue models add \./x\.pt --name NAME"):
        find_model("./x.pt")
    with pytest.raises(SegueError, match="no model named 'reel.mid'"):
        find_model("reel.mid")  # a name from the bridge: no look at the bridge's files


def test_a_checkpoint_named_where_a_model_name_belongs_says_how_to_install_it(tmp_path) -> None:
    """`segue serve --model best.pt` in a run folder said "no model named 'best.pt'", where
    `--model run/best.pt` said how to install it: no model's name ends in .pt."""
    for name in ("best.pt", "mine.pt"):
        with pytest.raises(SegueError) as caught:
            find_model(name, tmp_path)
        assert str(caught.value) == (
            f"'{name}' is a file's name, not a model's; install that file with "
            f"`segue models add {name} --name NAME` and use NAME"
        )


def test_an_installed_name_wins_over_a_folder_of_that_name_here(tmp_path, monkeypatch) -> None:
    """In a producer's project that holds ``drums/`` (clips, not a training run), `--model
    drums` and `--from drums` said "drums: a folder without best.pt"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drums").mkdir()
    (tmp_path / "drums" / "groove.mid").write_bytes(b"")
    assert find_model("drums", allow_path=True) == find_model("drums")
    assert find_model("drums", allow_path=True).name == "drums.pt"
    for written in ("./drums", f"drums{'/'}"):  # written as a path: the folder, a run's
        with pytest.raises(SegueError, match="a folder without best.pt"):
            find_model(written, allow_path=True)
    (tmp_path / "myrun").mkdir()  # no model of that name: a run folder, as before
    (tmp_path / "myrun" / "best.pt").write_bytes(b"")
    assert find_model("myrun", allow_path=True).resolve() == tmp_path / "myrun" / "best.pt"


def test_a_suggested_name_is_one_segue_takes_and_hides_or_replaces_nothing(tmp_path) -> None:
    """The listing suggested renaming `drums!.pt` to drums.pt (hiding the bundled drum
    model), `CON!.pt` to CON.pt (which Windows cannot create), `x.pt!.pt` to x.pt.pt, and
    `my bass!.pt` to my-bass.pt, a model already there: renaming replaced it (helper-60)."""
    (tmp_path / "my-bass.pt").write_bytes(b"")
    (tmp_path / "MY-BASS-2.pt").write_bytes(b"")  # taken in any case (macOS, Windows)
    got = {stem: name_for(stem, tmp_path) for stem in ("my bass!", "drums!", "auto!", "CON!")}
    assert got == {"my bass!": "my-bass-3", "drums!": "drums-2", "auto!": "auto-2", "CON!": "CON-2"}
    assert name_for("default ") == "default-2" and name_for("x.pt!") == "x"
    assert name_for("!!!") == "model" and name_for("my model!") == "my-model"
    for name in (*got.values(), name_for("default ")):
        check_new_name(name)


def test_names_one_file_on_macos_and_windows_are_told_as_such(tmp_path) -> None:
    """Bass and bass are two files on Linux and one on macOS and Windows; so are Jörg typed
    in a terminal (NFC) and Jörg named in Finder (NFD)."""
    assert one_file_there("Bass", "bass") and one_file_there("J\u00f6rg", "JO\u0308RG")
    assert not one_file_there("bass", "bass2")
    (tmp_path / "bass.pt").write_bytes(b"")
    (tmp_path / "Bass.md").write_bytes(b"")  # a card alone is no model
    assert case_twin(tmp_path, "BASS") == "bass" and case_twin(tmp_path, "bass") is None
    assert case_twin(tmp_path, "drums") is None and case_twin(tmp_path / "none", "x") is None


def test_a_suggested_name_keeps_accented_letters_as_their_letters() -> None:
    """`Jörg bass.pt` named in Finder (NFD) was told to be Jo-rg-bass, and typed in a
    terminal (NFC) J-rg-bass: one file, two names, neither the musician's."""
    for stem in ("J\u00f6rg bass", "Jo\u0308rg bass"):
        assert name_for(stem) == "Jorg-bass"
    assert name_for("Café ﬁll") == "Cafe-fill" and name_for("ベース") == "model"

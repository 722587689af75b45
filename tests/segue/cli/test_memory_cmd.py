"""`segue memory`: fit a checkpoint's clip memory, to a new file or in place."""

from __future__ import annotations

from tiny_training import one_line_error, same_weights

from segue.model.checkpoint import load_checkpoint
from segue.model.training.run_folder import BEST, LAST


def test_memory_command(segue_main, trained, dataset_path, tmp_path) -> None:
    one_line_error(segue_main("memory", trained.run_dir, dataset_path), "-o OUTPUT or --in-place")
    out = tmp_path / "fitted.pt"
    result = segue_main("memory", trained.run_dir, dataset_path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "nats/note with the network alone" in result.stdout and "| 1+ |" in result.stdout
    assert (
        load_checkpoint(out).config.memory == load_checkpoint(trained.run_dir / BEST).config.memory
    )
    assert same_weights(out, trained.run_dir / BEST)
    one_line_error(
        segue_main("memory", trained.run_dir, dataset_path, "-o", out), "already exists", "--force"
    )
    copy = tmp_path / "copy.pt"
    copy.write_bytes((trained.run_dir / LAST).read_bytes())
    result = segue_main("memory", copy, dataset_path, "--in-place", "--split", "train")
    assert result.returncode == 0, result.stderr
    assert load_checkpoint(copy).info["memory"]["split"] == "train"
    one_line_error(
        segue_main("memory", tmp_path / "nope.pt", dataset_path, "-o", tmp_path / "x"),
        "no such checkpoint",
    )


def test_memory_command_marks_a_drum_model(segue_main, trained, dataset_path, tmp_path) -> None:
    from segue.model.choice import is_drum_model

    plain, drums = tmp_path / "plain.pt", tmp_path / "drums.pt"
    assert segue_main("memory", trained.run_dir, dataset_path, "-o", plain).returncode == 0
    result = segue_main("memory", trained.run_dir, dataset_path, "-o", drums, "--drums")
    assert result.returncode == 0, result.stderr
    assert "marked a drum model" in result.stdout
    home = load_checkpoint(drums).info.get("surprise")  # what `auto` reads: like its own?
    if home is None:
        assert "`auto` will give it any clip" in result.stdout
    else:
        assert "`auto` gives it clips like them" in result.stdout and home["p50"] <= home["p95"]
    assert not is_drum_model(load_checkpoint(plain)) and not load_checkpoint(plain).config.drums
    loaded = load_checkpoint(drums)
    assert is_drum_model(loaded) and loaded.config.drums
    assert same_weights(drums, trained.run_dir / BEST)


def test_memory_command_turns_the_palette_on(segue_main, trained, dataset_path, tmp_path) -> None:
    from segue.model.bundle import model_card

    out = tmp_path / "palette.pt"
    result = segue_main("memory", trained.run_dir, dataset_path, "-o", out, "--palette")
    assert result.returncode == 0, result.stderr
    assert "palette on:" in result.stdout
    loaded = load_checkpoint(out)
    gain = loaded.info["palette"]
    assert loaded.config.palette and gain["split"] == "valid"
    if gain["windows"]:  # the tiny dataset may have no 8-bar window; the card says it anyway
        assert gain["with"] > 0 and gain["without"] > 0
    assert not load_checkpoint(trained.run_dir / BEST).config.palette
    assert same_weights(out, trained.run_dir / BEST)
    card = model_card("p", "a test", loaded.info, out.stat().st_size)
    assert "## The palette" in card


def test_a_bundled_model_is_never_rewritten_in_place(segue_main, dataset_path) -> None:
    """`segue memory model/defaults/melody.pt DATA --in-place` rewrote the bundled model."""
    from segue.model.registry import find_model

    bundled = find_model("melody")
    before = bundled.read_bytes()
    one_line_error(
        segue_main("memory", bundled, dataset_path, "--in-place"),
        "bundled with segue",
        "-o",
    )
    assert bundled.read_bytes() == before


def test_an_installed_model_is_named_as_generate_names_it(segue_main, dataset_path) -> None:
    """`segue memory mybass DATA` said "no such checkpoint file" of a model that `segue
    models` lists and generate takes by name (helper-50)."""
    from segue.model.registry import find_model

    bundled = find_model("melody")
    before = bundled.read_bytes()
    one_line_error(segue_main("memory", "melody", dataset_path, "--in-place"), "bundled with segue")
    assert bundled.read_bytes() == before
    one_line_error(segue_main("memory", "nosuch", dataset_path, "--in-place"), "no model named")

"""Installing a model: its card written from what its checkpoint records, and its weights
never left without their card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from segue.errors import SegueError
from segue.model import bundle
from segue.model.bundle import install_model, model_card, read_evaluation
from segue.model.checkpoint import load_checkpoint
from segue.model.registry import list_models


@pytest.mark.parametrize("name", ["melody", "polyphonic", "producer", "drums"])
def test_a_bundled_models_card_is_what_its_checkpoint_records(name: str) -> None:
    """The card cannot drift from its weights: all before the evaluation is model_card's."""
    entry = next(e for e in list_models(None) if e.name == name)
    info = load_checkpoint(entry.path).info
    written = model_card(
        name, info["summary"], info, entry.path.stat().st_size, info.get("data_note", "")
    )
    card = entry.path.with_suffix(".md").read_text(encoding="utf-8")
    assert card.startswith(written) and written.startswith(f"# {name}\n")
    assert card[len(written) :].lstrip().startswith("## Evaluation (`segue eval`)")


def test_install_writes_half_size_weights_and_a_card(models_dir: Path, tmp_path: Path) -> None:
    source = models_dir / "tiny.pt"
    out, card = install_model(source, "mine", tmp_path / "models", "Mine: a test")
    assert out == tmp_path / "models" / "mine.pt" and card == out.with_suffix(".md")
    assert out.stat().st_size < source.stat().st_size  # float16
    assert card.read_text(encoding="utf-8").startswith("# mine\n\nMine: a test\n")
    assert load_checkpoint(out).info["summary"] == "Mine: a test"
    with pytest.raises(SegueError, match="already exists; choose another name or use --force"):
        install_model(source, "mine", tmp_path / "models", "again")
    install_model(out, "mine", tmp_path / "models", "", force=True)  # keeps its summary
    assert load_checkpoint(out).info["summary"] == "Mine: a test"
    with pytest.raises(SegueError, match="'../up' is not a model name"):
        install_model(source, "../up", tmp_path / "models", "")


def test_a_name_that_differs_from_a_model_there_only_in_case_is_refused(
    models_dir: Path, tmp_path: Path
) -> None:
    """`models add --name Bass` beside bass.pt wrote a second model on Linux; on macOS and
    Windows Bass.pt is bass.pt, and `--force` replaced that model as if it were another's."""
    source, folder = models_dir / "tiny.pt", tmp_path / "models"
    out = install_model(source, "bass", folder, "the first")[0]
    only_case = "'Bass' differs from your model 'bass' only in case"
    for force, way in ((False, r"choose another name\Z"), (True, r"replace it \(--name bass -")):
        with pytest.raises(SegueError, match=f"{only_case}.*{way}"):
            install_model(source, "Bass", folder, "the second", force=force)
    assert sorted(p.name for p in folder.iterdir()) == ["bass.md", "bass.pt"]
    assert load_checkpoint(out).info["summary"] == "the first"
    install_model(source, "bass", folder, "again", force=True)  # its own name, as asked


def test_an_evaluation_must_be_a_report_of_segue_eval(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"kind": "something else"}), encoding="utf-8")
    with pytest.raises(SegueError, match="is not a report written by `segue eval`"):
        read_evaluation(other)
    with pytest.raises(SegueError, match="cannot read an evaluation report"):
        read_evaluation(tmp_path)  # a folder without report.json


def test_a_wrong_evaluation_says_which_folder_to_give(tmp_path: Path) -> None:
    """--evaluation with a folder that holds no report, or a MIDI file given for the report's
    folder: the line said Python's own words ("[Errno 2] No such file or directory", "'utf-8'
    codec can't decode byte 0xe0"), not what to give."""
    from segue.midi_io import write_midi
    from segue.notes import Clip, Note

    song = tmp_path / "song.mid"
    write_midi(Clip((Note(60, 0, 1),), 4.0), song)
    for given in (tmp_path, song, tmp_path / "nowhere"):
        with pytest.raises(SegueError) as caught:
            read_evaluation(given)
        said = str(caught.value)
        assert "give the folder that `segue eval -o REPORT_DIR` wrote" in said, said
        assert "Errno" not in said and "codec" not in said, said


def test_a_report_of_another_model_is_refused_for_the_card(models_dir: Path, tmp_path: Path):
    """`models add --evaluation` put a 2x256 drum model's scores on a 2x64 melodic model's
    card: a report whose evaluated model is neither this file nor of its shape is refused."""
    from segue.model.evaluation.folder import REPORT_JSON
    from segue.model.evaluation.report import REPORT_KIND

    def report(path: Path, description: str) -> Path:
        folder = tmp_path / f"report-{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        evaluated = {"name": "x", "kind": "segue", "description": description, "path": str(path)}
        (folder / REPORT_JSON).write_text(
            json.dumps({"kind": REPORT_KIND, "models": [evaluated]}), encoding="utf-8"
        )
        return folder

    tiny = models_dir / "tiny.pt"
    config = load_checkpoint(tiny).config
    shape = f"segue LSTM {config.layers}x{config.hidden}, chained heads"
    other = report(Path("/elsewhere/drums.pt"), "segue LSTM 2x256, chained heads, bar position")
    with pytest.raises(SegueError, match="this report evaluated /elsewhere/drums.pt .* not "):
        install_model(tiny, "mine", tmp_path / "models", "x", evaluation=other)
    assert not (tmp_path / "models" / "mine.pt").exists()
    loaded = load_checkpoint(tiny)
    moved = report(Path("/another/computer/tiny.pt"), shape)  # its shape: taken as its own
    bundle._check_evaluated(read_evaluation(moved), tiny, loaded, moved)
    itself = report(tiny, "segue LSTM 9x9")  # the same file, whatever its words say
    bundle._check_evaluated(read_evaluation(itself), tiny, loaded, itself)


def test_a_card_that_cannot_be_written_takes_the_new_weights_with_it(
    models_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    installed = tmp_path / "installed"
    installed.mkdir()

    def full_disk(path: Path, write: object) -> Path:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(bundle, "write_file_atomically", full_disk)
        with pytest.raises(OSError, match="No space left"):
            install_model(models_dir / "tiny.pt", "mine", installed, "a summary")
    assert list(installed.iterdir()) == []  # so that trying again is not refused
    pt, card = install_model(models_dir / "tiny.pt", "mine", installed, "Jörg’s ✓ model")
    assert card.read_text(encoding="utf-8").startswith("# mine\n\nJörg’s ✓ model\n")
    assert pt.exists()


def test_a_card_names_the_memory_views_and_the_loss_without_them() -> None:
    memory = {
        "notes": 100,
        "nats_before": 2.0,
        "nats_after": 1.5,
        "per_bucket": [[1, 100, 0.5, 2.0, 1.5]],
        "views": {"rhythm": [0.25] * 9},
        "nats_without_views": 1.6,
    }
    card = model_card("tuned", "a test", {"memory": memory}, 1000)
    assert "views" in card and "rhythm 0.25" in card and "Without them: 1.600" in card
    assert "views" not in model_card("plain", "a test", {"memory": {**memory, "views": {}}}, 1)


def test_a_card_says_the_split_and_command_its_memory_and_loop_were_fitted_with() -> None:
    """Every card said "the validation split" whatever `segue memory --split` had used."""
    entry = next(e for e in list_models(None) if e.name == "producer")
    info = load_checkpoint(entry.path).info
    assert info["memory"]["split"] == info["loop"]["split"] == "valid"

    def card(split: str) -> str:
        fitted = {k: {**info[k], "split": split} for k in ("memory", "loop")}
        return model_card("m", "a test", {**info, **fitted}, 1)

    assert "Fitted on the validation split (`segue memory`):" in card("valid")
    assert "windows of the validation split (`segue memory --loop`: 4 bars" in card("valid")
    train = card("train")
    assert "Fitted on the training split (`segue memory --split train`):" in train
    assert "windows of the training split (`segue memory --loop --split train`: 4 bars" in train
    assert "validation split" not in train
    assert "Fitted on the held-out pieces:" in card("held out")


def test_a_tuned_model_added_again_keeps_its_tuning_s_card(
    models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`segue models add` of a tuned model wrote a trained run's card from a record it has
    not: "LSTM None x None ... Best epoch None". Its tuning's card is rebuilt from the record
    its checkpoint keeps, with the network from the checkpoint's own configuration."""
    from segue.model.likelihood import MemoryFit
    from segue.model.tuning.install import Card, install_tuned

    monkeypatch.setenv("SEGUE_HOME", str(tmp_path / "home"))
    fit = MemoryFit((0.0, 0.5), 62, 4.267, 4.08, ((1, 13, 0.0, 3.0, 3.0),), 0.25)
    tuned = Card(
        "same",
        "tiny",
        ("clips/",),
        {"pieces": 9, "notes": 500, "held_out_pieces": 2, "held_out_notes": 62},
        4.5,
        3.25,
        12.0,
        40,
        "early-stopped",
        fit.summary(),
        toward_base=0.3,
    )
    model = load_checkpoint(models_dir / "tiny.pt").model
    path, own_card = install_tuned(model, tuned, {"memory": fit.to_info(split="held out")})
    out, card = install_model(path, "copy", tmp_path / "models", "")
    text = card.read_text(encoding="utf-8")
    assert "None" not in text and "Best epoch" not in text
    assert text.startswith(own_card.read_text(encoding="utf-8").replace("# same", "# copy"))
    config = load_checkpoint(out).config
    parameters = sum(p.numel() for p in model.parameters())
    assert (
        f"## Model\n\nLSTM {config.layers} x {config.hidden}, embeddings {config.embed}, "
        f"dropout {config.dropout:g}, heads chained"
        in text
        and f"; {parameters:,} parameters" in text
    )
    assert load_checkpoint(out).info["summary"] == tuned.line()
    # a summary of one's own and a data note are said on the card too
    again = install_model(out, "copy", tmp_path / "models", "For gigs", "Mine.", force=True)[1]
    assert "## Notes\n\nFor gigs\nMine.\n" in again.read_text(encoding="utf-8")

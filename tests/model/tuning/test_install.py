"""Installing a tuned model: names checked, weights and card written into the user folder."""

from __future__ import annotations

import pytest
from tuning_material import own_home  # noqa: F401 (a fixture)

from segue.errors import SegueError
from segue.home import user_models_dir
from segue.model.checkpoint import load_checkpoint
from segue.model.tuning.install import Card, NameTaken, install_tuned, lineage_of, tuned_paths

CARD = Card(
    "mine",
    "tiny",
    ("clips/",),
    {"pieces": 9, "notes": 500, "held_out_pieces": 2, "held_out_notes": 100},
    4.5,
    3.25,
    12.0,
    40,
    "early-stopped",
    "100 notes: ...",
)


def test_a_tuned_model_is_written_with_its_card_and_a_name_taken_is_refused(models_dir):
    model = load_checkpoint(models_dir / "tiny.pt").model
    path, card = install_tuned(model, CARD, {"memory": {}})
    assert path == user_models_dir() / "mine.pt" and card.exists()
    info = load_checkpoint(path).info
    assert info["tuned"]["held_out_after"] == 3.25
    assert CARD.summary() == "tiny tuned on 11 pieces of your own"  # held out ones too
    # what `segue models` lists: where from and what it gained, so that tunings tell apart
    assert (
        info["summary"]
        == "tiny tuned on 11 pieces of your own from clips, held-out loss 4.50 -> 3.25"
    )
    text = card.read_text(encoding="utf-8")
    assert (
        "4.500 before, 3.250 after" in text
        and "`clips/`" in text
        and "| pieces tuned on | 9 |" in text
    )
    with pytest.raises(NameTaken, match="already installed"):
        install_tuned(model, CARD, {})
    assert install_tuned(model, CARD, {}, replace=True)[0] == path


def test_a_card_says_when_its_clip_memory_was_not_refitted():
    """A tuning stopped during its refit keeps the model installed before it, with its
    base's clip memory: its card, its line in the model list and its record say so (and a
    card rebuilt from the record still does); a record from before says nothing of it."""
    from dataclasses import replace

    from segue.model.tuning.install import UNREFITTED

    first = replace(CARD, memory="", refitted=False)
    assert f"Clip memory: {UNREFITTED}." in first.markdown()
    assert "refitted on the held-out pieces:" not in first.markdown()
    assert first.line().endswith("held-out loss 4.50 -> 3.25 (clip memory not refitted)")
    assert first.to_info()["refitted"] is False
    assert Card.from_info("mine", first.to_info()) == first
    assert "refitted" not in CARD.to_info()  # records before it read as refitted
    assert Card.from_info("mine", CARD.to_info(), CARD.memory).refitted
    assert "Clip memory refitted on the held-out pieces: 100 notes" in CARD.markdown()


@pytest.mark.parametrize("name", ["melody", "producer", "MELODY", "Producer"])
def test_bundled_names_are_never_taken(name):
    """In any case: on macOS and Windows a user's MELODY.pt is found as melody (the test of
    the upper-case names failed on Linux before)."""
    with pytest.raises(NameTaken, match="a model bundled with segue; choose another name"):
        tuned_paths(name, replace=True)


@pytest.mark.parametrize("name", ["auto", "AUTO", "default"])
def test_names_that_choose_a_model_are_never_taken_and_say_why(name):
    with pytest.raises(SegueError, match=f"'{name}' cannot name a model: .*; choose another"):
        tuned_paths(name, replace=True)


@pytest.mark.parametrize("name", ["../x", "a/b", "", ".hidden", "x" * 65])
def test_a_name_is_a_name_not_a_path(name):
    with pytest.raises(SegueError, match="is not a model name"):
        tuned_paths(name)


def test_the_card_says_how_far_back_towards_the_base_the_weights_were_moved() -> None:
    from dataclasses import replace

    assert "way back" not in CARD.markdown()
    moved = replace(CARD, toward_base=0.1)
    assert "3.250 after, with the weights moved 10% of the way back to the base's." in (
        moved.markdown().replace("\n", " ")
    )
    assert moved.to_info()["toward_base"] == 0.1
    assert "From `tiny`: 40 steps in 12 s" in CARD.markdown()
    assert "From `tiny`: 1 step in 12 s" in replace(CARD, steps=1).markdown()


def test_a_device_name_of_windows_is_refused_before_any_work() -> None:
    with pytest.raises(SegueError, match="Windows keeps AUX for a device"):
        tuned_paths("aux")


def test_a_models_folder_that_cannot_be_written_is_said_before_the_tuning(
    tmp_path, monkeypatch
) -> None:
    """`segue tune` tuned for its whole budget, then could not install the model."""
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("SEGUE_HOME", str(tmp_path / "file" / "home"))
    with pytest.raises(SegueError, match="is a file, not a folder"):
        tuned_paths("mine")


def test_a_card_that_cannot_be_written_leaves_the_model_it_was_to_replace_as_it_was(
    models_dir, monkeypatch
) -> None:
    """The weights were written before the card: when the card failed (a full disk, a name
    UTF-8 cannot write), a --replace left the new weights under the old card."""
    from dataclasses import replace

    model = load_checkpoint(models_dir / "tiny.pt").model
    path, card = install_tuned(model, replace(CARD, name="ours"), {"memory": {}})
    before = path.read_bytes(), card.read_bytes()

    def full_disk(self: Card) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Card, "markdown", full_disk)
    with pytest.raises(OSError, match="No space left"):
        install_tuned(model, replace(CARD, name="ours", base="other"), {}, replace=True)
    assert (path.read_bytes(), card.read_bytes()) == before
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".")]
    with pytest.raises(OSError, match="No space left"):  # a new name: nothing at all
        install_tuned(model, replace(CARD, name="other"), {})
    assert not (path.parent / "other.pt").exists()
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".")]


def test_a_name_that_differs_from_one_of_yours_only_in_case_is_refused(models_dir) -> None:
    """`-o DAW1` beside daw1 installed a second model on Linux, where macOS and Windows have
    one file for both names (and a models folder moves between them)."""
    from dataclasses import replace

    model = load_checkpoint(models_dir / "tiny.pt").model
    install_tuned(model, replace(CARD, name="daw1"), {})
    for replacing in (False, True):
        with pytest.raises(NameTaken, match="'DAW1' differs from your model 'daw1' only in case"):
            tuned_paths("DAW1", replace=replacing)
    assert tuned_paths("daw1", replace=True)[0].name == "daw1.pt"


def test_a_file_of_the_musician_s_own_named_as_the_card_is_kept(tmp_path, monkeypatch) -> None:
    """NAME.md with no NAME.pt beside it (notes of one's own, or a card kept after deleting
    the weights) was overwritten by tune and models add without a word (helper-50)."""
    from segue.errors import SegueError
    from segue.model.bundle import install_model
    from segue.model.registry import stray_card

    monkeypatch.setenv("SEGUE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "home" / "models"
    folder.mkdir(parents=True)
    (folder / "gig.md").write_text("my notes: keep\n", encoding="utf-8")
    with pytest.raises(NameTaken, match="gig.md is in your models folder without a model"):
        tuned_paths("gig")
    assert tuned_paths("gig", replace=True)[0] == folder / "gig.pt"
    with pytest.raises(SegueError, match="without a model beside it"):
        stray_card(folder / "gig.md", folder / "gig.pt", "--force")
    with pytest.raises(SegueError, match="without a model beside it"):
        install_model(tmp_path / "nothing.pt", "gig", folder, "")
    assert (folder / "gig.md").read_text(encoding="utf-8") == "my notes: keep\n"


def test_a_model_tuned_from_a_tuned_one_keeps_its_lineage_and_names_its_root() -> None:
    """`segue tune SRC -o mine --from mine --replace` wrote base "mine" and dropped the
    earlier tuning's record: the bundled model and the earlier material were lost."""
    from dataclasses import replace

    from segue.model.tuning.install import lineage_of

    first = replace(CARD, date="2026-01-02").to_info()
    old = {k: v for k, v in first.items() if k not in ("lineage", "date")}  # before lineages
    for earlier in (first, old):
        again = replace(CARD, base="mine", sources=("more/",), lineage=lineage_of(earlier))
        assert again.root == "tiny" and again.lineage[0]["sources"] == ["clips/"]
        assert again.summary() == "tiny tuned twice, last on 11 pieces of your own"
        assert again.line().startswith("tiny tuned twice, last on 11 pieces of your own from more")
        text = again.markdown()
        assert "## Lineage\n\n`tiny` tuned twice, oldest first" in text
        assert "| 1 | `tiny` | `clips/` | 9 (2) | 500 | 4.500 -> 3.250 |" in text
        assert "| 2 | `mine` | `more/` | 9 (2) | 500 | 4.500 -> 3.250 |" in text
        third = replace(again, lineage=lineage_of(again.to_info()))  # and again: oldest first
        assert [r["base"] for r in third.lineage] == ["tiny", "mine"]
        assert third.summary().startswith("tiny tuned 3 times")
        assert Card.from_info("mine", third.to_info(), CARD.memory) == third  # as recorded
    assert "| 2026-01-02 |" in replace(CARD, lineage=lineage_of(first)).markdown()
    assert lineage_of(None) == () and "Lineage" not in CARD.markdown()


def test_a_card_says_one_held_out_loss_in_its_text_and_its_lineage() -> None:
    """A loss of 2.00049 was stored at 4 digits (2.0005): the card's text said 2.000, its
    Lineage row, rebuilt from the record, 2.001 (helper-60)."""
    from dataclasses import replace

    card = replace(CARD, before=2.00049, after=2.00049)
    again = replace(card, lineage=lineage_of(card.to_info()))
    rows = [line for line in again.markdown().splitlines() if "->" in line and "|" in line]
    assert rows and all("2.000 -> 2.000" in row for row in rows), rows


def test_a_card_says_the_time_budget_and_a_run_past_it() -> None:
    """A tuning of 2 steps in 3 s under load said "until the time budget was spent", of a
    budget it did not name and its steps overran (helper-122): the card says what happened."""
    from dataclasses import replace

    slow = replace(CARD, status="time", steps=2, seconds=3.2, budget=1.0)
    assert (
        "From `tiny`: 2 steps in 3 s, until its time budget of 1 s was spent, the steps "
        "running 2 s past it (a busy computer).\n" in slow.markdown()
    )
    spent = replace(CARD, status="time", seconds=60.3, budget=60.0)
    assert "40 steps in 60 s, until its time budget of 60 s was spent.\n" in spent.markdown()
    assert Card.from_info("mine", slow.to_info()).budget == 1.0
    old = {k: v for k, v in slow.to_info().items() if k != "budget"}  # recorded before it
    assert "until the time budget was spent." in Card.from_info("mine", old).markdown()


STOPPED_BETWEEN = """
import os, signal, sys
from dataclasses import replace
from pathlib import Path
from segue.model.checkpoint import load_checkpoint
from segue.model.tuning import install
from segue.model.tuning.install import Card

CARD = {card!r}
model = load_checkpoint(Path({models!r}) / "tiny.pt").model
install.install_tuned(model, replace(CARD, memory="", refitted=False), {{}})  # before the refit
real = install.replace_file

def stopped_there(tmp, out, platform=None):  # the refitted weights in place, not the card
    os.kill(os.getpid(), signal.{signal})
    real(tmp, out, platform)

install.replace_file = stopped_there
install.install_tuned(model, CARD, {{"memory": {{}}}}, replace=True)  # after it
"""
"""A tuning's two installs (before and after the refit) in a process that is sent a signal
between the refitted weights' rename and their card's."""


def _stopped_between(models_dir, name: str) -> int:
    import signal
    import subprocess
    import sys

    script = STOPPED_BETWEEN.format(card=CARD, models=str(models_dir), signal=name)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == -getattr(signal, name), done.stderr
    return done.returncode


def _agree(folder) -> None:
    """The card says what the checkpoint records: its clip memory refitted."""
    from segue.model.tuning.install import UNREFITTED

    text = (folder / "mine.md").read_text(encoding="utf-8")
    assert "refitted" not in load_checkpoint(folder / "mine.pt").info["tuned"]  # refitted
    assert UNREFITTED not in text and "Clip memory refitted on the held-out pieces" in text
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_stop_between_the_weights_and_their_card_waits_for_the_card(models_dir) -> None:
    """A bridge ending its Learn (SIGTERM) just after the refitted weights took their place
    left the card of the model before the refit: "not refitted", the checkpoint's record
    saying refitted. The stop now acts once the card is in place too."""
    folder = user_models_dir()
    for stale in folder.glob("mine.*"):
        stale.unlink()
    _stopped_between(models_dir, "SIGTERM")
    _agree(folder)


def _killed_between(models_dir):
    """The user models folder after a tuning's install killed between its weights' rename
    and its card's (kill -9: no signal waits), 10 minutes on: its card left under its
    temporary name, newer than the card before it and older than the weights."""
    import os
    import sys
    import time

    if sys.platform == "win32":
        pytest.skip("SIGKILL is POSIX's (Windows' TerminateProcess ends as it does)")
    from segue.leftovers import UNTOUCHED

    folder = user_models_dir()
    for stale in [*folder.glob("mine.*"), *folder.glob("added.*")]:
        stale.unlink()
    _stopped_between(models_dir, "SIGKILL")
    (left,) = [p for p in folder.iterdir() if p.name.startswith(".mine.md.")]
    then = time.time() - UNTOUCHED - 60  # the killed process's: long untouched
    os.utime(left, (then, then))
    os.utime(folder / "mine.md", (then - 1, then - 1))  # the card before it: older still
    return folder


def test_a_card_left_by_a_killed_install_is_put_in_its_place_by_the_next(models_dir) -> None:
    """Killed there (kill -9, a power cut: no signal waits), the install leaves the new card
    under its temporary name; the next install into the folder puts it in its place, as the
    weights it describes are in theirs (they are newer than it)."""
    from dataclasses import replace

    folder = _killed_between(models_dir)
    model = load_checkpoint(models_dir / "tiny.pt").model
    install_tuned(model, replace(CARD, name="other"), {}, replace=True)
    _agree(folder)


def test_a_card_left_by_a_killed_install_is_put_in_its_place_by_models_add(models_dir) -> None:
    """`segue models add` into the models folder after a killed tuning's install swept the
    card it had left (the sweep of any write into a folder), before a tuning's install could
    put it in its place: the refitted weights kept the card of the model before the refit,
    "not refitted", for ever. An install of either kind now puts it in its place first."""
    from segue.model.bundle import install_model

    folder = _killed_between(models_dir)
    install_model(models_dir / "tiny.pt", "added", folder, "added: a test")
    _agree(folder)


def test_a_card_left_by_an_install_killed_before_a_later_one_is_never_put_in_its_place(
    models_dir,
) -> None:
    """An install killed before its weights took their place (while they were written) left
    its card under its temporary name; a Learn of the same name again within 10 minutes
    installed weights and card whole. Both newer than the card left, the install after that
    put the killed one's card in place of the whole one: weights and card of two tunings."""
    import os
    import subprocess
    import sys
    import time
    from dataclasses import replace

    from segue.leftovers import UNTOUCHED

    folder = user_models_dir()
    for stale in folder.glob("mine.*"):
        stale.unlink()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    folder.mkdir(parents=True, exist_ok=True)
    left = folder / f".mine.md.segue-{gone.pid}.tmp"  # the killed install's card
    left.write_text("# mine\n\nthe killed tuning's card\n", encoding="utf-8")
    model = load_checkpoint(models_dir / "tiny.pt").model
    install_tuned(model, CARD, {"memory": {}}, replace=True)  # the Learn again: whole
    whole = (folder / "mine.md").read_text(encoding="utf-8")
    then = time.time() - UNTOUCHED - 60  # 10 minutes on: the card left is long untouched
    os.utime(left, (then, then))
    later = time.time()  # the whole weights and card are newer than it, as they were written
    for whole_one in (folder / "mine.pt", folder / "mine.md"):
        os.utime(whole_one, (later, later))
    install_tuned(model, replace(CARD, name="other"), {}, replace=True)  # a later install
    assert (folder / "mine.md").read_text(encoding="utf-8") == whole
    assert not left.exists()

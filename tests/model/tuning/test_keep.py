"""The installed model of a name, scored against a tuning cut short (``--replace``)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from tuning_material import QUICK, own_home, write_riffs  # noqa: F401 (own_home: a fixture)

from segue.home import user_models_dir
from segue.model.tuning.fit import Tuned
from segue.model.tuning.keep import CUT_SHORT, installed_loss, kept_line
from segue.model.tuning.material import Piece, read_sources
from segue.model.tuning.tune import tune


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> tuple[Piece, ...]:
    """Riffs the models below are scored on."""
    folder = tmp_path_factory.mktemp("held")
    write_riffs(folder, 4, first=50)
    return read_sources([folder]).pieces


def _install(source: Path, name: str) -> None:
    user_models_dir().mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, user_models_dir() / f"{name}.pt")


def test_a_name_with_no_model_installed_scores_none(held) -> None:
    assert installed_loss("nobody-here", held, QUICK, drums=False) is None


def test_the_installed_model_is_scored_on_the_held_out_pieces_as_a_tuning_scores_itself(
    held, models_dir, tmp_path
) -> None:
    """The untrained tiny model, installed as "plain", scores worse on riffs than one tuned
    on riffs of the same style: the score is the model's on those pieces, not a constant."""
    _install(models_dir / "tiny.pt", "plain")
    riffs = tmp_path / "riffs"
    write_riffs(riffs, 10)
    tune(read_sources([riffs]), "riffy", "tiny", QUICK, models_dir=models_dir)
    plain = installed_loss("plain", held, QUICK, drums=False)
    riffy = installed_loss("riffy", held, QUICK, drums=False)
    assert plain is not None and riffy is not None
    assert math.isfinite(plain) and math.isfinite(riffy)
    assert riffy < plain - 0.5, (riffy, plain)


def test_a_model_of_the_other_kind_or_unreadable_is_not_kept(held, models_dir) -> None:
    """A melodic model is no rival to a drum tuning of the same name, and a file that does
    not load is replaced: both score None."""
    _install(models_dir / "tiny.pt", "melodic")
    assert installed_loss("melodic", held, QUICK, drums=True) is None
    (user_models_dir() / "broken.pt").write_bytes(b"not a checkpoint")
    assert installed_loss("broken", held, QUICK, drums=False) is None


def test_the_kept_line_says_both_losses_and_how_the_tuning_ended(tiny) -> None:
    assert CUT_SHORT == ("stopped", "time")  # a tuning that stopped improving replaces
    stopped = Tuned(tiny, 6.0, 5.5, 1, 3.2, "stopped")
    line = kept_line("mine", 4.2381, stopped, 60.0)
    assert line == (
        "kept the installed mine: its held-out loss 4.238 nats/note is lower than this "
        "tuning's 5.500 (1 step in 3 s, stopped); mine was not replaced (tune longer to pass it)"
    )
    timed = Tuned(tiny, 6.0, 5.0, 27, 3.0, "time")
    assert "(27 steps in 3 s, its time budget of 2.5 s spent)" in kept_line("m", 4.0, timed, 2.5)

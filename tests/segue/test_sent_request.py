"""segue.sent_request: what `segue send` asks a bridge, checked before anything is sent,
and the lines it says before it asks."""

from __future__ import annotations

import pytest

from segue.errors import SegueError
from segue.model.settings import DRAWN_SEEDS
from segue.sent_request import before_sending, drum_part_params, sent_params

UNSENT = {"bars": None, "beats": None, "temperature": None, "key": None, "polyphony": None}


def test_only_the_options_given_are_sent_with_the_model_named() -> None:
    given = {**UNSENT, "bars": 8, "temperature": 0.9}
    assert sent_params(given, None, None) == {"bars": 8, "temperature": 0.9}
    assert sent_params(given, "melody", 1.0) == {"bars": 8, "temperature": 0.9, "model": "melody"}


def test_options_are_checked_as_generate_checks_them() -> None:
    with pytest.raises(SegueError, match="--bars must be between"):
        sent_params({**UNSENT, "bars": 0}, None, None)  # the bridge's "not in use"
    with pytest.raises(SegueError, match="cannot go through the bridge"):
        sent_params({**UNSENT, "rng_seed": DRAWN_SEEDS}, None, None)
    with pytest.raises(SegueError, match="--downbeat must be a finite number"):
        sent_params({**UNSENT, "bars": 0}, None, float("nan"))  # the downbeat is said first


def test_a_drum_part_asks_for_drums_and_auto_unless_a_model_is_named() -> None:
    params = {"bars": 8}
    assert drum_part_params(params, False, None) == params
    assert drum_part_params(params, True, None) == {"bars": 8, "drums": 1, "model": "auto"}
    named = {"bars": 8, "model": "mine"}
    assert drum_part_params(named, True, "mine") == {"bars": 8, "model": "mine", "drums": 1}


def test_before_sending_says_same_takes_then_melodic_options_for_a_drum_model() -> None:
    polyphony = {**UNSENT, "polyphony": 1}
    assert list(before_sending("same", polyphony, False, None)) == ["same"]
    said = list(before_sending("same", polyphony, True, None))
    assert said[0] == "same" and len(said) == 2 and "--polyphony" in said[1]
    assert len(list(before_sending(None, polyphony, False, "drums"))) == 1
    lines = before_sending("same", {**UNSENT, "key": "H#"}, True, None)
    assert next(lines) == "same"  # said before a bad key is refused
    with pytest.raises(SegueError):
        next(lines)

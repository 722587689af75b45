"""Evaluation settings: temperatures parsed and sorted, bad settings refused."""

from __future__ import annotations

import pytest

from segue.errors import SegueError
from segue.model.evaluation.settings import EvalSettings, parse_temperatures, temperature_key


def test_settings() -> None:
    assert parse_temperatures("0, 0.8,1.2") == (0.0, 0.8, 1.2)
    with pytest.raises(SegueError):
        parse_temperatures("warm")
    settings = EvalSettings(temperatures=(1.2, 0.0), recommended_temperature=0.9).validated()
    assert settings.temperatures == (0.0, 0.9, 1.2)
    with pytest.raises(SegueError, match="samples"):
        EvalSettings(samples=0).validated()
    assert [temperature_key(t) for t in settings.temperatures] == ["0", "0.9", "1.2"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"top_p": 0.0}, "top_p must be between 0.01 and 1"),
        ({"memory": 5.0}, "memory must be between 0 and 4"),
        ({"bars": 100.0}, "bars must be between 0.25 and 64"),
        ({"rng_seed": -1}, "rng_seed must be between 0"),
        ({"temperatures": (0.0, 6.0)}, "temperature must be between 0 and 5"),
        ({"recommended_temperature": float("nan")}, "temperature must be a finite number"),
    ],
)
def test_the_generation_settings_are_checked_against_the_settings_table(bad, message) -> None:
    with pytest.raises(SegueError, match=message):
        EvalSettings(**bad).validated()

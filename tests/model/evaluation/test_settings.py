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

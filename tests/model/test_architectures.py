"""The table of architectures: every entry builds, an unknown name is one clear line."""

from __future__ import annotations

import pytest

from segue.model.architecture import ModelConfig
from segue.model.architectures import ARCHITECTURES, UnknownArchitecture, build_network


@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_every_architecture_builds_from_a_config(name: str) -> None:
    config = ModelConfig(hidden=16, embed=8, layers=1, architecture=name)
    network = build_network(config)
    assert type(network) is ARCHITECTURES[name] and network.config == config


def test_an_unknown_architecture_names_the_known_ones() -> None:
    with pytest.raises(UnknownArchitecture) as caught:
        build_network(ModelConfig(architecture="mamba"))
    assert str(caught.value) == "unknown architecture 'mamba'; this segue knows lstm"

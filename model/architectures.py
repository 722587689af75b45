"""The networks segue can build, by the name a checkpoint's configuration gives.

A new network is a :class:`segue.model.architecture.Network` in a file of its
own and one line in :data:`ARCHITECTURES`; training, checkpoints, likelihood and
generation then work with it unchanged.
"""

from __future__ import annotations

from segue.errors import SegueError
from segue.model.architecture import ModelConfig, Network
from segue.model.lstm import SegueLSTM

ARCHITECTURES: dict[str, type[Network]] = {
    "lstm": SegueLSTM,
}


class UnknownArchitecture(SegueError):
    """A network's name that is not in :data:`ARCHITECTURES`."""


def check_architecture(name: str) -> None:
    """Raise :class:`UnknownArchitecture` unless ``name`` is in :data:`ARCHITECTURES`."""
    if name not in ARCHITECTURES:
        raise UnknownArchitecture(
            f"unknown architecture {name!r}; this segue knows {', '.join(ARCHITECTURES)}"
        )


def build_network(config: ModelConfig) -> Network:
    """A new network of ``config.architecture`` with ``config``'s sizes (random weights)."""
    check_architecture(config.architecture)
    return ARCHITECTURES[config.architecture](config)

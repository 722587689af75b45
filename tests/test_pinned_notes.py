"""Behaviour stays: fixed requests give exactly the notes they gave when this file was written.

Each request below ran against the bundled models before the renovation of issue #13,
and its notes (pitch, start, duration, velocity of every variation) were hashed. The
same request must give the same hash through the Python API, the command line and the
bridge (each names its model: the default, auto, chooses one per clip). A hash that
changes means the notes a musician gets for a given rng seed have changed: that is
only right when a change means to change the music, and then the new hashes are
written here with the reason in the commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pytest

from segue.midi_io import read_midi
from segue.notes import Clip, Note, TimeSignature

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"


def notes_hash(clips: Iterable[Iterable[Note]]) -> str:
    """A short hash of the notes of several clips, in order."""
    digest = hashlib.sha256()
    for index, notes in enumerate(clips):
        digest.update(f"clip {index}\n".encode())
        for n in notes:
            digest.update(f"{n.pitch} {n.start:.6f} {n.duration:.6f} {n.velocity}\n".encode())
    return digest.hexdigest()[:16]


def seed_clip(name: str | None) -> Clip:
    if name is None:
        return Clip((), None, TimeSignature(3, 4))
    return read_midi(SEEDS / f"{name}.mid")


# (model, seed file or None, generation settings as the Python API names them) -> hash
API_REQUESTS: dict[str, tuple[str, str | None, dict[str, object]]] = {
    "melody-reel-default": ("melody", "reel", {"rng_seed": 1}),
    "melody-jig-8bars-4var": (
        "melody",
        "jig",
        {"bars": 8, "variations": 4, "temperature": 0.9, "rng_seed": 2},
    ),
    "melody-reel-key-range-nomemory": (
        "melody",
        "reel",
        {"key": "auto", "low": 55, "high": 84, "memory": 0.0, "variations": 2, "rng_seed": 3},
    ),
    "melody-triplets-greedy-notes": (
        "melody",
        "triplets",
        {"temperature": 0.0, "notes": 40, "rng_seed": 5},
    ),
    "melody-noseed-34": ("melody", None, {"bars": 4, "variations": 2, "rng_seed": 6}),
    "melody-jig-memory-topp": (
        "melody",
        "jig",
        {"memory": 2.5, "top_p": 0.8, "beats": 10.0, "variations": 3, "rng_seed": 7},
    ),
    "poly-chorale-default": ("polyphonic", "chorale", {"rng_seed": 1}),
    "poly-chorale-4var-poly3": (
        "polyphonic",
        "chorale",
        {"variations": 4, "polyphony": 3, "temperature": 1.1, "rng_seed": 2},
    ),
    "poly-chorale-key-d-dorian": (
        "polyphonic",
        "chorale",
        {"key": "D dorian", "bars": 2, "memory": 0.0, "rng_seed": 3},
    ),
    "poly-reel-include-seed": (
        "polyphonic",
        "reel",
        {"include_seed": True, "bars": 3, "rng_seed": 4},
    ),
}

EXPECTED_API = {
    "melody-reel-default": "46ad1b3f77e226b2",
    "melody-jig-8bars-4var": "2f3e1073baaf17be",
    "melody-reel-key-range-nomemory": "2aa2965f5e0ed23d",  # memory 0: the clip's gaps (rhythm_lean)
    "melody-triplets-greedy-notes": "d5282a7a69ed80e5",
    "melody-noseed-34": "013001657020e160",  # a take from nothing begins at 88-112
    "melody-jig-memory-topp": "4e4ee31947307b83",
    "poly-chorale-default": "1fc7b369e6b995f1",
    "poly-chorale-4var-poly3": "62f50d22eb99bb63",  # bass, the top struck, the voice under it
    "poly-chorale-key-d-dorian": "b5d6e041a2569482",  # memory 0: the clip's gaps (rhythm_lean)
    "poly-reel-include-seed": "ac841d1cbd1c0ec8",  # a single line goes on as one
}

# The command line: arguments after `segue generate SEED -o OUT` -> hash of the files
CLI_REQUESTS: dict[str, tuple[str, list[str]]] = {
    "cli-reel": ("reel", ["--model", "melody", "--seed-rng", "11", "-n", "2", "--key", "auto"]),
    "cli-chorale-poly": (
        "chorale",
        [
            "--model",
            "polyphonic",
            "--seed-rng",
            "12",
            "--bars",
            "2",
            "--max-polyphony",
            "4",
            "-t",
            "0.8",
        ],
    ),
}
EXPECTED_CLI = {
    "cli-reel": "ac864799e1956bc4",
    "cli-chorale-poly": "f9a7dd76ee101372",
}

# The bridge: (model, seed, the bridge's parameters) -> hash
BRIDGE_REQUESTS: dict[str, tuple[str, str, dict[str, object]]] = {
    "bridge-jig": (
        "melody",
        "jig",
        {"bars": 4.0, "variations": 3, "rng_seed": 21, "key": "auto", "low": 50, "high": 90},
    ),
    "bridge-chorale": (
        "polyphonic",
        "chorale",
        {"bars": 2.0, "variations": 2, "rng_seed": 22, "polyphony": 4, "memory": 1.5},
    ),
}
EXPECTED_BRIDGE = {
    "bridge-jig": "e287d97aa1def97a",
    "bridge-chorale": "9d502b85515ac9c3",
}


@pytest.fixture(scope="module")
def bundled():
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    return {
        name: load_checkpoint(find_model(name, None)).model for name in ("melody", "polyphonic")
    }


@pytest.mark.parametrize("name", sorted(API_REQUESTS))
def test_python_api_gives_the_pinned_notes(bundled, name: str) -> None:
    from segue.model.generate import GenerationParams, generate

    model, seed, settings = API_REQUESTS[name]
    result = generate(bundled[model], seed_clip(seed), GenerationParams(**settings))
    assert notes_hash(c.notes for c in result.clips()) == EXPECTED_API[name]


@pytest.mark.parametrize("name", sorted(CLI_REQUESTS))
def test_command_line_gives_the_pinned_notes(segue_cli, tmp_path: Path, name: str) -> None:
    seed, args = CLI_REQUESTS[name]
    out = tmp_path / "out.mid"
    run = segue_cli("generate", SEEDS / f"{seed}.mid", "-o", out, *args)
    assert run.returncode == 0, run.stderr
    files = sorted(tmp_path.glob("out*.mid"))
    assert files
    assert notes_hash(read_midi(f).notes for f in files) == EXPECTED_CLI[name]


@pytest.mark.parametrize("name", sorted(BRIDGE_REQUESTS))
def test_bridge_gives_the_pinned_notes(tmp_path: Path, name: str) -> None:
    from segue.bridge.client import BridgeClient
    from segue.bridge.testing import running_server

    model, seed, settings = BRIDGE_REQUESTS[name]
    with running_server(tmp_path, model=model) as server:
        host, port = server.address[:2]
        with BridgeClient(host, port, timeout=30) as client:
            result = client.generate(seed_clip(seed), settings)
    assert notes_hash(v.clip.notes for v in result.variations) == EXPECTED_BRIDGE[name]

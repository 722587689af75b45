"""Fixtures of the bridge's tests: two small models, a bridge serving them, a raw client."""

from __future__ import annotations

from pathlib import Path

import pytest

from segue.bridge.testing import RawClient, make_test_model, running_server


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    """Two small untrained models, "tiny" and "other" (tests need no quality)."""
    folder = tmp_path_factory.mktemp("models")
    make_test_model(folder, "tiny", rng_seed=0)
    make_test_model(folder, "other", rng_seed=1)
    return folder


@pytest.fixture(scope="module")
def server(models_dir):
    with running_server(models_dir, queue_size=32) as srv:
        yield srv


@pytest.fixture
def raw(server):
    with RawClient(server.address) as client:
        yield client

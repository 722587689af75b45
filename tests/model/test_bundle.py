"""Installing a model: its weights never stay without their card."""

from __future__ import annotations

from pathlib import Path

import pytest

from segue.model import bundle
from segue.model.bundle import install_model


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

"""Pictures: a loss plot and piano rolls really written, and readable as PNG images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.image import imread

from segue.model.plots import REAL_COLOUR, Lane, plot_losses, plot_piano_roll, plot_variations
from segue.notes import Clip, Note, TimeSignature

PNG = b"\x89PNG\r\n\x1a\n"
SEED = Clip((Note(60, 0, 1), Note(64, 1, 1, 80), Note(67, 2, 2, 127)), 4.0)


def picture(path: Path) -> np.ndarray:
    """The PNG's pixels (rows, columns, RGBA), after checking it is a PNG."""
    assert path.read_bytes().startswith(PNG)
    pixels = imread(path, format="png")
    assert pixels.ndim == 3 and pixels.shape[2] in (3, 4)
    assert pixels.std() > 0  # something is drawn on it
    return pixels


def history(valid: bool) -> list[dict]:
    fields = ("offset", "pitch", "duration", "velocity")
    return [
        {
            "epoch": e,
            "train": {**{f: 2.0 / e for f in fields}, "total": 8.0 / e},
            "valid": {**{f: 2.5 / e + 0.1 * e for f in fields}, "total": 10 / e + 0.4 * e}
            if valid
            else None,
        }
        for e in (1, 2, 3, 4)
    ]


def test_a_loss_plot_is_written(tmp_path: Path) -> None:
    for valid in (True, False):
        out = plot_losses(history(valid), tmp_path / f"{valid}" / "loss.png", title="run")
        assert out == tmp_path / f"{valid}" / "loss.png"
        assert picture(out).shape[:2] == (420, 1100)  # 11 x 4.2 inches at 100 dpi
        assert [p.name for p in out.parent.iterdir()] == ["loss.png"]  # no temporary left


def test_a_piano_roll_of_variations_has_a_lane_each(tmp_path: Path) -> None:
    variations = [Clip((Note(62 + i, 0, 0.5), Note(65, 1.5, 0.5)), 4.0) for i in range(3)]
    three = picture(plot_variations(SEED, variations, tmp_path / "three.png", title="x -> y"))
    one = picture(plot_variations(SEED, variations[:1], tmp_path / "one.png"))
    none = picture(plot_variations(SEED, [], tmp_path / "none.png"))
    assert three.shape[1] == one.shape[1] == none.shape[1] == 1200
    assert three.shape[0] > one.shape[0] == none.shape[0]  # taller with each lane


def test_a_piano_roll_draws_each_lane_in_its_colour(tmp_path: Path) -> None:
    seed = Clip((Note(60, 0, 3),), 3.0, TimeSignature(3, 4))
    lanes = [Lane("real", (Note(72, 0, 3),), REAL_COLOUR), Lane("model", (Note(48, 0, 3),))]
    pixels = picture(plot_piano_roll(seed, lanes, tmp_path / "roll.png", end=6.0))
    rgb = (pixels[..., :3] * 255).round().astype(int).reshape(-1, 3)

    def has(colour: str, alpha: float) -> bool:
        """Some pixel is ``colour`` drawn at ``alpha`` over white."""
        target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        blended = (alpha * target + (1 - alpha) * 255).round()
        return bool((np.abs(rgb - blended).max(axis=1) <= 2).any())

    loud = 0.35 + 0.65 * 100 / 127  # velocity 100
    assert has("#4c72b0", loud) and has(REAL_COLOUR, loud) and has("#dd8452", loud)
    assert not has("#c44e52", loud)  # a colour no lane has


def test_a_note_struck_again_at_its_pitch_reads_as_two(tmp_path: Path) -> None:
    """Three loud notes of one pitch, each starting where the one before ends, were drawn as
    one long bar (quieter ones showed a faint seam where their shades overlapped)."""
    seed = Clip((Note(60, 0, 1, 127), Note(60, 1, 1, 127), Note(60, 2, 2, 127)), 4.0)
    pixels = picture(plot_piano_roll(seed, [], tmp_path / "roll.png", end=4.0))
    rgb = (pixels[..., :3] * 255).round().astype(int)
    face = np.array([0x4C, 0x72, 0xB0])  # the seed's colour, at velocity 127 opaque
    apart = np.abs(rgb - face).max(axis=2)
    row = apart[(apart <= 2).sum(axis=1).argmax()]  # across the middle of the notes
    inside = np.flatnonzero(row <= 2)
    between = row[inside.min() : inside.max()]
    seams = (between[1:] > 40) & (between[:-1] <= 40)  # clearly another colour: an edge
    assert int(seams.sum()) == 2

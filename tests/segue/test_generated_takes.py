"""segue.generated_takes: takes played offline by a real (small, untrained) model after
the example reel's notes (a real MIDI file), and what `segue generate` prints of them."""

from __future__ import annotations

import shutil
from pathlib import Path

from segue.generated_takes import generated_lines, made_takes, take_line
from segue.midi_io import read_part
from segue.model.generate import GenerationResult, Variation
from segue.model.keys import parse_key
from segue.model.settings import GenerationParams
from segue.notes import Clip

REEL = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "reel.mid"


def test_takes_are_made_timed_and_cut_at_their_share(tiny) -> None:
    seed, _ = read_part(REEL)
    params = GenerationParams(variations=2, bars=1, rng_seed=3).validated()
    result, cut, elapsed = made_takes(tiny, seed, params)
    assert len(result.variations) == 2 and result.rng_seed == 3
    assert cut == 0 and elapsed > 0
    many = GenerationParams(variations=16, notes=520, rng_seed=3).validated()  # 512 each
    capped, cut, _ = made_takes(tiny, seed, many)
    assert cut == 16 and all(len(v.clip) <= 512 for v in capped.variations)


def test_the_model_and_each_file_are_printed(tmp_path: Path) -> None:
    seed, _ = read_part(REEL)
    take = Clip(seed.notes[:8])
    result = GenerationResult((Variation(take, seed.length),), seed, parse_key("D major"), 7)
    lines = generated_lines("auto: melody", 12.4, result, [take], [tmp_path / "a.mid"], REEL)
    assert lines == [
        "model auto: melody: 1 variation in 12 ms (rng seed 7, key D major)",
        f"  {tmp_path / 'a.mid'}: 8 notes, 1 bar",
    ]


def test_a_take_written_onto_its_seed_says_so(tmp_path: Path) -> None:
    seed, _ = read_part(REEL)
    copy = tmp_path / "reel.mid"
    shutil.copy(REEL, copy)
    assert take_line(seed, copy, copy) == "32 notes, 4 bars, in place of the seed"
    assert take_line(seed, tmp_path / "next.mid", copy) == "32 notes, 4 bars"
    assert take_line(seed, copy, None) == "32 notes, 4 bars"

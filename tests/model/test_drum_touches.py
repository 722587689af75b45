"""A drum take's touch of its own at a phrase's end, on a beat the loop keeps note for note."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from segue.grid import TICKS_PER_BEAT, clip_rows
from segue.model.architecture import ModelConfig
from segue.model.drum_touches import Touch, alike_takes, all_backbone, touches, with_touches
from segue.model.drumming import backbone, kit_mask
from segue.model.generate import generate
from segue.model.loop import CELLS
from segue.model.lstm import SegueLSTM
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

BAR = 4 * TICKS_PER_BEAT
KICK, CLAP, HAT, OPEN = 36, 39, 42, 46
SIXTEENTH = TICKS_PER_BEAT // 4


def house() -> Clip:
    """One bar of house: a kick on every beat, a clap on 2 and 4, closed hats on the
    offbeats, the hat opened on the "and" of 2: every hit the beat's backbone."""
    notes = [Note(KICK, float(b), 0.25, 110) for b in range(4)]
    notes += [Note(CLAP, 1.0, 0.25, 100), Note(CLAP, 3.0, 0.25, 100)]
    notes += [Note(HAT, b + 0.5, 0.25, 80) for b in (0, 2, 3)]
    notes.append(Note(OPEN, 1.5, 0.25, 90))
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 4.0)


def test_a_beat_that_is_all_backbone_has_a_touch_of_each_kind_a_drummer_gives_a_phrase_end() -> (
    None
):
    rows = clip_rows(house())
    kept = backbone(rows, BAR, BAR)
    assert all_backbone(rows, BAR, BAR, kept)
    kinds = touches(
        rows, BAR, BAR, kit_mask(rows, "clip", 0, 127), TICKS_PER_BEAT, TICKS_PER_BEAT, 4
    )
    a, e = 3 * TICKS_PER_BEAT + 3 * SIXTEENTH, 3 * TICKS_PER_BEAT + SIXTEENTH  # beat 4's 16ths
    assert set(kinds) == {
        Touch(a, CLAP, 50, SIXTEENTH),  # a ghost clap, half its loudest: a pickup
        Touch(e, CLAP, 50, SIXTEENTH),
        Touch(a, HAT, 80, SIXTEENTH),  # a hat between the hats
        Touch(e, HAT, 80, SIXTEENTH),
        Touch(BAR - TICKS_PER_BEAT // 2, OPEN, 90, SIXTEENTH, HAT),  # the last hat opened
    }
    assert KICK not in {t.pad for t in kinds}  # the kick is the groove's backbone
    eighths = clip_rows(  # 8 closed hats a bar vary as the loop varies them
        Clip(tuple(Note(HAT, i / 2, 0.25, 80) for i in range(8)) + house().notes[:6], 4.0)
    )
    assert not all_backbone(eighths, BAR, BAR, backbone(eighths, BAR, BAR))


def test_each_take_plays_its_own_touch_and_the_hat_it_opens_is_not_struck_closed() -> None:
    rows = clip_rows(house())
    opened = Touch(BAR - TICKS_PER_BEAT // 2, OPEN, 90, SIXTEENTH, HAT)
    ghost = Touch(BAR - SIXTEENTH, CLAP, 50, SIXTEENTH)
    loop = np.concatenate([rows + [b * BAR, 0, 0, 0] for b in range(1, 9)])  # 8 bars after
    takes = with_touches([loop, loop], (opened, ghost), BAR, BAR, 9 * BAR, np.random.default_rng(0))
    for bar in (4, 8):  # the phrases' last bars, after the one-bar clip
        at = BAR + bar * BAR - TICKS_PER_BEAT // 2
        hits = [{(int(o), int(p)) for o, p in take[:, :2]} for take in takes]
        opens = [(at, OPEN) in h and (at, HAT) not in h for h in hits]
        ghosts = [(at + TICKS_PER_BEAT // 2 - SIXTEENTH, CLAP) in h for h in hits]
        assert sorted(opens) == sorted(ghosts) == [False, True]  # one each


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_four_takes_of_a_beat_the_loop_keeps_note_for_note_differ(seed: int) -> None:
    """A one-bar house beat without fills gave 4 identical takes, and at 16 and 32 bars the
    clip's bar tiled note for note (helper-88): its every hit is the backbone, which the loop
    keeps, so nothing was left to vary."""
    torch.manual_seed(0)
    model = SegueLSTM(
        ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    ).eval()
    params = GenerationParams(bars=8, variations=4, rng_seed=seed)
    takes = [clip_rows(v.clip) for v in generate(model, house(), params).variations]
    loop = {(int(o), int(p)) for o, p in clip_rows(house())[:, :2]}
    assert len({tuple(map(tuple, t[:, :2].tolist())) for t in takes}) == 4  # 1 before
    for take in takes:
        for bar in range(8):
            hits = {(int(o) - bar * BAR, int(p)) for o, p in take[:, :2] if o // BAR == bar}
            if bar % 4 != 3:
                assert hits == loop, bar  # inside a phrase, the loop
                continue
            added, lost = hits - loop, loop - hits  # its end: one touch, the backbone kept
            assert len(added) == 1 and lost <= {(BAR - TICKS_PER_BEAT // 2, HAT)}, (added, lost)
            assert KICK not in {p for _, p in added}


def test_drum_takes_whose_hits_differ_only_in_a_one_shots_length_are_the_same_beat() -> None:
    take = house()
    longer = Clip(tuple(n if n.pitch != HAT else Note(HAT, n.start, 0.5, 80) for n in take.notes))
    assert alike_takes([take, longer], drums=True) and not alike_takes([take, longer])
    assert not alike_takes([take]) and not alike_takes([take, Clip(take.notes[1:])], drums=True)

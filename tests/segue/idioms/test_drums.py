"""Generated grooves: General MIDI kits, a backbeat, fills at phrase ends."""

from __future__ import annotations

import numpy as np

from segue.drums import GM_NOTES, family
from segue.idioms.drums import STYLES, drum_piece, groove
from segue.notes import Clip


def test_grooves_play_general_midi_drums_in_every_style() -> None:
    rng = np.random.default_rng(0)
    for style in STYLES:
        hits, beats, _ = groove(rng, style)
        assert beats == 4.0 and hits
        assert all(note in GM_NOTES for _, note, _ in hits), style
        assert all(1 <= vel <= 127 for _, _, vel in hits)


def last_two_beats(clip: Clip, bar: int) -> list[int]:
    """The pitches played in the last two beats of a bar of 4/4."""
    return [n.pitch for n in clip.notes if bar * 4 + 2 <= n.start < (bar + 1) * 4]


def test_a_piece_keeps_its_kit_and_fills_the_end_of_its_phrases() -> None:
    fills = 0
    for rng_seed in range(40):
        clip = drum_piece(np.random.default_rng(rng_seed), 8)
        assert all(n.pitch in GM_NOTES for n in clip.notes)

        end = last_two_beats(clip, 7)  # the last bar of a 4- or 8-bar phrase
        fills += len(end) > len(last_two_beats(clip, 0)) or any(family(p) == "tom" for p in end)
    assert fills >= 12  # many pieces fill the end of the phrase, with more hits or toms

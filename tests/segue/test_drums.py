"""The General MIDI drum map and the Drum Rack's layout."""

from __future__ import annotations

from segue.drums import CRASHES, FIRST_PAD, GM_DRUMS, GM_NOTES, drum_name, family, fill_pads, pad


def test_the_general_midi_drum_map() -> None:
    assert GM_NOTES == tuple(range(35, 82))  # GM level 1: 35 to 81, every note
    assert (family(36), family(38), family(42), family(46), family(51)) == (
        "kick",
        "snare",
        "hat",
        "open hat",
        "ride",
    )
    assert CRASHES == (49, 57)
    assert family(30) is None and family(90) is None
    assert len({d.name for d in GM_DRUMS}) == len(GM_DRUMS)


def test_the_drum_racks_pads_start_on_c1() -> None:
    assert FIRST_PAD == 36
    assert pad(36) == (0, 0) and pad(51) == (0, 15) and pad(52) == (1, 0)
    assert pad(35) is None
    assert drum_name(38) == "Acoustic Snare"
    assert drum_name(100) == "pad 1 of page 5"


def test_fills_are_played_on_snares_and_toms_or_else_claps_and_rims_or_else_hats() -> None:
    assert fill_pads([36, 38, 42, 45, 50]) == (38, 45, 50)
    assert fill_pads([36, 39, 42]) == (39,)
    assert fill_pads([36, 42, 46, 100]) == (42,)  # a kick and hats: a hat roll
    assert fill_pads([42, 44, 46]) == (42, 44)
    assert fill_pads([36, 46]) == (46,)
    assert fill_pads([36, 100]) == ()

"""The scales --key auto chooses among, in the order it prefers them."""

from __future__ import annotations

from key_clips import DM, G, auto_key_results, pad_loop

from segue.model.key_lock import lock_key
from segue.model.keys import SCALES, Key
from segue.model.lock_scales import LOCK_SCALES, LOOP_CHORDS


def test_a_dm_g_triad_vamp_is_d_dorian_and_its_takes_play_no_c_sharp(tmp_path) -> None:
    """A Dm G pad of triads (D F A, G B D: no C) holds as much of D melodic minor as of D
    dorian, and --key auto locked it to D melodic minor, whose C# the clip never plays; its
    takes at -t 1.5 and --memory 0 could play C#. Dm G is D dorian (B natural, C natural),
    and its takes play no C#."""
    assert lock_key(pad_loop(DM, G, DM, G)) == Key(2, "dorian")
    for rng_seed, result in enumerate(auto_key_results(tmp_path, pad_loop(DM, G, DM, G), 89), 1):
        assert result.key == Key(2, "dorian"), rng_seed
        classes = {n.pitch % 12 for take in result.variations for n in take.clip.notes}
        assert 1 not in classes, rng_seed


def test_the_lock_s_scales_are_seven_note_scales_each_with_its_loop_chords() -> None:
    """The scales --key auto chooses among are seven-note scales segue names, the plain major
    and minor first and melodic minor last; each has its loop chords, on degrees of its own
    scale, the tonic's first."""
    assert LOCK_SCALES[:2] == ("major", "minor") and LOCK_SCALES[-1] == "melodic-minor"
    assert len(set(LOCK_SCALES)) == len(LOCK_SCALES)
    assert all(len(SCALES[mode]) == 7 for mode in LOCK_SCALES)
    assert set(LOOP_CHORDS) == set(LOCK_SCALES)
    for mode, degrees in LOOP_CHORDS.items():
        assert degrees[0] == 0 and set(degrees) <= set(SCALES[mode]), mode

"""Where each take's turn of a phrase lies and how long it is (``segue.model.turn_places``):
the last bars' places, the bars before where those are too few, silent bars answered, each
take's turn drawn by its own rng."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.takes import Turns
from segue.model.turn_sizes import TURN
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note

BAR = 96


def _turns(clip: Clip, seed: int) -> Turns:
    """Four takes' turns on ``clip``, drawing with rng ``seed``."""
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return Turns(made, 4, np.random.default_rng(seed))


def _eighths(notes: list[tuple[int, float]], bars: int, seed: int = 1) -> Turns:
    """The turns of a clip of (pitch, start in beats) eighths, ``bars`` of 4/4 long."""
    return _turns(Clip(tuple(Note(p, t, 0.5, 90) for p, t in notes), bars * 4.0), seed)


def test_takes_share_eighths_only_when_the_last_bars_have_too_few_and_skip_silent_ones() -> None:
    """A last bar with fewer places than takes lends them the bar before's: every take of a
    sparse lead turned its one last note, and the phrase never ended on it (helper-72)."""
    # a 4-bar loop with two notes in its last bar (its downbeat and 5th eighth), one in
    # the bar before (its downbeat)
    sparse = _eighths([(60, 0.0), (62, 4.0), (64, 8.0), (65, 12.0), (67, 14.0)], 4)
    starts = sparse._turn_places.starts(0)
    eighths = (starts - 3 * BAR) // TURN
    assert set(eighths) == {-8, 0, 4} and sorted(np.bincount(eighths + 8)[[0, 8, 12]]) == [1, 1, 2]
    full = _eighths([(60 + i, i * 0.5) for i in range(8)], 1)._turn_places.starts(0)  # 8ths
    assert ((full - 3 * BAR) // TURN >= 0).all()  # enough places: the last bar's own
    # a loop that starts no note in its last bar has no note to vary there
    quiet = _eighths([(60, 0.0), (62, 4.0), (64, 8.0)], 4)
    assert (quiet._turn_places.starts(0) == -1).all()
    assert not quiet.varies(np.full(4, quiet.clip_end + 3 * BAR)).any()


def test_each_request_s_copy_of_the_turns_draws_their_places_with_its_own_rng() -> None:
    """The turns kept for a clip are copied for each request (``Turns.drawing_with``): the
    copy's places draw with the request's rng, as turns made with it would, never with the
    kept turns' rng (making the turns draws nothing), and the kept turns draw nothing."""
    notes = [(60 + i, i * 0.5) for i in range(8)]  # a bar of eighths: 8 places, 4 takes
    kept = _eighths(notes, 1, seed=7)
    for seed in range(1, 9):
        copy = kept.drawing_with(np.random.default_rng(seed))
        assert copy._turn_places._rng is copy._rng  # the take's draws and its places' alike
        made = _eighths(notes, 1, seed=seed)
        for phrase in range(4):
            drawn = copy._turn_places.starts(phrase)
            np.testing.assert_array_equal(drawn, made._turn_places.starts(phrase))
            np.testing.assert_array_equal(copy.starts(phrase), drawn)  # Turns forwards them
    assert not kept._turn_places.turns  # the kept turns drew none
    seven = _eighths(notes, 1, seed=7)._turn_places
    assert any(
        not np.array_equal(kept.drawing_with(np.random.default_rng(1))._turn_places.starts(p),
                           seven.starts(p))
        for p in range(4)
    )  # fmt: skip


def test_a_phrase_s_turn_length_is_a_section_end_s_at_its_marks() -> None:
    """An eighth at a phrase's end, half a bar at an 8-bar mark, the whole bar at a 16-bar
    mark (``turn_sizes.turn_of``), asked of the take's places and of the turns alike."""
    turns = _eighths([(60 + i, i * 0.5) for i in range(8)], 1)
    for phrase, size in ((0, 1), (1, 4), (2, 1), (3, 8)):
        assert turns._turn_places.length(phrase) == size * TURN == turns.length(phrase)


def test_a_close_triad_that_is_its_part_s_range_turns_past_it_and_an_open_one_within() -> None:
    """One chord struck once a bar (helper-299's set-up). A close F (F3 A3 C4) is its part's
    whole range: over its kept bass no other F, A or C lies there (a whole step past it
    either), and a voicing of its own there would be another chord (F3 G3 C4, F3 A3 D4), so
    ``turns_at`` finds nothing to turn in range and counts no voicing (``_capacity``); its
    phrases turn past the range (``past_range``), and a request's takes open the F as a
    keyboard player does: its bass kept, its own classes, over the range but within an
    octave of its top (F3 A3 F4, F3 C4 A4). Kept in range, every take was the loop again
    (fc86149). An open C (C3 G3 E4 G4) has C4 in its range for its G3 or its E4: a turn in
    range, and its takes keep to the range."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    for chord, in_range in (((53, 57, 60), False), ((48, 55, 64, 67), True)):
        notes = [(p, 0.0) for p in chord]
        turns = _eighths(notes, 1)._turn_places
        for bar in range(4):  # each bar of the first phrase: the loop's one chord
            at = (3 - bar) * BAR
            assert turns.turns_at(at, TURN) is in_range, (chord, bar)
            assert (turns._capacity(at, TURN) > 0) is in_range, (chord, bar)
        turns.starts(0)
        assert (0 in turns.past_range) is not in_range
        clip = Clip(tuple(Note(p, 0.0, 0.5, 90) for p in chord), 4.0)
        low, high = chord[0], chord[-1]
        for rng_seed in (1, 2, 3):
            params = GenerationParams(bars=8, variations=4, rng_seed=rng_seed)
            heard = []
            for take in generate(producer, clip, params).variations:
                struck: dict[float, set[int]] = {}
                for n in take.clip.notes:
                    struck.setdefault(n.start, set()).add(n.pitch)
                turned = [sorted(s) for s in struck.values() if s != set(chord)]
                assert turned, (chord, rng_seed)  # every take turns its chord
                for voicing in turned:
                    assert voicing[0] == low, voicing  # the bass kept
                    assert {p % 12 for p in voicing} <= {p % 12 for p in chord}, voicing
                    if in_range:
                        assert voicing[-1] <= high + 2, voicing  # voicings.BEYOND
                    else:  # opened over the range, within an octave of its top
                        assert high + 2 < voicing[-1] <= high + 12, voicing
                heard.append(sorted((n.start, n.pitch) for n in take.clip.notes))
            assert len({tuple(h) for h in heard}) == 4, (chord, rng_seed)  # takes of their own


def test_a_pad_of_triads_keeps_the_loop_s_onsets_in_every_take() -> None:
    """Dm Bb C in half notes (Dm Dm | Dm Dm | Bb Bb | C C, close triads struck every 2 beats,
    1.9 beats long): a pad of triads, whose turn is two bars (``turn_kinds.HELD_BARS``),
    keeps the loop's notes for sure (``TurnPlaces.keeps``), so every take strikes on the
    loop's onsets alone, its change its voicings. Left to the loop's strength, a take (rng
    seed 23, its third) dropped the C chord's first voice after its turn and the network
    struck C3 A3 Bb3 an eighth before it (11.5 beats), the Bb chord cut to 1.5 beats: a
    chord the loop never plays (1 take of 160, rng seeds 1-40)."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    chords = [(50, 53, 57), (50, 53, 57), (46, 50, 53), (48, 52, 55)]  # Dm Dm Bb C
    notes = [
        Note(p, bar * 4.0 + beat, 1.9, 100 if beat == 0.0 else 80)
        for bar, chord in enumerate(chords)
        for beat in (0.0, 2.0)
        for p in chord
    ]
    clip = Clip(tuple(notes), 16.0)
    turns = _turns(clip, 1)
    after = turns.clip_end + np.array([0, 11 * BAR // 2, 7 * BAR, 29 * BAR // 2])
    in_clip = np.array([0, BAR // 2, 2 * BAR, turns.clip_end - 1])  # the clip's own: no turn
    assert turns.keeps(after).all() and not turns.keeps(in_clip).any()
    producer = load_checkpoint(find_model("producer")).model
    loop_onsets = {0.0, 2.0, 4.0, 6.0}  # within each 8 beats, as the loop strikes
    for rng_seed in range(1, 41):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        for k, take in enumerate(generate(producer, clip, params).variations):
            onsets = {round(n.start % 8.0, 3) for n in take.clip.notes}
            assert onsets == loop_onsets, (rng_seed, k, sorted(onsets))


def test_a_chord_held_four_bars_turns_in_any_bar_after_the_first() -> None:
    """A C held four bars (C3 E3 G3 whole notes): a pad of one chord, whose turn is two bars
    (``turn_kinds.HELD_BARS``), turns from its half phrase's end too (bar 2, as a keyboard
    player varies a held chord anywhere in the phrase), never its first bar. Turned in bars 3
    and 4 alone, its takes were 15 to 17 of 24 in each block of six requests (rng seeds
    1-24); from bar 2 too, 18 to 20."""
    clip = Clip(tuple(Note(p, bar * 4.0, 4.0, 96) for bar in range(4) for p in (48, 52, 55)), 16.0)
    bars: set[int] = set()
    for seed in range(1, 9):
        starts = _turns(clip, seed)._turn_places.starts(0)
        assert (starts >= BAR).all(), (seed, starts)  # never the phrase's first bar
        bars |= set((starts // BAR).tolist())
    assert bars == {1, 2, 3}


def test_a_high_pad_s_takes_begin_one_turn_at_most_in_its_last_bar() -> None:
    """A high pad (Am F C/G G at A4 C5 E5, whole notes): a take whose two-bar turn begins in
    the phrase's last bar re-voices its G alone, which has two re-voicings near the pad's top
    (G4 B4 G5, B4 D5 G5), and such takes came again request after request; one take at most
    begins there (``turn_places.HIGH_LAST``), the others in bars 2 and 3."""
    chords = ((69, 72, 76), (65, 69, 72), (67, 72, 76), (67, 71, 74))
    clip = Clip(tuple(Note(p, bar * 4.0, 4.0, 96) for bar, c in enumerate(chords) for p in c), 16.0)
    for seed in range(1, 13):
        starts = _turns(clip, seed)._turn_places.starts(0)
        assert (starts >= BAR).all() and (starts == 3 * BAR).sum() <= 1, (seed, starts)

"""Where each take varies the loop: a turn of its own in the last bar of every phrase."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
from loop_turns import takes

from segue.grid import clip_rows, to_ticks
from segue.midi_io import read_midi, write_midi
from segue.model.architecture import Network
from segue.model.arpeggios import outlined_chord, outlined_chords
from segue.model.key_lock import lock_key
from segue.model.loop import LoopHistory
from segue.model.takes import Turns
from segue.model.turn_pitches import turn_pitches
from segue.model.turn_sizes import (
    AROUND,
    NEIGHBOUR,
    STEP,
    TURN,
)
from segue.model.vocab import Vocab, steps_of
from segue.model.voicings import (
    REACH,
    colour_of,
    in_part,
    over_its_seventh,
    recoloured,
    voiced_classes,
)
from segue.notes import Clip, Note, TimeSignature

BAR = 96


def test_each_take_varies_its_own_eighth_of_the_last_bar_of_every_phrase() -> None:
    turns = takes([(60 + i, i * 1.0) for i in range(4)])  # one bar of quarter notes
    end = turns.clip_end
    for phrase in (0, 2):  # bars 4 and 12 (bars 8 and 16 end sections: see below)
        starts = turns.starts(phrase)
        last_bar = (4 * phrase + 3) * BAR
        assert sorted(starts - last_bar) == [0, 24, 48, 72]  # four takes, four onsets
        # a note varies where it falls in its take's eighth, and nowhere else
        for sixteenth in range(32):
            onsets = np.full(4, end + 4 * phrase * BAR + sixteenth * 6 + 3)
            inside = (onsets - end >= starts) & (onsets - end < starts + TURN)
            np.testing.assert_array_equal(turns.varies(onsets), inside)
            assert inside.any() == (sixteenth // 16 == 3 and sixteenth % 4 < 2)  # bar 4
    assert not turns.varies(np.full(4, end - 1)).any()  # the clip is the clip's


def test_at_the_new_clip_s_8_bar_marks_takes_turn_half_a_bar_at_its_16_bar_marks_the_bar() -> None:
    """32 bars were the loop with one eighth turned in every 4-bar phrase, and its 8-, 16-
    and 32-bar marks got nothing bigger (helper-88). A section's end turns more: half a bar
    at bars 8, 24, 40, the whole last bar at bars 16, 32; an eighth at bars 4, 12, 20, 28."""
    turns = takes([(60 + i, i * 0.5) for i in range(8)], 1, 1)  # one bar of eighths
    end = turns.clip_end
    eighths = np.arange(8) * TURN
    for phrase, size in ((0, 1), (1, 4), (2, 1), (3, 8), (4, 1), (5, 4), (7, 8), (9, 4)):
        last_bar = (4 * phrase + 3) * BAR
        starts = turns.starts(phrase) - last_bar
        assert set(starts) <= set(range(0, BAR, size * TURN)), (phrase, starts)  # its own bar
        turned = np.array([turns.varies(np.full(4, end + last_bar + e)) for e in eighths])
        assert (turned.sum(axis=0) == size).all(), (phrase, turned.T)  # eighths turned
        for take in range(4):  # in one piece from where the take's turn starts
            inside = (eighths >= starts[take]) & (eighths < starts[take] + size * TURN)
            np.testing.assert_array_equal(turned[:, take], inside)
        before = [turns.varies(np.full(4, end + last_bar - BAR + e)) for e in eighths]
        assert not np.any(before)  # the bar before keeps the loop: a bar of 8ths has places
    assert len(set(turns.starts(1))) == 2  # the takes share bar 8's halves, two on each
    # a bar with fewer notes than takes (a pad's one chord) lends the bar before's, as at a
    # phrase's end: with the last chord alone, two of four takes could be one take
    pad = takes([(60, 0.0), (64, 0.0), (67, 0.0)], 1, 1)
    for phrase in (1, 3):
        assert set(pad.starts(phrase) - (4 * phrase + 3) * BAR) == {-BAR, 0}


def test_a_line_resting_late_in_its_last_bar_keeps_its_notes_and_answers_there() -> None:
    """A sub bass of whole notes (A1 F1 C2 G1) had a take's turn replace its G1, or its C2
    in the bar before, in every take: each bar's note is its harmony. Its takes now keep
    every note and answer in the last bar's second half, where the line rests (its beats,
    or where the loop starts notes there in its other bars); a chord loop still turns its
    chord, and a line whose last bar starts no note answers as before (a held drone on its
    downbeat)."""
    whole = takes([(33, 0.0), (29, 4.0), (36, 8.0), (31, 12.0)], bars=4, seed=1, step=3.9)
    end = whole.clip_end
    assert (whole.starts(0) == -1).all()  # no turn: every take answers
    for bar in range(4):  # every bar's root the loop's, in every take
        assert not whole.varies(np.full(4, end + bar * BAR)).any()
    begin = whole.answers(np.full(4, end + 3 * BAR), np.full(4, end + 4 * BAR))
    assert sorted(begin - end - 3 * BAR) == [48, 48, 72, 72]  # beats 3 and 4, two takes each
    held = np.full(4, end + 3 * BAR)  # the G1 rings up to its take's answer
    np.testing.assert_array_equal(whole.cut(held, held + 94), begin)
    # a call of two notes on beats 1 and 2 but a push on the and of 3 in bars 1-3: answered
    # where the call pushes
    call = [(p, bar * 4.0 + at) for bar, p in enumerate((64, 67, 69, 71)) for at in (0.0, 1.0)]
    pushed = takes(call + [(72, 2.5), (74, 6.5), (76, 10.5)], bars=4, seed=1)
    begin = pushed.answers(np.full(4, end + 3 * BAR + 24), np.full(4, end + 4 * BAR))
    assert (begin == end + 3 * BAR + 60).all()
    pad = takes([(57, 0.0), (60, 0.0), (64, 0.0)], bars=1, seed=1, step=3.9)  # a chord turns
    assert (pad.starts(0) >= 0).all()


@cache
def _producer() -> Network:
    """The bundled producer model, loaded once for the module (0.2 s a load; 59 of this
    module's tests and helpers load it, which took about a fifth of the module's time).
    Generation only reads a model: each request builds its own state, so no test's takes
    depend on another's (as test_broken_chords' _producer)."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    return load_checkpoint(find_model("producer")).model


def test_takes_on_a_sub_bass_of_whole_notes_keep_its_roots_and_add_a_note_of_their_own() -> None:
    """Each take on a sub bass of whole notes (Am F C G) replaced one of its roots, in its
    last bar or the bar before, in 32 of 32 takes (rng seeds 1-8): the bar heard over
    another chord. Now every take keeps the four roots and plays one note of its own in
    the last bar's second half, into the next phrase, and the takes still differ."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    roots = ((0.0, 33), (4.0, 29), (8.0, 36), (12.0, 31))  # A1 F1 C2 G1, (start, pitch)
    seed = Clip(tuple(Note(p, at, 3.9, 100) for at, p in roots), 16.0)
    producer = _producer()
    for rng_seed in range(1, 5):
        result = generate(producer, seed, GenerationParams(variations=4, bars=4, rng_seed=rng_seed))
        takes = [{(n.start, n.pitch) for n in v.clip.notes} for v in result.variations]
        for take in takes:
            assert set(roots) <= take, (rng_seed, take)
            own = take - set(roots)
            assert len(own) == 1 and all(at >= 14.0 for at, _ in own), (rng_seed, take)
        assert len({frozenset(t) for t in takes}) == 4
        # each a pitch of its own, on beat 3 or 4 (two pitches each there, as at one place)
        assert len({p for t in takes for _, p in t - set(roots)}) == 4, (rng_seed, takes)


TIED = ((69, 0.0, 1.0), (72, 1.0, 1.0), (74, 2.0, 2.0), (76, 4.0, 2.0), (72, 6.0, 2.0))
TIED += ((71, 8.0, 2.0), (69, 10.0, 6.0))  # a lead whose last A4 ties over into bar 4


def _held(notes: tuple[tuple[int, float, float], ...], bars: int = 4) -> Turns:
    """Four takes' turns on a clip of (pitch, start, length in beats) notes."""
    clip = Clip(tuple(Note(p, t, d, 90) for p, t, d in notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return Turns(made, 4, np.random.default_rng(1))


def test_a_line_held_through_its_last_bar_keeps_its_note_and_answers_where_it_plays_late() -> None:
    """A lead's last note tied over into the phrase's last bar: the bar starts no note, and
    each take cut the note at a place of its own from the downbeat on (22 of 32 takes by
    beat 2, rng seeds 1-8). It now rings through the bar's first half, as a note struck on
    the downbeat does, and the takes answer where the loop plays in its bars' second halves
    (beat 3). A drone, in a loop that starts no note there, and a held chord still answer on
    the downbeat."""
    tied = _held(TIED)
    end = tied.clip_end
    assert (tied.starts(0) == -1).all()  # no turn: every take answers
    for at in (0, 24, 48, 72):  # bar 3 as the loop plays it, in every take
        assert not tied.varies(np.full(4, end + 2 * BAR + at)).any()
    ring = np.full(4, end + 2 * BAR + 48)  # the A4, from beat 3 of bar 3
    begin = tied.answers(ring, np.full(4, end + 4 * BAR))
    assert (begin == end + 3 * BAR + 48).all(), begin - end - 3 * BAR
    np.testing.assert_array_equal(tied.cut(ring, np.full(4, end + 4 * BAR)), begin)
    for held in (((36, 0.0, 16.0),), ((57, 0.0, 16.0), (60, 0.0, 16.0), (64, 0.0, 16.0))):
        turns = _held(held)
        begin = turns.answers(np.full(4, turns.clip_end), np.full(4, turns.clip_end + 4 * BAR))
        assert (begin == turns.clip_end + 3 * BAR).all()


def test_takes_on_a_lead_tied_into_its_last_bar_keep_the_note_and_answer_on_beat_3() -> None:
    """A lead whose last A4 ties over into the phrase's last bar: 22 of 32 takes cut it
    before beat 3 (its harmony changed there, rng seeds 1-8). Every take now holds it
    through the bar's first half and answers from beat 3, each with a pitch of its own."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    lead = Clip(tuple(Note(p, at, length, 96) for p, at, length in TIED), 16.0)
    producer = _producer()
    for rng_seed in range(1, 5):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        answers = []
        for take in generate(producer, lead, params).variations:
            notes = take.clip.notes
            assert [n.pitch for n in notes if n.start <= 13.9 < n.end] == [69], notes
            own = [n for n in notes if n.start >= 12.0]
            assert own and all(n.start >= 14.0 for n in own), (rng_seed, notes)
            answers.append(own[0].pitch)
        assert len(set(answers)) == 4, (rng_seed, answers)


def test_a_line_answered_late_keeps_its_notes_whatever_the_draw() -> None:
    """Its notes were kept at the loop's strength alone (0.95 a note in a phrase's last bar,
    where the loop's bars differ): a sub bass of whole notes (A1 F1 C2 G1) lost a root to
    the network's own note in 5 of 24 requests (rng seeds 0-23), its G1 an E2 above the part
    under the take's answer. A phrase whose takes answer late keeps the loop's notes in every
    draw, and each take's one note of its own is its answer."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    roots = ((0.0, 33), (4.0, 29), (8.0, 36), (12.0, 31))  # A1 F1 C2 G1, (start, pitch)
    seed = Clip(tuple(Note(p, at, 3.9, 100) for at, p in roots), 16.0)
    producer = _producer()
    lost = []
    for rng_seed in range(24):
        result = generate(producer, seed, GenerationParams(variations=4, bars=4, rng_seed=rng_seed))
        for v in result.variations:
            take = {(n.start, n.pitch) for n in v.clip.notes}
            own = take - set(roots)
            if not set(roots) <= take or len(own) != 1 or min(at for at, _ in own) < 14.0:
                lost.append((rng_seed, sorted(own)))
            assert all(29 - 2 <= p <= 36 + 2 for _, p in own), (rng_seed, own)
    assert lost == []


PUSH = ((33, 0.0, 3.5), (31, 3.5, 0.5), (29, 4.0, 3.5), (28, 7.5, 0.5), (36, 8.0, 8.0))


def test_takes_on_a_pushed_bass_whose_root_is_held_over_the_bar_answer_on_its_push() -> None:
    """A bass pushed on the "and" of 4 (A1 G1, F1 E1) whose C2 holds over bars 3 and 4: the
    takes' answer on the push lies 7.5 beats after the C2, past a bar, where the network's
    gaps come in beats; its class, 7 beats, was taken for a note of the take's own before
    the answer, on beat 4: two takes re-struck the C2 there (23 of 32 takes distinct, 0 of 8
    requests with 4 answer pitches, rng seeds 1-8). Every take now holds the C2 to the push
    and answers there, each with a pitch of its own."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    bass = Clip(tuple(Note(p, at, length, 100) for p, at, length in PUSH), 16.0)
    clip = {(n.start, n.pitch) for n in bass.notes}
    producer = _producer()
    for rng_seed in range(1, 5):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        takes = generate(producer, bass, params).variations
        answers = []
        for take in takes:
            notes = take.clip.notes
            assert [n.end for n in notes if (n.start, n.pitch) == (8.0, 36)] == [15.5], notes
            own = [n for n in notes if (n.start, n.pitch) not in clip]
            assert [n.start for n in own] == [15.5], (rng_seed, notes)
            answers.append(own[0].pitch)
        assert len(set(answers)) == 4, (rng_seed, answers)
        assert len({t.clip.notes for t in takes}) == 4, rng_seed


def _sparse(figure: tuple[tuple[float, float, int], ...], roots=(33, 29, 36, 31)) -> Clip:
    """A 4-bar bass of a bar's ``figure`` ((start, length in beats, interval above the
    root)) on each of ``roots`` (A1 F1 C2 G1)."""
    notes = [
        (r + iv, b * 4.0 + at, length) for b, r in enumerate(roots) for at, length, iv in figure
    ]
    return Clip(tuple(Note(p, at, length, 100) for p, at, length in notes), 16.0)


ROOT_FIFTH = ((0.0, 1.0, 0), (2.0, 1.0, 7))  # a root on 1 and its fifth on 3, a beat each
OFFBEAT = ((0.5, 0.5, 0), (2.5, 0.5, 0))  # an offbeat stab on the "and" of 1 and of 3


def _takes_of(model: object, clip: Clip, rng_seed: int) -> list[set[tuple[float, int]]]:
    """The (start, pitch) notes of each of 4 takes of 4 bars on ``clip`` at ``rng_seed``."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
    made = generate(model, clip, params).variations  # type: ignore[arg-type]
    return [{(n.start, n.pitch) for n in v.clip.notes} for v in made]


def test_a_sparse_line_resting_after_its_last_note_adds_a_pickup_there() -> None:
    """A bass of a root on 1 and its fifth on 3 (a beat each) had each take turn one of
    its notes in its last two bars (a root in 16 of 32 takes, rng seeds 1-8); an offbeat
    stab bass likewise. Their takes now keep every note and answer in the rest after the
    last bar's last note, on a place of the clip's rhythm: a root-fifth bass's beat 4, an
    offbeat bass's "and" of 4. Where the rest holds none (half notes), a take turns as
    before."""
    for figure, last, place in ((ROOT_FIFTH, 48, 72), (OFFBEAT, 60, 84)):
        clip = _sparse(figure)
        made = LoopHistory.of_seed(
            clip_rows(clip), steps_of(clip_rows(clip), BAR, Vocab())[1:], BAR, to_ticks(16.0)
        )
        assert made is not None
        turns = Turns(made, 4, np.random.default_rng(1))
        end = turns.clip_end
        assert (turns.starts(0) == -1).all()  # no turn: every take answers
        for note in clip.notes:  # the loop's every note kept
            at = end + to_ticks(note.start)
            assert not turns.varies(np.full(4, at)).any()
            assert turns.keeps(np.full(4, at)).all()
        begin = turns.answers(np.full(4, end + 3 * BAR + last), np.full(4, end + 4 * BAR + 12))
        assert (begin == end + 3 * BAR + place).all(), begin - end - 3 * BAR
    halves = _sparse(((0.0, 1.9, 0), (2.0, 1.9, 7)))  # no rest: turned
    made = LoopHistory.of_seed(
        clip_rows(halves), steps_of(clip_rows(halves), BAR, Vocab())[1:], BAR, to_ticks(16.0)
    )
    assert made is not None
    assert (Turns(made, 4, np.random.default_rng(1)).starts(0) >= 0).all()


def test_takes_on_a_sparse_bass_keep_its_notes_and_add_a_pickup_of_their_own() -> None:
    """Four takes on a root-fifth bass (a beat each on 1 and 3) and an offbeat stab bass
    each replaced one of its eight notes (32 of 32 takes, rng seeds 1-8; the root-fifth
    bass's roots 16 times). Each take now plays the clip's notes and one of its own after
    the last bar's last note, each a pitch of its own."""

    producer = _producer()
    for figure, place in ((ROOT_FIFTH, 15.0), (OFFBEAT, 15.5)):
        clip = _sparse(figure)
        keys = {(n.start, n.pitch) for n in clip.notes}
        for rng_seed in range(1, 4):
            takes = _takes_of(producer, clip, rng_seed)
            for take in takes:
                assert keys <= take, (rng_seed, sorted(keys - take))
                assert [at for at, _ in take - keys] == [place], (rng_seed, sorted(take - keys))
            assert len({p for t in takes for _, p in t - keys}) == 4, (rng_seed, takes)


def _from_midi(clip: Clip, folder: Path) -> Clip:
    """``clip`` written as a MIDI file in ``folder`` and read back, as a musician's is."""
    path = folder / "bass.mid"
    write_midi(clip, path, overwrite=True)
    return read_midi(path)


def test_a_sparse_bass_s_pickups_change_with_the_rng_seed(tmp_path: Path) -> None:
    """The four takes of a root-fifth bass (Am F C G) were the same four pickups on its beat
    4 whatever the rng seed (4 takes over 8 requests, rng seeds 1-8: each the pitch nearest
    the next root that was left), so Generate pressed again gave the same ideas; a G F C G
    bass took a Bb1 in every request. Now the rng seed chooses among the good pickups: each
    request still 4 takes of their own, the same seed the same notes, every pickup of the
    clip's pitch classes, the next root's fifth or octave, or a step into it."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    for roots, least in (((33, 29, 36, 31), 8), ((31, 29, 36, 31), 6)):
        clip = _from_midi(_sparse(ROOT_FIFTH, roots), tmp_path)
        keys = {(n.start, n.pitch) for n in clip.notes}
        stated = {n.pitch % 12 for n in clip.notes}
        seen: set[frozenset[tuple[float, int]]] = set()
        for rng_seed in range(1, 9):
            params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
            made = [v.clip.notes for v in generate(producer, clip, params).variations]
            again = [v.clip.notes for v in generate(producer, clip, params).variations]
            assert made == again, rng_seed  # the same seed, the same notes
            takes = [frozenset((n.start, n.pitch) for n in notes) for notes in made]
            assert len(set(takes)) == 4, rng_seed
            for take in takes:
                assert keys <= take, (rng_seed, sorted(keys - take))
                for at, pitch in take - keys:
                    to = pitch - roots[0]
                    good = pitch % 12 in stated or to % 12 in (0, 7) or abs(to) in (1, 2)
                    assert at == 15.0 and good, (roots, rng_seed, at, pitch)
            seen |= set(takes)
        assert len(seen) >= least, (roots, len(seen))


def test_a_6_8_sparse_bass_keeps_its_notes_and_adds_a_pickup_in_its_last_eighths(
    tmp_path: Path,
) -> None:
    """A 6/8 bass of a root on 1 and its fifth on 4 (an eighth) had each take turn one of
    its fifths (32 of 32 takes, rng seeds 1-8), and never a pickup: its pulses (dotted
    quarters) leave no place after the fifth. A bass player fills the bar's last beat into
    the next root, as on a 4/4 root-fifth bass's beat 4: each take now keeps every note and
    adds one on the bar's fifth or sixth eighth."""

    producer = _producer()
    notes = [
        Note(r + iv, b * 3.0 + at, length, 100)
        for b, r in enumerate((33, 29, 36, 31))
        for at, length, iv in ((0.0, 1.0, 0), (1.5, 0.5, 7))
    ]
    clip = _from_midi(Clip(tuple(notes), 12.0, TimeSignature(6, 8)), tmp_path)
    assert clip.time_signature == TimeSignature(6, 8)
    keys = {(n.start, n.pitch) for n in clip.notes}
    for rng_seed in range(1, 4):
        takes = _takes_of(producer, clip, rng_seed)
        for take in takes:  # every note kept, one added on the 5th or 6th eighth of bar 4
            assert keys <= take, (rng_seed, sorted(keys - take))
            assert [at for at, _ in take - keys] in ([11.0], [11.5]), (rng_seed, take - keys)
        assert len({frozenset(t) for t in takes}) == 4, rng_seed


def test_a_varied_note_stays_near_the_loops_and_on_its_side_of_the_loops_middle() -> None:
    turns = takes([(36, 0.0), (48, 1.0), (36, 2.0), (48, 3.0), (43, 3.5)])  # octave bass
    assert turns.middle == 43.0  # the loop's median pitch
    allowed = np.ones((3, 128), dtype=bool)
    out = turn_pitches(allowed, np.array([48, 36, 43]), turns.middle)
    high, low, middle = (set(np.flatnonzero(row).tolist()) for row in out)
    assert high == set(range(43, 48 + REACH + 1))  # the high note turns high, within an octave
    assert low == set(range(36 - REACH, 44))  # the root turns low
    assert middle == set(range(43 - REACH, 43 + REACH + 1))  # the middle either way
    # where the side leaves nothing but the loop's own pitch, it is let go; then the reach
    only = np.zeros((2, 128), dtype=bool)
    only[0, [48, 40]] = True  # the high note's one other pitch lies below the middle
    only[1, [48, 100]] = True  # and here more than an octave away
    out = turn_pitches(only, np.array([48, 48]), turns.middle)
    assert np.flatnonzero(out[0]).tolist() == [40, 48]
    assert np.flatnonzero(out[1]).tolist() == [48, 100]


def test_a_loop_that_starts_no_note_has_nothing_to_turn_or_answer() -> None:
    """A seed whose only note was played a hair before the clip's end snaps onto it: the
    loop then starts no note, and generation failed (IndexError) in the bridge and the CLI."""
    turns = takes([(60, 3.99)])  # snapped to the clip's end: no onset inside the loop
    end = turns.clip_end
    held = np.full(4, end + 2 * BAR)
    np.testing.assert_array_equal(turns.cut(held, held + 2 * BAR), held + 2 * BAR)
    assert (turns.starts(0) == -1).all() and not turns.varies(np.full(4, end + 3 * BAR)).any()
    assert turns.answers(np.full(4, end), np.full(4, end + 4 * BAR)).tolist() == [-1] * 4


def test_a_chord_loops_turns_keep_to_its_pitch_classes_a_lines_to_its_key() -> None:
    """A pad's takes turned an Am-F-C-G loop's last chord into Bbm and C#7 in 25 of 40 takes
    (helper-47): a chord loop's turns now keep to the pitch classes it plays, where more
    than the loop's own pitch is left. A line's keep to its key (helper-65)."""
    chords = [
        (p, t * 4.0)
        for t, chord in enumerate(([57, 60, 64], [53, 57, 60], [55, 60, 64], [55, 59, 62]))
        for p in chord
    ]
    pad = takes(chords, bars=4)
    assert pad.classes is not None and set(np.flatnonzero(pad.classes)) == {0, 2, 4, 5, 7, 9, 11}
    allowed = np.ones((1, 128), dtype=bool)
    kept = turn_pitches(allowed, np.array([62]), pad.middle, pad.classes)
    assert set(np.flatnonzero(kept[0]) % 12) <= {0, 2, 4, 5, 7, 9, 11}  # no Bb, no C#
    line = takes([(60 + (0, 2, 4, 5, 7)[i % 5], i * 0.5) for i in range(8)])
    assert line.classes is not None  # C D E F G: C major, its passing notes
    assert set(np.flatnonzero(line.classes)) == {0, 2, 4, 5, 7, 9, 11}


def _arp(chords: tuple[tuple[int, ...], ...], pattern: tuple[int, ...]) -> list[tuple[int, float]]:
    """A bar of eighth notes on each chord (its tones by ``pattern``)."""
    return [
        (chord[pattern[i]], 4.0 * b + 0.5 * i) for b, chord in enumerate(chords) for i in range(8)
    ]


def _classes(fits: np.ndarray) -> set[int]:
    return {int(p) % 12 for p in np.flatnonzero(fits == 2)}


def test_an_arp_s_turned_notes_keep_to_the_chord_its_bar_outlines() -> None:
    """An arp's turns took any pitch of its key (helper-74: 62% of the turned notes of a
    trance arp over Am F C G, 66% of a triplet arp's, outside their bar's triad: a G or a D
    where the Am bar plays A, C and E). A turned note of a line now prefers the pitch
    classes that the loop's bar at its place plays, where that bar outlines a chord."""
    tones = ((57, 60, 64, 69), (53, 57, 60, 65), (60, 64, 67, 72), (55, 59, 62, 67))
    arp = takes(_arp(tones, (0, 1, 2, 3, 2, 1, 0, 1)), bars=4)
    end = arp.clip_end
    onsets = end + np.arange(5) * BAR + 36  # beat 2.5 of bars 1, 2, 3, 4, and 1 again
    fits = arp.clashing(np.arange(5), onsets, np.full(5, 60), np.zeros((5, 128), dtype=bool))
    assert fits is not None
    chords = [{9, 0, 4}, {5, 9, 0}, {0, 4, 7}, {7, 11, 2}, {9, 0, 4}]  # Am F C G, Am
    assert [_classes(row) for row in fits] == chords
    assert set(np.unique(fits).tolist()) == {1, 2}  # the rest of the key after them
    # the G bar's D4 (above the loop's middle) turns to its B4 or D5, not to the key's E4
    # or A4; where the pitches allowed leave it no other of the chord, one of the key's
    g = turn_pitches(
        np.ones((2, 128), dtype=bool),
        np.array([62, 62]),
        arp.middle,
        arp.classes,
        arp.span,
        1,
        fits[[3, 3]],
    )
    assert sorted(np.flatnonzero(g[0]).tolist()) == [62, 67, 71, 74]
    lonely = np.zeros((1, 128), dtype=bool)
    lonely[0, [62, 64, 65]] = True
    kept = turn_pitches(lonely, np.array([62]), arp.middle, arp.classes, arp.span, 1, fits[[3]])
    assert np.flatnonzero(kept[0]).tolist() == [62, 64, 65]
    # a bar of two chords (Am, then G), each arpeggiated for two beats: each half its own;
    # an Am7 bar whose second half leaves out the G: the bar's Am7 throughout
    halves = [(p, 0.5 * i) for i, p in enumerate((57, 60, 64, 60, 55, 59, 62, 59))]
    seventh = [(p, 0.5 * i) for i, p in enumerate((57, 60, 64, 67, 64, 60, 57, 60))]
    for notes, first, second in (
        (halves, {9, 0, 4}, {7, 11, 2}),
        (seventh, {9, 0, 4, 7}, {9, 0, 4, 7}),
    ):
        turns = takes(notes)
        at = turns.clip_end + np.array([0, BAR // 2])
        fits = turns.clashing(np.arange(2), at, np.full(2, 60), np.zeros((2, 128), dtype=bool))
        assert fits is not None and [_classes(row) for row in fits] == [first, second]


AM, F, C, G = (57, 60, 64, 69), (53, 57, 60, 65), (48, 52, 55, 60), (55, 59, 62, 67)


def _spans(
    spans: tuple[tuple[tuple[int, ...], float, float], ...], step: float, beats: float
) -> list[tuple[int, float]]:
    """An arp of ``step``-beat notes, up each chord's tones from the start of its span
    (tones, start beat, beats), over a loop ``beats`` long (a span may run over its end)."""
    return [
        (tones[i % len(tones)], (start + i * step) % beats)
        for tones, start, length in spans
        for i in range(round(length / step))
    ]


def test_an_arp_s_turns_follow_its_chords_where_they_change_within_a_bar_or_over_its_line() -> None:
    """An arp's chords were read by half bar, and one that changes chord on beat 2 or 4
    turned to a mix of two (helper-85: Am for a beat then F for three, in 16ths, 13 of 80
    turned notes out of the chord sounding; a chord a beat, 36 of 80; Am and G on beats 2
    and 4, 58 of 80; 332 of 980 turned notes of 14 arps -> 23). The chords change where
    the loop's beats outline different ones, over a bar line too; an Am7 bar whose second
    half leaves out the G is still Am7 (test_an_arp_s_turned_notes_keep_to_...)."""
    am, f, c, g = ({9, 0, 4}, {5, 9, 0}, {0, 4, 7}, {7, 11, 2})
    for notes, step, bars, chords in (
        (_spans(((AM, 0, 1), (F, 1, 3)), 0.25, 4), 0.25, 1, [am, f, f, f]),  # 1 + 3 beats
        (_spans(((AM, 0, 1), (F, 1, 1), (C, 2, 1), (G, 3, 1)), 0.25, 4), 0.25, 1, [am, f, c, g]),
        (_spans(((AM, 1, 2), (G, 3, 2)), 0.25, 4), 0.25, 1, [g, am, am, g]),  # on 2 and 4
        (  # triplets, a chord each two beats from beat 2, the G over the loop's end
            _spans(((AM[:3], 1, 2), (F[:3], 3, 2), (C[:3], 5, 2), (G[:3], 7, 2)), 1 / 3, 8),
            1 / 3,
            2,
            [g, am, am, f, f, c, c, g],
        ),
    ):
        turns = takes(notes, bars, step=step)
        heard = []
        for beat in range(4 * bars):  # a sixteenth into each beat
            at = np.full(1, turns.clip_end + beat * 24 + 6)
            fits = turns.clashing(np.arange(1), at, np.full(1, 60), np.zeros((1, 128), bool))
            assert fits is not None
            heard.append(_classes(fits[0]))
        assert heard == chords


def _held_arp() -> Clip:
    """A bar of A C E C 16ths, its last C4 held through a second bar that starts no note."""
    notes = [Note(p, t, 0.2, 90) for p, t in _spans((((57, 60, 64, 60), 0, 3.75),), 0.25, 8)]
    return Clip((*notes, Note(60, 3.75, 4.25, 90)), 8.0, TimeSignature(4, 4))


def test_an_arp_s_answer_in_its_silent_bar_is_of_its_chord_and_not_the_note_it_cut() -> None:
    """An arp held on its C4 through the phrase's silent last bar: the takes' answers cut
    the C4 and could strike it again, which answered nothing, and took any pitch of the key
    (helper-85: 33 of 48 answers the C4 again, 15 of 48 out of Am; 63 and 127 of 432 over 9
    arps held into a silent bar -> 0 and 0). An answer now plays the chord that sounded
    before the rest, and not the note it cut."""
    clip = _held_arp()
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    end = turns.clip_end
    held = np.full(4, end + 3 * BAR - 6)  # the C4 of the phrase's third bar, held on
    turns.cut(held, held + BAR + 6, np.full(4, 60))
    begin = turns.answers(held, np.full(4, end + 4 * BAR))
    assert (begin >= end + 3 * BAR).all()
    fits = turns.clashing(np.arange(4), begin, np.full(4, 57), np.zeros((4, 128), dtype=bool))
    assert fits is not None
    assert (fits[:, 60] == 0).all()  # never the C4 it cut
    assert all(_classes(row) == {9, 0, 4} for row in fits)  # Am: A3, E4, A4, C5 ...


def test_an_arp_s_takes_answer_its_held_note_with_another_of_its_chord() -> None:
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    again = outside = 0
    for rng_seed in range(3):
        params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
        for take in generate(producer, _held_arp(), params).variations:
            answers = [n.pitch for n in take.clip.notes if n.start % 16.0 >= 12.0]
            assert len(answers) == 2, answers  # one answer in each phrase's last bar
            again += sum(p == 60 for p in answers)
            outside += sum(p % 12 not in {9, 0, 4} for p in answers)
    assert again == outside == 0


def test_a_bass_s_answer_is_not_the_note_it_cut() -> None:
    """A bass of half notes (A1 A1 F1 F1 G1) held on its G1 through the phrase's last bar:
    24 of 48 answers struck the G1 again (helper-85), as a chord's answers did its voice."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    notes = [Note(p, 2.0 * i, 1.8, 100) for i, p in enumerate((45, 45, 41, 41, 43))]
    bass = Clip((*notes, Note(43, 10.0, 6.0, 100)), 16.0)
    turns = takes([(n.pitch, n.start) for n in bass.notes], bars=4)
    sounding = np.zeros((4, 128), dtype=bool)
    at = np.full(4, turns.clip_end + 3 * BAR)
    assert turns.clashing(np.arange(4), at, np.full(4, 45), sounding) is None  # no cut yet
    turns.cut(at - BAR, at + BAR, np.full(4, 43))  # the G1, held into the last bar
    fits = turns.clashing(np.arange(4), at, np.full(4, 45), sounding)
    assert fits is not None and (fits[:, 43] == 0).all() and (fits[:, 44] == 1).all()
    producer = _producer()
    again = 0
    for rng_seed in range(3):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        for take in generate(producer, bass, params).variations:
            again += sum(n.pitch == 43 for n in take.clip.notes if n.start >= 12.0)
    assert again == 0


def test_only_a_bar_that_leaps_over_three_classes_or_more_outlines_a_chord() -> None:
    """Which bars of a line are arpeggios: 3 to 5 pitch classes, mostly by leaps of a third
    or more. A stepwise lead's turns keep to its key as before (none of its bars outlines
    a chord), and so do a pentatonic riff's, an octave bass's, a root-and-fifth riff's."""

    def classes(pitches: tuple[int, ...]) -> list[int] | None:
        chord = outlined_chord(np.array(pitches))
        return None if chord is None else np.flatnonzero(chord).tolist()

    assert classes((57, 60, 64, 69, 64, 60)) == [0, 4, 9]  # Am
    assert classes((48, 55, 52, 55, 59, 55, 52, 55)) == [0, 4, 7, 11]  # an Alberti Cmaj7
    assert classes((57, 60, 64, 62, 60, 57)) == [0, 2, 4, 9]  # a passing D: still leaps
    assert classes((64, 65, 67, 65, 64, 62, 60, 62)) is None  # a scale
    assert classes((57, 60, 62, 64, 67, 69)) is None  # A minor pentatonic: steps, thirds
    assert classes((33, 45, 33, 45, 31, 43, 28, 40)) is None  # an octave bass, A G E
    assert classes((33, 40, 45, 40)) is None  # a root and its fifth
    assert classes((48, 55, 60, 55, 50, 57, 62, 57)) is None  # two power chords, C5 D5
    assert classes((48, 55, 62, 67, 48, 55, 62, 67)) is None  # stacked fifths: C G D
    assert classes((57, 60, 64, 67, 71, 74)) is None  # six classes: more than a chord
    lead = [(60 + (0, 2, 4, 5, 7, 5, 4, 2)[i % 8], i * 0.5) for i in range(32)]
    turns = takes(lead, bars=4)
    sounding = np.zeros((1, 128), dtype=bool)
    assert (
        turns.clashing(np.arange(1), np.full(1, turns.clip_end), np.full(1, 60), sounding) is None
    )
    assert outlined_chords(np.array([0, 12, 24, 36]), np.array([60, 62, 64, 65]), 96, 96) == {}


def test_four_takes_on_a_sub_bass_keep_its_key_and_its_register() -> None:
    """A sub bass of whole notes (Am F C G, lowest F1) had its last bar turned, in 4 takes,
    to F#1 and Bb0 (29 Hz), out of A minor and an octave below the part, in 17% of its
    phrase ends: takes that turn the same note each played a pitch of its own, and the
    fourth had only pitches out of the key or the register left (helper-65). Turns now keep
    to a line's key and to a whole step past its lowest and highest note; takes share a
    pitch instead."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    roots = (33, 29, 36, 31) * 2  # A1 F1 C2 G1, a bar each, twice
    seed = Clip(tuple(Note(p, 4.0 * i, 3.9, 100) for i, p in enumerate(roots)), 32.0)
    producer = _producer()
    a_minor = {9, 11, 0, 2, 4, 5, 7}
    for rng_seed in range(6):
        result = generate(producer, seed, GenerationParams(variations=4, bars=8, rng_seed=rng_seed))
        pitches = [n.pitch for take in result.variations for n in take.clip.notes]
        assert {p % 12 for p in pitches} <= a_minor, rng_seed
        assert min(pitches) >= 29 - 2, rng_seed


def test_four_takes_on_a_sub_bass_each_turn_its_last_bar_their_own_way() -> None:
    """The key-and-span rule left a sub bass's G1 (below the loop's middle) E1 and F1 alone,
    and two of four takes were one take in half the requests (helper-67): the side is let
    go before takes share, so each plays a pitch of its own, still in the key and the part."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    roots = (33, 29, 36, 31)  # A1 F1 C2 G1
    seed = Clip(tuple(Note(p, 4.0 * i, 3.9, 100) for i, p in enumerate(roots)), 16.0)
    producer = _producer()
    alike = 0
    for rng_seed in range(6):
        result = generate(producer, seed, GenerationParams(variations=4, bars=4, rng_seed=rng_seed))
        takes = [tuple((n.start, n.pitch) for n in v.clip.notes) for v in result.variations]
        alike += len(takes) - len(set(takes))
        turned = [p for t in takes for start, p in t if start >= 12.0]  # the phrase's last bar
        assert all(29 - 2 <= p <= 36 + 2 for p in turned), turned
    assert alike == 0


def _pad(chords: tuple[tuple[int, ...], ...], beats: float = 4.0, length: float = 3.9) -> Clip:
    """A chord loop, one chord struck each ``beats`` and held ``length``."""
    notes = [
        Note(p, i * beats, length, 90) for i, chord in enumerate(chords) for p in sorted(chord)
    ]
    return Clip(tuple(notes), len(chords) * beats)


AM_F_C_G = ((57, 60, 64, 69), (57, 60, 65, 69), (55, 60, 64, 67), (55, 59, 62, 67))


def test_a_pad_s_takes_keep_its_last_chord_and_turn_two_of_its_voices() -> None:
    """A pad's takes played every voice of the phrase's last chord anew, away from the
    loop's: Am-F-C-G never ended on its G (0 of 40 phrase ends), and the new chords
    clashed (B3 C4 D4 F4, helper-68). A take now turns two voices of the chord and keeps
    the others, each turned voice clear of a clash the loop's chords do not have where the
    part leaves one, and of a semitone where it does not."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    g = set(AM_F_C_G[3])
    ends = []
    for rng_seed in range(5):
        params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
        for take in generate(producer, _pad(AM_F_C_G), params).variations:
            for bar in (3, 7):
                chord = sorted(n.pitch for n in take.clip.notes if n.start == bar * 4.0)
                ends.append(tuple(chord))
                assert len(g & set(chord)) >= 2, (rng_seed, bar, chord)  # still the G
                steps = [b - a for a, b in zip(chord, chord[1:], strict=False)]
                assert min(steps) >= 2, (rng_seed, bar, chord)  # no semitone cluster
    assert len(set(ends)) >= 4  # the takes turn it their own ways


def test_no_two_takes_of_a_pad_struck_once_a_bar_are_one_take() -> None:
    """A 4-chord pad, one chord a bar (C G Am F): its takes turn the last two chords, two
    takes each, and two that voiced the F chord F3 F4 A4 both were one take, in every
    request of 4 takes at -t 1 (helper-185)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    pad = _pad(((60, 64, 67), (55, 59, 62), (57, 60, 64), (53, 57, 60)), length=4.0)
    for rng_seed in range(1, 5):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        made = [
            tuple(sorted((n.start, n.pitch) for n in take.clip.notes))
            for take in generate(producer, pad, params).variations
        ]
        assert len(set(made)) == 4, rng_seed


def test_a_wide_pad_s_voice_let_go_outside_its_turn_keeps_the_loop_s_classes() -> None:
    """An open-voiced Am F C G pad (five voices, whole bars): a take that let the G's B3 go
    outside its turn played Bb3 (or Bb4), a G minor chord in a loop with no Bb, in 4 of the
    192 takes of 48 requests (rng 4 at the default temperature, rng 1 and 2 at 1.5). A voice
    let go keeps the loop's pitch classes where its range leaves one, as a turned voice does."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    chords = (
        (45, 52, 60, 64, 69),
        (41, 48, 57, 60, 65),
        (48, 55, 64, 67, 72),
        (43, 50, 59, 62, 67),
    )
    pad = _pad(chords, length=4.0)
    classes = {p % 12 for chord in chords for p in chord}
    for rng_seed, temperature in ((4, 1.0), (1, 1.5), (2, 1.5)):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, temperature=temperature)
        for take in generate(producer, pad, params).variations:
            off = [(n.start, n.pitch) for n in take.clip.notes if n.pitch % 12 not in classes]
            assert not off, (rng_seed, temperature, off)


def test_takes_on_stabs_struck_once_a_bar_turn_the_half_phrase_s_end_too_never_bar_1() -> None:
    """A stab loop struck once a bar (C, F, G, Am, a 16th each): two of 4 takes turned each
    of the last two bars' chords, and 8 requests (rng seeds 1-8) played 6 takes in all. A
    keyboard player varies the half phrase's end too (bar 2 of 4): the takes' turns lie in
    bars 2, 3 and 4, never on the take's first downbeat, where the loop comes back whole,
    and each turned chord keeps to the loop's classes and its range (:data:`BEYOND`)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import BEYOND

    producer = _producer()
    chords = ((60, 64, 67), (60, 65, 69), (59, 62, 67), (57, 60, 64))
    stabs = _pad(chords, length=0.25)
    classes = {p % 12 for chord in chords for p in chord}
    turned: set[int] = set()
    for rng_seed in range(1, 5):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        made = []
        for take in generate(producer, stabs, params).variations:
            notes = tuple(sorted((n.start, n.pitch) for n in take.clip.notes))
            made.append(notes)
            for bar, loop in enumerate(chords):
                chord = sorted(p for t, p in notes if bar * 4.0 <= t < bar * 4.0 + 4.0)
                if chord != list(loop):
                    turned.add(bar + 1)
                assert {p % 12 for p in chord} <= classes, (rng_seed, bar, chord)
                assert all(57 - BEYOND <= p <= 69 + BEYOND for p in chord), (rng_seed, chord)
        assert len(set(made)) == 4, rng_seed
    assert turned == {2, 3, 4}, turned


def test_a_take_with_no_voicing_of_its_own_left_turns_the_next_chord_too() -> None:
    """A close Cmaj7/B (B3 C4 E4 G4) held a bar, twice, has one voicing its turns may play
    (B3 E4 G4 C5: a 4-2 chord doubles none of its classes): its 8 takes played 4, each
    twice (helper-182). A take whose turn makes a chord another take made there turns the
    next chord of its phrase too: only the take on the phrase's last chord has none."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    pad = _pad(((59, 60, 64, 67), (59, 60, 64, 67)), length=4.0)
    for rng_seed in (1, 2):
        params = GenerationParams(variations=8, bars=4, rng_seed=rng_seed)
        made = [
            tuple(sorted((n.start, n.pitch) for n in take.clip.notes))
            for take in generate(producer, pad, params).variations
        ]
        assert len(set(made)) >= 7, rng_seed
        for take in made:  # every chord the loop's or its one voicing
            for bar in range(4):
                chord = sorted(p for t, p in take if t == bar * 4.0)
                assert chord in ([59, 60, 64, 67], [59, 64, 67, 72]), (rng_seed, chord)


# a close pad of inverted sevenths, from B3 to A4: Dm7/C, G7/B, Cmaj7/B, A7/C#
INVERTED_SEVENTHS = ((60, 62, 65, 69), (59, 62, 65, 67), (59, 60, 64, 67), (61, 64, 67, 69))


def test_an_inverted_sevenths_pad_s_takes_each_turn_it_their_own_way() -> None:
    """The 4 takes of a close pad of inverted sevenths were the same notes at -t 1, 1.3 and
    2 alike (helper-150's inv7): of its chords' own classes, only its G7/B had another
    voicing in the part's range (B3 F4 G4 B4), and every take turned it so. With a
    seventh's ninth for its fifth, and its chords' few voicings counted, each take turns a
    chord its own way, its bass, its third and its seventh kept, in the part's range (its
    Dm7/C and Cmaj7/B up to their roots on top, D5 and C5: ``voicings.chord_span``)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    clip = _pad(INVERTED_SEVENTHS)
    thirds_sevenths = ({2, 5, 0}, {11, 5}, {4, 11}, {1, 7})  # Dm7 G7 Cmaj7 A7 (roots kept)
    tops = (74, 71, 72, 71)  # a step past A4; the 4-2 chords' roots on top, D5 and C5
    for temperature in (0.3, 1.0, 1.3):
        for rng_seed in (1, 2, 3, 4):
            params = GenerationParams(
                variations=4, bars=4, rng_seed=rng_seed, temperature=temperature
            )
            result = generate(producer, clip, params)
            takes = [
                tuple(sorted((n.start, n.pitch) for n in v.clip.notes)) for v in result.variations
            ]
            assert len(set(takes)) == 4 and not result.alike(), (temperature, rng_seed)
            for take in result.variations:
                for bar in range(4):
                    chord = sorted(n.pitch for n in take.clip.notes if n.start == bar * 4.0)
                    loop = INVERTED_SEVENTHS[bar]
                    assert chord[0] == loop[0], (temperature, rng_seed, bar, chord)  # its bass
                    assert thirds_sevenths[bar] <= {p % 12 for p in chord}, chord  # colour
                    assert 57 <= min(chord) and max(chord) <= tops[bar], chord  # the range


def test_a_ii_over_its_seventh_turns_and_a_maj7_over_its_seventh_spreads() -> None:
    """The same pad's Dm7/C (C4 D4 F4 A4) had no voicing of its own a step past its A4 and
    no take turned it; its Cmaj7/B (B3 C4 E4 G4) turned to B3 C4 D4 E4, a cluster at its
    bottom (8 takes of 4 bars, rng seeds 1-4: 11 of 32 at -t 0.3 and at -t 1). A keyboard
    player puts a 4-2 chord's root on top: its takes turn the Dm7/C (C4 F4 A4 D5), its
    bass, third and seventh kept, and spread the Cmaj7/B (B3 E4 G4 C5, B3 D4 E4 C5), never a
    second on its semitone, nor its G4 to B4, a major seventh over its C4, where C5 is clear
    (``Turns.span_at``), nor a class twice (C4 D4 F4 C5, B3 C4 E4 C5: helper-180)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    clip = _pad(INVERTED_SEVENTHS)
    for temperature in (0.3, 1.0):
        turned = 0
        for rng_seed in (1, 2, 3, 4):
            params = GenerationParams(
                variations=8, bars=4, rng_seed=rng_seed, temperature=temperature
            )
            for take in generate(producer, clip, params).variations:
                dm7_c, cmaj7_b = (
                    sorted(n.pitch for n in take.clip.notes if n.start == bar * 4.0)
                    for bar in (0, 2)
                )
                turned += tuple(dm7_c) != INVERTED_SEVENTHS[0]
                assert dm7_c[0] == 60 and {0, 2, 5} <= {p % 12 for p in dm7_c}, dm7_c
                assert max(dm7_c) <= 74 and max(cmaj7_b) <= 72, (dm7_c, cmaj7_b)
                assert cmaj7_b[2] - cmaj7_b[0] > 3, cmaj7_b  # no B3 C4 D4
                assert not {60, 71} <= set(cmaj7_b), cmaj7_b  # no C4 under B4
                for chord in (dm7_c, cmaj7_b):
                    assert len({p % 12 for p in chord}) == 4, chord  # no class twice
        assert turned >= 4, (temperature, turned)


# close pads of 4-2 chords: Em Em7/D Cmaj7 Cmaj7/B, and Bm7/A Bm7/A Emaj7/D# Emaj7/D#
PADS_42 = (
    ((52, 55, 59, 64), (50, 52, 55, 59), (48, 52, 55, 59), (47, 48, 52, 55)),
    ((57, 59, 62, 66), (57, 59, 62, 66), (63, 64, 68, 71), (63, 64, 68, 71)),
)


def _producer_takes(clip: Clip) -> Iterator[tuple[float, int, Clip]]:
    """The producer model's 4 takes of ``clip``, 4 bars, at -t 0.3, 1 and 1.3 and rng
    seeds 1 and 2: (temperature, rng seed, take) for each."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    for temperature in (0.3, 1.0, 1.3):
        for rng_seed in (1, 2):
            params = GenerationParams(
                variations=4, bars=4, rng_seed=rng_seed, temperature=temperature
            )
            for take in generate(producer, clip, params).variations:
                yield temperature, rng_seed, take.clip


def test_a_close_seventh_over_its_seventh_s_takes_double_none_of_its_classes() -> None:
    """helper-180: a close Emaj7/D# (D#4 E4 G#4 B4) turned to D#4 E4 G#4 E5 in 27 of 96
    takes, its root twice and its fifth gone, and a Cmaj7/B (B2 C3 E3 G3) to B2 C3 E3 B3 in
    25, its bass's seventh twice. A keyboard player keeps the seventh in the bass and each
    other class once (D#4 G#4 B4 E5, B2 E3 G3 C4): no take's 4-2 chord doubles a class."""
    for chords in PADS_42:
        turned = 0
        for temperature, rng_seed, take in _producer_takes(_pad(chords)):
            for bar, loop in enumerate(chords):
                if not over_its_seventh(np.array(loop)):
                    continue
                chord = sorted(n.pitch for n in take.notes if n.start == bar * 4.0)
                turned += chord != list(loop)
                assert chord[0] == loop[0], (temperature, rng_seed, bar, chord)
                assert len({p % 12 for p in chord}) == 4, (temperature, bar, chord)
        assert turned >= 6, (chords, turned)  # its takes turn the 4-2 chords still


def test_a_seventh_over_its_seventh_s_turned_voice_keeps_to_its_own_span() -> None:
    """Each place's span (``Turns.span_at``): the loop's, up to a 4-2 chord's root on top
    (its Dm7/C's D5, its Cmaj7/B's C5, each :data:`BEYOND` under it): a turned voice takes
    a pitch there rather than one in the loop's span that clashes."""
    from segue.model.voicings import BEYOND

    clip = _pad(INVERTED_SEVENTHS)
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    assert turns.span == (59, 69)
    at = made.clip_end + np.arange(4) * BAR
    spans = turns.span_at(at)
    assert spans is not None
    assert spans.tolist() == [[59, 74 - BEYOND], [59, 69], [59, 72 - BEYOND], [59, 69]]
    allowed = np.zeros((2, 128), dtype=bool)
    allowed[:, [71, 72]] = True  # a Cmaj7/B's G4 to B4 or C5
    fits = np.zeros((2, 128), dtype=np.int8)
    fits[:, 71], fits[:, 72] = 1, 2  # B4 a major seventh over C4, C5 clear
    loop, middle = np.array([67, 67]), turns.middle
    kept = turn_pitches(allowed, loop, middle, None, turns.span, 1, fits)
    assert np.flatnonzero(kept[0]).tolist() == [71]  # kept to the loop's span: the clash
    kept = turn_pitches(allowed, loop, middle, None, spans[[2, 2]], 1, fits)
    assert np.flatnonzero(kept[0]).tolist() == [72]  # to the chord's: C5


def test_a_turned_voice_clashes_with_nothing_the_loop_s_chords_do_not() -> None:
    from segue.model.intervals import consonant_with

    triads = _pad(((60, 64, 67), (57, 60, 65), (55, 59, 62)))
    rows = clip_rows(triads)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(12.0))
    assert made is not None
    turns = Turns(made, 1, np.random.default_rng(0))
    assert turns.intervals is not None
    spans = set(np.flatnonzero(turns.intervals))
    assert {3, 4, 5, 7, 8, 9} <= spans and not spans & {1, 2, 6, 10, 11, 13, 14}
    sounding = np.zeros((1, 128), dtype=bool)
    sounding[0, [59, 62, 67]] = True  # B3 D4 G4 ring on
    fits = set(np.flatnonzero(consonant_with(sounding, turns.intervals)[0]))
    assert {50, 55, 71, 74} <= fits  # D3, G3, B4, D5: the G chord's own
    assert not fits & {57, 60, 61, 64, 65, 69}  # A3, C4, C#4, E4, F4, A4: seconds, a tritone


def test_an_answer_in_a_held_chord_is_not_the_note_it_cut() -> None:
    """A chord pushed onto the "and" of 4 and held through the phrase's last bar: the
    take's answer cut one voice and struck the same pitch again, which answered nothing,
    in 21 of 40 answers (helper-68)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    notes = [Note(p, 0.0, 3.5, 90) for p in (60, 64, 67)]
    notes += [Note(p, 3.5, 4.5, 90) for p in (57, 60, 64)]
    notes += [Note(p, 8.0, 3.5, 90) for p in (57, 60, 65)]
    notes += [Note(p, 11.5, 4.5, 90) for p in (55, 59, 62, 67)]  # G, pushed and held
    seed = Clip(tuple(notes), 16.0)
    producer = _producer()
    again = 0
    for rng_seed in range(5):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        for take in generate(producer, seed, params).variations:
            pushed = [n for n in take.clip.notes if n.start == 11.5]
            answers = [n for n in take.clip.notes if n.start >= 12.0]
            bass = min(n.pitch for n in pushed)  # holds; an upper voice makes way
            cut = {n.pitch for n in pushed if n.end < 15.99 and n.pitch != bass}
            again += any(n.pitch in cut for n in answers)
    assert again == 0


def test_power_chords_and_dyads_turn_within_the_part_and_their_takes_differ() -> None:
    """helper-71: a power-chord loop's turned voices went an octave below its lowest note
    (D1 under D2), where only pitches out of the part were clear of a clash; every take of
    a dyad loop played the same turn, whatever the rng seed (both voices turned, each held
    clear of the other); a turned triad's other voices, left to chance, were sometimes not
    played, and the G chord was one F3 for the bar. A held dyad, a line in a fixed shape,
    keeps its phrase's last chord and its takes answer after it (helper-197's late answers),
    so a take's turn of a dyad loop is its answer."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import BEYOND, OPENED

    producer = _producer()
    power = _pad(((40, 47, 52), (43, 50, 55), (45, 52, 57), (38, 45, 50)), length=3.75)
    dyads = _pad(((57, 64), (53, 60), (48, 55), (43, 50)), length=3.75)
    triads = _pad(((45, 48, 52), (41, 45, 48), (36, 40, 43), (43, 47, 50)), length=3.75)
    kinds: dict[str, list[tuple[int, ...]]] = {"power": [], "dyads": [], "triads": []}
    # a held dyad's phrase keeps its G and each take answers in its second half (a line's
    # rest, TurnPlaces._rests_late): its turn is its answer, after the downbeat
    answers: list[tuple[float, tuple[int, ...]]] = []
    for rng_seed in range(1, 7):
        params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
        for name, clip in (("power", power), ("dyads", dyads), ("triads", triads)):
            for take in generate(producer, clip, params).variations:
                pitches = [n.pitch for n in take.clip.notes]
                low = min(n.pitch for n in clip.notes)
                high = max(n.pitch for n in clip.notes)
                # a pad of three voices held re-voices its top up to a fourth past the part
                # (voicings.OPENED; BEYOND's whole step before), a dyad's as before
                top = high + (BEYOND if name == "dyads" else OPENED)
                assert low - 2 <= min(pitches) and max(pitches) <= top, (name, rng_seed)
                for bar in (3, 7):
                    kinds[name].append(
                        tuple(sorted(n.pitch for n in take.clip.notes if n.start == bar * 4.0))
                    )
                    if name == "dyads":
                        late = [n for n in take.clip.notes if bar * 4.0 < n.start < bar * 4.0 + 4]
                        at = min(n.start for n in late)
                        answers.append(
                            (at - bar * 4.0, tuple(n.pitch for n in late if n.start == at))
                        )
            if name == "dyads":  # the four takes answer apart at each phrase end
                assert len(set(answers[-8::2])) == 4 and len(set(answers[-7::2])) == 4, answers
    assert set(kinds["dyads"]) == {(43, 50)}  # the phrase's last chord, kept
    assert all(len(chord) == 2 for _, chord in answers)  # each answer a dyad
    assert len({chord for _, chord in answers}) >= 3  # one take's turn on every phrase end before
    assert all(len(chord) == 3 for chord in kinds["power"])
    assert all(len(chord) >= 2 for chord in kinds["triads"])  # never one note for the bar


def test_a_plain_chord_s_voice_let_go_outside_the_turn_keeps_the_part_s_range() -> None:
    """Below Memory 1 the loop holds a take's chord voices more loosely, and a plain chord's
    voice let go outside the take's turn kept no range (helper-219): a low triad pad (Am F C
    G, A2 C3 E3 ..., held 3.9 beats, 8 bars at Memory 0.8, rng 8) played a G3 over its top
    E3 at bar 8, and an Em C G D pad on E2 (Memory 0.5, rng 7) a B5 on the take's first
    downbeat, three octaves over its D3. Every note of every take stays within the loop's
    range and :data:`BEYOND`, but for a re-voiced chord's top, up to a fourth past its top
    (``voicings.OPENED``: both pads held, triads)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import BEYOND, OPENED

    producer = _producer()
    triads = _pad(((45, 48, 52), (41, 45, 48), (36, 40, 43), (43, 47, 50)))
    em_c_g_d = _pad(((40, 43, 47), (36, 40, 43), (43, 47, 50), (42, 45, 50)))
    for clip, bars, memory in ((triads, 8, 0.8), (em_c_g_d, 4, 0.5)):
        low = min(n.pitch for n in clip.notes)
        high = max(n.pitch for n in clip.notes)
        for rng_seed in range(1, 9):
            params = GenerationParams(variations=4, bars=bars, memory=memory, rng_seed=rng_seed)
            for take in generate(producer, clip, params).variations:
                out = [
                    (n.start, n.pitch)
                    for n in take.clip.notes
                    if not low - BEYOND <= n.pitch <= high + OPENED
                ]
                assert not out, (low, high, rng_seed, out)


def test_a_line_s_turns_keep_to_the_key_of_the_tonic_it_opens_on() -> None:
    """A bass of A, F, C and G, two beats each, lowest on its F: its turns' key was read
    from its notes as if all struck at once, and the key it opens on is A minor, not F
    major, whose Bb it never plays (helper-73). The turns now read the notes in place."""
    bass = [(p, i * 0.5) for i, p in enumerate(q for q in (45, 41, 48, 43) for _ in range(4))]
    turns = takes(bass, bars=2)
    assert turns.classes is not None
    assert set(np.flatnonzero(turns.classes)) == {9, 11, 0, 2, 4, 5, 7}  # A minor: B, not Bb


def test_a_turned_note_keeps_the_clip_s_length_and_velocity_at_its_place() -> None:
    """A take's turn changes a note's pitch and nothing else: a repeat's slips (another
    length 4% of the time, another velocity 31%) took turned notes too, and a lead's D5 held
    1.35 beats came back 0.917 beats long in one turn, louder or softer in a third of them.
    A turned note is as long as the clip's note at its place (or up to the take's next note,
    which cuts it in a line) and as loud."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    lead = ((69, 0.0, 0.5, 96), (72, 0.5, 0.5, 70), (74, 1.0, 1.35, 112), (72, 2.5, 0.5, 58))
    lead += ((69, 3.0, 0.9, 84), (67, 4.0, 0.75, 104), (69, 4.75, 0.25, 50))
    lead += ((72, 5.0, 1.5, 90), (76, 6.5, 1.4, 120))
    seed = Clip(tuple(Note(*n) for n in lead), 8.0)
    own = {n.start: n for n in seed.notes}
    producer = _producer()
    turned = []
    for rng_seed in range(4):
        params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
        for take in generate(producer, seed, params).variations:
            for n in take.clip.notes:
                there = own.get(n.start % 8.0)
                if there is None or there.pitch == n.pitch or n.start % 16.0 < 8.0:
                    continue  # not at a clip note's place in a phrase's last two bars
                later = [m.start for m in take.clip.notes if m.start > n.start]
                until = min([n.start + there.duration, take.clip.length, *later])
                turned.append((n.start, n.pitch, n.end - until, n.velocity - there.velocity))
    assert len(turned) >= 24
    assert all(abs(longer) < 1e-6 and louder == 0 for _, _, longer, louder in turned), turned


PEDAL = ((36, 48, 52, 55), (36, 46, 50, 53), (36, 45, 48, 53), (36, 46, 50, 55))  # C Bb/C F/C Gm/C
SEVENTHS = ((48, 52, 55, 59), (45, 48, 52, 55, 59), (50, 53, 57, 60, 64), (43, 53, 57, 59, 64))
SUS = ((50, 52, 57), (50, 55, 57), (50, 54, 57), (50, 54, 57))  # Dsus2 Dsus4 D D
SUS += ((45, 50, 52), (45, 49, 52), (43, 45, 50), (43, 47, 50))  # Asus4 A Gsus2 G


def test_a_take_turns_a_chord_s_upper_voices_never_its_bass() -> None:
    """A take's turned voices were counted round the whole chord, and two of four takes
    turned the bass: a pedal C2 under C, Bb/C, F/C and Gm/C went to D2 in 12 of 24 takes, an
    inversion's bass line changed in 15 of 24 (helper-89). Every take now turns upper voices,
    and a turned voice stays above the bass."""
    clip = _pad(PEDAL)
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    for seed in range(6):
        turns = Turns(made, 4, np.random.default_rng(seed))
        onsets = made.clip_end + turns.starts(0)
        for take, chord in enumerate(turns.chord_of(onsets)):
            assert chord is not None and chord[0] == 36
            at = np.full(4, onsets[take])
            turned = [
                p for p in chord if turns.voices_turned(np.ones(4, bool), at, np.full(4, p))[take]
            ]
            assert len(turned) == 2 and 36 not in turned, (seed, take, turned)
            struck = np.zeros((4, 128), dtype=bool)
            struck[take, 36] = True
            levels = turns.voicing(np.array([take]), at, np.full(4, turned[0]), struck)
            assert (levels[0, :37] == 0).all() and (levels[0, 37:] > 0).all()


def _colour_lost(
    chord: tuple[int, ...], there: list[int], chords: tuple[tuple[int, ...], ...]
) -> set[int]:
    """The classes of ``chord``'s colour (:func:`colour_of`) that ``there`` (a take's chord
    where the loop strikes it) lacks, none where it is a chord a keyboard player makes of it
    by moving one colour in the loop's classes and range (``recoloured``)."""
    key = np.zeros(12, dtype=bool)
    key[list({p % 12 for c in chords for p in c})] = True
    span = (min(map(min, chords)), max(map(max, chords)))
    if tuple(there) in recoloured(np.array(chord), key, span):
        return set()
    return set(colour_of(np.array(chord)).tolist()) - {p % 12 for p in there}


def test_a_chord_loop_s_takes_keep_its_bass_and_its_colours() -> None:
    """The turn left a 7th/9th loop's Dm9 (D3 F3 A3 C4 E4) as D3 F3 A3 D4 F4 and its G13
    (G2 F3 A3 B3 E4) as G2 D3 G3 B3 E4, the 9th or the 7th gone (5 and 6 of 24 takes), a sus
    chord resolved (11 of 24), and a pedal lost its C2 (12 of 24, helper-89). Each take now
    re-voices a chord with a colour and keeps its every pitch class and its bass, or plays
    the chord a keyboard player makes of it by moving one colour (``recoloured``: the G13's
    13th down to its fifth, as the Cm7/Fm7 stabs' Fm7/C takes its 6th for its seventh)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    changed = 0
    coloured = {PEDAL[1], PEDAL[3], *SEVENTHS, *(SUS[i] for i in (0, 1, 4, 6))}  # not plain triads
    for chords, beats in ((PEDAL, 4.0), (SEVENTHS, 4.0), (SUS, 2.0)):
        clip = _pad(chords, beats, beats - 0.1)
        for rng_seed in range(1, 5):
            params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
            for take in generate(producer, clip, params).variations:
                for i, chord in enumerate(chords * 2 * int(16 // (len(chords) * beats))):
                    there = sorted(n.pitch for n in take.clip.notes if n.start == i * beats)
                    changed += there != sorted(chord)
                    assert there and there[0] == chord[0], (rng_seed, i, chord, there)
                    if chord in coloured:  # a seventh's fifth may be left out
                        assert not _colour_lost(chord, there, chords), (rng_seed, i, chord, there)
    assert changed >= 72  # the takes still turn these chords


CLOSE_SEVENTHS = ((48, 52, 55, 59), (45, 48, 52, 55), (50, 53, 57, 60), (43, 47, 50, 53))
CLOSE_SUS = ((48, 53, 55), (48, 52, 55), (53, 55, 60), (53, 57, 60))  # Csus4 C Fsus2 F
NINTHS = ((45, 48, 52, 55, 59), (50, 53, 57, 60, 64), (43, 53, 57, 59, 64), (48, 52, 55, 59, 62))


def test_a_coloured_chord_s_turned_voices_stay_in_the_part_s_range() -> None:
    """A close Cmaj7-Am7-Dm7-G7 (G2 to C4): to keep a turned Dm7's C, its voice went to C5,
    an octave past the part's top (helper-89's colour before its range). A voice now keeps
    the colour in the part's range and a step past it (the G7's B2 to B3, its D3 to D4); the
    close Dm7, with no voicing of its every class there, turns with its fifth left out
    (D3 F3 C4 D4, as a pianist voices a seventh), and the takes turn it and the G7."""
    from segue.model.voicings import BEYOND

    made = LoopHistory.of_seed(
        clip_rows(_pad(CLOSE_SEVENTHS)),
        steps_of(clip_rows(_pad(CLOSE_SEVENTHS)), BAR, Vocab())[1:],
        BAR,
        to_ticks(16.0),
    )
    assert made is not None
    new_voicings = set()
    for seed in range(6):
        turns = Turns(made, 4, np.random.default_rng(seed))
        assert turns.span == (43, 60)
        # the G7's bar, and the Dm7's before it, which turns with its fifth left out
        assert set(turns.starts(0).tolist()) == {2 * BAR, 3 * BAR}, seed
        for bar, chord in ((2, CLOSE_SEVENTHS[2]), (3, CLOSE_SEVENTHS[3])):
            at = np.full(4, made.clip_end + bar * BAR)
            for take in range(4):
                struck = np.zeros((4, 128), dtype=bool)
                for p in chord:
                    struck_at = struck.copy()
                    played = p
                    if turns.voices_turned(np.ones(4, bool), at, np.full(4, p))[take]:
                        levels = turns.voicing(np.array([take]), at, np.full(4, p), struck_at)[0]
                        keeps = np.flatnonzero(levels == 2)
                        assert keeps.min() > chord[0] and keeps.max() <= 60 + BEYOND, keeps
                        others = keeps[keeps != p]
                        played = int(others[-1]) if len(others) else p
                    struck[take, played] = True
                voicing = np.flatnonzero(struck[take])
                classes = {p % 12 for p in voicing}
                own = set(np.flatnonzero(voiced_classes(np.array(chord))).tolist())  # G7's A
                assert set(colour_of(np.array(chord)).tolist()) <= classes <= own
                new_voicings.add(tuple(voicing.tolist()))
    assert len(new_voicings - set(CLOSE_SEVENTHS)) >= 2, new_voicings


def test_takes_on_close_coloured_loops_keep_their_colour_bass_and_range() -> None:
    """Default requests (4 takes, 4 bars) on close voicings: a turned voice kept a coloured
    chord's colour an octave up, a 7th past the part's top (a sus loop's C4 to G4; 18 of
    24 takes of Cmaj7-Am7-Dm7-G7, 24 of Csus4-C-Fsus2-F, 12 of a pedal loop), and a 9th
    loop's voice let go outside the take's turn lost the chord's 9th or its bass (4 of 24:
    Dm9's E4 to D4, Cmaj9's C3 to C4). Every take now keeps the part's range (a step past
    it at most), each coloured chord's classes and every bass, and turns something."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import BEYOND, coloured

    producer = _producer()
    for chords in (CLOSE_SEVENTHS, CLOSE_SUS, NINTHS, PEDAL):
        clip = _pad(chords)
        low, high = min(map(min, chords)) - BEYOND, max(map(max, chords)) + BEYOND
        loop = sorted((n.start, n.pitch) for n in clip.notes)
        for rng_seed in range(1, 7):
            params = GenerationParams(variations=4, rng_seed=rng_seed)
            for take in generate(producer, clip, params).variations:
                notes = take.clip.notes
                far = [n for n in notes if not low <= n.pitch <= high]
                assert not far, (chords[0], rng_seed, far)
                assert sorted((n.start, n.pitch) for n in notes) != loop  # a turn of its own
                for i, chord in enumerate(chords):
                    there = sorted(n.pitch for n in notes if n.start == i * 4.0)
                    assert there and there[0] == chord[0], (rng_seed, chord, there)
                    if coloured(np.array(chord)):  # a seventh's fifth may be left out
                        assert not _colour_lost(chord, there, chords), (rng_seed, chord, there)


def test_a_take_s_own_notes_where_it_lets_the_loop_go_keep_the_part_s_register(
    tmp_path,
) -> None:
    """Where a take let its loop go outside its turn, the network's own notes went where it
    liked: the close ninths pad (G2 to E4) struck as 16th stabs had a take strike a C2 of
    its own, seven semitones under the part (rng 3 and 8), an A minor lead (E4 to G5) a C4
    (rng 8) and an arpeggio (F3 to A4) a D3 (rng 2). They now keep the part's register, as
    a turn's and an answer's notes do: a step past the loop's lowest or highest note at
    most."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import BEYOND

    lead = [69, 72, 76, 72, 74, 72, 69, 67, 69, 72, 76, 79, 76, 74, 72, 74]
    lead += [65, 69, 72, 69, 71, 69, 65, 64, 67, 71, 74, 71, 72, 71, 67]
    arp = [57, 60, 64, 69] * 2 + [53, 57, 60, 65] * 2 + [55, 60, 64, 67] * 2
    arp += [55, 59, 62, 67] * 2
    parts = {
        "stabs.mid": [(p, float(i * 4), 0.25) for i, chord in enumerate(NINTHS) for p in chord],
        "lead.mid": [(p, i * 0.5, 0.45) for i, p in enumerate(lead)],
        "arp.mid": [(p, i * 0.5, 0.45) for i, p in enumerate(arp)],
    }
    producer = _producer()
    for name, notes in parts.items():
        clip = _producer_part(tmp_path, name, notes)
        low = min(n.pitch for n in clip.notes) - BEYOND
        high = max(n.pitch for n in clip.notes) + BEYOND
        for rng_seed in range(1, 9):
            params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
            for take in generate(producer, clip, params).variations:
                far = [(n.start, n.pitch) for n in take.clip.notes if not low <= n.pitch <= high]
                assert not far, (name, rng_seed, far)


def test_the_takes_of_a_close_sus_loop_differ() -> None:
    """Csus4-C-Fsus2-F, close (C3 to C4), default requests: the Fsus2 has no voicing of its
    own in the part's range, and the F's turned A3 and C4 could only go to G3 and A3, so
    the four takes of every request were one take (helper-98). Now a turned voice above
    one that moved may keep its pitch (F3 G3 C4: a voice exchange), and with too few chords
    to turn at the phrase's end, the takes turn the C before them: the takes of a request
    differ, each keeps the loop's range, and the Fsus2 stays the loop's."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    clip = _pad(CLOSE_SUS)
    fs = set()
    for rng_seed in range(1, 7):
        params = GenerationParams(variations=4, rng_seed=rng_seed)
        takes = [take.clip.notes for take in generate(producer, clip, params).variations]
        assert len({tuple(sorted((n.start, n.pitch) for n in t)) for t in takes}) >= 3, rng_seed
        for notes in takes:
            assert all(46 <= n.pitch <= 62 for n in notes), rng_seed
            assert sorted(n.pitch for n in notes if n.start == 8.0) == list(CLOSE_SUS[2])
            fs.add(tuple(sorted(n.pitch for n in notes if n.start == 12.0)))
    # the F's A3 moved, its C4 kept, was F3 G3 C4: the Fsus2 of the bar before over its bass,
    # another of the loop's chords; a pad's turned chord is re-voiced now, itself
    # (TurnedVoicings._plain_aim: none the loop's own chord of another place)
    assert (53, 55, 60) not in fs and len(fs) > 1, fs


def test_a_close_sus_pad_s_takes_swap_or_resolve_its_suspension_in_its_register() -> None:
    """A close sus pad (Dsus4 Csus2 Csus4 Dsus4: D4 G4 A4, C4 D4 G4, C4 F4 G4, a bar each) has
    no voicing that keeps a suspension in the part's range, and its takes turned it past the
    range (F5 or G5 over its A4: 32 of 32 turned chords, rng seeds 1-8), 2 takes of 4 alike.
    A keyboard player swaps the suspension over the same root (Csus4 -> Csus2, Dsus4 ->
    Dsus2) or resolves it to the key's third (C, Dm in C major) in the same register: each
    take moves one voice a step, its bass kept, and the 4 takes of a request differ."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import BEYOND

    producer = _producer()
    chords = ((62, 67, 69), (60, 62, 67), (60, 65, 67), (62, 67, 69))
    made: set[tuple[int, ...]] = set()
    for rng_seed in range(1, 5):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        takes = [t.clip.notes for t in generate(producer, _pad(chords), params).variations]
        assert len({tuple(sorted((n.start, n.pitch) for n in t)) for t in takes}) == 4, rng_seed
        for notes in takes:
            assert all(60 - BEYOND <= n.pitch <= 69 + BEYOND for n in notes), rng_seed
            for bar, loop in enumerate(chords):
                chord = tuple(sorted(n.pitch for n in notes if n.start == bar * 4.0))
                if chord != loop:
                    moved = [(a, b) for a, b in zip(loop, chord, strict=True) if a != b]
                    assert len(moved) == 1 and abs(moved[0][0] - moved[0][1]) <= 3, chord
                    assert chord[0] == loop[0] and {p % 12 for p in chord} <= {0, 2, 4, 5, 7, 9}
                    made.add(chord)
    assert made == {(60, 62, 67), (60, 64, 67), (62, 64, 69), (62, 65, 69)}, made


def test_minor_seventh_stabs_take_a_colour_in_range_and_never_turn_bar_1() -> None:
    """Cm7 Cm7 Fm7/C Fm7/C stabs (C4 Eb4 G4 Bb4, C4 Eb4 F4 Ab4; a 16th once a bar): the
    Fm7/C has no voicing of its own in the part's range, and the takes turned the phrase's
    first bars instead, bar 1 in 16 of 32 takes (to C4 Eb4 Bb4 C5), and 3 takes of 4 differed
    (rng seeds 1-8). A keyboard player varies it with a colour in range: the Cm7's fifth to
    its 11th (Cm11: C4 Eb4 F4 Bb4), the Fm7's seventh to its 6th (Fm6/C: C4 D4 F4 Ab4, the
    D of C minor). Bar 1 stays the loop's, each turned chord keeps the loop's classes or adds
    one of its key, and the 4 takes of a request differ."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import BEYOND

    producer = _producer()
    chords = ((60, 63, 67, 70), (60, 63, 67, 70), (60, 63, 65, 68), (60, 63, 65, 68))
    classes = {p % 12 for chord in chords for p in chord}
    made: set[tuple[int, ...]] = set()
    for rng_seed in range(1, 5):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        takes = [
            t.clip.notes for t in generate(producer, _pad(chords, length=0.25), params).variations
        ]
        assert len({tuple(sorted((n.start, n.pitch) for n in t)) for t in takes}) == 4, rng_seed
        for notes in takes:
            assert all(60 - BEYOND <= n.pitch <= 70 + BEYOND for n in notes), rng_seed
            for bar, loop in enumerate(chords):
                chord = tuple(sorted(n.pitch for n in notes if bar * 4.0 <= n.start < bar * 4 + 4))
                if chord != loop:
                    assert bar > 0, (rng_seed, chord)
                    assert len({p % 12 for p in chord} - classes) <= 1, chord
                    assert {p % 12 for p in chord} <= {0, 2, 3, 5, 7, 8, 10}, chord
                    made.add(chord)
    assert {(60, 63, 65, 70), (60, 62, 65, 68)} <= made, made


def test_a_one_chord_loop_s_close_stabs_are_turned_past_its_range_rather_than_kept() -> None:
    """A house loop of one close chord, stabbed on the offbeats (F#m: F#3 A3 C#4; Ebm7:
    Eb3 Gb3 Bb3 Db4): no voicing of its own lies within the part's range, and from
    helper-98's range on, every take of every request was the loop again. With no chord of
    the phrase to turn in range, a take turns its chord past the range, as takes did before
    (a voicing an inversion up): the takes differ and the bass stays."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    for chord in ((54, 57, 61), (51, 54, 58, 61)):
        stabs = [b + 0.5 for b in range(16)]
        clip = Clip(tuple(Note(p, t, 0.25, 100) for t in stabs for p in chord), 16.0)
        loop = sorted((n.start + 16.0 * k, n.pitch) for k in range(2) for n in clip.notes)
        for rng_seed in (1, 2, 3):
            params = GenerationParams(bars=8, variations=4, rng_seed=rng_seed)
            takes = [t.clip.notes for t in generate(producer, clip, params).variations]
            heard = [sorted((n.start, n.pitch) for n in t) for t in takes]
            assert sum(h != loop for h in heard) >= 3, (chord, rng_seed)
            for notes in takes:
                assert min(n.pitch for n in notes) == chord[0]  # the bass stays
                assert max(n.pitch for n in notes) <= chord[-1] + 12


def test_the_takes_of_a_held_pad_each_answer_with_a_pitch_of_their_own() -> None:
    """Where a pad holds through its phrase's last bar, every take answers on that bar's
    downbeat. Held to the chord's own classes and the loop's span, the four takes of an Am
    chord held four bars answered C4 in 40 of 40, and of a C3 drone D3 or B2: two of the
    four takes were one take (helper-87). Each now answers with a pitch of its own, in the
    pad's key: a drone's near its next note, a chord's near the top voice it moves while
    the voices under it ring on (helper-112: an ambient pad's bass was cut and answered)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    am = Clip(tuple(Note(p, 0.0, 16.0, 80) for p in (57, 64, 69, 72)), 16.0)
    drone = Clip((Note(48, 0.0, 16.0, 90),), 16.0)
    white = {0, 2, 4, 5, 7, 9, 11}  # A minor, C major: the pads' keys
    for clip, near in ((am, 72), (drone, 48)):  # Am: its top C5 moves, over A3 E4 A4
        for rng_seed in range(4):
            params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
            answers = []
            for take in generate(producer, clip, params).variations:
                late = [n.pitch for n in take.clip.notes if n.start >= 12.0]
                assert len(late) == 1, late  # one answer, in the held bar
                answers.append(late[0])
                if len(clip.notes) > 1:  # the chord's bass rings through the phrase
                    assert any(n.pitch == 57 and n.end >= 16.0 for n in take.clip.notes)
            assert len(set(answers)) == 4, (near, rng_seed, answers)
            assert all(p % 12 in white and abs(p - near) <= REACH for p in answers), answers
            assert len(clip.notes) == 1 or min(answers) > 57, answers


def test_a_pad_s_held_bass_holds_through_its_answers_and_they_make_no_mud_with_it() -> None:
    """An ambient pad: D2 held 8 bars under A and G chords. Every take cut the D2 at bar 4
    and answered with a bass note held 5 bars, past the chord change, where F#2 or C#2
    sounded against the G2 for 3 bars in 6 of 16 takes (helper-112). Now the D2 rings on,
    an upper voice answers, over the voices that hold by no interval narrower than the
    pad's own at its register (``intervals.wide_enough``) unless clear there (``intervals.CLEAR``),
    and the takes differ."""
    from segue.model.generate import generate
    from segue.model.intervals import CLEAR, narrowest_by_register, wide_enough
    from segue.model.settings import GenerationParams

    notes = [Note(38, 0.0, 32.0, 80)]  # the pedal
    notes += [Note(p, 0.0, 16.0, 70) for p in (45, 57)] + [Note(61, 0.0, 8.0, 70)]
    notes += [Note(64, 8.0, 8.0, 70)]
    notes += [Note(p, 16.0, 16.0, 70) for p in (43, 59, 69)] + [Note(66, 24.0, 8.0, 70)]
    pad = Clip(tuple(notes), 32.0)
    starts = np.array([n.start for n in notes])
    ends = np.array([n.end for n in notes])
    wide = wide_enough(narrowest_by_register(starts, ends, np.array([n.pitch for n in notes])))
    producer = _producer()
    for rng_seed in range(3):
        params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
        takes = generate(producer, pad, params).variations
        assert len({tuple(t.clip.notes) for t in takes}) == 4
        own = {(n.start, n.pitch) for n in notes}
        for take in takes:
            played = take.clip.notes
            assert any(n.pitch == 38 and n.start == 0 and n.end >= 32.0 for n in played)
            answers = [  # in the phrases' last bars (4 and 8), where the pad holds
                n for n in played if n.start % 16 >= 12 and (n.start % 32.0, n.pitch) not in own
            ]
            assert answers and all(n.pitch > 38 for n in answers)  # over the pedal
            for a in answers:
                for b in played:
                    together = min(a.end, b.end) - max(a.start, b.start)
                    low, high = sorted((a.pitch, b.pitch))
                    if low < high and together >= 1.0:
                        assert wide[low, high] or CLEAR[low, high], (rng_seed, a, b)


def test_a_call_and_its_rest_are_answered_by_a_short_figure_in_the_call_s_rhythm() -> None:
    """A lead's 2-bar call and 2 bars of rest: every take answered the silent phrase-end bar
    with one note, 40 of 40 (helper-87). A take now answers in the call's rhythm for half a
    bar, a figure of a few notes, and leaves the rest of the bar silent."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    call = [(64, 0.0, 0.5), (67, 0.5, 0.5), (69, 1.0, 1.0), (67, 2.0, 0.5), (64, 2.5, 1.5)]
    call += [(62, 4.0, 0.5), (64, 4.5, 0.5), (60, 5.0, 2.0)]
    seed = Clip(tuple(Note(p, at, length, 96) for p, at, length in call), 16.0)
    places = {at % 4.0 for _, at, _ in call}
    producer = _producer()
    figures = 0
    for rng_seed in range(4):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        for take in generate(producer, seed, params).variations:
            answer = [n for n in take.clip.notes if n.start >= 12.0]
            assert answer and all(n.start % 4.0 in places for n in answer)  # the call's rhythm
            first = answer[0].start
            figures += sum(n.start < first + 2.0 for n in answer) > 1
    assert figures >= 8  # of 16 takes


def test_at_a_cool_temperature_a_call_s_rest_is_answered_by_one_note() -> None:
    """Below -t 0.72 a take is the loop with one note of its own, but a lead's resting bar
    was still answered by the half-bar figure of -t 1: 2.7-3.1 notes a take where the loop
    rests, at -t 0.3 and 0.5 (helper-142's leads). Now the answer is one note, each take's
    own, and the rest of the bar stays silent."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    call = [(64, 0.0, 0.5), (67, 0.5, 0.5), (69, 1.0, 1.0), (67, 2.0, 0.5), (64, 2.5, 1.5)]
    call += [(62, 4.0, 0.5), (64, 4.5, 0.5), (60, 5.0, 2.0)]
    seed = Clip(tuple(Note(p, at, length, 96) for p, at, length in call), 16.0)
    clip = clip_rows(seed)
    made = LoopHistory.of_seed(clip, steps_of(clip, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    for reach in (STEP, NEIGHBOUR):  # -t 0.3, -t 0.5: one place; an octave's: the figure
        assert Turns(made, 4, np.random.default_rng(0), pitch_reach=reach).figure(0).tolist() == [0]
    assert Turns(made, 4, np.random.default_rng(0)).figure(0).tolist() == [0, 12, 24]
    producer = _producer()
    for temperature in (0.3, 0.5):
        for rng_seed in range(2):
            params = GenerationParams(
                variations=4, bars=4, rng_seed=rng_seed, temperature=temperature
            )
            takes = generate(producer, seed, params).variations
            for take in takes:
                answer = [n for n in take.clip.notes if n.start >= 8.0]  # the rest's 2 bars
                assert len(answer) == 1, (temperature, rng_seed, answer)
            assert len({tuple(t.clip.notes) for t in takes}) == 4  # each answer its own


def _line(notes: list[tuple[int, float]], bars: int, length: float = 0.175) -> Turns:
    """Four takes' turns on a line of (pitch, start in beats) notes ``length`` beats long."""
    clip = Clip(tuple(Note(p, t, length, 96) for p, t in notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return Turns(made, 4, np.random.default_rng(0))


def _eighths(pitches: tuple[int, ...], start: float = 0.0) -> list[tuple[int, float]]:
    return [(p, start + 0.5 * i) for i, p in enumerate(pitches)]


def _at(turns: Turns, beats: float) -> set[int]:
    """The pitch classes a turned note at ``beats`` after the clip's end keeps to."""
    classes = turns.classes_at(np.array([turns.clip_end + round(beats * 24)]))
    assert classes is not None
    return set(np.flatnonzero(classes[0]).tolist())


def test_a_pentatonic_or_blues_line_s_turns_keep_to_its_scale() -> None:
    """A C major pentatonic hook (C D E G A), read as C major, had its takes turn its notes
    to F or B in 7 of 32 takes, and an A blues lead (A C D Eb E G), read as A minor + Eb,
    in 5 (helper-89). A line that fills a pentatonic or blues scale on its key's tonic is
    turned within it; a bass on its chords' roots (A F C G: four notes of F major's
    pentatonic, not of A minor's) keeps its key."""
    hook = (76, 79, 81, 79, 76, 74, 72, 72, 74, 76, 79, 76, 74, 74, 72, 72)
    pentatonic = _line(_eighths(hook) + _eighths(hook, 8.0), bars=4, length=0.45)
    assert pentatonic.classes is not None
    assert set(np.flatnonzero(pentatonic.classes)) == {0, 2, 4, 7, 9}
    assert _at(pentatonic, 13.0) == {0, 2, 4, 7, 9}
    blues = (69, 72, 74, 75, 76, 79, 81, 81, 79, 76, 75, 74, 72, 69, 69, 69)
    lead = _line(_eighths(blues) + _eighths(blues, 8.0), bars=4, length=0.45)
    assert lead.classes is not None
    assert set(np.flatnonzero(lead.classes)) == {9, 0, 2, 3, 4, 7}  # A minor blues
    roots = _line(
        [(p, 0.5 * i) for i, p in enumerate(q for q in (45, 41, 48, 43) for _ in range(4))], 2
    )
    assert _at(roots, 5.0) == {9, 11, 0, 2, 4, 5, 7}  # A minor: its B and E


FUNK = (40, None, 52, 40, None, 43, 44, 45, None, 45, 46, 47, 50, 51, 52, None)
"""An E minor funk bass in 16ths: E, then G G# A, A Bb B and D D# E passing."""


def test_a_line_s_passing_notes_are_turned_only_where_the_loop_passes_through_them() -> None:
    """An E minor funk bass whose G# Bb D# pass on weak 16ths between its notes was locked
    to E major (its G# as long as its G), and a take turned its downbeat E2 into Ab2
    (helper-89). Its turns keep to E minor, and to a passing note only where the loop
    plays it."""
    notes = [(p, 4.0 * bar + 0.25 * i) for bar in range(2) for i, p in enumerate(FUNK) if p]
    funk = _line(notes, bars=2)
    e_minor = {4, 6, 7, 9, 11, 0, 2}
    assert _at(funk, 4.0) == e_minor  # the downbeat: no G#, Bb or D#
    assert _at(funk, 4.0 + 1.5) == e_minor | {8}  # where the loop passes G# on to A
    assert _at(funk, 4.0 + 3.25) == e_minor | {3}  # and D# on to E


def test_the_turns_of_a_loop_that_changes_key_keep_to_the_key_of_their_bars() -> None:
    """A loop of C G/B Am F, then D A/C# Bm G: the turn of its D major chord played F
    natural (D minor) in 7 of 32 takes; a lead in C major, then in Eb major, turned its Eb
    bars' notes to E natural (helper-89). Each bar's turns keep to the key of the run of
    bars it lies in; a loop in one key keeps to the whole loop's classes, as it did."""
    chords = ((48, 52, 55), (47, 50, 55), (45, 48, 52), (45, 48, 53))
    chords += ((50, 54, 57), (49, 52, 57), (47, 50, 54), (47, 50, 55))
    loop = takes([(p, 2.0 * i) for i, chord in enumerate(chords) for p in chord], bars=4)
    c_major, d_major = {0, 2, 4, 5, 7, 9, 11}, {2, 4, 6, 7, 9, 11, 1}
    assert _at(loop, 0.0) == _at(loop, 6.0) == c_major
    assert _at(loop, 8.0) == _at(loop, 14.0) == d_major  # no F natural, no C natural
    one_key = takes([(p, 2.0 * i) for i, chord in enumerate(chords[:4] * 2) for p in chord], 4)
    assert _at(one_key, 8.0) == c_major
    c_lead = (72, 74, 76, 79, 76, 76, 74, 72, 71, 72, 74, 76, 72, 72, 72, 72)
    eb_lead = (75, 77, 79, 82, 79, 79, 77, 75, 74, 75, 77, 79, 75, 75, 75, 75)
    lead = _line(_eighths(c_lead) + _eighths(eb_lead, 8.0), bars=4, length=0.45)
    assert 4 not in _at(lead, 10.0) and 3 in _at(lead, 10.0)  # Eb major: Eb, not E
    assert 4 in _at(lead, 2.0) and 3 not in _at(lead, 2.0)  # C major


def test_takes_on_a_funk_bass_and_a_loop_that_changes_key_keep_to_their_keys(tmp_path) -> None:
    """Read from MIDI files, as `segue generate` reads them: the funk bass's takes put no
    passing note (G#, Bb, D#) on a beat (Ab2 on bar 4's downbeat for its E2 in rng seeds 2
    and 3), and the C-then-D-major loop's takes play no F nor C natural in its D major bars
    (an F3 in a turned D chord at beat 8 in rng seeds 2 and 4, helper-89)."""
    import pretty_midi

    from segue.midi_io import read_part
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    def part(name: str, notes: list[tuple[int, float, float]], program: int) -> Clip:
        midi = pretty_midi.PrettyMIDI(initial_tempo=120)  # a beat is half a second
        track = pretty_midi.Instrument(program=program)
        for pitch, start, length in notes:
            track.notes.append(pretty_midi.Note(96, pitch, start / 2, (start + length) / 2))
        midi.instruments.append(track)
        midi.write(str(tmp_path / name))
        return read_part(tmp_path / name)[0]

    funk = [(p, 4.0 * b + 0.25 * i, 0.175) for b in range(4) for i, p in enumerate(FUNK) if p]
    chords = ((48, 52, 55), (47, 50, 55), (45, 48, 52), (45, 48, 53))
    chords += ((50, 54, 57), (49, 52, 57), (47, 50, 54), (47, 50, 55))
    loop = [(p, 2.0 * i, 1.9) for i, chord in enumerate(chords) for p in chord]
    bass, pad = part("funk.mid", funk, 34), part("loop.mid", loop, 4)
    producer = _producer()
    for rng_seed in (2, 3, 4):
        params = GenerationParams(variations=4, rng_seed=rng_seed)
        for take in generate(producer, bass, params).variations:
            on_beats = {n.pitch % 12 for n in take.clip.notes if n.start == int(n.start)}
            assert not on_beats & {8, 10, 3}, rng_seed
        for take in generate(producer, pad, params).variations:
            d_bars = {n.pitch % 12 for n in take.clip.notes if n.start % 16 >= 8}
            assert not d_bars & {5, 0}, rng_seed


def test_a_line_s_takes_read_its_key_as_key_auto_does_from_its_notes_lengths() -> None:
    """A line's key was read from the model's duration classes taken as ticks (a 2-beat
    note weighed about twice a 16th, not eight times): this line, which `--key auto` reads
    as E minor, turned in C major, with F naturals for its F sharps."""
    line = [(69, 0.0, 0.5), (64, 0.5, 0.5), (71, 1.0, 2.0), (67, 3.0, 1.0), (64, 4.0, 0.25)]
    line += [(59, 4.25, 0.25), (57, 4.5, 0.25), (48, 4.75, 2.0), (62, 6.75, 1.0), (64, 7.75, 0.25)]
    clip = Clip(tuple(Note(p, at, length, 90) for p, at, length in line), 8.0, TimeSignature())
    said = lock_key(clip.notes)
    assert said is not None and str(said) == "E minor"
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(8.0))
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    assert turns.key is not None
    assert set(np.flatnonzero(turns.key).tolist()) == set(said.pitch_classes())


def test_an_arp_s_takes_turn_more_at_bar_8_and_its_whole_bar_16_each_its_own_way() -> None:
    """Over 16 bars an A minor arp in 16ths was the loop with two 16ths turned in each
    4-bar phrase, bars 8 and 16 no different (helper-88). Now bar 8 turns half a bar and
    bar 16 all of it, each take its own way, in the loop's rhythm, key and register, and the
    phrases ending on bars 4 and 12 turn one eighth as before."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    arp = (69, 72, 76, 81) * 4  # A4 C5 E5 A5
    seed = Clip(tuple(Note(p, i * 0.25, 0.2, 100) for i, p in enumerate(arp)), 4.0)
    producer = _producer()
    for rng_seed in range(2):
        params = GenerationParams(variations=4, bars=16, rng_seed=rng_seed)
        last_bars = []
        for take in generate(producer, seed, params).variations:
            bars: list[list[tuple[float, int]]] = [[] for _ in range(16)]
            for n in take.clip.notes:
                bars[int(n.start // 4)].append((round(n.start % 4.0, 3), n.pitch))
            turned = [sum(p != arp[int(at * 4)] for at, p in bar) for bar in bars]
            assert all(sorted(at for at, _ in bar) == [i / 4 for i in range(16)] for bar in bars)
            assert max(turned[3], turned[11]) <= 2 and turned[7] >= 6 and turned[15] >= 12, turned
            assert all(p % 12 in (9, 11, 0, 2, 4, 5, 7) and 67 <= p <= 83 for _, p in bars[15])
            last_bars.append(tuple(bars[15]))
        assert len(set(last_bars)) == 4  # each take its own bar 16


def _producer_part(
    tmp_path, name: str, notes: list[tuple[int, float, float]], velocity: int = 96
) -> Clip:
    """``notes`` (pitch, start and length in beats, at ``velocity``) written to a MIDI file at
    120 BPM and read back, as `segue generate` reads a clip."""
    import pretty_midi

    from segue.midi_io import read_part

    midi = pretty_midi.PrettyMIDI(initial_tempo=120)  # a beat is half a second
    track = pretty_midi.Instrument(program=81)
    for pitch, start, length in notes:
        track.notes.append(pretty_midi.Note(velocity, pitch, start / 2, (start + length) / 2))
    midi.instruments.append(track)
    midi.write(str(tmp_path / name))
    return read_part(tmp_path / name)[0]


def test_a_wilder_temperature_turns_more_of_a_loop_and_a_safer_one_less(tmp_path) -> None:
    """`-t 1.3` often gave the notes of `-t 1` on a loop (41% of 180 requests on producer
    clips, helper-99): the takes keep the loop but in their turns, where the few notes the
    network plays are held near the loop's. An Am F C G arp in 16ths: at -t 1.6 its takes
    leave the loop in more than twice as many notes as at 1, at 0.5 in no more, at 2 in
    no fewer than at 1.6, each take its own way, in the loop's key and register."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    chords = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))
    notes = [
        ((c[0], c[1], c[2], c[0] + 12)[i % 4] + 12, 4.0 * b + 0.25 * i, 0.2)
        for b, c in enumerate(chords)
        for i in range(16)
    ]
    arp = _producer_part(tmp_path, "arp.mid", notes)
    loop = {(round(n.start * 4), n.pitch) for n in arp.notes}
    producer = _producer()
    changed = {}
    for temperature in (0.5, 1.0, 1.6, 2.0):
        off = outside = notes = 0
        for rng_seed in range(3):
            params = GenerationParams(
                bars=4, variations=4, rng_seed=rng_seed, temperature=temperature
            )
            takes = generate(producer, arp, params).variations
            for take in takes:
                played = {(round(n.start * 4), n.pitch) for n in take.clip.notes}
                off += len(played - loop)
                outside += sum(n.pitch % 12 not in (9, 11, 0, 2, 4, 5, 7) for n in take.clip.notes)
                notes += len(take.clip.notes)
                assert all(58 <= n.pitch <= 83 for n in take.clip.notes)  # C4-A5, a step past
            assert len({tuple(t.clip.notes) for t in takes}) == 4
        # the turns keep to the key; a note the network plays where the loop lets go, hotter,
        # may leave it (an F#5 in the G bar at 1.6, as before the turns grew)
        assert outside <= 0.01 * notes, (temperature, outside, notes)
        changed[temperature] = off
    assert changed[0.5] <= changed[1.0] and 2 * changed[1.0] < changed[1.6], changed
    assert changed[1.6] <= changed[2.0], changed


def test_a_wilder_temperature_turns_more_voices_of_a_chord_and_a_safer_one_fewer(
    tmp_path,
) -> None:
    """A pad's takes turned two upper voices of its last chord at every temperature (its
    notes at -t 1.3 those of -t 1, helper-99): now one at 0.5, two at 1, all three at 1.6;
    the bass, the pad's own idea, is the loop's at all of them."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    chords = ((45, 57, 60, 64), (41, 57, 60, 65), (48, 55, 60, 64), (43, 55, 59, 62))
    pad = _producer_part(
        tmp_path, "pad.mid", [(p, 4.0 * b, 3.9) for b, c in enumerate(chords) for p in c]
    )
    loop = {(round(n.start * 4), n.pitch) for n in pad.notes}
    producer = _producer()
    for temperature, most in ((0.5, 1), (1.0, 2), (1.6, 3)):
        turned = []
        for rng_seed in range(3):
            params = GenerationParams(
                bars=4, variations=4, rng_seed=rng_seed, temperature=temperature
            )
            for take in generate(producer, pad, params).variations:
                at: dict[int, int] = {}
                for n in take.clip.notes:
                    if (round(n.start * 4), n.pitch) not in loop:
                        at[round(n.start * 4)] = at.get(round(n.start * 4), 0) + 1
                played = {(round(n.start * 4), n.pitch) for n in take.clip.notes}
                assert {(16 * b, c[0]) for b, c in enumerate(chords)} <= played  # its bass
                turned.append(max(at.values(), default=0))
        assert max(turned) == most, (temperature, turned)


def test_at_the_wildest_each_take_turns_a_whole_bar_of_its_own(tmp_path) -> None:
    """At -t 2 a turn is the whole bar; with the last bar and the one before to lend their
    places, the four takes of a chord loop shared two bars, and two takes that turned one
    bar played one chord (an F# major bar in two of four takes of a segue chord part,
    helper-99). Now the turns may lie in any bar of the phrase: each take its own bar, its
    own chords, over its bass."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    chords = ((45, 57, 60, 64), (41, 57, 60, 65), (48, 55, 60, 64), (43, 55, 59, 62))
    notes = [(p, 4.0 * b + at, 0.9) for b, c in enumerate(chords) for at in (0, 1, 2.5) for p in c]
    pad = _producer_part(tmp_path, "stabs.mid", notes)
    loop = {(round(n.start * 4), n.pitch) for n in pad.notes}
    producer = _producer()
    for rng_seed in range(3):
        params = GenerationParams(bars=4, variations=4, rng_seed=rng_seed, temperature=2.0)
        takes = generate(producer, pad, params).variations
        bars = []
        for take in takes:
            played = {(round(n.start * 4), n.pitch) for n in take.clip.notes}
            bars.append({at // 16 for at, _ in played - loop})
            assert {
                (16 * b + 4 * at, c[0]) for b, c in enumerate(chords) for at in (0, 1)
            } <= played
        assert sorted(b for turned in bars for b in turned) == [0, 1, 2, 3], (rng_seed, bars)
        assert len({tuple(t.clip.notes) for t in takes}) == 4


def test_a_close_seventh_turns_with_its_fifth_left_out_and_its_takes_keep_the_range() -> None:
    """A close Dm7-Fsus2 loop (D3 F3 A3 C4, F3 G3 C4: D3 to C4): neither chord had a voicing
    of its every class in the part's range, and the takes turned the Fsus2 past it (F3 G4
    C5, in 32 of 32 turned chords of helper-119's seed, rng seeds 1-4). A seventh turns with
    its fifth left out, as a pianist voices one (D3 F3 C4 D4): the takes keep the range."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import BEYOND

    chords = ((50, 53, 57, 60), (50, 53, 57, 60), (53, 55, 60), (53, 55, 60))
    clip = _pad(chords)
    producer = _producer()
    far, sevenths = [], set()
    for rng_seed in range(1, 4):
        params = GenerationParams(variations=4, rng_seed=rng_seed)
        for take in generate(producer, clip, params).variations:
            far += [(rng_seed, n) for n in take.clip.notes if not 48 <= n.pitch <= 60 + BEYOND]
            for i, chord in enumerate(chords):
                there = tuple(sorted(n.pitch for n in take.clip.notes if n.start == i * 4.0))
                if chord[0] == 50 and there and there != chord:
                    sevenths.add(there)
                    assert {p % 12 for p in there} >= {2, 5, 0}, there  # its root, 3rd, 7th
    assert not far, far
    assert sevenths, "the Dm7 is turned"


def test_at_a_cool_temperature_a_close_chord_turns_a_voice_with_a_neighbour_free() -> None:
    """-t 0.3: a close triad's turned voice went to the nearest free chord tone, past the
    others where an inner voice had its neighbours taken (a close C's E4 to C5, 8 semitones;
    7-8 in 7 of 24 turned voices of these two loops, rng seeds 1-3, helper-142). Now each
    take turns a voice with a pitch within a fourth left for it (the top steps to the next
    chord tone, an inner voice to a neighbour), and the takes still differ."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    pad = ((57, 60, 64), (57, 60, 65), (55, 60, 64), (55, 59, 62))  # Am F/A C/G G, close
    stabs = ((62, 65, 69), (62, 65, 70), (60, 65, 69), (60, 64, 67))  # Dm Bb/D F/C C
    loops = (
        [Note(p, 4.0 * bar, 3.9, 90) for bar, chord in enumerate(pad) for p in chord],
        [
            Note(p, 4.0 * bar + at, 0.4, 90)
            for bar, chord in enumerate(stabs)
            for at in (0.0, 1.5, 3.0)
            for p in chord
        ],
    )
    producer = _producer()
    moved = []
    for notes in loops:
        seed = Clip(tuple(notes), 16.0)
        loop = {(n.start, n.pitch) for n in notes}
        for rng_seed in (1, 2, 3):
            params = GenerationParams(bars=4, variations=4, rng_seed=rng_seed, temperature=0.3)
            takes = generate(producer, seed, params).variations
            assert len({tuple(t.clip.notes) for t in takes}) == 4
            for take in takes:
                notes_at = {(n.start, n.pitch) for n in take.clip.notes}
                off = notes_at - loop
                assert len(off) == 1, sorted(off)  # one voice of one chord
                (at, pitch), left = off.pop(), loop - notes_at
                moved.append(min(abs(pitch - p) for s, p in left if s == at))
    assert max(moved) <= NEIGHBOUR, moved  # a fourth at most
    assert np.mean(moved) <= 3, moved


def test_a_cool_temperature_changes_one_note_of_each_take_nearer_the_loop(tmp_path) -> None:
    """An octave bass in 8ths over Am F C G: at -t 0.8 its takes leave the loop in the
    turn and, at the loop's strength, around it (1.4 notes a take, 4-5 semitones away);
    at 0.5 and 0.3 each take is the loop with one note of its own, nearer the loop's at
    0.3 than at 0.8, and the four takes still differ."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    roots = (45, 41, 36, 43)
    notes = [
        (r + 12 * (i % 2), 4.0 * b + 0.5 * i, 0.4) for b, r in enumerate(roots) for i in range(8)
    ]
    bass = _producer_part(tmp_path, "bass.mid", notes)
    loop = {(round(n.start * 2) % 32, n.pitch) for n in bass.notes}
    by_place = {place: pitch for place, pitch in loop}
    producer = _producer()
    moved: dict[float, list[int]] = {}
    for temperature in (0.3, 0.5, 0.8):
        moved[temperature] = []
        for rng_seed in range(3):
            params = GenerationParams(
                bars=4, variations=4, rng_seed=rng_seed, temperature=temperature
            )
            takes = generate(producer, bass, params).variations
            assert len({tuple(t.clip.notes) for t in takes}) == 4
            for take in takes:
                off = {(round(n.start * 2) % 32, n.pitch) for n in take.clip.notes} - loop
                if temperature < 0.8:
                    assert len(off) == 1, (temperature, rng_seed, sorted(off))
                moved[temperature] += [abs(p - by_place[at]) for at, p in off]
    assert np.mean(moved[0.3]) < np.mean(moved[0.8]), moved


def test_takes_on_close_seventh_stabs_strike_no_semitone_the_loop_lacks() -> None:
    """Close 7ths stabbed in quarters (Dm7 D4 F4 A4 C5, G7 over D, Cmaj7 C4 E4 G4 B4 for two
    bars): the Cmaj7's only voicing in the part that kept its E and B was E4 B4 C5, and
    every take that turned it struck B4 under C5 (helper-150: 144 to 288 such notes over 16
    requests at each of -t 0.3, 1 and 1.3). Its takes now turn the Dm7 and strike none."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    chords = ((62, 65, 69, 72), (62, 65, 67, 71), (60, 64, 67, 71), (60, 64, 67, 71))
    notes = [
        Note(p, bar * 4.0 + beat, 0.5, 96)
        for bar, chord in enumerate(chords)
        for beat in range(4)
        for p in chord
    ]
    clip = Clip(tuple(notes), 16.0)
    producer = _producer()
    for rng_seed in (1, 2):
        for take in generate(
            producer, clip, GenerationParams(variations=4, rng_seed=rng_seed)
        ).variations:
            struck: dict[float, set[int]] = {}
            for n in take.clip.notes:
                struck.setdefault(n.start, set()).add(n.pitch)
            semitones = [
                (at, sorted(ps)) for at, ps in struck.items() if any(p + 1 in ps for p in ps)
            ]
            assert not semitones, (rng_seed, semitones)


# pads whose last chord's third lies out of the key, a chord a bar over its root: Am G F E
# (the Andalusian cadence, A minor + G#) and Dm G C A (A the secondary dominant of its Dm)
ANDALUSIAN = ((45, 69, 72, 76), (43, 67, 71, 74), (41, 65, 69, 72), (40, 64, 68, 71))
DM_G_C_A = ((50, 65, 69, 74), (43, 67, 71, 74), (48, 67, 72, 76), (45, 69, 73, 76))


def test_a_chord_s_third_out_of_the_key_is_kept_by_every_take() -> None:
    """An Andalusian pad's takes turned its E chord to E2 E4 B4 E5 and E2 E4 C5 E5, and let
    its G#4 go to B4 after a turn of the F chord before it (helper-180): the dominant of A
    minor gone. A keyboard player keeps its leading tone and moves the chord's other
    voices: every take plays the E chord's G#, the A chord's C# in Dm G C A, and the takes
    still turn the chord."""
    for chords, third in ((ANDALUSIAN, 8), (DM_G_C_A, 1)):
        turned = 0
        for temperature, rng_seed, take in _producer_takes(_pad(chords)):
            chord = sorted(n.pitch for n in take.notes if n.start == 12.0)
            turned += chord != list(chords[3])
            assert third in {p % 12 for p in chord}, (temperature, rng_seed, chord)
        assert turned >= 4, (chords, turned)


# a root-fifth bass in quarter notes, one chord a bar (Am F C G): its roots on the downbeat
# are its chords' basses, which no take turns (``broken_chords``)
ROOT_FIFTH_BASS = (33, 40, 33, 40, 29, 36, 29, 36, 36, 43, 36, 43, 31, 38, 31, 38)


def test_every_take_s_turn_lies_where_a_note_varies_though_the_bars_before_lend_it() -> None:
    """A quarter-note root-fifth bass's 8 takes have 6 notes to turn in its last two bars
    (their downbeats are its chords' basses): the bars before lend the others their places,
    and those turns fell where no note varied: 3 of 8 takes were the clip again (helper-190's
    bass_q, 8 of 8 requests of 8 takes and 4 bars at -t 1). Each take varies the note its
    turn starts on, wherever in the phrase that lies."""
    notes = tuple(Note(p, float(i), 0.9, 100) for i, p in enumerate(ROOT_FIFTH_BASS))
    clip = Clip(notes, 16.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    for seed in range(4):
        turns = Turns(made, 8, np.random.default_rng(seed))
        for phrase in range(4):
            starts = turns.starts(phrase)
            assert (starts >= 0).all(), (seed, phrase, starts)
            if phrase % 2 == 0:  # an eighth's turns, each take its own (half a bar at bar 8)
                assert len(set(starts.tolist())) == 8, (seed, phrase, starts)
            for take, start in enumerate(starts.tolist()):
                onsets = np.full(8, turns.clip_end + start)
                assert turns.varies(onsets)[take], (seed, phrase, take, start)


def test_no_take_of_a_quarter_note_bass_is_the_clip_again_or_another_take(tmp_path) -> None:
    """helper-190's quarter-note bass (A1 E2 A1 E2, F1 C2 ..., one chord a bar) and a walking
    bass gave 8 takes of 4 bars of which 2 or 3 were the clip note for note, and so each
    other (8 of 8 requests at -t 1)."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    walking = (29, 33, 36, 39, 34, 38, 41, 40, 41, 36, 33, 31, 36, 40, 43, 40)  # F7 Bb7 F7 C7
    for name, line in (("root_fifth.mid", ROOT_FIFTH_BASS), ("walking.mid", walking)):
        clip = _producer_part(tmp_path, name, [(p, float(i), 0.9) for i, p in enumerate(line)])
        loop = tuple((float(i), p) for i, p in enumerate(line))
        for rng_seed in (1, 2, 3):
            params = GenerationParams(variations=8, bars=4, rng_seed=rng_seed)
            made = [
                tuple(sorted((round(n.start, 2), n.pitch) for n in take.clip.notes))
                for take in generate(producer, clip, params).variations
            ]
            assert loop not in made, (name, rng_seed)
            assert len(set(made)) == 8, (name, rng_seed)


def test_memory_below_1_still_loosens_a_line_answered_late() -> None:
    """A line whose takes answer late keeps its notes for sure (Turns.keeps) at Memory 1, but
    kept so at any Memory, a whole-note sub bass's takes at Memory 0.5 were those at 1 in 4
    of 8 requests (rng seeds 1-8) and a lead ending on a held A4 in 7 of 8 (helper-208): in a
    4-bar continuation that phrase is all of it, and turning Memory down did nothing. Below
    1 a take may drop their notes, as anywhere."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    sub = Clip(tuple(Note(p, 4.0 * i, 4.0, 100) for i, p in enumerate((33, 29, 36, 31))), 16.0)
    lead = Clip(
        tuple(
            Note(p, at, length, 90)
            for p, at, length in (
                (69, 0, 1),
                (72, 1, 1),
                (74, 2, 2),
                (76, 4, 2),
                (72, 6, 2),
                (71, 8, 2),
                (69, 10, 6),
            )
        ),
        16.0,
    )
    for clip in (sub, lead):
        same = 0
        for rng_seed in range(1, 9):
            takes = {
                memory: [
                    v.clip.notes
                    for v in generate(
                        producer,
                        clip,
                        GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=memory),
                    ).variations
                ]
                for memory in (1.0, 0.5)
            }
            same += takes[1.0] == takes[0.5]
        assert same <= 1, (clip.notes[0], same)


def _moves(tmp_path, name: str, notes: list[tuple[int, float, float]]) -> tuple[float, list[int]]:
    """A producer part (``notes``: pitch, start and length in beats) continued with the
    producer model's defaults, 4 takes of 4 bars, rng seeds 1-8: the mean over the 32 takes
    of each take's mean pitch less the plain repeat's (semitones, signed), and how far each
    note the takes play off the loop, where the loop plays one, lies from the loop's note."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    clip = _producer_part(tmp_path, name, notes)
    loop = {round(n.start % clip.length, 3): n.pitch for n in clip.notes}
    again = np.mean(
        [
            loop[round(at % clip.length, 3)]
            for at in np.arange(0, 16, 0.25)
            if round(at % clip.length, 3) in loop
        ]
    )
    shifts, moves = [], []
    for rng_seed in range(1, 9):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        for take in generate(producer, clip, params).variations:
            shifts.append(np.mean([n.pitch for n in take.clip.notes]) - again)
            for n in take.clip.notes:
                was = loop.get(round(n.start % clip.length, 3))
                if was is not None and was != n.pitch:
                    moves.append(n.pitch - was)
    return float(np.mean(shifts)), moves


def test_at_1_a_take_s_turned_note_stays_within_a_fifth_of_the_loop_s(tmp_path) -> None:
    """At -t 1 a turned note moved up to an octave from the loop's note: an Am F C G arp in
    16ths leapt an octave in 8 of 64 turned notes, a funk bass in 5 of 35 (rng seeds 1-8,
    helper-210). A player varies a line with the chord tones next to the note and the steps
    between: within a fifth (AROUND), an octave from -t 1.3."""
    chords = ((57, 60, 64, 69), (53, 57, 60, 65), (55, 60, 64, 67), (55, 59, 62, 67))
    arp = [
        (c[(0, 1, 2, 3, 2, 1)[i % 6]], 4.0 * b + 0.25 * i, 0.25)
        for b, c in enumerate(chords)
        for i in range(16)
    ]
    funk = [(38, 0, 0.25), (50, 0.5, 0.25), (38, 0.75, 0.25), (41, 1.5, 0.25), (43, 2, 0.5)]
    funk += [(50, 2.75, 0.25), (38, 3, 0.25), (36, 3.5, 0.5), (38, 4, 0.25), (50, 4.5, 0.25)]
    funk += [(38, 4.75, 0.25), (45, 5.5, 0.25), (43, 6, 0.5), (41, 6.75, 0.25), (40, 7, 0.5)]
    funk += [(36, 7.5, 0.5)]
    for name, notes in (("arp.mid", arp), ("funk.mid", funk)):
        _, moves = _moves(tmp_path, name, notes)
        assert moves, name
        assert max(abs(m) for m in moves) <= AROUND, (name, moves)


def test_a_loop_s_note_on_its_median_turns_the_way_that_keeps_the_median() -> None:
    """A lead whose home note A4 is its median (31 notes: 11 A4s, 4 under, 16 over, a high
    A5 at the phrase's end) had an A4 turned up a step to a fourth in 10 of 32 takes (rng
    1-8, 4 takes, the model segue chooses), each take's median a whole step higher than the
    clip's; the takes turn it down now, as many notes turned."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    line = (69, 72, 71, 69, 67, 69, 72, 74)
    notes = [Note(p, bar * 4 + k * 0.5, 0.5, 96) for bar in range(4) for k, p in enumerate(line)]
    clip = Clip((*notes[:-2], Note(81, 15.0, 1.0, 96)), 16.0, TimeSignature(4, 4))
    model = choose_model("auto")(clip).model
    loop = {(n.start, n.pitch) for n in clip.notes}
    moved = turned = 0
    for rng in range(1, 9):
        for v in generate(
            model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng)
        ).variations:
            moved += abs(np.median([n.pitch for n in v.clip.notes]) - 69) >= 2
            turned += len({(n.start, n.pitch) for n in v.clip.notes} - loop)
    assert moved == 0
    assert turned >= 32  # a turn a take, as before


def test_a_pedal_arp_s_turned_pedal_keeps_its_side_of_the_median() -> None:
    """A 16th pedal arp, half its notes the pedal under the middle (C4 G4 C4 E4) or over it
    (E5 C5 E5 A4), had no other note of its bar's chord on the pedal's side within the part:
    each take's turned pedal went to the E4 or G4 over the middle (the A4 or C5 under it),
    and every take's median moved a whole step (32 of 32 takes of each, rng 1-8, 4 takes,
    the model segue chooses). The pedal takes its neighbour in the key on its side now, and
    each take still turns its eighth (two notes of its own, none the clip again)."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    for figure in ((60, 67, 60, 64), (76, 72, 76, 69)):
        notes = [Note(p, k * 0.25, 0.22, 96) for k, p in enumerate(figure * 16)]
        clip = Clip(notes, 16.0, TimeSignature(4, 4))
        middle = float(np.median(figure))
        model = choose_model("auto")(clip).model
        loop = {(n.start, n.pitch) for n in clip.notes}
        moved = 0
        for rng in range(1, 9):
            for v in generate(
                model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng)
            ).variations:
                moved += abs(np.median([n.pitch for n in v.clip.notes]) - middle) >= 2
                assert len({(n.start, n.pitch) for n in v.clip.notes} - loop) >= 2, figure
        assert moved == 0, figure


def test_a_ninths_pad_s_takes_share_its_chords_with_a_colour_never_turning_bar_1() -> None:
    """A close ninths pad (Am9 Dm9 G13 Cmaj9, five voices, held a bar each: ``NINTHS``): its
    G13 has no voicing of its own in the part's range and its Dm9 one, and its takes turned
    the phrase's first bar, the Am9, in 12 of 32 takes (rng seeds 1-8, helper-225): a colour
    was offered only to a 3-class sus chord or a 4-class seventh with no voicing of its own.
    A take sharing the Dm9 moves its fifth a step down to its 11th (Dm11: D3 F3 G3 C4 E4), so
    bar 1 is the loop's, every turned chord keeps its bass and the key, and the 4 takes of a
    request are 4 chords of their own."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    producer = _producer()
    made: set[tuple[int, ...]] = set()
    for rng_seed in range(1, 9):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        takes = [
            [
                tuple(sorted(n.pitch for n in t.clip.notes if n.start == bar * 4.0))
                for bar in range(4)
            ]
            for t in generate(producer, _pad(NINTHS), params).variations
        ]
        assert len({tuple(t) for t in takes}) == 4, (rng_seed, takes)  # 4 takes of their own
        assert all(t[0] == NINTHS[0] for t in takes), (rng_seed, takes)  # bar 1 the loop's
        pairs = {(c, loop) for t in takes for c, loop in zip(t, NINTHS, strict=True) if c != loop}
        assert all(c[0] == loop[0] for c, loop in pairs), pairs  # each its bass kept
        turned = {c for c, _ in pairs}
        assert {p % 12 for c in turned for p in c} <= {0, 2, 4, 5, 7, 9, 11}, turned  # A minor
        made |= turned
    assert (50, 53, 55, 60, 64) in made, made


def test_the_takes_of_a_ii_v_pad_whose_g13_has_no_fifth_are_four_of_their_own() -> None:
    """Dm7 Dm7 G13 G13, held a bar each (D3 A3 C4 F4, G2 F3 B3 E4): the G13 has no voicing of
    its own in the part's range and no colour to move to but its 13th down to its fifth (the
    G7 a keyboard player makes of it: G2 F3 B3 D4); without it the takes of a request were 2
    of their own (each take of a pair the same), bar 1 never turned. Now 4, bar 1 the loop's."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    ii_v = ((50, 57, 60, 65), (50, 57, 60, 65), (43, 53, 59, 64), (43, 53, 59, 64))
    producer = _producer()
    for rng_seed in range(1, 5):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
        takes = [
            tuple(sorted((n.start, n.pitch) for n in t.clip.notes))
            for t in generate(producer, _pad(ii_v, 4.0, 3.9), params).variations
        ]
        assert len(set(takes)) == 4, (rng_seed, takes)
        for take in takes:
            assert sorted(p for s, p in take if s == 0.0) == list(ii_v[0]), (rng_seed, take)


AM_F_C_G_TRIADS = ((57, 60, 64), (57, 60, 65), (55, 60, 64), (55, 59, 62))


def _struck(
    chords: tuple[tuple[int, ...], ...], times: tuple[float, ...], length: float
) -> list[tuple[int, float, float]]:
    """(pitch, start, length) of a chord loop that strikes each bar's chord (one of
    ``chords`` a bar, 4/4) at ``times`` (beats into the bar), ``length`` beats long."""
    return [(p, b * 4 + t, length) for b, ch in enumerate(chords) for t in times for p in ch]


def test_takes_on_chord_stabs_re_voice_half_a_bar_of_them_a_pad_s_one_chord() -> None:
    """A chord loop struck more than twice a bar (house stabs on the "and"s, 8th-note stabs,
    a 16th gate) turned one eighth at its phrase's end, one stab of 16 to 64: its 4 takes
    were the loop but for a voice or two (per-request diversity 0.06-0.08). Its turns are
    half a bar now, as a section's end's, a whole bar where half a bar holds fewer than
    RUN stabs (house stabs, two a half bar); a pad struck once a bar, a chord on 1 and the
    "and" of 2 turn two bars (``turn_kinds.HELD_BARS``: their turned chords re-voiced, the
    next in the phrase too; an eighth before, one chord a take) at every phrase's end."""
    am = AM_F_C_G_TRIADS[0]
    loops = {  # each loop's (pitch, start, length), and its turn at a phrase's end
        "offbeat stabs": (_struck((am,) * 4, (0.5, 1.5, 2.5, 3.5), 0.25), 96),
        "8th stabs": (_struck(AM_F_C_G_TRIADS, tuple(t * 0.5 for t in range(8)), 0.25), 48),
        "pad": (_struck(AM_F_C_G_TRIADS, (0.0,), 0.25), 2 * BAR),  # was TURN
        "1 and the and of 2": (_struck(AM_F_C_G_TRIADS, (0.0, 1.5), 0.25), 2 * BAR),  # was TURN
    }
    for name, (notes, turn) in loops.items():
        turns = takes([(p, t) for p, t, _ in notes], bars=4, step=0.25)
        assert turns.length(0) == turn, name
        if turn > BAR:  # a pad's two bars at every phrase's end (turn_kinds.HELD_BARS)
            assert turns.length(1) == turn, name
        else:
            assert turns.length(1) == min(max(turn, 48) * (2 if turn > TURN else 1), 96), name
        if turn == 48:  # each take its half bar, of the last two bars
            assert len(set(turns.starts(0).tolist())) == 4, name
        if turn == 96:  # a whole bar, of the last two: one chord, never bar 1
            assert set(turns.starts(0).tolist()) == {192, 288}, name


def test_the_takes_of_chord_stabs_each_re_voice_a_run_of_them(tmp_path) -> None:
    """House stabs on the "and"s (Am7), 8th-note triad stabs and a trance gate of 16th
    triads (Am F C G), from MIDI files, default requests (4 takes, 4 bars), rng seeds 1-3:
    each take turned one eighth's stab, one or two notes of 64 to 192, and the takes of a
    request differed by 0.06-0.08 (mean pairwise 1 - Jaccard of their (onset, pitch)
    notes; the goal is 0.15). Each take re-voices a run of stabs now: none is the clip
    again, every note starts on the clip's bar positions, in its classes (or a colour over
    its bar's root: the house Am7's takes, a whole bar each, may take its 11th, Am11, where its
    one voicing in range leaves too few bars for four takes) and range, and the 8th stabs' and
    the gate's takes differ by 0.15 or more, the house stabs' too (0.1 before RUN)."""
    from itertools import combinations

    from segue.model.generate import generate
    from segue.model.settings import GenerationParams
    from segue.model.voicings import chord_rooms

    am7 = (57, 60, 64, 67)
    parts = {
        "house.mid": (_struck((am7,) * 4, (0.5, 1.5, 2.5, 3.5), 0.25), 0.15),
        "eighths.mid": (_struck(AM_F_C_G_TRIADS, tuple(t * 0.5 for t in range(8)), 0.3), 0.15),
        "gate.mid": (_struck(AM_F_C_G_TRIADS, tuple(t * 0.25 for t in range(16)), 0.2), 0.15),
    }
    producer = _producer()
    for name, (notes, least) in parts.items():
        clip = _producer_part(tmp_path, name, notes)
        loop = {(n.start, n.pitch) for n in clip.notes}
        places = {n.start % 4 for n in clip.notes}
        classes = {n.pitch % 12 for n in clip.notes}
        low, high = min(p for _, p in loop), max(p for _, p in loop)
        chords = (am7,) * 4 if name == "house.mid" else AM_F_C_G_TRIADS
        for rng_seed in range(1, 4):
            params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
            made = []
            for take in generate(producer, clip, params).variations:
                notes_of = {(n.start, n.pitch) for n in take.clip.notes}
                assert len(notes_of - loop) >= 2, (name, rng_seed)  # a run, not one stab
                assert {s % 4 for s, _ in notes_of} <= places, (name, rng_seed)
                for at, pitch in notes_of - loop:  # its classes, or a colour over its root
                    root = 9 if name == "house.mid" else (9, 5, 0, 7)[int(at // 4)]
                    assert pitch % 12 in classes or (pitch - root) % 12 in (2, 5, 10, 11), (
                        name,
                        rng_seed,
                        at,
                        pitch,
                    )
                for at, p in notes_of:  # the range, a C/G's root on top (chord_span) C5,
                    # a close G's third an octave up (voice_span) B4: its rooms' span
                    chord = np.array(chords[int(at // 4) % 4])
                    top = chord_rooms(chord, (low, high), None, True).span
                    assert top is not None and low - 2 <= p <= top[1] + 2, (name, rng_seed, p)
                made.append(notes_of)
            apart = [1 - len(a & b) / len(a | b) for a, b in combinations(made, 2)]
            assert np.mean(apart) >= least, (name, rng_seed, np.mean(apart))


def test_a_sparse_lead_s_answers_stay_where_the_line_sits(tmp_path) -> None:
    """A sparse lead of a note or two a bar, its next note the top of the line (E5 D5-C5 A4
    G4) or the bottom (E4 G4-A4 C5 D5), answered in its last bar's rest anywhere within
    an octave on its next note's side of the middle: a G5 over the top E5 (8 of 32 answers
    more than a whole step from every pitch of the line), an E5 over the bottom line's D5
    (8 of 32), and the answer carried the take's median along (mean shift 0.75 and 1.03
    semitones). Each answer now lies between its next note and the line's middle or
    nearest them (G5 and E5 in none; mean shift 0.62 and 0.88), a step from the line at
    most, and
    each request keeps 4 takes of their own (diversity at least 0.15), none the clip again
    (rng 1-8, 4 takes, 4 bars, the model segue chooses)."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    lines = {
        "top.mid": [(76, 0, 1.5), (74, 4, 1), (72, 6, 1), (69, 8, 1.5), (67, 12, 1)],
        "bottom.mid": [(64, 0, 1.5), (67, 4, 1), (69, 6, 1), (72, 8, 1.5), (74, 12, 1)],
    }
    for name, notes in lines.items():
        clip = _producer_part(tmp_path, name, notes)
        assert clip.length == 16.0
        own = np.array([p for p, _, _ in notes])
        places = {start for _, start, _ in notes}
        loop = {(start, p) for p, start, _ in notes}
        model = choose_model("auto")(clip).model
        far = answers = 0
        for rng in range(1, 9):
            takes = generate(
                model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng)
            ).variations
            keys = [{(n.start, n.pitch) for n in v.clip.notes} for v in takes]
            pairs = [1 - len(a & b) / len(a | b) for i, a in enumerate(keys) for b in keys[i + 1 :]]
            assert np.mean(pairs) >= 0.15, (name, rng)
            assert all({(s % 16, p) for s, p in k} != loop for k in keys), (name, rng)
            for v in takes:
                for n in v.clip.notes:
                    if n.start % 16 not in places:  # an answer in the line's rest
                        answers += 1
                        far += int(np.abs(own - n.pitch).min()) > 2
        assert answers >= 32, name
        assert far == 0, name


def test_a_sparse_lead_s_answer_moves_on_from_the_note_before_it(tmp_path) -> None:
    """A lead of D5 C5 A4 / C5 D5 E5 / D5 C5 A4 / G4 A4 and a rest, its next note D5: its
    answers were counted from the span between D5 and the line's middle (C5), which
    reaches over the middle toward the A4 it had just played, and 8 of 32 answers struck
    that A4 again (rng 1-8) where a player moves on. Now none does; each request keeps 4
    takes of their own, none more than a whole step from the line (rng 1-8, 4 takes, 4
    bars, the model segue chooses)."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    notes = [(74, 0, 0.5), (72, 0.5, 0.5), (69, 1, 2), (72, 4, 0.5), (74, 4.5, 0.5), (76, 5, 2)]
    notes += [(74, 8, 0.5), (72, 8.5, 0.5), (69, 9, 2), (67, 12, 0.5), (69, 12.5, 1)]
    clip = _producer_part(tmp_path, "step.mid", notes)
    own = np.array([p for p, _, _ in notes])
    places = {start for _, start, _ in notes}
    model = choose_model("auto")(clip).model
    again = answers = 0
    for rng in range(1, 9):
        takes = generate(model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng))
        keys = [{(n.start, n.pitch) for n in v.clip.notes} for v in takes.variations]
        assert len({frozenset(k) for k in keys}) == 4, rng
        for v in takes.variations:
            played = sorted(v.clip.notes, key=lambda n: n.start)
            for before, n in zip(played, played[1:], strict=False):
                if n.start % 16 not in places:  # an answer in the line's rest
                    answers += 1
                    again += n.pitch == before.pitch
                    assert int(np.abs(own - n.pitch).min()) <= 2, (rng, n.pitch)
    assert answers >= 32
    assert again == 0


def test_a_lead_s_answers_in_its_rest_change_with_the_rng_seed(tmp_path) -> None:
    """A lead that rests in its last bar's second half (a call-and-response hook, a D minor
    hook, long notes over rests) answered its rest with the same four pitches in every
    request (rng 1-8, 4 takes, 4 bars, the model segue chooses), reshuffled: 1 set of
    answer pitches over 8 requests. Now each request's rng chooses them among the good ones
    near the line, as few as the takes at each place need: 3 sets or more over 8 requests,
    every answer a whole step from the line at most, each request 4 takes of their own
    (diversity at least 0.15), none the clip again, a hook answering on two beats with two
    pitches, each on both."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    hooks = {
        "call.mid": [(69, 0, 0.5), (72, 0.5, 0.5), (74, 1, 1), (76, 4, 0.5), (74, 4.5, 0.5)]
        + [(72, 5, 1.5), (69, 8, 0.5), (72, 8.5, 0.5), (74, 9, 1), (79, 12, 0.5), (76, 12.5, 1)],
        "minor.mid": [(74, 0, 1), (77, 1, 0.5), (76, 2, 1), (74, 4, 1.5), (72, 6, 1)]
        + [(69, 8, 1), (70, 9, 1), (69, 10, 1), (74, 12, 1.5)],
        "long.mid": [(72, 0, 3), (71, 4, 3), (69, 8, 3), (67, 12, 1.5)],
    }
    for name, notes in hooks.items():
        clip = _producer_part(tmp_path, name, notes)
        own = np.array([p for p, _, _ in notes])
        places = {start for _, start, _ in notes}
        loop = {(start, p) for p, start, _ in notes}
        model = choose_model("auto")(clip).model
        answered: set[frozenset[int]] = set()
        for rng in range(1, 9):
            takes = generate(
                model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng)
            ).variations
            keys = [{(n.start, n.pitch) for n in v.clip.notes} for v in takes]
            assert len({frozenset(k) for k in keys}) == 4, (name, rng)
            pairs = [1 - len(a & b) / len(a | b) for i, a in enumerate(keys) for b in keys[i + 1 :]]
            assert np.mean(pairs) >= 0.15, (name, rng)
            assert all({(s % 16, p) for s, p in k} != loop for k in keys), (name, rng)
            answers = {(s, p) for k in keys for s, p in k if s % 16 not in places}
            assert all(int(np.abs(own - p).min()) <= 2 for _, p in answers), (name, rng)
            pitches = frozenset(p for _, p in answers)
            if len({s for s, _ in answers}) > 1:  # two places: two pitches, each on both
                assert len(pitches) == 2, (name, rng, sorted(answers))
            answered.add(pitches)
        assert len(answered) >= 3, (name, answered)


def test_the_takes_of_chord_stabs_re_voice_each_chord_and_keep_its_harmony(tmp_path) -> None:
    """A run of chord stabs turned (half a bar of 8th-note stabs, a 16th gate, Am F C G;
    inversions C/G G Am/E F/C) took the loop's other classes, another chord over the bass
    for half a bar: G B D over the C bar's G3, G E G in the G bar, Am/E's turns C/E (model
    auto, rng seeds 1-8, 4 takes, 4 bars: 100 of 130 turned 8th stabs, 207 of 257 gate
    stabs, 132 of 155 inversions). Each turned stab now keeps its chord over the same bass,
    its root and one colour at most over it (a seventh, a suspension, a ninth), and the 8th
    stabs' and the gate's takes still differ by 0.15 or more."""

    inversions = ((55, 60, 64), (55, 59, 62), (52, 57, 60), (48, 53, 57))  # C/G G Am/E F/C
    roots = {(55, 60, 64): 0, (55, 59, 62): 7, (52, 57, 60): 9, (48, 53, 57): 5}
    roots.update({(57, 60, 64): 9, (57, 60, 65): 5})
    parts = {
        "eighths.mid": (AM_F_C_G_TRIADS, tuple(t * 0.5 for t in range(8)), 0.15),
        "gate.mid": (AM_F_C_G_TRIADS, tuple(t * 0.25 for t in range(16)), 0.15),
        "inversions.mid": (inversions, tuple(t * 0.5 for t in range(8)), 0.15),
    }
    producer = _producer()
    for name, (chords, times, least) in parts.items():
        clip = _producer_part(tmp_path, name, _struck(chords, times, 0.25))
        for rng_seed in range(1, 4):
            made = []
            for notes, struck in _stab_takes(producer, clip, rng_seed):
                for start, pitches in struck.items():
                    chord = chords[int(start // 4)]
                    if start < 8 or sorted(pitches) == list(chord):
                        continue  # the turns: half a bar each, in the last two bars
                    _assert_keeps_chord((name, rng_seed, start), pitches, chord, roots[chord])
                made.append(notes)
            assert _apart(made) >= least, (name, rng_seed, _apart(made))


def test_the_takes_of_stabs_struck_four_times_a_bar_re_voice_a_bar_of_them(
    tmp_path: Path,
) -> None:
    """House stabs on the "and"s re-voiced half a bar, two stabs, at a phrase's end: a close
    Am7's one voicing in the part's range turns one voice (E4 to A4), and the four takes of a
    request were the loop but for two notes each (per-request diversity 0.118, model auto,
    rng seeds 1-8, 4 bars). Their takes re-voice a whole bar of them now, as a keyboard player
    varies a run of stabs, each keeping its chord over its bass, never the phrase's first bar;
    Am F C G triads so struck likewise."""

    am7, offbeats = (57, 60, 64, 67), (0.5, 1.5, 2.5, 3.5)
    parts = {  # each part's chords and their roots
        "house.mid": ((am7,) * 4, (9, 9, 9, 9)),
        "triads.mid": (AM_F_C_G_TRIADS, (9, 5, 0, 7)),
    }
    producer = _producer()
    for name, (chords, roots) in parts.items():
        clip = _producer_part(tmp_path, name, _struck(chords, offbeats, 0.25))
        for rng_seed in range(1, 4):
            made = []
            for notes, struck in _stab_takes(producer, clip, rng_seed):
                for start, pitches in struck.items():
                    chord, root = chords[int(start // 4)], roots[int(start // 4)]
                    if sorted(pitches) == list(chord):
                        continue
                    assert start >= 4, (name, rng_seed, start)  # never the phrase's first bar
                    _assert_keeps_chord((name, rng_seed, start), pitches, chord, root)
                made.append(notes)
            assert _apart(made) >= 0.15, (name, rng_seed, _apart(made))


def test_the_takes_of_triad_stabs_keep_the_third_of_most_turned_triads(tmp_path: Path) -> None:
    """A take's voicing of a stab loop's triad was drawn among all its voicings, most of
    which lose its third to a suspension or a seventh: Am F C G close triads on the "and"s
    played Asus2, Csus4/G, Gsus4 ... in 88 of 128 turned stabs (model auto, rng seeds 1-8, 4
    takes, 4 bars). A sus colour is an occasional colour (``turned_voicings.SUSPENDED``): each take
    now draws a voicing that keeps the third but with that chance, and more than half the turned
    triads keep it (the rest: a close C/G or G in a loop from G3 to F4, whose every turn in
    the part's range moves its third off)."""

    from segue.model.voicings import keeps_third

    producer = _producer()
    clip = _producer_part(
        tmp_path, "triads.mid", _struck(AM_F_C_G_TRIADS, (0.5, 1.5, 2.5, 3.5), 0.25), 100
    )
    kept = turned = 0
    for rng_seed in range(1, 9):
        for _, struck in _stab_takes(producer, clip, rng_seed):
            for start, pitches in struck.items():
                chord = AM_F_C_G_TRIADS[int(start // 4)]
                if sorted(pitches) != list(chord):
                    turned += 1
                    kept += keeps_third(chord, tuple(sorted(pitches)))
    assert turned >= 100 and kept >= turned / 2, (kept, turned)  # was 40 of 128


def test_the_takes_of_6_4_triad_stabs_keep_their_third_with_the_root_on_top(
    tmp_path: Path,
) -> None:
    """A close triad over its fifth (C/G as G3 C4 E4, Am/E as E3 A3 C4) in a stab loop from
    C3 to E4 had no re-voicing in the part's range that keeps its root and its third: its
    turns were sus chords or lost the third (G3 C4 D4, G3 C4 F4, E3 A3 D4, E3 A3 E4), none
    of the turned C/G and Am/E stabs of C/G G Am/E F/C on the "and"s kept it (model auto,
    rng seeds 1-8, 4 takes, 4 bars). Its root may now reach an octave up, as a keyboard
    player puts it (``voicings.chord_span``: G3 E4 C5, E3 C4 A4), and most such turns keep
    the chord's quality."""
    from segue.model.voicings import keeps_third

    chords = ((55, 60, 64), (55, 59, 62), (52, 57, 60), (48, 53, 57))  # C/G G Am/E F/C
    producer = _producer()
    clip = _producer_part(tmp_path, "inv.mid", _struck(chords, (0.5, 1.5, 2.5, 3.5), 0.25), 100)
    kept = turned = 0
    for rng_seed in range(1, 9):
        for _, struck in _stab_takes(producer, clip, rng_seed):
            for start, pitches in struck.items():
                chord = chords[int(start // 4) % 4]
                if chord in (chords[0], chords[2]) and sorted(pitches) != list(chord):
                    turned += 1
                    kept += keeps_third(chord, tuple(sorted(pitches)))
                    assert max(pitches) <= chord[1] + 12, (start, pitches)  # the root on top
    assert turned >= 40 and kept >= turned / 2, (kept, turned)


def test_a_chord_loop_s_takes_keep_the_first_bar_of_an_8_bar_section_s_last_phrase(
    tmp_path: Path,
) -> None:
    """At an 8-bar section's end a chord loop's takes turn half a bar each, one place a bar
    of a chord and its push, and where its last bars' chords had too few voicings they
    reached back to bar 5, the phrase's first (Dm7 G7 Cmaj7 Cmaj7 stabs on 1 and the "and"
    of 2, model auto, rng 1-8, 8 bars: bar 5's Dm7 turned in every request). That bar keeps
    the loop, as bar 1 does: the turns reach back to the half phrase's end at most."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    chords = ((50, 53, 57, 60), (43, 47, 50, 53), (48, 52, 55, 59), (48, 52, 55, 59))
    clip = _producer_part(tmp_path, "ii_v.mid", _struck(chords, (0.0, 1.5), 0.25), 100)
    producer = _producer()
    for rng_seed in (1, 2):
        params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
        for take in generate(producer, clip, params).variations:
            bar5 = sorted((n.start, n.pitch) for n in take.clip.notes if 16 <= n.start < 20)
            assert bar5 == [(16.0 + t, p) for t in (0.0, 1.5) for p in chords[0]], bar5


def test_the_rng_seed_chooses_the_voicings_of_a_stab_loop_s_takes(tmp_path: Path) -> None:
    """Pressed again, Generate gives other takes of a chord loop of stabs: its turned stabs
    took the network's most likely voicing (one per chord), so the four takes of every
    request were the same four re-voiced half bars, reshuffled (8th stabs of close Am F C G
    triads: 5 distinct takes of 16 over rng seeds 1-4; root-position Dm7 G7 stabs on 1, the
    "and" of 2 and 4: 5; now 10 and 11). Each take's rng now chooses its voicing among the
    chord's clear ones, every take of a request its own, each keeping its chord over its bass."""

    dm7, g7 = (50, 53, 57, 60), (43, 47, 50, 53)
    parts = {  # each part's chords, their roots, where a bar strikes them
        "eighths.mid": (AM_F_C_G_TRIADS, (9, 5, 0, 7), tuple(k / 2 for k in range(8))),
        "dm7_g7.mid": ((dm7, g7, dm7, g7), (2, 7, 2, 7), (0.0, 1.5, 3.0)),
    }
    producer = _producer()
    for name, (chords, roots, times) in parts.items():
        clip = _producer_part(tmp_path, name, _struck(chords, times, 0.25))
        loop = {(n.start, n.pitch) for n in clip.notes}
        every: set[frozenset[tuple[float, int]]] = set()
        for rng_seed in range(1, 5):
            made = []
            for notes, struck in _stab_takes(producer, clip, rng_seed):
                assert notes != loop, (name, rng_seed)  # never the clip again
                for start, pitches in struck.items():
                    assert start % 4 in times, (name, rng_seed, start)  # the clip's places
                    chord, root = chords[int(start // 4)], roots[int(start // 4)]
                    if sorted(pitches) != list(chord):  # bar 1 too: a voice let go there
                        # copied the clip's F/A's F4 onto rng 3's Am (F/A) before
                        _assert_keeps_chord((name, rng_seed, start), pitches, chord, root)
                made.append(notes)
            assert len({frozenset(m) for m in made}) == 4, (name, rng_seed)
            assert _apart(made) >= 0.15, (name, rng_seed, _apart(made))
            every |= {frozenset(m) for m in made}
        assert len(every) >= 8, (name, len(every))  # was 5 of 16 each


def test_the_rng_seed_chooses_the_voicings_of_a_pad_s_takes(tmp_path: Path) -> None:
    """Pressed again, Generate gives other takes of a pad: its turned chord took the
    network's most likely pitches, so the same few takes came back in every request, some of
    them the neighbouring chord over its bass (G -> C/G, C -> Am/C) and two takes of a
    request alike (rng seeds 1-6, 24 takes: Am F C G close triads 6 distinct, a C held four
    bars 4, Dm Bb C in half notes 4; now 10, 14 and 7). Each take's rng now chooses its
    voicing among the chord's clear ones in the part's range, as a stab loop's
    (``turned_voicings.TurnedVoicings._plain_aim``): its own chord over its bass, now and then
    a colour over its root, on the loop's onsets, every take of a request its own."""

    dm, bb, c = (50, 53, 57), (46, 50, 53), (48, 52, 55)
    parts = {  # each pad's chords, their roots, where a bar strikes them, how long
        "am_f_c_g.mid": (((57, 60, 64), (53, 57, 60), c, (55, 59, 62)), (9, 5, 0, 7), (0.0,), 3.9),
        "c_held.mid": (((60, 64, 67),) * 4, (0, 0, 0, 0), (0.0,), 3.9),
        "dm_bb_c.mid": ((dm, dm, bb, c), (2, 2, 10, 0), (0.0, 2.0), 1.9),
    }
    producer = _producer()
    for name, (chords, roots, times, length) in parts.items():
        clip = _producer_part(tmp_path, name, _struck(chords, times, length))
        loop = {(n.start, n.pitch) for n in clip.notes}
        every: set[frozenset[tuple[float, int]]] = set()
        for rng_seed in range(1, 7):
            takes = _stab_takes(producer, clip, rng_seed)
            made = {frozenset(notes) for notes, _ in takes}
            assert len(made) == 4 and frozenset(loop) not in made, (name, rng_seed)  # each its own
            every |= made
            for _, struck in takes:  # on the loop's onsets, each chord kept over its bass
                assert {s % 16 for s in struck} == {n.start for n in clip.notes}, name
                for start, pitches in struck.items():
                    chord, root = chords[int(start % 16 // 4)], roots[int(start % 16 // 4)]
                    if sorted(pitches) != list(chord):
                        _assert_keeps_chord((name, rng_seed, start), pitches, chord, root)
        assert len(every) >= 7, (name, len(every))  # was 6, 4 and 4 of 24


def test_a_stab_loop_s_takes_keep_its_bass_after_their_turns(tmp_path: Path) -> None:
    """A take's stabs after its turn are the loop's chords over the loop's bass: a note its
    memory copies onto a chord's voice is narrowed as a voice let go is (keeping the chord
    over its bass). Close inversions (C/G G Am/E F/C, 8th stabs): rng 3's take that turned
    its F/C to C3 F3 G3 copied that G3 onto the next stab's bass, F3 G3 A3, its bass gone
    (rng 5's too)."""

    chords = ((55, 60, 64), (55, 59, 62), (52, 57, 60), (48, 53, 57))
    roots = (0, 7, 9, 5)
    times = tuple(k / 2 for k in range(8))
    producer = _producer()
    clip = _producer_part(tmp_path, "inversions.mid", _struck(chords, times, 0.25), 100)
    for rng_seed in (3, 5):
        for _, struck in _stab_takes(producer, clip, rng_seed):
            for start, pitches in struck.items():
                chord, root = chords[int(start // 4)], roots[int(start // 4)]
                if sorted(pitches) != list(chord):
                    _assert_keeps_chord((rng_seed, start), pitches, chord, root)


def _stab_takes(
    model: object, clip: Clip, rng_seed: int
) -> list[tuple[set[tuple[float, int]], dict[float, list[int]]]]:
    """The takes of a default request (4 takes, 4 bars) on ``clip`` at ``rng_seed``: each
    take's (onset, pitch) notes, and its pitches by onset."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed)
    out = []
    for take in generate(model, clip, params).variations:  # type: ignore[arg-type]
        struck: dict[float, list[int]] = {}
        for n in take.clip.notes:
            struck.setdefault(n.start, []).append(n.pitch)
        out.append(({(n.start, n.pitch) for n in take.clip.notes}, struck))
    return out


def _assert_keeps_chord(
    where: tuple, pitches: list[int], chord: tuple[int, ...], root: int
) -> None:
    """A turned stab's ``pitches`` keep the loop's ``chord`` (its ``root``'s class): over its
    bass, its root, one colour at most over it (a ninth or sus, a seventh)."""
    extra = {p % 12 for p in pitches} - {p % 12 for p in chord}
    where = (*where, chord, sorted(pitches))
    assert min(pitches) == chord[0], where  # over the same bass
    assert root in {p % 12 for p in pitches}, where  # its root
    assert len(extra) <= 1, where  # one colour at most
    assert all((c - root) % 12 in (2, 5, 10, 11) for c in extra), where


def _apart(made: list[set[tuple[float, int]]]) -> float:
    """Mean pairwise 1 - Jaccard of takes' (onset, pitch) notes."""
    from itertools import combinations

    return float(np.mean([1 - len(a & b) / len(a | b) for a, b in combinations(made, 2)]))


def _answers(tmp_path: Path, name: str, notes: list[tuple[int, float, float]]) -> list[set[int]]:
    """The pitches a lead's takes answer with, off the places of its ``notes`` (pitch,
    start and length in beats; a 4-bar clip written to a MIDI file ``name``), in each of 8
    requests (model auto, rng seeds 1-8, 4 takes, 4 bars), each request some."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    clip = _producer_part(tmp_path, name, notes)
    places = {start for _, start, _ in notes}
    model = choose_model("auto")(clip).model
    out = []
    for rng in range(1, 9):
        takes = generate(model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng))
        answers = {
            n.pitch for v in takes.variations for n in v.clip.notes if n.start % 16 not in places
        }
        assert answers, rng
        out.append(answers)
    return out


def test_a_lead_s_answers_take_no_pitch_it_plays_only_as_a_grace_note(tmp_path: Path) -> None:
    """A lead with grace notes (a D#5 into its E5, a C#5 into its D5, an F#5 into its G5)
    answered its rest with its C#5, a grace held a beat over the G bar, out of the key: 78
    of 352 answers (model auto, rng 1-8, 4 and 8 bars, -t 0.5 to 2), as the pool of answers
    took the line's every pitch and the key read with its graces in it. Its answers now keep
    to the classes it plays as notes; the rng still chooses among them (2 sets or more)."""
    notes = [(75, 0, 0.1), (76, 0.1, 0.9), (72, 1, 1), (73, 4, 0.1), (74, 4.1, 0.9), (71, 5, 1)]
    notes += [(75, 8, 0.1), (76, 8.1, 0.9), (79, 9, 1), (78, 12, 0.1), (79, 12.1, 0.9)]
    notes += [(74, 13, 1)]
    sung = {p % 12 for p, _, length in notes if length > 0.5}
    answered = _answers(tmp_path, "grace.mid", notes)
    for rng, answers in enumerate(answered, 1):
        assert {p % 12 for p in answers} <= sung, (rng, sorted(answers))
    assert len(set(map(frozenset, answered))) >= 2, answered


def test_a_lead_s_answers_keep_a_pitch_it_graces_in_its_key(tmp_path: Path) -> None:
    """A major lead whose graces are its scale's (a D5 into its E5 and its C5, a C5 into its
    B4, an A5 into its G5; its notes C E G B) plays A as a scale note to a musician's ear,
    yet its answers left out every class it plays only as a grace: none on A5 (rng seeds
    1-8, 4 takes, 4 bars; 8 of 32 answers before the chromatic C# grace was left out), 5
    sets of answers over the 8 requests (7 before). A grace in the key the lead is read in
    is an answer's pitch again; only one out of it is left out."""
    notes = [(74, 0, 0.1), (76, 0.1, 0.9), (72, 1, 1), (72, 4, 0.1), (71, 4.1, 0.9), (67, 5, 1)]
    notes += [(81, 8, 0.1), (79, 8.1, 0.9), (76, 9, 1), (74, 12, 0.1), (72, 12.1, 0.9)]
    notes += [(67, 13, 1)]
    answered = _answers(tmp_path, "graced.mid", notes)
    for rng, answers in enumerate(answered, 1):
        assert {p % 12 for p in answers} <= {0, 2, 4, 5, 7, 9, 11}, (rng, sorted(answers))
    assert any(81 in answers for answers in answered), answered
    assert len(set(map(frozenset, answered))) >= 6, answered


def _requests(clip: Clip) -> list[list[frozenset[tuple[float, int]]]]:
    """The (start, pitch) notes of the 4 takes of 4 bars on ``clip`` in each of 8 requests
    (rng seeds 1-8, the model segue chooses), each request checked: 4 takes of their own,
    none the clip again, every onset on one of the clip's places in its bar, each take's
    median pitch the clip's within a whole step."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    bar = clip.time_signature.beats_per_bar
    places = {round(n.start % bar, 3) for n in clip.notes}
    loop = {(round(n.start % clip.length, 3), n.pitch) for n in clip.notes}
    middle = float(np.median([n.pitch for n in clip.notes]))
    model = choose_model("auto")(clip).model
    out = []
    for rng in range(1, 9):
        made = generate(model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng))
        takes = [
            frozenset((round(n.start, 3), n.pitch) for n in v.clip.notes) for v in made.variations
        ]
        assert len(set(takes)) == 4, rng
        for take, v in zip(takes, made.variations, strict=True):
            assert {(round(s % clip.length, 3), p) for s, p in take} != loop, rng
            assert {round(s % bar, 3) for s, _ in take} <= places, rng
            assert abs(float(np.median([n.pitch for n in v.clip.notes])) - middle) <= 2, rng
        out.append(takes)
    return out


def test_a_line_s_turned_notes_change_with_the_rng_seed(tmp_path) -> None:
    """A line's turned note took the pitch the network was near sure of, the same in every
    request: a 3/4 bass of root, fifth and octave (Am F C G) gave 9 takes over 8 requests
    (rng seeds 1-8, 4 takes, 4 bars), a 6/8 riff 11. Now the rng seed chooses each turned
    note among the good pitches of the clip's own classes (Turns.turning) that keep the
    line's contour (turn_pitches.turn_pitches' contour): 12 takes or more of their own, each
    request as many notes turned and its takes as far apart."""
    roots = (45, 41, 48, 43)
    waltz = [
        (r + iv, b * 3.0 + beat, 0.9)
        for b, r in enumerate(roots)
        for beat, iv in enumerate((0, 7, 12))
    ]
    jig = _jig()
    for name, notes, signature in (("waltz.mid", waltz, (3, 4)), ("riff.mid", jig, (6, 8))):
        read = _producer_part(tmp_path, name, notes)
        clip = Clip(read.notes, 12.0, TimeSignature(*signature))
        requests = _requests(clip)
        seen = {take for made in requests for take in made}
        assert len(seen) >= 12, (name, len(seen))
        for made in requests:  # one note a take, at a place of its own
            loop = {(round(n.start % 12.0, 3), n.pitch) for n in clip.notes}
            turned = [len({(s % 12.0, p) for s, p in take} - loop) for take in made]
            assert max(turned) <= 2, (name, turned)


def test_an_808_s_pickups_reach_every_good_pitch_clear_of_its_held_note(tmp_path) -> None:
    """A two-hit 808 (A1 and F1 bars, on 1 and the "and" of 2, held 1.5 beats) picks up into
    its A1 on beats 3 and 4: its pickups' pool held three pitches clear of the F1 it moves
    on from (E1, G1, B1) for four takes, and fell back to the two nearest the A1, G1 and B1,
    the same four takes in every request (rng seeds 1-8). Each place needs two, and the
    rng chooses among all three now: the fifth below, E1, comes in, 6 takes over 8 requests."""
    notes = [(33 if b % 2 == 0 else 29, b * 4.0 + at, 1.5) for b in range(4) for at in (0.0, 1.5)]
    clip = _producer_part(tmp_path, "808.mid", notes)
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    model = choose_model("auto")(clip).model
    picked: set[int] = set()
    seen: set[frozenset[tuple[float, int]]] = set()
    loop = {(n.start, n.pitch) for n in clip.notes}
    for rng in range(1, 9):
        made = generate(model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng))
        takes = [frozenset((n.start, n.pitch) for n in v.clip.notes) for v in made.variations]
        assert len(set(takes)) == 4, rng
        for take in takes:
            assert loop <= take, rng  # its hits kept
            picked |= {p for _, p in take - loop}
        seen |= set(takes)
    assert picked == {28, 31, 35}, picked
    assert len(seen) >= 6, len(seen)


def _section_takes(clip: Clip) -> Iterator[tuple[list[int], list[bool]]]:
    """Each take's pitches in order and which of its notes are not the loop's (at their
    place in it), over 8 requests of 4 takes of 8 bars (rng seeds 1-8, the model segue
    chooses): a section's end turns half a bar."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    loop = {(round(n.start % clip.length, 3), n.pitch) for n in clip.notes}
    model = choose_model("auto")(clip).model
    for rng in range(1, 9):
        params = GenerationParams(bars=8, variations=4, rng_seed=rng)
        for v in generate(model, clip, params).variations:
            played = sorted(v.clip.notes, key=lambda n: n.start)
            new = [(round(n.start % clip.length, 3), n.pitch) not in loop for n in played]
            yield [n.pitch for n in played], new


def test_a_line_s_turned_notes_keep_its_contour(tmp_path) -> None:
    """A line's turned notes, the rng's choice each on its own, leapt further than the line
    ever does and struck one pitch more times in a row than it does: over 8 requests (rng
    seeds 1-8, 4 takes, 8 bars: a section's end turns half a bar), examples/seeds/lead.mid
    (leaps of a fifth at most, no pitch twice) 12 intervals wider and 36 runs longer, a 6/8
    E minor riff in 8ths (a fourth at most, a pitch twice at most) 24 and 10 (before the rng
    chose them: 10 and 37, 7 and 3). Where the contour leaves each take turning a note a
    pitch of its own (of its bar's chord and on its side of the middle, where the bar
    outlines one), from its note before and into the loop's next, the turn keeps it: no
    run longer, and 8 wider intervals each of some 100 turned notes."""
    from segue.midi_io import read_part
    from segue.model.contour import contour_of

    jig = _jig()
    read = _producer_part(tmp_path, "riff.mid", jig)
    lead = read_part(Path(__file__).parents[2] / "examples" / "seeds" / "lead.mid")[0]
    for clip in (lead, Clip(read.notes, 12.0, TimeSignature(6, 8))):
        line = [n.pitch for n in sorted(clip.notes, key=lambda n: n.start)]
        widest, longest = contour_of(line)
        wide = long = turned = 0
        for pitches, new in _section_takes(clip):
            turned += sum(new)
            for i in range(1, len(pitches)):
                wide += (new[i] or new[i - 1]) and abs(pitches[i] - pitches[i - 1]) > widest
            run = 1
            for i in range(1, len(pitches)):
                run = run + 1 if pitches[i] == pitches[i - 1] else 1
                long += run == longest + 1 and any(new[i - longest : i + 1])
        assert turned >= 90, turned  # as many notes turned
        assert long == 0 and wide <= turned // 10, (wide, long, turned)


def test_a_turned_note_before_a_pitch_struck_twice_does_not_strike_it_a_third_time(
    tmp_path,
) -> None:
    """A lead that strikes each of its pitches twice in a row (E4 E4 D4 D4 C4 C4 D4 D4 | E4
    E4 G4 G4 E4 E4 D4 D4 in 8ths) turned the E4 before its G4 G4 to G4: three G4s in a row,
    where the line never plays one pitch three times (9 runs of three over 8 requests, rng
    seeds 1-8, 4 takes, 4 bars): the contour counted the loop's note after the turn once,
    not the two times the loop strikes it. Now no turned note makes a run of three."""
    from segue.model.choice import choose_model
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    line = [64, 64, 62, 62, 60, 60, 62, 62, 64, 64, 67, 67, 64, 64, 62, 62]
    clip = _producer_part(tmp_path, "pairs.mid", [(p, i * 0.5, 0.5) for i, p in enumerate(line)])
    loop = {(n.start % clip.length, n.pitch) for n in clip.notes}
    model = choose_model("auto")(clip).model
    runs: list[list[int]] = []
    turned = 0
    for rng in range(1, 9):
        takes = generate(model, clip, GenerationParams(bars=4, variations=4, rng_seed=rng))
        assert len({tuple(v.clip.notes) for v in takes.variations}) == 4
        for v in takes.variations:
            notes = sorted(v.clip.notes, key=lambda n: n.start)
            new = [(n.start % clip.length, n.pitch) not in loop for n in notes]
            turned += sum(new)
            start = 0
            for i in range(1, len(notes) + 1):
                if i == len(notes) or notes[i].pitch != notes[start].pitch:
                    if i - start > 2 and any(new[start:i]):
                        runs.append([n.pitch for n in notes[start:i]])
                    start = i
    assert turned >= 32, turned  # every take turns
    assert not runs, runs


def test_an_arp_s_section_end_turn_keeps_its_contour(tmp_path) -> None:
    """An Am F C G arp in 16ths (root, third, fifth, octave: never one pitch twice in a row,
    leaps of 17 semitones at most) turns half a bar at an 8-bar section's end; where its
    contour left each take no chord tone of its own, the turn let the contour go and the
    rng chose: B3 B3 or G3 G3, 40 pitches struck again and 37 leaps wider than the line's
    by a turned note, of 376 (rng seeds 1-8, 4 takes, 8 bars). The takes share a pitch
    there now and keep the contour: 11 pitches struck again (where a loop's note let go
    outside the turn is struck anew) and 1 leap."""
    from segue.model.contour import contour_of

    chords = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))
    notes = [
        ((*chord, chord[0] + 12)[i % 4], b * 4 + i * 0.25, 0.25)
        for b, chord in enumerate(chords)
        for i in range(16)
    ]
    clip = _producer_part(tmp_path, "arp.mid", notes)
    widest, longest = contour_of([n.pitch for n in sorted(clip.notes, key=lambda n: n.start)])
    assert (widest, longest) == (17, 1)
    wide = long = turned = 0
    for pitches, new in _section_takes(clip):
        turned += sum(new)
        for i in range(1, len(pitches)):
            touched = new[i] or new[i - 1]
            wide += touched and abs(pitches[i] - pitches[i - 1]) > widest
            long += touched and pitches[i] == pitches[i - 1]
    assert turned >= 300, turned  # as many notes turned
    assert long <= 16 and wide <= 4, (long, wide, turned)


def _jig() -> list[tuple[int, float, float]]:
    """A 6/8 E minor riff in 8ths, 4 bars (pitch, start and length in beats)."""
    riff = (
        (64, 67, 71, 69, 67, 66),
        (64, 67, 71, 72, 71, 69),
        (64, 67, 71, 69, 67, 66),
        (67, 66, 64, 62, 64),
    )
    return [(p, b * 3.0 + i * 0.5, 0.45) for b, bar in enumerate(riff) for i, p in enumerate(bar)]


def _tiers_one_by_one(
    allowed: np.ndarray,
    loop_pitch: np.ndarray,
    middle: float,
    classes: np.ndarray | None,
    span: np.ndarray | None,
    takes: np.ndarray,
    fits: np.ndarray | None,
    reach: int,
    exchanged: np.ndarray,
    ways: tuple[bool, bool],
    outline: np.ndarray,
    contour: tuple[np.ndarray, ...],
) -> np.ndarray:
    """turn_pitches as it was written before its tiers were tried on pitch sets: every tier
    built as a NumPy mask and tried one by one, each row taking the first that leaves it as
    many pitches besides the loop's own as it asks (the reference the fast path must match)."""
    pitch = np.arange(allowed.shape[1])[None]
    loop = loop_pitch[:, None]
    own = (pitch == loop) & exchanged[:, None]
    if fits is not None:
        apart = allowed & (fits >= 0)
        allowed = np.where(apart.sum(axis=1, keepdims=True) > 1, apart, allowed)
    near = allowed & (np.abs(pitch - loop) <= REACH)
    on_it = ((pitch <= middle) & ways[0]) | ((pitch >= middle) & ways[1])
    side = np.where(loop > middle, pitch >= middle, np.where(loop < middle, pitch <= middle, on_it))
    ours = np.ones_like(pitch, dtype=bool) if classes is None else classes[:, pitch[0] % 12]
    within = np.ones_like(pitch, dtype=bool) if span is None else in_part(span, 128)
    kept = (near & side & ours & within, near & ours & within)
    clear = () if fits is None else tuple(t & (fits >= level) for level in (2, 1) for t in kept)
    by_fit = [(t, o) for level in (clear[:2], clear[2:]) for o in (takes, 1) for t in level]
    by_side = [(t, o) for o in (takes, 1) for t in clear[0:1] + clear[2:3] + clear[1:2] + clear[3:]]
    lined = outline.copy()
    if clear:
        lined &= clear[0].sum(axis=1) - clear[0][np.arange(len(loop)), loop_pitch] == 0
    tiers = [
        *(
            (np.where(lined[:, None], s, f), np.where(lined, so, fo))
            for (f, fo), (s, so) in zip(by_fit, by_side, strict=True)
        ),
        *((t & own, 0) for t in clear[2:]),
        *((t, takes) for t in kept),
        *((t, 1) for t in kept),
    ]
    if reach < REACH:
        contour = tuple(c & (np.abs(pitch - loop) <= max(reach, NEIGHBOUR)) for c in contour)
    best = True if fits is None else fits >= fits.max(axis=1, keepdims=True)
    off = (loop != middle) & (fits is None)
    across = (loop != middle) & ~lined[:, None]
    pair = np.minimum(takes, 2)
    several = np.where(takes > 1, pair, 129)  # one take: none across
    kinds = [(takes, (side, off)), (pair, (side, off)), (several, (across,)), (1, (side, off))]
    ordered = [
        (t & best & way & c, others)
        for others, ways_of in kinds
        for way in ways_of
        for c in contour
        for t, _ in tiers
    ]
    ordered += tiers + [(t, 1) for t in (near & side & ours, near & ours, near & side, near)]
    if reach < REACH:
        closer = [np.abs(pitch - loop) <= r for r in sorted({reach, max(reach, NEIGHBOUR)})]
        ordered = [(t & c, o) for t, o in ordered for c in [*closer, True]]
    out, done, rows = allowed.copy(), np.zeros(len(loop), dtype=bool), np.arange(len(loop))
    for narrower, others in ordered:
        besides = narrower.sum(axis=1) - narrower[rows, loop_pitch]
        taken = ~done & (besides >= others) & narrower.any(axis=1)
        out[taken] = narrower[taken]
        done |= taken
    return out


def test_turned_pitches_are_the_first_tier_that_leaves_each_take_its_own() -> None:
    # turn_pitches tries its tiers on sets of pitches (pitch_bits), row by row: the same
    # pitches as every tier built as a mask and tried in order, over chord loops (fits) and
    # lines, contours, cool reaches, shared takes and pedals
    rng = np.random.default_rng(251)
    for case in range(1200):
        rows = int(rng.integers(1, 5))
        allowed = rng.random((rows, 128)) < rng.choice([0.1, 0.35, 0.6, 0.9])
        loop_pitch = rng.integers(30, 90, rows)
        allowed[np.arange(rows), loop_pitch] = rng.random(rows) < 0.7
        middle = float(rng.choice([60.0, 61.5, float(loop_pitch[0])]))
        classes = None if case % 5 == 0 else rng.random((rows, 12)) < 0.6
        low = rng.integers(30, 70, rows)
        span = None if case % 4 == 0 else np.stack([low, low + rng.integers(0, 24, rows)], axis=1)
        takes = rng.integers(1, 5, rows) if case % 7 else np.ones(rows, dtype=np.int64)
        clashes = [[0.1, 0.3, 0.4, 0.2], [0.3, 0.6, 0.05, 0.05]][case % 2]  # fits -1 to 2
        fits = rng.choice(np.arange(-1, 3, dtype=np.int8), (rows, 128), p=clashes)
        fits = None if case % 3 == 0 else fits
        reach = int(rng.choice([3, NEIGHBOUR, 7, REACH]))
        exchanged = rng.random(rows) < 0.5
        ways = (bool(rng.random() < 0.7), bool(rng.random() < 0.7))
        outline = rng.random(rows) < 0.5
        contour = () if case % 2 else tuple(rng.random((2, rows, 128)) < rng.choice([0.2, 0.5]))
        args = (allowed, loop_pitch, middle, classes, span, takes, fits, reach, exchanged, ways)
        expected = _tiers_one_by_one(*args, outline, contour)
        got = turn_pitches(*args, outline, contour)
        assert np.array_equal(got, expected), case


def test_a_d_after_a_dsus4_turns_to_a_voicing_of_its_own_with_its_third(tmp_path: Path) -> None:
    """A close D after a close Dsus4 (D3 G3 A3, D3 F#3 A3, 8th stabs) had one turn in the
    part's range that keeps the chord: its F#3 up to G3, the loop's own Dsus4 again, the
    bar before copied in every take (model auto, rng seeds 1-8: 448 of 448 turned D stabs).
    A turn plays no other chord of the loop, and a root-position triad's third may go an
    octave up (``voicings.voice_span``: D3 A3 F#4), so most turned D stabs keep their third."""
    from segue.model.voicings import keeps_third

    dsus, d = (50, 55, 57), (50, 54, 57)
    turned = _turned_stabs(tmp_path, (dsus, d, dsus, d), d)
    for where, pitches in turned:
        assert pitches != dsus, where  # the bar before
    kept = sum(keeps_third(d, pitches) for _, pitches in turned)
    assert len(turned) >= 40 and kept >= len(turned) / 2, (kept, len(turned))


def test_a_root_position_triad_s_turned_third_may_go_an_octave_up(tmp_path: Path) -> None:
    """A close G (G3 B3 D4) in a stab loop topping at E4 whose take turned its B alone had
    no voicing with its third in the part's range: Gsus4 (G3 C4 D4) or its third let go
    (G3 D4 F4). Its B may now go to B4, a spread triad (G3 D4 B4), and more of the G
    loop's turned stabs keep their third."""
    g = (55, 59, 62)
    turned = _turned_stabs(tmp_path, (g, (53, 57, 60), (55, 60, 64), g), g)
    for where, pitches in turned:
        assert max(pitches) <= 71, (where, pitches)  # B4 at most
    spread = sum(71 in pitches for _, pitches in turned)
    assert len(turned) >= 20 and spread >= 4, (spread, len(turned))


def _turned_stabs(
    tmp_path: Path, chords: tuple[tuple[int, ...], ...], chord: tuple[int, ...]
) -> list[tuple[tuple[int, float], tuple[int, ...]]]:
    """The turned stabs (where: rng seed and onset; pitches, low to high) of ``chord`` in
    the takes of 8th stabs of ``chords`` (one a bar, velocity 100), model auto, rng 1-4."""

    producer = _producer()
    clip = _producer_part(
        tmp_path, "stabs.mid", _struck(chords, tuple(k / 2 for k in range(8)), 0.25), 100
    )
    out = []
    for rng_seed in range(1, 5):
        for _, struck in _stab_takes(producer, clip, rng_seed):
            for start, pitches in struck.items():
                if chords[int(start // 4) % 4] == chord and sorted(pitches) != list(chord):
                    out.append(((rng_seed, start), tuple(sorted(pitches))))
    return out


def test_a_chord_loop_s_note_let_go_off_its_place_keeps_clear_of_the_chord(
    tmp_path: Path,
) -> None:
    """A take whose network let the loop's stab go by its onset (the F bar's F3 A3 C4 struck
    an 8th late) played its own note there unnarrowed: E3 under F3 A3, a semitone under the
    bass (G F C/G G 8th stabs, model auto, rng 6, -t 2, 8 bars). A loop's note let go off
    its place is narrowed as one let go on it is (``loop_steps.near_the_loop``'s missed
    rows): over the chord's bass, clear of its voices."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    g = (55, 59, 62)
    chords = (g, (53, 57, 60), (55, 60, 64), g)
    producer = _producer()
    clip = _producer_part(
        tmp_path, "g.mid", _struck(chords, tuple(k / 2 for k in range(8)), 0.25), 100
    )
    params = GenerationParams(variations=4, bars=8, rng_seed=6, temperature=2.0)
    for k, take in enumerate(generate(producer, clip, params).variations):
        struck: dict[float, list[int]] = {}
        for n in take.clip.notes:
            struck.setdefault(n.start, []).append(n.pitch)
        for start, pitches in struck.items():
            chord = chords[int(start // 4) % 4]
            assert min(pitches) >= chord[0], (k, start, sorted(pitches))  # over its bass
            apart = {(b - a) % 12 for a in pitches for b in pitches if b > a}
            assert not apart & {1, 11}, (k, start, sorted(pitches))  # no semitone it lacks


def test_each_part_of_a_request_s_copy_draws_with_the_copy_s_rng() -> None:
    """``Turns`` hands its parts the takes' draws and the loop in time as records
    (``take_records``), unpacked once: the places, turned voicings and drawn pitches of a
    request's copy (``Turns.drawing_with``) each draw with the copy's rng, the kept turns'
    with their own, and each reads the loop's bar, shift and clip end as the turns do."""
    kept = _held(TIED)
    copy = kept.drawing_with(np.random.default_rng(5))
    assert copy._rng is not kept._rng
    for turns in (kept, copy):
        for part in (turns._turn_places, turns._turned_voicings, turns._drawn):
            assert part._rng is turns._rng and part.rows == turns.rows == 4
            assert (part.bar, part.shift, part.clip_end) == (
                turns.bar,
                turns.shift,
                turns.clip_end,
            )

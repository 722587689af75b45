"""The notes --key auto adds to its scale: played where and as the clip plays them."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pretty_midi
import pytest

from segue.grid import TICKS_PER_BEAT
from segue.midi_io import read_part
from segue.model.added_notes import AddedNotes
from segue.model.keys import PLACES, AddedUse, Key, added_uses, places_of
from segue.notes import Note

# a C major line in 8ths, its F#4 passing from G4 down to F4 on the and of 3
PASSING = (
    (60, 0, 0.45), (64, 0.5, 0.45), (67, 1, 0.45), (69, 1.5, 0.45),
    (67, 2, 0.45), (66, 2.5, 0.45), (65, 3, 0.45), (64, 3.5, 0.45),
    (62, 4, 0.45), (65, 4.5, 0.45), (69, 5, 0.45), (67, 5.5, 0.45),
    (64, 6, 0.45), (62, 6.5, 0.45), (60, 7, 0.9),
)  # fmt: skip
# a walking bass in quarters, its F#2 on beat 4 of bar 2 into G2
WALK = (36, 40, 43, 45, 41, 45, 48, 42, 43, 47, 50, 47, 36, 40, 43, 35)
# a C blues riff, its Eb2 on the and of 2 falling to D2 and C2
BLUES = (
    (36, 0, 0.45), (40, 1, 0.45), (43, 1.5, 0.45), (45, 2, 0.45), (46, 2.5, 0.45),
    (45, 3, 0.45), (43, 3.5, 0.45), (40, 4, 0.45), (43, 5, 0.45), (39, 5.5, 0.3),
    (38, 6, 0.45), (36, 6.5, 0.9),
)  # fmt: skip


def _notes(pattern: tuple[tuple[int, float, float], ...], span: float) -> tuple[Note, ...]:
    """``pattern`` (pitch, start, beats) played round to 4 bars."""
    reps = int(16 // span)
    return tuple(Note(p, s + r * span, d, 96) for r in range(reps) for p, s, d in pattern)


def _walk() -> tuple[Note, ...]:
    return tuple(Note(p, float(i), 0.9, 96) for i, p in enumerate(WALK))


def test_places_in_the_bar() -> None:
    assert PLACES[0] == "downbeat"
    assert places_of(np.array([0.0, 4.0, 1.0, 3.0, 2.5, 0.25, 1.0 / 3]), 4.0).tolist() == [
        0, 0, 1, 1, 2, 3, 3,
    ]  # fmt: skip


def test_added_uses_say_where_and_how_the_clip_plays_its_notes_out_of_the_key() -> None:
    """A passing F# on the and of 3 falls a half step to F, a walking bass's F#2 on beat 4
    rises to G2, a blues riff's Eb on the and of 2 falls to D; an Andalusian pad's G#, in
    its E chord on the downbeat, resolves by no step of its own."""
    passing = added_uses(_notes(PASSING, 8.0), Key(0, "major", frozenset({6})))
    assert passing == {6: AddedUse(frozenset({2}), frozenset({-1}), 0.45)}
    walk = added_uses(_walk(), Key(0, "major", frozenset({6})))
    assert walk == {6: AddedUse(frozenset({1}), frozenset({1}), 0.9)}
    blues = added_uses(_notes(BLUES, 8.0), Key(0, "mixolydian", frozenset({3})))
    assert blues == {3: AddedUse(frozenset({2}), frozenset({-1}), 0.3)}
    andalusian = ((45, 69, 72, 76), (43, 67, 71, 74), (41, 65, 69, 72), (40, 64, 68, 71))
    pad = tuple(Note(p, 4.0 * i, 3.9, 90) for i, chord in enumerate(andalusian) for p in chord)
    assert added_uses(pad, Key(9, "minor", frozenset({8}))) == {
        8: AddedUse(frozenset({0}), None, 3.9)
    }
    assert added_uses(_walk(), Key(0, "major")) == {}  # nothing added, nothing to say


def test_the_network_s_added_note_is_struck_where_the_clip_strikes_it_and_resolves() -> None:
    beat = TICKS_PER_BEAT
    added = AddedNotes.of({6: AddedUse(frozenset({2}), frozenset({-1}), 0.45)}, beat, 4 * beat, 2)
    assert added is not None
    drawn = np.ones((2, 128), dtype=bool)
    rows = np.array([True, False])  # the second row's note is a copy: left as it is
    on_downbeat = added.narrowed(drawn, rows, np.array([0, 0]))
    assert not on_downbeat[0, 66] and on_downbeat[0, 67] and on_downbeat[1, 66]
    off_beat = added.narrowed(drawn, rows, np.array([beat // 2, beat // 2]))
    assert off_beat[0, 66]
    added.push(np.array([beat // 2] * 2), np.array([66, 66]), np.array([True, True]))
    after = added.narrowed(drawn, np.array([True, True]), np.array([beat, beat // 2]))
    assert np.flatnonzero(after[0]).tolist() == [65]  # F#4 falls to F4
    assert after[1].all()  # a chord's next voice at F#4's onset: no resolution asked
    held = added.held(np.array([4 * beat, 4 * beat]), np.array([True, False]), np.array([66, 66]))
    assert held.tolist() == [round(0.45 * beat), 4 * beat]
    assert AddedNotes.of({}, beat, 4 * beat, 2) is None


def _write(tmp_path, name: str, notes: tuple[Note, ...], program: int) -> str:
    """The notes as Live exports a clip: a MIDI file at 120 bpm."""
    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    part = pretty_midi.Instrument(program=program)
    for n in notes:
        part.notes.append(pretty_midi.Note(96, n.pitch, n.start / 2, n.end / 2))
    midi.instruments.append(part)
    path = tmp_path / f"{name}.mid"
    midi.write(str(path))
    return str(path)


def _takes(
    path: str, rng_seeds: Iterable[int], **given: object
) -> tuple[Key, list[tuple[Note, ...]]]:
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    seed, _ = read_part(path)
    producer = load_checkpoint(find_model("producer")).model
    takes: list[tuple[Note, ...]] = []
    key = None
    for rng_seed in rng_seeds:
        params = GenerationParams(key="auto", variations=4, rng_seed=rng_seed, **given)
        result = generate(producer, seed, params)
        key = result.key
        takes += [tuple(sorted(t.clip.notes, key=lambda n: n.start)) for t in result.variations]
    assert key is not None
    return key, takes


@pytest.mark.parametrize(
    ("name", "notes", "program", "key", "rng_seeds"),
    [  # seeds whose takes played the note elsewhere before
        ("passing", _notes(PASSING, 8.0), 81, Key(9, "minor", frozenset({6})), (1, 2, 3)),
        ("blues", _notes(BLUES, 8.0), 33, Key(0, "mixolydian", frozenset({3})), (6, 10, 14)),
    ],
)
def test_at_memory_0_a_take_plays_the_clip_s_added_note_only_as_the_clip_does(
    tmp_path, name, notes, program, key, rng_seeds
) -> None:
    """At --memory 0 the network played a passing F# (G4 F#4 F4 on the and of 3) anywhere:
    in 163 of its 172 F#s over 96 takes somewhere the clip never does (30 on downbeats, 48
    held longer than the clip's 0.45 beats, 129 not falling a step to the scale), and a
    blues riff's Eb, falling from the and of 2 to D, held and leapt from in all 13 of its
    (helper-196). Its F# and Eb are struck off the beat, no longer than the clip's, and the
    next note falls to F and D."""
    key_read, takes = _takes(_write(tmp_path, name, notes, program), rng_seeds, memory=0.0)
    assert key_read == key
    (added,) = key.extra
    longest = max(n.duration for n in notes if n.pitch % 12 == added)
    uses = 0
    for take in takes:
        for i, n in enumerate(take):
            if n.pitch % 12 != added:
                continue
            uses += 1
            assert places_of(np.array([n.start]), 4.0).tolist() == [2], (n, take)
            assert n.duration <= longest + 1e-6, (n, take)
            after = [m.pitch - n.pitch for m in take[i + 1 :] if m.start > n.start][:1]
            assert after in ([], [-1]), (n, take)
    assert uses or name == "blues"  # the line's F# is heard; the riff's Eb may rest


def test_by_default_a_walking_bass_keeps_its_f_sharp_approach(tmp_path) -> None:
    """The F#2 a walking bass plays on beat 4 into G2 stays in its takes at the default
    settings, where the loop repeats it (helper-182: 7 of 8 takes folded it, before the
    lock held it), and at --memory 0 the network's F#2 comes on a beat and rises to G."""
    path = _write(tmp_path, "walk", _walk(), 33)
    key, takes = _takes(path, range(1, 3))
    assert key == Key(0, "major", frozenset({6}))
    assert all(any(n.pitch == 42 for n in take) for take in takes)
    _, free = _takes(path, range(1, 3), memory=0.0)
    for take in free:
        for i, n in enumerate(take):
            if n.pitch % 12 == 6:
                assert places_of(np.array([n.start]), 4.0).tolist() == [1], (n, take)
                after = [m.pitch - n.pitch for m in take[i + 1 :] if m.start > n.start][:1]
                assert after in ([], [1]), (n, take)

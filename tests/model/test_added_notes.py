"""The notes --key auto adds to its scale: played where and as the clip plays them."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pretty_midi
import pytest
from out_of_scale import BLUES, PASSING, looped, walking_bass

from segue.grid import TICKS_PER_BEAT
from segue.midi_io import read_part
from segue.model.added_notes import AddedNotes
from segue.model.added_uses import AddedUse, places_of
from segue.model.keys import Key
from segue.notes import Note


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
        ("passing", looped(PASSING, 8.0), 81, Key(9, "minor", frozenset({6})), (1, 2, 3)),
        ("blues", looped(BLUES, 8.0), 33, Key(0, "mixolydian", frozenset({3})), (6, 10, 14)),
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
    path = _write(tmp_path, "walk", walking_bass(), 33)
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

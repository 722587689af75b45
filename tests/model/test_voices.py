"""The voice tracker that generation and the baselines share."""

from __future__ import annotations

import numpy as np
import pytest

from segue.model.voices import (
    HARD_POLYPHONY,
    VoiceLimit,
    Voices,
    arranged,
    chosen_voices,
    graces_first,
    line_overlap,
    ornaments,
    stolen,
    voice_limit,
)
from segue.notes import Note


def test_polyphony_limit_masks_onsets_while_notes_still_sound() -> None:
    seed = np.array([[0, 60, 48, 90], [0, 64, 48, 90], [0, 67, 24, 90]])  # a chord
    voices = Voices(2, seed)
    last = np.zeros(2, dtype=np.int64)
    onsets = last[:, None] + np.array([0, 12, 24, 36, 48])[None]
    assert voices.offset_mask(last, onsets, HARD_POLYPHONY) is None  # room for more
    mask = voices.offset_mask(last, onsets, 3)
    assert mask is not None
    assert mask.tolist() == [[False, False, True, True, True]] * 2  # 3 sound until tick 24
    assert voices.offset_mask(last, onsets, 2).tolist() == [[False, False, False, False, True]] * 2


def test_a_sounding_pitch_is_not_struck_again_unless_nothing_else_is_allowed() -> None:
    voices = Voices(1, np.array([[0, 60, 24, 90]]))
    every = np.ones(128, dtype=bool)
    assert not voices.pitch_mask(np.array([12]), every)[0, 60]
    assert voices.pitch_mask(np.array([24]), every)[0, 60]
    only_c = np.zeros(128, dtype=bool)
    only_c[60] = True
    assert voices.pitch_mask(np.array([12]), only_c)[0, 60]  # stuck: fall back to the key


def test_an_onset_is_closed_where_as_many_notes_as_the_limit_sound_past_it() -> None:
    # closed reads each take's latest ends (a partial sort), not every note at every onset:
    # the same masks as counting the notes that end after each onset, at any limit
    rng = np.random.default_rng(7)
    for _ in range(300):
        takes = int(rng.integers(1, 6))
        voices = Voices(takes, np.array([[0, 60, 24, 90]]))
        voices.ends = rng.integers(0, 400, (takes, Voices.WINDOW))
        onsets = rng.integers(0, 450, (takes, int(rng.integers(1, 40))))
        for polyphony in (1, 2, 3, 16, int(rng.integers(1, Voices.WINDOW + 3))):
            sounding = (voices.ends[:, None, :] > onsets[:, :, None]).sum(axis=-1)
            assert (voices.closed(onsets, polyphony) == (sounding < polyphony)).all()


def test_a_pitch_open_for_sure_is_one_the_pitch_mask_allows() -> None:
    # one pitch a take, without the (takes, 128) mask: where pitch_open says open, the mask
    # allows it; a pitch still sounding is not open for sure, even where the mask lets it
    # through because nothing else is (the stuck take), nor one out of the static pitches
    voices = Voices(3, np.array([[0, 60, 24, 90], [0, 64, 48, 90]]))
    onset = np.array([12, 24, 48])
    every = np.ones(128, dtype=bool)
    assert voices.pitch_open(onset, np.array([60, 60, 64]), every).tolist() == [
        False,
        True,
        True,
    ]
    assert voices.pitch_open(onset, np.array([64, 62, 64]), every).tolist() == [
        False,
        True,
        True,
    ]
    only_c = np.zeros(128, dtype=bool)
    only_c[60] = True
    assert voices.pitch_mask(onset, only_c)[0, 60]  # stuck: the mask falls back to the key
    assert voices.pitch_open(onset, np.array([60, 62, 60]), only_c).tolist() == [
        False,
        False,
        True,
    ]
    # a mono line's new note cuts what sounds: the static pitches alone, as its mask
    assert voices.pitch_open(onset, np.array([60, 61, 64]), only_c, mono=True).tolist() == [
        True,
        False,
        False,
    ]
    rng = np.random.default_rng(5)
    for _ in range(50):  # never open where the mask forbids, at any pitch
        static = rng.random(128) < 0.3
        pitch = rng.integers(0, 128, 3)
        at = rng.integers(0, 60, 3)
        for mono in (False, True):
            mask = voices.pitch_mask(at, static, mono)[np.arange(3), pitch]
            assert not (voices.pitch_open(at, pitch, static, mono) & ~mask).any()


def test_added_notes_count_only_where_the_variation_still_runs() -> None:
    voices = Voices(2, np.zeros((0, 4), dtype=np.int64))
    voices.add(np.array([48, 48]), np.array([62, 62]), np.array([True, False]))
    mask = voices.pitch_mask(np.array([24, 24]), np.ones(128, dtype=bool))
    assert not mask[0, 62] and mask[1, 62]


def test_a_limit_that_steals_holds_only_notes_struck_together() -> None:
    seed = np.array([[0, 60, 48, 90], [0, 64, 48, 90], [0, 67, 24, 90]])  # a chord
    voices = Voices(2, seed)
    last = np.zeros(2, dtype=np.int64)
    onsets = last[:, None] + np.array([0, 12, 24, 36, 48])[None]
    mask = voices.offset_mask(last, onsets, 2, steal=True)  # the chord is cut where one begins
    assert mask is not None and mask.tolist() == [[False, True, True, True, True]] * 2
    assert voices.offset_mask(last, onsets, 4, steal=True) is None
    # the loop's next onset, after the chord: open in each take (asked once the step checked)
    assert voices.closed(np.array([[12], [24]]), 2, steal=True).tolist() == [[True], [True]]
    assert voices.closed(np.array([[12], [0]]), 2, steal=True).tolist() == [[True], [False]]


def test_voices_are_crowded_only_where_a_take_s_latest_onset_is_full() -> None:
    seed = np.array([[0, 60, 48, 90], [0, 64, 48, 90], [0, 67, 24, 90]])  # a chord
    voices = Voices(2, seed)
    at_chord, later = np.zeros(2, dtype=np.int64), np.array([0, 30])
    assert voices.crowded(at_chord, 3) and not voices.crowded(at_chord, 4)
    assert voices.crowded(later, 3)  # one take full is enough
    assert not voices.crowded(np.array([30, 30]), 3)  # the G has stopped: 2 sound
    assert voices.crowded(at_chord, 2, steal=True)
    assert not voices.crowded(np.array([12, 12]), 2, steal=True)  # struck before: stolen
    assert voices.crowded(at_chord, 3, steal=True)
    assert not voices.crowded(at_chord, 3, steal=True, grace=30)  # the G, 24 ticks: a grace
    for last, polyphony in ((at_chord, 3), (later, 4), (np.array([30, 30]), 3)):
        onsets = last[:, None] + np.array([0, 12, 24, 36, 48])[None]
        closed = voices.offset_mask(last, onsets, polyphony)
        assert (closed is not None) == voices.crowded(last, polyphony)
        if closed is not None:  # a step that has checked once asks for the mask alone
            assert voices.closed(onsets, polyphony).tolist() == closed.tolist()


def test_the_takes_full_at_their_latest_onset_are_those_it_closes() -> None:
    # full says take by take what crowded says of any: at each take's latest onset, the
    # takes whose voices are full are those closed closes there (no other offset asked),
    # of any limit of 1 or more, stealing or not, a grace note or not
    seed = np.array([[0, 60, 48, 90], [0, 64, 48, 90], [0, 67, 24, 90]])  # a chord
    voices = Voices(2, seed)
    assert voices.full(np.array([0, 30]), 3).tolist() == [True, False]  # the G stopped at 24
    assert voices.full(np.zeros(2, dtype=np.int64), 3, steal=True, grace=30).tolist() == [
        False,
        False,
    ]  # the G, 24 ticks: a grace
    rng = np.random.default_rng(11)
    for _ in range(300):
        takes = int(rng.integers(1, 6))
        voices = Voices(takes, np.array([[0, 60, 24, 90]]))
        voices.starts = rng.integers(0, 300, (takes, Voices.WINDOW))
        voices.ends = voices.starts + rng.integers(1, 200, (takes, Voices.WINDOW))
        last = rng.integers(0, 400, takes)
        for polyphony in (1, 2, 3, int(rng.integers(1, Voices.WINDOW + 3))):
            for steal, grace in ((False, 0), (True, 0), (True, int(rng.integers(1, 100)))):
                full = voices.full(last, polyphony, steal, grace)
                closed = voices.closed(last[:, None], polyphony, steal, grace)[:, 0]
                assert full.tolist() == (~closed).tolist()
                assert voices.crowded(last, polyphony, steal, grace) == full.any()


def test_a_note_cuts_the_oldest_that_sounds_over_the_limit() -> None:
    legato = stolen(np.array([0.0, 1.0, 2.0]), np.array([1.2, 1.2, 1.2]), 1)
    assert legato.tolist() == pytest.approx([1.0, 1.0, 1.2])  # a mono synth's legato
    chord_then_note = stolen(np.array([0.0, 0.0, 1.0]), np.array([2.0, 2.0, 1.0]), 2)
    assert chord_then_note.tolist() == pytest.approx([1.0, 2.0, 1.0])
    apart = stolen(np.array([0.0, 1.0]), np.array([1.0, 1.0]), 1)
    assert apart.tolist() == [1.0, 1.0]  # nothing over the limit: as they were


def test_a_cut_note_rings_into_the_next_no_more_than_the_legato() -> None:
    glide = stolen(np.array([0.0, 1.0, 2.0]), np.array([1.5, 1.05, 1.0]), 1, legato=0.1)
    assert glide.tolist() == pytest.approx([1.1, 1.05, 1.0])  # the clip's glide, not 0.5
    # never past the note after the one that cut it, nor into its own pitch struck again
    quick = stolen(np.array([0.0, 1.0, 1.05]), np.array([2.0, 0.2, 1.0]), 1, legato=0.1)
    assert quick.tolist() == pytest.approx([1.05, 0.15, 1.0])
    short = stolen(np.array([0.0, 1.0, 2.0]), np.array([1.5, 0.05, 1.0]), 1, legato=0.1)
    assert short.tolist() == pytest.approx([1.025, 0.05, 1.0])  # over half of it: a chord
    on_time = stolen(np.array([0.0, 0.5]), np.array([0.5000000000000001, 0.5]), 1, legato=0.0)
    assert on_time[0] == 0.5000000000000001  # a float's last digit is not a note ringing on
    again = stolen(np.array([0.0, 1.0]), np.array([1.5, 1.0]), 1, 0.1, np.array([60, 60]))
    assert again.tolist() == pytest.approx([1.0, 1.0])
    other = stolen(np.array([0.0, 1.0]), np.array([1.5, 1.0]), 1, 0.1, np.array([60, 62]))
    assert other.tolist() == pytest.approx([1.1, 1.0])


def test_a_line_s_grace_notes_neither_cut_nor_are_cut() -> None:
    """A lead's note sounding under a grace note was cut where the grace note began, in
    every repeat, and a grace note struck with its note (a semitone under) took that note's
    voice. In a line that plays grace notes, they are no voice; a limit the musician sets
    (a mono synth) still cuts at every note."""
    # a D under whose end a grace note (0.95, 1/16 beat) leads into a held E, and a grace
    # note struck with the held G at 5.5
    starts = np.array([0.5, 0.95, 1.0, 5.0, 5.5, 5.5])
    lengths = np.array([0.5, 0.0625, 1.0, 0.5, 0.0625, 1.5])
    as_played = stolen(starts, lengths, 1, 0.0, np.array([74, 75, 76, 76, 77, 79]), graces=True)
    assert as_played.tolist() == lengths.tolist()
    mono = stolen(starts, lengths, 1, 0.0, np.array([74, 75, 76, 76, 77, 79]))
    assert mono.tolist() == pytest.approx([0.45, 0.05, 1.0, 0.5, 0.0625, 1.5])
    line = (Note(74, 0.5, 0.5), Note(75, 0.95, 0.0625), Note(76, 1.0, 1.0))
    assert voice_limit(0, line, drums=False) == VoiceLimit(1, 0.0, graces=True)
    plain = (Note(74, 0.5, 0.5), Note(76, 1.0, 1.0))
    assert voice_limit(0, plain, drums=False) == VoiceLimit(1, 0.0)
    assert voice_limit(1, line, drums=False) == VoiceLimit(1, 0.0, graces=True)  # the same


def test_one_voice_asked_of_a_line_is_the_line_as_the_clip_plays_it() -> None:
    """Under --polyphony 1 a lead's grace notes each took its one voice: the note a grace
    note was struck with was left out of every repeat (a lead of 32 notes came back with 16),
    and a legato line's notes were cut where the next began. One voice asked of a clip that is
    a single line is that line with its overlaps and grace notes; of a chord part, still the
    arranger's reduction."""
    legato = _line((0, 64, 1.1), (1, 67, 1.1), (1.94, 66, 0.05), (2, 69, 1.1))
    assert voice_limit(1, legato, drums=False) == VoiceLimit(1, pytest.approx(0.1), graces=True)
    assert voice_limit(1, legato, drums=False) == voice_limit(0, legato, drums=False)
    chords = _line((0, 60, 1), (0, 64, 1), (1, 62, 1), (1, 65, 1))
    assert voice_limit(1, chords, drums=False) == VoiceLimit(1, arranged=2)


def test_a_grace_note_above_its_note_is_a_grace_note_too() -> None:
    """A grace note struck with (or heard on the tick of) a note below it came after that
    note in pitch order, and was no grace note: a lead whose graces lie above its notes was
    no line (two voices) or lost every grace in its repeats, while graces below were kept.
    Notes struck together are read shortest first."""
    starts = np.array([0.0, 1.0, 1.0, 2.0, 2.0])
    lengths = np.array([0.9, 0.9, 0.0625, 0.0625, 0.9])  # above (struck with), then below
    assert ornaments(starts, lengths).tolist() == [False, False, True, True, False]
    above = _line((0, 64, 0.9), (1, 67, 0.9), (1, 69, 0.0625), (2, 69, 0.9), (2, 71, 0.0625))
    assert line_overlap(above) == 0.0
    assert voice_limit(0, above, drums=False) == VoiceLimit(1, 0.0, graces=True)
    # the grace note struck with its note leaves it sounding, whatever their pitch order
    pitches = np.array([64, 67, 69, 71, 69])
    as_played = stolen(starts, lengths, 1, 0.0, pitches, graces=True)
    assert as_played.tolist() == lengths.tolist()
    # on the grid, a grace heard on its note's tick comes first, where the onset mask leaves
    # the voice to the note it graces (Voices.offset_mask)
    rows = np.array([[0, 64, 22, 90], [24, 67, 22, 90], [24, 69, 1, 80], [48, 62, 22, 90]])
    assert graces_first(rows)[:, 1].tolist() == [64, 69, 67, 62]


@pytest.mark.parametrize("late", [0.004, 0.012, 0.02])  # 2, 6 and 10 ms at 120 BPM
def test_a_grace_note_struck_a_few_ms_after_its_note_is_a_grace_note(late) -> None:
    """A player's crushed grace lies a few milliseconds before or after its note, as a
    recorded take has it. Struck after it, the grace came after its note in time order and
    was no grace note: the lead read as two voices (under --polyphony 1 the arranger's top
    line), and a mono limit cut the note where its grace began. Notes struck within
    TOGETHER of each other are one moment, read shortest first, whichever came first."""
    line = _line((0, 72, 0.45), (0.5, 74, 0.45), (1, 76, 0.9), (1 + late, 75, 0.08), (2, 79, 1))
    assert voice_limit(0, line, drums=False) == VoiceLimit(1, 0.0, graces=True)
    assert voice_limit(1, line, drums=False) == VoiceLimit(1, 0.0, graces=True)
    starts = np.array([n.start for n in line])
    lengths = np.array([n.duration for n in line])
    assert ornaments(starts, lengths).tolist() == [False, False, False, True, False]
    pitches = np.array([n.pitch for n in line])
    assert stolen(starts, lengths, 1, 0.0, pitches, graces=True).tolist() == lengths.tolist()
    # a dyad played by hand (two notes as long, one late) is still two voices
    assert line_overlap(_line((0, 72, 1), (late, 67, 1), (1, 74, 1))) is None


@pytest.mark.parametrize("grace", [0.135, 0.15])  # 90 ms at 90 BPM; a 16th triplet's gate
def test_a_player_s_grace_longer_than_a_32nd_is_a_grace_note(grace) -> None:
    """A player's grace takes some 50-100 ms whatever the tempo: at 90 BPM a 90 ms grace
    is 0.135 beats, over the 1/8 beat a grace note had to be under. Played over the end of
    the note before (held into the note the grace leads to), it was a voice of its own:
    the lead read as two voices, and a mono limit cut the held note where each grace
    began. Under a 16th triplet (1/6 beat) it is a grace note; a 16th triplet is a note."""
    line = _line((0, 64, 1), (1 - grace, 66, grace), (1, 67, 0.95), (2, 69, 1))
    line += _line((3 - grace, 71, grace), (3, 72, 0.95))
    assert voice_limit(0, line, drums=False) == VoiceLimit(1, 0.0, graces=True)
    starts = np.array([n.start for n in line])
    lengths = np.array([n.duration for n in line])
    pitches = np.array([n.pitch for n in line])
    assert stolen(starts, lengths, 1, 0.0, pitches, graces=True).tolist() == lengths.tolist()
    triplets = _line(*((i / 6, 60 + i % 3, 1 / 6) for i in range(6)), (1, 67, 1))
    starts = np.array([n.start for n in triplets])
    assert not ornaments(starts, np.array([n.duration for n in triplets])).any()


def test_a_grace_note_struck_with_its_note_leaves_the_voice_to_it() -> None:
    seed = np.array([[0, 75, 2, 80], [24, 62, 24, 90]])  # a grace note at 0, 2 ticks long
    voices = Voices(1, seed[:1])
    last = np.zeros(1, dtype=np.int64)
    onsets = last[:, None] + np.array([0, 1, 2, 12])[None]
    assert voices.offset_mask(last, onsets, 1, steal=True, grace=3) is None  # room at 0
    mask = voices.offset_mask(last, onsets, 1, steal=True)
    assert mask is not None and mask.tolist() == [[False, True, True, True]]


def _line(*events: tuple[float, int, float]) -> tuple[Note, ...]:
    return tuple(Note(p, at, length) for at, p, length in events)


def test_a_single_line_and_how_far_its_notes_overlap() -> None:
    detached = _line((0, 45, 0.4), (0.5, 45, 0.4), (1, 57, 0.5), (1.5, 45, 0.4))
    assert line_overlap(detached) == 0.0
    glide = _line((0, 67, 1.1), (1, 69, 1.1), (2, 71, 1.0), (3, 72, 1.0))
    assert line_overlap(glide) == pytest.approx(0.1)
    assert line_overlap(_line((0, 60, 1), (0, 64, 1), (1, 62, 1))) is None  # a chord
    assert line_overlap(_line((0, 60, 1), (0.01, 64, 1))) is None  # struck together, played
    pedal = _line((0, 36, 4), (0, 60, 0.5), (1, 62, 0.5), (2, 64, 0.5))
    assert line_overlap(pedal) is None
    held_under = _line((0, 48, 4), (1, 60, 0.5), (2, 62, 0.5), (3, 64, 0.5))
    assert line_overlap(held_under) is None  # a note held under two others
    assert line_overlap(()) is None
    rolled = _line((0, 60, 1), (0.06, 64, 0.94), (1, 62, 1))  # a dyad played by hand
    assert line_overlap(rolled) is None


def test_a_played_line_is_one_line_and_its_grace_notes_are_ornaments() -> None:
    """A 10 ms grace note before a lead's note made a chord of it (both on one tick): no
    limit, and the continuation played clusters (helper-58); the same grace at 130 BPM was
    a tick earlier and made a line. A dyad with one note 10 ms late made a line, with half a
    beat of legato."""
    grace = 0.0167  # 10 ms at 100 BPM
    lead = []
    for i, p in enumerate([72, 74, 76, 74, 72, 71, 72, 74]):
        if i % 2:
            lead.append((i - grace, p + 2, grace))
        lead.append((float(i), p, 0.9))
    assert line_overlap(_line(*lead)) == 0.0
    crushed = _line((0, 60, 0.9), (0.95, 64, 0.07), (1, 62, 0.9))  # a crushed grace, legato
    assert line_overlap(crushed) == pytest.approx(0.0)
    late = _line((0, 72, 1), (0.017, 67, 1), (1, 74, 1))  # a dyad, one note 10 ms late
    assert line_overlap(late) is None
    trill = _line(*((i / 8, 72 + 2 * (i % 2), 0.125) for i in range(16)))  # 32nds: all notes
    assert line_overlap(trill) == 0.0


def test_the_limit_is_the_musicians_else_a_single_line_goes_on_as_one() -> None:
    line = _line((0, 60, 1.25), (1, 62, 1), (2, 64, 1))
    assert voice_limit(0, line, drums=False) == VoiceLimit(1, 0.25)
    assert voice_limit(3, line, drums=False) == VoiceLimit(3)
    assert voice_limit(0, line, drums=True) == VoiceLimit()  # a beat adds hits at once
    chords = _line((0, 60, 1), (0, 64, 1), (1, 62, 1))
    assert voice_limit(0, chords, drums=False) == VoiceLimit(2)  # the clip's own voices
    assert voice_limit(0, (), drums=False) == VoiceLimit()


def _chord(at: float, pitches: tuple[int, ...], length: float = 1.0) -> list[Note]:
    return [Note(p, at, length, 90) for p in pitches]


def test_unset_a_clip_of_chords_goes_on_in_as_many_voices_as_it_sounds() -> None:
    """A 4-voice chorale went on in 5 or 6 voices, a chord part's default limit being 16
    (helper-69). Now it is the most notes the clip sounds at once: a chord released a
    little late (a played legato) adds no voice, a note held over the next chord does."""
    chorale = [*_chord(0, (48, 55, 64, 72)), *_chord(1, (50, 57, 65, 74))]
    assert voice_limit(0, chorale, drums=False) == VoiceLimit(4)
    played = [*_chord(0, (48, 55, 64, 72), 1.06), *_chord(1.01, (50, 57, 65, 74), 0.95)]
    assert voice_limit(0, played, drums=False) == VoiceLimit(4)  # 60 ms of legato
    pedal = [Note(36, 0, 2, 90), *_chord(0, (55, 64, 72)), *_chord(1, (57, 65, 74))]
    assert voice_limit(0, pedal, drums=False) == VoiceLimit(4)  # the bass under both
    top = [Note(72, 0, 1.5, 90), Note(71, 1.5, 0.5, 90)]  # the soprano's suspension
    suspension = [*_chord(0, (48, 55, 64)), *_chord(1, (50, 55, 65)), *top]
    assert voice_limit(0, suspension, drums=False) == VoiceLimit(4)
    held = [*_chord(0, (48, 55, 64), 1.5), *_chord(1, (50, 57, 65))]  # held half a beat over
    assert voice_limit(0, held, drums=False) == VoiceLimit(6)
    stabs = [*_chord(0, (60, 64, 67), 0.05), *_chord(0.5, (62, 65, 69), 0.05)]  # short, apart
    assert voice_limit(0, stabs, drums=False) == VoiceLimit(3)
    cluster = [Note(40 + i, 0, 4, 90) for i in range(HARD_POLYPHONY)]
    assert voice_limit(0, cluster, drums=False) == VoiceLimit()  # the hard limit, as before


def test_one_voice_that_steals_may_strike_a_sounding_pitch_again() -> None:
    voices = Voices(1, np.array([[0, 45, 48, 90]]))  # a long bass note
    every = np.ones(128, dtype=bool)
    assert not voices.pitch_mask(np.array([12]), every)[0, 45]
    assert voices.pitch_mask(np.array([12]), every, mono=True)[0, 45]  # it cuts the held one


def test_a_seed_note_ringing_on_stops_where_the_continuation_strikes_its_pitch() -> None:
    """Under --polyphony 4 --include-seed, the seed's last C (3.96, held 0.9) rang on over
    the continuation's C at 4.0: two notes of one pitch at once (helper-61)."""
    from segue.model.voices import NO_LIMIT, with_seed
    from segue.notes import Clip

    seed = Clip((Note(62, 0, 0.9), Note(60, 3.96, 0.9), Note(64, 3.5, 0.9)), 4.0)
    new = (Note(60, 4.0, 0.9), Note(67, 4.5, 0.5))
    for limit in (VoiceLimit(4), NO_LIMIT):
        notes = with_seed(seed, new, limit)
        held = {n.pitch: n for n in notes[:3]}
        assert held[60].start == 3.96 and held[60].duration == pytest.approx(0.04)
        if limit.polyphony:
            assert held[64] == Note(64, 3.5, 0.9)  # another pitch rings on under a limit of 4
        assert notes[3:] == new


def test_an_arranger_keeps_the_top_then_the_bass_then_the_inner_voices_from_the_top() -> None:
    assert chosen_voices([64, 53, 67, 57, 60], 1) == [2]  # G4: the top line
    assert chosen_voices([64, 53, 67, 57, 60], 2) == [1, 2]  # F3 and G4: the outer voices
    assert chosen_voices([64, 53, 67, 57, 60], 3) == [1, 2, 0]  # and E4, the 9th
    assert sorted(chosen_voices([64, 53, 67], 5)) == [0, 1, 2]


def test_a_chord_part_reduced_holds_its_bass_under_the_moving_chords() -> None:
    """Under --polyphony 3 the right hand's chords on each beat cut a held bass to a beat;
    under --polyphony 1 a pad's chords came back as their bass notes (helper-70)."""
    bass = [[0, 29, 94]]  # ticks: F1 held 3.9 beats
    chords = [[beat * 24, p, 22] for beat in range(4) for p in (65, 69, 72)]
    rows = np.array(sorted(bass + chords))
    three = arranged(rows, 3).tolist()
    assert [0, 29, 94] in three  # held on
    assert sorted(p for _, p, _ in three) == [29] + [69] * 4 + [72] * 4
    one = arranged(rows, 1).tolist()
    assert [p for _, p, _ in one] == [72, 72, 72, 72] and [0, 29, 94] not in one
    legato = np.array([[0, 60, 26], [0, 64, 26], [24, 62, 24], [24, 65, 24]])
    assert arranged(legato, 2, slack=3).tolist() == [  # a played legato gives way
        [0, 60, 24],
        [0, 64, 24],
        [24, 62, 24],
        [24, 65, 24],
    ]


def test_the_top_kept_is_the_highest_note_struck_not_one_held_from_before() -> None:
    """helper-71: under --polyphony 1 a line with double stops (each note rings 0.2 beats
    into the next) lost every falling note, the held note above it kept; a pedal held over
    a melody was kept alone and the melody dropped."""
    assert chosen_voices([79, 72], 1, struck=[False, True]) == [1]  # the melody, not G5
    assert chosen_voices([79, 72, 48], 2, struck=[False, True, False]) == [2, 1]
    falling = np.array([[i * 12, 76 - 2 * i, 17] for i in range(6)])  # each 5 ticks legato
    assert [p for _, p, _ in arranged(falling, 1).tolist()] == [76, 74, 72, 70, 68, 66]
    pedal = [[0, 79, 96]] + [[beat * 24, p, 24] for beat, p in enumerate((72, 74, 72, 71))]
    one = arranged(np.array(sorted(pedal)), 1).tolist()
    assert [p for _, p, _ in one] == [79, 74, 72, 71]  # the pedal struck, then the melody


def test_fewer_voices_asked_than_a_chord_part_sounds_are_arranged() -> None:
    neo = _chord(0, (53, 57, 60, 64, 67)) + _chord(1, (50, 57, 60, 64, 65))
    assert voice_limit(3, neo, drums=False) == VoiceLimit(3, arranged=5)
    assert voice_limit(5, neo, drums=False) == VoiceLimit(5)
    assert voice_limit(1, _line((0, 60, 1), (1, 62, 1)), drums=False) == VoiceLimit(1)


@pytest.mark.parametrize(
    ("late", "grace"),
    [(0.04, 0.08), (0.06, 0.08), (0.107, 0.133), (0.06, 0.075)],  # 20-40 ms at 90-160 BPM
)
def test_a_late_grace_sitting_on_its_note_is_an_ornament_of_the_line(late, grace) -> None:
    """A bass with a blip a semitone under every other note, struck 20-40 ms after it (a
    flam's second stroke) and 40-50 ms long: past TOGETHER (15.6 ms at 120 BPM) the line
    read as two voices, and under --polyphony 1 the arranger left every grace out (bass
    takes of 24 notes came back with 16). A short note struck after a note twice as long or
    more, by less than its own length, and over before it, is the line's ornament."""
    line = _line((0, 40, 0.9), (late, 39, grace), (1, 40, 0.9), (2, 43, 0.9), (2 + late, 42, grace))
    line += _line((3, 45, 0.9))
    assert voice_limit(0, line, drums=False) == VoiceLimit(1, 0.0, graces=True)
    assert voice_limit(1, line, drums=False) == VoiceLimit(1, 0.0, graces=True)
    starts = np.array([n.start for n in line])
    lengths = np.array([n.duration for n in line])
    assert ornaments(starts, lengths).tolist() == [False, True, False, False, True, False]
    pitches = np.array([n.pitch for n in line])
    assert stolen(starts, lengths, 1, 0.0, pitches, graces=True).tolist() == lengths.tolist()
    # a second voice: struck more than its own length after the note, or as long as half it
    assert line_overlap(_line((0, 40, 0.9), (0.25, 47, 0.2), (1, 40, 0.9))) is None
    assert line_overlap(_line((0, 40, 0.3), (0.05, 47, 0.16), (1, 40, 0.9))) is None


def test_a_line_heard_with_two_notes_on_one_tick_has_room_for_both_there() -> None:
    """A muted strum (a funk guitar's chk), 5 voices 0.05 beats apart and 0.04 long, is a
    line as written, but the network hears its second voice on the first's tick
    (feel.PLAYED_REACH): held to one voice on the grid, every strum came back without its
    second voice (47-48 of 60 notes a take). The grid's onsets hold as many notes as the
    line has on one tick as heard, not its graces; a staccato line still holds one."""
    strum = _line(*((k * 0.05, (48, 55, 60, 64, 67)[k], 0.04) for k in range(5)))
    heard = [0.0, 0.0, 2 / 24, 4 / 24, 0.25]  # where feel.Hearing.tick hears them
    limit = voice_limit(0, strum, drums=False, heard=heard)
    assert (limit.polyphony, limit.on_tick, limit.generated) == (1, 2, 2)
    assert voice_limit(1, strum, drums=False, heard=heard).generated == 2
    staccato = _line(*((k * 0.25, 60 + k, 0.1) for k in range(8)))
    assert voice_limit(0, staccato, drums=False, heard=[k * 0.25 for k in range(8)]).generated == 1
    flam = _line((0, 40, 0.9), (0.04, 39, 0.08), (1, 40, 0.9))  # its grace on the note's tick
    assert voice_limit(0, flam, drums=False, heard=[0.0, 0.0, 1.0]).generated == 1

"""The evaluation's metrics on hand-made phrases whose values are known."""

from __future__ import annotations

import math

import numpy as np
import pytest
from phrases import phrase

from segue.model.keys import Key, parse_key
from segue.model.metrics import (
    METRIC_KEYS,
    METRICS,
    Context,
    CopyIndex,
    as_notes,
    as_rows,
    continuation_metrics,
    distinct_pattern_share,
    diversity,
    histogram_distance,
    in_key_rate,
    inter_onset_intervals,
    ioi_histogram,
    loop_metrics,
    mean_abs_interval,
    notes_per_bar,
    on_grid_rate,
    pitch_class_histogram,
    pitch_range,
    polyphony,
    replay,
    seed_grid,
    summarise,
    window,
)
from segue.notes import Note

C_MAJOR = (60, 62, 64, 65, 67, 69, 71, 72)


# ---------------------------------------------------------------- pitch


def test_a_c_major_scale_is_all_in_c_major() -> None:
    assert in_key_rate(phrase(C_MAJOR), parse_key("C major")) == 1.0
    assert in_key_rate(phrase(C_MAJOR), parse_key("A minor")) == 1.0  # the same pitch classes
    assert in_key_rate(phrase((*C_MAJOR, 61)), Key(0, "major")) == pytest.approx(8 / 9)
    assert in_key_rate(phrase(C_MAJOR), parse_key("F# major")) == pytest.approx(2 / 8)  # B, F
    assert math.isnan(in_key_rate(phrase([]), Key(0, "major")))


def test_notes_and_rows_give_the_same_metrics() -> None:
    notes = [Note(p, i * 0.5, 0.5, 90) for i, p in enumerate(C_MAJOR)]
    np.testing.assert_array_equal(as_rows(notes), phrase(C_MAJOR) * [1, 1, 1, 0] + [0, 0, 0, 90])
    assert in_key_rate(notes, Key(0, "major")) == 1.0
    assert as_notes(as_rows(notes)) == tuple(notes)  # and back


def test_histogram_distance_of_identical_phrases_is_zero() -> None:
    a = phrase(C_MAJOR)
    later = phrase(C_MAJOR, start=480)
    assert histogram_distance(pitch_class_histogram(a), pitch_class_histogram(later)) == 0.0
    assert histogram_distance(ioi_histogram(a), ioi_histogram(later)) == 0.0
    # disjoint pitch classes are as far apart as can be
    assert (
        histogram_distance(
            pitch_class_histogram(phrase([60, 62])), pitch_class_histogram(phrase([61, 63]))
        )
        == 1.0
    )
    # half the notes moved: 8ths against quarters in equal parts
    mixed = np.concatenate([phrase([60] * 4, 12), phrase([60] * 5, 24, start=48)])
    assert histogram_distance(ioi_histogram(a), ioi_histogram(mixed)) == pytest.approx(0.5)
    assert math.isnan(histogram_distance(np.zeros(12), pitch_class_histogram(a)))


def test_pitch_range_and_intervals() -> None:
    scale = phrase(C_MAJOR)
    assert pitch_range(scale) == 12
    assert mean_abs_interval(scale) == pytest.approx(12 / 7)
    # chords: the top line is what moves (C-E-G then D-F-A: the top moves G -> A)
    chords = np.concatenate([phrase([60, 64, 67], 0, 24), phrase([62, 65, 69], 0, 24, start=24)])
    assert mean_abs_interval(chords) == 2
    assert math.isnan(mean_abs_interval(phrase([60])))


# ---------------------------------------------------------------- time


def test_polyphony_of_a_chord_and_of_a_melody() -> None:
    assert polyphony(phrase([60, 64, 67], step=0, length=24)) == 3.0
    assert polyphony(phrase(C_MAJOR)) == 1.0
    # a chord of three for a beat, then one note for a beat: 2 on average
    chord_then_note = np.concatenate(
        [phrase([60, 64, 67], 0, 24), phrase([72], start=24, length=24)]
    )
    assert polyphony(chord_then_note) == 2.0
    # silence between notes does not count
    assert polyphony(phrase([60, 62], step=48, length=12)) == 1.0


def test_inter_onset_intervals_count_chords_once() -> None:
    chords = np.concatenate(
        [phrase([60, 64], 0, 24), phrase([62, 65], 0, 24, start=24), phrase([64], start=36)]
    )
    np.testing.assert_array_equal(inter_onset_intervals(chords), [24, 12])
    assert notes_per_bar(chords, 2) == 2.5


def test_triplet_onsets_are_seen_as_a_triplet_grid() -> None:
    triplets = np.arange(0, 96, 8)  # 8th-note triplets
    sixteenths = np.arange(0, 96, 6)
    assert seed_grid(triplets) == ("8th-note triplets", (8,))
    assert seed_grid(sixteenths) == ("16ths", (6,))
    assert seed_grid(np.arange(0, 96, 24)) == ("16ths", (6,))  # quarters sit on the 16th grid
    assert seed_grid(np.concatenate([sixteenths, triplets]))[1] == (6, 8)
    assert seed_grid(np.arange(0, 96, 4))[0] == "16th-note triplets"
    assert seed_grid(np.array([0, 5]))[1] == (1,)
    # straight 16ths against a triplet seed: only the beats (every 4th) land on its grid
    assert on_grid_rate(sixteenths, (8,)) == pytest.approx(4 / 16)
    assert on_grid_rate(triplets, (8,)) == 1.0


def test_a_continuation_is_cut_at_its_end() -> None:
    piece = phrase([60, 62, 64, 65], step=24, length=48)
    np.testing.assert_array_equal(window(piece, 24, 72), [[0, 62, 48, 100], [24, 64, 24, 100]])


# ---------------------------------------------------------------- repetition and copies


def test_a_repeated_motif_has_the_repetition_expected() -> None:
    motif = [60, 64, 67, 72]
    looped = phrase(motif * 4)  # 16 notes, 13 patterns of 4, only 4 of them distinct
    assert distinct_pattern_share(looped) == pytest.approx(4 / 13)
    assert distinct_pattern_share(phrase(C_MAJOR)) == 1.0
    # the same pitches in another rhythm are another pattern
    uneven = looped.copy()
    uneven[8:, 0] += 6
    assert distinct_pattern_share(uneven) > distinct_pattern_share(looped)
    assert math.isnan(distinct_pattern_share(phrase([60, 62, 64])))


def test_a_copy_of_the_seed_has_a_copied_run_of_its_length() -> None:
    seed = CopyIndex([phrase([62, 66, 69, 74, 73, 71, 69, 66, 64])])
    assert seed.longest_run(phrase([62, 66, 69, 74, 73, 71, 69, 66, 64], start=960)) == 9
    # five notes copied, then something else
    assert seed.longest_run(phrase([69, 74, 73, 71, 69, 60, 61, 62])) == 5
    # transposed is not verbatim; the same pitches in another rhythm neither
    assert seed.longest_run(phrase([63, 67, 70, 75])) == 0
    assert seed.longest_run(phrase([62, 66, 69, 74], step=24)) == 1
    assert seed.longest_run(phrase([])) == 0


def test_copies_do_not_run_from_one_piece_into_the_next() -> None:
    first, second = phrase([60, 62, 64, 65]), phrase([67, 69, 71, 72])
    index = CopyIndex([first, second])
    assert index.longest_run(phrase([64, 65, 67, 69])) == 2
    assert index.longest_run(phrase([62, 64, 65])) == 3
    assert (
        CopyIndex([np.concatenate([first, phrase([67, 69, 71], start=48)])]).longest_run(
            phrase([64, 65, 67, 69])
        )
        == 4
    )


def test_the_copy_index_agrees_with_a_brute_force_search() -> None:
    def brute(query: np.ndarray, pieces: list[np.ndarray]) -> int:
        q, best = as_rows(query), 0
        for piece in map(as_rows, pieces):
            for i in range(len(q)):
                for j in range(len(piece)):
                    k = 0
                    while (
                        i + k < len(q)
                        and j + k < len(piece)
                        and q[i + k, 1] == piece[j + k, 1]
                        and (
                            k == 0
                            or q[i + k, 0] - q[i + k - 1, 0]
                            == piece[j + k, 0] - piece[j + k - 1, 0]
                        )
                    ):
                        k += 1
                    best = max(best, k)
        return best

    rng = np.random.default_rng(3)

    def random_phrase(n: int) -> np.ndarray:
        starts = np.cumsum(rng.integers(0, 3, n)) * 6  # chords (gap 0) included
        return np.stack([starts, rng.integers(60, 63, n), np.full(n, 6), np.full(n, 100)], 1)

    for _ in range(60):
        pieces = [random_phrase(int(rng.integers(0, 25))) for _ in range(int(rng.integers(1, 4)))]
        query = random_phrase(int(rng.integers(0, 12)))
        assert CopyIndex(pieces).longest_run(query) == brute(query, pieces)


# ---------------------------------------------------------------- all metrics


def test_continuation_metrics_of_the_seed_itself() -> None:
    seed = phrase(list(C_MAJOR) * 2)  # 2 bars of 8th notes in 4/4
    context = Context.of_seed(seed, 192, bars=2)
    assert context.grid == (6,)
    measured = continuation_metrics(
        phrase(list(C_MAJOR) * 2), context, training=CopyIndex([phrase(C_MAJOR)])
    )
    assert set(measured) == set(METRIC_KEYS) - {"diversity"}  # diversity: of several
    assert {m.key for m in METRICS} < set(measured)
    assert measured["in_key"] == 1.0
    assert measured["pitch_class_distance"] == 0.0
    assert measured["ioi_distance"] == 0.0 and measured["duration_distance"] == 0.0
    assert measured["notes_per_bar"] == 8.0
    assert measured["polyphony"] == 1.0
    assert measured["on_grid"] == 1.0
    assert measured["copy_seed"] == 16
    assert measured["copy_train"] == 8
    empty = continuation_metrics(phrase([]), context)
    assert empty["notes_per_bar"] == 0 and math.isnan(empty["in_key"])
    assert math.isnan(empty["copy_train"])


def test_loop_metrics_of_a_repeat_a_variation_and_silence() -> None:
    seed = phrase([60, 62, 64, 65] * 2, step=24, length=12)  # 2 bars of quarters, staccato
    real = seed.copy()
    real[-1, 1] = 67  # the real continuation changes its last note
    context = Context.of_seed(seed, 192, bars=2, bar_ticks=96, real=real)
    again = loop_metrics(seed, context)
    assert again["loop_share"] == 1.0 and again["exact_repeat"] == 1.0
    assert again["seed_positions"] == 1.0 and again["register_error"] == 0.0
    assert again["silent"] == pytest.approx(0.5) and again["note_length"] == 0.5
    assert again["note_f1"] == pytest.approx(2 * 7 / 16) and again["onset_f1"] == 1.0
    shifted = seed.copy()
    shifted[:, 0] += 6  # a 16th late, 5 semitones up
    shifted[:, 1] += 5
    late = loop_metrics(shifted, context)
    assert late["loop_share"] == 0.0 and late["exact_repeat"] == 0.0
    assert late["seed_positions"] == 0.0 and late["note_f1"] == 0.0
    assert late["register_error"] == 5.0
    silent = loop_metrics(phrase([]), context)
    assert silent["silent"] == 1.0 and silent["note_f1"] == 0.0
    assert math.isnan(silent["loop_share"]) and math.isnan(silent["register_error"])
    assert diversity([seed, seed, real]) == pytest.approx((0 + 2 * (1 - 7 / 9)) / 3)
    np.testing.assert_array_equal(replay(seed, 192, 96), window(seed, 96, 192))
    assert len(replay(seed, 192, 384)) == 16  # a seed shorter than the span: played twice


def test_summaries_leave_out_what_could_not_be_computed() -> None:
    assert summarise([1.0, 3.0, math.nan]) == {"mean": 2.0, "std": 1.0, "n": 2}
    assert summarise([math.nan])["n"] == 0

"""The benchmark scripts run off Linux too: what they read of the machine is Linux's or
POSIX's, and they say so where it is missing rather than stop."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_bridge  # noqa: E402
import bench_generate  # noqa: E402
import bench_producer  # noqa: E402
import bench_short_loops  # noqa: E402
import bench_takes  # noqa: E402


def test_without_a_load_average_as_on_windows(monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(os, "getloadavg", raising=False)
    assert bench_generate.load_average() == "unknown"


def test_without_proc_as_on_macos_and_windows(tmp_path) -> None:
    assert bench_bridge.rss_mb(os.getpid(), proc=tmp_path) is None
    if Path("/proc/self/status").exists():
        assert (bench_bridge.rss_mb(os.getpid()) or 0) > 1


def test_short_loops_count_the_clips_loop_kept_bar_by_bar() -> None:
    from segue.grid import clip_rows, to_ticks
    from segue.midi_io import read_part

    whole, drums = read_part(bench_short_loops.SEEDS / "bassline.mid")
    clip = bench_short_loops.first_bars(whole, 1)
    assert clip.length == 4.0 and not drums and all(n.start < 4.0 for n in clip.notes)
    loop = clip_rows(clip)
    again = np.concatenate([loop + [b * to_ticks(4.0), 0, 0, 0] for b in range(8)])
    np.testing.assert_array_equal(bench_short_loops.kept_by_bar(clip, again), np.ones(8))
    moved = again.copy()
    moved[len(loop) * 3 : len(loop) * 4, 1] += 1  # the fourth bar a semitone up
    kept = bench_short_loops.kept_by_bar(clip, moved)
    assert kept[3] == 0.0 and (np.delete(kept, 3) == 1.0).all()


def test_takes_clips_rest_where_their_kinds_say_and_a_take_is_the_clip_again_by_its_notes() -> None:
    from segue.grid import clip_rows, to_ticks

    rng = np.random.default_rng(0)
    clips = {kind: make(rng) for kind, make in bench_takes.KINDS.items()}
    resting = clips["lead, rests in bar 4"]
    assert resting.length == 16.0 and max(n.start for n in resting.notes) < 12.0
    assert all(not 4.0 <= n.start < 8.0 for n in clips["bassline, rests in bars 2 and 4"].notes)
    held = clips["lead, last note held through bar 4"]
    assert held.notes[-1].end == 16.0 and held.notes[-1].start < 12.0
    loop = to_ticks(16.0)
    rows = clip_rows(resting)
    seed = bench_takes.keys(rows, loop)
    assert bench_takes.keys(rows + [loop, 0, 0, 0], loop) == seed  # one loop on: the clip again
    moved = rows.copy()
    moved[0, 1] += 2
    assert bench_takes.keys(moved, loop) != seed


def _figures(f1: float, register: float) -> dict[str, list[float]]:
    """One bass window's figures: every goal met but those that ``f1`` and ``register``
    decide."""
    takes = {"note_f1": f1, "register_error": register, "notes_per_bar": 4.0, "silent": 0.3}
    takes |= {"note_length": 1.0, "seed_positions": 1.0, "exact_repeat": 0.0}
    window = {"real_notes_per_bar": 4.0, "real_silent": 0.3, "seed_length": 1.0}
    window |= {"real_exact": 0.5, "diversity": 0.3}
    return {k: [v] * 4 for k, v in takes.items()} | {k: [v] for k, v in window.items()}


def test_resampling_songs_says_how_often_a_goal_holds() -> None:
    """Two songs: on one the takes keep the repeat's F1 and register, on the other they
    miss both. On the folder (both songs) every goal is met; draws of songs with
    replacement meet F1 and register only when the good song is drawn at least as often."""
    songs = ["good", "good", "bad"]
    roles = ["bass"] * 3
    ours = [_figures(0.9, 1.0), _figures(0.9, 1.0), _figures(0.5, 3.5)]
    repeat = [_figures(1.0, 1.0), _figures(1.0, 1.0), _figures(0.5, 3.5)]
    whole = bench_producer.pooled(ours, roles, [0, 1, 2])["bass"]
    m = {k: bench_producer.mean(v) for k, v in whole.items()}
    assert m["note_f1"] == 0.9 * 2 / 3 + 0.5 / 3 and len(whole["diversity"]) == 3
    met = bench_producer.goal_checks("bass", m, 2.5 / 3)
    assert all(met.values()) and tuple(met) == bench_producer.GOALS  # the table's columns
    [line] = bench_producer.resampled_rows("auto", songs, roles, ours, repeat, 400)
    cells = [c.strip() for c in line.strip("|").split("|")]
    share = dict(zip(["model", "role", "draws", *bench_producer.GOALS, "all"], cells, strict=True))
    assert share["draws"] == "400" and share["density"] == "1.00"
    # the register holds unless the bad song is drawn twice (1 draw in 4); the F1 holds in
    # every draw (each song keeps 0.9 of its repeat's), so all goals hold as the register
    assert 0.65 <= float(share["register"]) <= 0.85 and share["f1"] == "1.00"
    assert float(share["all"]) == float(share["register"])


def test_tuning_bench_splits_the_nll_of_eval_by_place_in_the_piece(tmp_path) -> None:
    """bench_tune's figures by place in a piece (its first note, notes 2-8, the rest) are
    `segue eval`'s NLL per note, the clip memory mixed in, shared out: weighted by their
    notes, they give eval's figure again."""
    import bench_tune
    from music21 import corpus
    from tiny_training import CHORALES

    from segue.dataset.loading import load_dataset
    from segue.dataset.prepare import prepare_dataset
    from segue.model.checkpoint import load_checkpoint
    from segue.model.evaluation.contenders import segue_contender
    from segue.model.evaluation.settings import EvalSettings
    from segue.model.registry import find_model
    from segue.model.training.batches import encode_split

    midi = tmp_path / "midi"
    midi.mkdir()
    for name in CHORALES[:3]:
        corpus.parse(f"bach/{name}").write("midi", fp=str(midi / f"{name}.mid"))
    dataset = tmp_path / "test.ds"
    prepare_dataset([midi], dataset, valid_fraction=0, test_fraction=1, workers=1, progress=False)
    model = find_model("melody")
    loaded = load_checkpoint(model)
    assert loaded.config.memory  # the memory mixed in, as eval mixes it
    parts = bench_tune.position_nll(model, dataset)
    assert [(name, notes) for name, _, notes in parts][:2] == [("note 1", 3), ("2-8", 21)]
    test = encode_split(load_dataset(dataset), "test", loaded.config.vocab)
    assert sum(notes for _, _, notes in parts) == test.notes
    nll = segue_contender("melody", "segue", loaded, EvalSettings()).nll(test)
    total = sum(nll[f] for f in ("offset", "pitch", "duration", "velocity"))
    assert np.isclose(sum(n * c for _, n, c in parts) / test.notes, total, atol=1e-6)
    assert parts[0][1] > parts[2][1]  # a piece's first note costs more than the rest
    assert bench_tune.by_position(model, dataset).startswith("note 1 ")


def test_tuning_bench_compares_the_untuned_and_tuned_takes_figure_by_figure() -> None:
    """bench_tune's LMMS row says per role what tuning changed in the takes (note F1,
    diversity, register, untuned -> tuned), in bench_producer's order of roles, and skips a
    role that one of the two has no windows of."""
    import bench_tune

    untuned = {
        "lead": {"note_f1": [0.2, 0.4], "diversity": [0.3], "register_error": [2.0, 3.0]},
        "bass": {"note_f1": [0.5], "diversity": [0.25], "register_error": [1.0]},
        "chords": {"note_f1": [0.9], "diversity": [0.1], "register_error": [0.0]},
    }
    tuned = {
        "bass": {"note_f1": [0.6], "diversity": [0.25], "register_error": [1.5]},
        "lead": {"note_f1": [0.3, 0.4], "diversity": [0.35], "register_error": [2.5, 2.5]},
    }
    assert bench_tune.compared(untuned, tuned) == [
        "lmms-dev bass, untuned -> tuned: note F1 0.500 -> 0.600, diversity 0.250 -> 0.250, "
        "register 1.00 -> 1.50",
        "lmms-dev lead, untuned -> tuned: note F1 0.300 -> 0.350, diversity 0.300 -> 0.350, "
        "register 2.50 -> 2.50",
    ]


def test_tuning_bench_leaves_no_tuned_model_behind(monkeypatch) -> None:
    """bench_tune tunes into a segue home of its own: the home points there while the goal
    runs, the user's own setting comes back after, and the folder and the models tuned into it
    are gone (each run used to leave its tuned models in the temporary folder)."""
    import bench_tune

    from segue.home import HOME_VARIABLE

    monkeypatch.setenv(HOME_VARIABLE, "/the/musicians/own/home")
    with bench_tune.temporary_home("bench-tune-test-") as home:
        assert os.environ[HOME_VARIABLE] == str(home)
        (home / "models").mkdir()
        (home / "models" / "lmms-tuned.pt").write_bytes(b"weights")
    assert os.environ[HOME_VARIABLE] == "/the/musicians/own/home"
    assert not home.exists()
    monkeypatch.delenv(HOME_VARIABLE)
    with bench_tune.temporary_home("bench-tune-test-"):
        pass
    assert HOME_VARIABLE not in os.environ

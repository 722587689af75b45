"""The models a bridge serves: by name only, loaded once, a few kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from segue.bridge.errors import ProtocolError
from segue.bridge.models import ModelCache
from segue.bridge.testing import make_test_model


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("three")
    for i, name in enumerate(("a", "b", "c")):
        make_test_model(folder, name, rng_seed=i)
    return folder


def test_models_load_once_and_the_least_recent_goes_first(three: Path) -> None:
    loaded: list[str] = []

    def loader(path: Path) -> str:
        loaded.append(path.stem)
        return f"model {path.stem}"

    cache = ModelCache("a", three, keep=2, loader=loader)
    assert cache.get(None) == cache.get("") == cache.get("a") == "model a"
    assert cache.get("b") == "model b" and loaded == ["a", "b"]
    cache.get("a")  # a is now the most recent: c pushes b out
    cache.get("c")
    cache.get("a")
    cache.get("b")
    assert loaded == ["a", "b", "c", "b"]


def test_names_only_never_paths(three: Path) -> None:
    cache = ModelCache("a", three, loader=lambda path: path)
    assert cache.resolve(None) == "a" and cache.resolve("c") == "c"
    for bad in ("missing", "../a", str(three / "a.pt"), "a.pt"):
        with pytest.raises(ProtocolError) as info:
            cache.get(bad)
        assert info.value.code == "unknown_model"
        with pytest.raises(ProtocolError):
            cache.resolve(bad)


def test_entries_and_their_summaries(three: Path) -> None:
    cache = ModelCache("a", three)
    names = [e.name for e in cache.entries()]
    assert {"a", "b", "c"} <= set(names)
    entry = next(e for e in cache.entries() if e.name == "b")
    assert cache.summary(entry) == "test"
    entry.path.write_bytes(b"not a checkpoint")  # a changed file is read again
    later = entry.path.stat().st_mtime + 10
    os.utime(entry.path, (later, later))
    assert cache.summary(entry) == "(unreadable)"


def test_auto_sees_a_model_installed_after_a_refresh(tmp_path: Path) -> None:
    make_test_model(tmp_path, "mine", rng_seed=8)
    (tmp_path / "broken.pt").write_bytes(b"not a checkpoint")  # auto chooses without it
    cache = ModelCache("auto", tmp_path)
    before = set(cache._auto().candidates())
    assert "mine" in before and "broken" not in before
    make_test_model(tmp_path, "learned", rng_seed=9)
    assert set(cache._auto().candidates()) == before  # loaded once, kept
    kept = cache._auto().candidates()
    cache.refresh()  # what a finished tuning does
    renewed = cache._auto().candidates()
    assert set(renewed) == before | {"learned"}
    assert all(renewed[name] is kept[name] for name in before)  # not loaded again


def test_a_refresh_loads_again_only_the_models_whose_files_changed(tmp_path: Path) -> None:
    from segue.model import choice

    make_test_model(tmp_path, "one", rng_seed=1)
    make_test_model(tmp_path, "two", rng_seed=2)
    loads: list[str] = []
    real_load = choice.load_checkpoint

    def counted(path):
        if Path(path).parent == tmp_path:  # the bundled models are candidates too
            loads.append(Path(path).stem)
        return real_load(path)

    cache = ModelCache("auto", tmp_path)
    try:
        choice.load_checkpoint = counted
        first = cache._auto().candidates()
        assert sorted(loads) == ["one", "two"]
        make_test_model(tmp_path, "two", rng_seed=3)  # replaced in place (tune --replace)
        path = tmp_path / "two.pt"
        later = path.stat().st_mtime + 10
        os.utime(path, (later, later))
        make_test_model(tmp_path, "three", rng_seed=4)  # newly installed
        cache.refresh()
        renewed = cache._auto().candidates()
    finally:
        choice.load_checkpoint = real_load
    assert sorted(loads) == ["one", "three", "two", "two"]
    assert renewed["one"] is first["one"] and renewed["two"] is not first["two"]
    cache.refresh()
    (tmp_path / "three.pt").unlink()  # removed: no longer chosen
    assert {"one", "two"} <= set(cache._auto().candidates())
    assert "three" not in cache._auto().candidates()


def test_warm_prepares_every_model_auto_chooses_among(tmp_path: Path) -> None:
    from segue.model.lstm_fused import is_fused

    make_test_model(tmp_path, "one", rng_seed=1)
    make_test_model(tmp_path, "two", rng_seed=2)
    cache = ModelCache("auto", tmp_path)
    assert not any(is_fused(m.model) for m in cache._auto().candidates().values())
    cache.warm()  # the first request then waits for no fused step to be built
    assert all(is_fused(m.model) for m in cache._auto().candidates().values())
    named = ModelCache("one", tmp_path)
    named.warm()
    assert is_fused(named.get(None).model)


def test_models_installed_or_replaced_meanwhile_are_followed_without_a_restart(
    tmp_path: Path,
) -> None:
    """`segue tune --replace` in another terminal: a bridge kept serving the old weights
    of a named model, and auto saw a newly tuned model only after a restart."""
    from segue.notes import Clip, Note

    clip = Clip(tuple(Note(60 + i % 5, i * 0.5, 0.5, 90) for i in range(8)), 4.0)

    def touched() -> None:  # the folder's time moves on, however coarse the file system's
        later = tmp_path.stat().st_mtime + 10
        os.utime(tmp_path, (later, later))

    make_test_model(tmp_path, "mine", rng_seed=1)
    named, auto = ModelCache("mine", tmp_path), ModelCache("auto", tmp_path)
    old = named.for_clip(None, clip)
    assert named.for_clip(None, clip) is old  # kept while nothing changes
    assert "later" not in auto._auto().candidates()
    make_test_model(tmp_path, "mine", rng_seed=2)  # replaced in place
    make_test_model(tmp_path, "later", rng_seed=3)  # newly installed
    touched()
    new = named.for_clip(None, clip)
    assert new is not old and new.path == old.path
    auto.for_clip(None, clip)
    assert "later" in auto._auto().candidates()
    other = make_test_model(tmp_path, "other", rng_seed=4)  # the folder changes, mine not
    touched()
    assert named.for_clip(None, clip) is new and other.exists()


def test_a_file_written_over_in_place_is_followed_and_other_files_change_nothing(
    tmp_path: Path,
) -> None:
    """`cat new.pt > mine.pt` leaves the folder's time as it was (only the folder was
    watched: the old weights went on), and Finder's .DS_Store beside the models made auto
    forget its choices and read every clip again."""
    import shutil

    from segue.notes import Clip, Note

    clip = Clip(tuple(Note(60 + i % 5, i * 0.5, 0.5, 90) for i in range(8)), 4.0)
    make_test_model(tmp_path, "mine", rng_seed=1)
    other = make_test_model(tmp_path / "elsewhere", "mine", rng_seed=2)
    named, auto = ModelCache("mine", tmp_path), ModelCache("auto", tmp_path)
    old = named.for_clip(None, clip)
    auto.for_clip(None, clip)
    chooser = auto._auto()
    folder_time = tmp_path.stat().st_mtime_ns
    (tmp_path / ".DS_Store").write_bytes(b"finder")
    auto.for_clip(None, clip)
    assert auto._auto() is chooser  # nothing of the models changed
    with open(tmp_path / "mine.pt", "r+b") as f:  # written over in place
        f.write(other.read_bytes())
        f.truncate()
    later = (tmp_path / "mine.pt").stat().st_mtime + 10
    os.utime(tmp_path / "mine.pt", (later, later))
    os.utime(tmp_path, ns=(folder_time, folder_time))  # the folder as it was
    assert named.for_clip(None, clip) is not old
    auto.for_clip(None, clip)
    assert auto._auto() is not chooser
    shutil.rmtree(tmp_path / "elsewhere")


def test_a_model_whose_weights_do_not_fit_is_refused_in_one_line_and_the_bridge_serves_on(
    tmp_path, monkeypatch
) -> None:
    import torch

    from segue.bridge.client import BridgeClient, BridgeReplyError
    from segue.bridge.testing import running_server
    from segue.model.checkpoint import read_checkpoint
    from segue.notes import Clip, Note

    monkeypatch.setenv("SEGUE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "models"
    make_test_model(folder, "tiny")
    payload = read_checkpoint(folder / "tiny.pt")
    payload["config"]["hidden"] = 16  # edited: the weights are of 32
    torch.save(payload, folder / "bass.pt")
    seed = Clip(tuple(Note(60 + i, float(i), 1.0, 100) for i in range(4)), 4.0)
    with running_server(folder) as server, BridgeClient(*server.address) as client:
        with pytest.raises(BridgeReplyError) as refused:
            client.generate(seed, {"model": "bass", "bars": 1})
        said = refused.value.message
        assert "\n" not in said and "the weights of this checkpoint do not match" in said, said
        assert "size mismatch" not in said
        assert client.generate(seed, {"model": "tiny", "bars": 1}).variations  # serves on

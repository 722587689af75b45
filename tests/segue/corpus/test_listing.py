"""Listing music21's corpus: collections, their counts and licence notes, found by name."""

from __future__ import annotations

from pathlib import Path

from segue.corpus.listing import corpus_root, find_collections

MAIN = ("essenFolksong", "oneills1850", "ryansMammoth", "airdsAirs", "bach", "palestrina")


def test_list_has_the_main_collections_with_plausible_counts(collections):
    assert set(MAIN) <= set(collections)
    assert collections["bach"].files >= 400
    assert collections["essenFolksong"].works >= 8000  # ~8,500 tunes in 31 ABC files
    assert collections["essenFolksong"].files < 40
    assert collections["oneills1850"].works >= 1500
    assert collections["palestrina"].works == collections["palestrina"].files >= 1000
    assert 14_000 <= sum(c.works for c in collections.values()) <= 16_000
    assert all(c.licence for c in collections.values())
    assert "non-commercial" in collections["essenFolksong"].licence
    assert "license.txt" in collections["bach"].licence


def test_list_leaves_out_folders_without_scores(collections):
    assert not any(name.startswith("_") for name in collections)
    assert all(c.works >= c.files >= 1 for c in collections.values())


def test_collection_names_match_ignoring_case_and_all_means_every_one(collections):
    assert [c.name for c in find_collections(["BACH", "bach"])] == ["bach"]
    chosen = find_collections(["palestrina", "all"])
    assert chosen[0].name == "palestrina"
    assert len(chosen) == len(collections)


def test_corpus_root_is_the_music21_package_corpus():
    root = corpus_root()
    assert root.name == "corpus" and (root / "license.txt").is_file()
    assert isinstance(root, Path)

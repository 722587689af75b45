"""The works of a collection: ABC tunes apart, stable and distinct names."""

from __future__ import annotations

from segue.corpus.works import collection_works, split_abc


def test_split_abc_keeps_the_file_header_apart():
    header, tunes = split_abc("% a comment\nX:1\nT:One\nK:C\nCDE|\n\nX: 2\nT:Two\nK:G\nGAB|")
    assert header == "% a comment"
    assert [t.splitlines()[1] for t in tunes] == ["T:One", "T:Two"]


def test_each_abc_tune_is_a_work_with_a_stable_readable_name(collections):
    works = collection_works(collections["essenFolksong"], limit=5)
    again = collection_works(collections["essenFolksong"], limit=5)
    assert works == again
    assert len({w.name for w in works}) == 5
    assert works[0].name.startswith("altdeu10-0001-")
    assert all(w.tune is not None and w.tune.count("X:") == 1 for w in works)


def test_files_that_differ_only_by_suffix_get_distinct_names(collections):
    names = [w.name for w in collection_works(collections["bach"])]
    assert len(names) == len(set(names)) == collections["bach"].works
    assert {"bwv366-krn", "bwv366-mxl"} <= set(names)

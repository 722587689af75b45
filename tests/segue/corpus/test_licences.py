"""Licence notes: a collection's own licence file first, else its scores' header statements."""

from __future__ import annotations

from segue.corpus.licences import GENERAL_LICENCE, licence_note


def test_a_licence_file_in_the_folder_comes_first(tmp_path):
    folder = tmp_path / "tunes"
    folder.mkdir()
    score = folder / "a.abc"
    score.write_text(
        "% Copyright 2001 Somebody Else, all rights reserved\nX:1\nK:C\nC|\n", encoding="utf-8"
    )
    (folder / "README.txt").write_text("Free for non-commercial use.\n", encoding="utf-8")
    assert licence_note(folder, [score]) == (
        "by permission, non-commercial use only (tunes/README.txt)"
    )
    (folder / "README.txt").write_text("See the web site.\n", encoding="utf-8")
    assert licence_note(folder, [score]) == "see tunes/README.txt"


def test_statements_in_the_file_headers_are_counted(tmp_path):
    folder = tmp_path / "scores"
    folder.mkdir()
    humdrum = folder / "a.krn"
    humdrum.write_text(
        "!!!YEC: Copyright 1999 The Scholars, mail@example.org\n**kern\n*-\n", encoding="utf-8"
    )
    plain = folder / "b.krn"
    plain.write_text("**kern\n*-\n", encoding="utf-8")
    assert licence_note(folder, [humdrum]) == '"Copyright 1999 The Scholars" (file headers)'
    assert licence_note(folder, [humdrum, plain]) == (
        '1 of 2 files: "Copyright 1999 The Scholars"; rest: music21/corpus/license.txt'
    )
    xml = folder / "c.xml"
    xml.write_text(
        "<score-partwise><identification><rights>Copyright ©</rights>"
        "</identification></score-partwise>",
        encoding="utf-8",
    )
    assert licence_note(folder, [plain, xml]) == GENERAL_LICENCE  # says nothing: not a note

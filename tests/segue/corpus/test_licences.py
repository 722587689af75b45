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


def test_files_whose_terms_restrict_use_are_found(collections):
    """What may train weights to give away: music21's own encodings and those in the public
    domain, CC0 or CC-BY; not rights reserved, non-commercial, GPL, share-alike or a
    licensing agreement, nor a copyright that names no terms."""
    from segue.corpus.licences import restriction

    def where(name: str, file: str):
        return collections[name].path / file

    kept = [("bach", "bwv366.mxl"), ("corelli", "opus3no1/1grave.xml")]
    kept += [("johnson_j_r", "lift_every_voice.mxl"), ("oneills1850", "0001-0050.abc")]
    for name, file in kept:
        assert restriction(where(name, file)) is None, file
    reasons = {
        ("bach", "bwv366.krn"): "Rights to all derivative electronic formats reserved",
        ("ciconia", "quod_jactatur.xml"): "CC-BY-SA",
        ("leadSheet", "berlinAlexandersRagtime.mxl"): "All Rights Reserved",
    }
    for (name, file), reason in reasons.items():
        assert reason in (restriction(where(name, file)) or ""), file
    josquin = next(p for p in collections["josquin"].path.iterdir() if p.suffix == ".abc")
    assert "GNU GPL" in (restriction(josquin) or "")
    essen = next(p for p in collections["essenFolksong"].path.iterdir() if p.suffix == ".abc")
    assert "non-commercial" in (restriction(essen) or "")


def test_a_copyright_without_free_terms_is_a_restriction(tmp_path):
    from segue.corpus.licences import restriction

    score = tmp_path / "a.xml"
    for rights, restricted in [
        ("Copyright 2003 A Publisher", True),
        ("Engraving Copyright 2017, most uses allowed for free (CC-SA-BY)", True),
        ("Public Domain (encoding: CC0)", False),
        ("© 2014, Creative Commons License (CC-BY)", False),
        ("Copyright ©", False),  # says nothing: music21's corpus licence
    ]:
        score.write_text(
            f"<score-partwise><identification><rights>{rights}</rights></identification>"
            "</score-partwise>",
            encoding="utf-8",
        )
        assert (restriction(score) is not None) == restricted, rights
